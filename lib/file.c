// SPDX-License-Identifier: MIT
/*
 * FileObject: an open file description.  Owns the place it was opened at
 * (a NamespaceNode, which is what its tracked path is computed from), a
 * reference to the node, the status flags and the file offset.
 *
 * Locking: pos_lock guards pos and the readdir resume point; it is taken
 * before the node lock and the tree lock when both are needed.  flags is
 * atomic (F_SETFL).
 */
#include "internal.h"

#include <stdlib.h>

/* A writer pins its mount and superblock writable (remount read-only is
 * EBUSY meanwhile, as Linux's file_get_write_access()); a device, FIFO or
 * socket opened for writing writes nothing there and does not. */
static bool file_holds_write(const struct vfs_file *f)
{
	mode_t type = vfs_fs_node_type(f->node);

	return (f->fmode & VFS_FMODE_WRITE) && type != S_IFCHR &&
	       type != S_IFBLK && type != S_IFIFO && type != S_IFSOCK;
}

int vfs_file_create(struct vfs_namespace_node path, unsigned int flags,
		    struct vfs_file **out_file)
{
	struct vfs_file *f = calloc(1, sizeof(*f));
	int acc = flags & O_ACCMODE;

	*out_file = NULL;
	if (!f) {
		vfs_namespace_node_put(path);
		return -ENOMEM;
	}
	vfs_refcount_init(&f->ref, 1);
	f->path = path;
	f->node = vfs_fs_node_get(path.entry->node);
	atomic_init(&f->flags, flags);
	if (flags & O_PATH)
		f->fmode = VFS_FMODE_PATH;
	else if (acc == O_RDONLY)
		f->fmode = VFS_FMODE_READ;
	else if (acc == O_WRONLY)
		f->fmode = VFS_FMODE_WRITE;
	else if (acc == O_RDWR)
		f->fmode = VFS_FMODE_READ | VFS_FMODE_WRITE;
	vfs_lock_init(&f->pos_lock);
	if (file_holds_write(f)) {
		atomic_fetch_add(&path.mount->writers, 1);
		atomic_fetch_add(&f->node->fs->writers, 1);
	}
	vfs_kernel_count(path.mount->kernel, VFS_OBJ_FILE, 1);
	*out_file = f;
	return 0;
}

struct vfs_file *vfs_file_get(struct vfs_file *f)
{
	if (f)
		vfs_refcount_inc(&f->ref);
	return f;
}

void vfs_file_put(struct vfs_file *f)
{
	if (!f || !vfs_refcount_dec(&f->ref))
		return;
	vfs_kernel_count(f->path.mount->kernel, VFS_OBJ_FILE, -1);
	if (file_holds_write(f)) {
		atomic_fetch_sub(&f->path.mount->writers, 1);
		atomic_fetch_sub(&f->node->fs->writers, 1);
	}
	if (f->pipe)
		vfs_pipe_release(f->node, f->pipe, f->fmode);
	if (f->priv && f->node->ops->release)
		f->node->ops->release(f->node, f->priv);
	vfs_dir_entry_put(f->dir_next);
	vfs_fs_node_put(f->node);
	vfs_namespace_node_put(f->path);
	free(f);
}
