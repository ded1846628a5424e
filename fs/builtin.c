// SPDX-License-Identifier: MIT
/*
 * The filesystem types every kernel starts with.  The core calls
 * vfs_builtin_fs_register() from vfs_kernel_create(); it is the one place
 * that names the types in fs/, so lib/ includes nothing from here.
 */
#include <vfs/fs.h>

#include "proc/proc.h"
#include "tmpfs/tmpfs.h"

int vfs_builtin_fs_register(struct vfs_kernel *k);

int vfs_builtin_fs_register(struct vfs_kernel *k)
{
	int err;

	err = vfs_kernel_register_fs_type(k, &vfs_tmpfs_fs_type);
	if (err)
		return err;
	return vfs_kernel_register_fs_type(k, &vfs_proc_fs_type);
}
