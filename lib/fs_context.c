// SPDX-License-Identifier: MIT
/*
 * FsContext: a task's namespace, root, cwd and umask, shared between tasks
 * forked with CLONE_FS.
 *
 * Locking: ctx->lock guards ns, root and cwd; it is a leaf lock (nothing
 * else is taken under it but reference counts).  The namespace's ctx_lock
 * guards its list of contexts and is taken before ctx->lock.
 */
#include "internal.h"

#include <stdlib.h>

static void ns_register(struct vfs_fs_context *ctx)
{
	struct vfs_namespace *ns = ctx->ns;

	pthread_mutex_lock(&ns->ctx_lock);
	ctx->ns_prev = NULL;
	ctx->ns_next = ns->contexts;
	if (ns->contexts)
		ns->contexts->ns_prev = ctx;
	ns->contexts = ctx;
	pthread_mutex_unlock(&ns->ctx_lock);
}

static void ns_unregister(struct vfs_fs_context *ctx)
{
	struct vfs_namespace *ns = ctx->ns;

	pthread_mutex_lock(&ns->ctx_lock);
	if (ctx->ns_prev)
		ctx->ns_prev->ns_next = ctx->ns_next;
	else
		ns->contexts = ctx->ns_next;
	if (ctx->ns_next)
		ctx->ns_next->ns_prev = ctx->ns_prev;
	pthread_mutex_unlock(&ns->ctx_lock);
}

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
	vfs_namespace_top(ns, &root);
	ctx->root = root;
	ctx->cwd = vfs_namespace_node_get(root);
	atomic_init(&ctx->umask, 022);
	ns_register(ctx);
	*out_ctx = ctx;
	return 0;
}

void vfs_fs_context_set_ns(struct vfs_fs_context *ctx, struct vfs_namespace *ns,
			   struct vfs_namespace_node root,
			   struct vfs_namespace_node cwd)
{
	struct vfs_namespace *old_ns = ctx->ns;
	struct vfs_namespace_node old_root, old_cwd;

	ns_unregister(ctx);
	vfs_lock(&ctx->lock);
	old_root = ctx->root;
	old_cwd = ctx->cwd;
	ctx->ns = ns;
	ctx->root = root;
	ctx->cwd = cwd;
	vfs_unlock(&ctx->lock);
	ns_register(ctx);
	vfs_namespace_node_put(old_cwd);
	vfs_namespace_node_put(old_root);
	vfs_namespace_put(old_ns);
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
	ns_register(ctx);
	*out_ctx = ctx;
	return 0;
}

void vfs_fs_context_put(struct vfs_fs_context *ctx)
{
	if (!ctx || !vfs_refcount_dec(&ctx->ref))
		return;
	ns_unregister(ctx);
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
