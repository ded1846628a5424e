// SPDX-License-Identifier: MIT
/*
 * Mount: a FileSystem, at a root entry, attached on a mountpoint of a parent
 * mount.  Owns mount allocation, the submount hash of each mount (keyed by
 * mountpoint entry; a (mount, entry) pair has at most one child), tree
 * copies (copy_tree), attach with propagation (attach_recursive_mnt),
 * detach with propagation (umount_tree), and the propagation state of
 * Linux's Documentation/filesystems/sharedsubtree.rst: peer groups (a ring
 * of peers sharing a group id), masters and their slaves, unbindable.
 *
 * Invariants, all under mount_lock:
 *  1. A mount in a namespace is reachable from ns->root through parent
 *     pointers, holds one tree reference (its parent's hash) and one
 *     reference on its parent.
 *  2. group_id != 0 iff the mount is shared; all mounts of a peer ring
 *     carry the same id; an id is freed when its ring empties.
 *  3. m->master == x iff m is on x->slaves; a mount is never its own
 *     master, and the master relation has no cycles.
 *  4. A detached mount is private, has no parent, no ns and no submounts.
 *  5. The slaves of a master that are peers of one another are one run
 *     of its slave list (next_group() relies on it).
 *  6. mark is 0 but inside one walk under the write lock (MARK_*).
 *
 * Locking: every [t] field is guarded by the kernel's mount_lock (an
 * rwlock).  Walks take it shared only when they land on an entry whose
 * `mounted` count is non-zero.  Releasing references under the write lock
 * is allowed: a mount's release only takes a file system's tree_lock,
 * which comes after mount_lock in the lock order.
 */
#include "internal.h"

#include <stdlib.h>

/* ------------------------------------------------------------- lifetime */

int vfs_mount_create(struct vfs_file_system *fs, struct vfs_dir_entry *root,
		     int mnt_flags, struct vfs_mount **out_mount)
{
	struct vfs_mount *m = calloc(1, sizeof(*m));
	int id;

	*out_mount = NULL;
	if (!m)
		return -ENOMEM;
	id = vfs_kernel_id_alloc(fs->kernel, &fs->kernel->mount_ids);
	if (id < 0) {
		free(m);
		return id;
	}
	vfs_refcount_init(&m->ref, 1);
	m->kernel = fs->kernel;
	m->fs = vfs_file_system_get(fs);
	vfs_file_system_activate(fs);
	m->root = vfs_dir_entry_get(root);
	atomic_init(&m->mnt_flags, mnt_flags);
	atomic_init(&m->writers, 0);
	atomic_init(&m->expiry_mark, false);
	m->peer_next = m->peer_prev = m;
	m->id = id;
	m->seq = atomic_fetch_add(&fs->kernel->next_mount_seq, 1);
	vfs_kernel_count(fs->kernel, VFS_OBJ_MOUNT, 1);
	*out_mount = m;
	return 0;
}

struct vfs_mount *vfs_mount_get(struct vfs_mount *m)
{
	if (m)
		vfs_refcount_inc(&m->ref);
	return m;
}

void vfs_mount_put(struct vfs_mount *m)
{
	/* Any use of a mount clears its expiry mark (Linux's mntput). */
	if (m && atomic_load_explicit(&m->expiry_mark, memory_order_relaxed))
		atomic_store(&m->expiry_mark, false);
	vfs_mount_put_noexpire(m);
}

void vfs_mount_put_noexpire(struct vfs_mount *m)
{
	struct vfs_file_system *fs;

	if (!m || !vfs_refcount_dec(&m->ref))
		return;
	/* The tree reference is gone, so it was detached (invariant 4). */
	assert(!m->parent && !m->submounts && !m->group_id && !m->master &&
	       !m->slaves);
	fs = m->fs;
	vfs_kernel_id_free(m->kernel, &m->kernel->mount_ids, m->id);
	vfs_kernel_count(m->kernel, VFS_OBJ_MOUNT, -1);
	vfs_dir_entry_put(m->root);
	free(m);
	vfs_file_system_deactivate(fs);
	vfs_file_system_put(fs);
}

int vfs_mnt_want_write(struct vfs_mount *m)
{
	if ((atomic_load_explicit(&m->mnt_flags, memory_order_relaxed) |
	     atomic_load_explicit(&m->fs->mount_flags, memory_order_relaxed)) &
	    MS_RDONLY)
		return -EROFS;
	return 0;
}

/* ------------------------------------------------------------ the tree */

struct vfs_mount *vfs_mount_lookup_locked(struct vfs_mount *m,
					  struct vfs_dir_entry *entry)
{
	struct vfs_mount *child = NULL;

	HASH_FIND_PTR(m->submounts, &entry, child);
	return child;
}

static void mount_set_ns_locked(struct vfs_mount *m, struct vfs_namespace *ns)
{
	struct vfs_mount *c, *tmp;

	m->ns = ns;
	HASH_ITER(hh, m->submounts, c, tmp)
		mount_set_ns_locked(c, ns);
}

void vfs_mount_attach_locked(struct vfs_mount *child, struct vfs_mount *parent,
			     struct vfs_dir_entry *mp)
{
	struct vfs_kernel *k = child->kernel;

	/* Moves (MS_MOVE, pivot_root) re-attach a mount still listed. */
	if (!child->all_prev && k->mounts != child) {
		child->all_next = k->mounts;
		if (k->mounts)
			k->mounts->all_prev = child;
		k->mounts = child;
	}
	child->parent = vfs_mount_get(parent);
	child->mountpoint = vfs_dir_entry_get(mp);
	atomic_fetch_add(&mp->mounted, 1);
	HASH_ADD_PTR(parent->submounts, mountpoint, child);
	/* The whole subtree joins the parent's namespace. */
	mount_set_ns_locked(child, parent->ns);
}

static void mount_unlist_locked(struct vfs_mount *m)
{
	struct vfs_kernel *k = m->kernel;

	if (m->all_prev)
		m->all_prev->all_next = m->all_next;
	else if (k->mounts == m)
		k->mounts = m->all_next;
	if (m->all_next)
		m->all_next->all_prev = m->all_prev;
	m->all_next = m->all_prev = NULL;
}

/* Take @m off its parent (keeping its subtree); returns the parent's
 * reference that the caller must drop. */
static struct vfs_mount *mount_unhash_locked(struct vfs_mount *m)
{
	struct vfs_mount *parent = m->parent;
	struct vfs_dir_entry *mp = m->mountpoint;

	HASH_DELETE(hh, parent->submounts, m);
	atomic_fetch_sub(&mp->mounted, 1);
	m->parent = NULL;
	m->mountpoint = NULL;
	vfs_dir_entry_put(mp);
	mount_unlist_locked(m);
	return parent;
}

bool vfs_mount_is_local_mountpoint(struct vfs_namespace *ns,
				   struct vfs_dir_entry *e)
{
	struct vfs_kernel *k = ns->kernel;
	bool found = false;

	if (!atomic_load(&e->mounted))
		return false;
	pthread_rwlock_rdlock(&k->mount_lock);
	for (struct vfs_mount *m = k->mounts; m && !found; m = m->all_next)
		found = m->mountpoint == e && m->ns == ns;
	pthread_rwlock_unlock(&k->mount_lock);
	return found;
}

void vfs_mount_detach_mounts(struct vfs_kernel *k, struct vfs_dir_entry *e)
{
	struct vfs_mount *chain = NULL;

	if (!atomic_load(&e->mounted))
		return;
	pthread_rwlock_wrlock(&k->mount_lock);
	for (struct vfs_mount *m = k->mounts; m;) {
		if (m->mountpoint != e) {
			m = m->all_next;
			continue;
		}
		vfs_mount_detach_tree_locked(m, &chain);
		m = k->mounts;	/* the list changed: start over */
	}
	pthread_rwlock_unlock(&k->mount_lock);
	vfs_mount_put_detached(chain);
}

bool vfs_dir_entry_is_under(struct vfs_dir_entry *e, struct vfs_dir_entry *root)
{
	struct vfs_file_system *fs = root->node->fs;
	bool under = false;

	if (e->node->fs != fs)
		return false;
	vfs_brlock_rdlock(&fs->tree_lock);
	for (; e; e = e->parent) {
		if (e == root) {
			under = true;
			break;
		}
	}
	vfs_brlock_rdunlock(&fs->tree_lock);
	return under;
}

static int collect_push(struct vfs_mount ***arr, size_t *n, size_t *cap,
			struct vfs_mount *m)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct vfs_mount **na = realloc(*arr, ncap * sizeof(*na));

		if (!na)
			return -ENOMEM;
		*arr = na;
		*cap = ncap;
	}
	(*arr)[(*n)++] = m;
	return 0;
}

int vfs_mount_collect_locked(struct vfs_mount *top, struct vfs_mount ***out,
			     size_t *out_n)
{
	struct vfs_mount **arr = NULL;
	size_t n = 0, cap = 0;

	/* Breadth by index: parents always before their children, and
	 * children in the order they were attached. */
	if (collect_push(&arr, &n, &cap, top))
		goto out_nomem;
	for (size_t i = 0; i < n; i++) {
		struct vfs_mount *c, *tmp;

		HASH_ITER(hh, arr[i]->submounts, c, tmp) {
			if (collect_push(&arr, &n, &cap, c))
				goto out_nomem;
		}
	}
	*out = arr;
	*out_n = n;
	return 0;
out_nomem:
	free(arr);
	*out = NULL;
	*out_n = 0;
	return -ENOMEM;
}

/* --------------------------------------------------------- propagation */

/* vfs_mount.mark: scratch bits of one walk under mount_lock. */
enum {
	MARK_GOING = 1,         /* will be unmounted (Linux's MNT_UMOUNT) */
	MARK_CANDIDATE = 2,     /* propagate_umount(): not trimmed (yet) */
	MARK_SEEN = 4,          /* propagate_umount(): trim_ancestors() passed */
	MARK_MASTER = 8,        /* propagate_mnt(): has a copy among its slaves'
				 * (T_MARKED) */
};

static int group_alloc_locked(struct vfs_kernel *k)
{
	return vfs_ida_alloc(&k->group_ids, 1);
}

static bool is_shared(const struct vfs_mount *m)
{
	return m->group_id != 0;
}

static bool has_peers(const struct vfs_mount *m)
{
	return m->peer_next != m;
}

static bool peers(const struct vfs_mount *a, const struct vfs_mount *b)
{
	return a->group_id && a->group_id == b->group_id;
}

static void peer_link(struct vfs_mount *m, struct vfs_mount *peer)
{
	m->group_id = peer->group_id;
	m->peer_next = peer->peer_next;
	m->peer_prev = peer;
	peer->peer_next->peer_prev = m;
	peer->peer_next = m;
}

static void peer_unlink(struct vfs_mount *m)
{
	if (!has_peers(m)) {
		if (m->group_id)
			vfs_ida_free(&m->kernel->group_ids, m->group_id);
	} else {
		m->peer_prev->peer_next = m->peer_next;
		m->peer_next->peer_prev = m->peer_prev;
	}
	m->group_id = 0;
	m->peer_next = m->peer_prev = m;
}

static void slave_link(struct vfs_mount *m, struct vfs_mount *master)
{
	m->master = master;
	m->slave_prev = NULL;
	m->slave_next = master->slaves;
	if (master->slaves)
		master->slaves->slave_prev = m;
	master->slaves = m;
}

/* Right after @old in its master's slave list, so the peers among slaves
 * stay together (hlist_add_behind()). */
static void slave_link_behind(struct vfs_mount *m, struct vfs_mount *old)
{
	m->master = old->master;
	m->slave_prev = old;
	m->slave_next = old->slave_next;
	if (old->slave_next)
		old->slave_next->slave_prev = m;
	old->slave_next = m;
}

static void slave_unlink(struct vfs_mount *m)
{
	if (m->slave_prev)
		m->slave_prev->slave_next = m->slave_next;
	else
		m->master->slaves = m->slave_next;
	if (m->slave_next)
		m->slave_next->slave_prev = m->slave_prev;
	m->master = NULL;
	m->slave_next = m->slave_prev = NULL;
}

/* propagation_source(): where @m's slaves get events from once @m stops
 * being shared: a peer that stays, else the nearest master that does. */
static struct vfs_mount *propagation_source(struct vfs_mount *m)
{
	do {
		for (struct vfs_mount *p = m->peer_next; p != m; p = p->peer_next)
			if (!(p->mark & MARK_GOING))
				return p;
		m = m->master;
	} while (m && (m->mark & MARK_GOING));
	return m;
}

/* transfer_propagation(): @m's slaves become @to's, in their order and
 * ahead of its own; with no @to they have no master any more. */
static void transfer_slaves(struct vfs_mount *m, struct vfs_mount *to)
{
	struct vfs_mount *s, *last = NULL;

	while (!to && m->slaves)
		slave_unlink(m->slaves);
	for (s = m->slaves; s; s = s->slave_next) {
		s->master = to;
		last = s;
	}
	if (!last)
		return;
	last->slave_next = to->slaves;
	if (to->slaves)
		to->slaves->slave_prev = last;
	to->slaves = m->slaves;
	m->slaves = NULL;
}

/* change_mnt_propagation() (Linux 6.18) */
static int change_type_one_locked(struct vfs_mount *m, int type)
{
	struct vfs_mount *src = m->master;

	if (type == MS_SHARED) {
		if (!is_shared(m)) {
			int id = group_alloc_locked(m->kernel);

			if (id < 0)
				return id;
			m->group_id = id;
		}
		m->unbindable = false;
		return 0;
	}
	if (is_shared(m)) {
		src = propagation_source(m);
		peer_unlink(m);
		transfer_slaves(m, src);
	}
	if (m->master)
		slave_unlink(m);
	if (type == MS_SLAVE) {
		if (src)
			slave_link(m, src);
	} else {
		m->unbindable = type == MS_UNBINDABLE;
	}
	return 0;
}

int vfs_mount_change_type_locked(struct vfs_mount *m, int type, bool rec)
{
	struct vfs_mount **all;
	size_t n = 1;
	int err = 0;

	if (!rec)
		return change_type_one_locked(m, type);
	err = vfs_mount_collect_locked(m, &all, &n);
	if (err)
		return err;
	for (size_t i = 0; i < n && !err; i++)
		err = change_type_one_locked(all[i], type);
	free(all);
	return err;
}

/* clone_mnt(): a new mount of @old's file system at @root, with the
 * propagation the CL_* flags ask for. */
static int clone_mnt_locked(struct vfs_mount *old, struct vfs_dir_entry *root,
			    int flags, struct vfs_mount **out)
{
	struct vfs_mount *m;
	int err = vfs_mount_create(old->fs, root,
				   atomic_load(&old->mnt_flags), &m);

	if (err)
		return err;
	/* Linux 6.18's clone_mnt(): a peer of a shared @old; under
	 * CL_SLAVE its slave if it is shared, else next to @old among its
	 * master's slaves. */
	if (!(flags & VFS_CL_PRIVATE)) {
		if (!(flags & VFS_CL_SLAVE) && is_shared(old))
			peer_link(m, old);
		if ((flags & VFS_CL_SLAVE) && is_shared(old))
			slave_link(m, old);
		else if (old->master)
			slave_link_behind(m, old);
	}
	if ((flags & VFS_CL_MAKE_SHARED) && !is_shared(m)) {
		int id = group_alloc_locked(m->kernel);

		if (id < 0) {
			if (m->master)
				slave_unlink(m);
			vfs_mount_put(m);
			return id;
		}
		m->group_id = id;
	}
	/* A copy is never unbindable (Linux 6.18 keeps that per mount). */
	*out = m;
	return 0;
}

int vfs_mount_clone_locked(struct vfs_mount *old, struct vfs_dir_entry *root,
			   int cl_flags, struct vfs_mount **out)
{
	return clone_mnt_locked(old, root, cl_flags, out);
}

static int copy_children_locked(struct vfs_mount *orig, struct vfs_mount *copy,
				struct vfs_dir_entry *under, int flags)
{
	struct vfs_mount *c, *tmp;

	HASH_ITER(hh, orig->submounts, c, tmp) {
		struct vfs_mount *cc;
		int err;

		if (under && !vfs_dir_entry_is_under(c->mountpoint, under))
			continue;
		if (!(flags & VFS_CL_COPY_UNBINDABLE) && c->unbindable)
			continue;
		err = clone_mnt_locked(c, c->root, flags, &cc);
		if (err)
			return err;
		vfs_mount_attach_locked(cc, copy, c->mountpoint);
		err = copy_children_locked(c, cc, NULL, flags);
		if (err)
			return err;
	}
	return 0;
}

int vfs_mount_copy_tree_locked(struct vfs_mount *m, struct vfs_dir_entry *root,
			       int cl_flags, struct vfs_mount **out_copy)
{
	struct vfs_mount *copy, *chain = NULL;
	int err;

	*out_copy = NULL;
	if (!(cl_flags & VFS_CL_COPY_UNBINDABLE) && m->unbindable)
		return -EINVAL;
	err = clone_mnt_locked(m, root, cl_flags, &copy);
	if (err)
		return err;
	copy->ns = NULL;
	err = copy_children_locked(m, copy, root, cl_flags);
	if (err) {
		vfs_mount_detach_tree_locked(copy, &chain);
		/* The caller drops mount_lock before the chain is put; here
		 * nothing else can see the copy, so put it at once. */
		vfs_mount_put_detached(chain);
		return err;
	}
	*out_copy = copy;
	return 0;
}

/* --------------------------------------------------- graft, propagate */

struct prop_target {
	struct vfs_mount *copy;
	struct vfs_mount *target;
};

struct prop_list {
	struct prop_target *v;
	size_t n, cap;
};

static int prop_add(struct prop_list *l, struct vfs_mount *copy,
		    struct vfs_mount *target)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		struct prop_target *nv = realloc(l->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n].copy = copy;
	l->v[l->n].target = target;
	l->n++;
	return 0;
}

/* The mount a copy of this propagation goes on (its mnt_parent). */
static struct vfs_mount *prop_target_of(const struct prop_list *l,
					struct vfs_mount *copy)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].copy == copy)
			return l->v[i].target;
	return NULL;
}

/* need_secondary(): @m is not one of this propagation's own copies, and
 * @mp is visible in it. */
static bool need_secondary(struct vfs_mount *m, struct vfs_dir_entry *mp)
{
	return m->ns && vfs_dir_entry_is_under(mp, m->root);
}

/* next_group(): the next peer group receiving events from @origin's,
 * depth first; a slave list holds each peer group as one run. */
static struct vfs_mount *next_group(struct vfs_mount *m,
				    struct vfs_mount *origin)
{
	for (;;) {
		for (;;) {
			struct vfs_mount *next;

			if (m->ns && m->slaves)
				return m->slaves;
			next = m->peer_next;
			if (m->group_id == origin->group_id) {
				if (next == origin)
					return NULL;
			} else if (m->slave_next != next) {
				break;
			}
			m = next;
		}
		/* m is the last peer of its group */
		for (;;) {
			struct vfs_mount *master = m->master;

			if (m->slave_next)
				return m->slave_next;
			m = master->peer_next;
			if (master->group_id == origin->group_id)
				break;
			if (master->slave_next == m)
				break;
			m = master;
		}
		if (m == origin)
			return NULL;
	}
}

/* find_master(): what the first copy for @m's peer group is a slave of:
 * the copy made for the nearest master of @m that got one. */
static struct vfs_mount *find_master(const struct prop_list *l,
				     struct vfs_mount *m,
				     struct vfs_mount *last_copy,
				     struct vfs_mount *original)
{
	struct vfs_mount *p;

	for (;;) {
		p = m->master;
		if (!p || (p->mark & MARK_MASTER))
			break;
		m = p;
	}
	while (!peers(last_copy, original)) {
		struct vfs_mount *parent = prop_target_of(l, last_copy);

		if (!parent || parent->master == p) {
			if (parent && !peers(parent, m))
				last_copy = last_copy->master;
			break;
		}
		last_copy = last_copy->master;
	}
	return last_copy;
}

/* attach_recursive_mnt()'s propagate_mnt() (Linux 6.18): a copy of
 * @source for every peer of @dest and for every peer group receiving
 * from it, each copy made from the one before or from its master's, on
 * which @mp is visible. */
static int propagate_mnt_locked(struct prop_list *l, struct vfs_mount *dest,
				struct vfs_dir_entry *mp,
				struct vfs_mount *source)
{
	struct vfs_mount *m, *n, *copy = source, *this;
	int err = 0, type;

	if (dest->master)
		dest->master->mark |= MARK_MASTER;
	for (m = dest; m && !err; m = next_group(m, dest)) {
		if (m == dest) {
			copy = source;
			type = VFS_CL_MAKE_SHARED;
			n = m->peer_next;
			if (n == m)
				continue;
		} else {
			/* IS_MNT_SHARED(): a mount of the tree being grafted
			 * is not shared until attached. */
			type = VFS_CL_SLAVE;
			if (is_shared(m) && !m->group_pending)
				type |= VFS_CL_MAKE_SHARED;
			n = m;
		}
		do {
			if (!need_secondary(n, mp))
				continue;
			if (type & VFS_CL_SLAVE)
				copy = find_master(l, n, copy, source);
			err = vfs_mount_copy_tree_locked(copy, copy->root,
					type | VFS_CL_COPY_UNBINDABLE, &this);
			if (!err) {
				err = prop_add(l, this, n);
				if (err) {
					struct vfs_mount *chain = NULL;

					vfs_mount_detach_tree_locked(this,
								     &chain);
					vfs_mount_put_detached(chain);
				}
			}
			if (err)
				break;
			if (n->master)
				n->master->mark |= MARK_MASTER;
			copy = this;
			type = VFS_CL_MAKE_SHARED;
		} while ((n = n->peer_next) != m);
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].target->master)
			l->v[i].target->master->mark &= ~MARK_MASTER;
	if (dest->master)
		dest->master->mark &= ~MARK_MASTER;
	return err;
}

/* The mount covering @m's root, if any. */
static struct vfs_mount *mount_overmount_locked(struct vfs_mount *m)
{
	return vfs_mount_lookup_locked(m, m->root);
}

/* Attach, tucking a mount already on (@parent, @mp) on top of the stack
 * @child's tree has on its root (attach_recursive_mnt() does that with
 * mnt_change_mountpoint() on topmost_overmount()). */
static void attach_tuck_locked(struct vfs_mount *child, struct vfs_mount *parent,
			       struct vfs_dir_entry *mp)
{
	struct vfs_mount *q = vfs_mount_lookup_locked(parent, mp);
	struct vfs_mount *old_parent, *top = child, *over;

	if (q) {
		/* q keeps its tree reference; its parent reference moves. */
		old_parent = mount_unhash_locked(q);
		vfs_mount_attach_locked(child, parent, mp);
		while ((over = mount_overmount_locked(top)))
			top = over;
		vfs_mount_attach_locked(q, top, top->root);
		vfs_mount_put(old_parent);
		return;
	}
	vfs_mount_attach_locked(child, parent, mp);
}

int vfs_mount_graft_locked(struct vfs_mount *source, struct vfs_mount *dest,
			   struct vfs_dir_entry *mp)
{
	struct prop_list l = { 0 };
	struct vfs_mount **tree = NULL, *top = source, *over;
	size_t n = 0;
	int err = 0;

	/* The root of the tree's top becomes a mountpoint (tucks go there):
	 * get_mountpoint() refuses a removed one. */
	while ((over = mount_overmount_locked(top)))
		top = over;
	if (vfs_dir_entry_dead(top->root))
		return -ENOENT;

	if (is_shared(dest)) {
		/* invent_group_ids(): the new tree becomes shared. */
		err = vfs_mount_collect_locked(source, &tree, &n);
		for (size_t i = 0; i < n && !err; i++) {
			if (!is_shared(tree[i])) {
				int id = group_alloc_locked(source->kernel);

				if (id < 0)
					err = id;
				else
					tree[i]->group_id = id;
				tree[i]->group_pending = true;
			}
		}
		if (!err)
			err = propagate_mnt_locked(&l, dest, mp, source);
		if (err) {
			for (size_t i = 0; i < l.n; i++) {
				struct vfs_mount *chain = NULL;

				vfs_mount_detach_tree_locked(l.v[i].copy, &chain);
				vfs_mount_put_detached(chain);
			}
			free(l.v);
		}
		/* cleanup_group_ids() on failure: the copies are gone, so
		 * each invented group has one member again. */
		for (size_t i = 0; i < n; i++) {
			if (err && tree[i]->group_pending)
				peer_unlink(tree[i]);
			tree[i]->group_pending = false;
		}
		free(tree);
		if (err)
			return err;
	}
	vfs_mount_attach_locked(source, dest, mp);
	for (size_t i = 0; i < l.n; i++)
		attach_tuck_locked(l.v[i].copy, l.v[i].target, mp);
	free(l.v);
	return 0;
}

/* -------------------------------------------------------------- detach */

/* The mount after @m in a pre-order walk of @top's tree, or NULL. */
static struct vfs_mount *tree_next(struct vfs_mount *m, struct vfs_mount *top)
{
	if (m->submounts)
		return m->submounts;
	for (; m != top; m = m->parent)
		if (m->hh.next)
			return m->hh.next;
	return NULL;
}

/* Post-order: leaves first; each detached mount is made private and its
 * tree reference chained for the caller.  The whole tree is marked going
 * first, so that none of it is chosen to pass propagation on to the
 * slaves of another (propagation_source()). */
void vfs_mount_detach_tree_locked(struct vfs_mount *m,
				  struct vfs_mount **io_chain)
{
	struct vfs_mount *top = m;

	for (struct vfs_mount *x = m; x; x = tree_next(x, top))
		x->mark |= MARK_GOING;
	for (;;) {
		struct vfs_mount *next = m->submounts;
		struct vfs_mount *parent;
		bool last;

		if (next) {
			m = next;
			continue;
		}
		parent = m->parent;
		last = m == top;
		change_type_one_locked(m, MS_PRIVATE);
		m->unbindable = false;
		m->mark = 0;
		m->ns = NULL;
		if (m->parent)
			vfs_mount_put(mount_unhash_locked(m));
		m->chain = *io_chain;
		*io_chain = m;
		if (last)
			break;
		m = parent;
	}
}

/* Visit every mount @m's events propagate to: its peers (not @m) and,
 * recursively, the slaves of its group with their peers. */
static void propagation_visit(struct vfs_mount *m, bool self,
			      void (*fn)(struct vfs_mount *, void *), void *arg)
{
	struct vfs_mount *g = m;

	do {
		if (g != m || self)
			fn(g, arg);
		g = g->peer_next;
	} while (g != m);
	do {
		for (struct vfs_mount *s = g->slaves; s; s = s->slave_next)
			propagation_visit(s, true, fn, arg);
		g = g->peer_next;
	} while (g != m);
}

struct umount_ctx {
	struct vfs_dir_entry *mp;
	struct vfs_mount *skip;
	bool busy;
};

/* find_topper(): the one mount covering @c's root completely, if that is
 * all that is mounted on @c. */
static struct vfs_mount *mount_topper_locked(struct vfs_mount *c)
{
	struct vfs_mount *t = c->submounts;

	if (!t || HASH_COUNT(c->submounts) != 1 || t->mountpoint != c->root)
		return NULL;
	return t;
}

static void umount_busy(struct vfs_mount *x, void *arg)
{
	struct umount_ctx *u = arg;
	struct vfs_mount *c = vfs_mount_lookup_locked(x, u->mp);
	long count = 1;

	if (!c || c == u->skip)
		return;
	/* A topper's reference to its parent does not make it busy. */
	if (mount_topper_locked(c))
		count++;
	else if (c->submounts)
		return;
	if (vfs_refcount_read(&c->ref) > count)
		u->busy = true;
}

bool vfs_mount_busy_locked(struct vfs_mount *m, long extra)
{
	struct umount_ctx u = { .mp = m->mountpoint, .skip = m };

	if (m->submounts || vfs_refcount_read(&m->ref) > 1 + extra)
		return true;
	if (m->parent)
		propagation_visit(m->parent, false, umount_busy, &u);
	return u.busy;
}

/*
 * propagate_umount() as Linux 6.16 has it (its Documentation/filesystems/
 * propagate_umount.txt proves the steps).  The tree being unmounted, U,
 * is closed.  Candidates are the mounts on the same mountpoint as some
 * mount of U in a parent that receives propagation from that mount's
 * parent.  What goes is U plus the largest set of candidates that is
 * non-shifting: nothing that stays is mounted strictly inside a mount
 * that goes.  A mount that stays may only cover the root of one that
 * goes (an overmount); it slides down to where the bottom of its stack
 * was attached.  (Linux's second trim, of locked mounts, has nothing to
 * do here: libvfs has no mounts locked by a less privileged namespace.)
 */
static bool umount_stays(const struct vfs_mount *m)
{
	return !(m->mark & (MARK_GOING | MARK_CANDIDATE));
}

struct umount_gather {
	struct vfs_dir_entry *mp;
	struct vfs_mount **v;       /* candidates */
	size_t n, cap;
	int err;
};

static void umount_gather_one(struct vfs_mount *q, void *arg)
{
	struct umount_gather *g = arg;
	struct vfs_mount *c = vfs_mount_lookup_locked(q, g->mp);

	if (!c || c->mark || g->err)
		return;
	g->err = collect_push(&g->v, &g->n, &g->cap, c);
	if (!g->err)
		c->mark = MARK_CANDIDATE;
}

/* Something below @m stays: each ancestor it is strictly inside of (not
 * an overmount of) cannot go either. */
static void umount_trim_ancestors(struct vfs_mount *m)
{
	for (struct vfs_mount *p = m->parent;
	     p && (p->mark & MARK_CANDIDATE); m = p, p = p->parent) {
		if (m->mark & MARK_SEEN)
			return;	/* walked from here before */
		m->mark |= MARK_SEEN;
		if (m != mount_overmount_locked(p))
			p->mark &= ~MARK_CANDIDATE;
	}
}

static void umount_trim_one(struct vfs_mount *m)
{
	struct vfs_mount *over = mount_overmount_locked(m), *c, *tmp;
	bool found = false, forbidden = false;

	if (!(m->mark & MARK_CANDIDATE))
		return;
	HASH_ITER(hh, m->submounts, c, tmp) {
		if (!umount_stays(c))
			continue;
		found = true;
		if (c != over) {
			forbidden = true;
			break;
		}
	}
	if (found)
		umount_trim_ancestors(m);
	if (forbidden)
		m->mark &= ~MARK_CANDIDATE;
}

/* An overmount that stays, and where it slides to: the mountpoint of the
 * bottom of the stack of going mounts it sits on, in the first parent
 * that stays. */
struct umount_slide {
	struct vfs_mount *m;
	struct vfs_mount *parent;
	struct vfs_dir_entry *mp;
};

static struct umount_slide umount_slide_of(struct vfs_mount *m)
{
	struct umount_slide s = { .m = m };
	struct vfs_mount *p = m;

	do {
		s.mp = p->mountpoint;
		p = p->parent;
	} while (!umount_stays(p));
	s.parent = p;
	return s;
}

int vfs_mount_umount_tree_locked(struct vfs_mount *m,
				 struct vfs_mount **io_chain)
{
	struct umount_gather g = { 0 };
	struct vfs_mount **u = NULL, **tops = NULL;
	struct umount_slide *slides = NULL;
	size_t nu = 0, ntops = 0, nslides = 0;
	int err;

	err = vfs_mount_collect_locked(m, &u, &nu);
	if (err)
		return err;
	for (size_t i = 0; i < nu; i++)
		u[i]->mark = MARK_GOING;
	for (size_t i = 0; i < nu && !g.err; i++) {
		if (!u[i]->parent)
			continue;
		g.mp = u[i]->mountpoint;
		propagation_visit(u[i]->parent, false, umount_gather_one, &g);
	}
	err = g.err;
	/* One pass reaches the largest non-shifting subset (the document's
	 * argument for Trim_one()). */
	for (size_t i = 0; i < g.n && !err; i++)
		umount_trim_one(g.v[i]);
	/* The work lists, all allocated before the tree changes. */
	if (!err) {
		tops = calloc(nu + g.n, sizeof(*tops));
		slides = calloc(g.n + 1, sizeof(*slides));
		if (!tops || !slides)
			err = -ENOMEM;
	}
	if (!err) {
		/* Every mount that goes under a parent that stays heads a
		 * subtree that goes whole once the overmounts are off it. */
		if (!m->parent || umount_stays(m->parent))
			tops[ntops++] = m;
		for (size_t i = 0; i < g.n; i++) {
			struct vfs_mount *c = g.v[i];
			struct vfs_mount *over = mount_overmount_locked(c);

			if (!(c->mark & MARK_CANDIDATE))
				continue;
			if (umount_stays(c->parent))
				tops[ntops++] = c;
			if (over && umount_stays(over))
				slides[nslides++] = umount_slide_of(over);
		}
	}
	/* What goes stays marked going for the detach (which clears each
	 * mark as it goes); the rest is cleared now. */
	for (size_t i = 0; i < nu; i++)
		u[i]->mark = err ? 0 : MARK_GOING;
	for (size_t i = 0; i < g.n; i++)
		g.v[i]->mark = !err && (g.v[i]->mark & MARK_CANDIDATE) ?
			       MARK_GOING : 0;
	if (!err) {
		for (size_t i = 0; i < nslides; i++) {
			vfs_dir_entry_get(slides[i].mp);
			vfs_mount_put(mount_unhash_locked(slides[i].m));
		}
		for (size_t i = 0; i < ntops; i++)
			vfs_mount_detach_tree_locked(tops[i], io_chain);
		for (size_t i = 0; i < nslides; i++) {
			vfs_mount_attach_locked(slides[i].m, slides[i].parent,
						slides[i].mp);
			vfs_dir_entry_put(slides[i].mp);
		}
	}
	free(slides);
	free(tops);
	free(g.v);
	free(u);
	return err;
}

void vfs_mount_put_detached(struct vfs_mount *chain)
{
	while (chain) {
		struct vfs_mount *next = chain->chain;

		chain->chain = NULL;
		vfs_mount_put(chain);
		chain = next;
	}
}
