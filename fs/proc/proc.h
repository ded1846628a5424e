/* SPDX-License-Identifier: MIT */
/*
 * proc: the process information filesystem, as Linux's /proc for the
 * parts a mount namespace library has: /proc/self, /proc/<pid>/{fd,
 * fdinfo, cwd, root, mounts, mountinfo} and /proc/mounts.  The core
 * registers it for every kernel (fs/builtin.c).
 */
#ifndef VFS_PROC_H
#define VFS_PROC_H

#include <vfs/fs.h>

extern const struct vfs_fs_type vfs_proc_fs_type;

#endif /* VFS_PROC_H */
