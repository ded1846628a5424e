/* SPDX-License-Identifier: MIT */
/*
 * Atomic reference counts.  get is relaxed (a reference is only ever taken
 * from one already held, or under the lock of a structure that publishes
 * the object); put is acq_rel so the last putter sees every write made
 * under earlier references.  Underflow aborts: it is always our bug.
 */
#ifndef VFS_REFCOUNT_H
#define VFS_REFCOUNT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct {
	atomic_long n;
} vfs_refcount_t;

static inline void vfs_refcount_init(vfs_refcount_t *r, long v)
{
	atomic_init(&r->n, v);
}

static inline void vfs_refcount_inc(vfs_refcount_t *r)
{
	atomic_fetch_add_explicit(&r->n, 1, memory_order_relaxed);
}

/* True when this put dropped the last reference. */
static inline bool vfs_refcount_dec(vfs_refcount_t *r)
{
	long old = atomic_fetch_sub_explicit(&r->n, 1, memory_order_acq_rel);

	if (old <= 0)
		abort();
	return old == 1;
}

static inline long vfs_refcount_read(vfs_refcount_t *r)
{
	return atomic_load_explicit(&r->n, memory_order_acquire);
}

#endif /* VFS_REFCOUNT_H */
