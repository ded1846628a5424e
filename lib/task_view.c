// SPDX-License-Identifier: MIT
/*
 * Views of tasks for filesystems that show them (proc): tasks by id, their
 * fds, cwd and root as magic-link targets, and who may look.  A view never
 * keeps a task: it looks it up by id, takes what it needs with references,
 * and lets go.
 *
 * Locking: kernel->tasks_lock for the registry, then a task's own lock to
 * read its fs context and fd table (both leaf locks, never nested).
 */
#include "internal.h"

#include <linux/capability.h>

VFS_EXPORT struct vfs_kernel *vfs_file_system_kernel(const struct vfs_file_system *fs)
{
	return fs->kernel;
}

VFS_EXPORT int vfs_kernel_task_get(struct vfs_kernel *k, int pid,
				   struct vfs_task **out_task)
{
	struct vfs_task *t = NULL;

	pthread_mutex_lock(&k->tasks_lock);
	HASH_FIND_INT(k->tasks, &pid, t);
	vfs_task_get(t);
	pthread_mutex_unlock(&k->tasks_lock);
	*out_task = t;
	return t ? 0 : -ESRCH;
}

VFS_EXPORT int vfs_kernel_task_next(struct vfs_kernel *k, int after)
{
	struct vfs_task *t, *tmp;
	int best = 0;

	pthread_mutex_lock(&k->tasks_lock);
	HASH_ITER(hh, k->tasks, t, tmp)
		if (t->id > after && (!best || t->id < best))
			best = t->id;
	pthread_mutex_unlock(&k->tasks_lock);
	return best;
}

/* A reference to the task's fs context or fd table (NULL once exited). */
static struct vfs_fs_context *task_fs(struct vfs_task *t)
{
	struct vfs_fs_context *ctx;

	pthread_mutex_lock(&t->lock);
	ctx = t->fs;
	if (ctx)
		vfs_refcount_inc(&ctx->ref);
	pthread_mutex_unlock(&t->lock);
	return ctx;
}

static struct vfs_fd_table *task_files(struct vfs_task *t)
{
	struct vfs_fd_table *files;

	pthread_mutex_lock(&t->lock);
	files = t->files;
	if (files)
		vfs_refcount_inc(&files->ref);
	pthread_mutex_unlock(&t->lock);
	return files;
}

VFS_EXPORT bool vfs_task_same_ns(struct vfs_task *a, struct vfs_task *b)
{
	struct vfs_fs_context *ca = task_fs(a), *cb = task_fs(b);
	bool same = false;

	if (ca && cb) {
		vfs_lock(&ca->lock);
		struct vfs_namespace *na = ca->ns;
		vfs_unlock(&ca->lock);
		vfs_lock(&cb->lock);
		same = na == cb->ns;
		vfs_unlock(&cb->lock);
	}
	vfs_fs_context_put(ca);
	vfs_fs_context_put(cb);
	return same;
}

VFS_EXPORT void vfs_task_owner(struct vfs_task *task, uid_t *out_uid,
			       gid_t *out_gid)
{
	pthread_mutex_lock(&task->lock);
	/* task_dump_owner(): root's, once the task is not dumpable. */
	*out_uid = task->dumpable ? task->cred.euid : 0;
	*out_gid = task->dumpable ? task->cred.egid : 0;
	pthread_mutex_unlock(&task->lock);
}

VFS_EXPORT bool vfs_task_may_inspect(struct vfs_task *viewer,
				     struct vfs_task *task)
{
	uid_t euid;
	bool dumpable;

	if (viewer == task || vfs_capable(viewer, CAP_SYS_PTRACE))
		return true;
	pthread_mutex_lock(&task->lock);
	euid = task->cred.euid;
	dumpable = task->dumpable;
	pthread_mutex_unlock(&task->lock);
	/* __ptrace_may_access(): the same user, and a dumpable task. */
	return dumpable && viewer->cred.euid == euid;
}

VFS_EXPORT int vfs_task_fd_next(struct vfs_task *task, int from)
{
	struct vfs_fd_table *files = task_files(task);
	int fd = -1;

	if (!files)
		return -1;
	pthread_mutex_lock(&files->lock);
	for (unsigned int i = from < 0 ? 0 : (unsigned int)from; i < files->cap;
	     i++) {
		if (files->slots[i].file) {
			fd = (int)i;
			break;
		}
	}
	pthread_mutex_unlock(&files->lock);
	vfs_fd_table_put(files);
	return fd;
}

static void link_target_set(struct vfs_link_target *out,
			    struct vfs_namespace_node nn)
{
	out->mount = nn.mount;
	out->entry = nn.entry;
}

VFS_EXPORT int vfs_link_target_fd(struct vfs_link_target *out,
				  struct vfs_task *task, int fd)
{
	struct vfs_fd_table *files = task_files(task);
	struct vfs_file *f;
	int err;

	if (!files)
		return -ENOENT;
	err = vfs_fd_table_get_file(files, fd, &f);
	vfs_fd_table_put(files);
	if (err)
		return -ENOENT;
	link_target_set(out, vfs_namespace_node_get(f->path));
	vfs_file_put(f);
	return 0;
}

static int link_target_ctx(struct vfs_link_target *out, struct vfs_task *task,
			   bool root)
{
	struct vfs_fs_context *ctx = task_fs(task);
	struct vfs_namespace_node r, c;

	if (!ctx)
		return -ENOENT;
	vfs_fs_context_get_pwd(ctx, &r, &c);
	vfs_fs_context_put(ctx);
	if (root) {
		link_target_set(out, r);
		vfs_namespace_node_put(c);
	} else {
		link_target_set(out, c);
		vfs_namespace_node_put(r);
	}
	return 0;
}

VFS_EXPORT int vfs_link_target_cwd(struct vfs_link_target *out,
				   struct vfs_task *task)
{
	return link_target_ctx(out, task, false);
}

VFS_EXPORT int vfs_link_target_root(struct vfs_link_target *out,
				    struct vfs_task *task)
{
	return link_target_ctx(out, task, true);
}
