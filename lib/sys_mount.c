// SPDX-License-Identifier: MIT
/*
 * mount(2) and umount2(2): new filesystem mounts on a directory (stacking
 * on whatever is topmost there), and their removal, plain (EBUSY while
 * anything uses the mount) or lazy (MNT_DETACH: the tree leaves the
 * namespace at once and lives on for the files and cwds inside it).
 * Bind, move, remount and propagation changes come with the mount
 * namespace work and are refused with EINVAL until then.
 *
 * Locking: mount_lock exclusive while the tree changes.  The target is
 * looked up before, so the walk's references keep it alive.
 */
#include "internal.h"

#include <linux/capability.h>
#include <sys/mount.h>

/* mount(2) flags that pick an operation other than a new mount. */
#define VFS_MS_OTHER_OPS (MS_REMOUNT | MS_BIND | MS_MOVE | MS_SHARED | \
			  MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)

/* Per-mount flags kept on the mount, as Linux's MNT_* from MS_*. */
static int mnt_flags_from_ms(unsigned long flags)
{
	int mf = (int)(flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC |
				 MS_NOATIME | MS_NODIRATIME));

	/* The default atime mode is relatime. */
	if (!(flags & (MS_NOATIME | MS_STRICTATIME)))
		mf |= MS_RELATIME;
	return mf;
}

VFS_EXPORT int vfs_mount(struct vfs_task *task, const char *source,
			 const char *target, const char *fstype,
			 unsigned long flags, const void *data)
{
	struct vfs_namespace_node mp;
	struct vfs_file_system *fs;
	struct vfs_mount *m;
	struct vfs_kernel *k = task->kernel;
	int err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (!vfs_capable(task, CAP_SYS_ADMIN))
		return -EPERM;
	err = vfs_path_lookup(task, AT_FDCWD, target, VFS_LOOKUP_FOLLOW, &mp);
	if (err)
		return err;
	err = -EINVAL;
	if (flags & VFS_MS_OTHER_OPS)
		goto out_put;
	if (!fstype || !*fstype)
		goto out_put;
	err = vfs_file_system_create(k, fstype, source, flags, data, &fs);
	if (err)
		goto out_put;
	err = vfs_mount_create(fs, fs->root, mnt_flags_from_ms(flags), &m);
	if (err) {
		vfs_file_system_activate(fs);
		vfs_file_system_deactivate(fs);
		vfs_file_system_put(fs);
		goto out_put;
	}
	vfs_file_system_put(fs);

	pthread_rwlock_wrlock(&k->mount_lock);
	err = -ENOTDIR;
	if (vfs_fs_node_type(mp.entry->node) != S_IFDIR)
		goto out_unlock;
	err = -ENOENT;
	if (vfs_dir_entry_dead(mp.entry) && mp.entry != mp.mount->root)
		goto out_unlock;
	err = -EINVAL;
	if (!mp.mount->ns)
		goto out_unlock;
	/* Another mount may have landed here since the lookup: stack on it. */
	for (;;) {
		struct vfs_mount *top = vfs_mount_lookup_locked(mp.mount,
								mp.entry);

		if (!top)
			break;
		vfs_namespace_node_put(mp);
		mp.mount = vfs_mount_get(top);
		mp.entry = vfs_dir_entry_get(top->root);
	}
	vfs_mount_attach_locked(m, mp.mount, mp.entry);
	m = NULL;
	err = 0;
out_unlock:
	pthread_rwlock_unlock(&k->mount_lock);
	if (m) {
		struct vfs_mount *chain = NULL;

		pthread_rwlock_wrlock(&k->mount_lock);
		vfs_mount_detach_tree_locked(m, &chain);
		pthread_rwlock_unlock(&k->mount_lock);
		vfs_mount_put_detached(chain);
	}
out_put:
	vfs_namespace_node_put(mp);
	return err;
}

VFS_EXPORT int vfs_umount2(struct vfs_task *task, const char *target,
			   int flags)
{
	struct vfs_namespace_node nn;
	struct vfs_kernel *k = task->kernel;
	struct vfs_mount *m, *chain = NULL;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (!vfs_capable(task, CAP_SYS_ADMIN))
		return -EPERM;
	err = vfs_path_lookup(task, AT_FDCWD, target,
			      (flags & UMOUNT_NOFOLLOW) ? 0 : VFS_LOOKUP_FOLLOW,
			      &nn);
	if (err)
		return err;
	m = nn.mount;
	err = -EINVAL;
	if (nn.entry != m->root)
		goto out_put;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		goto out_put;
	pthread_rwlock_wrlock(&k->mount_lock);
	if (!m->ns || !m->parent) {
		/* Not in a namespace any more, or the namespace's root. */
		err = -EINVAL;
		goto out_unlock;
	}
	if (flags & MNT_EXPIRE) {
		/* The first call marks an unused mount (EAGAIN); a second one
		 * with no use in between unmounts it. */
		err = -EBUSY;
		if (vfs_refcount_read(&m->ref) != 2)
			goto out_unlock;
		err = -EAGAIN;
		if (!atomic_exchange(&m->expiry_mark, true))
			goto out_unlock;
	}
	/* Busy: anything but the tree's reference and ours, or submounts. */
	err = -EBUSY;
	if (!(flags & MNT_DETACH) &&
	    (m->submounts || vfs_refcount_read(&m->ref) > 2))
		goto out_unlock;
	vfs_mount_detach_tree_locked(m, &chain);
	err = 0;
out_unlock:
	pthread_rwlock_unlock(&k->mount_lock);
	vfs_mount_put_detached(chain);
out_put:
	vfs_dir_entry_put(nn.entry);
	vfs_mount_put_noexpire(nn.mount);
	return err;
}
