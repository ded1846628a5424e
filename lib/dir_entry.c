// SPDX-License-Identifier: MIT
/*
 * DirEntry: a name for a node, and the dentry cache built from them.  Owns
 * entry allocation, the children hash of each directory entry (uthash by
 * name), the listing order of a directory (Linux's d_children order:
 * new and moved entries first) with each entry's stable offset (its
 * cookie, what getdents64 resumes at), and moves for rename.
 *
 * Locking: every structural field ([d] in internal.h) is guarded by the
 * file system's tree_lock: readers (path walks, path computation, readdir)
 * take it shared, the namespace changes in sys_namei.c take it exclusive
 * for the few instructions that rewire entries.  Never held across a
 * filesystem op.  The refcount is atomic; an entry is freed when its last
 * reference goes and it is no longer hashed.  A hashed entry of a
 * dcache-complete filesystem holds a pin, so it never reaches zero.
 */
#include "internal.h"

#include <stdlib.h>

static int dir_entry_set_name(struct vfs_dir_entry *e, const char *name,
			      size_t len)
{
	char *buf = e->iname;

	if (len >= VFS_INLINE_NAME) {
		buf = malloc(len + 1);
		if (!buf)
			return -ENOMEM;
	}
	memcpy(buf, name, len);
	buf[len] = '\0';
	if (e->name && e->name != e->iname)
		free(e->name);
	e->name = buf;
	e->name_len = (uint16_t)len;
	return 0;
}

int vfs_dir_entry_alloc(struct vfs_fs_node *node, const char *name,
			size_t len, struct vfs_dir_entry **out_entry)
{
	struct vfs_dir_entry *e = calloc(1, sizeof(*e));

	*out_entry = NULL;
	if (!e) {
		vfs_fs_node_put(node);
		return -ENOMEM;
	}
	if (dir_entry_set_name(e, name, len)) {
		free(e);
		vfs_fs_node_put(node);
		return -ENOMEM;
	}
	vfs_refcount_init(&e->ref, 1);
	atomic_init(&e->mounted, 0);
	e->node = node;
	e->next_cookie = 3;	/* Linux's DIR_OFFSET_MIN */
	vfs_kernel_count(node->fs->kernel, VFS_OBJ_ENTRY, 1);
	*out_entry = e;
	return 0;
}

struct vfs_dir_entry *vfs_dir_entry_get(struct vfs_dir_entry *e)
{
	if (e)
		vfs_refcount_inc(&e->ref);
	return e;
}

static void dir_entry_free(struct vfs_dir_entry *e)
{
	struct vfs_fs_node *node = e->node;

	assert(!e->children);
	vfs_kernel_count(node->fs->kernel, VFS_OBJ_ENTRY, -1);
	if (e->name != e->iname)
		free(e->name);
	free(e);
	vfs_fs_node_put(node);
}

void vfs_dir_entry_put(struct vfs_dir_entry *e)
{
	while (e && vfs_refcount_dec(&e->ref)) {
		struct vfs_dir_entry *parent = e->parent;

		/* Hashed entries of a dcache-complete fs are pinned; any
		 * other entry reaching zero has been unhashed already. */
		assert((e->flags & VFS_DENTRY_DEAD) || !parent);
		dir_entry_free(e);
		e = parent;
	}
}

struct vfs_dir_entry *vfs_dir_entry_find_locked(struct vfs_dir_entry *dir,
						const char *name, size_t len)
{
	struct vfs_dir_entry *child = NULL;

	HASH_FIND(hh, dir->children, name, len, child);
	return child;
}

/* Link @e first in @dir's listing order (Linux adds to the head of
 * d_children on every create, move and exchange). */
static void dir_entry_link_first_locked(struct vfs_dir_entry *dir,
					struct vfs_dir_entry *e)
{
	e->sib_prev = NULL;
	e->sib_next = dir->child_first;
	if (dir->child_first)
		dir->child_first->sib_prev = e;
	dir->child_first = e;
}

void vfs_dir_entry_add_locked(struct vfs_dir_entry *dir,
			      struct vfs_dir_entry *child)
{
	child->parent = vfs_dir_entry_get(dir);
	child->flags &= ~VFS_DENTRY_DEAD;
	HASH_ADD_KEYPTR(hh, dir->children, child->name, child->name_len, child);
	child->cookie = dir->next_cookie++;
	dir_entry_link_first_locked(dir, child);
	if (child->node->fs->flags & VFS_FS_DCACHE_COMPLETE) {
		vfs_dir_entry_get(child);
		child->flags |= VFS_DENTRY_PINNED;
	}
}

static void dir_entry_unhash_locked(struct vfs_dir_entry *child)
{
	struct vfs_dir_entry *dir = child->parent;

	HASH_DELETE(hh, dir->children, child);
	if (child->sib_prev)
		child->sib_prev->sib_next = child->sib_next;
	else
		dir->child_first = child->sib_next;
	if (child->sib_next)
		child->sib_next->sib_prev = child->sib_prev;
	child->sib_next = child->sib_prev = NULL;
}

struct vfs_dir_entry *vfs_dir_entry_kill_locked(struct vfs_dir_entry *child)
{
	dir_entry_unhash_locked(child);
	child->flags |= VFS_DENTRY_DEAD;
	if (child->flags & VFS_DENTRY_PINNED) {
		child->flags &= ~VFS_DENTRY_PINNED;
		return child;
	}
	return NULL;
}

int vfs_dir_entry_name_prealloc(size_t len, char **out_buf)
{
	*out_buf = NULL;
	if (len < VFS_INLINE_NAME)
		return 0;
	*out_buf = malloc(len + 1);
	return *out_buf ? 0 : -ENOMEM;
}

void vfs_dir_entry_move_locked(struct vfs_dir_entry *e, struct vfs_dir_entry *dir,
			       const char *name, size_t len, char *buf,
			       uint64_t cookie, struct vfs_dir_entry *whiteout,
			       struct vfs_dir_entry **out_old_parent)
{
	struct vfs_dir_entry *old_parent = e->parent;

	dir_entry_unhash_locked(e);
	/* The whiteout takes the old name before the entry lands in its new
	 * place, as shmem_rename2() makes it first. */
	if (whiteout)
		vfs_dir_entry_add_locked(old_parent, whiteout);
	if (e->name != e->iname)
		free(e->name);
	e->name = buf ? buf : e->iname;
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->name_len = (uint16_t)len;
	/* Re-add without a second pin: the entry keeps the one it had. */
	e->parent = vfs_dir_entry_get(dir);
	HASH_ADD_KEYPTR(hh, dir->children, e->name, e->name_len, e);
	/* Over a victim it takes the victim's offset (simple_offset_replace),
	 * else a new one. */
	e->cookie = cookie ? cookie : dir->next_cookie++;
	dir_entry_link_first_locked(dir, e);
	*out_old_parent = old_parent;
}

/* Swap the places of @a and @b (RENAME_EXCHANGE). */
void vfs_dir_entry_exchange_locked(struct vfs_dir_entry *a,
				   struct vfs_dir_entry *b)
{
	struct vfs_dir_entry *pa = a->parent, *pb = b->parent;
	struct vfs_dir_entry tmp;
	uint64_t ca = a->cookie, cb = b->cookie;

	dir_entry_unhash_locked(a);
	dir_entry_unhash_locked(b);
	/* Swap names (inline buffers copied, heap pointers moved). */
	tmp.name_len = a->name_len;
	memcpy(tmp.iname, a->iname, sizeof(tmp.iname));
	tmp.name = a->name == a->iname ? NULL : a->name;
	a->name = b->name == b->iname ? a->iname : b->name;
	if (b->name == b->iname)
		memcpy(a->iname, b->iname, sizeof(a->iname));
	a->name_len = b->name_len;
	b->name = tmp.name ? tmp.name : b->iname;
	if (!tmp.name)
		memcpy(b->iname, tmp.iname, sizeof(b->iname));
	b->name_len = tmp.name_len;
	a->parent = pb;
	b->parent = pa;
	HASH_ADD_KEYPTR(hh, pb->children, a->name, a->name_len, a);
	HASH_ADD_KEYPTR(hh, pa->children, b->name, b->name_len, b);
	/* Each takes the other's offset; both go first in listing order,
	 * @a (the rename's source entry) ahead, as Linux's d_exchange(). */
	a->cookie = cb;
	b->cookie = ca;
	dir_entry_link_first_locked(pa, b);
	dir_entry_link_first_locked(pb, a);
}
