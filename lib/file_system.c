// SPDX-License-Identifier: MIT
/*
 * FileSystem: one instance of a filesystem type (a superblock).  Owns its
 * creation through the type's mount op, the root entry, the anonymous
 * device number, and the teardown when the last mount goes (active count
 * reaches zero: every pinned entry is dropped, the nodes follow, and the
 * type's destroy op runs when the last node reference is gone).
 *
 * Locking: op_mutex serializes namespace changes (create, link, unlink,
 * rename, ...) and is held across the filesystem's directory ops; tree_lock
 * guards the dentry cache (see dir_entry.c).  Order: op_mutex, tree_lock.
 */
#include "internal.h"

#include <stdlib.h>
#include <sys/sysmacros.h>

VFS_EXPORT void vfs_file_system_init(struct vfs_file_system *fs,
				     const struct vfs_fs_ops *ops, void *priv,
				     unsigned int flags)
{
	fs->ops = ops;
	fs->priv = priv;
	fs->flags = flags;
}

VFS_EXPORT void *vfs_file_system_private(const struct vfs_file_system *fs)
{
	return fs->priv;
}

VFS_EXPORT dev_t vfs_file_system_dev(const struct vfs_file_system *fs)
{
	return fs->dev;
}

int vfs_file_system_create(struct vfs_kernel *k, const char *fstype,
			   const char *source, unsigned long flags,
			   const char *data, struct vfs_file_system **out_fs)
{
	const struct vfs_fs_type *type = vfs_kernel_find_fs_type(k, fstype);
	struct vfs_file_system *fs;
	struct vfs_fs_node *root_node;
	int err;

	*out_fs = NULL;
	if (!type)
		return -ENODEV;
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	vfs_refcount_init(&fs->ref, 1);
	atomic_init(&fs->active, 0);
	atomic_init(&fs->mount_flags, flags & MS_RDONLY);
	fs->kernel = vfs_kernel_get(k);
	fs->type = type;
	fs->source = strdup(source ? source : "none");
	if (!fs->source) {
		vfs_kernel_put(k);
		free(fs);
		return -ENOMEM;
	}
	err = vfs_kernel_id_alloc(k, &k->dev_minors);
	if (err < 0) {
		free(fs->source);
		vfs_kernel_put(k);
		free(fs);
		return err;
	}
	fs->dev = makedev(0, (unsigned int)err);
	pthread_mutex_init(&fs->op_mutex, NULL);
	vfs_brlock_init(&fs->tree_lock);
	vfs_kernel_count(k, VFS_OBJ_FS, 1);

	err = type->mount(fs, source, flags, data, &root_node);
	if (err) {
		/* The type cleaned up after itself; no destroy. */
		fs->ops = NULL;
		vfs_file_system_put(fs);
		return err;
	}
	err = vfs_dir_entry_alloc(root_node, "/", 1, &fs->root);
	if (err) {
		vfs_file_system_put(fs);
		return err;
	}
	*out_fs = fs;
	return 0;
}

struct vfs_file_system *vfs_file_system_get(struct vfs_file_system *fs)
{
	if (fs)
		vfs_refcount_inc(&fs->ref);
	return fs;
}

void vfs_file_system_put(struct vfs_file_system *fs)
{
	struct vfs_kernel *k;

	if (!fs || !vfs_refcount_dec(&fs->ref))
		return;
	/* A root entry that never got activated still holds a node, which
	 * holds a reference to us: we cannot be here with it set. */
	assert(!fs->root);
	k = fs->kernel;
	if (fs->ops && fs->ops->destroy)
		fs->ops->destroy(fs);
	pthread_mutex_destroy(&fs->op_mutex);
	vfs_brlock_destroy(&fs->tree_lock);
	vfs_kernel_id_free(k, &k->dev_minors, (int)minor(fs->dev));
	free(fs->source);
	vfs_kernel_count(k, VFS_OBJ_FS, -1);
	free(fs);
	vfs_kernel_put(k);
}

void vfs_file_system_activate(struct vfs_file_system *fs)
{
	atomic_fetch_add(&fs->active, 1);
}

/* Drop every pinned entry below the root, deepest first. */
static void file_system_unpin_all(struct vfs_file_system *fs)
{
	struct vfs_dir_entry *root = fs->root, *e = root;

	vfs_brlock_wrlock(&fs->tree_lock);
	for (;;) {
		struct vfs_dir_entry *parent, *pin;

		if (e->child_first) {
			e = e->child_first;
			continue;
		}
		if (e == root)
			break;
		parent = e->parent;
		pin = vfs_dir_entry_kill_locked(e);
		/* Frees e unless something still uses it; its parent keeps
		 * its own pin, so this never frees up the chain. */
		vfs_dir_entry_put(pin);
		e = parent;
	}
	vfs_brlock_wrunlock(&fs->tree_lock);
}

void vfs_file_system_deactivate(struct vfs_file_system *fs)
{
	struct vfs_dir_entry *root;

	if (atomic_fetch_sub(&fs->active, 1) != 1)
		return;
	if (fs->flags & VFS_FS_DCACHE_COMPLETE)
		file_system_unpin_all(fs);
	root = fs->root;
	fs->root = NULL;
	/* The root entry holds the root node, which holds the fs. */
	vfs_file_system_get(fs);
	vfs_dir_entry_put(root);
	vfs_file_system_put(fs);
}
