/* SPDX-License-Identifier: MIT */
/*
 * Lifecycle of a libvfs instance: the kernel (fs type registry and id
 * allocators), namespaces, and tasks.
 *
 * Ownership: each create call returns a new reference that the caller gives
 * back with the matching put/destroy.  Objects keep what they need alive
 * (a task holds its namespace through its fs context, a namespace holds its
 * kernel), so the order of the puts does not matter.
 */
#ifndef VFS_TASK_H
#define VFS_TASK_H

#include <vfs/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * vfs_kernel_create - make an independent libvfs instance.
 * @out_kernel: set to the new kernel (a new reference), or NULL on failure.
 * The built-in filesystem types (tmpfs) are registered.
 * Returns: 0, or -ENOMEM.
 */
VFS_EXPORT int vfs_kernel_create(struct vfs_kernel **out_kernel);

/** vfs_kernel_put - drop a reference; the last one frees the instance. */
VFS_EXPORT void vfs_kernel_put(struct vfs_kernel *kernel);

/**
 * vfs_kernel_stats - live object counts of @kernel (borrows it).
 * Tests compare them before and after to prove nothing leaked.
 */
VFS_EXPORT void vfs_kernel_stats(struct vfs_kernel *kernel,
				 struct vfs_stats *out_stats);

/**
 * vfs_namespace_create - a mount namespace whose root is a fresh mount of
 * @fstype ("tmpfs"), mounted with @options (mount(2) data, e.g.
 * "size=64m,nr_inodes=1000,mode=755"; NULL for none).
 * @out_ns: set to a new reference.
 * Returns: 0, -ENODEV (unknown type), -EINVAL (bad options), -ENOMEM.
 */
VFS_EXPORT int vfs_namespace_create(struct vfs_kernel *kernel,
				    const char *fstype, const char *options,
				    struct vfs_namespace **out_ns);

/** vfs_namespace_put - drop a reference to @ns. */
VFS_EXPORT void vfs_namespace_put(struct vfs_namespace *ns);

/**
 * vfs_task_create - a task in @ns, with root and cwd at the namespace root,
 * umask 022, an empty fd table (first fd 0) and a copy of @cred (NULL: uid
 * and gid 0 with every capability).
 * @out_task: set to the new task, owned by the caller (vfs_task_destroy).
 * Returns: 0, -EINVAL (ngroups over NGROUPS_MAX), -ENOMEM.
 */
VFS_EXPORT int vfs_task_create(struct vfs_namespace *ns,
			       const struct vfs_cred *cred,
			       struct vfs_task **out_task);

/**
 * vfs_task_fork - a child of @parent, as clone(2) does with @clone_flags:
 * CLONE_FS shares the fs context (root, cwd, umask), else it is copied;
 * CLONE_FILES shares the fd table, else it is copied (same open file
 * descriptions, same close-on-exec flags).  Credentials are copied.
 * Returns: 0, -EINVAL (other flags), -ENOMEM.
 */
VFS_EXPORT int vfs_task_fork(struct vfs_task *parent, unsigned long clone_flags,
			     struct vfs_task **out_child);

/**
 * vfs_task_exec - what execve(2) does to files: unshare the fd table and
 * close every close-on-exec descriptor.
 * Returns: 0, -ENOMEM.
 */
VFS_EXPORT int vfs_task_exec(struct vfs_task *task);

/** vfs_task_destroy - exit: close every fd, drop the fs context. */
VFS_EXPORT void vfs_task_destroy(struct vfs_task *task);

/** vfs_task_set_cred - replace the task's credentials with a copy of @cred. */
VFS_EXPORT int vfs_task_set_cred(struct vfs_task *task,
				 const struct vfs_cred *cred);

/** vfs_task_id - the task's id (its pid as /proc shows it), >= 1. */
VFS_EXPORT int vfs_task_id(const struct vfs_task *task);

/**
 * vfs_task_set_nofile - RLIMIT_NOFILE of @task: fds at or above @limit are
 * refused with -EMFILE (default 1024).  Returns: 0, -EINVAL (0 or above
 * 1048576).
 */
VFS_EXPORT int vfs_task_set_nofile(struct vfs_task *task, unsigned int limit);

/**
 * vfs_task_fd_path - the path of @fd exactly as Linux's
 * readlink("/proc/self/fd/<fd>") gives it: the tracked path through the
 * mount it was opened in, " (deleted)" appended once unlinked.
 * Like readlink(2) the result is not NUL-terminated and is truncated to
 * @size.  Returns: the length written, -EBADF.
 */
VFS_EXPORT ssize_t vfs_task_fd_path(struct vfs_task *task, int fd, char *buf,
				    size_t size);

#ifdef __cplusplus
}
#endif

#endif /* VFS_TASK_H */
