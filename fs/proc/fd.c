// SPDX-License-Identifier: MIT
/*
 * /proc/<pid>/fd and /proc/<pid>/fdinfo: one entry per open fd of the
 * task, named by its number.  fd/<fd> is a magic link (pid.c) whose mode
 * is Linux's: l, then r-x for an fd open for reading and -wx for writing
 * (rwx for both, --- for O_PATH); fdinfo/<fd> is a text file (pid.c).
 *
 * Access is Linux's: fd/ is dr-x------ and owned by the task (by root once
 * the task is not dumpable), so the permission check keeps other users
 * out, but never the task itself (proc_fd_permission); fdinfo/ is dr-xr-xr-x
 * but looking in it takes ptrace read access (proc_fdinfo_permission),
 * else EACCES.  Linux refuses opendir of another task's fdinfo/; here
 * the open succeeds and reading it fails with EACCES.
 *
 * Readdir positions are Linux's: fd N at 2 + N, each entry's next
 * position the following fd's, and past the last fd at the end.
 *
 * Locking: none of its own (see super.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* The mode bits of fd/<fd>, from the access mode of @fd as its fdinfo
 * text states it ("flags:\t0%o", as Linux prints f_flags). */
static int proc_fd_link_mode(struct vfs_task *t, int fd, mode_t *out_mode)
{
	static const char key[] = "\nflags:\t";
	unsigned long flags;
	char *text = NULL, *p;
	ssize_t len;

	len = vfs_task_show(t, VFS_SHOW_FDINFO, fd, &text);
	if (len < 0)
		return len == -EBADF ? -ENOENT : (int)len;
	p = memmem(text, (size_t)len, key, sizeof(key) - 1);
	if (!p) {
		free(text);
		return -EIO;
	}
	flags = strtoul(p + sizeof(key) - 1, NULL, 8);
	free(text);
	*out_mode = 0;
	if (flags & O_PATH)
		return 0;
	/* FMODE_READ and FMODE_WRITE as do_dentry_open() sets them. */
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		*out_mode = S_IRUSR | S_IXUSR;
		break;
	case O_WRONLY:
		*out_mode = S_IWUSR | S_IXUSR;
		break;
	case O_RDWR:
		*out_mode = S_IRUSR | S_IWUSR | S_IXUSR;
		break;
	default:
		break;
	}
	return 0;
}

/* fdinfo/ asks for ptrace read access (proc_fdinfo_permission). */
static int proc_fd_dir_task_get(struct vfs_fs_node *dir,
				struct vfs_task *viewer,
				struct vfs_task **out_task)
{
	struct proc_node *pn = proc_node_of(dir);
	int err;

	err = vfs_proc_task_get(dir, pn->pid, out_task);
	if (err)
		return err;
	if (pn->kind == PROC_FDINFO_DIR &&
	    !vfs_task_may_inspect(viewer, *out_task)) {
		vfs_task_put(*out_task);
		*out_task = NULL;
		return -EACCES;
	}
	return 0;
}

static int proc_fd_lookup(struct vfs_fs_node *dir, const char *name,
			  size_t len, struct vfs_task *task,
			  struct vfs_fs_node **out_node)
{
	struct proc_node *pn = proc_node_of(dir);
	struct proc_node_desc desc = {
		.pid = pn->pid,
		.nlink = 1,
	};
	struct vfs_task *t;
	int fd, err;

	*out_node = NULL;
	err = proc_fd_dir_task_get(dir, task, &t);
	if (err)
		return err;
	if (!vfs_proc_parse_id(name, len, &fd) || vfs_task_fd_next(t, fd) != fd) {
		err = -ENOENT;
		goto out_put;
	}
	desc.fd = fd;
	vfs_proc_task_owner(t, &desc.uid, &desc.gid);
	if (pn->kind == PROC_FD_DIR) {
		desc.kind = PROC_FD;
		err = proc_fd_link_mode(t, fd, &desc.mode);
		if (err)
			goto out_put;
		desc.mode |= S_IFLNK;
		/* proc_fd_instantiate() */
		desc.size = 64;
		desc.ops = &vfs_proc_magic_link_ops;
	} else {
		desc.kind = PROC_FDINFO;
		desc.mode = S_IFREG | 0444;
		desc.ops = &vfs_proc_text_ops;
	}
	desc.ino = proc_ino(desc.pid, desc.kind, fd);
	err = vfs_proc_node_new(vfs_fs_node_fs(dir), &desc, out_node);
out_put:
	vfs_task_put(t);
	return err;
}

static int proc_fd_readdir(struct vfs_fs_node *dir, struct vfs_task *task,
			   off_t *io_pos, vfs_filldir_fn fill, void *ctx)
{
	struct proc_node *pn = proc_node_of(dir);
	enum proc_kind kind = pn->kind == PROC_FD_DIR ? PROC_FD : PROC_FDINFO;
	unsigned char d_type = kind == PROC_FD ? DT_LNK : DT_REG;
	off_t pos = *io_pos < 2 ? 2 : *io_pos;
	struct vfs_task *t;
	int fd, next, err;

	err = proc_fd_dir_task_get(dir, task, &t);
	if (err)
		return err;
	for (fd = pos - 2 > INT32_MAX ? -1 : vfs_task_fd_next(t, (int)(pos - 2));
	     fd >= 0; fd = next) {
		char name[16];
		int n;

		next = vfs_task_fd_next(t, fd + 1);
		n = snprintf(name, sizeof(name), "%d", fd);
		if (!proc_fill(io_pos, 2 + (off_t)fd, fill, ctx, name,
			       (size_t)n, proc_ino(pn->pid, kind, fd), d_type,
			       next >= 0 ? 2 + (off_t)next : 3 + (off_t)fd))
			break;
	}
	vfs_task_put(t);
	return 0;
}

/* proc_fd_permission(): fd/ is dr-x------ and its owner's, but a task
 * may always look at its own. */
static int proc_fd_permission(struct vfs_fs_node *node, struct vfs_task *task,
			      const struct vfs_cred *cred, int mask)
{
	struct proc_node *pn = proc_node_of(node);
	int err = vfs_generic_permission(cred, node, mask);

	if (err && pn->kind == PROC_FD_DIR && vfs_task_id(task) == pn->pid)
		err = 0;
	return err;
}

static const struct vfs_node_ops proc_fd_dir_ops = {
	.lookup = proc_fd_lookup,
	.readdir = proc_fd_readdir,
	.setattr = vfs_proc_task_setattr,
	.permission = proc_fd_permission,
};

int vfs_proc_fd_dir_new(struct vfs_file_system *fs, struct vfs_task *task,
			enum proc_kind kind, struct vfs_fs_node **out_node)
{
	struct proc_node_desc desc = {
		.kind = kind,
		.pid = vfs_task_id(task),
		.nlink = 2,
		.ops = &proc_fd_dir_ops,
	};
	int fd;

	desc.ino = proc_ino(desc.pid, kind, 0);
	vfs_proc_task_owner(task, &desc.uid, &desc.gid);
	if (kind == PROC_FD_DIR) {
		desc.mode = S_IFDIR | 0500;
		/* proc_fd_getattr(): the size is the number of open fds. */
		for (fd = vfs_task_fd_next(task, 0); fd >= 0;
		     fd = vfs_task_fd_next(task, fd + 1))
			desc.size++;
	} else {
		desc.mode = S_IFDIR | 0555;
	}
	return vfs_proc_node_new(fs, &desc, out_node);
}
