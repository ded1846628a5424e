// SPDX-License-Identifier: MIT
/*
 * Namespace and NamespaceNode: a mount tree with a root Mount, and a place
 * in it (a mount and an entry).  Owns namespace creation (a hidden base
 * mount, Linux's rootfs, with the requested file system mounted on it as
 * "/"), teardown, the registry of the fs contexts living in it (for
 * pivot_root), and path computation (Linux's d_path): a path is never
 * stored, it is walked up from the entry through parents and mountpoints
 * whenever asked for, so every rename is reflected at once.
 *
 * Locking: path computation takes mount_lock shared, then the tree_lock of
 * each file system it crosses, one at a time, in that order.  ctx_lock
 * guards the context list and is taken with no other lock held; each
 * context's own lock nests inside it.
 */
#include "internal.h"

#include <stdlib.h>

/* A fresh mount of @fstype: its reference, or -errno. */
static int new_mount(struct vfs_kernel *k, const char *fstype,
		     const char *source, const char *options,
		     struct vfs_mount **out)
{
	struct vfs_file_system *fs;
	int err;

	err = vfs_file_system_create(k, fstype, source, 0, options, &fs);
	if (err)
		return err;
	err = vfs_mount_create(fs, fs->root, MS_RELATIME, out);
	if (err) {
		vfs_file_system_activate(fs);
		vfs_file_system_deactivate(fs);
	}
	vfs_file_system_put(fs);
	return err;
}

VFS_EXPORT int vfs_namespace_create(struct vfs_kernel *k, const char *fstype,
				    const char *options,
				    struct vfs_namespace **out_ns)
{
	struct vfs_namespace *ns;
	struct vfs_mount *base, *m;
	int err;

	*out_ns = NULL;
	if (!fstype)
		return -EINVAL;
	ns = calloc(1, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	err = new_mount(k, "tmpfs", "rootfs", NULL, &base);
	if (err)
		goto out_free;
	err = new_mount(k, fstype, "none", options, &m);
	if (err) {
		vfs_mount_put(base);
		goto out_free;
	}
	vfs_refcount_init(&ns->ref, 1);
	pthread_mutex_init(&ns->ctx_lock, NULL);
	ns->kernel = vfs_kernel_get(k);
	vfs_kernel_count(k, VFS_OBJ_NAMESPACE, 1);
	pthread_rwlock_wrlock(&k->mount_lock);
	ns->root = base;
	base->ns = ns;
	vfs_mount_attach_locked(m, base, base->root);
	pthread_rwlock_unlock(&k->mount_lock);
	*out_ns = ns;
	return 0;
out_free:
	free(ns);
	return err;
}

struct vfs_namespace *vfs_namespace_get(struct vfs_namespace *ns)
{
	if (ns)
		vfs_refcount_inc(&ns->ref);
	return ns;
}

VFS_EXPORT void vfs_namespace_put(struct vfs_namespace *ns)
{
	struct vfs_kernel *k;
	struct vfs_mount *chain = NULL;

	if (!ns || !vfs_refcount_dec(&ns->ref))
		return;
	assert(!ns->contexts);
	k = ns->kernel;
	pthread_rwlock_wrlock(&k->mount_lock);
	vfs_mount_detach_tree_locked(ns->root, &chain);
	ns->root = NULL;
	pthread_rwlock_unlock(&k->mount_lock);
	vfs_mount_put_detached(chain);
	pthread_mutex_destroy(&ns->ctx_lock);
	vfs_kernel_count(k, VFS_OBJ_NAMESPACE, -1);
	free(ns);
	vfs_kernel_put(k);
}

void vfs_namespace_top(struct vfs_namespace *ns, struct vfs_namespace_node *out)
{
	struct vfs_namespace_node nn;

	pthread_rwlock_rdlock(&ns->kernel->mount_lock);
	nn.mount = vfs_mount_get(ns->root);
	nn.entry = vfs_dir_entry_get(ns->root->root);
	pthread_rwlock_unlock(&ns->kernel->mount_lock);
	*out = vfs_follow_mounts(nn);
}

void vfs_namespace_chroot_refs(struct vfs_namespace *ns,
			       struct vfs_namespace_node old,
			       struct vfs_namespace_node new_root)
{
	pthread_mutex_lock(&ns->ctx_lock);
	for (struct vfs_fs_context *c = ns->contexts; c; c = c->ns_next) {
		if (vfs_namespace_node_eq(c->root, old))
			vfs_fs_context_set_root(c, vfs_namespace_node_get(new_root));
		if (vfs_namespace_node_eq(c->cwd, old))
			vfs_fs_context_set_cwd(c, vfs_namespace_node_get(new_root));
	}
	pthread_mutex_unlock(&ns->ctx_lock);
}

static int prepend(char **p, char *buf, const char *s, size_t len)
{
	if ((size_t)(*p - buf) < len)
		return -ENAMETOOLONG;
	*p -= len;
	memcpy(*p, s, len);
	return 0;
}

int vfs_namespace_node_path(struct vfs_namespace_node nn,
			    struct vfs_namespace_node root, char *buf,
			    size_t size, char **out_path, bool *out_reachable)
{
	struct vfs_kernel *k = nn.mount->kernel;
	int err;

	pthread_rwlock_rdlock(&k->mount_lock);
	err = vfs_namespace_node_path_locked(nn, root, buf, size, out_path,
					     out_reachable);
	pthread_rwlock_unlock(&k->mount_lock);
	return err;
}

int vfs_namespace_node_path_locked(struct vfs_namespace_node nn,
				   struct vfs_namespace_node root, char *buf,
				   size_t size, char **out_path,
				   bool *out_reachable)
{
	struct vfs_mount *m = nn.mount;
	struct vfs_dir_entry *e = nn.entry;
	struct vfs_file_system *locked = NULL;
	char *p = buf + size, *end;
	bool reachable = true;
	int err = 0;

	if (size == 0)
		return -ENAMETOOLONG;
	*--p = '\0';
	end = p;
	for (;;) {
		if (m == root.mount && e == root.entry)
			break;
		if (e == m->root) {
			if (!m->parent) {
				reachable = false;
				break;
			}
			e = m->mountpoint;
			m = m->parent;
			continue;
		}
		if (locked != m->fs) {
			if (locked)
				vfs_brlock_rdunlock(&locked->tree_lock);
			locked = m->fs;
			vfs_brlock_rdlock(&locked->tree_lock);
		}
		if (!e->parent) {
			/* Past the top of the file system without meeting the
			 * mount's root: it escaped its bind mount (renamed out
			 * of it).  Linux's prepend_path() gives "/" then. */
			p = end;
			reachable = false;
			break;
		}
		err = prepend(&p, buf, e->name, e->name_len);
		if (!err)
			err = prepend(&p, buf, "/", 1);
		if (err)
			break;
		e = e->parent;
	}
	if (locked)
		vfs_brlock_rdunlock(&locked->tree_lock);
	if (err)
		return err;
	if (*p == '\0' && prepend(&p, buf, "/", 1))
		return -ENAMETOOLONG;
	*out_path = p;
	*out_reachable = reachable;
	return 0;
}

ssize_t vfs_d_path(struct vfs_task *task, struct vfs_namespace_node nn,
		   char *buf, size_t size)
{
	struct vfs_namespace_node root;
	char tmp[PATH_MAX + 16], *p;
	bool reachable, deleted;
	size_t len;
	int err;

	vfs_fs_context_get_root(task->fs, &root);
	/* Leave room for " (deleted)". */
	err = vfs_namespace_node_path(nn, root, tmp, sizeof(tmp) - 10, &p,
				      &reachable);
	vfs_namespace_node_put(root);
	if (err)
		return err;
	vfs_brlock_rdlock(&nn.entry->node->fs->tree_lock);
	deleted = vfs_dir_entry_dead(nn.entry);
	vfs_brlock_rdunlock(&nn.entry->node->fs->tree_lock);
	len = strlen(p);
	if (deleted) {
		memcpy(p + len, " (deleted)", 10);
		len += 10;
	}
	if (len > size)
		len = size;
	memcpy(buf, p, len);
	return (ssize_t)len;
}
