// SPDX-License-Identifier: MIT
/*
 * Directory and fs-context system calls: getdents64 (over the dentry cache
 * of a dcache-complete file system, newest entry first, each entry's
 * cookie its stable offset, exactly as Linux's tmpfs lists), chdir,
 * fchdir, getcwd, chroot and umask.
 *
 * Locking: getdents64 takes the file's pos_lock, then the file system's
 * tree_lock shared while it copies entries; references it drops are put
 * after the tree_lock is released.
 */
#include "internal.h"

#include <dirent.h>
#include <linux/capability.h>
#include <stddef.h>

/* struct linux_dirent64 is glibc's struct dirent64, laid out identically. */
#define DIRENT_NAME_OFFSET offsetof(struct dirent64, d_name)

/* Positions, as Linux's offset directories (fs/libfs.c): 0 is ".", 1 is
 * "..", 2 the first entry in listing order (newest first), an entry's
 * cookie resumes at it, and INT_MAX is the end. */
#define DIR_OFFSET_FIRST 2
#define DIR_OFFSET_EOD INT_MAX

struct dirent_buf {
	char *buf;
	size_t count;
	size_t used;
	struct dirent64 *last;      /* whose d_off the next record sets */
};

/* Append one record at position @pos; false when it does not fit.  As
 * filldir64, a record's d_off is the position of the record after it. */
static bool emit(struct dirent_buf *b, off_t pos, uint64_t ino,
		 unsigned char type, const char *name, size_t namelen)
{
	size_t reclen = (DIRENT_NAME_OFFSET + namelen + 1 + 7) & ~(size_t)7;
	struct dirent64 *d = (struct dirent64 *)(b->buf + b->used);

	if (b->used + reclen > b->count)
		return false;
	if (b->last)
		b->last->d_off = pos;
	d->d_ino = ino;
	d->d_off = 0;
	d->d_reclen = (unsigned short)reclen;
	d->d_type = type;
	memcpy(d->d_name, name, namelen);
	memset(d->d_name + namelen, 0, reclen - DIRENT_NAME_OFFSET - namelen);
	b->used += reclen;
	b->last = d;
	return true;
}

static unsigned char dtype(struct vfs_fs_node *node)
{
	return (unsigned char)(vfs_fs_node_type(node) >> 12);
}

/* Where a listing at @pos resumes: the entry whose offset is the largest
 * at or below it (Linux's mas_find_rev() in the offset map), then on in
 * listing order; the first entry when there is none.  Tree lock held. */
static struct vfs_dir_entry *dir_resume_locked(struct vfs_dir_entry *dir,
					       struct vfs_dir_entry *hint,
					       off_t pos)
{
	struct vfs_dir_entry *e, *best = NULL;

	if (hint && !vfs_dir_entry_dead(hint) && hint->parent == dir &&
	    hint->cookie == (uint64_t)pos)
		return hint;
	if (pos == DIR_OFFSET_FIRST)
		return dir->child_first;
	for (e = dir->child_first; e; e = e->sib_next)
		if (e->cookie <= (uint64_t)pos &&
		    (!best || e->cookie > best->cookie))
			best = e;
	return best ? best : dir->child_first;
}

struct dyn_fill {
	struct dirent_buf *b;
	off_t *pos;
	bool full;
};

/* The filesystem's readdir hands entries at *pos; a false answer stops it
 * there (the buffer is full). */
static bool dyn_fill(void *ctx, const char *name, size_t len, uint64_t ino,
		     unsigned char d_type, off_t next_pos)
{
	struct dyn_fill *d = ctx;

	if (emit(d->b, *d->pos, ino, d_type, name, len)) {
		d->b->last->d_off = next_pos;
		return true;
	}
	d->full = true;
	return false;
}

/* getdents64 of a dynamic directory (proc): ".", "..", then the
 * filesystem's readdir; no tree lock is held across it. */
static ssize_t getdents_dynamic(struct vfs_task *task, struct vfs_file *f,
				struct dirent_buf *b)
{
	struct vfs_dir_entry *dir = f->path.entry;
	struct dyn_fill d = { .b = b };
	off_t pos;
	int err = 0;

	if (!f->node->ops->readdir)
		return -ENOTDIR;
	vfs_lock(&f->pos_lock);
	pos = f->pos;
	d.pos = &pos;
	d.full = true;
	if (pos == 0) {
		if (!emit(b, pos, f->node->attr.ino, DT_DIR, ".", 1))
			goto out_done;
		pos = 1;
	}
	if (pos == 1) {
		struct vfs_dir_entry *p = dir->parent ? dir->parent : dir;

		if (!emit(b, pos, p->node->attr.ino, DT_DIR, "..", 2))
			goto out_done;
		pos = 2;
	}
	d.full = false;
	err = f->node->ops->readdir(f->node, task, &pos, dyn_fill, &d);
out_done:
	if (b->last)
		b->last->d_off = pos;
	f->pos = pos;
	vfs_unlock(&f->pos_lock);
	if (err)
		return err;
	if (!b->used && d.full)
		return -EINVAL;
	vfs_file_accessed(f);
	return (ssize_t)b->used;
}

VFS_EXPORT ssize_t vfs_getdents64(struct vfs_task *task, int fd, void *dirp,
				  size_t count)
{
	struct dirent_buf b = { .buf = dirp };
	struct vfs_dir_entry *dir, *e = NULL, *drop = NULL;
	struct vfs_file_system *fs;
	struct vfs_file *f;
	off_t pos;
	ssize_t err;

	err = vfs_task_file(task, fd, &f);
	if (err)
		return err;
	if (f->fmode & VFS_FMODE_PATH) {
		err = -EBADF;
		goto out_put;
	}
	if (vfs_fs_node_type(f->node) != S_IFDIR) {
		err = -ENOTDIR;
		goto out_put;
	}
	dir = f->path.entry;
	fs = f->node->fs;
	b.count = count > INT_MAX ? INT_MAX : count;
	if (!(fs->flags & VFS_FS_DCACHE_COMPLETE)) {
		err = getdents_dynamic(task, f, &b);
		goto out_put;
	}
	vfs_lock(&f->pos_lock);
	vfs_brlock_rdlock(&fs->tree_lock);
	err = -ENOENT;
	if (vfs_dir_entry_dead(dir))
		goto out_unlock;
	err = 0;
	pos = f->pos;
	if (pos == 0) {
		if (!emit(&b, pos, f->node->attr.ino, DT_DIR, ".", 1))
			goto out_done;
		pos = 1;
	}
	if (pos == 1) {
		struct vfs_dir_entry *p = dir->parent ? dir->parent : dir;

		if (!emit(&b, pos, p->node->attr.ino, DT_DIR, "..", 2))
			goto out_done;
		pos = DIR_OFFSET_FIRST;
	}
	if (pos == DIR_OFFSET_EOD)
		goto out_done;
	for (e = dir_resume_locked(dir, f->dir_next, pos); e; e = e->sib_next) {
		pos = (off_t)e->cookie;
		if (!emit(&b, pos, e->node->attr.ino, dtype(e->node), e->name,
			  e->name_len))
			break;
	}
	if (!e)
		pos = DIR_OFFSET_EOD;
out_done:
	if (b.last)
		b.last->d_off = pos;
	f->pos = pos;
	drop = f->dir_next;
	f->dir_next = vfs_dir_entry_get(e);
out_unlock:
	vfs_brlock_rdunlock(&fs->tree_lock);
	vfs_unlock(&f->pos_lock);
	vfs_dir_entry_put(drop);
	if (err == 0)
		vfs_file_accessed(f);
	/* Something was left to list, but not even one record fit. */
	if (!err && b.used == 0 && pos != DIR_OFFSET_EOD)
		err = -EINVAL;
	if (!err)
		err = (ssize_t)b.used;
out_put:
	vfs_file_put(f);
	return err;
}

/* ------------------------------------------------------------ fs context */

static int set_dir(struct vfs_task *task, struct vfs_namespace_node nn,
		   bool root)
{
	int err;

	if (vfs_fs_node_type(nn.entry->node) != S_IFDIR) {
		err = -ENOTDIR;
		goto out_put;
	}
	err = vfs_permission(task, &task->cred, nn.entry->node, VFS_MAY_EXEC);
	if (err)
		goto out_put;
	if (root && !vfs_capable(task, CAP_SYS_CHROOT)) {
		err = -EPERM;
		goto out_put;
	}
	if (root)
		vfs_fs_context_set_root(task->fs, nn);
	else
		vfs_fs_context_set_cwd(task->fs, nn);
	return 0;
out_put:
	vfs_namespace_node_put(nn);
	return err;
}

VFS_EXPORT int vfs_chdir(struct vfs_task *task, const char *path)
{
	struct vfs_namespace_node nn;
	int err = vfs_path_lookup(task, AT_FDCWD, path,
				  VFS_LOOKUP_FOLLOW | VFS_LOOKUP_DIRECTORY, &nn);

	if (err)
		return err;
	return set_dir(task, nn, false);
}

VFS_EXPORT int vfs_fchdir(struct vfs_task *task, int fd)
{
	struct vfs_namespace_node nn;
	struct vfs_file *f;
	int err = vfs_task_file(task, fd, &f);

	if (err)
		return err;
	nn = vfs_namespace_node_get(f->path);
	vfs_file_put(f);
	return set_dir(task, nn, false);
}

VFS_EXPORT int vfs_chroot(struct vfs_task *task, const char *path)
{
	struct vfs_namespace_node nn;
	int err = vfs_path_lookup(task, AT_FDCWD, path,
				  VFS_LOOKUP_FOLLOW | VFS_LOOKUP_DIRECTORY, &nn);

	if (err)
		return err;
	return set_dir(task, nn, true);
}

VFS_EXPORT int vfs_getcwd(struct vfs_task *task, char *buf, size_t size)
{
	struct vfs_namespace_node root, cwd;
	char tmp[PATH_MAX + 16], *p;
	bool reachable, dead;
	size_t len;
	int err;

	vfs_fs_context_get_pwd(task->fs, &root, &cwd);
	vfs_brlock_rdlock(&cwd.entry->node->fs->tree_lock);
	dead = vfs_dir_entry_dead(cwd.entry);
	vfs_brlock_rdunlock(&cwd.entry->node->fs->tree_lock);
	err = -ENOENT;
	if (dead)
		goto out;
	err = vfs_namespace_node_path(cwd, root, tmp + 13, PATH_MAX, &p,
				      &reachable);
	if (err)
		goto out;
	if (!reachable) {
		p -= 13;
		memcpy(p, "(unreachable)", 13);
	}
	len = strlen(p) + 1;
	err = -ERANGE;
	if (len > size)
		goto out;
	memcpy(buf, p, len);
	err = (int)len;
out:
	vfs_namespace_node_put(cwd);
	vfs_namespace_node_put(root);
	return err;
}

VFS_EXPORT mode_t vfs_umask(struct vfs_task *task, mode_t mask)
{
	return atomic_exchange(&task->fs->umask, mask & 0777);
}
