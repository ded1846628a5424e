/* SPDX-License-Identifier: MIT */
/*
 * vfs_brlock: a reader-writer lock for read-mostly structures (the dentry
 * tree of a file system), sharded so that readers on different threads
 * write to different cache lines.  A reader takes the shard its thread
 * maps to; a writer takes every shard in order.  Readers are cheap and
 * scale; writers pay VFS_BRLOCK_SHARDS lock operations.
 *
 * The shard of a thread is derived from the address of a thread-local
 * object that is never written, so there is no mutable global state.
 */
#ifndef VFS_BRLOCK_H
#define VFS_BRLOCK_H

#include <pthread.h>
#include <stdint.h>

#define VFS_BRLOCK_SHARDS 8

struct vfs_brlock {
	struct {
		pthread_rwlock_t lock;
	} __attribute__((aligned(64))) shard[VFS_BRLOCK_SHARDS];
};

static inline unsigned int vfs_brlock_shard(void)
{
	static _Thread_local const char anchor;
	uintptr_t a = (uintptr_t)&anchor;

	return (unsigned int)((a >> 12) ^ (a >> 20)) % VFS_BRLOCK_SHARDS;
}

static inline void vfs_brlock_init(struct vfs_brlock *l)
{
	for (int i = 0; i < VFS_BRLOCK_SHARDS; i++)
		pthread_rwlock_init(&l->shard[i].lock, NULL);
}

static inline void vfs_brlock_destroy(struct vfs_brlock *l)
{
	for (int i = 0; i < VFS_BRLOCK_SHARDS; i++)
		pthread_rwlock_destroy(&l->shard[i].lock);
}

static inline void vfs_brlock_rdlock(struct vfs_brlock *l)
{
	pthread_rwlock_rdlock(&l->shard[vfs_brlock_shard()].lock);
}

static inline void vfs_brlock_rdunlock(struct vfs_brlock *l)
{
	pthread_rwlock_unlock(&l->shard[vfs_brlock_shard()].lock);
}

static inline void vfs_brlock_wrlock(struct vfs_brlock *l)
{
	for (int i = 0; i < VFS_BRLOCK_SHARDS; i++)
		pthread_rwlock_wrlock(&l->shard[i].lock);
}

static inline void vfs_brlock_wrunlock(struct vfs_brlock *l)
{
	for (int i = VFS_BRLOCK_SHARDS - 1; i >= 0; i--)
		pthread_rwlock_unlock(&l->shard[i].lock);
}

#endif /* VFS_BRLOCK_H */
