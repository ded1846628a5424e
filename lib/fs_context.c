// SPDX-License-Identifier: MIT
/*
 * FsContext: a task's namespace, root, cwd and umask, shared between tasks
 * forked with CLONE_FS.
 *
 * Locking: ctx->lock guards ns, root and cwd; it is a leaf lock (nothing
 * else is taken under it but reference counts).
 */
#include "internal.h"

#include <stdlib.h>

int vfs_fs_context_create(struct vfs_namespace *ns,
			  struct vfs_fs_context **out_ctx)
{
	struct vfs_fs_context *ctx = calloc(1, sizeof(*ctx));
	struct vfs_namespace_node root;

	*out_ctx = NULL;
	if (!ctx)
		return -ENOMEM;
	vfs_refcount_init(&ctx->ref, 1);
	vfs_lock_init(&ctx->lock);
	ctx->ns = vfs_namespace_get(ns);
	pthread_rwlock_rdlock(&ns->kernel->mount_lock);
	root.mount = ns->root;
	root.entry = ns->root->root;
	ctx->root = vfs_namespace_node_get(root);
	ctx->cwd = vfs_namespace_node_get(root);
	pthread_rwlock_unlock(&ns->kernel->mount_lock);
	atomic_init(&ctx->umask, 022);
	*out_ctx = ctx;
	return 0;
}

int vfs_fs_context_copy(struct vfs_fs_context *src,
			struct vfs_fs_context **out_ctx)
{
	struct vfs_fs_context *ctx = calloc(1, sizeof(*ctx));

	*out_ctx = NULL;
	if (!ctx)
		return -ENOMEM;
	vfs_refcount_init(&ctx->ref, 1);
	vfs_lock_init(&ctx->lock);
	vfs_lock(&src->lock);
	ctx->ns = vfs_namespace_get(src->ns);
	ctx->root = vfs_namespace_node_get(src->root);
	ctx->cwd = vfs_namespace_node_get(src->cwd);
	vfs_unlock(&src->lock);
	atomic_init(&ctx->umask, atomic_load(&src->umask));
	*out_ctx = ctx;
	return 0;
}

void vfs_fs_context_put(struct vfs_fs_context *ctx)
{
	if (!ctx || !vfs_refcount_dec(&ctx->ref))
		return;
	vfs_namespace_node_put(ctx->cwd);
	vfs_namespace_node_put(ctx->root);
	vfs_namespace_put(ctx->ns);
	free(ctx);
}

void vfs_fs_context_get_root(struct vfs_fs_context *ctx,
			     struct vfs_namespace_node *out_root)
{
	vfs_lock(&ctx->lock);
	*out_root = vfs_namespace_node_get(ctx->root);
	vfs_unlock(&ctx->lock);
}

void vfs_fs_context_get_pwd(struct vfs_fs_context *ctx,
			    struct vfs_namespace_node *out_root,
			    struct vfs_namespace_node *out_cwd)
{
	vfs_lock(&ctx->lock);
	*out_root = vfs_namespace_node_get(ctx->root);
	*out_cwd = vfs_namespace_node_get(ctx->cwd);
	vfs_unlock(&ctx->lock);
}

void vfs_fs_context_set_cwd(struct vfs_fs_context *ctx,
			    struct vfs_namespace_node nn)
{
	struct vfs_namespace_node old;

	vfs_lock(&ctx->lock);
	old = ctx->cwd;
	ctx->cwd = nn;
	vfs_unlock(&ctx->lock);
	vfs_namespace_node_put(old);
}

void vfs_fs_context_set_root(struct vfs_fs_context *ctx,
			     struct vfs_namespace_node nn)
{
	struct vfs_namespace_node old;

	vfs_lock(&ctx->lock);
	old = ctx->root;
	ctx->root = nn;
	vfs_unlock(&ctx->lock);
	vfs_namespace_node_put(old);
}
