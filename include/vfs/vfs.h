/* SPDX-License-Identifier: MIT */
/*
 * libvfs umbrella header: a Linux filesystem namespace in memory.
 * See task.h for the lifecycle and syscalls.h for the system calls.
 */
#ifndef VFS_VFS_H
#define VFS_VFS_H

#include <vfs/types.h>
#include <vfs/task.h>
#include <vfs/syscalls.h>

#endif /* VFS_VFS_H */
