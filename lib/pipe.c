// SPDX-License-Identifier: MIT
/*
 * FIFOs: the pipe behind a named pipe node while it is open, as Linux's
 * fs/pipe.c does it.  Owns the ring buffer, the reader and writer counts,
 * fifo_open()'s rendezvous (a blocking open waits for the other side),
 * reads that wait for data and writes that wait for room (atomic up to
 * PIPE_BUF), EOF once the last writer is gone, EPIPE once the last reader
 * is, and the end of the pipe with its last file.
 *
 * Locking: node->lock guards node->pipe (creation and teardown); the
 * pipe's own mutex guards everything inside it and is what waiters sleep
 * on.  Order: node lock, then pipe lock.  No wait holds the node lock.
 */
#include "internal.h"

#include <limits.h>
#include <stdlib.h>

#define VFS_PIPE_SIZE 65536     /* Linux's default: 16 pages */

struct vfs_pipe {
	pthread_mutex_t lock;
	pthread_cond_t changed;     /* counts, data or room changed */
	unsigned int files;         /* open files using it */
	unsigned int readers;
	unsigned int writers;
	unsigned int r_counter;     /* opens for reading ever, for rendezvous */
	unsigned int w_counter;
	size_t head;                /* first byte of data in buf */
	size_t len;                 /* bytes of data */
	char buf[VFS_PIPE_SIZE];
};

/* Drop one file's share of @p and release p->lock (node lock held). */
static void pipe_drop_locked(struct vfs_fs_node *node, struct vfs_pipe *p,
			     bool reader, bool writer)
{
	if (reader)
		p->readers--;
	if (writer)
		p->writers--;
	pthread_cond_broadcast(&p->changed);
	if (--p->files) {
		pthread_mutex_unlock(&p->lock);
		return;
	}
	/* The last file: the pipe and whatever it still held are gone. */
	node->pipe = NULL;
	pthread_mutex_unlock(&p->lock);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->changed);
	free(p);
}

int vfs_pipe_open(struct vfs_fs_node *node, unsigned int flags,
		  struct vfs_pipe **out_pipe)
{
	struct vfs_pipe *p;
	unsigned int seen;

	*out_pipe = NULL;
	if ((flags & O_ACCMODE) == 3)
		return -EINVAL;
	vfs_lock(&node->lock);
	p = node->pipe;
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p) {
			vfs_unlock(&node->lock);
			return -ENOMEM;
		}
		pthread_mutex_init(&p->lock, NULL);
		pthread_cond_init(&p->changed, NULL);
		node->pipe = p;
	}
	pthread_mutex_lock(&p->lock);
	p->files++;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		p->r_counter++;
		p->readers++;
		pthread_cond_broadcast(&p->changed);
		vfs_unlock(&node->lock);
		/* Wait for a writer unless one is there or O_NONBLOCK. */
		seen = p->w_counter;
		if (!p->writers && !(flags & O_NONBLOCK))
			while (p->w_counter == seen)
				pthread_cond_wait(&p->changed, &p->lock);
		break;
	case O_WRONLY:
		if ((flags & O_NONBLOCK) && !p->readers) {
			pipe_drop_locked(node, p, false, false);
			vfs_unlock(&node->lock);
			return -ENXIO;
		}
		p->w_counter++;
		p->writers++;
		pthread_cond_broadcast(&p->changed);
		vfs_unlock(&node->lock);
		seen = p->r_counter;
		if (!p->readers)
			while (p->r_counter == seen)
				pthread_cond_wait(&p->changed, &p->lock);
		break;
	default:
		p->r_counter++;
		p->w_counter++;
		p->readers++;
		p->writers++;
		pthread_cond_broadcast(&p->changed);
		vfs_unlock(&node->lock);
		break;
	}
	pthread_mutex_unlock(&p->lock);
	*out_pipe = p;
	return 0;
}

void vfs_pipe_release(struct vfs_fs_node *node, struct vfs_pipe *p,
		      unsigned int fmode)
{
	vfs_lock(&node->lock);
	pthread_mutex_lock(&p->lock);
	pipe_drop_locked(node, p, fmode & VFS_FMODE_READ,
			 fmode & VFS_FMODE_WRITE);
	vfs_unlock(&node->lock);
}

ssize_t vfs_pipe_read(struct vfs_pipe *p, void *buf, size_t count,
		      bool nonblock, bool may_wait)
{
	size_t done = 0;

	if (count == 0)
		return 0;
	pthread_mutex_lock(&p->lock);
	while (p->len == 0) {
		if (!p->writers || !may_wait) {
			pthread_mutex_unlock(&p->lock);
			return 0;
		}
		if (nonblock) {
			pthread_mutex_unlock(&p->lock);
			return -EAGAIN;
		}
		pthread_cond_wait(&p->changed, &p->lock);
	}
	while (done < count && p->len) {
		size_t chunk = VFS_PIPE_SIZE - p->head;

		if (chunk > p->len)
			chunk = p->len;
		if (chunk > count - done)
			chunk = count - done;
		memcpy((char *)buf + done, p->buf + p->head, chunk);
		p->head = (p->head + chunk) % VFS_PIPE_SIZE;
		p->len -= chunk;
		done += chunk;
	}
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return (ssize_t)done;
}

ssize_t vfs_pipe_write(struct vfs_pipe *p, const void *buf, size_t count,
		       bool nonblock)
{
	size_t done = 0;

	if (count == 0)
		return 0;
	pthread_mutex_lock(&p->lock);
	while (done < count) {
		size_t room = VFS_PIPE_SIZE - p->len;

		if (!p->readers) {
			pthread_mutex_unlock(&p->lock);
			return done ? (ssize_t)done : -EPIPE;
		}
		/* Writes up to PIPE_BUF go in whole or not at all. */
		if (room == 0 || (count <= PIPE_BUF && room < count)) {
			if (nonblock) {
				pthread_mutex_unlock(&p->lock);
				return done ? (ssize_t)done : -EAGAIN;
			}
			pthread_cond_wait(&p->changed, &p->lock);
			continue;
		}
		while (room && done < count) {
			size_t tail = (p->head + p->len) % VFS_PIPE_SIZE;
			size_t chunk = VFS_PIPE_SIZE - tail;

			if (chunk > room)
				chunk = room;
			if (chunk > count - done)
				chunk = count - done;
			memcpy(p->buf + tail, (const char *)buf + done, chunk);
			p->len += chunk;
			room -= chunk;
			done += chunk;
		}
		pthread_cond_broadcast(&p->changed);
	}
	pthread_mutex_unlock(&p->lock);
	return (ssize_t)done;
}
