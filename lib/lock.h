/* SPDX-License-Identifier: MIT */
/*
 * vfs_lock_t: a four-byte sleeping mutex (spin briefly, then futex), used
 * where a pthread_mutex_t's 40 bytes would be paid per object (fs nodes,
 * open files).  States: 0 unlocked, 1 locked, 2 locked with waiters.
 * Built on C11 atomics with acquire/release, so ThreadSanitizer models it.
 */
#ifndef VFS_LOCK_H
#define VFS_LOCK_H

#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

typedef struct {
	atomic_uint v;
} vfs_lock_t;

#define VFS_LOCK_INIT { 0 }

static inline void vfs_lock_init(vfs_lock_t *l)
{
	atomic_init(&l->v, 0);
}

static inline void vfs_lock_slow(vfs_lock_t *l)
{
	unsigned int c;

	for (int spin = 0; spin < 100; spin++) {
		c = 0;
		if (atomic_compare_exchange_weak_explicit(&l->v, &c, 1,
				memory_order_acquire, memory_order_relaxed))
			return;
		cpu_relax();
	}
	c = atomic_exchange_explicit(&l->v, 2, memory_order_acquire);
	while (c != 0) {
		syscall(SYS_futex, &l->v, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
		c = atomic_exchange_explicit(&l->v, 2, memory_order_acquire);
	}
}

static inline void vfs_lock(vfs_lock_t *l)
{
	unsigned int c = 0;

	if (!atomic_compare_exchange_strong_explicit(&l->v, &c, 1,
			memory_order_acquire, memory_order_relaxed))
		vfs_lock_slow(l);
}

static inline void vfs_unlock(vfs_lock_t *l)
{
	if (atomic_exchange_explicit(&l->v, 0, memory_order_release) == 2)
		syscall(SYS_futex, &l->v, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static inline int vfs_lock_held(vfs_lock_t *l)
{
	return atomic_load_explicit(&l->v, memory_order_relaxed) != 0;
}

#endif /* VFS_LOCK_H */
