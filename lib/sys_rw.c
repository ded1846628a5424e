// SPDX-License-Identifier: MIT
/*
 * Data system calls: read, write, pread64, pwrite64, readv, writev, lseek,
 * truncate, ftruncate, fallocate, fsync and fdatasync, with Linux's checks
 * (fs/read_write.c, fs/open.c) in Linux's order.
 *
 * Locking: a call that uses the file offset takes the file's pos_lock
 * first, then the node lock around each filesystem op.  Order: pos_lock,
 * node lock.
 */
#include "internal.h"

#include <limits.h>
#include <linux/capability.h>
#include <linux/falloc.h>
#include <sys/uio.h>

/* Linux's MAX_RW_COUNT: one call moves at most INT_MAX rounded to pages. */
#define VFS_MAX_RW_COUNT ((size_t)(INT_MAX & ~4095))
#define VFS_IOV_MAX 1024

/* ------------------------------------------------------------ privileges */

/* file_remove_privs(): a write or truncate by someone without CAP_FSETID
 * clears setuid, and setgid when group-executable (or the group is not
 * the writer's).  Node lock held. */
static void kill_suid_locked(struct vfs_task *task, struct vfs_fs_node *node,
			     struct vfs_setattr *sa)
{
	mode_t mode = node->attr.mode;
	mode_t kill = 0;

	if (!S_ISREG(mode) || vfs_capable(task, CAP_FSETID))
		return;
	if (mode & S_ISUID)
		kill |= S_ISUID;
	if ((mode & S_ISGID) &&
	    ((mode & S_IXGRP) || !vfs_cred_in_group(&task->cred, node->attr.gid)))
		kill |= S_ISGID;
	if (kill) {
		sa->valid |= VFS_ATTR_MODE;
		sa->mode = mode & ~kill;
	}
}

/* file_remove_privs() before a write or fallocate; node lock held. */
static int remove_privs_locked(struct vfs_task *task, struct vfs_fs_node *node)
{
	struct vfs_setattr sa = { 0 };

	kill_suid_locked(task, node, &sa);
	if (!sa.valid || !node->ops->setattr)
		return 0;
	sa.valid |= VFS_ATTR_CTIME;
	vfs_fs_time_now(&sa.ctime);
	return node->ops->setattr(node, &sa);
}

int vfs_do_truncate(struct vfs_task *task, struct vfs_fs_node *node,
		    off_t length, bool times)
{
	struct vfs_setattr sa = { .valid = VFS_ATTR_SIZE, .size = length };
	int err;

	if (length < 0)
		return -EINVAL;
	if (!node->ops->setattr)
		return -EPERM;
	if (times) {
		sa.valid |= VFS_ATTR_MTIME | VFS_ATTR_CTIME;
		vfs_fs_time_now(&sa.mtime);
		sa.ctime = sa.mtime;
	}
	vfs_lock(&node->lock);
	kill_suid_locked(task, node, &sa);
	if ((sa.valid & VFS_ATTR_MODE) && !(sa.valid & VFS_ATTR_CTIME)) {
		sa.valid |= VFS_ATTR_CTIME;
		vfs_fs_time_now(&sa.ctime);
	}
	err = node->ops->setattr(node, &sa);
	vfs_unlock(&node->lock);
	return err;
}

/* --------------------------------------------------------------- helpers */

/* A file for I/O: never an O_PATH file, and opened for @need (a
 * VFS_FMODE_* mask, 0 for any mode); else EBADF. */
static int rw_file(struct vfs_task *task, int fd, unsigned int need,
		   struct vfs_file **out_file)
{
	struct vfs_file *f;
	int err = vfs_task_file(task, fd, &f);

	if (err)
		return err;
	if ((f->fmode & VFS_FMODE_PATH) || (need && !(f->fmode & need))) {
		vfs_file_put(f);
		return -EBADF;
	}
	*out_file = f;
	return 0;
}

static ssize_t node_read(struct vfs_file *f, void *buf, size_t count,
			 off_t pos)
{
	struct vfs_fs_node *node = f->node;
	ssize_t r;

	/* rw_verify_area() before the read op (EISDIR for directories). */
	if (count > VFS_MAX_RW_COUNT)
		count = VFS_MAX_RW_COUNT;
	if (pos < 0 || (off_t)((uint64_t)pos + count) < 0)
		return -EINVAL;
	if (vfs_fs_node_type(node) == S_IFDIR)
		return -EISDIR;
	if (count == 0)
		return 0;
	if (!node->ops->read)
		return -EINVAL;
	vfs_lock(&node->lock);
	r = node->ops->read(node, f->priv, buf, count, pos);
	vfs_unlock(&node->lock);
	return r;
}

/* Writes at *pos (or at the end for O_APPEND, moving *pos there). */
static ssize_t node_write(struct vfs_task *task, struct vfs_file *f,
			  const void *buf, size_t count, off_t *pos,
			  bool append)
{
	struct vfs_fs_node *node = f->node;
	ssize_t r;

	if (count > VFS_MAX_RW_COUNT)
		count = VFS_MAX_RW_COUNT;
	/* rw_verify_area(): a negative or wrapping range at the position
	 * the call names (before O_APPEND moves it). */
	if (*pos < 0 || (off_t)((uint64_t)*pos + count) < 0)
		return -EINVAL;
	if (!node->ops->write)
		return -EINVAL;
	if (count == 0)
		return 0;
	vfs_lock(&node->lock);
	if (append)
		*pos = node->attr.size;
	if (*pos > LLONG_MAX - (off_t)count) {
		if (*pos == LLONG_MAX) {
			vfs_unlock(&node->lock);
			return -EFBIG;
		}
		count = (size_t)(LLONG_MAX - *pos);
	}
	r = remove_privs_locked(task, node);
	if (!r)
		r = node->ops->write(node, f->priv, buf, count, *pos);
	vfs_unlock(&node->lock);
	return r;
}

/* ------------------------------------------------------------ read/write */

/* The file of a read or write: positioned I/O on a pipe is ESPIPE (Linux
 * checks FMODE_PREAD first), then the fd must be open for @need. */
static int rw_file_io(struct vfs_task *task, int fd, bool positioned,
		      unsigned int need, struct vfs_file **out_file)
{
	struct vfs_file *f;
	int err = rw_file(task, fd, 0, &f);

	if (err)
		return err;
	if (positioned && f->pipe)
		err = -ESPIPE;
	else if (!(f->fmode & need))
		err = -EBADF;
	if (err) {
		vfs_file_put(f);
		return err;
	}
	*out_file = f;
	return 0;
}

static ssize_t do_read(struct vfs_task *task, int fd, const struct iovec *iov,
		       int iovcnt, off_t *ppos)
{
	struct vfs_file *f;
	ssize_t total = 0, r = 0;
	off_t pos;
	int err;

	err = rw_file_io(task, fd, ppos != NULL, VFS_FMODE_READ, &f);
	if (err)
		return err;
	if (f->pipe) {
		bool nonblock = atomic_load(&f->flags) & O_NONBLOCK;

		for (int i = 0; i < iovcnt; i++) {
			r = vfs_pipe_read(f->pipe, iov[i].iov_base,
					  iov[i].iov_len, nonblock, i == 0);
			if (r <= 0)
				break;
			total += r;
			if ((size_t)r < iov[i].iov_len)
				break;
		}
		if (total > 0)
			vfs_file_accessed(f);
		vfs_file_put(f);
		return total ? total : r;
	}
	if (!ppos)
		vfs_lock(&f->pos_lock);
	pos = ppos ? *ppos : f->pos;
	for (int i = 0; i < iovcnt; i++) {
		r = node_read(f, iov[i].iov_base, iov[i].iov_len, pos);
		if (r < 0)
			break;
		total += r;
		pos += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	if (!ppos) {
		f->pos = pos;
		vfs_unlock(&f->pos_lock);
	}
	/* shmem_file_read_iter() touches atime for any read that did not
	 * fail: end of file and zero-length reads included. */
	if (r >= 0)
		vfs_file_accessed(f);
	vfs_file_put(f);
	return total ? total : r;
}

static ssize_t do_write(struct vfs_task *task, int fd, const struct iovec *iov,
			int iovcnt, off_t *ppos)
{
	struct vfs_file *f;
	ssize_t total = 0, r = 0;
	bool append;
	off_t pos;
	int err;

	err = rw_file_io(task, fd, ppos != NULL, VFS_FMODE_WRITE, &f);
	if (err)
		return err;
	if (f->pipe) {
		bool nonblock = atomic_load(&f->flags) & O_NONBLOCK;

		for (int i = 0; i < iovcnt; i++) {
			r = vfs_pipe_write(f->pipe, iov[i].iov_base,
					   iov[i].iov_len, nonblock);
			if (r < 0)
				break;
			total += r;
			if ((size_t)r < iov[i].iov_len)
				break;
		}
		vfs_file_put(f);
		return total ? total : r;
	}
	append = atomic_load(&f->flags) & O_APPEND;
	if (!ppos)
		vfs_lock(&f->pos_lock);
	pos = ppos ? *ppos : f->pos;
	/* pwrite on an O_APPEND file appends too (Linux's documented bug). */
	for (int i = 0; i < iovcnt; i++) {
		off_t at = pos;

		/* A failed write leaves the offset where it was, even when
		 * O_APPEND had moved it to the end. */
		r = node_write(task, f, iov[i].iov_base, iov[i].iov_len, &at,
			       append);
		if (r < 0)
			break;
		total += r;
		pos = at + r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	if (!ppos) {
		f->pos = pos;
		vfs_unlock(&f->pos_lock);
	}
	vfs_file_put(f);
	return total ? total : r;
}

static int check_iov(const struct iovec *iov, int iovcnt)
{
	size_t total = 0;

	if (iovcnt < 0 || iovcnt > VFS_IOV_MAX)
		return -EINVAL;
	if (iovcnt && !iov)
		return -EFAULT;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > (size_t)SSIZE_MAX - total)
			return -EINVAL;
		total += iov[i].iov_len;
	}
	return 0;
}

VFS_EXPORT ssize_t vfs_read(struct vfs_task *task, int fd, void *buf,
			    size_t count)
{
	struct iovec iov = { buf, count };

	return do_read(task, fd, &iov, 1, NULL);
}

VFS_EXPORT ssize_t vfs_write(struct vfs_task *task, int fd, const void *buf,
			     size_t count)
{
	struct iovec iov = { (void *)buf, count };

	return do_write(task, fd, &iov, 1, NULL);
}

VFS_EXPORT ssize_t vfs_pread64(struct vfs_task *task, int fd, void *buf,
			       size_t count, off_t offset)
{
	struct iovec iov = { buf, count };

	if (offset < 0)
		return -EINVAL;
	return do_read(task, fd, &iov, 1, &offset);
}

VFS_EXPORT ssize_t vfs_pwrite64(struct vfs_task *task, int fd,
				const void *buf, size_t count, off_t offset)
{
	struct iovec iov = { (void *)buf, count };

	if (offset < 0)
		return -EINVAL;
	return do_write(task, fd, &iov, 1, &offset);
}

VFS_EXPORT ssize_t vfs_readv(struct vfs_task *task, int fd,
			     const struct iovec *iov, int iovcnt)
{
	int err = check_iov(iov, iovcnt);

	if (err)
		return err;
	return do_read(task, fd, iov, iovcnt, NULL);
}

VFS_EXPORT ssize_t vfs_writev(struct vfs_task *task, int fd,
			      const struct iovec *iov, int iovcnt)
{
	int err = check_iov(iov, iovcnt);

	if (err)
		return err;
	return do_write(task, fd, iov, iovcnt, NULL);
}

/* ----------------------------------------------------------------- lseek */

VFS_EXPORT off_t vfs_lseek(struct vfs_task *task, int fd, off_t offset,
			   int whence)
{
	struct vfs_file *f;
	struct vfs_fs_node *node;
	off_t pos, size;
	int err;

	err = rw_file(task, fd, 0, &f);
	if (err)
		return err;
	node = f->node;
	if (whence < SEEK_SET || whence > SEEK_HOLE) {
		vfs_file_put(f);
		return -EINVAL;
	}
	if (f->pipe) {
		vfs_file_put(f);
		return -ESPIPE;
	}
	vfs_lock(&f->pos_lock);
	if (vfs_fs_node_type(node) == S_IFDIR) {
		/* offset_dir_llseek: SEEK_SET and SEEK_CUR only. */
		pos = -EINVAL;
		if (whence == SEEK_CUR)
			offset += f->pos;
		if ((whence == SEEK_SET || whence == SEEK_CUR) && offset >= 0) {
			pos = offset;
			if (pos != f->pos) {
				vfs_dir_entry_put(f->dir_next);
				f->dir_next = NULL;
			}
			f->pos = pos;
		}
		goto out_unlock;
	}
	vfs_lock(&node->lock);
	size = node->attr.size;
	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(f->pos, offset, &pos))
			pos = -1;
		break;
	case SEEK_END:
		if (__builtin_add_overflow(size, offset, &pos))
			pos = -1;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (offset < 0 || offset >= size) {
			pos = -ENXIO;
			goto out_node;
		}
		if (node->ops->seek_data)
			pos = node->ops->seek_data(node, offset, whence);
		else
			pos = whence == SEEK_DATA ? offset : size;
		/* Linux's mapping_seek_hole_data() overflows past the last
		 * possible page and never reports data in it. */
		if (whence == SEEK_DATA && pos >= (LLONG_MAX & ~(off_t)4095))
			pos = -ENXIO;
		if (pos < 0)
			goto out_node;
		break;
	default:
		pos = -EINVAL;
		goto out_node;
	}
	if (pos < 0)
		pos = -EINVAL;
	else
		f->pos = pos;
out_node:
	vfs_unlock(&node->lock);
out_unlock:
	vfs_unlock(&f->pos_lock);
	vfs_file_put(f);
	return pos;
}

/* -------------------------------------------------------------- truncate */

VFS_EXPORT int vfs_truncate(struct vfs_task *task, const char *path,
			    off_t length)
{
	struct vfs_namespace_node nn;
	struct vfs_fs_node *node;
	int err;

	if (length < 0)
		return -EINVAL;
	err = vfs_path_lookup(task, AT_FDCWD, path, VFS_LOOKUP_FOLLOW, &nn);
	if (err)
		return err;
	node = nn.entry->node;
	/* vfs_truncate() (Linux 6.13+): the permission check, a read-only
	 * file system's EROFS included, before a read-only mount's. */
	if (vfs_fs_node_type(node) == S_IFDIR)
		err = -EISDIR;
	else if (vfs_fs_node_type(node) != S_IFREG)
		err = -EINVAL;
	else
		err = vfs_permission(task, &task->cred, node, VFS_MAY_WRITE);
	if (!err)
		err = vfs_mnt_want_write(nn.mount);
	if (!err)
		err = vfs_do_truncate(task, node, length, false);
	vfs_namespace_node_put(nn);
	return err;
}

VFS_EXPORT int vfs_ftruncate(struct vfs_task *task, int fd, off_t length)
{
	struct vfs_file *f;
	int err;

	if (length < 0)
		return -EINVAL;
	err = rw_file(task, fd, 0, &f);
	if (err)
		return err;
	if (vfs_fs_node_type(f->node) != S_IFREG ||
	    !(f->fmode & VFS_FMODE_WRITE))
		err = -EINVAL;
	else
		err = vfs_do_truncate(task, f->node, length, true);
	vfs_file_put(f);
	return err;
}

/* ------------------------------------------------------------- fallocate */

VFS_EXPORT int vfs_fallocate(struct vfs_task *task, int fd, int mode,
			     off_t offset, off_t len)
{
	const int supported = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE |
			      FALLOC_FL_NO_HIDE_STALE | FALLOC_FL_COLLAPSE_RANGE |
			      FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE |
			      FALLOC_FL_UNSHARE_RANGE;
	struct vfs_fs_node *node;
	struct vfs_file *f;
	off_t end;
	int err;

	err = rw_file(task, fd, 0, &f);
	if (err)
		return err;
	err = -EINVAL;
	if (offset < 0 || len <= 0)
		goto out;
	err = -EOPNOTSUPP;
	if (mode & ~supported)
		goto out;
	if ((mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) ==
	    (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))
		goto out;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		goto out;
	err = -EINVAL;
	if ((mode & (FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE)) &&
	    (mode & ~(FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE)))
		goto out;
	if ((mode & FALLOC_FL_ZERO_RANGE) &&
	    (mode & ~(FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE)))
		goto out;
	node = f->node;
	err = -EBADF;
	if (!(f->fmode & VFS_FMODE_WRITE))
		goto out;
	err = -ESPIPE;
	if (vfs_fs_node_type(node) == S_IFIFO)
		goto out;
	err = -EISDIR;
	if (vfs_fs_node_type(node) == S_IFDIR)
		goto out;
	err = -ENODEV;
	if (vfs_fs_node_type(node) != S_IFREG)
		goto out;
	err = -EFBIG;
	if (__builtin_add_overflow(offset, len, &end))
		goto out;
	err = -EOPNOTSUPP;
	if (!node->ops->fallocate ||
	    (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)))
		goto out;
	vfs_lock(&node->lock);
	/* file_modified() once it succeeded: setuid/setgid go as on a
	 * write. */
	err = node->ops->fallocate(node, mode, offset, len);
	if (!err)
		err = remove_privs_locked(task, node);
	vfs_unlock(&node->lock);
out:
	vfs_file_put(f);
	return err;
}

/* ----------------------------------------------------------------- fsync */

static int do_fsync(struct vfs_task *task, int fd, int datasync)
{
	struct vfs_fs_node *node;
	struct vfs_file *f;
	int err;

	err = rw_file(task, fd, 0, &f);
	if (err)
		return err;
	node = f->node;
	if (node->ops->fsync) {
		vfs_lock(&node->lock);
		err = node->ops->fsync(node, datasync);
		vfs_unlock(&node->lock);
	}
	vfs_file_put(f);
	return err;
}

VFS_EXPORT int vfs_fsync(struct vfs_task *task, int fd)
{
	return do_fsync(task, fd, 0);
}

VFS_EXPORT int vfs_fdatasync(struct vfs_task *task, int fd)
{
	return do_fsync(task, fd, 1);
}
