// SPDX-License-Identifier: MIT
/*
 * mount(2), umount2(2), unshare(2) and pivot_root(2), dispatched and
 * checked as Linux's path_mount() does: new mounts (with the VFS's own
 * words "ro", "rw", "sync", ... taken out of the data string), bind and
 * recursive bind, MS_MOVE, MS_REMOUNT (per-mount with MS_BIND, else the
 * superblock too), propagation changes, lazy and plain unmounts with
 * propagation, namespace copies and root switches.
 *
 * Locking: the target and source are looked up first (their references
 * keep them alive); mount_lock is then taken exclusive while the tree
 * changes, and fs-context updates happen after it is dropped.
 */
#include "internal.h"

#include <linux/capability.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>

#define VFS_MNT_ATIME_MASK (MS_NOATIME | MS_NODIRATIME | MS_RELATIME)
#define VFS_MS_PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)

/* path_mount()'s per-mount flags from mount(2)'s flags. */
static int mnt_flags_from_ms(unsigned long flags, int old)
{
	int mf = 0;

	if (!(flags & MS_NOATIME))
		mf |= MS_RELATIME;
	mf |= (int)(flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
			     MS_NODIRATIME | MS_RDONLY));
	if (flags & MS_STRICTATIME)
		mf &= ~(MS_RELATIME | MS_NOATIME);
	/* The default atime for remount is preservation. */
	if ((flags & MS_REMOUNT) &&
	    !(flags & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME |
		       MS_STRICTATIME))) {
		mf &= ~VFS_MNT_ATIME_MASK;
		mf |= old & VFS_MNT_ATIME_MASK;
	}
	return mf;
}

/* Split the VFS's own words off a mount data string (vfs_parse_sb_flag()
 * and "source="); the rest, for the filesystem, goes to *out_fs_data. */
static int split_mount_data(const char *data, unsigned long *io_sb_flags,
			    char **out_fs_data)
{
	static const char *const ignored[] = {
		"sync", "async", "dirsync", "lazytime", "nolazytime", "mand",
		"nomand", "silent", "loud", "posixacl", "noposixacl",
		"iversion", "noiversion",
	};
	char *copy, *out, *tok, *save = NULL;
	size_t used = 0;

	*out_fs_data = NULL;
	if (!data)
		return 0;
	copy = strdup(data);
	out = calloc(1, strlen(data) + 1);
	if (!copy || !out) {
		free(copy);
		free(out);
		return -ENOMEM;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		bool vfs_word = false;

		if (strcmp(tok, "ro") == 0) {
			*io_sb_flags |= MS_RDONLY;
			vfs_word = true;
		} else if (strcmp(tok, "rw") == 0) {
			*io_sb_flags &= ~(unsigned long)MS_RDONLY;
			vfs_word = true;
		} else if (strncmp(tok, "source=", 7) == 0) {
			vfs_word = true;
		}
		for (size_t i = 0; i < sizeof(ignored) / sizeof(*ignored); i++)
			if (strcmp(tok, ignored[i]) == 0)
				vfs_word = true;
		if (vfs_word)
			continue;
		if (used)
			out[used++] = ',';
		memcpy(out + used, tok, strlen(tok));
		used += strlen(tok);
	}
	free(copy);
	*out_fs_data = out;
	return 0;
}

/* lock_mount(): the topmost mount on a (mount, entry) place.  Consumes
 * @nn and returns the place to attach on; mount_lock held. */
static struct vfs_namespace_node topmost_locked(struct vfs_namespace_node nn)
{
	for (;;) {
		struct vfs_mount *top = vfs_mount_lookup_locked(nn.mount,
								nn.entry);

		if (!top)
			return nn;
		vfs_namespace_node_put(nn);
		nn.mount = vfs_mount_get(top);
		nn.entry = vfs_dir_entry_get(top->root);
	}
}

static bool in_task_ns(struct vfs_task *task, struct vfs_mount *m)
{
	return m->ns && m->ns == task->fs->ns;
}

/* do_lock_mount()'s refusal: a removed name, or a place on a mount that is
 * no longer mounted (lazily detached), is ENOENT. */
static int place_mountable_locked(struct vfs_namespace_node *mp)
{
	if (!mp->mount->ns)
		return -ENOENT;
	if (vfs_dir_entry_dead(mp->entry))
		return -ENOENT;
	return 0;
}

/* Graft @m on @mp, or, when that fails, chain it for dropping. */
static int graft_or_drop_locked(struct vfs_mount *m,
				struct vfs_namespace_node *mp,
				struct vfs_mount **io_chain)
{
	int err = vfs_mount_graft_locked(m, mp->mount, mp->entry);

	if (err)
		vfs_mount_detach_tree_locked(m, io_chain);
	return err;
}

static void unlock_and_put(struct vfs_kernel *k, struct vfs_mount *chain)
{
	pthread_rwlock_unlock(&k->mount_lock);
	vfs_mount_put_detached(chain);
}

/* ------------------------------------------------------------ new mount */

static int do_new_mount(struct vfs_task *task, struct vfs_namespace_node *mp,
			const char *fstype, const char *source,
			unsigned long flags, int mnt_flags, const char *data)
{
	struct vfs_kernel *k = task->kernel;
	unsigned long sb_flags = flags & MS_RDONLY;
	struct vfs_file_system *fs;
	struct vfs_mount *m, *chain = NULL;
	char *fs_data;
	int err;

	if (!fstype)
		return -EINVAL;
	if (!vfs_kernel_find_fs_type(k, fstype))
		return -ENODEV;
	err = split_mount_data(data, &sb_flags, &fs_data);
	if (err)
		return err;
	err = vfs_file_system_create(k, fstype, source, sb_flags, fs_data, &fs);
	free(fs_data);
	if (err)
		return err;
	err = vfs_mount_create(fs, fs->root, mnt_flags, &m);
	if (err) {
		vfs_file_system_activate(fs);
		vfs_file_system_deactivate(fs);
		vfs_file_system_put(fs);
		return err;
	}
	vfs_file_system_put(fs);

	pthread_rwlock_wrlock(&k->mount_lock);
	*mp = topmost_locked(*mp);
	err = place_mountable_locked(mp);
	if (err)
		goto out_unlock;
	err = -EINVAL;
	if (!in_task_ns(task, mp->mount))
		goto out_unlock;
	err = -ENOTDIR;
	if (vfs_fs_node_type(mp->entry->node) != S_IFDIR)
		goto out_unlock;
	err = graft_or_drop_locked(m, mp, &chain);
	m = NULL;
out_unlock:
	if (m)
		vfs_mount_detach_tree_locked(m, &chain);
	unlock_and_put(k, chain);
	return err;
}

/* ----------------------------------------------------------------- bind */

/* The source of a bind or a move (EINVAL when empty), then mount_lock
 * and the topmost mount on the target. */
static int source_lookup_and_lock(struct vfs_task *task,
				  struct vfs_namespace_node *mp,
				  const char *old_name,
				  struct vfs_namespace_node *out_old)
{
	int err;

	if (!old_name || !*old_name)
		return -EINVAL;
	err = vfs_path_lookup(task, AT_FDCWD, old_name, VFS_LOOKUP_FOLLOW,
			      out_old);
	if (err)
		return err;
	pthread_rwlock_wrlock(&task->kernel->mount_lock);
	*mp = topmost_locked(*mp);
	return 0;
}

static int do_loopback(struct vfs_task *task, struct vfs_namespace_node *mp,
		       const char *old_name, bool rec)
{
	struct vfs_kernel *k = task->kernel;
	struct vfs_namespace_node old;
	struct vfs_mount *m = NULL, *chain = NULL;
	int err;

	err = source_lookup_and_lock(task, mp, old_name, &old);
	if (err)
		return err;
	err = place_mountable_locked(mp);
	if (err)
		goto out_unlock;
	err = -EINVAL;
	if (!in_task_ns(task, mp->mount))
		goto out_unlock;
	if (old.mount->unbindable || !in_task_ns(task, old.mount))
		goto out_unlock;
	/* __do_loopback(): copy_tree() or a single clone_mnt(), keeping
	 * the source's propagation (a bind of a shared mount is its peer). */
	if (rec)
		err = vfs_mount_copy_tree_locked(old.mount, old.entry, 0, &m);
	else
		err = vfs_mount_clone_locked(old.mount, old.entry, 0, &m);
	if (err)
		goto out_unlock;
	err = -ENOTDIR;
	if ((vfs_fs_node_type(mp->entry->node) == S_IFDIR) !=
	    (vfs_fs_node_type(m->root->node) == S_IFDIR))
		goto out_unlock;
	err = graft_or_drop_locked(m, mp, &chain);
	m = NULL;
out_unlock:
	if (m)
		vfs_mount_detach_tree_locked(m, &chain);
	unlock_and_put(k, chain);
	vfs_namespace_node_put(old);
	return err;
}

/* ----------------------------------------------------------------- move */

static bool tree_contains_unbindable_locked(struct vfs_mount *m)
{
	struct vfs_mount **all;
	size_t n;
	bool found = false;

	if (vfs_mount_collect_locked(m, &all, &n))
		return m->unbindable;
	for (size_t i = 0; i < n; i++)
		found |= all[i]->unbindable;
	free(all);
	return found;
}

static int do_move_mount(struct vfs_task *task, struct vfs_namespace_node *mp,
			 const char *old_name)
{
	struct vfs_kernel *k = task->kernel;
	struct vfs_namespace_node old;
	struct vfs_mount *m, *p, *parent;
	struct vfs_dir_entry *old_mp;
	int err;

	err = source_lookup_and_lock(task, mp, old_name, &old);
	if (err)
		return err;
	m = old.mount;
	/* The thing moved must be a mount's root, then the place it goes
	 * to must be mounted, then the rest (Linux 6.18's order). */
	err = -EINVAL;
	if (old.entry != m->root)
		goto out_unlock;
	if ((vfs_fs_node_type(mp->entry->node) == S_IFDIR) !=
	    (vfs_fs_node_type(old.entry->node) == S_IFDIR))
		goto out_unlock;
	err = place_mountable_locked(mp);
	if (err)
		goto out_unlock;
	err = -EINVAL;
	if (!in_task_ns(task, m) || !m->parent || !in_task_ns(task, mp->mount))
		goto out_unlock;
	if (m->parent->group_id)
		goto out_unlock;
	if (mp->mount->group_id && tree_contains_unbindable_locked(m))
		goto out_unlock;
	err = -ELOOP;
	for (p = mp->mount; p; p = p->parent)
		if (p == m)
			goto out_unlock;
	/* Take the tree off its old place (its tree reference moves); put
	 * it back there if it cannot go to the new one. */
	HASH_DELETE(hh, m->parent->submounts, m);
	atomic_fetch_sub(&m->mountpoint->mounted, 1);
	parent = m->parent;
	old_mp = m->mountpoint;
	m->parent = NULL;
	m->mountpoint = NULL;
	err = vfs_mount_graft_locked(m, mp->mount, mp->entry);
	if (err)
		vfs_mount_attach_locked(m, parent, old_mp);
	vfs_dir_entry_put(old_mp);
	vfs_mount_put(parent);
out_unlock:
	pthread_rwlock_unlock(&k->mount_lock);
	vfs_namespace_node_put(old);
	return err;
}

/* -------------------------------------------------------------- remount */

/* Make @m read-only (mnt_make_readonly): EBUSY while files are open for
 * writing through it. */
static int change_ro_locked(struct vfs_mount *m, int mnt_flags)
{
	int cur = atomic_load(&m->mnt_flags);

	if ((mnt_flags & MS_RDONLY) && !(cur & MS_RDONLY) &&
	    atomic_load(&m->writers))
		return -EBUSY;
	return 0;
}

static int do_remount(struct vfs_task *task, struct vfs_namespace_node *nn,
		      unsigned long flags, const char *data)
{
	struct vfs_kernel *k = task->kernel;
	struct vfs_mount *m = nn->mount;
	struct vfs_file_system *fs = m->fs;
	unsigned long sb_flags = flags & MS_RDONLY;
	int mnt_flags, err;
	char *fs_data = NULL;

	if (!in_task_ns(task, m) || nn->entry != m->root)
		return -EINVAL;
	mnt_flags = mnt_flags_from_ms(flags, atomic_load(&m->mnt_flags));
	if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND)) {
		pthread_rwlock_wrlock(&k->mount_lock);
		err = change_ro_locked(m, mnt_flags);
		if (!err)
			atomic_store(&m->mnt_flags, mnt_flags);
		pthread_rwlock_unlock(&k->mount_lock);
		return err;
	}
	err = split_mount_data(data, &sb_flags, &fs_data);
	if (err)
		return err;
	/* reconfigure_super(): sb_prepare_remount_readonly() (no unlinked
	 * file still in use, no writer on any mount of it) before the
	 * filesystem's options are applied. */
	err = -EBUSY;
	if ((sb_flags & MS_RDONLY) &&
	    !(atomic_load(&fs->mount_flags) & MS_RDONLY) &&
	    (atomic_load(&fs->removed) || atomic_load(&fs->writers)))
		goto out;
	if (fs_data && *fs_data) {
		err = fs->ops && fs->ops->remount ?
			fs->ops->remount(fs, fs_data) : -EINVAL;
		if (err)
			goto out;
	}
	pthread_rwlock_wrlock(&k->mount_lock);
	err = change_ro_locked(m, mnt_flags);
	if (err)
		goto out_unlock;
	atomic_store(&fs->mount_flags, sb_flags & MS_RDONLY);
	atomic_store(&m->mnt_flags, mnt_flags);
out_unlock:
	pthread_rwlock_unlock(&k->mount_lock);
out:
	free(fs_data);
	return err;
}

/* ---------------------------------------------------- propagation type */

static int do_change_type(struct vfs_task *task, struct vfs_namespace_node *nn,
			  unsigned long flags)
{
	struct vfs_kernel *k = task->kernel;
	unsigned long type = flags & ~(unsigned long)(MS_REC | MS_SILENT);
	int err;

	if (nn->entry != nn->mount->root || !in_task_ns(task, nn->mount))
		return -EINVAL;
	/* Exactly one propagation flag and nothing else. */
	if ((type & ~(unsigned long)VFS_MS_PROPAGATION) || !type ||
	    (type & (type - 1)))
		return -EINVAL;
	pthread_rwlock_wrlock(&k->mount_lock);
	err = vfs_mount_change_type_locked(nn->mount, (int)type,
					   flags & MS_REC);
	pthread_rwlock_unlock(&k->mount_lock);
	return err;
}

/* ---------------------------------------------------------------- mount */

VFS_EXPORT int vfs_mount(struct vfs_task *task, const char *source,
			 const char *target, const char *fstype,
			 unsigned long flags, const void *data)
{
	struct vfs_namespace_node nn;
	int mnt_flags, err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	/* copy_mount_string(): source and type are copied first. */
	if ((source && strnlen(source, PATH_MAX) == PATH_MAX) ||
	    (fstype && strnlen(fstype, PATH_MAX) == PATH_MAX))
		return -EINVAL;
	err = vfs_path_lookup(task, AT_FDCWD, target, VFS_LOOKUP_FOLLOW, &nn);
	if (err)
		return err;
	err = -EINVAL;
	if (flags & MS_NOUSER)
		goto out;
	err = -EPERM;
	if (!vfs_capable(task, CAP_SYS_ADMIN))
		goto out;
	mnt_flags = mnt_flags_from_ms(flags, atomic_load(&nn.mount->mnt_flags));
	if (flags & MS_REMOUNT)
		err = do_remount(task, &nn, flags, data);
	else if (flags & MS_BIND)
		err = do_loopback(task, &nn, source, flags & MS_REC);
	else if (flags & VFS_MS_PROPAGATION)
		err = do_change_type(task, &nn, flags);
	else if (flags & MS_MOVE)
		err = do_move_mount(task, &nn, source);
	else
		err = do_new_mount(task, &nn, fstype, source, flags, mnt_flags,
				   data);
out:
	vfs_namespace_node_put(nn);
	return err;
}

/* --------------------------------------------------------------- umount */

VFS_EXPORT int vfs_umount2(struct vfs_task *task, const char *target,
			   int flags)
{
	struct vfs_namespace_node nn, root;
	struct vfs_kernel *k = task->kernel;
	struct vfs_mount *m, *chain = NULL;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	err = vfs_path_lookup(task, AT_FDCWD, target, VFS_LOOKUP_MOUNTPOINT |
			      ((flags & UMOUNT_NOFOLLOW) ? 0 : VFS_LOOKUP_FOLLOW),
			      &nn);
	if (err)
		return err;
	m = nn.mount;
	/* path_umount(): may_mount() before can_umount(). */
	err = -EPERM;
	if (!vfs_capable(task, CAP_SYS_ADMIN))
		goto out_put;
	err = -EINVAL;
	if (nn.entry != m->root || !in_task_ns(task, m))
		goto out_put;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		goto out_put;
	vfs_fs_context_get_root(task->fs, &root);
	pthread_rwlock_wrlock(&k->mount_lock);
	if (flags & MNT_EXPIRE) {
		/* The first call marks an unused mount (EAGAIN); a second one
		 * with no use in between unmounts it. */
		err = -EINVAL;
		if (m == root.mount)
			goto out_unlock;
		err = -EBUSY;
		if (vfs_refcount_read(&m->ref) != 2)
			goto out_unlock;
		err = -EAGAIN;
		if (!atomic_exchange(&m->expiry_mark, true))
			goto out_unlock;
	}
	if (m == root.mount && !(flags & MNT_DETACH)) {
		/* Unmounting one's own root remounts it read-only, as
		 * do_umount_root() does. */
		err = (atomic_load(&m->fs->removed) ||
		       atomic_load(&m->fs->writers)) ? -EBUSY : 0;
		if (!err)
			atomic_fetch_or(&m->fs->mount_flags, MS_RDONLY);
		goto out_unlock;
	}
	err = -EINVAL;
	if (!m->parent)
		goto out_unlock;
	/* Busy: anything but the tree's reference and ours, submounts, or a
	 * propagated copy in use. */
	err = -EBUSY;
	if (!(flags & MNT_DETACH) && vfs_mount_busy_locked(m, 1))
		goto out_unlock;
	err = vfs_mount_umount_tree_locked(m, &chain);
out_unlock:
	pthread_rwlock_unlock(&k->mount_lock);
	vfs_mount_put_detached(chain);
	vfs_namespace_node_put(root);
out_put:
	vfs_dir_entry_put(nn.entry);
	vfs_mount_put_noexpire(nn.mount);
	return err;
}

/* -------------------------------------------------------------- unshare */

/* copy_mnt_ns(): a copy of the whole tree; the context's root and cwd move
 * to the corresponding mounts of the copy. */
static int unshare_ns(struct vfs_task *task)
{
	struct vfs_fs_context *ctx = task->fs;
	struct vfs_namespace *old_ns = ctx->ns, *ns;
	struct vfs_kernel *k = task->kernel;
	struct vfs_namespace_node root, cwd;
	struct vfs_mount **olds = NULL, **news = NULL, *copy;
	size_t n_old = 0, n_new = 0;
	int err;

	ns = calloc(1, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	vfs_fs_context_get_pwd(ctx, &root, &cwd);
	pthread_rwlock_wrlock(&k->mount_lock);
	err = vfs_mount_copy_tree_locked(old_ns->root, old_ns->root->root,
					 VFS_CL_COPY_UNBINDABLE, &copy);
	if (!err)
		err = vfs_mount_collect_locked(old_ns->root, &olds, &n_old);
	if (!err)
		err = vfs_mount_collect_locked(copy, &news, &n_new);
	if (err) {
		struct vfs_mount *chain = NULL;

		if (copy)
			vfs_mount_detach_tree_locked(copy, &chain);
		pthread_rwlock_unlock(&k->mount_lock);
		vfs_mount_put_detached(chain);
		goto out_free;
	}
	assert(n_old == n_new);
	vfs_refcount_init(&ns->ref, 1);
	pthread_mutex_init(&ns->ctx_lock, NULL);
	ns->kernel = vfs_kernel_get(k);
	ns->root = copy;
	for (size_t i = 0; i < n_new; i++)
		news[i]->ns = ns;
	for (size_t i = 0; i < n_old; i++) {
		if (root.mount == olds[i]) {
			vfs_mount_put(root.mount);
			root.mount = vfs_mount_get(news[i]);
		}
		if (cwd.mount == olds[i]) {
			vfs_mount_put(cwd.mount);
			cwd.mount = vfs_mount_get(news[i]);
		}
	}
	pthread_rwlock_unlock(&k->mount_lock);
	vfs_kernel_count(k, VFS_OBJ_NAMESPACE, 1);
	vfs_fs_context_set_ns(ctx, ns, root, cwd);
	free(olds);
	free(news);
	return 0;
out_free:
	free(olds);
	free(news);
	vfs_namespace_node_put(root);
	vfs_namespace_node_put(cwd);
	free(ns);
	return err;
}

VFS_EXPORT int vfs_unshare(struct vfs_task *task, int flags)
{
	int err;

	/* The rest of unshare(2)'s flags name namespaces libvfs does not
	 * model (pid, net, user, ...); they are refused, not ignored. */
	if (flags & ~(CLONE_NEWNS | CLONE_FS | CLONE_FILES))
		return -EINVAL;
	if (flags & CLONE_NEWNS) {
		if (!vfs_capable(task, CAP_SYS_ADMIN))
			return -EPERM;
		flags |= CLONE_FS;
	}
	if ((flags & CLONE_FS) && vfs_refcount_read(&task->fs->ref) > 1) {
		struct vfs_fs_context *copy;

		err = vfs_fs_context_copy(task->fs, &copy);
		if (err)
			return err;
		vfs_task_swap_fs(task, copy);
	}
	if (flags & CLONE_FILES) {
		err = vfs_task_unshare_files(task);
		if (err)
			return err;
	}
	if (flags & CLONE_NEWNS)
		return unshare_ns(task);
	return 0;
}

/* ----------------------------------------------------------- pivot_root */

/* is_path_reachable(): is (@m, @e) at or below @root through mounts? */
static bool reachable_locked(struct vfs_mount *m, struct vfs_dir_entry *e,
			     struct vfs_namespace_node root)
{
	while (m != root.mount && m->parent) {
		e = m->mountpoint;
		m = m->parent;
	}
	return m == root.mount && vfs_dir_entry_is_under(e, root.entry);
}

VFS_EXPORT int vfs_pivot_root(struct vfs_task *task, const char *new_root,
			      const char *put_old)
{
	struct vfs_namespace_node new, old, root;
	struct vfs_kernel *k = task->kernel;
	struct vfs_mount *new_mnt, *root_mnt, *old_mnt, *root_parent;
	struct vfs_dir_entry *root_mp;
	int err;

	if (!vfs_capable(task, CAP_SYS_ADMIN))
		return -EPERM;
	err = vfs_path_lookup(task, AT_FDCWD, new_root,
			      VFS_LOOKUP_FOLLOW | VFS_LOOKUP_DIRECTORY, &new);
	if (err)
		return err;
	err = vfs_path_lookup(task, AT_FDCWD, put_old,
			      VFS_LOOKUP_FOLLOW | VFS_LOOKUP_DIRECTORY, &old);
	if (err) {
		vfs_namespace_node_put(new);
		return err;
	}
	vfs_fs_context_get_root(task->fs, &root);
	pthread_rwlock_wrlock(&k->mount_lock);
	old = topmost_locked(old);
	err = place_mountable_locked(&old);
	if (err)
		goto out_unlock;
	new_mnt = new.mount;
	root_mnt = root.mount;
	old_mnt = old.mount;
	root_parent = root_mnt->parent;
	err = -EINVAL;
	if (old_mnt->group_id || (new_mnt->parent && new_mnt->parent->group_id) ||
	    (root_parent && root_parent->group_id))
		goto out_unlock;
	if (!in_task_ns(task, root_mnt) || !in_task_ns(task, new_mnt))
		goto out_unlock;
	err = -ENOENT;
	if (vfs_dir_entry_dead(new.entry))
		goto out_unlock;
	err = -EBUSY;
	if (new_mnt == root_mnt || old_mnt == root_mnt)
		goto out_unlock;
	err = -EINVAL;
	if (root.entry != root_mnt->root || !root_parent)
		goto out_unlock;
	if (new.entry != new_mnt->root || !new_mnt->parent)
		goto out_unlock;
	if (!reachable_locked(old_mnt, old.entry, new))
		goto out_unlock;
	if (!reachable_locked(new_mnt, new.entry, root))
		goto out_unlock;
	/* new_mnt leaves its place; the old root leaves the namespace's
	 * base and goes on put_old; new_mnt takes the old root's place.
	 * Every tree reference moves with its mount. */
	{
		struct vfs_mount *np = new_mnt->parent, *rp = root_parent;

		HASH_DELETE(hh, np->submounts, new_mnt);
		atomic_fetch_sub(&new_mnt->mountpoint->mounted, 1);
		vfs_dir_entry_put(new_mnt->mountpoint);
		new_mnt->mountpoint = NULL;
		new_mnt->parent = NULL;

		root_mp = root_mnt->mountpoint;
		HASH_DELETE(hh, rp->submounts, root_mnt);
		atomic_fetch_sub(&root_mp->mounted, 1);
		root_mnt->mountpoint = NULL;
		root_mnt->parent = NULL;

		vfs_mount_attach_locked(root_mnt, old_mnt, old.entry);
		vfs_mount_attach_locked(new_mnt, rp, root_mp);
		vfs_dir_entry_put(root_mp);
		vfs_mount_put(np);
		vfs_mount_put(rp);
	}
	err = 0;
out_unlock:
	pthread_rwlock_unlock(&k->mount_lock);
	if (!err)
		vfs_namespace_chroot_refs(task->fs->ns, root, new);
	vfs_namespace_node_put(root);
	vfs_namespace_node_put(old);
	vfs_namespace_node_put(new);
	return err;
}
