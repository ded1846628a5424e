// SPDX-License-Identifier: MIT
/*
 * The system calls that change names: mkdirat, mknodat, symlinkat,
 * readlinkat, linkat, unlinkat and renameat2, with the checks of Linux's
 * fs/namei.c in Linux's order (so the same errno wins when several apply).
 *
 * Locking: each change takes the file system's op_mutex across the
 * filesystem op (one namespace change at a time per file system, which
 * also makes rename's ancestry checks stable), then the tree_lock
 * exclusive for the few instructions that rewire entries.  References a
 * change drops (pins of killed entries, old parents) are put after the
 * tree_lock is released.
 */
#include "internal.h"

#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>

/* --------------------------------------------------------------- create */

void vfs_new_node_init(struct vfs_task *task, struct vfs_fs_node *dir,
		       mode_t type, mode_t mode, struct vfs_new_node *out_nn)
{
	const struct vfs_cred *c = &task->cred;
	mode_t dmode;
	gid_t dgid;

	vfs_lock(&dir->lock);
	dmode = dir->attr.mode;
	dgid = dir->attr.gid;
	vfs_unlock(&dir->lock);

	/* mode_strip_sgid: a group-executable setgid file made in a setgid
	 * directory keeps S_ISGID only for a member of the group. */
	if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
	    type != S_IFDIR && (dmode & S_ISGID) &&
	    !vfs_cred_in_group(c, dgid) && !vfs_capable(task, CAP_FSETID))
		mode &= ~S_ISGID;
	if (type != S_IFLNK)
		mode &= ~atomic_load(&task->fs->umask);
	if (type == S_IFDIR)
		mode &= S_IRWXU | S_IRWXG | S_IRWXO | S_ISVTX;
	else
		mode &= 07777;

	out_nn->uid = c->euid;
	out_nn->gid = c->egid;
	if (dmode & S_ISGID) {
		out_nn->gid = dgid;
		if (type == S_IFDIR)
			mode |= S_ISGID;
	}
	out_nn->mode = type | mode;
	out_nn->rdev = 0;
	out_nn->link = NULL;
}

static int may_create(struct vfs_task *task, struct vfs_dir_entry *dir)
{
	if (vfs_dir_entry_dead(dir))
		return -ENOENT;
	return vfs_permission(task, &task->cred, dir->node,
			      VFS_MAY_WRITE | VFS_MAY_EXEC);
}

int vfs_create_at(struct vfs_task *task, struct vfs_dir_entry *dir,
		  const char *name, size_t len, mode_t type, mode_t mode,
		  dev_t rdev, const char *link, struct vfs_dir_entry **out_entry)
{
	struct vfs_file_system *fs = dir->node->fs;
	struct vfs_fs_node *node;
	struct vfs_dir_entry *e, *exists;
	struct vfs_new_node nn;
	int err;

	*out_entry = NULL;
	if (len > NAME_MAX)
		return vfs_lookup_miss(dir, len);
	pthread_mutex_lock(&fs->op_mutex);
	vfs_brlock_rdlock(&fs->tree_lock);
	exists = vfs_dir_entry_find_locked(dir, name, len);
	vfs_brlock_rdunlock(&fs->tree_lock);
	err = -EEXIST;
	if (exists)
		goto out_unlock;
	err = may_create(task, dir);
	if (err)
		goto out_unlock;
	/* A 0/0 character device is a whiteout, which anyone may make. */
	if ((type == S_IFBLK || (type == S_IFCHR && rdev != 0)) &&
	    !vfs_capable(task, CAP_MKNOD)) {
		err = -EPERM;
		goto out_unlock;
	}
	err = -EPERM;
	if (!dir->node->ops->create)
		goto out_unlock;
	vfs_new_node_init(task, dir->node, type, mode, &nn);
	nn.rdev = rdev;
	nn.link = link;
	err = dir->node->ops->create(dir->node, name, len, &nn, &node);
	if (err)
		goto out_unlock;
	err = vfs_dir_entry_alloc(node, name, len, &e);
	if (err)
		goto out_unlock;
	vfs_brlock_wrlock(&fs->tree_lock);
	vfs_dir_entry_add_locked(dir, e);
	vfs_brlock_wrunlock(&fs->tree_lock);
	*out_entry = e;
out_unlock:
	pthread_mutex_unlock(&fs->op_mutex);
	return err;
}

/*
 * filename_create(): walk to the parent of @path and check that its last
 * component can be created there (not "." or "..", not too long, not
 * taken; a trailing slash only for a directory).  On success nd->path is
 * the parent and nd->last the name; the caller always ends with
 * vfs_nd_done().
 */
static int filename_create(struct vfs_nameidata *nd, struct vfs_task *task,
			   int dirfd, const char *path, bool is_dir)
{
	struct vfs_dir_entry *child;
	int err;

	err = vfs_nd_init(nd, task, dirfd, path, 0);
	if (!err)
		err = vfs_nd_walk_parent(nd, path);
	if (err)
		return err;
	if (nd->last_type != VFS_LAST_NORM)
		return -EEXIST;
	if (vfs_dir_is_dynamic(nd->path.entry)) {
		/* proc's lookup fails a missing name (ENOENT) rather than
		 * leaving a negative entry to create on. */
		err = vfs_lookup_dynamic(nd->path.entry, nd->last, nd->last_len,
					 task, &child);
		if (err)
			return err;
		vfs_dir_entry_put(child);
		return -EEXIST;
	}
	if (nd->last_len > NAME_MAX)
		return vfs_lookup_miss(nd->path.entry, nd->last_len);
	child = vfs_lookup_child(nd->path.entry, nd->last, nd->last_len);
	if (child) {
		vfs_dir_entry_put(child);
		return -EEXIST;
	}
	/* lookup_one_qstr_excl() makes nothing in a removed directory. */
	if (vfs_dir_entry_dead(nd->path.entry))
		return -ENOENT;
	if (!is_dir && vfs_nd_trailing_slash(nd))
		return -ENOENT;
	return vfs_mnt_want_write(nd->path.mount);
}

static int create_path(struct vfs_task *task, int dirfd, const char *path,
		       mode_t type, mode_t mode, dev_t rdev, const char *link)
{
	struct vfs_nameidata nd;
	struct vfs_dir_entry *e;
	int err;

	err = filename_create(&nd, task, dirfd, path, type == S_IFDIR);
	if (!err)
		err = vfs_create_at(task, nd.path.entry, nd.last, nd.last_len,
				    type, mode, rdev, link, &e);
	if (!err)
		vfs_dir_entry_put(e);
	vfs_nd_done(&nd);
	return err;
}

VFS_EXPORT int vfs_mkdirat(struct vfs_task *task, int dirfd, const char *path,
			   mode_t mode)
{
	return create_path(task, dirfd, path, S_IFDIR, mode, 0, NULL);
}

VFS_EXPORT int vfs_mknodat(struct vfs_task *task, int dirfd, const char *path,
			   mode_t mode, dev_t dev)
{
	mode_t type = mode & S_IFMT;

	switch (type) {
	case 0:
		type = S_IFREG;
		break;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	if (type != S_IFCHR && type != S_IFBLK)
		dev = 0;
	return create_path(task, dirfd, path, type, mode & 07777, dev, NULL);
}

VFS_EXPORT int vfs_symlinkat(struct vfs_task *task, const char *target,
			     int newdirfd, const char *linkpath)
{
	int err = vfs_check_path(target);

	if (err)
		return err;
	if (!*target)
		return -ENOENT;
	return create_path(task, newdirfd, linkpath, S_IFLNK, 0777, 0, target);
}

/* A computed symlink (/proc/self) or a magic link, whose text is the
 * path of what it leads to (proc_pid_readlink()). */
static ssize_t readlink_dynamic(struct vfs_task *task, struct vfs_fs_node *node,
				char *buf, size_t bufsiz)
{
	struct vfs_link_target t;
	struct vfs_namespace_node to;
	ssize_t n;
	int err;

	if (node->ops->readlink)
		return node->ops->readlink(node, task, buf, bufsiz);
	if (!node->ops->get_link)
		return -EINVAL;
	err = node->ops->get_link(node, task, &t);
	if (err)
		return err;
	to.mount = t.mount;
	to.entry = t.entry;
	n = vfs_d_path(task, to, buf, bufsiz);
	vfs_namespace_node_put(to);
	return n;
}

VFS_EXPORT ssize_t vfs_readlinkat(struct vfs_task *task, int dirfd,
				  const char *path, char *buf, size_t bufsiz)
{
	struct vfs_namespace_node nn;
	struct vfs_fs_node *node;
	size_t len;
	ssize_t n;
	int err;

	if ((int)bufsiz <= 0)
		return -EINVAL;
	err = vfs_path_lookup(task, dirfd, path, VFS_LOOKUP_EMPTY, &nn);
	if (err)
		return err;
	node = nn.entry->node;
	if (vfs_fs_node_type(node) != S_IFLNK) {
		vfs_namespace_node_put(nn);
		return *path ? -EINVAL : -ENOENT;
	}
	vfs_touch_atime(nn.mount, node);
	if (node->link) {
		len = strlen(node->link);
		if (len > bufsiz)
			len = bufsiz;
		memcpy(buf, node->link, len);
		vfs_namespace_node_put(nn);
		return (ssize_t)len;
	}
	n = readlink_dynamic(task, node, buf, bufsiz);
	vfs_namespace_node_put(nn);
	return n;
}

/* ----------------------------------------------------------------- link */

static int may_linkat(struct vfs_task *task, struct vfs_fs_node *node)
{
	uid_t uid;
	mode_t mode;

	/* fs.protected_hardlinks = 1, as Debian and most distributions set. */
	if (vfs_capable(task, CAP_FOWNER))
		return 0;
	vfs_lock(&node->lock);
	uid = node->attr.uid;
	mode = node->attr.mode;
	vfs_unlock(&node->lock);
	if (uid == task->cred.euid)
		return 0;
	if (S_ISREG(mode) && !(mode & S_ISUID) &&
	    ((mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP)) &&
	    vfs_permission(task, &task->cred, node,
			   VFS_MAY_READ | VFS_MAY_WRITE) == 0)
		return 0;
	return -EPERM;
}

VFS_EXPORT int vfs_linkat(struct vfs_task *task, int olddirfd,
			  const char *oldpath, int newdirfd,
			  const char *newpath, int flags)
{
	struct vfs_namespace_node old;
	struct vfs_nameidata nd;
	struct vfs_fs_node *node;
	struct vfs_file_system *fs;
	struct vfs_dir_entry *dir, *child, *e;
	unsigned int lflags = 0;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	/* flink(): naming an fd needs CAP_DAC_READ_SEARCH unless the fd was
	 * opened with the caller's very credentials (Linux 6.10+). */
	if ((flags & AT_EMPTY_PATH) && oldpath && !*oldpath &&
	    olddirfd != AT_FDCWD) {
		struct vfs_file *f;
		bool ok;

		err = vfs_task_file(task, olddirfd, &f);
		if (err)
			return err;
		ok = f->cred_id == task->cred_id ||
		     vfs_capable(task, CAP_DAC_READ_SEARCH);
		vfs_file_put(f);
		if (!ok)
			return -ENOENT;
	}
	if (flags & AT_SYMLINK_FOLLOW)
		lflags |= VFS_LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lflags |= VFS_LOOKUP_EMPTY;
	err = vfs_path_lookup(task, olddirfd, oldpath, lflags, &old);
	if (err)
		return err;

	err = filename_create(&nd, task, newdirfd, newpath, false);
	if (err)
		goto out;
	dir = nd.path.entry;
	err = -EXDEV;
	if (old.mount != nd.path.mount)
		goto out;
	node = old.entry->node;
	err = may_linkat(task, node);
	if (err)
		goto out;

	fs = dir->node->fs;
	pthread_mutex_lock(&fs->op_mutex);
	vfs_brlock_rdlock(&fs->tree_lock);
	child = vfs_dir_entry_find_locked(dir, nd.last, nd.last_len);
	vfs_brlock_rdunlock(&fs->tree_lock);
	err = -EEXIST;
	if (child)
		goto out_unlock;
	err = may_create(task, dir);
	if (err)
		goto out_unlock;
	err = -EPERM;
	if (vfs_fs_node_type(node) == S_IFDIR || !dir->node->ops->link)
		goto out_unlock;
	vfs_lock(&node->lock);
	err = node->attr.nlink == 0 && !(node->state & VFS_NODE_LINKABLE) ?
		-ENOENT : 0;
	vfs_unlock(&node->lock);
	if (err)
		goto out_unlock;
	err = dir->node->ops->link(dir->node, nd.last, nd.last_len, node);
	if (err)
		goto out_unlock;
	vfs_lock(&node->lock);
	node->state &= ~VFS_NODE_LINKABLE;
	vfs_unlock(&node->lock);
	vfs_fs_node_note_nlink(node);
	err = vfs_dir_entry_alloc(vfs_fs_node_get(node), nd.last, nd.last_len,
				  &e);
	if (err)
		goto out_unlock;
	vfs_brlock_wrlock(&fs->tree_lock);
	vfs_dir_entry_add_locked(dir, e);
	vfs_brlock_wrunlock(&fs->tree_lock);
	vfs_dir_entry_put(e);
out_unlock:
	pthread_mutex_unlock(&fs->op_mutex);
out:
	vfs_nd_done(&nd);
	vfs_namespace_node_put(old);
	return err;
}

/* --------------------------------------------------------------- delete */

/* Linux's may_delete(), op_mutex held. */
static int may_delete(struct vfs_task *task, struct vfs_dir_entry *dir,
		      struct vfs_dir_entry *victim, bool isdir)
{
	int err;

	err = vfs_permission(task, &task->cred, dir->node,
			     VFS_MAY_WRITE | VFS_MAY_EXEC);
	if (err)
		return err;
	err = vfs_may_delete_sticky(&task->cred, dir->node, victim->node);
	if (err)
		return err;
	if (isdir) {
		if (vfs_fs_node_type(victim->node) != S_IFDIR)
			return -ENOTDIR;
		if (!victim->parent)
			return -EBUSY;
	} else if (vfs_fs_node_type(victim->node) == S_IFDIR) {
		return -EISDIR;
	}
	if (vfs_dir_entry_dead(dir))
		return -ENOENT;
	return 0;
}

static int do_unlink(struct vfs_task *task, int dirfd, const char *path,
		     bool rmdir)
{
	struct vfs_nameidata nd;
	struct vfs_file_system *fs;
	struct vfs_dir_entry *dir, *victim = NULL, *pin = NULL;
	int err;

	err = vfs_nd_init(&nd, task, dirfd, path, 0);
	if (!err)
		err = vfs_nd_walk_parent(&nd, path);
	if (err)
		goto out;
	if (rmdir) {
		switch (nd.last_type) {
		case VFS_LAST_DOTDOT:
			err = -ENOTEMPTY;
			goto out;
		case VFS_LAST_DOT:
			err = -EINVAL;
			goto out;
		case VFS_LAST_ROOT:
			err = -EBUSY;
			goto out;
		case VFS_LAST_NORM:
			break;
		}
	} else if (nd.last_type != VFS_LAST_NORM) {
		err = -EISDIR;
		goto out;
	}
	err = vfs_mnt_want_write(nd.path.mount);
	if (err)
		goto out;
	dir = nd.path.entry;
	fs = dir->node->fs;
	pthread_mutex_lock(&fs->op_mutex);
	if (nd.last_len > NAME_MAX) {
		err = vfs_lookup_miss(nd.path.entry, nd.last_len);
		goto out_unlock;
	}
	vfs_brlock_rdlock(&fs->tree_lock);
	victim = vfs_dir_entry_find_locked(dir, nd.last, nd.last_len);
	vfs_brlock_rdunlock(&fs->tree_lock);
	err = -ENOENT;
	if (!victim)
		goto out_unlock;
	if (!rmdir && vfs_nd_trailing_slash(&nd)) {
		err = vfs_fs_node_type(victim->node) == S_IFDIR ? -EISDIR :
								  -ENOTDIR;
		goto out_unlock;
	}
	err = may_delete(task, dir, victim, rmdir);
	if (err)
		goto out_unlock;
	err = -EBUSY;
	if (vfs_mount_is_local_mountpoint(task->fs->ns, victim))
		goto out_unlock;
	if (rmdir) {
		err = -ENOTEMPTY;
		if ((fs->flags & VFS_FS_DCACHE_COMPLETE) && victim->children)
			goto out_unlock;
		err = -EPERM;
		if (!dir->node->ops->rmdir)
			goto out_unlock;
		err = dir->node->ops->rmdir(dir->node, nd.last, nd.last_len,
					    victim->node);
	} else {
		err = -EPERM;
		if (!dir->node->ops->unlink)
			goto out_unlock;
		err = dir->node->ops->unlink(dir->node, nd.last, nd.last_len,
					     victim->node);
	}
	if (err)
		goto out_unlock;
	vfs_brlock_wrlock(&fs->tree_lock);
	pin = vfs_dir_entry_kill_locked(victim);
	vfs_brlock_wrunlock(&fs->tree_lock);
out_unlock:
	pthread_mutex_unlock(&fs->op_mutex);
	/* Mounts on it in other namespaces go with it. */
	if (!err && victim) {
		vfs_fs_node_note_nlink(victim->node);
		vfs_mount_detach_mounts(task->kernel, victim);
	}
	vfs_dir_entry_put(pin);
out:
	vfs_nd_done(&nd);
	return err;
}

VFS_EXPORT int vfs_unlinkat(struct vfs_task *task, int dirfd, const char *path,
			    int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return do_unlink(task, dirfd, path, flags & AT_REMOVEDIR);
}

/* --------------------------------------------------------------- rename */

/* Is @anc a proper ancestor of @e?  Tree lock held. */
static bool is_ancestor_locked(struct vfs_dir_entry *anc,
			       struct vfs_dir_entry *e)
{
	for (e = e->parent; e; e = e->parent)
		if (e == anc)
			return true;
	return false;
}

struct rename_args {
	struct vfs_task *task;
	struct vfs_nameidata *from, *to;
	struct vfs_dir_entry *old_dir, *new_dir, *old, *new;
	unsigned int flags;
};

/* The checks of do_renameat2() after the lookups and of vfs_rename(),
 * op_mutex held.  Returns 1 for "same node: nothing to do". */
static int rename_checks(struct rename_args *r)
{
	struct vfs_file_system *fs = r->old_dir->node->fs;
	bool exchange = r->flags & RENAME_EXCHANGE;
	bool is_dir, new_is_dir = false;
	bool old_anc_new, new_anc_old;
	int err;

	if (!r->old)
		return -ENOENT;
	if ((r->flags & RENAME_NOREPLACE) && r->new)
		return -EEXIST;
	if (exchange) {
		if (!r->new)
			return -ENOENT;
		if (vfs_fs_node_type(r->new->node) != S_IFDIR &&
		    vfs_nd_trailing_slash(r->to))
			return -ENOTDIR;
	}
	is_dir = vfs_fs_node_type(r->old->node) == S_IFDIR;
	if (!is_dir) {
		if (vfs_nd_trailing_slash(r->from))
			return -ENOTDIR;
		if (!exchange && vfs_nd_trailing_slash(r->to))
			return -ENOTDIR;
	}
	/* lock_rename()'s trap: a source that is an ancestor of the target's
	 * directory, a target that is an ancestor of the source's. */
	vfs_brlock_rdlock(&fs->tree_lock);
	old_anc_new = r->old == r->new_dir ||
		      is_ancestor_locked(r->old, r->new_dir);
	new_anc_old = r->new && (r->new == r->old_dir ||
				 is_ancestor_locked(r->new, r->old_dir));
	vfs_brlock_rdunlock(&fs->tree_lock);
	if (r->old_dir != r->new_dir && old_anc_new)
		return -EINVAL;
	if (r->old_dir != r->new_dir && new_anc_old)
		return exchange ? -EINVAL : -ENOTEMPTY;

	if (r->new && r->old->node == r->new->node)
		return 1;
	err = may_delete(r->task, r->old_dir, r->old, is_dir);
	if (err)
		return err;
	if (!r->new) {
		err = may_create(r->task, r->new_dir);
	} else {
		new_is_dir = vfs_fs_node_type(r->new->node) == S_IFDIR;
		err = may_delete(r->task, r->new_dir, r->new,
				 exchange ? new_is_dir : is_dir);
	}
	if (err)
		return err;
	if (!r->old_dir->node->ops->rename)
		return -EPERM;
	if (r->new_dir != r->old_dir) {
		if (is_dir) {
			err = vfs_permission(r->task, &r->task->cred,
					     r->old->node, VFS_MAY_WRITE);
			if (err)
				return err;
		}
		if (exchange && new_is_dir) {
			err = vfs_permission(r->task, &r->task->cred,
					     r->new->node, VFS_MAY_WRITE);
			if (err)
				return err;
		}
	}
	if (vfs_mount_is_local_mountpoint(r->task->fs->ns, r->old) ||
	    (r->new && vfs_mount_is_local_mountpoint(r->task->fs->ns, r->new)))
		return -EBUSY;
	if (!exchange && r->new && new_is_dir &&
	    (fs->flags & VFS_FS_DCACHE_COMPLETE) && r->new->children)
		return -ENOTEMPTY;
	return 0;
}

VFS_EXPORT int vfs_renameat2(struct vfs_task *task, int olddirfd,
			     const char *oldpath, int newdirfd,
			     const char *newpath, unsigned int flags)
{
	struct vfs_nameidata from, to;
	struct rename_args r = { .task = task, .from = &from, .to = &to,
				 .flags = flags };
	struct vfs_file_system *fs;
	struct vfs_fs_node *whiteout = NULL;
	struct vfs_dir_entry *wentry = NULL, *pin = NULL, *old_parent = NULL;
	char *name_buf = NULL;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) &&
	    (flags & RENAME_EXCHANGE))
		return -EINVAL;

	err = vfs_nd_init(&from, task, olddirfd, oldpath, 0);
	if (!err)
		err = vfs_nd_walk_parent(&from, oldpath);
	if (err) {
		vfs_nd_done(&from);
		return err;
	}
	err = vfs_nd_init(&to, task, newdirfd, newpath, 0);
	if (!err)
		err = vfs_nd_walk_parent(&to, newpath);
	if (err)
		goto out;
	err = -EXDEV;
	if (from.path.mount != to.path.mount)
		goto out;
	err = -EBUSY;
	if (from.last_type != VFS_LAST_NORM)
		goto out;
	if (flags & RENAME_NOREPLACE)
		err = -EEXIST;
	if (to.last_type != VFS_LAST_NORM)
		goto out;
	err = vfs_mnt_want_write(from.path.mount);
	if (err)
		goto out;

	r.old_dir = from.path.entry;
	r.new_dir = to.path.entry;
	fs = r.old_dir->node->fs;
	pthread_mutex_lock(&fs->op_mutex);
	/* The source is looked up (ENAMETOOLONG, ENOENT) before the target. */
	if (from.last_len > NAME_MAX) {
		err = vfs_lookup_miss(from.path.entry, from.last_len);
		goto out_unlock;
	}
	vfs_brlock_rdlock(&fs->tree_lock);
	r.old = vfs_dir_entry_find_locked(r.old_dir, from.last, from.last_len);
	r.new = vfs_dir_entry_find_locked(r.new_dir, to.last, to.last_len);
	vfs_brlock_rdunlock(&fs->tree_lock);
	err = -ENOENT;
	if (!r.old)
		goto out_unlock;
	if (to.last_len > NAME_MAX) {
		err = vfs_lookup_miss(to.path.entry, to.last_len);
		goto out_unlock;
	}
	err = rename_checks(&r);
	if (err) {
		if (err == 1)
			err = 0;
		goto out_unlock;
	}
	if (!(flags & RENAME_EXCHANGE)) {
		err = vfs_dir_entry_name_prealloc(to.last_len, &name_buf);
		if (err)
			goto out_unlock;
	}
	err = r.old_dir->node->ops->rename(r.old_dir->node, from.last,
					   from.last_len, r.old->node,
					   r.new_dir->node, to.last, to.last_len,
					   r.new ? r.new->node : NULL, flags,
					   &whiteout);
	if (err) {
		free(name_buf);
		goto out_unlock;
	}
	/* The fs has moved the name: from here nothing may fail.  The
	 * whiteout is the caller's, as any node it makes (fs.h); an entry we
	 * cannot allocate for it leaves the rename intact, as the
	 * filesystem (tmpfs) holds no name of its own. */
	if (whiteout) {
		struct vfs_new_node nn;

		vfs_new_node_init(task, r.old_dir->node, S_IFCHR, 0, &nn);
		vfs_lock(&whiteout->lock);
		whiteout->attr.uid = nn.uid;
		whiteout->attr.gid = nn.gid;
		vfs_unlock(&whiteout->lock);
	}
	if (whiteout && vfs_dir_entry_alloc(whiteout, from.last, from.last_len,
					    &wentry))
		wentry = NULL;
	vfs_brlock_wrlock(&fs->tree_lock);
	if (flags & RENAME_EXCHANGE) {
		vfs_dir_entry_exchange_locked(r.old, r.new);
	} else {
		uint64_t cookie = 0;

		if (r.new) {
			cookie = r.new->cookie;
			pin = vfs_dir_entry_kill_locked(r.new);
		}
		vfs_dir_entry_move_locked(r.old, r.new_dir, to.last,
					  to.last_len, name_buf, cookie, wentry,
					  &old_parent);
	}
	vfs_brlock_wrunlock(&fs->tree_lock);
out_unlock:
	pthread_mutex_unlock(&fs->op_mutex);
	/* A name renamed over takes its mounts elsewhere with it. */
	if (!err && pin) {
		vfs_fs_node_note_nlink(r.new->node);
		vfs_mount_detach_mounts(task->kernel, r.new);
	}
	vfs_dir_entry_put(wentry);
	vfs_dir_entry_put(old_parent);
	vfs_dir_entry_put(pin);
out:
	vfs_nd_done(&to);
	vfs_nd_done(&from);
	return err;
}
