/* SPDX-License-Identifier: MIT */
/*
 * The filesystem-type interface: what a filesystem type (tmpfs, proc, fuse,
 * or an embedder's own) implements, and the few core calls it may use.
 *
 * Division of work, as in Linux:
 *  - The core owns the name space: DirEntries, mounts, path walks,
 *    permission checks, the choice of a new node's mode and owner (umask,
 *    setgid directories), and the fd tables.
 *  - A filesystem owns its nodes' contents and keeps their attributes
 *    true: a create bumps the directory's size, mtime and ctime, a link
 *    bumps nlink and ctime, a write moves size, blocks, mtime and ctime.
 *    It reads and writes attributes through vfs_fs_node_attr() with the
 *    node's lock held.
 *
 * Locks held when the core calls an op (see docs/locking.md):
 *  - directory ops (create, tmpfile, link, unlink, rmdir, rename): the
 *    filesystem's op mutex (one namespace change at a time per filesystem);
 *    no tree lock and no node lock, so the op may block and may take the
 *    node locks of the nodes it is given (in address order).
 *  - node ops (read, write, setattr, fallocate, seek_data, xattr ops): the
 *    node's lock.
 * Every op may fail with any -errno, which the core passes to the caller.
 *
 * Refcounts: a node made by vfs_fs_node_alloc() starts with one reference,
 * which the op that made it hands to the core through its out_ parameter.
 * The core calls ops->evict() when the last reference goes, then frees the
 * node; evict releases whatever the node's private data points to.
 */
#ifndef VFS_FS_H
#define VFS_FS_H

#include <stdbool.h>
#include <time.h>
#include <vfs/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* readdir's callback: false when the caller's buffer is full (the entry
 * was not taken, and the listing stops there). */
typedef bool (*vfs_filldir_fn)(void *ctx, const char *name, size_t len,
			       uint64_t ino, unsigned char d_type,
			       off_t next_pos);

/* Where a magic link leads (opaque to filesystems; see vfs_link_target_*). */
struct vfs_link_target {
	void *mount;
	void *entry;
};

/* Attributes of a node, as stat(2) reports them.  Guarded by the node lock. */
struct vfs_node_attr {
	uint64_t ino;
	uint64_t blocks;       /* 512-byte units */
	off_t size;
	dev_t rdev;
	mode_t mode;           /* file type and permission bits */
	uint32_t nlink;
	uid_t uid;
	gid_t gid;
	struct timespec atime;
	struct timespec mtime;
	struct timespec ctime;
	struct timespec btime;
};

/* What the core decided a new node is: type, permissions and owner. */
struct vfs_new_node {
	mode_t mode;           /* S_IF* type | permission bits, umask applied */
	uid_t uid;
	gid_t gid;
	dev_t rdev;            /* S_IFCHR, S_IFBLK */
	const char *link;      /* S_IFLNK: the target, NUL-terminated */
};

/* setattr: which fields of struct vfs_setattr to apply. */
#define VFS_ATTR_MODE  0x01u
#define VFS_ATTR_UID   0x02u
#define VFS_ATTR_GID   0x04u
#define VFS_ATTR_SIZE  0x08u
#define VFS_ATTR_ATIME 0x10u
#define VFS_ATTR_MTIME 0x20u
#define VFS_ATTR_CTIME 0x40u

struct vfs_setattr {
	unsigned int valid;    /* VFS_ATTR_* */
	mode_t mode;           /* full mode, type bits included */
	uid_t uid;
	gid_t gid;
	off_t size;
	struct timespec atime;
	struct timespec mtime;
	struct timespec ctime;
};

struct vfs_node_ops {
	/* --- directories (op mutex held) --- */
	/* Make a node of any type named @name in @dir (regular, directory,
	 * symlink, fifo, socket, device).  For a directory the new node's and
	 * @dir's nlink are the fs's to set. */
	int (*create)(struct vfs_fs_node *dir, const char *name, size_t len,
		      const struct vfs_new_node *nn,
		      struct vfs_fs_node **out_node);
	/* O_TMPFILE: a regular node with nlink 0 and no name. */
	int (*tmpfile)(struct vfs_fs_node *dir, const struct vfs_new_node *nn,
		       struct vfs_fs_node **out_node);
	int (*link)(struct vfs_fs_node *dir, const char *name, size_t len,
		    struct vfs_fs_node *node);
	int (*unlink)(struct vfs_fs_node *dir, const char *name, size_t len,
		      struct vfs_fs_node *node);
	/* The core has checked that @node is an empty directory. */
	int (*rmdir)(struct vfs_fs_node *dir, const char *name, size_t len,
		     struct vfs_fs_node *node);
	/* @new_node is the node @new_name names now, or NULL.  The core has
	 * done every check Linux does (types, emptiness, loops, flags).
	 * RENAME_WHITEOUT: set *out_whiteout to a new 0/0 character device
	 * the core will name @old_name (and give the caller's owner). */
	int (*rename)(struct vfs_fs_node *old_dir, const char *old_name,
		      size_t old_len, struct vfs_fs_node *node,
		      struct vfs_fs_node *new_dir, const char *new_name,
		      size_t new_len, struct vfs_fs_node *new_node,
		      unsigned int flags, struct vfs_fs_node **out_whiteout);

	/* --- open files --- */
	/* An open (not O_PATH) of @node by @task with open(2) @flags: the
	 * handle the file keeps (FUSE's fh, proc's text); no lock held. */
	int (*open)(struct vfs_fs_node *node, struct vfs_task *task, int flags,
		    void **out_priv);
	/* The last reference to the file is gone; no lock held. */
	void (*release)(struct vfs_fs_node *node, void *priv);

	/* --- contents and attributes (node lock held) --- */
	/* @priv: what open gave this file (NULL without an open op). */
	ssize_t (*read)(struct vfs_fs_node *node, void *priv, void *buf,
			size_t count, off_t pos);
	/* Returns bytes written (short on -ENOSPC after some progress). */
	ssize_t (*write)(struct vfs_fs_node *node, void *priv, const void *buf,
			 size_t count, off_t pos);
	/* Apply what the core has already checked and computed. */
	int (*setattr)(struct vfs_fs_node *node, const struct vfs_setattr *sa);
	/* mode: 0, FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE|KEEP_SIZE. */
	int (*fallocate)(struct vfs_fs_node *node, int mode, off_t offset,
			 off_t len);
	/* SEEK_DATA / SEEK_HOLE from @offset (< size, checked by the core). */
	off_t (*seek_data)(struct vfs_fs_node *node, off_t offset, int whence);
	/* NULL: nothing to write back (0). */
	int (*fsync)(struct vfs_fs_node *node, int datasync);
	/* Names are whole ("user.foo"); the core checked namespace,
	 * permission, length and flag validity.  NULL ops: -EOPNOTSUPP. */
	ssize_t (*getxattr)(struct vfs_fs_node *node, const char *name,
			    void *value, size_t size);
	int (*setxattr)(struct vfs_fs_node *node, const char *name,
			const void *value, size_t size, int flags);
	ssize_t (*listxattr)(struct vfs_fs_node *node, char *list,
			     size_t size);
	int (*removexattr)(struct vfs_fs_node *node, const char *name);

	/* --- dynamic file systems (no VFS_FS_DCACHE_COMPLETE; proc) ---
	 * No lock held; @task is the caller.  Names are looked up afresh on
	 * every walk, and entries live only while in use. */
	/* The node @name names in @dir now, or -ENOENT. */
	int (*lookup)(struct vfs_fs_node *dir, const char *name, size_t len,
		      struct vfs_task *task, struct vfs_fs_node **out_node);
	/* List @dir from *io_pos (2 = the first entry after "." and "..").
	 * For each entry: set *io_pos to the entry's own position, call
	 * @fill with next_pos (where the listing goes on after it); if fill
	 * returns false stop there (it was not taken), else set *io_pos =
	 * next_pos.  The record's d_off is next_pos. */
	int (*readdir)(struct vfs_fs_node *dir, struct vfs_task *task,
		       off_t *io_pos, vfs_filldir_fn fill, void *ctx);
	/* A symlink whose target is computed (/proc/self): write it, not
	 * NUL-terminated, truncated to @size; return its length. */
	ssize_t (*readlink)(struct vfs_fs_node *node, struct vfs_task *task,
			    char *buf, size_t size);
	/* A magic link (/proc/<pid>/fd/N): fill @out with where it leads,
	 * through vfs_link_target_*(). */
	int (*get_link)(struct vfs_fs_node *node, struct vfs_task *task,
			struct vfs_link_target *out);

	/* --- access (no lock held) ---
	 * Linux's ->permission: may @task, with @cred (its real ids for
	 * access(2)), have @mask (VFS_MAY_*) on @node?  0 or -EACCES.  It
	 * replaces vfs_generic_permission(), which it may call; the core has
	 * refused writes to a read-only file system already.  NULL: the
	 * generic check. */
	int (*permission)(struct vfs_fs_node *node, struct vfs_task *task,
			  const struct vfs_cred *cred, int mask);

	/* --- lifetime (no locks) --- */
	void (*evict)(struct vfs_fs_node *node);
};

struct vfs_fs_ops {
	int (*statfs)(struct vfs_file_system *fs, struct statfs *buf);
	/* Append the filesystem's own mount options, each with a leading
	 * comma, as Linux's show_options (",size=1024k,inode64"); returns
	 * the length written or that would have been (snprintf-style). */
	int (*show_options)(struct vfs_file_system *fs, char *buf, size_t size);
	/* mount(2) MS_REMOUNT with filesystem options (the VFS's own words
	 * such as "ro" already taken out).  NULL: options are refused. */
	int (*remount)(struct vfs_file_system *fs, const char *data);
	/* The last mount is gone and every node evicted. */
	void (*destroy)(struct vfs_file_system *fs);
};

/* vfs_file_system_init() flags. */
/* The dentry cache is the directory: every name is in it, pinned, so a
 * cache miss is ENOENT and readdir lists the cache (tmpfs). */
#define VFS_FS_DCACHE_COMPLETE 0x1u
/* Multigrain timestamps (Linux 6.13+ tmpfs): statx reports ctime and
 * mtime only when one of them was asked for. */
#define VFS_FS_MGTIME 0x2u

struct vfs_fs_type {
	const char *name;
	/* Set up @fs (vfs_file_system_init) from mount(2)'s @flags and
	 * @data, and return its root directory node. */
	int (*mount)(struct vfs_file_system *fs, const char *source,
		     unsigned long flags, const char *data,
		     struct vfs_fs_node **out_root);
};

/* --- core calls for filesystems --------------------------------------- */

/** Register @type (borrowed for the kernel's lifetime).  -EBUSY if taken. */
VFS_EXPORT int vfs_kernel_register_fs_type(struct vfs_kernel *kernel,
					   const struct vfs_fs_type *type);

/** Called once from fs_type->mount.  @priv is the filesystem's. */
VFS_EXPORT void vfs_file_system_init(struct vfs_file_system *fs,
				     const struct vfs_fs_ops *ops, void *priv,
				     unsigned int flags);
VFS_EXPORT void *vfs_file_system_private(const struct vfs_file_system *fs);
VFS_EXPORT dev_t vfs_file_system_dev(const struct vfs_file_system *fs);

/**
 * vfs_fs_node_alloc - a new node of @fs with attributes @attr (copied),
 * symlink target @link (copied; used only for S_IFLNK) and @priv_size
 * zeroed bytes of filesystem data in the same allocation (so an empty
 * file costs one allocation; see vfs_fs_node_private()).
 * @out_node: a new reference.  Returns: 0, -ENOMEM.
 */
VFS_EXPORT int vfs_fs_node_alloc(struct vfs_file_system *fs,
				 const struct vfs_node_ops *ops,
				 const struct vfs_node_attr *attr,
				 const char *link, size_t priv_size,
				 struct vfs_fs_node **out_node);
VFS_EXPORT struct vfs_file_system *vfs_fs_node_fs(const struct vfs_fs_node *node);
/* The node's filesystem data (priv_size bytes, 16-byte aligned), guarded
 * by the node lock; it lives as long as the node (ops->evict cleans up
 * what it points to). */
VFS_EXPORT void *vfs_fs_node_private(struct vfs_fs_node *node);
/* The node's attributes; the caller holds the node's lock. */
VFS_EXPORT struct vfs_node_attr *vfs_fs_node_attr(struct vfs_fs_node *node);
VFS_EXPORT void vfs_fs_node_lock(struct vfs_fs_node *node);
VFS_EXPORT void vfs_fs_node_unlock(struct vfs_fs_node *node);
VFS_EXPORT void vfs_fs_node_put(struct vfs_fs_node *node);
/* Linux's setattr_copy(): apply the owner, times and permission bits of
 * @sa (the type bits stay); the node lock is held. */
VFS_EXPORT void vfs_setattr_copy(struct vfs_fs_node *node,
				 const struct vfs_setattr *sa);

/* Access a permission check asks for. */
#define VFS_MAY_EXEC   0x1
#define VFS_MAY_WRITE  0x2
#define VFS_MAY_READ   0x4

/* Linux's generic_permission(): the owner, group and other bits of @node
 * for @cred, then the capabilities that override them.  0 or -EACCES. */
VFS_EXPORT int vfs_generic_permission(const struct vfs_cred *cred,
				      struct vfs_fs_node *node, int mask);

/** The time a filesystem stamps on nodes (coarse real time, as Linux). */
VFS_EXPORT void vfs_fs_time_now(struct timespec *out_ts);

/* --- what proc needs of the core (process-wide views) ------------------ */

/** The kernel @fs belongs to (borrowed). */
VFS_EXPORT struct vfs_kernel *vfs_file_system_kernel(const struct vfs_file_system *fs);
/**
 * vfs_kernel_task_get - the live task with id @pid, or -ESRCH.
 * @out_task: a new reference, given back with vfs_task_put().
 */
VFS_EXPORT int vfs_kernel_task_get(struct vfs_kernel *kernel, int pid,
				   struct vfs_task **out_task);
VFS_EXPORT void vfs_task_put(struct vfs_task *task);
/** Live task ids greater than @after, ascending: the next one, or 0. */
VFS_EXPORT int vfs_kernel_task_next(struct vfs_kernel *kernel, int after);
/** Do @a and @b see the same mount namespace? */
VFS_EXPORT bool vfs_task_same_ns(struct vfs_task *a, struct vfs_task *b);
/** May @viewer look at @task's fds, cwd and root (ptrace read access:
 * itself, a dumpable task of the same effective uid, or CAP_SYS_PTRACE)? */
VFS_EXPORT bool vfs_task_may_inspect(struct vfs_task *viewer,
				     struct vfs_task *task);
/** The owner of @task's /proc files: its effective uid and gid, or root
 * once it is not dumpable (its effective ids changed). */
VFS_EXPORT void vfs_task_owner(struct vfs_task *task, uid_t *out_uid,
			       gid_t *out_gid);
/** The lowest open fd of @task that is >= @from, or -1. */
VFS_EXPORT int vfs_task_fd_next(struct vfs_task *task, int from);

/** Point a magic link at @task's fd, cwd or root.  0, -EBADF, -ENOENT. */
VFS_EXPORT int vfs_link_target_fd(struct vfs_link_target *out,
				  struct vfs_task *task, int fd);
VFS_EXPORT int vfs_link_target_cwd(struct vfs_link_target *out,
				   struct vfs_task *task);
VFS_EXPORT int vfs_link_target_root(struct vfs_link_target *out,
				    struct vfs_task *task);

/* vfs_task_show() texts, each exactly as Linux formats its proc file. */
#define VFS_SHOW_MOUNTINFO 1    /* /proc/<pid>/mountinfo */
#define VFS_SHOW_MOUNTS    2    /* /proc/<pid>/mounts, /proc/mounts */
#define VFS_SHOW_FDINFO    3    /* /proc/<pid>/fdinfo/<fd>, @arg = fd */

/**
 * vfs_task_show - the text of one of @task's proc files.
 * @out_text: malloc'ed, not NUL-terminated, freed by the caller.
 * Returns: the length, or -EBADF, -ENOMEM.
 */
VFS_EXPORT ssize_t vfs_task_show(struct vfs_task *task, int what, int arg,
				 char **out_text);

#ifdef __cplusplus
}
#endif

#endif /* VFS_FS_H */
