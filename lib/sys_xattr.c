// SPDX-License-Identifier: MIT
/*
 * Extended attribute system calls (set/get/list/remove in path, l- and
 * f- variants), with Linux's fs/xattr.c checks: name length (ERANGE),
 * value size (E2BIG), flags, and xattr_permission(): trusted.* needs
 * CAP_SYS_ADMIN, user.* only on regular files and directories (and the
 * owner of a sticky directory), security.* left to the filesystem.  The
 * filesystem stores the attributes and stamps ctime (fs.h xattr ops).
 *
 * Locking: the filesystem's xattr ops run under the node lock.
 */
#include "internal.h"

#include <linux/capability.h>
#include <linux/limits.h>
#include <stdlib.h>
#include <sys/xattr.h>

/* xattr_node()'s fd for "AT_FDCWD means the cwd". */
#define VFS_XATTR_CWD INT_MIN

#define PFX(name, prefix) (strncmp((name), prefix, sizeof(prefix) - 1) == 0)

/* The namespaces this VFS routes to a filesystem (tmpfs has all three). */
static bool known_namespace(const char *name)
{
	static const char *const prefixes[] = { "user.", "trusted.",
						"security." };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);

		if (strncmp(name, prefixes[i], n) == 0)
			return true;
	}
	return false;
}

static int check_name(const char *name)
{
	size_t n;

	if (!name)
		return -EFAULT;
	n = strnlen(name, XATTR_NAME_MAX + 1);
	if (n == 0 || n > XATTR_NAME_MAX)
		return -ERANGE;
	return 0;
}

static int xattr_permission(struct vfs_task *task, struct vfs_fs_node *node,
			    const char *name, int mask)
{
	mode_t type = vfs_fs_node_type(node);
	bool write = mask & VFS_MAY_WRITE;

	if (PFX(name, "security.") || PFX(name, "system.")) {
		/* The capability LSM: changing security.* other than
		 * security.capability needs CAP_SYS_ADMIN. */
		if (write && PFX(name, "security.") &&
		    strcmp(name, "security.capability") != 0 &&
		    !vfs_capable(task, CAP_SYS_ADMIN))
			return -EPERM;
		return 0;
	}
	if (PFX(name, "trusted.")) {
		if (!vfs_capable(task, CAP_SYS_ADMIN))
			return write ? -EPERM : -ENODATA;
		return 0;
	}
	if (PFX(name, "user.")) {
		mode_t mode;

		if (type != S_IFREG && type != S_IFDIR)
			return write ? -EPERM : -ENODATA;
		vfs_lock(&node->lock);
		mode = node->attr.mode;
		vfs_unlock(&node->lock);
		if (type == S_IFDIR && (mode & S_ISVTX) && write &&
		    !vfs_owner_or_capable(&task->cred, node))
			return -EPERM;
	}
	return vfs_permission(task, &task->cred, node, mask);
}

/* Resolve the name to a handler: unknown namespaces, or a bare prefix. */
static int xattr_resolve(const struct vfs_fs_node *node, const char *name,
			 bool have_op)
{
	if (!known_namespace(name) || !have_op)
		return -EOPNOTSUPP;
	if (!strchr(name, '.')[1])
		return -EINVAL;
	(void)node;
	return 0;
}

/* A node from a path (follow or not) or an fd (path NULL). */
static int xattr_node(struct vfs_task *task, const char *path, int fd,
		      bool follow, struct vfs_namespace_node *out)
{
	struct vfs_file *f;
	int err;

	if (path)
		return vfs_path_lookup(task, AT_FDCWD, path,
				       follow ? VFS_LOOKUP_FOLLOW : 0, out);
	/* fsetxattr and fgetxattr go through the *xattrat() path in Linux
	 * 6.13+, so AT_FDCWD names the cwd there (not in flist/fremove). */
	if (fd == VFS_XATTR_CWD)
		return vfs_path_lookup(task, AT_FDCWD, "", VFS_LOOKUP_EMPTY,
				       out);

	err = vfs_task_file(task, fd, &f);
	if (err)
		return err;
	if (f->fmode & VFS_FMODE_PATH)
		err = -EBADF;
	else
		*out = vfs_namespace_node_get(f->path);
	vfs_file_put(f);
	return err;
}

/* ------------------------------------------------------------------- set */

static int do_setxattr(struct vfs_task *task, const char *path, int fd,
		       bool follow, const char *name, const void *value,
		       size_t size, int flags)
{
	struct vfs_namespace_node nn;
	struct vfs_fs_node *node;
	int err;

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	err = check_name(name);
	if (err)
		return err;
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	if (size && !value)
		return -EFAULT;
	err = xattr_node(task, path, fd, follow, &nn);
	if (err)
		return err;
	node = nn.entry->node;
	err = vfs_mnt_want_write(nn.mount);
	if (!err)
		err = xattr_permission(task, node, name, VFS_MAY_WRITE);
	if (!err)
		err = xattr_resolve(node, name, node->ops->setxattr);
	if (!err) {
		vfs_lock(&node->lock);
		err = node->ops->setxattr(node, name, value, size, flags);
		vfs_unlock(&node->lock);
	}
	vfs_namespace_node_put(nn);
	return err;
}

VFS_EXPORT int vfs_setxattr(struct vfs_task *task, const char *path,
			    const char *name, const void *value, size_t size,
			    int flags)
{
	return do_setxattr(task, path, -1, true, name, value, size,
			   flags);
}

VFS_EXPORT int vfs_lsetxattr(struct vfs_task *task, const char *path,
			     const char *name, const void *value, size_t size,
			     int flags)
{
	return do_setxattr(task, path, -1, false, name, value,
			   size, flags);
}

VFS_EXPORT int vfs_fsetxattr(struct vfs_task *task, int fd, const char *name,
			     const void *value, size_t size, int flags)
{
	return do_setxattr(task, NULL, fd == AT_FDCWD ? VFS_XATTR_CWD : fd,
			   false, name, value, size, flags);
}

/* ------------------------------------------------------------------- get */

static ssize_t do_getxattr(struct vfs_task *task, const char *path, int fd,
			   bool follow, const char *name, void *value,
			   size_t size)
{
	struct vfs_namespace_node nn;
	struct vfs_fs_node *node;
	ssize_t err;

	err = check_name(name);
	if (err)
		return err;
	err = xattr_node(task, path, fd, follow, &nn);
	if (err)
		return err;
	node = nn.entry->node;
	if (size > XATTR_SIZE_MAX)
		size = XATTR_SIZE_MAX;
	err = xattr_permission(task, node, name, VFS_MAY_READ);
	if (!err)
		err = xattr_resolve(node, name, node->ops->getxattr);
	if (!err) {
		vfs_lock(&node->lock);
		err = node->ops->getxattr(node, name, size ? value : NULL,
					  size);
		vfs_unlock(&node->lock);
	}
	vfs_namespace_node_put(nn);
	return err;
}

VFS_EXPORT ssize_t vfs_getxattr(struct vfs_task *task, const char *path,
				const char *name, void *value, size_t size)
{
	return do_getxattr(task, path, -1, true, name, value, size);
}

VFS_EXPORT ssize_t vfs_lgetxattr(struct vfs_task *task, const char *path,
				 const char *name, void *value, size_t size)
{
	return do_getxattr(task, path, -1, false, name, value,
			   size);
}

VFS_EXPORT ssize_t vfs_fgetxattr(struct vfs_task *task, int fd,
				 const char *name, void *value, size_t size)
{
	return do_getxattr(task, NULL, fd == AT_FDCWD ? VFS_XATTR_CWD : fd,
			   false, name, value, size);
}

/* ------------------------------------------------------------------ list */

static ssize_t do_listxattr(struct vfs_task *task, const char *path, int fd,
			    bool follow, char *list, size_t size)
{
	struct vfs_namespace_node nn;
	struct vfs_fs_node *node;
	bool trusted = vfs_capable(task, CAP_SYS_ADMIN);
	char *all = NULL;
	ssize_t n, err;
	size_t out = 0;

	err = xattr_node(task, path, fd, follow, &nn);
	if (err)
		return err;
	node = nn.entry->node;
	if (size > XATTR_LIST_MAX)
		size = XATTR_LIST_MAX;
	err = 0;
	if (!node->ops->listxattr)
		goto out;
	err = -ENOMEM;
	all = malloc(XATTR_LIST_MAX);
	if (!all)
		goto out;
	vfs_lock(&node->lock);
	n = node->ops->listxattr(node, all, XATTR_LIST_MAX);
	vfs_unlock(&node->lock);
	err = n;
	if (n < 0)
		goto out;
	/* Hide trusted.* from the unprivileged, as simple_xattr_list(). */
	for (ssize_t i = 0; i < n;) {
		size_t len = strlen(all + i) + 1;

		if (trusted || !PFX(all + i, "trusted.")) {
			if (size) {
				if (out + len > size) {
					err = -ERANGE;
					goto out;
				}
				memcpy(list + out, all + i, len);
			}
			out += len;
		}
		i += (ssize_t)len;
	}
	err = (ssize_t)out;
out:
	free(all);
	vfs_namespace_node_put(nn);
	return err;
}

VFS_EXPORT ssize_t vfs_listxattr(struct vfs_task *task, const char *path,
				 char *list, size_t size)
{
	return do_listxattr(task, path, -1, true, list, size);
}

VFS_EXPORT ssize_t vfs_llistxattr(struct vfs_task *task, const char *path,
				  char *list, size_t size)
{
	return do_listxattr(task, path, -1, false, list, size);
}

VFS_EXPORT ssize_t vfs_flistxattr(struct vfs_task *task, int fd, char *list,
				  size_t size)
{
	return do_listxattr(task, NULL, fd, false, list, size);
}

/* ---------------------------------------------------------------- remove */

static int do_removexattr(struct vfs_task *task, const char *path, int fd,
			  bool follow, const char *name)
{
	struct vfs_namespace_node nn;
	struct vfs_fs_node *node;
	int err;

	err = check_name(name);
	if (err)
		return err;
	err = xattr_node(task, path, fd, follow, &nn);
	if (err)
		return err;
	node = nn.entry->node;
	err = vfs_mnt_want_write(nn.mount);
	if (!err)
		err = xattr_permission(task, node, name, VFS_MAY_WRITE);
	if (!err)
		err = xattr_resolve(node, name, node->ops->removexattr);
	if (!err) {
		vfs_lock(&node->lock);
		err = node->ops->removexattr(node, name);
		vfs_unlock(&node->lock);
	}
	vfs_namespace_node_put(nn);
	return err;
}

VFS_EXPORT int vfs_removexattr(struct vfs_task *task, const char *path,
			       const char *name)
{
	return do_removexattr(task, path, -1, true, name);
}

VFS_EXPORT int vfs_lremovexattr(struct vfs_task *task, const char *path,
				const char *name)
{
	return do_removexattr(task, path, -1, false, name);
}

VFS_EXPORT int vfs_fremovexattr(struct vfs_task *task, int fd,
				const char *name)
{
	return do_removexattr(task, NULL, fd, false, name);
}
