// SPDX-License-Identifier: MIT
/*
 * FIFOs: the pipe behind a named pipe node while it is open, as Linux's
 * fs/pipe.c does it.  Owns the ring buffer, the reader and writer counts,
 * fifo_open()'s rendezvous (a blocking open waits for the other side),
 * reads that wait for data and writes that wait for room (atomic up to
 * PIPE_BUF), EOF once the last writer is gone, EPIPE once the last reader
 * is, and the end of the pipe with its last file.  The buffer is Linux's
 * ring of page slots, so partial non-blocking writes match it byte for
 * byte.
 *
 * Locking: node->lock guards node->pipe (creation and teardown); the
 * pipe's own mutex guards everything inside it and is what waiters sleep
 * on.  Order: node lock, then pipe lock.  No wait holds the node lock.
 */
#include "internal.h"

#include <stdlib.h>

/* Linux's default ring: 16 slots of one page each.  A write first tops up
 * the last slot with its sub-page remainder (if that fits), then fills
 * whole new slots; that is what makes writes up to PIPE_BUF atomic and
 * what decides how much a non-blocking write gets in. */
#define VFS_PIPE_SLOTS 16
#define VFS_PIPE_PAGE 4096

struct vfs_pipe_slot {
	unsigned int offset;        /* first unread byte */
	unsigned int len;           /* unread bytes */
	char page[VFS_PIPE_PAGE];
};

struct vfs_pipe {
	pthread_mutex_t lock;
	pthread_cond_t changed;     /* counts, data or room changed */
	unsigned int files;         /* open files using it */
	unsigned int readers;
	unsigned int writers;
	unsigned int r_counter;     /* opens for reading ever, for rendezvous */
	unsigned int w_counter;
	unsigned int head;          /* next slot to fill (free-running) */
	unsigned int tail;          /* oldest slot with data */
	struct vfs_pipe_slot slots[VFS_PIPE_SLOTS];
};

static bool pipe_empty(const struct vfs_pipe *p)
{
	return p->head == p->tail;
}

static bool pipe_full(const struct vfs_pipe *p)
{
	return p->head - p->tail >= VFS_PIPE_SLOTS;
}

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
	while (pipe_empty(p)) {
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
	while (done < count && !pipe_empty(p)) {
		struct vfs_pipe_slot *slot = &p->slots[p->tail % VFS_PIPE_SLOTS];
		size_t chunk = slot->len;

		if (chunk > count - done)
			chunk = count - done;
		memcpy((char *)buf + done, slot->page + slot->offset, chunk);
		slot->offset += (unsigned int)chunk;
		slot->len -= (unsigned int)chunk;
		done += chunk;
		if (!slot->len)
			p->tail++;
	}
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return (ssize_t)done;
}

ssize_t vfs_pipe_write(struct vfs_pipe *p, const void *buf, size_t count,
		       bool nonblock)
{
	const char *src = buf;
	size_t done = 0, rest = count % VFS_PIPE_PAGE;

	if (count == 0)
		return 0;
	pthread_mutex_lock(&p->lock);
	if (!p->readers) {
		pthread_mutex_unlock(&p->lock);
		return -EPIPE;
	}
	/* Top up the last slot with the sub-page remainder. */
	if (rest && !pipe_empty(p)) {
		struct vfs_pipe_slot *last =
			&p->slots[(p->head - 1) % VFS_PIPE_SLOTS];

		if (last->offset + last->len + rest <= VFS_PIPE_PAGE) {
			memcpy(last->page + last->offset + last->len, src, rest);
			last->len += (unsigned int)rest;
			done = rest;
		}
	}
	while (done < count) {
		if (!p->readers) {
			if (!done)
				done = (size_t)-EPIPE;
			break;
		}
		if (!pipe_full(p)) {
			struct vfs_pipe_slot *slot =
				&p->slots[p->head % VFS_PIPE_SLOTS];
			size_t chunk = count - done;

			if (chunk > VFS_PIPE_PAGE)
				chunk = VFS_PIPE_PAGE;
			memcpy(slot->page, src + done, chunk);
			slot->offset = 0;
			slot->len = (unsigned int)chunk;
			p->head++;
			done += chunk;
			pthread_cond_broadcast(&p->changed);
			continue;
		}
		if (nonblock) {
			if (!done)
				done = (size_t)-EAGAIN;
			break;
		}
		pthread_cond_wait(&p->changed, &p->lock);
	}
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return (ssize_t)done;
}
