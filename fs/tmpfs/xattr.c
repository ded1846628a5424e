// SPDX-License-Identifier: MIT
/*
 * tmpfs extended attributes (user., trusted., security.): a list per node
 * kept in the order Linux's simple_xattrs lists them, which on 6.18 is by
 * name in decreasing strcmp() order.  The core has already checked the
 * namespace, the caller's permission, the name and value lengths and the
 * flags; what is left here is Linux's simple_xattr_set/get/list and the
 * tmpfs charge: with nr_inodes set, an xattr holds 40 + name length +
 * value size bytes of the inode space (1024 bytes per inode), taken before
 * the old value is given back, so a replace can fail with ENOSPC.
 *
 * Locking: every op runs with the node's lock held by the core, which
 * guards the list and tmpfs_node.xattr_ispace; the fs-wide ispace is an
 * atomic (super.c).  vfs_tmpfs_xattrs_free() runs at evict, unlocked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "internal.h"

struct tmpfs_xattr {
	struct tmpfs_xattr *next;
	size_t size;                        /* of value */
	char *value;
	char name[];
};

/* simple_xattr_space(): what an xattr costs of the inode space. */
static uint64_t xattr_space(const char *name, size_t size)
{
	return 40 + (uint64_t)size + strlen(name);
}

/* The xattr called @name, and the link that points at it (or at where
 * it would go). */
static struct tmpfs_xattr *xattr_find(struct tmpfs_node *tn, const char *name,
				      struct tmpfs_xattr ***out_link)
{
	struct tmpfs_xattr **link = &tn->xattrs;

	int c = 1;

	/* Decreasing order: stop at the first name not greater than ours. */
	for (; *link; link = &(*link)->next) {
		c = strcmp(name, (*link)->name);
		if (c >= 0)
			break;
	}
	*out_link = link;
	return *link && c == 0 ? *link : NULL;
}

static void xattr_free(struct tmpfs_xattr *x)
{
	free(x->value);
	free(x);
}

ssize_t vfs_tmpfs_getxattr(struct vfs_fs_node *node, const char *name,
			   void *value, size_t size)
{
	struct tmpfs_xattr **link;
	struct tmpfs_xattr *x = xattr_find(tmpfs_node_of(node), name, &link);

	if (!x)
		return -ENODATA;
	/* A zero size asks for the size. */
	if (size) {
		if (size < x->size)
			return -ERANGE;
		memcpy(value, x->value, x->size);
	}
	return (ssize_t)x->size;
}

int vfs_tmpfs_setxattr(struct vfs_fs_node *node, const char *name,
		       const void *value, size_t size, int flags)
{
	struct tmpfs_super *sb = tmpfs_super_of(node);
	struct tmpfs_node *tn = tmpfs_node_of(node);
	uint64_t space = xattr_space(name, size);
	size_t name_size = strlen(name) + 1;
	struct tmpfs_xattr *x, *old, **link;
	struct timespec now;
	int err;

	/* shmem_xattr_handler_set(): charge first. */
	err = vfs_tmpfs_reserve_ispace(sb, space);
	if (err)
		return err;
	x = malloc(sizeof(*x) + name_size);
	if (!x)
		goto out_nomem;
	x->size = size;
	/* Even an empty value gets its own allocation (never NULL). */
	x->value = malloc(size ? size : 1);
	if (!x->value) {
		free(x);
		goto out_nomem;
	}
	if (size)
		memcpy(x->value, value, size);
	memcpy(x->name, name, name_size);

	old = xattr_find(tn, name, &link);
	if (old && (flags & XATTR_CREATE)) {
		err = -EEXIST;
		goto out_free;
	}
	if (!old && (flags & XATTR_REPLACE)) {
		err = -ENODATA;
		goto out_free;
	}
	if (old) {
		x->next = old->next;
		*link = x;
		tn->xattr_ispace -= xattr_space(old->name, old->size);
		vfs_tmpfs_release_ispace(sb, xattr_space(old->name, old->size));
		xattr_free(old);
	} else {
		x->next = *link;
		*link = x;
	}
	tn->xattr_ispace += space;
	vfs_fs_time_now(&now);
	vfs_fs_node_attr(node)->ctime = now;
	return 0;

out_free:
	xattr_free(x);
	vfs_tmpfs_release_ispace(sb, space);
	return err;
out_nomem:
	vfs_tmpfs_release_ispace(sb, space);
	return -ENOMEM;
}

ssize_t vfs_tmpfs_listxattr(struct vfs_fs_node *node, char *list, size_t size)
{
	struct tmpfs_xattr *x;
	size_t total = 0;

	for (x = tmpfs_node_of(node)->xattrs; x; x = x->next) {
		size_t len = strlen(x->name) + 1;

		if (size) {
			if (size - total < len)
				return -ERANGE;
			memcpy(list + total, x->name, len);
		}
		total += len;
	}
	return (ssize_t)total;
}

int vfs_tmpfs_removexattr(struct vfs_fs_node *node, const char *name)
{
	struct tmpfs_node *tn = tmpfs_node_of(node);
	struct tmpfs_xattr **link;
	struct tmpfs_xattr *x = xattr_find(tn, name, &link);
	uint64_t space;
	struct timespec now;

	if (!x)
		return -ENODATA;
	*link = x->next;
	space = xattr_space(x->name, x->size);
	tn->xattr_ispace -= space;
	vfs_tmpfs_release_ispace(tmpfs_super_of(node), space);
	xattr_free(x);
	vfs_fs_time_now(&now);
	vfs_fs_node_attr(node)->ctime = now;
	return 0;
}

void vfs_tmpfs_xattrs_free(struct tmpfs_super *sb, struct tmpfs_node *tn)
{
	struct tmpfs_xattr *x, *next;

	for (x = tn->xattrs; x; x = next) {
		next = x->next;
		xattr_free(x);
	}
	tn->xattrs = NULL;
	vfs_tmpfs_release_ispace(sb, tn->xattr_ispace);
	tn->xattr_ispace = 0;
}
