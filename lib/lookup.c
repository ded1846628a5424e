// SPDX-License-Identifier: MIT
/*
 * The path walk (Linux's fs/namei.c link_path_walk and friends): component
 * by component from the task root, the cwd or a dirfd; `..` clamped at the
 * task root and climbing out of mounts at a mount's root; mounts crossed on
 * the way down; symlinks followed in the middle always and at the end on
 * request, 40 at most (ELOOP), with a stack for nested link bodies.
 *
 * Overall outline (mirrors Linux so its corner cases carry over):
 *   vfs_nd_init          pick the start (root, cwd, dirfd), EBADF/ENOTDIR
 *   vfs_nd_walk_parent   every component but the last; pushes link bodies
 *   vfs_nd_lookup_last   the last one; returns a body to walk if a symlink
 *   vfs_nd_done          drop every reference the walk holds
 *
 * Locking: a run of components inside one file system is walked under
 * that file system's tree_lock held shared, with borrowed pointers (see
 * nd_lock()); mount_lock is taken shared, with the tree_lock dropped, only
 * when the walk lands on something mounted on or `..` leaves a mount.
 * The walk owns references to where it last legitimized (nd->path) and to
 * every followed link's node (whose target text it borrows); it returns
 * to its caller with no lock held.
 */
#include "internal.h"

#include <linux/capability.h>
#include <stdlib.h>

/* A walk's own hold on a place: Linux's RCU walk takes none, so letting
 * go of it does not count as a use of the mount (the expiry mark stays;
 * the caller's put of the result is the use). */
static void nd_put(struct vfs_namespace_node nn)
{
	vfs_dir_entry_put(nn.entry);
	vfs_mount_put_noexpire(nn.mount);
}

int vfs_check_path(const char *path)
{
	if (!path)
		return -EFAULT;
	if (strnlen(path, PATH_MAX) == PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Borrowed walking.  While nd->locked is set the walk holds that file
 * system's tree_lock shared, nd->path.entry is borrowed (the reference the
 * walk owns is on nd->owned) and nd->path.mount does not change.  A run of
 * components inside one file system thus costs one lock and no reference
 * counts; nd_legitimize() takes a reference on where the walk stands and
 * drops the lock, before anything that blocks, crosses a mount or
 * returns.
 */
static void nd_lock(struct vfs_nameidata *nd)
{
	if (nd->locked)
		return;
	nd->locked = nd->path.entry->node->fs;
	nd->owned = nd->path.entry;
	vfs_brlock_rdlock(&nd->locked->tree_lock);
}

static void nd_legitimize(struct vfs_nameidata *nd)
{
	struct vfs_dir_entry *owned = nd->owned;
	bool moved;

	if (!nd->locked)
		return;
	moved = nd->path.entry != owned;
	if (moved)
		vfs_dir_entry_get(nd->path.entry);
	vfs_brlock_rdunlock(&nd->locked->tree_lock);
	nd->locked = NULL;
	nd->owned = NULL;
	if (moved)
		vfs_dir_entry_put(owned);
}

int vfs_nd_init(struct vfs_nameidata *nd, struct vfs_task *task, int dirfd,
		const char *path, unsigned int flags)
{
	struct vfs_file *f;
	int err;

	nd->task = task;
	nd->cred = &task->cred;
	nd->flags = flags;
	nd->last = "";
	nd->last_len = 0;
	nd->last_type = VFS_LAST_ROOT;
	nd->total_links = 0;
	nd->nlinks = 0;
	nd->locked = NULL;
	nd->owned = NULL;
	nd->root_taken = *path == '/' || (flags & VFS_LOOKUP_IS_SCOPED);
	nd->path.mount = NULL;
	nd->path.entry = NULL;
	nd->root.mount = NULL;
	nd->root.entry = NULL;

	err = vfs_check_path(path);
	if (err)
		return err;
	if (!*path && !(flags & VFS_LOOKUP_EMPTY))
		return -ENOENT;

	/* An absolute path ignores the dirfd, but RESOLVE_IN_ROOT resolves
	 * it inside the dirfd, and RESOLVE_BENEATH refuses it. */
	if (*path == '/' && (flags & VFS_LOOKUP_BENEATH))
		return -EXDEV;
	if (*path == '/' && !(flags & VFS_LOOKUP_IN_ROOT)) {
		vfs_fs_context_get_root(task->fs, &nd->root);
		nd->path = vfs_namespace_node_get(nd->root);
		return 0;
	}
	if (dirfd == AT_FDCWD) {
		vfs_fs_context_get_pwd(task->fs, &nd->root, &nd->path);
	} else {
		err = vfs_task_file(task, dirfd, &f);
		if (err)
			return err;
		if (*path && vfs_fs_node_type(f->node) != S_IFDIR) {
			vfs_file_put(f);
			return -ENOTDIR;
		}
		vfs_fs_context_get_root(task->fs, &nd->root);
		nd->path = vfs_namespace_node_get(f->path);
		vfs_file_put(f);
	}
	/* RESOLVE_BENEATH and RESOLVE_IN_ROOT: the start is the root. */
	if (flags & VFS_LOOKUP_IS_SCOPED) {
		nd_put(nd->root);
		nd->root = vfs_namespace_node_get(nd->path);
	}
	if (*path == '/') {
		nd_put(nd->path);
		nd->path = vfs_namespace_node_get(nd->root);
	}
	return 0;
}

void vfs_nd_done(struct vfs_nameidata *nd)
{
	nd_legitimize(nd);
	if (nd->path.entry)
		nd_put(nd->path);
	if (nd->root.entry)
		nd_put(nd->root);
	for (int i = 0; i < nd->nlinks; i++) {
		free(nd->bodies[i]);
		vfs_fs_node_put(nd->links[i]);
	}
	nd->path.entry = NULL;
	nd->root.entry = NULL;
	nd->nlinks = 0;
}

struct vfs_dir_entry *vfs_lookup_child(struct vfs_dir_entry *dir,
				       const char *name, size_t len)
{
	struct vfs_file_system *fs = dir->node->fs;
	struct vfs_dir_entry *child;

	vfs_brlock_rdlock(&fs->tree_lock);
	child = vfs_dir_entry_get(vfs_dir_entry_find_locked(dir, name, len));
	vfs_brlock_rdunlock(&fs->tree_lock);
	return child;
}

int vfs_lookup_miss(struct vfs_dir_entry *dir, size_t len)
{
	struct vfs_file_system *fs = dir->node->fs;
	bool dead;

	vfs_brlock_rdlock(&fs->tree_lock);
	dead = vfs_dir_entry_dead(dir);
	vfs_brlock_rdunlock(&fs->tree_lock);
	/* simple_lookup()'s length check; proc's lookup has none. */
	return len > NAME_MAX && !dead && !vfs_dir_is_dynamic(dir) ?
		-ENAMETOOLONG : -ENOENT;
}

struct vfs_namespace_node vfs_follow_mounts(struct vfs_namespace_node nn)
{
	struct vfs_kernel *k = nn.mount->kernel;

	if (!atomic_load_explicit(&nn.entry->mounted, memory_order_acquire))
		return nn;
	pthread_rwlock_rdlock(&k->mount_lock);
	for (;;) {
		struct vfs_mount *m = vfs_mount_lookup_locked(nn.mount, nn.entry);

		if (!m)
			break;
		nd_put(nn);
		nn.mount = vfs_mount_get(m);
		nn.entry = vfs_dir_entry_get(m->root);
	}
	pthread_rwlock_unlock(&k->mount_lock);
	return nn;
}

/* An error Linux's RCU walk does not return itself: it drops out of the
 * walk to make sure (try_to_unlazy()), which RESOLVE_CACHED makes EAGAIN.
 * So are the EXDEV of a `..` or a mount crossing, a directory that cannot
 * be searched, and a non-directory with more path after it. */
static int nd_unlazy_err(const struct vfs_nameidata *nd, int err)
{
	return (nd->flags & VFS_LOOKUP_CACHED) ? -EAGAIN : err;
}

static int nd_xdev(const struct vfs_nameidata *nd)
{
	return nd_unlazy_err(nd, -EXDEV);
}

/* Cross what is mounted where the walk stands (legitimized first);
 * RESOLVE_NO_XDEV refuses to.  Under RESOLVE_NO_XDEV Linux's RCU walk
 * drops out of itself at any entry something is mounted on, in whichever
 * mount (__follow_mount_rcu()), so RESOLVE_CACHED is EAGAIN there. */
static int nd_follow_mounts(struct vfs_nameidata *nd)
{
	struct vfs_namespace_node nn;

	if ((nd->flags & VFS_LOOKUP_NO_XDEV) &&
	    (nd->flags & VFS_LOOKUP_CACHED))
		return -EAGAIN;
	nd_legitimize(nd);
	if (nd->flags & VFS_LOOKUP_NO_XDEV) {
		struct vfs_kernel *k = nd->path.mount->kernel;
		bool covered;

		pthread_rwlock_rdlock(&k->mount_lock);
		covered = vfs_mount_lookup_locked(nd->path.mount,
						  nd->path.entry) != NULL;
		pthread_rwlock_unlock(&k->mount_lock);
		return covered ? nd_xdev(nd) : 0;
	}
	nn = vfs_follow_mounts(nd->path);
	nd->path = nn;
	return 0;
}

static int dotdot_stay(struct vfs_nameidata *nd)
{
	if (atomic_load_explicit(&nd->path.entry->mounted,
				 memory_order_acquire))
		return nd_follow_mounts(nd);
	return 0;
}

/* `..`: stay at the task root, leave mounts at their root, then go up. */
static int follow_dotdot(struct vfs_nameidata *nd)
{
	struct vfs_dir_entry *parent;

	nd->root_taken = true;
	/* Staying put (at the root, or with no mount to climb to) still
	 * steps into what is mounted there, as Linux's step_into(). */
	if (vfs_namespace_node_eq(nd->path, nd->root)) {
		if (nd->flags & VFS_LOOKUP_BENEATH)
			return nd_xdev(nd);
		return dotdot_stay(nd);
	}
	if (nd->path.entry == nd->path.mount->root) {
		struct vfs_kernel *k = nd->path.mount->kernel;
		struct vfs_mount *m = nd->path.mount;
		struct vfs_dir_entry *mp = NULL;
		bool found = false;

		nd_legitimize(nd);
		pthread_rwlock_rdlock(&k->mount_lock);
		while (m->parent) {
			mp = m->mountpoint;
			m = m->parent;
			if (m == nd->root.mount && mp == nd->root.entry)
				break;
			if (mp != m->root) {
				found = true;
				break;
			}
		}
		if (found) {
			vfs_mount_get(m);
			vfs_dir_entry_get(mp);
		}
		pthread_rwlock_unlock(&k->mount_lock);
		if (!found) {
			if (nd->flags & VFS_LOOKUP_BENEATH)
				return nd_xdev(nd);
			return dotdot_stay(nd);
		}
		if (nd->flags & VFS_LOOKUP_NO_XDEV) {
			vfs_mount_put_noexpire(m);
			vfs_dir_entry_put(mp);
			return nd_xdev(nd);
		}
		nd_put(nd->path);
		nd->path.mount = m;
		nd->path.entry = mp;
	}
	nd_lock(nd);
	parent = nd->path.entry->parent;
	if (parent)
		nd->path.entry = parent;
	if (atomic_load_explicit(&nd->path.entry->mounted,
				 memory_order_acquire))
		return nd_follow_mounts(nd);
	return 0;
}

/* Jump to the root (an absolute symlink body): never under
 * RESOLVE_BENEATH, and not to another mount under RESOLVE_NO_XDEV. */
static int nd_jump_root(struct vfs_nameidata *nd)
{
	if (nd->flags & VFS_LOOKUP_BENEATH)
		return -EXDEV;
	/* Linux takes the root lazily: until an absolute start, a `..` or a
	 * jump took it, RESOLVE_NO_XDEV counts any jump as a crossing. */
	if ((nd->flags & VFS_LOOKUP_NO_XDEV) &&
	    (!nd->root_taken || nd->path.mount != nd->root.mount))
		return -EXDEV;
	nd->root_taken = true;
	nd_legitimize(nd);
	nd_put(nd->path);
	nd->path = vfs_namespace_node_get(nd->root);
	return 0;
}

/*
 * One component.  Returns 0 having moved nd->path to it, 1 with *out_link
 * set to a symlink body to walk (nd->path stays at the link's directory),
 * or -errno.  @trailing: this is the last component of the whole path,
 * followed only under VFS_LOOKUP_FOLLOW.
 */
/* A name of a dynamic file system (proc): asked of the filesystem on
 * every walk, never cached; the entry lives while it is used. */
int vfs_lookup_dynamic(struct vfs_dir_entry *dir, const char *name, size_t len,
		       struct vfs_task *task, struct vfs_dir_entry **out)
{
	struct vfs_dir_entry *e;
	struct vfs_fs_node *node;
	int err;

	/* No NAME_MAX check here: that is tmpfs's (simple_lookup()); proc
	 * answers ENOENT for any name it does not know. */
	err = dir->node->ops->lookup(dir->node, name, len, task, &node);
	if (err)
		return err;
	err = vfs_dir_entry_alloc(node, name, len, &e);
	if (err)
		return err;
	e->parent = vfs_dir_entry_get(dir);
	e->flags = VFS_DENTRY_DEAD | VFS_DENTRY_UNCACHED;
	*out = e;
	return 0;
}

/* A magic link (/proc/<pid>/fd/N): the walk jumps to what it names, as
 * Linux's nd_jump_link(). */
static int follow_magic_link(struct vfs_nameidata *nd, struct vfs_fs_node *node)
{
	struct vfs_link_target t;
	struct vfs_namespace_node to;
	int err;

	if (nd->flags & VFS_LOOKUP_NO_MAGICLINKS)
		return -ELOOP;
	err = node->ops->get_link(node, nd->task, &t);
	if (err)
		return err;
	to.mount = t.mount;
	to.entry = t.entry;
	err = -EXDEV;
	if ((nd->flags & VFS_LOOKUP_NO_XDEV) && to.mount != nd->path.mount)
		goto out_put;
	/* Not safe for scoped lookups. */
	if (nd->flags & VFS_LOOKUP_IS_SCOPED)
		goto out_put;
	nd_put(nd->path);
	nd->path = to;
	return 0;
out_put:
	nd_put(to);
	return err;
}

/* The target text of a symlink, owned by the walk until vfs_nd_done(). */
static int link_body(struct vfs_nameidata *nd, struct vfs_fs_node *node,
		     const char **out_body)
{
	char buf[PATH_MAX];
	ssize_t n;

	nd->links[nd->nlinks] = vfs_fs_node_get(node);
	nd->bodies[nd->nlinks] = NULL;
	nd->nlinks++;
	if (node->link) {
		*out_body = node->link;
		return 0;
	}
	if (!node->ops->readlink)
		return -EINVAL;
	n = node->ops->readlink(node, nd->task, buf, sizeof(buf) - 1);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	buf[n] = '\0';
	nd->bodies[nd->nlinks - 1] = strdup(buf);
	if (!nd->bodies[nd->nlinks - 1])
		return -ENOMEM;
	*out_body = nd->bodies[nd->nlinks - 1];
	return 0;
}

/*
 * One component.  Returns 0 having moved nd->path to it, 1 with *out_link
 * set to a symlink body to walk (nd->path stays at the link's directory),
 * or -errno.  @trailing: this is the last component of the whole path,
 * followed only under VFS_LOOKUP_FOLLOW.
 */
static int walk_component(struct vfs_nameidata *nd, const char *name,
			  size_t len, enum vfs_last_type type, bool trailing,
			  const char **out_link)
{
	struct vfs_dir_entry *dir, *child;
	struct vfs_fs_node *node;
	const char *body;
	bool owned = false;
	int err;

	if (type == VFS_LAST_DOTDOT)
		return follow_dotdot(nd);
	if (type != VFS_LAST_NORM)
		return 0;

	nd_lock(nd);
	dir = nd->path.entry;
	child = vfs_dir_entry_find_locked(dir, name, len);
	if (!child) {
		if ((dir->node->fs->flags & VFS_FS_DCACHE_COMPLETE) ||
		    !dir->node->ops->lookup) {
			/* RESOLVE_CACHED: Linux's tmpfs keeps no negative
			 * entries, so a miss would ask the filesystem. */
			if (nd->flags & VFS_LOOKUP_CACHED)
				return -EAGAIN;
			return len > NAME_MAX && !vfs_dir_entry_dead(dir) ?
				-ENAMETOOLONG : -ENOENT;
		}
		nd_legitimize(nd);
		err = vfs_lookup_dynamic(nd->path.entry, name, len, nd->task,
					 &child);
		/* proc's live names stay in Linux's cache; a miss would not. */
		if (err == -ENOENT && (nd->flags & VFS_LOOKUP_CACHED))
			return -EAGAIN;
		if (err)
			return err;
		owned = true;
	}
	node = child->node;
	if (vfs_fs_node_type(node) != S_IFLNK ||
	    (trailing && !(nd->flags & VFS_LOOKUP_FOLLOW))) {
		if (owned)
			vfs_dir_entry_put(nd->path.entry);
		nd->path.entry = child;
		if (atomic_load_explicit(&child->mounted,
					 memory_order_acquire))
			return nd_follow_mounts(nd);
		return 0;
	}

	/* A symlink to follow; the walk stays at its directory.  (A mount
	 * on a symlink would be crossed first, as Linux does, but mounts
	 * here need directories.) */
	err = -ELOOP;
	if (nd->total_links++ >= VFS_MAXSYMLINKS ||
	    (nd->flags & VFS_LOOKUP_NO_SYMLINKS))
		goto out_put;
	if (node->ops->get_link) {
		/* Linux's RCU walk cannot jump a magic link (-ECHILD). */
		err = -EAGAIN;
		if (nd->flags & VFS_LOOKUP_CACHED)
			goto out_put;
		nd_legitimize(nd);
		err = follow_magic_link(nd, node);
		goto out_put;
	}
	if (!node->link)
		nd_legitimize(nd);
	err = link_body(nd, node, &body);
	if (err)
		goto out_put;
	/* pick_link() touches the link's atime (the walk pins the node now);
	 * Linux's RCU walk drops out of itself for that, which
	 * RESOLVE_CACHED makes EAGAIN. */
	if (vfs_atime_needs_update(nd->path.mount, node)) {
		err = -EAGAIN;
		if (nd->flags & VFS_LOOKUP_CACHED)
			goto out_put;
		nd_legitimize(nd);
		vfs_touch_atime(nd->path.mount, node);
	}
	if (owned)
		vfs_dir_entry_put(child);
	if (*body == '/') {
		err = nd_jump_root(nd);
		if (err)
			return err;
		while (*body == '/')
			body++;
		if (!*body)
			return 0;
	}
	*out_link = body;
	return 1;
out_put:
	if (owned)
		vfs_dir_entry_put(child);
	return err;
}

static bool nd_can_lookup(const struct vfs_nameidata *nd)
{
	return vfs_fs_node_type(nd->path.entry->node) == S_IFDIR;
}

static int may_lookup(struct vfs_nameidata *nd)
{
	return vfs_permission(nd->task, nd->cred, nd->path.entry->node,
			      VFS_MAY_EXEC);
}

static int walk_parent(struct vfs_nameidata *nd, const char *name)
{
	int depth = 0;
	int err;

	nd->last_type = VFS_LAST_ROOT;
	nd->last = name;
	nd->last_len = 0;
	while (*name == '/')
		name++;
	if (!*name)
		return 0;

	for (;;) {
		enum vfs_last_type type = VFS_LAST_NORM;
		const char *link = NULL;
		size_t len;

		err = may_lookup(nd);
		if (err)
			return nd_unlazy_err(nd, err);
		len = strcspn(name, "/");
		if (name[0] == '.') {
			if (len == 1)
				type = VFS_LAST_DOT;
			else if (len == 2 && name[1] == '.')
				type = VFS_LAST_DOTDOT;
		}
		nd->last = name;
		nd->last_len = len;
		nd->last_type = type;

		name += len;
		while (*name == '/')
			name++;
		if (!*name) {
			/* The path's last component: the caller's. */
			if (!depth)
				return 0;
			/* The last component of a nested link body. */
			name = nd->stack[--depth];
			err = walk_component(nd, nd->last, len, type, false,
					     &link);
		} else {
			err = walk_component(nd, nd->last, len, type, false,
					     &link);
		}
		if (err < 0)
			return err;
		if (err == 1) {
			nd->stack[depth++] = name;
			name = link;
			continue;
		}
		if (!nd_can_lookup(nd))
			return nd_unlazy_err(nd, -ENOTDIR);
	}
}

int vfs_nd_walk_parent(struct vfs_nameidata *nd, const char *name)
{
	int err = walk_parent(nd, name);

	nd_legitimize(nd);
	return err;
}

int vfs_nd_lookup_last(struct vfs_nameidata *nd, const char **out_link)
{
	int err;

	if (vfs_nd_trailing_slash(nd))
		nd->flags |= VFS_LOOKUP_FOLLOW | VFS_LOOKUP_DIRECTORY;
	err = walk_component(nd, nd->last, nd->last_len, nd->last_type, true,
			     out_link);
	nd_legitimize(nd);
	return err;
}

int vfs_path_lookup(struct vfs_task *task, int dirfd, const char *path,
		    unsigned int flags, struct vfs_namespace_node *out)
{
	struct vfs_nameidata nd;
	const char *s = path;
	int err;

	out->mount = NULL;
	out->entry = NULL;
	err = vfs_nd_init(&nd, task, dirfd, path, flags);
	while (!err) {
		const char *link;

		err = vfs_nd_walk_parent(&nd, s);
		if (err)
			break;
		err = vfs_nd_lookup_last(&nd, &link);
		if (err == 1) {
			s = link;
			err = 0;
			continue;
		}
		break;
	}
	if (!err && (nd.flags & VFS_LOOKUP_MOUNTPOINT) &&
	    atomic_load(&nd.path.entry->mounted))
		nd.path = vfs_follow_mounts(nd.path);
	if (!err && (nd.flags & VFS_LOOKUP_DIRECTORY) && !nd_can_lookup(&nd))
		err = -ENOTDIR;
	if (!err) {
		/* Hand over the walk's own references. */
		*out = nd.path;
		nd.path.mount = NULL;
		nd.path.entry = NULL;
	}
	vfs_nd_done(&nd);
	return err;
}
