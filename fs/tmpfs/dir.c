// SPDX-License-Identifier: MIT
/*
 * tmpfs nodes and directory operations: making a node of any type (with
 * its inode number and its charge against nr_inodes), create, tmpfile,
 * link, unlink, rmdir and rename, the node ops tables and evict.
 *
 * The names themselves live in the core's dentry cache (the fs is
 * VFS_FS_DCACHE_COMPLETE); these ops only keep the attributes true, the
 * way Linux's shmem does:
 *  - a directory's size is 20 bytes (BOGO_DIRENT_SIZE) per entry, 40 when
 *    empty; its nlink is 2 plus its subdirectories;
 *  - every name added or removed sets the directory's mtime and ctime and
 *    the node's ctime;
 *  - a hard link beyond the first costs one inode of nr_inodes (given back
 *    by the unlink that drops it), and the last one is given back by evict;
 *  - RENAME_WHITEOUT leaves a 0/0 character device, which is an inode
 *    like any other (it may fail the rename with ENOSPC).
 *
 * Locking: the core calls the directory ops with the fs op mutex held and
 * no node lock.  Each op takes the locks of the nodes whose attributes it
 * changes, all at once, in increasing address order (tmpfs_lockset), and
 * drops them before returning.  Inode numbers and accounting are atomics
 * (super.c).  evict runs with no lock: the node is unreachable by then.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "internal.h"

/* ------------------------------------------------------------ lock sets */

/* Up to four distinct nodes, locked in increasing address order. */
struct tmpfs_lockset {
	struct vfs_fs_node *node[4];
	int count;
};

static void tmpfs_lockset_add(struct tmpfs_lockset *ls,
			      struct vfs_fs_node *node)
{
	int i;

	if (!node)
		return;
	for (i = 0; i < ls->count; i++)
		if (ls->node[i] == node)
			return;
	assert(ls->count < 4);
	/* Insertion sort by address. */
	for (i = ls->count; i > 0 &&
	     (uintptr_t)ls->node[i - 1] > (uintptr_t)node; i--)
		ls->node[i] = ls->node[i - 1];
	ls->node[i] = node;
	ls->count++;
}

static void tmpfs_lockset_lock(struct tmpfs_lockset *ls)
{
	for (int i = 0; i < ls->count; i++)
		vfs_fs_node_lock(ls->node[i]);
}

static void tmpfs_lockset_unlock(struct tmpfs_lockset *ls)
{
	for (int i = ls->count - 1; i >= 0; i--)
		vfs_fs_node_unlock(ls->node[i]);
}

/* ------------------------------------------------------------ nodes */

int vfs_tmpfs_node_new(struct vfs_file_system *fs, const struct vfs_new_node *nn,
		       const struct timespec *now, struct vfs_fs_node **out_node)
{
	struct tmpfs_super *sb = vfs_file_system_private(fs);
	const struct vfs_node_ops *ops;
	struct vfs_node_attr attr;
	struct tmpfs_node *tn;
	bool long_link = false;
	size_t link_size = 0;
	uint64_t ino;
	int err;

	*out_node = NULL;
	if (S_ISLNK(nn->mode)) {
		/* shmem_symlink: the target and its NUL fit in a page; past
		 * SHORT_SYMLINK_LEN they take one (charged to size=). */
		link_size = strlen(nn->link) + 1;
		if (link_size > TMPFS_PAGE_SIZE)
			return -ENAMETOOLONG;
		long_link = link_size > TMPFS_SHORT_SYMLINK_LEN;
	}
	err = vfs_tmpfs_reserve_inode(sb, &ino);
	if (err)
		return err;
	if (long_link) {
		err = vfs_tmpfs_reserve_pages(sb, 1);
		if (err)
			goto out_release_inode;
	}

	memset(&attr, 0, sizeof(attr));
	attr.ino = ino;
	attr.mode = nn->mode;
	attr.uid = nn->uid;
	attr.gid = nn->gid;
	attr.blocks = long_link ? TMPFS_BLOCKS_PER_PAGE : 0;
	attr.atime = attr.mtime = attr.ctime = attr.btime = *now;
	switch (nn->mode & S_IFMT) {
	case S_IFDIR:
		attr.nlink = 2;
		attr.size = 2 * TMPFS_BOGO_DIRENT_SIZE;
		ops = &vfs_tmpfs_dir_ops;
		break;
	case S_IFREG:
		attr.nlink = 1;
		ops = &vfs_tmpfs_file_ops;
		break;
	case S_IFLNK:
		attr.nlink = 1;
		attr.size = (off_t)(link_size - 1);
		ops = &vfs_tmpfs_special_ops;
		break;
	case S_IFCHR:
	case S_IFBLK:
		attr.nlink = 1;
		attr.rdev = nn->rdev;
		ops = &vfs_tmpfs_special_ops;
		break;
	default:        /* S_IFIFO, S_IFSOCK */
		attr.nlink = 1;
		ops = &vfs_tmpfs_special_ops;
		break;
	}
	err = vfs_fs_node_alloc(fs, ops, &attr,
				S_ISLNK(nn->mode) ? nn->link : NULL,
				sizeof(struct tmpfs_node), out_node);
	if (err)
		goto out_release_page;
	tn = tmpfs_node_of(*out_node);
	tn->nr_pages = long_link ? 1 : 0;
	return 0;

out_release_page:
	if (long_link)
		vfs_tmpfs_release_pages(sb, 1);
out_release_inode:
	/* The inode number stays used, as in Linux. */
	vfs_tmpfs_release_ispace(sb, TMPFS_BOGO_INODE_SIZE);
	return err;
}

static void tmpfs_evict(struct vfs_fs_node *node)
{
	struct tmpfs_super *sb = tmpfs_super_of(node);
	struct tmpfs_node *tn = tmpfs_node_of(node);

	vfs_tmpfs_pages_free(sb, tn);
	vfs_tmpfs_xattrs_free(sb, tn);
	vfs_tmpfs_release_ispace(sb, TMPFS_BOGO_INODE_SIZE);
}

/* ------------------------------------------------------------ nlink */

static void tmpfs_inc_nlink_locked(struct vfs_fs_node *node)
{
	vfs_fs_node_attr(node)->nlink++;
}

static void tmpfs_drop_nlink_locked(struct vfs_fs_node *node)
{
	struct vfs_node_attr *a = vfs_fs_node_attr(node);

	/* Linux warns and stays at 0. */
	if (a->nlink)
		a->nlink--;
}

/* A name was added to (@delta > 0) or removed from @dir at @now. */
static void tmpfs_dir_changed_locked(struct vfs_fs_node *dir, int delta,
				     const struct timespec *now)
{
	struct vfs_node_attr *a = vfs_fs_node_attr(dir);

	a->size += delta * TMPFS_BOGO_DIRENT_SIZE;
	a->mtime = *now;
	a->ctime = *now;
}

/* shmem_unlink: @node loses its name in @dir. */
static void tmpfs_unlink_locked(struct tmpfs_super *sb, struct vfs_fs_node *dir,
				struct vfs_fs_node *node,
				const struct timespec *now)
{
	struct vfs_node_attr *a = vfs_fs_node_attr(node);

	if (a->nlink > 1 && !S_ISDIR(a->mode))
		vfs_tmpfs_release_ispace(sb, TMPFS_BOGO_INODE_SIZE);
	tmpfs_dir_changed_locked(dir, -1, now);
	a->ctime = *now;
	tmpfs_drop_nlink_locked(node);
}

/* ------------------------------------------------------------ dir ops */

static int tmpfs_create(struct vfs_fs_node *dir, const char *name,
			size_t len, const struct vfs_new_node *nn,
			struct vfs_fs_node **out_node)
{
	struct vfs_fs_node *node;
	struct timespec now;
	int err;

	(void)name;
	(void)len;
	vfs_fs_time_now(&now);
	err = vfs_tmpfs_node_new(vfs_fs_node_fs(dir), nn, &now, &node);
	if (err) {
		*out_node = NULL;
		return err;
	}
	vfs_fs_node_lock(dir);
	tmpfs_dir_changed_locked(dir, 1, &now);
	if (S_ISDIR(nn->mode))
		tmpfs_inc_nlink_locked(dir);
	vfs_fs_node_unlock(dir);
	*out_node = node;
	return 0;
}

static int tmpfs_tmpfile(struct vfs_fs_node *dir,
			 const struct vfs_new_node *nn,
			 struct vfs_fs_node **out_node)
{
	struct vfs_fs_node *node;
	struct timespec now;
	int err;

	vfs_fs_time_now(&now);
	err = vfs_tmpfs_node_new(vfs_fs_node_fs(dir), nn, &now, &node);
	if (err) {
		*out_node = NULL;
		return err;
	}
	/* d_tmpfile(): no name, no link; the directory is untouched. */
	vfs_fs_node_lock(node);
	vfs_fs_node_attr(node)->nlink = 0;
	vfs_fs_node_unlock(node);
	*out_node = node;
	return 0;
}

static int tmpfs_link(struct vfs_fs_node *dir, const char *name, size_t len,
		      struct vfs_fs_node *node)
{
	struct tmpfs_super *sb = tmpfs_super_of(dir);
	struct tmpfs_lockset ls = { .count = 0 };
	struct vfs_node_attr *a;
	struct timespec now;
	int err = 0;

	(void)name;
	(void)len;
	vfs_fs_time_now(&now);
	tmpfs_lockset_add(&ls, dir);
	tmpfs_lockset_add(&ls, node);
	tmpfs_lockset_lock(&ls);
	a = vfs_fs_node_attr(node);
	/* A second name costs an inode; linking an O_TMPFILE (nlink 0)
	 * uses the one it already holds. */
	if (a->nlink) {
		err = vfs_tmpfs_reserve_ispace(sb, TMPFS_BOGO_INODE_SIZE);
		if (err)
			goto out_unlock;
	}
	tmpfs_dir_changed_locked(dir, 1, &now);
	a->ctime = now;
	tmpfs_inc_nlink_locked(node);
out_unlock:
	tmpfs_lockset_unlock(&ls);
	return err;
}

static int tmpfs_unlink(struct vfs_fs_node *dir, const char *name, size_t len,
			struct vfs_fs_node *node)
{
	struct tmpfs_lockset ls = { .count = 0 };
	struct timespec now;

	(void)name;
	(void)len;
	vfs_fs_time_now(&now);
	tmpfs_lockset_add(&ls, dir);
	tmpfs_lockset_add(&ls, node);
	tmpfs_lockset_lock(&ls);
	tmpfs_unlink_locked(tmpfs_super_of(dir), dir, node, &now);
	tmpfs_lockset_unlock(&ls);
	return 0;
}

static int tmpfs_rmdir(struct vfs_fs_node *dir, const char *name, size_t len,
		       struct vfs_fs_node *node)
{
	struct tmpfs_lockset ls = { .count = 0 };
	struct timespec now;

	(void)name;
	(void)len;
	vfs_fs_time_now(&now);
	tmpfs_lockset_add(&ls, dir);
	tmpfs_lockset_add(&ls, node);
	tmpfs_lockset_lock(&ls);
	/* shmem_rmdir: the child's "." and the parent's ".." go, then the
	 * name itself (which takes the child to nlink 0). */
	tmpfs_drop_nlink_locked(node);
	tmpfs_drop_nlink_locked(dir);
	tmpfs_unlink_locked(tmpfs_super_of(dir), dir, node, &now);
	tmpfs_lockset_unlock(&ls);
	return 0;
}

/* simple_rename_timestamp() */
static void tmpfs_rename_times_locked(struct vfs_fs_node *old_dir,
				      struct vfs_fs_node *new_dir,
				      struct vfs_fs_node *node,
				      struct vfs_fs_node *new_node,
				      const struct timespec *now)
{
	struct vfs_node_attr *a = vfs_fs_node_attr(old_dir);

	a->mtime = a->ctime = *now;
	if (new_dir != old_dir) {
		a = vfs_fs_node_attr(new_dir);
		a->mtime = a->ctime = *now;
	}
	vfs_fs_node_attr(node)->ctime = *now;
	if (new_node)
		vfs_fs_node_attr(new_node)->ctime = *now;
}

/* simple_rename_exchange(): sizes stay; a directory and a non-directory
 * trading parents move a ".." between them. */
static void tmpfs_exchange_locked(struct vfs_fs_node *old_dir,
				  struct vfs_fs_node *node,
				  struct vfs_fs_node *new_dir,
				  struct vfs_fs_node *new_node,
				  const struct timespec *now)
{
	bool old_is_dir = S_ISDIR(vfs_fs_node_attr(node)->mode);
	bool new_is_dir = S_ISDIR(vfs_fs_node_attr(new_node)->mode);

	if (old_dir != new_dir && old_is_dir != new_is_dir) {
		if (old_is_dir) {
			tmpfs_drop_nlink_locked(old_dir);
			tmpfs_inc_nlink_locked(new_dir);
		} else {
			tmpfs_drop_nlink_locked(new_dir);
			tmpfs_inc_nlink_locked(old_dir);
		}
	}
	tmpfs_rename_times_locked(old_dir, new_dir, node, new_node, now);
}

/* shmem_whiteout(): a 0/0 character device made in @old_dir. */
static int tmpfs_whiteout(struct vfs_fs_node *old_dir,
			  const struct timespec *now,
			  struct vfs_fs_node **out_whiteout)
{
	/* Linux gives the whiteout the caller's fsuid and fsgid, which only
	 * the core knows (rename gets no vfs_new_node): it is made 0:0 here
	 * and the core sets the owner on *out_whiteout. */
	const struct vfs_new_node nn = {
		.mode = S_IFCHR,
		.uid = 0,
		.gid = 0,
		.rdev = makedev(0, 0),
	};
	int err;

	err = vfs_tmpfs_node_new(vfs_fs_node_fs(old_dir), &nn, now,
				 out_whiteout);
	if (err)
		return err;
	vfs_fs_node_lock(old_dir);
	tmpfs_dir_changed_locked(old_dir, 1, now);
	vfs_fs_node_unlock(old_dir);
	return 0;
}

static int tmpfs_rename(struct vfs_fs_node *old_dir, const char *old_name,
			size_t old_len, struct vfs_fs_node *node,
			struct vfs_fs_node *new_dir, const char *new_name,
			size_t new_len, struct vfs_fs_node *new_node,
			unsigned int flags, struct vfs_fs_node **out_whiteout)
{
	struct tmpfs_lockset ls = { .count = 0 };
	struct vfs_fs_node *whiteout = NULL;
	struct timespec now;
	bool they_are_dirs;
	int err;

	(void)old_name;
	(void)old_len;
	(void)new_name;
	(void)new_len;
	if (out_whiteout)
		*out_whiteout = NULL;
	if (flags & ~(unsigned int)(RENAME_NOREPLACE | RENAME_EXCHANGE |
				    RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && !new_node)
		return -ENOENT;
	vfs_fs_time_now(&now);

	if (flags & RENAME_WHITEOUT) {
		if (!out_whiteout)
			return -EINVAL;
		err = tmpfs_whiteout(old_dir, &now, &whiteout);
		if (err)
			return err;
	}

	tmpfs_lockset_add(&ls, old_dir);
	tmpfs_lockset_add(&ls, new_dir);
	tmpfs_lockset_add(&ls, node);
	tmpfs_lockset_add(&ls, new_node);
	tmpfs_lockset_lock(&ls);
	if (flags & RENAME_EXCHANGE) {
		tmpfs_exchange_locked(old_dir, node, new_dir, new_node, &now);
		tmpfs_lockset_unlock(&ls);
		return 0;
	}
	they_are_dirs = S_ISDIR(vfs_fs_node_attr(node)->mode);
	if (new_node) {
		tmpfs_unlink_locked(tmpfs_super_of(new_dir), new_dir, new_node,
				    &now);
		if (they_are_dirs) {
			tmpfs_drop_nlink_locked(new_node);
			tmpfs_drop_nlink_locked(old_dir);
		}
	} else if (they_are_dirs) {
		tmpfs_drop_nlink_locked(old_dir);
		tmpfs_inc_nlink_locked(new_dir);
	}
	vfs_fs_node_attr(old_dir)->size -= TMPFS_BOGO_DIRENT_SIZE;
	vfs_fs_node_attr(new_dir)->size += TMPFS_BOGO_DIRENT_SIZE;
	tmpfs_rename_times_locked(old_dir, new_dir, node, new_node, &now);
	tmpfs_lockset_unlock(&ls);
	if (out_whiteout)
		*out_whiteout = whiteout;
	return 0;
}

/* ------------------------------------------------------------ ops tables */

const struct vfs_node_ops vfs_tmpfs_dir_ops = {
	.create = tmpfs_create,
	.tmpfile = tmpfs_tmpfile,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.setattr = vfs_tmpfs_setattr,
	.getxattr = vfs_tmpfs_getxattr,
	.setxattr = vfs_tmpfs_setxattr,
	.listxattr = vfs_tmpfs_listxattr,
	.removexattr = vfs_tmpfs_removexattr,
	.evict = tmpfs_evict,
};

const struct vfs_node_ops vfs_tmpfs_file_ops = {
	.read = vfs_tmpfs_read,
	.write = vfs_tmpfs_write,
	.setattr = vfs_tmpfs_setattr,
	.fallocate = vfs_tmpfs_fallocate,
	.seek_data = vfs_tmpfs_seek_data,
	.getxattr = vfs_tmpfs_getxattr,
	.setxattr = vfs_tmpfs_setxattr,
	.listxattr = vfs_tmpfs_listxattr,
	.removexattr = vfs_tmpfs_removexattr,
	.evict = tmpfs_evict,
};

/* Symlinks, devices, fifos, sockets: attributes and xattrs only. */
const struct vfs_node_ops vfs_tmpfs_special_ops = {
	.setattr = vfs_tmpfs_setattr,
	.getxattr = vfs_tmpfs_getxattr,
	.setxattr = vfs_tmpfs_setxattr,
	.listxattr = vfs_tmpfs_listxattr,
	.removexattr = vfs_tmpfs_removexattr,
	.evict = tmpfs_evict,
};
