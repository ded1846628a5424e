/* SPDX-License-Identifier: MIT */
/*
 * Public types shared by every libvfs header: the opaque object handles,
 * credentials, statistics and the export marker.
 *
 * Object bodies are private to the library; embedders and filesystem types
 * only ever hold pointers.  Flag constants are Linux's own (O_*, AT_*,
 * RENAME_*, MS_*, ...), taken from the system headers, never redefined here.
 */
#ifndef VFS_TYPES_H
#define VFS_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VFS_EXPORT __attribute__((visibility("default")))

/* The Starnix objects (seed names, C spelling). */
struct vfs_kernel;          /* one libvfs instance: fs types, id allocators */
struct vfs_fs_node;         /* FsNode: an inode */
struct vfs_dir_entry;       /* DirEntry: a name for a node */
struct vfs_file_system;     /* FileSystem: a superblock */
struct vfs_mount;           /* Mount */
struct vfs_namespace;       /* Namespace: a mount tree */
struct vfs_fs_context;      /* FsContext: root, cwd, umask */
struct vfs_file;            /* FileObject: an open file description */
struct vfs_fd_table;        /* a task's file descriptors */
struct vfs_task;            /* the caller of every vfs_<syscall>() */

/* Linux structures passed through unchanged (from the system headers). */
struct stat;
struct statx;
struct statfs;
struct iovec;
struct timespec;
struct open_how;

/*
 * Credentials of a task.  uid/gid are the real ids (used by faccessat2
 * without AT_EACCESS), euid/egid the effective ones (used for everything
 * else, as Linux's fsuid/fsgid).  caps is the effective capability set,
 * one bit per CAP_* number of <linux/capability.h>.
 */
struct vfs_cred {
	uid_t uid;
	uid_t euid;
	gid_t gid;
	gid_t egid;
	size_t ngroups;        /* supplementary groups */
	const gid_t *groups;   /* borrowed by the call that takes the cred */
	uint64_t caps;
};

/* Every capability Linux defines (CAP_CHOWN .. CAP_CHECKPOINT_RESTORE). */
#define VFS_CAPS_ALL ((uint64_t)((1ULL << 41) - 1))
#define VFS_CAP(n)   ((uint64_t)1 << (n))

/* Live object counts of one kernel, for leak checks in tests. */
struct vfs_stats {
	long nodes;
	long entries;
	long file_systems;
	long mounts;
	long namespaces;
	long files;
	long tasks;
};

#ifdef __cplusplus
}
#endif

#endif /* VFS_TYPES_H */
