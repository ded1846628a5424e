// SPDX-License-Identifier: MIT
/*
 * dup, dup2, dup3 and fcntl's descriptor and status-flag commands.
 * Locking: through the fd table only.
 */
#include "internal.h"

VFS_EXPORT int vfs_dup(struct vfs_task *task, int oldfd)
{
	struct vfs_file *f;
	int err = vfs_task_file(task, oldfd, &f);

	if (err)
		return err;
	return vfs_fd_table_install(task->files, f, false, 0, task->nofile);
}

VFS_EXPORT int vfs_dup3(struct vfs_task *task, int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return vfs_fd_table_replace(task->files, oldfd, newfd,
				    flags & O_CLOEXEC, task->nofile);
}

VFS_EXPORT int vfs_dup2(struct vfs_task *task, int oldfd, int newfd)
{
	if (oldfd == newfd) {
		struct vfs_file *f;
		int err = vfs_task_file(task, oldfd, &f);

		if (err)
			return err;
		vfs_file_put(f);
		return newfd;
	}
	return vfs_fd_table_replace(task->files, oldfd, newfd, false,
				    task->nofile);
}

VFS_EXPORT int vfs_fcntl(struct vfs_task *task, int fd, int cmd,
			 unsigned long arg)
{
	struct vfs_file *f;
	unsigned int flags;
	int err;

	err = vfs_task_file(task, fd, &f);
	if (err)
		return err;
	/* An O_PATH fd answers only these (check_fcntl_cmd()). */
	if ((f->fmode & VFS_FMODE_PATH) && cmd != F_DUPFD &&
	    cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD && cmd != F_SETFD &&
	    cmd != F_GETFL) {
		vfs_file_put(f);
		return -EBADF;
	}
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= task->nofile) {
			err = -EINVAL;
			break;
		}
		return vfs_fd_table_install(task->files, f,
					    cmd == F_DUPFD_CLOEXEC,
					    (unsigned int)arg, task->nofile);
	case F_GETFD:
		err = vfs_fd_table_get_cloexec(task->files, fd);
		if (err > 0)
			err = FD_CLOEXEC;
		break;
	case F_SETFD:
		err = vfs_fd_table_set_cloexec(task->files, fd,
					       arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		err = (int)atomic_load(&f->flags);
		break;
	case F_SETFL:
		/* Setting O_NOATIME (not keeping it) needs ownership. */
		flags = atomic_load(&f->flags);
		if ((arg & O_NOATIME) && !(flags & O_NOATIME) &&
		    !vfs_owner_or_capable(&task->cred, f->node)) {
			err = -EPERM;
			break;
		}
		while (!atomic_compare_exchange_weak(&f->flags, &flags,
			(flags & ~VFS_SETFL_MASK) | (arg & VFS_SETFL_MASK)))
			;
		err = 0;
		break;
	default:
		err = -EINVAL;
		break;
	}
	vfs_file_put(f);
	return err;
}
