/* SPDX-License-Identifier: MIT */
/*
 * tmpfs: the in-memory filesystem type, as Linux's shmem-backed tmpfs.
 * The core registers it for every kernel (fs/builtin.c).
 */
#ifndef VFS_TMPFS_H
#define VFS_TMPFS_H

#include <vfs/fs.h>

extern const struct vfs_fs_type vfs_tmpfs_fs_type;

#endif /* VFS_TMPFS_H */
