// SPDX-License-Identifier: MIT
/*
 * Permission checks, as Linux's inode_permission(): a read-only file
 * system refuses writes, then a node's own permission op decides, or
 * generic_permission(): owner, group (effective gid and supplementary
 * groups) and other bits, then the capabilities that override them
 * (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER).  Takes the node
 * lock to read mode and owner.
 */
#include "internal.h"

#include <linux/capability.h>

static bool cap(const struct vfs_cred *c, int n)
{
	return (c->caps >> n) & 1;
}

int vfs_permission(struct vfs_task *task, const struct vfs_cred *cred,
		   struct vfs_fs_node *node, int mask)
{
	mode_t type = vfs_fs_node_type(node);

	mask &= VFS_MAY_READ | VFS_MAY_WRITE | VFS_MAY_EXEC;
	/* sb_permission(): nobody writes to a read-only file system. */
	if ((mask & VFS_MAY_WRITE) &&
	    (atomic_load_explicit(&node->fs->mount_flags,
				  memory_order_relaxed) & MS_RDONLY) &&
	    (type == S_IFREG || type == S_IFDIR || type == S_IFLNK))
		return -EROFS;
	if (node->ops->permission)
		return node->ops->permission(node, task, cred, mask);
	return vfs_generic_permission(cred, node, mask);
}

VFS_EXPORT int vfs_generic_permission(const struct vfs_cred *cred,
				      struct vfs_fs_node *node, int mask)
{
	mode_t mode, type = vfs_fs_node_type(node);
	uid_t uid;
	gid_t gid;

	mask &= VFS_MAY_READ | VFS_MAY_WRITE | VFS_MAY_EXEC;
	/* Directories: DAC is always overridable; decide without the lock. */
	if (type == S_IFDIR) {
		if (cap(cred, CAP_DAC_OVERRIDE))
			return 0;
		if (!(mask & VFS_MAY_WRITE) && cap(cred, CAP_DAC_READ_SEARCH))
			return 0;
	}
	vfs_lock(&node->lock);
	mode = node->attr.mode;
	uid = node->attr.uid;
	gid = node->attr.gid;
	vfs_unlock(&node->lock);

	if (cred->euid == uid) {
		if (!(mask & ~((mode >> 6) & 7)))
			return 0;
	} else {
		mode_t bits = mode;

		if ((mask & (mode ^ (mode >> 3))) && vfs_cred_in_group(cred, gid))
			bits >>= 3;
		if (!(mask & ~(bits & 7)))
			return 0;
	}
	if (type == S_IFDIR)
		return -EACCES;
	if (mask == VFS_MAY_READ && cap(cred, CAP_DAC_READ_SEARCH))
		return 0;
	if (!(mask & VFS_MAY_EXEC) || (mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		if (cap(cred, CAP_DAC_OVERRIDE))
			return 0;
	return -EACCES;
}

bool vfs_owner_or_capable(const struct vfs_cred *cred,
			  struct vfs_fs_node *node)
{
	uid_t uid;

	vfs_lock(&node->lock);
	uid = node->attr.uid;
	vfs_unlock(&node->lock);
	return cred->euid == uid || cap(cred, CAP_FOWNER);
}

int vfs_may_delete_sticky(const struct vfs_cred *cred, struct vfs_fs_node *dir,
			  struct vfs_fs_node *victim)
{
	mode_t dmode;
	uid_t duid, vuid;

	vfs_lock(&dir->lock);
	dmode = dir->attr.mode;
	duid = dir->attr.uid;
	vfs_unlock(&dir->lock);
	if (!(dmode & S_ISVTX))
		return 0;
	vfs_lock(&victim->lock);
	vuid = victim->attr.uid;
	vfs_unlock(&victim->lock);
	if (vuid == cred->euid || duid == cred->euid || cap(cred, CAP_FOWNER))
		return 0;
	return -EPERM;
}
