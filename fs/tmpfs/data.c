// SPDX-License-Identifier: MIT
/*
 * tmpfs file contents: the sparse page store of a regular file, read,
 * write, truncation (setattr of the size) and the rest of setattr,
 * fallocate (allocate, keep-size, punch hole) and SEEK_DATA/SEEK_HOLE.
 *
 * Pages are 4 KiB and charged one by one against size= (used_blocks in
 * super.c) when first written or fallocated; st_blocks is 8 per charged
 * page, whatever the file size says, so a 1 GiB file with one written page
 * has 8 blocks and costs one page plus three small tree nodes.  As in
 * Linux, a page fallocated and never written is charged but is a hole to
 * SEEK_DATA/SEEK_HOLE; fallocating it again makes it data (shmem's
 * SGP_FALLOC), and a failed fallocate gives back only the pages it added.
 *
 * Locking: every entry point here runs with the node's lock held by the
 * core, which guards the tree, tmpfs_node.nr_pages and the attributes.
 * Fs-wide counters are atomics (super.c).  vfs_tmpfs_pages_free() runs at
 * evict, when nothing else can reach the node.
 */
#include <assert.h>
#include <errno.h>
#include <linux/falloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define RADIX_SHIFT 6
#define RADIX_SLOTS (1u << RADIX_SHIFT)
#define RADIX_MASK  (RADIX_SLOTS - 1)
/* 9 levels of 6 bits cover the 51 bits of page index a 2^63 file needs. */
#define RADIX_MAX_HEIGHT 9

struct radix_node {
	void *slot[RADIX_SLOTS];
	unsigned int count;                 /* non-NULL slots */
};

static inline bool page_is_buffer(void *e)
{
	return e && e != TMPFS_PAGE_FALLOC && e != TMPFS_PAGE_ZERO;
}

/* Up to date: data to SEEK_DATA (ZERO or a buffer). */
static inline bool page_is_uptodate(void *e)
{
	return e && e != TMPFS_PAGE_FALLOC;
}

static inline unsigned int radix_shift(unsigned int height)
{
	return (height - 1) * RADIX_SHIFT;
}

/* Indexes a tree of @height covers: [0, 64^height). */
static inline uint64_t radix_capacity(unsigned int height)
{
	return (uint64_t)1 << (height * RADIX_SHIFT);
}

/* ------------------------------------------------------------ the tree */

static void *pages_lookup(const struct tmpfs_pages *p, uint64_t index)
{
	const struct radix_node *n = p->root;
	unsigned int h;

	if (!p->height || index >= radix_capacity(p->height))
		return NULL;
	for (h = p->height; h > 1; h--) {
		n = n->slot[(index >> radix_shift(h)) & RADIX_MASK];
		if (!n)
			return NULL;
	}
	return n->slot[index & RADIX_MASK];
}

/* The leaf slot of @index and the leaf node holding it, making the path
 * to it.  Whoever fills a NULL slot counts it in (*out_leaf)->count.
 * NULL: -ENOMEM (nodes made on the way stay, empty: see pages_prune). */
static void **pages_slot(struct tmpfs_pages *p, uint64_t index,
			 struct radix_node **out_leaf)
{
	struct radix_node *n, *child;
	unsigned int h;

	if (!p->root) {
		/* An empty tree starts as tall as @index needs. */
		unsigned int height = 1;

		while (index >= radix_capacity(height))
			height++;
		p->root = calloc(1, sizeof(struct radix_node));
		if (!p->root)
			return NULL;
		p->height = height;
	}
	while (index >= radix_capacity(p->height)) {
		n = calloc(1, sizeof(*n));
		if (!n)
			return NULL;
		n->slot[0] = p->root;
		n->count = 1;
		p->root = n;
		p->height++;
	}
	assert(p->height <= RADIX_MAX_HEIGHT);
	n = p->root;
	for (h = p->height; h > 1; h--) {
		unsigned int i = (index >> radix_shift(h)) & RADIX_MASK;

		child = n->slot[i];
		if (!child) {
			child = calloc(1, sizeof(*child));
			if (!child)
				return NULL;
			n->slot[i] = child;
			n->count++;
		}
		n = child;
	}
	*out_leaf = n;
	return &n->slot[index & RADIX_MASK];
}

/* The first entry at an index >= @index in the subtree @n of @height
 * whose first index is @base. */
static void *radix_next(struct radix_node *n, unsigned int height,
			uint64_t base, uint64_t index, uint64_t *out_index)
{
	unsigned int shift = radix_shift(height);
	uint64_t i = index > base ? (index - base) >> shift : 0;

	for (; i < RADIX_SLOTS; i++) {
		uint64_t child_base = base + ((uint64_t)i << shift);
		void *e = n->slot[i];

		if (!e)
			continue;
		if (height == 1) {
			*out_index = child_base;
			return e;
		}
		e = radix_next(e, height - 1, child_base, index, out_index);
		if (e)
			return e;
	}
	return NULL;
}

static void *pages_next(const struct tmpfs_pages *p, uint64_t index,
			uint64_t *out_index)
{
	if (!p->height || index >= radix_capacity(p->height))
		return NULL;
	return radix_next(p->root, p->height, 0, index, out_index);
}

/* Remove the leaves in [start, end) of subtree @n (only fallocated ones
 * if @falloc_only), freeing their memory and the nodes left empty.
 * Returns how many leaves went. */
static uint64_t radix_remove(struct radix_node *n, unsigned int height,
			     uint64_t base, uint64_t start, uint64_t end,
			     bool falloc_only)
{
	unsigned int shift = radix_shift(height);
	uint64_t i = start > base ? (start - base) >> shift : 0;
	uint64_t removed = 0;

	for (; i < RADIX_SLOTS; i++) {
		uint64_t child_base = base + ((uint64_t)i << shift);
		void *e = n->slot[i];

		if (child_base >= end)
			break;
		if (!e)
			continue;
		if (height == 1) {
			if (falloc_only && e != TMPFS_PAGE_FALLOC)
				continue;
			if (page_is_buffer(e))
				free(e);
			n->slot[i] = NULL;
			n->count--;
			removed++;
			continue;
		}
		removed += radix_remove(e, height - 1, child_base, start, end,
					falloc_only);
		if (!((struct radix_node *)e)->count) {
			free(e);
			n->slot[i] = NULL;
			n->count--;
		}
	}
	return removed;
}

/* Drop a root with one child in slot 0, and an empty root. */
static void pages_shrink(struct tmpfs_pages *p)
{
	struct radix_node *n;

	while (p->height) {
		n = p->root;
		if (!n->count) {
			free(n);
			p->root = NULL;
			p->height = 0;
			return;
		}
		if (p->height == 1 || n->count != 1 || !n->slot[0])
			return;
		p->root = n->slot[0];
		p->height--;
		free(n);
	}
}

/* Remove the pages in [start, end) (page indexes) and uncharge them. */
static void pages_remove_range(struct tmpfs_super *sb, struct tmpfs_node *tn,
			       uint64_t start, uint64_t end, bool falloc_only)
{
	uint64_t removed;

	if (!tn->pages.height || start >= end)
		return;
	removed = radix_remove(tn->pages.root, tn->pages.height, 0, start, end,
			       falloc_only);
	pages_shrink(&tn->pages);
	assert(removed <= tn->nr_pages);
	tn->nr_pages -= removed;
	vfs_tmpfs_release_pages(sb, removed);
}

void vfs_tmpfs_pages_free(struct tmpfs_super *sb, struct tmpfs_node *tn)
{
	pages_remove_range(sb, tn, 0, UINT64_MAX, false);
	/* What is left is not in the tree: a long symlink's page. */
	vfs_tmpfs_release_pages(sb, tn->nr_pages);
	tn->nr_pages = 0;
}

/* Zero bytes [from, to) of page @index, if it has memory. */
static void pages_zero(struct tmpfs_node *tn, uint64_t index, unsigned int from,
		       unsigned int to)
{
	void *e = pages_lookup(&tn->pages, index);

	if (page_is_buffer(e) && from < to)
		memset((char *)e + from, 0, to - from);
}

/* shmem_undo_range(): punch bytes [lstart, lend] (lend inclusive;
 * UINT64_MAX for "to the end"): whole pages go, partial ones are zeroed. */
static void pages_punch(struct tmpfs_super *sb, struct tmpfs_node *tn,
			uint64_t lstart, uint64_t lend)
{
	uint64_t start = (lstart + TMPFS_PAGE_SIZE - 1) >> TMPFS_PAGE_SHIFT;
	uint64_t end = lend == UINT64_MAX ? UINT64_MAX :
		       (lend + 1) >> TMPFS_PAGE_SHIFT;
	unsigned int partial_start = lstart & (TMPFS_PAGE_SIZE - 1);
	unsigned int partial_end = lend == UINT64_MAX ? 0 :
				   (lend + 1) & (TMPFS_PAGE_SIZE - 1);

	if (partial_start) {
		unsigned int top = TMPFS_PAGE_SIZE;

		if (start > end) {
			/* Both ends in one page. */
			top = partial_end;
			partial_end = 0;
		}
		pages_zero(tn, start - 1, partial_start, top);
	}
	if (partial_end)
		pages_zero(tn, end, 0, partial_end);
	if (start < end)
		pages_remove_range(sb, tn, start, end, false);
}

static void tmpfs_sync_blocks_locked(struct vfs_fs_node *node)
{
	vfs_fs_node_attr(node)->blocks =
		tmpfs_node_of(node)->nr_pages * TMPFS_BLOCKS_PER_PAGE;
}

/* ------------------------------------------------------------ read/write */

ssize_t vfs_tmpfs_read(struct vfs_fs_node *node, void *priv, void *buf,
		       size_t count,
		       off_t pos)
{
	struct tmpfs_node *tn = tmpfs_node_of(node);
	off_t size = vfs_fs_node_attr(node)->size;
	char *out = buf;
	size_t done = 0;

	if (pos < 0)
		return -EINVAL;
	if (pos >= size)
		return 0;
	if (count > (uint64_t)(size - pos))
		count = (size_t)(size - pos);
	while (done < count) {
		uint64_t at = (uint64_t)pos + done;
		unsigned int off = at & (TMPFS_PAGE_SIZE - 1);
		size_t n = TMPFS_PAGE_SIZE - off;
		void *e = pages_lookup(&tn->pages, at >> TMPFS_PAGE_SHIFT);

		if (n > count - done)
			n = count - done;
		if (page_is_buffer(e))
			memcpy(out + done, (char *)e + off, n);
		else
			memset(out + done, 0, n);
		done += n;
	}
	return (ssize_t)done;
}

/* Free the tree nodes left empty on the way to @index (after a failed
 * pages_slot or a failed charge of a hole). */
static void pages_prune(struct tmpfs_super *sb, struct tmpfs_node *tn,
			uint64_t index)
{
	if (!pages_lookup(&tn->pages, index))
		pages_remove_range(sb, tn, index, index + 1, false);
}

/* The page at @index, ready to be written: a buffer, charged.  A page
 * that was a hole is charged here (-ENOSPC); one that was fallocated or
 * zero gets its memory, zeroed. */
static int tmpfs_page_for_write(struct tmpfs_super *sb, struct tmpfs_node *tn,
				uint64_t index, char **out_page)
{
	struct radix_node *leaf;
	void **slot = pages_slot(&tn->pages, index, &leaf);
	char *page;
	int err;

	*out_page = NULL;
	if (!slot) {
		pages_prune(sb, tn, index);
		return -ENOMEM;
	}
	if (page_is_buffer(*slot)) {
		*out_page = *slot;
		return 0;
	}
	if (!*slot) {
		err = vfs_tmpfs_reserve_pages(sb, 1);
		if (err) {
			pages_prune(sb, tn, index);
			return err;
		}
	}
	page = calloc(1, TMPFS_PAGE_SIZE);
	if (!page) {
		if (!*slot) {
			vfs_tmpfs_release_pages(sb, 1);
			pages_prune(sb, tn, index);
		}
		return -ENOMEM;
	}
	if (!*slot) {
		leaf->count++;
		tn->nr_pages++;
	}
	*slot = page;
	*out_page = page;
	return 0;
}

ssize_t vfs_tmpfs_write(struct vfs_fs_node *node, void *priv,
			const void *buf,
			size_t count, off_t pos)
{
	struct tmpfs_super *sb = tmpfs_super_of(node);
	struct tmpfs_node *tn = tmpfs_node_of(node);
	struct vfs_node_attr *a = vfs_fs_node_attr(node);
	const char *in = buf;
	struct timespec now;
	size_t done = 0;
	int err = 0;

	if (pos < 0)
		return -EINVAL;
	if (!count)
		return 0;
	/* generic_write_checks() against s_maxbytes. */
	if (pos >= TMPFS_MAX_FILE_SIZE)
		return -EFBIG;
	if (count > (uint64_t)(TMPFS_MAX_FILE_SIZE - pos))
		count = (size_t)(TMPFS_MAX_FILE_SIZE - pos);
	/* file_update_time() comes before the copy: even a write that
	 * fails with ENOSPC moves mtime and ctime. */
	vfs_fs_time_now(&now);
	a->mtime = now;
	a->ctime = now;
	while (done < count) {
		uint64_t at = (uint64_t)pos + done;
		unsigned int off = at & (TMPFS_PAGE_SIZE - 1);
		size_t n = TMPFS_PAGE_SIZE - off;
		char *page;

		if (n > count - done)
			n = count - done;
		err = tmpfs_page_for_write(sb, tn, at >> TMPFS_PAGE_SHIFT,
					   &page);
		if (err)
			break;
		memcpy(page + off, in + done, n);
		done += n;
	}
	tmpfs_sync_blocks_locked(node);
	if (done && (off_t)(pos + done) > a->size)
		a->size = (off_t)(pos + done);
	return done ? (ssize_t)done : err;
}

/* ------------------------------------------------------------ setattr */

/* shmem_truncate_range(): punch [lstart, lend] and stamp mtime/ctime. */
static void tmpfs_truncate_range_locked(struct vfs_fs_node *node,
					uint64_t lstart, uint64_t lend)
{
	struct vfs_node_attr *a = vfs_fs_node_attr(node);
	struct timespec now;

	pages_punch(tmpfs_super_of(node), tmpfs_node_of(node), lstart, lend);
	tmpfs_sync_blocks_locked(node);
	vfs_fs_time_now(&now);
	a->mtime = now;
	a->ctime = now;
}

int vfs_tmpfs_setattr(struct vfs_fs_node *node, const struct vfs_setattr *sa)
{
	struct vfs_node_attr *a = vfs_fs_node_attr(node);
	bool update_ctime = false, update_mtime = false;
	struct timespec now;

	/* shmem_setattr(): a size change stamps mtime and ctime; the same
	 * size stamps nothing of its own, but still drops the pages past
	 * EOF (and so stamps both) when the file has any.  Other times come
	 * only as the core asks (VFS_ATTR_CTIME for chmod, chown, ...; an
	 * atime update leaves ctime alone). */
	if ((sa->valid & VFS_ATTR_SIZE) && S_ISREG(a->mode)) {
		off_t oldsize = a->size, newsize = sa->size;

		if (newsize < 0)
			return -EINVAL;
		if (newsize != oldsize) {
			a->size = newsize;
			update_ctime = update_mtime = true;
		}
		if (newsize <= oldsize && tmpfs_node_of(node)->nr_pages)
			tmpfs_truncate_range_locked(node, (uint64_t)newsize,
						    UINT64_MAX);
	}
	vfs_setattr_copy(node, sa);
	if (update_ctime) {
		vfs_fs_time_now(&now);
		a->ctime = now;
		if (update_mtime)
			a->mtime = now;
	}
	return 0;
}

/* ------------------------------------------------------------ fallocate */

static int tmpfs_allocate_locked(struct vfs_fs_node *node, int mode,
				 off_t offset, off_t len)
{
	struct tmpfs_super *sb = tmpfs_super_of(node);
	struct tmpfs_node *tn = tmpfs_node_of(node);
	struct vfs_node_attr *a = vfs_fs_node_attr(node);
	uint64_t start = (uint64_t)offset >> TMPFS_PAGE_SHIFT;
	uint64_t end = ((uint64_t)offset + (uint64_t)len + TMPFS_PAGE_SIZE - 1) >>
		       TMPFS_PAGE_SHIFT;
	uint64_t index;
	int err = 0;

	if (sb->max_blocks && end - start > sb->max_blocks)
		return -ENOSPC;
	for (index = start; index < end; index++) {
		struct radix_node *leaf;
		void **slot = pages_slot(&tn->pages, index, &leaf);

		if (!slot) {
			err = -ENOMEM;
			break;
		}
		if (*slot) {
			/* SGP_FALLOC makes an earlier fallocated page up
			 * to date, so that undo below cannot take it. */
			if (*slot == TMPFS_PAGE_FALLOC)
				*slot = TMPFS_PAGE_ZERO;
			continue;
		}
		err = vfs_tmpfs_reserve_pages(sb, 1);
		if (err)
			break;
		*slot = TMPFS_PAGE_FALLOC;
		leaf->count++;
		tn->nr_pages++;
	}
	if (err) {
		/* Give back the pages this call added (and any node
		 * pages_slot made for the one that failed). */
		pages_remove_range(sb, tn, start, index + 1, true);
		tmpfs_sync_blocks_locked(node);
		return err;
	}
	tmpfs_sync_blocks_locked(node);
	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > a->size)
		a->size = offset + len;
	return 0;
}

int vfs_tmpfs_fallocate(struct vfs_fs_node *node, int mode, off_t offset,
			off_t len)
{
	struct vfs_node_attr *a = vfs_fs_node_attr(node);
	struct timespec now;
	int err;

	if (offset < 0 || len <= 0 || len > TMPFS_MAX_FILE_SIZE - offset)
		return offset < 0 || len <= 0 ? -EINVAL : -EFBIG;
	if (mode == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)) {
		tmpfs_truncate_range_locked(node, (uint64_t)offset,
					    (uint64_t)offset + (uint64_t)len - 1);
	} else if (mode == 0 || mode == FALLOC_FL_KEEP_SIZE) {
		err = tmpfs_allocate_locked(node, mode, offset, len);
		if (err)
			return err;
	} else {
		return -EOPNOTSUPP;
	}
	/* file_modified() */
	vfs_fs_time_now(&now);
	a->mtime = now;
	a->ctime = now;
	return 0;
}

/* ------------------------------------------------------------ seek */

off_t vfs_tmpfs_seek_data(struct vfs_fs_node *node, off_t offset, int whence)
{
	struct tmpfs_node *tn = tmpfs_node_of(node);
	off_t size = vfs_fs_node_attr(node)->size;
	uint64_t index, last, found;
	void *e;

	if (offset < 0 || offset >= size)
		return -ENXIO;
	index = (uint64_t)offset >> TMPFS_PAGE_SHIFT;
	/* mapping_seek_hole_data() looks at pages up to the one holding
	 * the last byte, and a page not up to date is a hole. */
	last = (uint64_t)(size - 1) >> TMPFS_PAGE_SHIFT;
	if (whence == SEEK_DATA) {
		while ((e = pages_next(&tn->pages, index, &found)) &&
		       found <= last) {
			if (page_is_uptodate(e)) {
				off_t at = (off_t)(found << TMPFS_PAGE_SHIFT);

				return at > offset ? at : offset;
			}
			index = found + 1;
		}
		return -ENXIO;
	}
	if (whence != SEEK_HOLE)
		return -EINVAL;
	for (; index <= last; index++) {
		if (!page_is_uptodate(pages_lookup(&tn->pages, index))) {
			off_t at = (off_t)(index << TMPFS_PAGE_SHIFT);

			return at > offset ? at : offset;
		}
	}
	return size;
}
