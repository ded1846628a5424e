// SPDX-License-Identifier: MIT
/*
 * Mount: a FileSystem, at a root entry, attached on a mountpoint of a parent
 * mount.  Owns mount allocation, the submount hash of each mount (keyed by
 * mountpoint entry; stacking puts a new mount on the root of the topmost
 * one, so a (mount, entry) pair has at most one child), attach and detach.
 *
 * Locking: every [t] field is guarded by the kernel's mount_lock (an
 * rwlock).  Walks take it shared only when they land on an entry whose
 * `mounted` count is non-zero.  Releasing references under the write lock
 * is allowed: a mount's release only takes a file system's tree_lock,
 * which comes after mount_lock in the lock order.
 */
#include "internal.h"

#include <stdlib.h>

int vfs_mount_create(struct vfs_file_system *fs, struct vfs_dir_entry *root,
		     int mnt_flags, struct vfs_mount **out_mount)
{
	struct vfs_mount *m = calloc(1, sizeof(*m));

	*out_mount = NULL;
	if (!m)
		return -ENOMEM;
	vfs_refcount_init(&m->ref, 1);
	m->kernel = fs->kernel;
	m->fs = vfs_file_system_get(fs);
	vfs_file_system_activate(fs);
	m->root = vfs_dir_entry_get(root);
	m->mnt_flags = mnt_flags;
	atomic_init(&m->expiry_mark, false);
	m->id = atomic_fetch_add(&fs->kernel->next_mount_id, 1);
	vfs_kernel_count(fs->kernel, VFS_OBJ_MOUNT, 1);
	*out_mount = m;
	return 0;
}

struct vfs_mount *vfs_mount_get(struct vfs_mount *m)
{
	if (m)
		vfs_refcount_inc(&m->ref);
	return m;
}

void vfs_mount_put(struct vfs_mount *m)
{
	/* Any use of a mount clears its expiry mark (Linux's mntput). */
	if (m && atomic_load_explicit(&m->expiry_mark, memory_order_relaxed))
		atomic_store(&m->expiry_mark, false);
	vfs_mount_put_noexpire(m);
}

void vfs_mount_put_noexpire(struct vfs_mount *m)
{
	struct vfs_file_system *fs;

	if (!m || !vfs_refcount_dec(&m->ref))
		return;
	/* The tree reference is gone, so it was detached. */
	assert(!m->parent && !m->submounts);
	fs = m->fs;
	vfs_kernel_count(m->kernel, VFS_OBJ_MOUNT, -1);
	vfs_dir_entry_put(m->root);
	free(m);
	vfs_file_system_deactivate(fs);
	vfs_file_system_put(fs);
}

struct vfs_mount *vfs_mount_lookup_locked(struct vfs_mount *m,
					  struct vfs_dir_entry *entry)
{
	struct vfs_mount *child = NULL;

	HASH_FIND_PTR(m->submounts, &entry, child);
	return child;
}

void vfs_mount_attach_locked(struct vfs_mount *child, struct vfs_mount *parent,
			     struct vfs_dir_entry *mp)
{
	child->parent = vfs_mount_get(parent);
	child->mountpoint = vfs_dir_entry_get(mp);
	child->ns = parent->ns;
	atomic_fetch_add(&mp->mounted, 1);
	HASH_ADD_PTR(parent->submounts, mountpoint, child);
}

/* Detach one mount with no submounts; returns its tree reference. */
static struct vfs_mount *mount_detach_one_locked(struct vfs_mount *m)
{
	struct vfs_mount *parent = m->parent;
	struct vfs_dir_entry *mp = m->mountpoint;

	m->ns = NULL;
	if (!parent)
		return m;
	HASH_DELETE(hh, parent->submounts, m);
	atomic_fetch_sub(&mp->mounted, 1);
	m->parent = NULL;
	m->mountpoint = NULL;
	vfs_dir_entry_put(mp);
	vfs_mount_put(parent);
	return m;
}

void vfs_mount_detach_tree_locked(struct vfs_mount *m,
				  struct vfs_mount **io_chain)
{
	struct vfs_mount *top = m;

	/* Post-order: leaves first, so every detached mount is a leaf. */
	for (;;) {
		struct vfs_mount *next = m->submounts;

		if (next) {
			m = next;
			continue;
		}
		struct vfs_mount *parent = m->parent;
		bool last = m == top;

		/* Chain the tree references through hh.next: free now. */
		mount_detach_one_locked(m);
		m->hh.next = *io_chain;
		*io_chain = m;
		if (last)
			break;
		m = parent;
	}
}

void vfs_mount_put_detached(struct vfs_mount *chain)
{
	while (chain) {
		struct vfs_mount *next = chain->hh.next;

		chain->hh.next = NULL;
		vfs_mount_put(chain);
		chain = next;
	}
}
