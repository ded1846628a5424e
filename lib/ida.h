/* SPDX-License-Identifier: MIT */
/*
 * vfs_ida: small integer ids handed out lowest-free-first, as Linux's IDA
 * does for mount ids, peer group ids and anonymous device minors (so a
 * freed id comes back, and /proc texts match Linux's after churn).
 *
 * Locking: the owner's lock; these functions take none.
 */
#ifndef VFS_IDA_H
#define VFS_IDA_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct vfs_ida {
	uint64_t *words;
	size_t nwords;
};

/* The lowest free id >= @min, marked used; or -ENOMEM. */
static inline int vfs_ida_alloc(struct vfs_ida *ida, int min)
{
	size_t w = (size_t)min / 64;

	for (;; w++) {
		if (w == ida->nwords) {
			size_t n = ida->nwords ? ida->nwords * 2 : 4;
			uint64_t *nw = realloc(ida->words, n * sizeof(*nw));

			if (!nw)
				return -ENOMEM;
			memset(nw + ida->nwords, 0,
			       (n - ida->nwords) * sizeof(*nw));
			ida->words = nw;
			ida->nwords = n;
		}
		uint64_t free_bits = ~ida->words[w];

		if (w == (size_t)min / 64)
			free_bits &= ~0ULL << (min % 64);
		if (free_bits) {
			int bit = __builtin_ctzll(free_bits);

			ida->words[w] |= 1ULL << bit;
			return (int)(w * 64) + bit;
		}
	}
}

static inline void vfs_ida_free(struct vfs_ida *ida, int id)
{
	if (id >= 0 && (size_t)id / 64 < ida->nwords)
		ida->words[id / 64] &= ~(1ULL << (id % 64));
}

static inline void vfs_ida_destroy(struct vfs_ida *ida)
{
	free(ida->words);
	ida->words = NULL;
	ida->nwords = 0;
}

#endif /* VFS_IDA_H */
