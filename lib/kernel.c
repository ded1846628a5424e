// SPDX-License-Identifier: MIT
/*
 * The kernel: one independent libvfs instance.  Owns the filesystem type
 * registry, the id allocators (task ids, mount ids, anonymous device
 * minors), the mount_lock that guards every mount tree of the instance, and
 * the live-object counters tests use to prove nothing leaked.
 *
 * Locking: types_lock guards the registry (taken alone); mount_lock is
 * described in internal.h.
 */
#include "internal.h"

#include <stdlib.h>

VFS_EXPORT int vfs_kernel_create(struct vfs_kernel **out_kernel)
{
	struct vfs_kernel *k = calloc(1, sizeof(*k));
	int err;

	*out_kernel = NULL;
	if (!k)
		return -ENOMEM;
	vfs_refcount_init(&k->ref, 1);
	pthread_rwlock_init(&k->mount_lock, NULL);
	pthread_mutex_init(&k->types_lock, NULL);
	pthread_mutex_init(&k->tasks_lock, NULL);
	atomic_init(&k->next_task_id, 1);
	pthread_mutex_init(&k->ids_lock, NULL);
	atomic_init(&k->next_mount_seq, 1);
	atomic_init(&k->next_cred_id, 1);
	for (int i = 0; i < VFS_OBJ_COUNT; i++)
		atomic_init(&k->live[i], 0);
	err = vfs_builtin_fs_register(k);
	if (err) {
		vfs_kernel_put(k);
		return err;
	}
	*out_kernel = k;
	return 0;
}

int vfs_kernel_id_alloc(struct vfs_kernel *k, struct vfs_ida *ida)
{
	int id;

	pthread_mutex_lock(&k->ids_lock);
	id = vfs_ida_alloc(ida, 1);
	pthread_mutex_unlock(&k->ids_lock);
	return id;
}

void vfs_kernel_id_free(struct vfs_kernel *k, struct vfs_ida *ida, int id)
{
	pthread_mutex_lock(&k->ids_lock);
	vfs_ida_free(ida, id);
	pthread_mutex_unlock(&k->ids_lock);
}

struct vfs_kernel *vfs_kernel_get(struct vfs_kernel *k)
{
	if (k)
		vfs_refcount_inc(&k->ref);
	return k;
}

VFS_EXPORT void vfs_kernel_put(struct vfs_kernel *k)
{
	if (!k || !vfs_refcount_dec(&k->ref))
		return;
	pthread_rwlock_destroy(&k->mount_lock);
	pthread_mutex_destroy(&k->types_lock);
	pthread_mutex_destroy(&k->tasks_lock);
	pthread_mutex_destroy(&k->ids_lock);
	vfs_ida_destroy(&k->mount_ids);
	vfs_ida_destroy(&k->dev_minors);
	vfs_ida_destroy(&k->group_ids);
	free(k);
}

void vfs_kernel_count(struct vfs_kernel *k, enum vfs_obj obj, long delta)
{
	atomic_fetch_add_explicit(&k->live[obj], delta, memory_order_relaxed);
}

VFS_EXPORT void vfs_kernel_stats(struct vfs_kernel *k,
				 struct vfs_stats *out_stats)
{
	out_stats->nodes = atomic_load(&k->live[VFS_OBJ_NODE]);
	out_stats->entries = atomic_load(&k->live[VFS_OBJ_ENTRY]);
	out_stats->file_systems = atomic_load(&k->live[VFS_OBJ_FS]);
	out_stats->mounts = atomic_load(&k->live[VFS_OBJ_MOUNT]);
	out_stats->namespaces = atomic_load(&k->live[VFS_OBJ_NAMESPACE]);
	out_stats->files = atomic_load(&k->live[VFS_OBJ_FILE]);
	out_stats->tasks = atomic_load(&k->live[VFS_OBJ_TASK]);
}

VFS_EXPORT int vfs_kernel_register_fs_type(struct vfs_kernel *k,
					   const struct vfs_fs_type *type)
{
	int err = 0;

	if (!type || !type->name || !type->mount)
		return -EINVAL;
	pthread_mutex_lock(&k->types_lock);
	for (int i = 0; i < k->ntypes; i++) {
		if (strcmp(k->types[i]->name, type->name) == 0) {
			err = -EBUSY;
			goto out_unlock;
		}
	}
	if (k->ntypes == VFS_MAX_FS_TYPES) {
		err = -ENOSPC;
		goto out_unlock;
	}
	k->types[k->ntypes++] = type;
out_unlock:
	pthread_mutex_unlock(&k->types_lock);
	return err;
}

const struct vfs_fs_type *vfs_kernel_find_fs_type(struct vfs_kernel *k,
						  const char *name)
{
	const struct vfs_fs_type *found = NULL;

	pthread_mutex_lock(&k->types_lock);
	for (int i = 0; i < k->ntypes; i++) {
		if (strcmp(k->types[i]->name, name) == 0) {
			found = k->types[i];
			break;
		}
	}
	pthread_mutex_unlock(&k->types_lock);
	return found;
}
