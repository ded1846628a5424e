// SPDX-License-Identifier: MIT
/*
 * Task: the caller of every system call.  Owns credentials and
 * dumpability, the fs context and fd table references, fork (CLONE_FS /
 * CLONE_FILES), exec's closing of close-on-exec descriptors, and exit.
 *
 * Locking: none of its own.  The fd table pointer is replaced only by the
 * task's own exec, which must not race with other calls on the same task
 * (as a real execve stops the other threads first).
 */
#include "internal.h"

#include <sched.h>
#include <stdlib.h>

static int cred_copy(struct vfs_cred *dst, const struct vfs_cred *src)
{
	gid_t *groups = NULL;

	if (src->ngroups > NGROUPS_MAX)
		return -EINVAL;
	if (src->ngroups) {
		groups = malloc(src->ngroups * sizeof(*groups));
		if (!groups)
			return -ENOMEM;
		memcpy(groups, src->groups, src->ngroups * sizeof(*groups));
	}
	*dst = *src;
	dst->groups = groups;
	return 0;
}

bool vfs_cred_in_group(const struct vfs_cred *c, gid_t gid)
{
	if (c->egid == gid)
		return true;
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

static void task_register(struct vfs_task *t)
{
	struct vfs_kernel *k = t->kernel;

	pthread_mutex_lock(&k->tasks_lock);
	HASH_ADD_INT(k->tasks, id, t);
	pthread_mutex_unlock(&k->tasks_lock);
}

struct vfs_task *vfs_task_get(struct vfs_task *t)
{
	if (t)
		vfs_refcount_inc(&t->ref);
	return t;
}

VFS_EXPORT void vfs_task_put(struct vfs_task *t)
{
	struct vfs_kernel *k;

	if (!t || !vfs_refcount_dec(&t->ref))
		return;
	k = t->kernel;
	free((void *)t->cred.groups);
	pthread_mutex_destroy(&t->lock);
	vfs_kernel_count(k, VFS_OBJ_TASK, -1);
	free(t);
	vfs_kernel_put(k);
}

void vfs_task_swap_fs(struct vfs_task *t, struct vfs_fs_context *new_fs)
{
	struct vfs_fs_context *old;

	pthread_mutex_lock(&t->lock);
	old = t->fs;
	t->fs = new_fs;
	pthread_mutex_unlock(&t->lock);
	vfs_fs_context_put(old);
}

void vfs_task_swap_files(struct vfs_task *t, struct vfs_fd_table *new_files)
{
	struct vfs_fd_table *old;

	pthread_mutex_lock(&t->lock);
	old = t->files;
	t->files = new_files;
	pthread_mutex_unlock(&t->lock);
	vfs_fd_table_put(old);
}

static struct vfs_task *task_alloc(struct vfs_kernel *k,
				   const struct vfs_cred *cred, int *err)
{
	static const struct vfs_cred root_cred = { .caps = VFS_CAPS_ALL };
	struct vfs_task *t = calloc(1, sizeof(*t));

	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = cred_copy(&t->cred, cred ? cred : &root_cred);
	if (*err) {
		free(t);
		return NULL;
	}
	vfs_refcount_init(&t->ref, 1);
	pthread_mutex_init(&t->lock, NULL);
	t->kernel = vfs_kernel_get(k);
	t->id = atomic_fetch_add(&k->next_task_id, 1);
	/* Linux gives a forked task a new struct cred: a new identity. */
	t->cred_id = atomic_fetch_add(&k->next_cred_id, 1);
	t->nofile = VFS_DEFAULT_NOFILE;
	t->dumpable = true;
	vfs_kernel_count(k, VFS_OBJ_TASK, 1);
	return t;
}

VFS_EXPORT int vfs_task_create(struct vfs_namespace *ns,
			       const struct vfs_cred *cred,
			       struct vfs_task **out_task)
{
	struct vfs_task *t;
	int err;

	*out_task = NULL;
	t = task_alloc(ns->kernel, cred, &err);
	if (!t)
		return err;
	err = vfs_fs_context_create(ns, &t->fs);
	if (!err)
		err = vfs_fd_table_create(&t->files);
	if (err) {
		vfs_task_destroy(t);
		return err;
	}
	task_register(t);
	*out_task = t;
	return 0;
}

VFS_EXPORT int vfs_task_fork(struct vfs_task *parent, unsigned long clone_flags,
			     struct vfs_task **out_child)
{
	struct vfs_task *t;
	int err;

	*out_child = NULL;
	if (clone_flags & ~(unsigned long)(CLONE_FS | CLONE_FILES))
		return -EINVAL;
	t = task_alloc(parent->kernel, &parent->cred, &err);
	if (!t)
		return err;
	t->nofile = parent->nofile;
	pthread_mutex_lock(&parent->lock);
	t->dumpable = parent->dumpable;
	pthread_mutex_unlock(&parent->lock);
	if (clone_flags & CLONE_FS) {
		vfs_refcount_inc(&parent->fs->ref);
		t->fs = parent->fs;
	} else {
		err = vfs_fs_context_copy(parent->fs, &t->fs);
	}
	if (!err && (clone_flags & CLONE_FILES)) {
		vfs_refcount_inc(&parent->files->ref);
		t->files = parent->files;
	} else if (!err) {
		err = vfs_fd_table_copy(parent->files, &t->files);
	}
	if (err) {
		vfs_task_destroy(t);
		return err;
	}
	task_register(t);
	*out_child = t;
	return 0;
}

int vfs_task_unshare_files(struct vfs_task *task)
{
	struct vfs_fd_table *copy;
	int err;

	if (vfs_refcount_read(&task->files->ref) == 1)
		return 0;
	err = vfs_fd_table_copy(task->files, &copy);
	if (!err)
		vfs_task_swap_files(task, copy);
	return err;
}

VFS_EXPORT int vfs_task_exec(struct vfs_task *task)
{
	/* execve unshares a table shared through CLONE_FILES first. */
	int err = vfs_task_unshare_files(task);

	if (err)
		return err;
	vfs_fd_table_close_on_exec(task->files);
	/* begin_new_exec(): no set-id program here, so dumpable again. */
	pthread_mutex_lock(&task->lock);
	task->dumpable = true;
	pthread_mutex_unlock(&task->lock);
	return 0;
}

VFS_EXPORT void vfs_task_destroy(struct vfs_task *task)
{
	struct vfs_kernel *k;
	struct vfs_task *found = NULL;

	if (!task)
		return;
	k = task->kernel;
	pthread_mutex_lock(&k->tasks_lock);
	HASH_FIND_INT(k->tasks, &task->id, found);
	if (found == task)
		HASH_DEL(k->tasks, task);
	pthread_mutex_unlock(&k->tasks_lock);
	/* Exit: the files and fs context go now; the task itself when the
	 * last proc lookup lets go. */
	vfs_task_swap_files(task, NULL);
	vfs_task_swap_fs(task, NULL);
	vfs_task_put(task);
}

VFS_EXPORT int vfs_task_set_cred(struct vfs_task *task,
				 const struct vfs_cred *cred)
{
	struct vfs_cred copy;
	const gid_t *old;
	int err;

	if (!cred)
		return -EINVAL;
	err = cred_copy(&copy, cred);
	if (err)
		return err;
	/* Other tasks (proc) read the ids under the lock; the task's own
	 * calls must not run concurrently with this (as setuid(2) in a
	 * thread changes only that thread). */
	pthread_mutex_lock(&task->lock);
	old = task->cred.groups;
	if (copy.euid != task->cred.euid || copy.egid != task->cred.egid ||
	    (copy.caps & ~task->cred.caps))
		task->dumpable = false;
	task->cred = copy;
	task->cred_id = atomic_fetch_add(&task->kernel->next_cred_id, 1);
	pthread_mutex_unlock(&task->lock);
	free((void *)old);
	return 0;
}

VFS_EXPORT int vfs_task_id(const struct vfs_task *task)
{
	return task->id;
}

VFS_EXPORT int vfs_task_set_nofile(struct vfs_task *task, unsigned int limit)
{
	if (limit == 0 || limit > VFS_MAX_NOFILE)
		return -EINVAL;
	task->nofile = limit;
	return 0;
}
