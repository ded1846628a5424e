// SPDX-License-Identifier: MIT
/*
 * The texts of a task's proc files that describe the core's own objects,
 * byte for byte as Linux's fs/proc_namespace.c and fs/proc/fd.c print
 * them: /proc/<pid>/mountinfo (show_mountinfo), /proc/<pid>/mounts
 * (show_vfsmnt) and /proc/<pid>/fdinfo/<fd>.  Mounts not reachable from
 * the task's root are left out, as Linux's seq_path_root() does.
 *
 * Locking: mount_lock shared while the mount list is collected and
 * printed (path computation takes it again shared, and each file
 * system's tree_lock after it).
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct text {
	char *buf;
	size_t len, cap;
	int err;
};

static void text_grow(struct text *t, size_t need)
{
	char *nb;
	size_t ncap;

	if (t->err || t->len + need <= t->cap)
		return;
	ncap = t->cap ? t->cap : 1024;
	while (ncap < t->len + need)
		ncap *= 2;
	nb = realloc(t->buf, ncap);
	if (!nb) {
		t->err = -ENOMEM;
		return;
	}
	t->buf = nb;
	t->cap = ncap;
}

static void text_put(struct text *t, const char *s, size_t n)
{
	text_grow(t, n + 1);
	if (t->err)
		return;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

static void text_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* One vsnprintf into the room there is; a second only when the
	 * buffer had to grow. */
	text_grow(t, 64);
	if (t->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= t->cap - t->len) {
		text_grow(t, (size_t)n + 1);
		if (t->err)
			return;
		va_start(ap, fmt);
		vsnprintf(t->buf + t->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	t->len += (size_t)n;
}

/* seq_escape(): space, tab, newline and backslash as \ooo; the rest is
 * copied in runs. */
static void text_escaped(struct text *t, const char *s)
{
	while (*s) {
		size_t run = strcspn(s, " \t\n\\");
		char esc[5];

		text_put(t, s, run);
		s += run;
		if (!*s)
			break;
		esc[0] = '\\';
		esc[1] = (char)('0' + (((unsigned char)*s >> 6) & 7));
		esc[2] = (char)('0' + (((unsigned char)*s >> 3) & 7));
		esc[3] = (char)('0' + ((unsigned char)*s & 7));
		text_put(t, esc, 4);
		s++;
	}
}

/* show_mnt_opts() after "rw"/"ro". */
static void show_mnt_opts(struct text *t, int mf)
{
	static const struct {
		int flag;
		const char *name;
	} opts[] = {
		{ MS_NOSUID, ",nosuid" },
		{ MS_NODEV, ",nodev" },
		{ MS_NOEXEC, ",noexec" },
		{ MS_NOATIME, ",noatime" },
		{ MS_NODIRATIME, ",nodiratime" },
		{ MS_RELATIME, ",relatime" },
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(*opts); i++)
		if (mf & opts[i].flag)
			text_put(t, opts[i].name, strlen(opts[i].name));
}

static void show_fs_opts(struct text *t, struct vfs_file_system *fs)
{
	char small[256];
	int n;

	if (!fs->ops || !fs->ops->show_options)
		return;
	n = fs->ops->show_options(fs, small, sizeof(small));
	if (n <= 0)
		return;
	if ((size_t)n < sizeof(small)) {
		text_printf(t, "%s", small);
		return;
	}
	text_grow(t, (size_t)n + 1);
	if (!t->err) {
		fs->ops->show_options(fs, t->buf + t->len, (size_t)n + 1);
		t->len += (size_t)n;
	}
}

/* The path of a mount's root inside its file system (seq_dentry()). */
static void show_root_in_fs(struct text *t, struct vfs_mount *m)
{
	struct vfs_file_system *fs = m->fs;
	char buf[PATH_MAX + 1], *p = buf + sizeof(buf);
	struct vfs_dir_entry *e;

	*--p = '\0';
	vfs_brlock_rdlock(&fs->tree_lock);
	/* dentry_path(): an unlinked root reads "<path>//deleted". */
	if (vfs_dir_entry_dead(m->root) && (size_t)(p - buf) > 9) {
		p -= 9;
		memcpy(p, "//deleted", 9);
	}
	for (e = m->root; e->parent; e = e->parent) {
		if ((size_t)(p - buf) < (size_t)e->name_len + 1)
			break;
		p -= e->name_len;
		memcpy(p, e->name, e->name_len);
		*--p = '/';
	}
	vfs_brlock_rdunlock(&fs->tree_lock);
	text_escaped(t, *p ? p : "/");
}

/* get_dominating_id(): the group of the nearest master whose mounts the
 * viewer can reach, for "propagate_from:". */
static int dominating_id_locked(struct vfs_mount *m,
				struct vfs_namespace_node root)
{
	for (struct vfs_mount *x = m->master; x; x = x->master) {
		struct vfs_mount *p = x;

		while (p != root.mount && p->parent)
			p = p->parent;
		if (p == root.mount && x->ns == root.mount->ns)
			return x->group_id;
	}
	return 0;
}

static int mount_cmp(const void *a, const void *b)
{
	const struct vfs_mount *x = *(struct vfs_mount *const *)a;
	const struct vfs_mount *y = *(struct vfs_mount *const *)b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void show_one_mount(struct text *t, struct vfs_mount *m,
			   struct vfs_namespace_node root, const char *where,
			   bool mountinfo)
{
	struct vfs_file_system *fs = m->fs;
	int mf = atomic_load(&m->mnt_flags);
	bool sb_ro = atomic_load(&fs->mount_flags) & MS_RDONLY;

	if (!mountinfo) {
		text_escaped(t, fs->source);
		text_printf(t, " ");
		text_escaped(t, where);
		text_printf(t, " %s %s", fs->type->name,
			    (sb_ro || (mf & MS_RDONLY)) ? "ro" : "rw");
		show_mnt_opts(t, mf);
		show_fs_opts(t, fs);
		text_printf(t, " 0 0\n");
		return;
	}
	text_printf(t, "%d %d %u:%u ", m->id, m->parent ? m->parent->id : m->id,
		    major(fs->dev), minor(fs->dev));
	show_root_in_fs(t, m);
	text_printf(t, " ");
	text_escaped(t, where);
	text_printf(t, " %s", (mf & MS_RDONLY) ? "ro" : "rw");
	show_mnt_opts(t, mf);
	if (m->group_id)
		text_printf(t, " shared:%d", m->group_id);
	if (m->master) {
		int master = m->master->group_id;
		int dom = dominating_id_locked(m, root);

		text_printf(t, " master:%d", master);
		if (dom && dom != master)
			text_printf(t, " propagate_from:%d", dom);
	}
	if (m->unbindable)
		text_printf(t, " unbindable");
	text_printf(t, " - %s ", fs->type->name);
	text_escaped(t, fs->source);
	text_printf(t, " %s", sb_ro ? "ro" : "rw");
	show_fs_opts(t, fs);
	text_printf(t, "\n");
}

static void show_mounts(struct text *t, struct vfs_fs_context *ctx,
			bool mountinfo)
{
	struct vfs_namespace_node root;
	struct vfs_namespace *ns;
	struct vfs_kernel *k;
	struct vfs_mount **all;
	size_t n;

	vfs_lock(&ctx->lock);
	ns = vfs_namespace_get(ctx->ns);
	root = vfs_namespace_node_get(ctx->root);
	vfs_unlock(&ctx->lock);
	k = ns->kernel;
	pthread_rwlock_rdlock(&k->mount_lock);
	if (vfs_mount_collect_locked(ns->root, &all, &n)) {
		t->err = -ENOMEM;
		goto out_unlock;
	}
	qsort(all, n, sizeof(*all), mount_cmp);
	for (size_t i = 0; i < n && !t->err; i++) {
		struct vfs_namespace_node at = { all[i], all[i]->root };
		char buf[PATH_MAX + 16], *path;
		bool reachable;

		if (vfs_namespace_node_path_locked(at, root, buf, sizeof(buf),
						   &path, &reachable) ||
		    !reachable)
			continue;
		show_one_mount(t, all[i], root, path, mountinfo);
	}
	free(all);
out_unlock:
	pthread_rwlock_unlock(&k->mount_lock);
	vfs_namespace_node_put(root);
	vfs_namespace_put(ns);
}

static int show_fdinfo(struct text *t, struct vfs_task *task, int fd)
{
	struct vfs_fd_table *files;
	struct vfs_file *f;
	unsigned int flags;
	off_t pos;
	int cloexec, err;

	pthread_mutex_lock(&task->lock);
	files = task->files;
	if (files)
		vfs_refcount_inc(&files->ref);
	pthread_mutex_unlock(&task->lock);
	if (!files)
		return -EBADF;
	err = vfs_fd_table_get_file(files, fd, &f);
	cloexec = err ? 0 : vfs_fd_table_get_cloexec(files, fd);
	vfs_fd_table_put(files);
	if (err)
		return err;
	vfs_lock(&f->pos_lock);
	pos = f->pos;
	vfs_unlock(&f->pos_lock);
	flags = atomic_load(&f->flags);
	if (cloexec > 0)
		flags |= O_CLOEXEC;
	text_printf(t, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%llu\n",
		    (long long)pos, flags, f->path.mount->id,
		    (unsigned long long)f->node->attr.ino);
	vfs_file_put(f);
	return 0;
}

VFS_EXPORT ssize_t vfs_task_show(struct vfs_task *task, int what, int arg,
				 char **out_text)
{
	struct text t = { 0 };
	struct vfs_fs_context *ctx;
	int err = 0;

	*out_text = NULL;
	switch (what) {
	case VFS_SHOW_MOUNTINFO:
	case VFS_SHOW_MOUNTS:
		pthread_mutex_lock(&task->lock);
		ctx = task->fs;
		if (ctx)
			vfs_refcount_inc(&ctx->ref);
		pthread_mutex_unlock(&task->lock);
		if (!ctx)
			return -ESRCH;
		show_mounts(&t, ctx, what == VFS_SHOW_MOUNTINFO);
		vfs_fs_context_put(ctx);
		break;
	case VFS_SHOW_FDINFO:
		err = show_fdinfo(&t, task, arg);
		break;
	default:
		return -EINVAL;
	}
	if (!err)
		err = t.err;
	if (err) {
		free(t.buf);
		return err;
	}
	*out_text = t.buf;
	return (ssize_t)t.len;
}
