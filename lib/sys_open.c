// SPDX-License-Identifier: MIT
/*
 * openat, close and the fd path: Linux's do_sys_openat2 -> path_openat ->
 * open_last_lookups -> do_open, including O_CREAT through dangling
 * symlinks, O_EXCL, O_TRUNC, O_PATH, O_NOFOLLOW, O_DIRECTORY and
 * O_TMPFILE (an unnamed node whose entry is "#<ino>", linkable unless
 * O_EXCL).
 *
 * Locking: none of its own; creation goes through vfs_create_at().
 */
#include "internal.h"

#include <linux/capability.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <unistd.h>

/* The kernel's O_LARGEFILE, forced on every open of a 64-bit kernel and
 * reported by F_GETFL (glibc's own O_LARGEFILE is 0 on x86_64). */
#define VFS_O_LARGEFILE_K 0100000
/* The kernel's __O_TMPFILE bit alone (glibc's __O_TMPFILE has O_DIRECTORY
 * folded in). */
#define VFS_O_TMPFILE_BIT 020000000

static int may_open(struct vfs_task *task, struct vfs_mount *m,
		    struct vfs_fs_node *node, int acc_mode, int flags)
{
	int err;

	switch (vfs_fs_node_type(node)) {
	case S_IFLNK:
		return -ELOOP;
	case S_IFDIR:
		if (acc_mode & VFS_MAY_WRITE)
			return -EISDIR;
		break;
	case S_IFCHR:
	case S_IFBLK:
		/* may_open_dev() */
		if (atomic_load(&m->mnt_flags) & MS_NODEV)
			return -EACCES;
		break;
	default:
		break;
	}
	err = vfs_permission(task, &task->cred, node, acc_mode);
	if (err)
		return err;
	if ((flags & O_NOATIME) && !vfs_owner_or_capable(&task->cred, node))
		return -EPERM;
	return 0;
}

/*
 * O_CREAT of a name that exists, in a sticky world- or group-writable
 * directory, owned neither by the directory's owner nor by the caller:
 * Linux's may_create_in_sticky() with fs.protected_regular = 0 and
 * fs.protected_fifos = 0 (the kernel's defaults), so only the other types
 * are refused — even to root.
 */
static int may_create_in_sticky(struct vfs_task *task, struct vfs_fs_node *node,
				mode_t dir_mode, uid_t dir_uid)
{
	mode_t type = vfs_fs_node_type(node);
	uid_t uid;

	if (!(dir_mode & S_ISVTX) || type == S_IFREG || type == S_IFIFO)
		return 0;
	vfs_lock(&node->lock);
	uid = node->attr.uid;
	vfs_unlock(&node->lock);
	if (uid == dir_uid || uid == task->cred.euid)
		return 0;
	return (dir_mode & S_IWOTH) ? -EACCES : 0;
}

/* What opening a node of each type does past the permission checks:
 * FIFOs join their pipe (and may wait for the other side). */
static int open_node_type(struct vfs_fs_node *node, int flags,
			  struct vfs_pipe **out_pipe)
{
	*out_pipe = NULL;
	switch (vfs_fs_node_type(node)) {
	case S_IFCHR:
	case S_IFBLK:
		/* No device drivers: Linux's answer for a device number with
		 * no driver behind it. */
		return -ENXIO;
	case S_IFSOCK:
		return -ENXIO;
	case S_IFIFO:
		return vfs_pipe_open(node, (unsigned int)flags, out_pipe);
	default:
		return 0;
	}
}

/* Consumes @nn, @pipe and @priv (the filesystem's open handle). */
static int install(struct vfs_task *task, struct vfs_namespace_node nn,
		   int flags, struct vfs_pipe *pipe, void *priv)
{
	struct vfs_fs_node *node = vfs_fs_node_get(nn.entry->node);
	struct vfs_file *f;
	int err;

	flags &= ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	/* openat() forces O_LARGEFILE before O_PATH masks the flags. */
	if (!(flags & O_PATH))
		flags |= VFS_O_LARGEFILE_K;
	err = vfs_file_create(nn, (unsigned int)flags, &f);
	if (err) {
		unsigned int acc = flags & O_ACCMODE;

		if (pipe)
			vfs_pipe_release(node, pipe, acc == O_RDONLY ?
					 VFS_FMODE_READ : acc == O_WRONLY ?
					 VFS_FMODE_WRITE :
					 VFS_FMODE_READ | VFS_FMODE_WRITE);
		if (priv && node->ops->release)
			node->ops->release(node, priv);
		vfs_fs_node_put(node);
		return err;
	}
	vfs_fs_node_put(node);
	f->pipe = pipe;
	f->priv = priv;
	f->cred_id = task->cred_id;
	return vfs_fd_table_install(task->files, f, false, 0, task->nofile);
}

static int open_tmpfile(struct vfs_task *task, int dirfd, const char *path,
			int flags, mode_t mode, int lflags)
{
	struct vfs_namespace_node dir, nn;
	struct vfs_fs_node *dnode, *node;
	struct vfs_dir_entry *e;
	struct vfs_new_node nnode;
	char name[32];
	int err, fd;

	err = vfs_path_lookup(task, dirfd, path, lflags | VFS_LOOKUP_DIRECTORY,
			      &dir);
	if (err)
		return err;
	dnode = dir.entry->node;
	err = vfs_mnt_want_write(dir.mount);
	if (!err)
		err = vfs_permission(task, &task->cred, dnode,
				     VFS_MAY_WRITE | VFS_MAY_EXEC);
	if (err)
		goto out;
	err = -EOPNOTSUPP;
	if (!dnode->ops->tmpfile)
		goto out;
	vfs_new_node_init(task, dnode, S_IFREG, mode, &nnode);
	err = dnode->ops->tmpfile(dnode, &nnode, &node);
	if (err)
		goto out;
	vfs_lock(&node->lock);
	if (!(flags & O_EXCL))
		node->state |= VFS_NODE_LINKABLE;
	snprintf(name, sizeof(name), "#%llu",
		 (unsigned long long)node->attr.ino);
	vfs_unlock(&node->lock);
	vfs_fs_node_note_nlink(node);
	err = vfs_dir_entry_alloc(node, name, strlen(name), &e);
	if (err)
		goto out;
	/* Unhashed, but with a parent, so its path reads "dir/#ino". */
	e->parent = vfs_dir_entry_get(dir.entry);
	e->flags |= VFS_DENTRY_DEAD | VFS_DENTRY_TMPFILE;
	nn.mount = vfs_mount_get(dir.mount);
	nn.entry = e;
	fd = install(task, nn, flags, NULL, NULL);
	if (fd >= 0 && (flags & O_CLOEXEC))
		vfs_fd_table_set_cloexec(task->files, fd, true);
	err = fd;
out:
	vfs_namespace_node_put(dir);
	return err;
}

/* The last component of an O_CREAT open: look it up, create it if it is
 * missing.  Returns 0 with nd->path on the result (and *out_created), 1
 * with *out_link to follow, or -errno. */
static int open_last_create(struct vfs_task *task, struct vfs_nameidata *nd,
			    int flags, mode_t mode, bool *out_created,
			    const char **out_link, mode_t *out_dir_mode,
			    uid_t *out_dir_uid)
{
	struct vfs_dir_entry *dir = nd->path.entry, *child;
	struct vfs_namespace_node nn;
	int err;

	vfs_lock(&dir->node->lock);
	*out_dir_mode = dir->node->attr.mode;
	*out_dir_uid = dir->node->attr.uid;
	vfs_unlock(&dir->node->lock);

	if (nd->last_type != VFS_LAST_NORM)
		return vfs_nd_lookup_last(nd, out_link);
	if (vfs_nd_trailing_slash(nd))
		return -EISDIR;
	if (vfs_dir_is_dynamic(dir))
		return vfs_nd_lookup_last(nd, out_link);
	if (vfs_dir_entry_dead(dir))
		return -ENOENT;
	if (nd->last_len > NAME_MAX)
		return -ENAMETOOLONG;
	child = vfs_lookup_child(dir, nd->last, nd->last_len);
	if (child) {
		vfs_dir_entry_put(child);
		return vfs_nd_lookup_last(nd, out_link);
	}
	err = vfs_mnt_want_write(nd->path.mount);
	if (err)
		return err;
	err = vfs_create_at(task, dir, nd->last, nd->last_len, S_IFREG, mode,
			    0, NULL, &child);
	if (err == -EEXIST && !(flags & O_EXCL)) {
		/* Lost a race with another creator: open theirs. */
		return vfs_nd_lookup_last(nd, out_link);
	}
	if (err)
		return err;
	nn.mount = vfs_mount_get(nd->path.mount);
	nn.entry = child;
	vfs_namespace_node_put(nd->path);
	nd->path = nn;
	*out_created = true;
	return 0;
}

/* Linux's VALID_OPEN_FLAGS (the kernel's O_LARGEFILE and __O_TMPFILE). */
#define VFS_VALID_OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | \
	O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC | FASYNC | \
	O_DIRECT | VFS_O_LARGEFILE_K | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | \
	O_CLOEXEC | O_PATH | VFS_O_TMPFILE_BIT)
/* The first published struct open_how (Linux's OPEN_HOW_SIZE_VER0). */
#define VFS_OPEN_HOW_SIZE_VER0 24
#define VFS_O_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)
#define VFS_VALID_RESOLVE_FLAGS (RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | \
	RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_IN_ROOT | \
	RESOLVE_CACHED)

static bool will_create(uint64_t flags)
{
	return flags & (O_CREAT | VFS_O_TMPFILE_BIT);
}

/* build_open_flags(): check an open_how as openat2(2) does and turn it
 * into open flags, a mode, an access mask and lookup flags. */
static int build_open_flags(const struct open_how *how, int *out_flags,
			    mode_t *out_mode, int *out_acc,
			    unsigned int *out_lflags)
{
	uint64_t flags = how->flags & ~(uint64_t)O_CLOEXEC;
	unsigned int lflags = 0;
	int acc;

	if (flags & ~(uint64_t)VFS_VALID_OPEN_FLAGS)
		return -EINVAL;
	if (how->resolve & ~(uint64_t)VFS_VALID_RESOLVE_FLAGS)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if (will_create(flags)) {
		if (how->mode & ~(uint64_t)07777)
			return -EINVAL;
	} else if (how->mode) {
		return -EINVAL;
	}
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		acc = VFS_MAY_READ;
		break;
	case O_WRONLY:
		acc = VFS_MAY_WRITE;
		break;
	default:
		acc = VFS_MAY_READ | VFS_MAY_WRITE;
		break;
	}
	if (flags & VFS_O_TMPFILE_BIT) {
		if ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE)
			return -EINVAL;
		if (!(acc & VFS_MAY_WRITE))
			return -EINVAL;
	}
	if (flags & O_PATH) {
		if (flags & ~(uint64_t)VFS_O_PATH_FLAGS)
			return -EINVAL;
		acc = 0;
	}
	if (flags & O_TRUNC)
		acc |= VFS_MAY_WRITE;
	/* O_CREAT|O_EXCL never follows a trailing symlink (the flags the
	 * file keeps do not show it). */
	if (!(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL)))
		lflags |= VFS_LOOKUP_FOLLOW;
	if (flags & O_DIRECTORY)
		lflags |= VFS_LOOKUP_DIRECTORY;
	if (how->resolve & RESOLVE_NO_XDEV)
		lflags |= VFS_LOOKUP_NO_XDEV;
	if (how->resolve & RESOLVE_NO_MAGICLINKS)
		lflags |= VFS_LOOKUP_NO_MAGICLINKS;
	if (how->resolve & RESOLVE_NO_SYMLINKS)
		lflags |= VFS_LOOKUP_NO_SYMLINKS;
	if (how->resolve & RESOLVE_BENEATH)
		lflags |= VFS_LOOKUP_BENEATH;
	if (how->resolve & RESOLVE_IN_ROOT)
		lflags |= VFS_LOOKUP_IN_ROOT;
	if (how->resolve & RESOLVE_CACHED) {
		/* Creating, truncating or a tmpfile always call the fs. */
		if (flags & (O_TRUNC | O_CREAT | VFS_O_TMPFILE_BIT))
			return -EAGAIN;
		lflags |= VFS_LOOKUP_CACHED;
	}
	*out_flags = (int)(flags | (how->flags & O_CLOEXEC));
	*out_mode = (mode_t)how->mode;
	*out_acc = acc;
	*out_lflags = lflags;
	return 0;
}

static int do_open(struct vfs_task *task, int dirfd, const char *path,
		   const struct open_how *how);

VFS_EXPORT int vfs_openat(struct vfs_task *task, int dirfd, const char *path,
			  int flags, mode_t mode)
{
	/* build_open_how(): openat(2) drops what openat2(2) refuses. */
	struct open_how how = {
		.flags = (uint64_t)(unsigned int)flags & VFS_VALID_OPEN_FLAGS,
		.mode = mode & 07777,
	};

	if (how.flags & O_PATH)
		how.flags &= VFS_O_PATH_FLAGS;
	if (!will_create(how.flags))
		how.mode = 0;
	return do_open(task, dirfd, path, &how);
}

VFS_EXPORT int vfs_openat2(struct vfs_task *task, int dirfd, const char *path,
			   struct open_how *how, size_t size)
{
	struct open_how h = { 0 };

	if (size < VFS_OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	if (size > (size_t)sysconf(_SC_PAGESIZE))
		return -E2BIG;
	if (!how)
		return -EFAULT;
	/* copy_struct_from_user(): a larger struct is fine if the part we
	 * do not know is zero. */
	if (size > sizeof(h)) {
		for (size_t i = sizeof(h); i < size; i++)
			if (((const unsigned char *)how)[i])
				return -E2BIG;
		size = sizeof(h);
	}
	memcpy(&h, how, size);
	return do_open(task, dirfd, path, &h);
}

static int do_open(struct vfs_task *task, int dirfd, const char *path,
		   const struct open_how *how)
{
	struct vfs_nameidata nd;
	struct vfs_namespace_node nn;
	struct vfs_fs_node *node;
	unsigned int lflags;
	struct vfs_pipe *pipe;
	void *priv = NULL;
	mode_t mode, dir_mode = 0;
	uid_t dir_uid = 0;
	bool created = false;
	const char *s = path;
	int flags, acc_mode, err, fd;

	err = build_open_flags(how, &flags, &mode, &acc_mode, &lflags);
	if (err)
		return err;

	if (flags & VFS_O_TMPFILE_BIT)
		return open_tmpfile(task, dirfd, path, flags, mode, lflags);
	if (flags & O_PATH) {
		err = vfs_path_lookup(task, dirfd, path, lflags, &nn);
		if (err)
			return err;
		fd = install(task, nn, flags, NULL, NULL);
		goto out_fd;
	}

	err = vfs_nd_init(&nd, task, dirfd, path, lflags);
	while (!err) {
		const char *link = NULL;

		err = vfs_nd_walk_parent(&nd, s);
		if (err)
			break;
		if (flags & O_CREAT)
			err = open_last_create(task, &nd, flags, mode, &created,
					       &link, &dir_mode, &dir_uid);
		else
			err = vfs_nd_lookup_last(&nd, &link);
		if (err == 1) {
			s = link;
			err = 0;
			continue;
		}
		break;
	}
	if (err)
		goto out_nd;
	node = nd.path.entry->node;
	if (flags & O_CREAT) {
		err = -EEXIST;
		if ((flags & O_EXCL) && !created)
			goto out_nd;
		err = -EISDIR;
		if (vfs_fs_node_type(node) == S_IFDIR)
			goto out_nd;
		if (!created) {
			err = may_create_in_sticky(task, node, dir_mode,
						   dir_uid);
			if (err)
				goto out_nd;
		}
	}
	err = -ENOTDIR;
	if ((nd.flags & VFS_LOOKUP_DIRECTORY) &&
	    vfs_fs_node_type(node) != S_IFDIR)
		goto out_nd;
	if (created) {
		flags &= ~O_TRUNC;
		acc_mode = 0;
	}
	/* do_open(): O_TRUNC wants a writable mount before the permission
	 * check, opening for write after it (not for device, FIFO, socket). */
	err = 0;
	if ((flags & O_TRUNC) && vfs_fs_node_type(node) == S_IFREG)
		err = vfs_mnt_want_write(nd.path.mount);
	if (!err)
		err = may_open(task, nd.path.mount, node, acc_mode, flags);
	if (!err && ((flags & O_ACCMODE) == O_WRONLY ||
		     (flags & O_ACCMODE) == O_RDWR) && !created &&
	    (vfs_fs_node_type(node) == S_IFREG ||
	     vfs_fs_node_type(node) == S_IFDIR ||
	     vfs_fs_node_type(node) == S_IFLNK))
		err = vfs_mnt_want_write(nd.path.mount);
	if (!err && (flags & O_TRUNC) && vfs_fs_node_type(node) == S_IFREG)
		err = vfs_do_truncate(task, node, 0, true);
	if (!err)
		err = open_node_type(node, flags, &pipe);
	if (!err && node->ops->open) {
		err = node->ops->open(node, task, flags, &priv);
		if (err && pipe)
			vfs_pipe_release(node, pipe, acc_mode & VFS_MAY_WRITE ?
					 VFS_FMODE_WRITE : VFS_FMODE_READ);
	}
	if (err)
		goto out_nd;
	nn = vfs_namespace_node_get(nd.path);
	vfs_nd_done(&nd);
	fd = install(task, nn, flags, pipe, priv);
out_fd:
	if (fd >= 0 && (flags & O_CLOEXEC))
		vfs_fd_table_set_cloexec(task->files, fd, true);
	return fd;
out_nd:
	vfs_nd_done(&nd);
	return err;
}

VFS_EXPORT int vfs_close(struct vfs_task *task, int fd)
{
	return vfs_fd_table_close(task->files, fd);
}

VFS_EXPORT ssize_t vfs_task_fd_path(struct vfs_task *task, int fd, char *buf,
				    size_t size)
{
	struct vfs_file *f;
	ssize_t n;
	int err;

	err = vfs_task_file(task, fd, &f);
	if (err)
		return err;
	n = vfs_d_path(task, f->path, buf, size);
	vfs_file_put(f);
	return n;
}
