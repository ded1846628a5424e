// SPDX-License-Identifier: MIT
/*
 * /proc itself: its lookup and readdir, which show one directory per live
 * task the caller can see (a task in the caller's mount namespace), and
 * its three links: "self" and "thread-self", whose targets depend on who
 * reads them, and "mounts", a plain symlink to "self/mounts".
 *
 * Linux's thread-self leads to /proc/<id>/task/<id>; there are no threads
 * here and no task/ directory, but the link is kept (with Linux's target)
 * so that tools that only read it see what they expect.
 *
 * Readdir positions are Linux's: "mounts" at 2 (among proc's own files),
 * "self" at 256, "thread-self" at 257, task <id> at 258 + id; each
 * entry's next position is the following entry's, as getdents64's d_off
 * shows on Linux, and the listing ends past every id.
 *
 * Locking: none of its own (see super.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* self and thread-self: the caller's own id. */
static ssize_t proc_self_readlink(struct vfs_fs_node *node,
				  struct vfs_task *task, char *buf, size_t size)
{
	char target[48];
	int id = vfs_task_id(task);
	int n;

	if (proc_node_of(node)->kind == PROC_THREAD_SELF)
		n = snprintf(target, sizeof(target), "%d/task/%d", id, id);
	else
		n = snprintf(target, sizeof(target), "%d", id);
	if ((size_t)n < size)
		size = (size_t)n;
	memcpy(buf, target, size);
	return (ssize_t)size;
}

static const struct vfs_node_ops proc_self_ops = {
	.readlink = proc_self_readlink,
	.setattr = vfs_proc_setattr,
};

/* /proc/mounts: a plain symlink, whose target the core keeps. */
static const struct vfs_node_ops proc_plain_link_ops = {
	.setattr = vfs_proc_setattr,
};

/* The next task after @after that @viewer can see, or 0. */
static int proc_root_next_pid(struct vfs_kernel *k, struct vfs_task *viewer,
			      int after)
{
	int pid = after;

	while ((pid = vfs_kernel_task_next(k, pid)) > 0) {
		struct vfs_task *t;
		bool visible;

		if (vfs_kernel_task_get(k, pid, &t))
			continue;       /* exited in between */
		visible = vfs_task_same_ns(viewer, t);
		vfs_task_put(t);
		if (visible)
			return pid;
	}
	return 0;
}

static int proc_root_lookup(struct vfs_fs_node *dir, const char *name,
			    size_t len, struct vfs_task *task,
			    struct vfs_fs_node **out_node)
{
	struct vfs_file_system *fs = vfs_fs_node_fs(dir);
	struct proc_super *sb = vfs_file_system_private(fs);
	struct proc_node_desc desc = {
		.mode = S_IFLNK | 0777,
		.nlink = 1,
		.time = &sb->mount_time,
	};
	struct vfs_task *t;
	int pid, err;

	*out_node = NULL;
	if (len == 4 && !memcmp(name, "self", 4)) {
		desc.kind = PROC_SELF;
		desc.ino = PROC_SELF_INO;
		desc.ops = &proc_self_ops;
		return vfs_proc_node_new(fs, &desc, out_node);
	}
	if (len == 11 && !memcmp(name, "thread-self", 11)) {
		desc.kind = PROC_THREAD_SELF;
		desc.ino = PROC_THREAD_SELF_INO;
		desc.ops = &proc_self_ops;
		return vfs_proc_node_new(fs, &desc, out_node);
	}
	if (len == 6 && !memcmp(name, "mounts", 6)) {
		desc.kind = PROC_MOUNTS_LINK;
		desc.ino = PROC_MOUNTS_LINK_INO;
		desc.link = "self/mounts";
		desc.size = (off_t)strlen(desc.link);
		desc.ops = &proc_plain_link_ops;
		return vfs_proc_node_new(fs, &desc, out_node);
	}
	if (!vfs_proc_parse_id(name, len, &pid) || pid == 0)
		return -ENOENT;
	err = vfs_proc_task_get(dir, pid, &t);
	if (err)
		return err;
	if (vfs_task_same_ns(task, t))
		err = vfs_proc_pid_dir_new(fs, t, out_node);
	else
		err = -ENOENT;
	vfs_task_put(t);
	return err;
}

static int proc_root_readdir(struct vfs_fs_node *dir, struct vfs_task *task,
			     off_t *io_pos, vfs_filldir_fn fill, void *ctx)
{
	struct vfs_kernel *k = vfs_file_system_kernel(vfs_fs_node_fs(dir));
	int pid, next;

	if (*io_pos <= PROC_POS_MOUNTS &&
	    !proc_fill(io_pos, PROC_POS_MOUNTS, fill, ctx, "mounts", 6,
		       PROC_MOUNTS_LINK_INO, DT_LNK, PROC_POS_SELF))
		return 0;
	if (*io_pos <= PROC_POS_SELF &&
	    !proc_fill(io_pos, PROC_POS_SELF, fill, ctx, "self", 4,
		       PROC_SELF_INO, DT_LNK, PROC_POS_THREAD_SELF))
		return 0;
	if (*io_pos <= PROC_POS_THREAD_SELF) {
		pid = proc_root_next_pid(k, task, 0);
		if (!proc_fill(io_pos, PROC_POS_THREAD_SELF, fill, ctx,
			       "thread-self", 11, PROC_THREAD_SELF_INO, DT_LNK,
			       pid ? PROC_POS_TGID_OFFSET + pid :
				     PROC_POS_ROOT_END))
			return 0;
	}
	if (*io_pos >= PROC_POS_ROOT_END) {
		*io_pos = PROC_POS_ROOT_END;
		return 0;
	}
	/* The first task at or after the position. */
	pid = *io_pos > PROC_POS_TGID_OFFSET ?
	      (int)(*io_pos - PROC_POS_TGID_OFFSET - 1) : 0;
	pid = proc_root_next_pid(k, task, pid);
	*io_pos = PROC_POS_ROOT_END;
	for (; pid; pid = next) {
		char name[16];
		int n;

		next = proc_root_next_pid(k, task, pid);
		n = snprintf(name, sizeof(name), "%d", pid);
		if (!proc_fill(io_pos, PROC_POS_TGID_OFFSET + pid, fill, ctx,
			       name, (size_t)n, proc_ino(pid, PROC_PID_DIR, 0),
			       DT_DIR, next ? PROC_POS_TGID_OFFSET + next :
					      PROC_POS_ROOT_END))
			break;
	}
	return 0;
}

const struct vfs_node_ops vfs_proc_root_ops = {
	.lookup = proc_root_lookup,
	.readdir = proc_root_readdir,
	.setattr = vfs_proc_setattr,
};
