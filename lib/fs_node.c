// SPDX-License-Identifier: MIT
/*
 * FsNode: the inode.  Owns node allocation on behalf of filesystems, the
 * node's attribute lock, the last-reference path (ops->evict, then free),
 * stat of a node, and the setattr entry into a filesystem.
 *
 * Locking: node->lock guards attr and priv.  It is the innermost lock but
 * for a file's pos_lock; two node locks are taken lower address first.
 */
#include "internal.h"

#include <stdlib.h>

VFS_EXPORT int vfs_fs_node_alloc(struct vfs_file_system *fs,
				 const struct vfs_node_ops *ops,
				 const struct vfs_node_attr *attr,
				 const char *link, size_t priv_size,
				 struct vfs_fs_node **out_node)
{
	struct vfs_fs_node *node = calloc(1, sizeof(*node) + priv_size);

	*out_node = NULL;
	if (!node)
		return -ENOMEM;
	if (link && S_ISLNK(attr->mode)) {
		node->link = strdup(link);
		if (!node->link) {
			free(node);
			return -ENOMEM;
		}
	}
	vfs_refcount_init(&node->ref, 1);
	vfs_lock_init(&node->lock);
	node->fs = vfs_file_system_get(fs);
	node->ops = ops;
	node->attr = *attr;
	vfs_kernel_count(fs->kernel, VFS_OBJ_NODE, 1);
	*out_node = node;
	return 0;
}

struct vfs_fs_node *vfs_fs_node_get(struct vfs_fs_node *node)
{
	if (node)
		vfs_refcount_inc(&node->ref);
	return node;
}

VFS_EXPORT void vfs_fs_node_put(struct vfs_fs_node *node)
{
	struct vfs_file_system *fs;

	if (!node || !vfs_refcount_dec(&node->ref))
		return;
	fs = node->fs;
	if (node->state & VFS_NODE_REMOVED)
		atomic_fetch_sub(&fs->removed, 1);
	if (node->ops && node->ops->evict)
		node->ops->evict(node);
	vfs_kernel_count(fs->kernel, VFS_OBJ_NODE, -1);
	if (S_ISLNK(node->attr.mode))
		free(node->link);
	free(node);
	vfs_file_system_put(fs);
}

VFS_EXPORT struct vfs_file_system *vfs_fs_node_fs(const struct vfs_fs_node *node)
{
	return node->fs;
}

VFS_EXPORT void *vfs_fs_node_private(struct vfs_fs_node *node)
{
	return node->priv;
}

VFS_EXPORT struct vfs_node_attr *vfs_fs_node_attr(struct vfs_fs_node *node)
{
	assert(vfs_lock_held(&node->lock));
	return &node->attr;
}

VFS_EXPORT void vfs_fs_node_lock(struct vfs_fs_node *node)
{
	vfs_lock(&node->lock);
}

VFS_EXPORT void vfs_fs_node_unlock(struct vfs_fs_node *node)
{
	vfs_unlock(&node->lock);
}

VFS_EXPORT void vfs_fs_time_now(struct timespec *out_ts)
{
	clock_gettime(CLOCK_REALTIME_COARSE, out_ts);
}

void vfs_fs_node_note_nlink(struct vfs_fs_node *node)
{
	vfs_lock(&node->lock);
	if (node->attr.nlink == 0 && !(node->state & VFS_NODE_REMOVED)) {
		node->state |= VFS_NODE_REMOVED;
		atomic_fetch_add(&node->fs->removed, 1);
	} else if (node->attr.nlink > 0 && (node->state & VFS_NODE_REMOVED)) {
		node->state &= ~VFS_NODE_REMOVED;
		atomic_fetch_sub(&node->fs->removed, 1);
	}
	vfs_unlock(&node->lock);
}

void vfs_fs_node_stat(struct vfs_fs_node *node, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	vfs_lock(&node->lock);
	st->st_dev = node->fs->dev;
	st->st_ino = node->attr.ino;
	st->st_mode = node->attr.mode;
	st->st_nlink = node->attr.nlink;
	st->st_uid = node->attr.uid;
	st->st_gid = node->attr.gid;
	st->st_rdev = node->attr.rdev;
	st->st_size = node->attr.size;
	st->st_blksize = 4096;
	st->st_blocks = node->attr.blocks;
	st->st_atim = node->attr.atime;
	st->st_mtim = node->attr.mtime;
	st->st_ctim = node->attr.ctime;
	vfs_unlock(&node->lock);
}

VFS_EXPORT void vfs_setattr_copy(struct vfs_fs_node *node,
				 const struct vfs_setattr *sa)
{
	struct vfs_node_attr *a = vfs_fs_node_attr(node);

	if (sa->valid & VFS_ATTR_UID)
		a->uid = sa->uid;
	if (sa->valid & VFS_ATTR_GID)
		a->gid = sa->gid;
	if (sa->valid & VFS_ATTR_ATIME)
		a->atime = sa->atime;
	if (sa->valid & VFS_ATTR_MTIME)
		a->mtime = sa->mtime;
	if (sa->valid & VFS_ATTR_CTIME)
		a->ctime = sa->ctime;
	if (sa->valid & VFS_ATTR_MODE)
		a->mode = (a->mode & S_IFMT) | (sa->mode & ~(mode_t)S_IFMT);
}

/* relatime_need_update(): once per day, or when the access predates the
 * last change. */
static bool atime_needs_update(const struct vfs_node_attr *a,
			       const struct timespec *now, int mnt_flags)
{
	if (a->atime.tv_sec == now->tv_sec && a->atime.tv_nsec == now->tv_nsec)
		return false;
	if (!(mnt_flags & MS_RELATIME))
		return true;
	if (a->mtime.tv_sec > a->atime.tv_sec ||
	    (a->mtime.tv_sec == a->atime.tv_sec &&
	     a->mtime.tv_nsec >= a->atime.tv_nsec))
		return true;
	if (a->ctime.tv_sec > a->atime.tv_sec ||
	    (a->ctime.tv_sec == a->atime.tv_sec &&
	     a->ctime.tv_nsec >= a->atime.tv_nsec))
		return true;
	return now->tv_sec - a->atime.tv_sec >= 24 * 60 * 60;
}

/* atime_needs_update(); node lock held for the times.  A read-only mount
 * (not file system) does not enter into it: touch_atime() learns that
 * later, from mnt_want_write(). */
static bool atime_wanted_locked(struct vfs_mount *m, struct vfs_fs_node *node,
				const struct timespec *now)
{
	int mf = atomic_load_explicit(&m->mnt_flags, memory_order_relaxed);

	if ((mf & MS_NOATIME) || !node->ops->setattr ||
	    ((mf & MS_NODIRATIME) && vfs_fs_node_type(node) == S_IFDIR) ||
	    (atomic_load(&node->fs->mount_flags) & MS_RDONLY))
		return false;
	return atime_needs_update(&node->attr, now, mf);
}

bool vfs_atime_needs_update(struct vfs_mount *m, struct vfs_fs_node *node)
{
	struct timespec now;
	bool wanted;

	vfs_fs_time_now(&now);
	vfs_lock(&node->lock);
	wanted = atime_wanted_locked(m, node, &now);
	vfs_unlock(&node->lock);
	return wanted;
}

void vfs_touch_atime(struct vfs_mount *m, struct vfs_fs_node *node)
{
	struct vfs_setattr sa = { .valid = VFS_ATTR_ATIME };

	if (atomic_load_explicit(&m->mnt_flags, memory_order_relaxed) &
	    MS_RDONLY)
		return;
	vfs_fs_time_now(&sa.atime);
	vfs_lock(&node->lock);
	if (atime_wanted_locked(m, node, &sa.atime))
		node->ops->setattr(node, &sa);
	vfs_unlock(&node->lock);
}

int vfs_fs_node_setattr(struct vfs_fs_node *node, struct vfs_setattr *sa)
{
	int err;

	if (!node->ops->setattr)
		return -EPERM;
	vfs_lock(&node->lock);
	err = node->ops->setattr(node, sa);
	vfs_unlock(&node->lock);
	return err;
}
