/* SPDX-License-Identifier: MIT */
/*
 * proc internals shared by its files: the node kinds, what a node keeps
 * (the task id, its kind and the fd it shows, never a task pointer), inode
 * numbers, readdir positions, and the helpers that make nodes and find
 * tasks.
 *
 * Field keys: [c] constant after the node is made.
 */
#ifndef VFS_PROC_INTERNAL_H
#define VFS_PROC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <vfs/fs.h>
#include <vfs/task.h>

/* statfs f_type, as Linux's PROC_SUPER_MAGIC. */
#define PROC_SUPER_MAGIC 0x9fa0
#define PROC_BLOCK_SIZE 4096

/* Inode numbers Linux gives its fixed entries (proc_alloc_inum() hands
 * them out from PROC_DYNAMIC_FIRST in this order at boot). */
#define PROC_ROOT_INO        1
#define PROC_SELF_INO        0xf0000000ull
#define PROC_THREAD_SELF_INO 0xf0000001ull
#define PROC_MOUNTS_LINK_INO 0xf0000002ull

/* Readdir positions of /proc, as Linux's proc_root_readdir: its own
 * entries below FIRST_PROCESS_ENTRY, then self and thread-self, then
 * each task at TGID_OFFSET + id, and a position past every id at the
 * end. */
#define PROC_POS_MOUNTS       2
#define PROC_POS_SELF         256
#define PROC_POS_THREAD_SELF  257
#define PROC_POS_TGID_OFFSET  258
#define PROC_POS_ROOT_END     (PROC_POS_TGID_OFFSET + (off_t)INT32_MAX + 1)

/* Fds stay below RLIMIT_NOFILE's ceiling (1048576), so 24 bits hold one. */
#define PROC_FD_BITS 24

enum proc_kind {
	PROC_ROOT = 1,          /* /proc */
	PROC_SELF,              /* /proc/self */
	PROC_THREAD_SELF,       /* /proc/thread-self */
	PROC_MOUNTS_LINK,       /* /proc/mounts */
	PROC_PID_DIR,           /* /proc/<pid> */
	PROC_FD_DIR,            /* /proc/<pid>/fd */
	PROC_FDINFO_DIR,        /* /proc/<pid>/fdinfo */
	PROC_CWD,               /* /proc/<pid>/cwd */
	PROC_ROOT_LINK,         /* /proc/<pid>/root */
	PROC_MOUNTS,            /* /proc/<pid>/mounts */
	PROC_MOUNTINFO,         /* /proc/<pid>/mountinfo */
	PROC_FD,                /* /proc/<pid>/fd/<fd> */
	PROC_FDINFO,            /* /proc/<pid>/fdinfo/<fd> */
};

/* A node's private data. */
struct proc_node {
	int pid;                /* [c] the task it shows; 0 for /proc itself */
	int fd;                 /* [c] PROC_FD, PROC_FDINFO: the fd */
	enum proc_kind kind;    /* [c] */
};

/* Whole-filesystem data. */
struct proc_super {
	struct timespec mount_time;  /* [c] times of /proc, self, mounts */
};

/* What a new node is. */
struct proc_node_desc {
	enum proc_kind kind;
	int pid;
	int fd;
	uint64_t ino;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	uint32_t nlink;
	off_t size;
	const struct timespec *time;    /* NULL: now */
	const char *link;               /* S_IFLNK with a fixed target */
	const struct vfs_node_ops *ops;
};

static inline struct proc_node *proc_node_of(struct vfs_fs_node *node)
{
	return vfs_fs_node_private(node);
}

/* A stable inode number for the node of @kind showing @fd of task @pid:
 * the id in the high half, the kind and the fd below it, so no two
 * nodes of one filesystem share one and the fixed ones (all below 2^32)
 * never clash with them. */
static inline uint64_t proc_ino(int pid, enum proc_kind kind, int fd)
{
	return ((uint64_t)(uint32_t)pid << 32) | ((uint64_t)kind << PROC_FD_BITS) |
	       (uint64_t)(uint32_t)fd;
}

/* Hand readdir's caller the entry at @pos, whose successor is at @next:
 * *io_pos is @pos while the caller takes it (the core dates the record
 * from it) and @next once taken.  False: the caller is full, and the
 * listing resumes at @pos. */
static inline bool proc_fill(off_t *io_pos, off_t pos, vfs_filldir_fn fill,
			     void *ctx, const char *name, size_t len,
			     uint64_t ino, unsigned char d_type, off_t next)
{
	*io_pos = pos;
	if (!fill(ctx, name, len, ino, d_type, next))
		return false;
	*io_pos = next;
	return true;
}

/* super.c */
int vfs_proc_node_new(struct vfs_file_system *fs,
		      const struct proc_node_desc *desc,
		      struct vfs_fs_node **out_node);
int vfs_proc_task_get(struct vfs_fs_node *node, int pid,
		      struct vfs_task **out_task);
void vfs_proc_task_owner(struct vfs_task *task, uid_t *out_uid,
			 gid_t *out_gid);
int vfs_proc_setattr(struct vfs_fs_node *node, const struct vfs_setattr *sa);
int vfs_proc_task_setattr(struct vfs_fs_node *node,
			  const struct vfs_setattr *sa);
bool vfs_proc_parse_id(const char *name, size_t len, int *out_id);

/* root.c */
extern const struct vfs_node_ops vfs_proc_root_ops;

/* pid.c */
int vfs_proc_pid_dir_new(struct vfs_file_system *fs, struct vfs_task *task,
			 struct vfs_fs_node **out_node);
/* cwd, root and fd/<fd> */
extern const struct vfs_node_ops vfs_proc_magic_link_ops;
/* mounts, mountinfo and fdinfo/<fd> */
extern const struct vfs_node_ops vfs_proc_text_ops;

/* fd.c: fd/ (PROC_FD_DIR) or fdinfo/ (PROC_FDINFO_DIR) of @task */
int vfs_proc_fd_dir_new(struct vfs_file_system *fs, struct vfs_task *task,
			enum proc_kind kind, struct vfs_fs_node **out_node);

#endif /* VFS_PROC_INTERNAL_H */
