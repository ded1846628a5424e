// SPDX-License-Identifier: MIT
/*
 * Attribute system calls: newfstatat, fstat, statx, fchmodat, fchmod,
 * fchownat, fchown, utimensat, faccessat2, statfs and fstatfs, with the
 * permission rules of Linux's setattr_prepare(), chown_ok(), chgrp_ok()
 * and do_faccessat().
 *
 * Locking: attribute reads and setattr take the node lock (fs_node.c).
 */
#include "internal.h"

#include <linux/capability.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

/* The kernel reports ST_VALID in f_flags; glibc keeps it to itself. */
#ifndef ST_VALID
#define ST_VALID 0x0020
#endif

int vfs_path_lookup_at(struct vfs_task *task, int dirfd, const char *path,
		       int at_flags, bool follow_default,
		       struct vfs_namespace_node *out)
{
	unsigned int lflags = 0;

	if (follow_default && !(at_flags & AT_SYMLINK_NOFOLLOW))
		lflags |= VFS_LOOKUP_FOLLOW;
	if (at_flags & AT_EMPTY_PATH)
		lflags |= VFS_LOOKUP_EMPTY;
	return vfs_path_lookup(task, dirfd, path, lflags, out);
}

/* A node named by (dirfd, path, flags), or by fd when @path is NULL. */
static int node_at(struct vfs_task *task, int dirfd, const char *path,
		   int at_flags, struct vfs_namespace_node *out)
{
	struct vfs_file *f;
	int err;

	if (path)
		return vfs_path_lookup_at(task, dirfd, path, at_flags, true, out);
	err = vfs_task_file(task, dirfd, &f);
	if (err)
		return err;
	*out = vfs_namespace_node_get(f->path);
	vfs_file_put(f);
	return 0;
}

/* The node of an fd opened for I/O whose mount takes writes (an O_PATH fd
 * is EBADF, as fdget(); then EROFS), for fchmod and fchown. */
static int fd_node(struct vfs_task *task, int fd, struct vfs_fs_node **out)
{
	struct vfs_file *f;
	int err = vfs_task_file(task, fd, &f);

	if (err)
		return err;
	err = (f->fmode & VFS_FMODE_PATH) ? -EBADF : 0;
	if (!err)
		err = vfs_mnt_want_write(f->path.mount);
	*out = err ? NULL : vfs_fs_node_get(f->node);
	vfs_file_put(f);
	return err;
}

/* ------------------------------------------------------------------ stat */

VFS_EXPORT int vfs_newfstatat(struct vfs_task *task, int dirfd,
			      const char *path, struct stat *statbuf, int flags)
{
	struct vfs_namespace_node nn;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	err = vfs_path_lookup_at(task, dirfd, path, flags, true, &nn);
	if (err)
		return err;
	vfs_fs_node_stat(nn.entry->node, statbuf);
	vfs_namespace_node_put(nn);
	return 0;
}

VFS_EXPORT int vfs_fstat(struct vfs_task *task, int fd, struct stat *statbuf)
{
	struct vfs_file *f;
	int err = vfs_task_file(task, fd, &f);

	if (err)
		return err;
	vfs_fs_node_stat(f->node, statbuf);
	vfs_file_put(f);
	return 0;
}

static void ts_to_statx(struct statx_timestamp *out, const struct timespec *ts)
{
	out->tv_sec = ts->tv_sec;
	out->tv_nsec = (uint32_t)ts->tv_nsec;
}

VFS_EXPORT int vfs_statx(struct vfs_task *task, int dirfd, const char *path,
			 int flags, unsigned int mask, struct statx *stx)
{
	struct vfs_namespace_node nn;
	struct vfs_fs_node *node;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	err = node_at(task, dirfd, path, flags, &nn);
	if (err)
		return err;
	node = nn.entry->node;
	memset(stx, 0, sizeof(*stx));
	vfs_lock(&node->lock);
	stx->stx_mask = STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID;
	stx->stx_blksize = 4096;
	stx->stx_nlink = node->attr.nlink;
	stx->stx_uid = node->attr.uid;
	stx->stx_gid = node->attr.gid;
	stx->stx_mode = (uint16_t)node->attr.mode;
	stx->stx_ino = node->attr.ino;
	stx->stx_size = (uint64_t)node->attr.size;
	stx->stx_blocks = node->attr.blocks;
	stx->stx_attributes_mask = STATX_ATTR_APPEND | STATX_ATTR_IMMUTABLE |
				   STATX_ATTR_NODUMP | STATX_ATTR_MOUNT_ROOT;
	ts_to_statx(&stx->stx_atime, &node->attr.atime);
	ts_to_statx(&stx->stx_btime, &node->attr.btime);
	ts_to_statx(&stx->stx_ctime, &node->attr.ctime);
	ts_to_statx(&stx->stx_mtime, &node->attr.mtime);
	stx->stx_rdev_major = major(node->attr.rdev);
	stx->stx_rdev_minor = minor(node->attr.rdev);
	vfs_unlock(&node->lock);
	/* Multigrain timestamps (Linux 6.13+ tmpfs): c/mtime are reported
	 * only when one of them was asked for. */
	if ((node->fs->flags & VFS_FS_MGTIME) &&
	    !(mask & (STATX_CTIME | STATX_MTIME))) {
		stx->stx_mask &= ~(STATX_CTIME | STATX_MTIME);
		memset(&stx->stx_ctime, 0, sizeof(stx->stx_ctime));
		memset(&stx->stx_mtime, 0, sizeof(stx->stx_mtime));
	}
	stx->stx_dev_major = major(node->fs->dev);
	stx->stx_dev_minor = minor(node->fs->dev);
	stx->stx_mnt_id = (uint64_t)nn.mount->id;
	if (nn.entry == nn.mount->root)
		stx->stx_attributes |= STATX_ATTR_MOUNT_ROOT;
	vfs_namespace_node_put(nn);
	return 0;
}

/* ----------------------------------------------------------------- chmod */

static bool in_group_or_capable(struct vfs_task *task, gid_t gid)
{
	return vfs_cred_in_group(&task->cred, gid) ||
	       vfs_capable(task, CAP_FSETID);
}

static int chmod_common(struct vfs_task *task, struct vfs_fs_node *node,
			mode_t mode)
{
	struct vfs_setattr sa = { .valid = VFS_ATTR_MODE | VFS_ATTR_CTIME };
	int err;

	if (vfs_fs_node_type(node) == S_IFLNK)
		return -EOPNOTSUPP;
	if (!vfs_owner_or_capable(&task->cred, node))
		return -EPERM;
	if (!node->ops->setattr)
		return -EPERM;
	vfs_fs_time_now(&sa.ctime);
	vfs_lock(&node->lock);
	sa.mode = (mode & 07777) | (node->attr.mode & S_IFMT);
	if (!in_group_or_capable(task, node->attr.gid))
		sa.mode &= ~S_ISGID;
	err = node->ops->setattr(node, &sa);
	vfs_unlock(&node->lock);
	return err;
}

VFS_EXPORT int vfs_fchmodat(struct vfs_task *task, int dirfd, const char *path,
			    mode_t mode, int flags)
{
	struct vfs_namespace_node nn;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = vfs_path_lookup_at(task, dirfd, path, flags, true, &nn);
	if (err)
		return err;
	err = vfs_mnt_want_write(nn.mount);
	if (!err)
		err = chmod_common(task, nn.entry->node, mode);
	vfs_namespace_node_put(nn);
	return err;
}

VFS_EXPORT int vfs_fchmod(struct vfs_task *task, int fd, mode_t mode)
{
	struct vfs_fs_node *node;
	int err = fd_node(task, fd, &node);

	if (err)
		return err;
	err = chmod_common(task, node, mode);
	vfs_fs_node_put(node);
	return err;
}

/* ----------------------------------------------------------------- chown */

static int chown_common(struct vfs_task *task, struct vfs_fs_node *node,
			uid_t uid, gid_t gid)
{
	struct vfs_setattr sa = { .valid = VFS_ATTR_CTIME };
	const struct vfs_cred *c = &task->cred;
	bool chown_cap = vfs_capable(task, CAP_CHOWN);
	mode_t mode;
	int err;

	if (!node->ops->setattr)
		return -EPERM;
	vfs_fs_time_now(&sa.ctime);
	vfs_lock(&node->lock);
	mode = node->attr.mode;
	err = -EPERM;
	if (uid != (uid_t)-1) {
		if (!(node->attr.uid == c->euid && uid == node->attr.uid) &&
		    !chown_cap)
			goto out_unlock;
		sa.valid |= VFS_ATTR_UID;
		sa.uid = uid;
	}
	if (gid != (gid_t)-1) {
		bool owner = node->attr.uid == c->euid;

		if (!(owner && (gid == node->attr.gid ||
				vfs_cred_in_group(c, gid))) && !chown_cap)
			goto out_unlock;
		sa.valid |= VFS_ATTR_GID;
		sa.gid = gid;
	}
	if (!S_ISDIR(mode)) {
		mode_t kill = mode & S_ISUID;

		/* setattr_should_drop_sgid() */
		if ((mode & S_ISGID) &&
		    ((mode & S_IXGRP) ||
		     !in_group_or_capable(task, node->attr.gid)))
			kill |= S_ISGID;
		if (kill) {
			sa.valid |= VFS_ATTR_MODE;
			sa.mode = mode & ~kill;
		}
	}
	/* Dropping setuid/setgid is a mode change: setattr_prepare() wants
	 * the owner (or CAP_FOWNER) for it, even on chown(-1, -1). */
	err = -EPERM;
	if ((sa.valid & VFS_ATTR_MODE) && node->attr.uid != c->euid &&
	    !vfs_capable(task, CAP_FOWNER))
		goto out_unlock;
	err = node->ops->setattr(node, &sa);
out_unlock:
	vfs_unlock(&node->lock);
	return err;
}

VFS_EXPORT int vfs_fchownat(struct vfs_task *task, int dirfd, const char *path,
			    uid_t owner, gid_t group, int flags)
{
	struct vfs_namespace_node nn;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = vfs_path_lookup_at(task, dirfd, path, flags, true, &nn);
	if (err)
		return err;
	err = vfs_mnt_want_write(nn.mount);
	if (!err)
		err = chown_common(task, nn.entry->node, owner, group);
	vfs_namespace_node_put(nn);
	return err;
}

VFS_EXPORT int vfs_fchown(struct vfs_task *task, int fd, uid_t owner,
			  gid_t group)
{
	struct vfs_fs_node *node;
	int err = fd_node(task, fd, &node);

	if (err)
		return err;
	err = chown_common(task, node, owner, group);
	vfs_fs_node_put(node);
	return err;
}

/* ------------------------------------------------------------- utimensat */

static bool nsec_valid(long nsec)
{
	if (nsec == UTIME_OMIT || nsec == UTIME_NOW)
		return true;
	return nsec >= 0 && nsec <= 999999999;
}

VFS_EXPORT int vfs_utimensat(struct vfs_task *task, int dirfd, const char *path,
			     const struct timespec times[2], int flags)
{
	struct vfs_setattr sa = {
		.valid = VFS_ATTR_ATIME | VFS_ATTR_MTIME | VFS_ATTR_CTIME,
	};
	struct vfs_namespace_node nn;
	struct vfs_fs_node *node;
	struct timespec now;
	bool explicit = false;
	int err;

	if (times && times[0].tv_nsec == UTIME_NOW &&
	    times[1].tv_nsec == UTIME_NOW)
		times = NULL;
	if (!path && dirfd != AT_FDCWD) {
		/* futimens(): the fd itself, no flags, never O_PATH. */
		struct vfs_file *f;

		if (flags)
			return -EINVAL;
		err = vfs_task_file(task, dirfd, &f);
		if (err)
			return err;
		if (f->fmode & VFS_FMODE_PATH) {
			vfs_file_put(f);
			return -EBADF;
		}
		nn = vfs_namespace_node_get(f->path);
		vfs_file_put(f);
	} else {
		if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
			return -EINVAL;
		if (!path)
			return -EFAULT;
		err = vfs_path_lookup_at(task, dirfd, path, flags, true, &nn);
		if (err)
			return err;
	}
	node = nn.entry->node;
	err = -EINVAL;
	if (times && (!nsec_valid(times[0].tv_nsec) ||
		      !nsec_valid(times[1].tv_nsec)))
		goto out;
	err = vfs_mnt_want_write(nn.mount);
	if (err)
		goto out;
	if (times && times[0].tv_nsec == UTIME_OMIT &&
	    times[1].tv_nsec == UTIME_OMIT)
		goto out;
	vfs_fs_time_now(&now);
	sa.atime = sa.mtime = sa.ctime = now;
	if (times) {
		explicit = true;
		if (times[0].tv_nsec == UTIME_OMIT)
			sa.valid &= ~VFS_ATTR_ATIME;
		else if (times[0].tv_nsec != UTIME_NOW)
			sa.atime = times[0];
		if (times[1].tv_nsec == UTIME_OMIT)
			sa.valid &= ~VFS_ATTR_MTIME;
		else if (times[1].tv_nsec != UTIME_NOW)
			sa.mtime = times[1];
	}
	if (!vfs_owner_or_capable(&task->cred, node)) {
		err = -EPERM;
		if (explicit)
			goto out;
		err = vfs_permission(task, &task->cred, node, VFS_MAY_WRITE);
		if (err)
			goto out;
	}
	err = vfs_fs_node_setattr(node, &sa);
out:
	vfs_namespace_node_put(nn);
	return err;
}

/* ------------------------------------------------------------ faccessat2 */

VFS_EXPORT int vfs_faccessat2(struct vfs_task *task, int dirfd,
			      const char *path, int mode, int flags)
{
	struct vfs_namespace_node nn;
	struct vfs_cred saved = task->cred;
	struct vfs_task *t = task;
	struct vfs_task access_task;
	int err, mask = 0;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!(flags & AT_EACCESS)) {
		/* access_override_creds(): real ids; capabilities only for
		 * a real root. */
		access_task = *task;
		access_task.cred.euid = saved.uid;
		access_task.cred.egid = saved.gid;
		if (saved.uid != 0)
			access_task.cred.caps = 0;
		t = &access_task;
	}
	err = vfs_path_lookup_at(t, dirfd, path, flags, true, &nn);
	if (err)
		return err;
	if (mode & R_OK)
		mask |= VFS_MAY_READ;
	if (mode & W_OK)
		mask |= VFS_MAY_WRITE;
	if (mode & X_OK)
		mask |= VFS_MAY_EXEC;
	err = 0;
	if ((mode & X_OK) && vfs_fs_node_type(nn.entry->node) == S_IFREG &&
	    (atomic_load(&nn.mount->mnt_flags) & MS_NOEXEC))
		err = -EACCES;
	if (!err)
		err = vfs_permission(t, &t->cred, nn.entry->node, mask);
	/* SuS: a read-only file system is reported for W_OK too. */
	if (!err && (mode & W_OK)) {
		mode_t type = vfs_fs_node_type(nn.entry->node);

		if (type == S_IFREG || type == S_IFDIR || type == S_IFLNK)
			err = vfs_mnt_want_write(nn.mount);
	}
	vfs_namespace_node_put(nn);
	return err;
}

/* ---------------------------------------------------------------- statfs */

static int statfs_node(struct vfs_namespace_node nn, struct statfs *buf)
{
	struct vfs_file_system *fs = nn.entry->node->fs;
	int mf = atomic_load(&nn.mount->mnt_flags);
	int err = 0;

	memset(buf, 0, sizeof(*buf));
	if (fs->ops && fs->ops->statfs)
		err = fs->ops->statfs(fs, buf);
	if (err)
		return err;
	if (!buf->f_frsize)
		buf->f_frsize = buf->f_bsize;
	buf->f_fsid.__val[0] = (int)fs->dev;
	buf->f_flags = ST_VALID;
	if ((mf & MS_RDONLY) || (atomic_load(&fs->mount_flags) & MS_RDONLY))
		buf->f_flags |= ST_RDONLY;
	if (mf & MS_NOSUID)
		buf->f_flags |= ST_NOSUID;
	if (mf & MS_NODEV)
		buf->f_flags |= ST_NODEV;
	if (mf & MS_NOEXEC)
		buf->f_flags |= ST_NOEXEC;
	if (mf & MS_NOATIME)
		buf->f_flags |= ST_NOATIME;
	if (mf & MS_NODIRATIME)
		buf->f_flags |= ST_NODIRATIME;
	if (mf & MS_RELATIME)
		buf->f_flags |= ST_RELATIME;
	return 0;
}

VFS_EXPORT int vfs_statfs(struct vfs_task *task, const char *path,
			  struct statfs *buf)
{
	struct vfs_namespace_node nn;
	int err;

	err = vfs_path_lookup(task, AT_FDCWD, path, VFS_LOOKUP_FOLLOW, &nn);
	if (err)
		return err;
	err = statfs_node(nn, buf);
	vfs_namespace_node_put(nn);
	return err;
}

VFS_EXPORT int vfs_fstatfs(struct vfs_task *task, int fd, struct statfs *buf)
{
	struct vfs_file *f;
	int err = vfs_task_file(task, fd, &f);

	if (err)
		return err;
	err = statfs_node(f->path, buf);
	vfs_file_put(f);
	return err;
}
