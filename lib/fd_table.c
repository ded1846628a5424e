// SPDX-License-Identifier: MIT
/*
 * The fd table: small integers naming open file descriptions, lowest free
 * number first, with a close-on-exec flag per slot.  Shared by tasks
 * forked with CLONE_FILES, copied otherwise.
 *
 * Locking: table->lock guards the slot array.  File references are taken
 * under it and released after it is dropped (a last put may free a file,
 * which takes entry and node locks).
 */
#include "internal.h"

#include <stdlib.h>

int vfs_fd_table_create(struct vfs_fd_table **out_table)
{
	struct vfs_fd_table *t = calloc(1, sizeof(*t));

	*out_table = NULL;
	if (!t)
		return -ENOMEM;
	vfs_refcount_init(&t->ref, 1);
	pthread_mutex_init(&t->lock, NULL);
	*out_table = t;
	return 0;
}

int vfs_fd_table_copy(struct vfs_fd_table *src, struct vfs_fd_table **out)
{
	struct vfs_fd_table *t;
	int err = vfs_fd_table_create(&t);

	*out = NULL;
	if (err)
		return err;
	pthread_mutex_lock(&src->lock);
	if (src->cap) {
		t->slots = calloc(src->cap, sizeof(*t->slots));
		if (!t->slots) {
			pthread_mutex_unlock(&src->lock);
			vfs_fd_table_put(t);
			return -ENOMEM;
		}
		t->cap = src->cap;
		for (unsigned int i = 0; i < src->cap; i++) {
			t->slots[i] = src->slots[i];
			vfs_file_get(t->slots[i].file);
		}
	}
	t->lowest_free = src->lowest_free;
	pthread_mutex_unlock(&src->lock);
	*out = t;
	return 0;
}

void vfs_fd_table_put(struct vfs_fd_table *t)
{
	if (!t || !vfs_refcount_dec(&t->ref))
		return;
	for (unsigned int i = 0; i < t->cap; i++)
		vfs_file_put(t->slots[i].file);
	free(t->slots);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static int fd_table_grow_locked(struct vfs_fd_table *t, unsigned int need)
{
	unsigned int cap = t->cap ? t->cap : 16;
	struct vfs_fd_slot *slots;

	if (need <= t->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	slots = realloc(t->slots, cap * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	memset(slots + t->cap, 0, (cap - t->cap) * sizeof(*slots));
	t->slots = slots;
	t->cap = cap;
	return 0;
}

static void fd_table_update_lowest_locked(struct vfs_fd_table *t,
					  unsigned int freed)
{
	if (freed < t->lowest_free)
		t->lowest_free = freed;
}

int vfs_fd_table_install(struct vfs_fd_table *t, struct vfs_file *file,
			 bool cloexec, unsigned int minfd, unsigned int limit)
{
	unsigned int fd;
	int err;

	pthread_mutex_lock(&t->lock);
	fd = minfd > t->lowest_free ? minfd : t->lowest_free;
	while (fd < t->cap && t->slots[fd].file)
		fd++;
	if (fd >= limit) {
		err = -EMFILE;
		goto out_unlock;
	}
	err = fd_table_grow_locked(t, fd + 1);
	if (err)
		goto out_unlock;
	t->slots[fd].file = file;
	t->slots[fd].cloexec = cloexec;
	if (minfd <= t->lowest_free)
		t->lowest_free = fd + 1;
	pthread_mutex_unlock(&t->lock);
	return (int)fd;
out_unlock:
	pthread_mutex_unlock(&t->lock);
	vfs_file_put(file);
	return err;
}

int vfs_fd_table_get_file(struct vfs_fd_table *t, int fd,
			  struct vfs_file **out_file)
{
	struct vfs_file *f = NULL;

	pthread_mutex_lock(&t->lock);
	if (fd >= 0 && (unsigned int)fd < t->cap)
		f = vfs_file_get(t->slots[fd].file);
	pthread_mutex_unlock(&t->lock);
	*out_file = f;
	return f ? 0 : -EBADF;
}

int vfs_fd_table_close(struct vfs_fd_table *t, int fd)
{
	struct vfs_file *f = NULL;

	pthread_mutex_lock(&t->lock);
	if (fd >= 0 && (unsigned int)fd < t->cap) {
		f = t->slots[fd].file;
		t->slots[fd].file = NULL;
		t->slots[fd].cloexec = false;
		if (f)
			fd_table_update_lowest_locked(t, fd);
	}
	pthread_mutex_unlock(&t->lock);
	if (!f)
		return -EBADF;
	vfs_file_put(f);
	return 0;
}

int vfs_fd_table_replace(struct vfs_fd_table *t, int oldfd, int newfd,
			 bool cloexec, unsigned int limit)
{
	struct vfs_file *f, *old = NULL;
	int err;

	if (newfd < 0 || (unsigned int)newfd >= limit)
		return -EBADF;
	pthread_mutex_lock(&t->lock);
	if (oldfd < 0 || (unsigned int)oldfd >= t->cap ||
	    !t->slots[oldfd].file) {
		err = -EBADF;
		goto out_unlock;
	}
	err = fd_table_grow_locked(t, newfd + 1);
	if (err)
		goto out_unlock;
	f = vfs_file_get(t->slots[oldfd].file);
	old = t->slots[newfd].file;
	t->slots[newfd].file = f;
	t->slots[newfd].cloexec = cloexec;
	err = newfd;
out_unlock:
	pthread_mutex_unlock(&t->lock);
	vfs_file_put(old);
	return err;
}

int vfs_fd_table_get_cloexec(struct vfs_fd_table *t, int fd)
{
	int r = -EBADF;

	pthread_mutex_lock(&t->lock);
	if (fd >= 0 && (unsigned int)fd < t->cap && t->slots[fd].file)
		r = t->slots[fd].cloexec;
	pthread_mutex_unlock(&t->lock);
	return r;
}

int vfs_fd_table_set_cloexec(struct vfs_fd_table *t, int fd, bool cloexec)
{
	int r = -EBADF;

	pthread_mutex_lock(&t->lock);
	if (fd >= 0 && (unsigned int)fd < t->cap && t->slots[fd].file) {
		t->slots[fd].cloexec = cloexec;
		r = 0;
	}
	pthread_mutex_unlock(&t->lock);
	return r;
}

void vfs_fd_table_close_on_exec(struct vfs_fd_table *t)
{
	for (;;) {
		struct vfs_file *f = NULL;

		pthread_mutex_lock(&t->lock);
		for (unsigned int i = 0; i < t->cap; i++) {
			if (t->slots[i].file && t->slots[i].cloexec) {
				f = t->slots[i].file;
				t->slots[i].file = NULL;
				t->slots[i].cloexec = false;
				fd_table_update_lowest_locked(t, i);
				break;
			}
		}
		pthread_mutex_unlock(&t->lock);
		if (!f)
			return;
		vfs_file_put(f);
	}
}
