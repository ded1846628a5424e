/* SPDX-License-Identifier: MIT */
/*
 * Core-only definitions: the bodies of the Starnix objects, their lock
 * legend and the internal API the syscall layer uses.  Filesystems never
 * include this file; they see include/vfs/fs.h.
 *
 * Field legend (every field carries one):
 *   [c] constant after init      [a] atomic
 *   [l] the object's own lock    [t] the kernel's mount_lock
 *   [d] the file system's tree_lock (dentry cache structure)
 *   [o] the file system's op_mutex
 *
 * Lock order (outermost first; never take an earlier one while holding a
 * later one):
 *   fs_context lock, fd_table lock        (leaf locks: taken alone)
 *   file pos_lock                         (taken first by a call on an
 *                                          open file that uses its offset)
 *   file system op_mutex                  (one namespace change per fs)
 *   kernel mount_lock (rwlock)            (under op_mutex: mountpoint
 *                                          checks only; no mount_lock
 *                                          holder ever takes op_mutex)
 *   file system tree_lock (brlock.h)      (never held across a fs op)
 *   node lock (vfs_lock_t; two nodes: lower address first)
 *
 * Reference graph (who holds whom):
 *   task -> fs_context -> namespace -> root mount -> submounts (tree refs)
 *   namespace_node -> mount + dir_entry;  file -> namespace_node + node
 *   mount -> file system (active count) + root entry + mountpoint entry
 *   dir_entry -> parent dir_entry + fs_node;  fs_node -> file system
 *   file system -> kernel;  in a VFS_FS_DCACHE_COMPLETE fs every hashed
 *   entry also holds a pin (one reference, VFS_DENTRY_PINNED).
 * Caches (children hashes, submount hashes) hold no references of their
 * own beyond those listed.
 */
#ifndef VFS_INTERNAL_H
#define VFS_INTERNAL_H

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#undef uthash_fatal
#define uthash_fatal(msg) abort()
#include <uthash.h>

#include <vfs/fs.h>
#include <vfs/syscalls.h>
#include <vfs/task.h>

#include "brlock.h"
#include "ida.h"
#include "lock.h"
#include "refcount.h"

#define VFS_MAXSYMLINKS 40
#define VFS_DEFAULT_NOFILE 1024
#define VFS_MAX_NOFILE 1048576
#define VFS_MAX_FS_TYPES 16
#define VFS_INLINE_NAME 24

/* Debug builds check that error returns are errnos. */
#define VFS_ERR(e) (assert((e) < 0 && (e) >= -4095), (e))

/* ---------------------------------------------------------------- kernel */

enum vfs_obj {
	VFS_OBJ_NODE,
	VFS_OBJ_ENTRY,
	VFS_OBJ_FS,
	VFS_OBJ_MOUNT,
	VFS_OBJ_NAMESPACE,
	VFS_OBJ_FILE,
	VFS_OBJ_TASK,
	VFS_OBJ_COUNT,
};

struct vfs_kernel {
	vfs_refcount_t ref;                        /* [a] */
	pthread_rwlock_t mount_lock;               /* guards every [t] field */
	pthread_mutex_t types_lock;                /* guards types, ntypes */
	const struct vfs_fs_type *types[VFS_MAX_FS_TYPES];
	int ntypes;
	atomic_int next_task_id;                   /* [a] */
	pthread_mutex_t ids_lock;                  /* guards mount_ids, dev_minors */
	struct vfs_ida mount_ids;                  /* mount ids, lowest free */
	struct vfs_ida dev_minors;                 /* anonymous st_dev minors */
	atomic_ullong next_mount_seq;              /* [a] creation order */
	atomic_ullong next_cred_id;                /* [a] */
	struct vfs_mount *mounts;                  /* [t] every attached mount */
	pthread_mutex_t tasks_lock;                /* guards tasks */
	struct vfs_task *tasks;                    /* live tasks, uthash by id */
	struct vfs_ida group_ids;                  /* [t] peer group ids */
	atomic_long live[VFS_OBJ_COUNT];           /* [a] */
};

struct vfs_kernel *vfs_kernel_get(struct vfs_kernel *k);
/* Mount ids and device minors: lowest free from 1, or -ENOMEM. */
int vfs_kernel_id_alloc(struct vfs_kernel *k, struct vfs_ida *ida);
void vfs_kernel_id_free(struct vfs_kernel *k, struct vfs_ida *ida, int id);
void vfs_kernel_count(struct vfs_kernel *k, enum vfs_obj obj, long delta);
const struct vfs_fs_type *vfs_kernel_find_fs_type(struct vfs_kernel *k,
						  const char *name);
/* Registers the built-in types; defined in fs/builtin.c. */
int vfs_builtin_fs_register(struct vfs_kernel *k);

/* --------------------------------------------------------------- fs_node */

struct vfs_fs_node {
	vfs_refcount_t ref;                 /* [a] entries, files */
	vfs_lock_t lock;                    /* guards [l] */
	unsigned int state;                 /* [l] VFS_NODE_* */
	struct vfs_file_system *fs;         /* [c] holds a reference */
	const struct vfs_node_ops *ops;     /* [c] */
	union {
		char *link;                 /* [c] S_IFLNK: the target */
		struct vfs_pipe *pipe;      /* [l] S_IFIFO: while open (pipe.c) */
	};
	struct vfs_node_attr attr;          /* [l] */
	/* The filesystem's per-node data (priv_size bytes), [l]. */
	_Alignas(16) unsigned char priv[];
};

/* O_TMPFILE without O_EXCL: linkat may give it a name (Linux I_LINKABLE). */
#define VFS_NODE_LINKABLE 0x1u
/* nlink 0 while still in use: counted in fs->removed (s_remove_count). */
#define VFS_NODE_REMOVED  0x2u

struct vfs_fs_node *vfs_fs_node_get(struct vfs_fs_node *node);

static inline mode_t vfs_fs_node_type(struct vfs_fs_node *node)
{
	/* The type bits never change after creation. */
	return node->attr.mode & S_IFMT;
}

/* ------------------------------------------------------------- dir_entry */

#define VFS_DENTRY_DEAD   0x1u   /* unhashed: unlinked, renamed over, rmdir'd */
#define VFS_DENTRY_PINNED 0x2u   /* holds the dcache-complete pin */
#define VFS_DENTRY_TMPFILE 0x4u  /* O_TMPFILE's anonymous entry */
#define VFS_DENTRY_UNCACHED 0x8u /* a dynamic fs's name: never hashed */

struct vfs_dir_entry {
	vfs_refcount_t ref;                 /* [a] */
	uint16_t flags;                     /* [d] VFS_DENTRY_* */
	uint16_t name_len;                  /* [d] <= NAME_MAX */
	atomic_int mounted;                 /* [a] mounts on this entry */
	struct vfs_dir_entry *parent;       /* [d] holds a ref; NULL at fs root */
	struct vfs_fs_node *node;           /* [c] holds a reference */
	char *name;                         /* [d] iname or heap */
	struct vfs_dir_entry *children;     /* [d] uthash head, by name */
	UT_hash_handle hh;                  /* [d] in parent->children */
	/* Listing order, Linux's d_children: new and moved entries first. */
	struct vfs_dir_entry *sib_next;     /* [d] */
	struct vfs_dir_entry *sib_prev;     /* [d] */
	struct vfs_dir_entry *child_first;  /* [d] directories */
	uint64_t cookie;                    /* [d] stable offset in the parent, >= 3 */
	uint64_t next_cookie;               /* [d] directories */
	char iname[VFS_INLINE_NAME];        /* [d] */
};

struct vfs_dir_entry *vfs_dir_entry_get(struct vfs_dir_entry *e);
void vfs_dir_entry_put(struct vfs_dir_entry *e);
/* A new unhashed entry for @node (consumes the caller's reference to it). */
int vfs_dir_entry_alloc(struct vfs_fs_node *node, const char *name,
			size_t len, struct vfs_dir_entry **out_entry);
struct vfs_dir_entry *vfs_dir_entry_find_locked(struct vfs_dir_entry *dir,
						const char *name, size_t len);
/* Hash @child under @dir (takes a ref on @dir, and the pin if the fs is
 * dcache-complete). */
void vfs_dir_entry_add_locked(struct vfs_dir_entry *dir,
			      struct vfs_dir_entry *child);
/* Unhash @child and mark it dead; returns the pin reference the caller
 * must put after dropping the tree lock (or NULL). */
struct vfs_dir_entry *vfs_dir_entry_kill_locked(struct vfs_dir_entry *child);
/* A heap buffer for a name of @len that does not fit inline (else NULL),
 * taken before a rename changes anything. */
int vfs_dir_entry_name_prealloc(size_t len, char **out_buf);
/* Move @e to @dir under @name (rename), using @buf from
 * vfs_dir_entry_name_prealloc(), at offset @cookie (the replaced entry's;
 * 0 for a new one), hashing @whiteout (or NULL) under the old name; the
 * old parent's reference is handed back in *out_old_parent for the
 * caller to put after unlocking. */
void vfs_dir_entry_move_locked(struct vfs_dir_entry *e, struct vfs_dir_entry *dir,
			       const char *name, size_t len, char *buf,
			       uint64_t cookie, struct vfs_dir_entry *whiteout,
			       struct vfs_dir_entry **out_old_parent);
void vfs_dir_entry_exchange_locked(struct vfs_dir_entry *a,
				   struct vfs_dir_entry *b);
/* Was the name removed (unlink, rmdir, renamed over)?  A dynamic file
 * system's entries are never hashed, but not removed either. */
static inline bool vfs_dir_entry_dead(const struct vfs_dir_entry *e)
{
	return (e->flags & (VFS_DENTRY_DEAD | VFS_DENTRY_UNCACHED)) ==
	       VFS_DENTRY_DEAD;
}

/* ----------------------------------------------------------- file_system */

struct vfs_file_system {
	vfs_refcount_t ref;                 /* [a] nodes, mounts */
	atomic_long active;                 /* [a] mounts; 0: torn down */
	struct vfs_kernel *kernel;          /* [c] holds a reference */
	const struct vfs_fs_type *type;     /* [c] */
	char *source;                       /* [c] mount(2)'s source, "none" */
	const struct vfs_fs_ops *ops;       /* [c] set by type->mount */
	void *priv;                         /* [c] the filesystem's */
	unsigned int flags;                 /* [c] VFS_FS_* */
	dev_t dev;                          /* [c] */
	atomic_ulong mount_flags;           /* [a] MS_RDONLY etc. of the sb */
	atomic_long writers;                /* [a] files open for writing */
	atomic_long removed;                /* [a] unlinked nodes still in use */
	struct vfs_dir_entry *root;         /* [c] holds a ref while active */
	pthread_mutex_t op_mutex;           /* serializes namespace changes */
	struct vfs_brlock tree_lock;        /* guards every [d] field */
};

int vfs_file_system_create(struct vfs_kernel *k, const char *fstype,
			   const char *source, unsigned long flags,
			   const char *data, struct vfs_file_system **out_fs);
struct vfs_file_system *vfs_file_system_get(struct vfs_file_system *fs);
void vfs_file_system_put(struct vfs_file_system *fs);
void vfs_file_system_activate(struct vfs_file_system *fs);
void vfs_file_system_deactivate(struct vfs_file_system *fs);

/* ----------------------------------------------------- mount, namespace */

struct vfs_mount {
	vfs_refcount_t ref;                 /* [a] tree, namespace nodes */
	struct vfs_kernel *kernel;          /* [c] */
	struct vfs_file_system *fs;         /* [c] holds ref + active */
	struct vfs_dir_entry *root;         /* [c] holds a reference */
	struct vfs_mount *parent;           /* [t] holds a ref; NULL at top */
	struct vfs_dir_entry *mountpoint;   /* [t] holds a ref; NULL at top */
	struct vfs_namespace *ns;           /* [t] no ref; NULL when detached */
	struct vfs_mount *submounts;        /* [t] uthash by mountpoint entry */
	UT_hash_handle hh;                  /* [t] in parent->submounts */
	atomic_int mnt_flags;               /* [a] MS_RDONLY, MS_NOSUID, ...;
					     * written under [t] */
	atomic_int writers;                 /* [a] files open for writing */
	int id;                             /* [c] reused after it goes */
	uint64_t seq;                       /* [c] creation order (mountinfo) */
	atomic_bool expiry_mark;            /* [a] MNT_EXPIRE; any put clears */
	/* Propagation (Linux's sharedsubtree.rst); no references, undone
	 * when the mount leaves its namespace. */
	int group_id;                       /* [t] peer group if shared, or 0 */
	struct vfs_mount *peer_next;        /* [t] ring of peers (self alone) */
	struct vfs_mount *peer_prev;        /* [t] */
	struct vfs_mount *master;           /* [t] we are its slave, or NULL */
	struct vfs_mount *slaves;           /* [t] our slaves, a list */
	struct vfs_mount *slave_next;       /* [t] in master->slaves */
	struct vfs_mount *slave_prev;       /* [t] */
	bool unbindable;                    /* [t] */
	bool group_pending;                 /* [t] given its group by the graft
					     * under way: not yet shared to the
					     * propagation it does */
	struct vfs_mount *chain;            /* [t] detach and copy work lists */
	unsigned char mark;                 /* [t] MARK_* of mount.c: scratch
					     * of one walk, 0 outside it */
	struct vfs_mount *all_next;         /* [t] kernel->mounts: attached */
	struct vfs_mount *all_prev;         /* [t] */
};

/* copy_tree()/clone flags, Linux's CL_*. */
#define VFS_CL_SLAVE           0x01
#define VFS_CL_MAKE_SHARED     0x02
#define VFS_CL_PRIVATE         0x04
#define VFS_CL_COPY_UNBINDABLE 0x08

struct vfs_namespace {
	vfs_refcount_t ref;                 /* [a] fs contexts */
	struct vfs_kernel *kernel;          /* [c] holds a reference */
	/* The hidden base mount (Linux's rootfs) under the namespace's "/":
	 * it is what lets pivot_root and umount2("/", MNT_DETACH) work. */
	struct vfs_mount *root;             /* [t] holds the tree reference */
	pthread_mutex_t ctx_lock;           /* guards contexts */
	struct vfs_fs_context *contexts;    /* fs contexts in this namespace */
};

/* A place in a namespace, passed by value.  Holds a reference to both
 * halves when it is "owned" (vfs_namespace_node_get/put). */
struct vfs_namespace_node {
	struct vfs_mount *mount;
	struct vfs_dir_entry *entry;
};

struct vfs_mount *vfs_mount_get(struct vfs_mount *m);
void vfs_mount_put(struct vfs_mount *m);
/* A put that leaves the MNT_EXPIRE mark alone (umount2's own lookup). */
void vfs_mount_put_noexpire(struct vfs_mount *m);
int vfs_mount_create(struct vfs_file_system *fs, struct vfs_dir_entry *root,
		     int mnt_flags, struct vfs_mount **out_mount);
/* The mount stacked on @entry in @m, or NULL; mount_lock held. */
struct vfs_mount *vfs_mount_lookup_locked(struct vfs_mount *m,
					  struct vfs_dir_entry *entry);
/* Attach @child on (@parent, @mp); mount_lock held for writing.  Consumes
 * the caller's reference to @child (it becomes the tree reference). */
void vfs_mount_attach_locked(struct vfs_mount *child, struct vfs_mount *parent,
			     struct vfs_dir_entry *mp);
/* Attach the tree @source on (@dest, @mp) with propagation to @dest's
 * peers and slaves (attach_recursive_mnt); consumes @source.  mount_lock
 * held for writing.  Returns 0, -ENOENT (the tree's root was
 * removed) or -ENOMEM; nothing is attached then. */
int vfs_mount_graft_locked(struct vfs_mount *source, struct vfs_mount *dest,
			   struct vfs_dir_entry *mp);
/* Detach @m and everything below it; the tree references are chained on
 * *io_chain for vfs_mount_put_detached() after mount_lock is dropped. */
void vfs_mount_detach_tree_locked(struct vfs_mount *m,
				  struct vfs_mount **io_chain);
/* umount_tree() with propagation: detach @m's tree and the copies
 * propagation made of it that can go (propagate_umount()).  Returns 0, or
 * -ENOMEM with nothing changed. */
int vfs_mount_umount_tree_locked(struct vfs_mount *m,
				 struct vfs_mount **io_chain);
void vfs_mount_put_detached(struct vfs_mount *chain);
/* Would unmounting @m (and its propagated copies) find them in use?
 * @extra: references the caller holds on @m. */
bool vfs_mount_busy_locked(struct vfs_mount *m, long extra);
/* A copy of the tree at (@m, @root) as copy_tree() makes it, unattached
 * (its tree reference is the caller's).  mount_lock held. */
int vfs_mount_copy_tree_locked(struct vfs_mount *m, struct vfs_dir_entry *root,
			       int cl_flags, struct vfs_mount **out_copy);
/* clone_mnt(): one unattached mount of @m's file system at @root. */
int vfs_mount_clone_locked(struct vfs_mount *m, struct vfs_dir_entry *root,
			   int cl_flags, struct vfs_mount **out);
/* Propagation type changes (MS_SHARED, MS_PRIVATE, MS_SLAVE,
 * MS_UNBINDABLE) of @m, or of its whole subtree with @rec. */
int vfs_mount_change_type_locked(struct vfs_mount *m, int type, bool rec);
/* Is @e at or below @root in the same file system? */
bool vfs_dir_entry_is_under(struct vfs_dir_entry *e, struct vfs_dir_entry *root);
/* Every mount of the tree at @top, parents first, by id within a parent. */
int vfs_mount_collect_locked(struct vfs_mount *top, struct vfs_mount ***out,
			     size_t *out_n);
/* is_local_mountpoint(): is something mounted on @e in @ns? */
bool vfs_mount_is_local_mountpoint(struct vfs_namespace *ns,
				   struct vfs_dir_entry *e);
/* detach_mounts(): @e was removed; whatever is mounted on it, in any
 * namespace, is lazily unmounted. */
void vfs_mount_detach_mounts(struct vfs_kernel *k, struct vfs_dir_entry *e);
/* -EROFS when writes through @m are refused (per-mount or superblock). */
int vfs_mnt_want_write(struct vfs_mount *m);

struct vfs_namespace *vfs_namespace_get(struct vfs_namespace *ns);

static inline struct vfs_namespace_node
vfs_namespace_node_get(struct vfs_namespace_node nn)
{
	vfs_mount_get(nn.mount);
	vfs_dir_entry_get(nn.entry);
	return nn;
}

static inline void vfs_namespace_node_put(struct vfs_namespace_node nn)
{
	vfs_dir_entry_put(nn.entry);
	vfs_mount_put(nn.mount);
}

static inline bool vfs_namespace_node_eq(struct vfs_namespace_node a,
					 struct vfs_namespace_node b)
{
	return a.mount == b.mount && a.entry == b.entry;
}

/* The path of @nn as seen from @root: Linux's d_path.  Writes a
 * NUL-terminated string ending at buf + size - 1 and returns its start
 * in *out_path.  *out_reachable is false when @nn is not under @root (the
 * path is then the full one, or "/" when @nn was renamed out of the
 * subtree its bind mount shows).  Returns 0 or -ENAMETOOLONG. */
int vfs_namespace_node_path(struct vfs_namespace_node nn,
			    struct vfs_namespace_node root, char *buf,
			    size_t size, char **out_path, bool *out_reachable);
/* d_path() as readlink("/proc/self/fd/N") shows it to @task: the path
 * from its root (the full path when outside it), " (deleted)" once
 * unlinked, not NUL-terminated, truncated to @size. */
ssize_t vfs_d_path(struct vfs_task *task, struct vfs_namespace_node nn,
		   char *buf, size_t size);
int vfs_namespace_node_path_locked(struct vfs_namespace_node nn,
				   struct vfs_namespace_node root, char *buf,
				   size_t size, char **out_path,
				   bool *out_reachable);

/* ------------------------------------------------------------ fs_context */

struct vfs_fs_context {
	vfs_refcount_t ref;                 /* [a] tasks (CLONE_FS) */
	vfs_lock_t lock;                    /* guards [l] */
	struct vfs_namespace *ns;           /* [l] holds a reference */
	struct vfs_fs_context *ns_next;     /* ns->ctx_lock: ns->contexts */
	struct vfs_fs_context *ns_prev;
	struct vfs_namespace_node root;     /* [l] owned */
	struct vfs_namespace_node cwd;      /* [l] owned */
	atomic_uint umask;                  /* [a] */
};

int vfs_fs_context_create(struct vfs_namespace *ns,
			  struct vfs_fs_context **out_ctx);
int vfs_fs_context_copy(struct vfs_fs_context *src,
			struct vfs_fs_context **out_ctx);
void vfs_fs_context_put(struct vfs_fs_context *ctx);
/* New references to the root and cwd. */
void vfs_fs_context_get_root(struct vfs_fs_context *ctx,
			     struct vfs_namespace_node *out_root);
void vfs_fs_context_get_pwd(struct vfs_fs_context *ctx,
			    struct vfs_namespace_node *out_root,
			    struct vfs_namespace_node *out_cwd);
/* Consume @nn. */
void vfs_fs_context_set_cwd(struct vfs_fs_context *ctx,
			    struct vfs_namespace_node nn);
void vfs_fs_context_set_root(struct vfs_fs_context *ctx,
			     struct vfs_namespace_node nn);
/* Move @ctx into @ns (consumes a reference to @ns) with its root and cwd
 * replaced (consumed): unshare(CLONE_NEWNS). */
void vfs_fs_context_set_ns(struct vfs_fs_context *ctx, struct vfs_namespace *ns,
			   struct vfs_namespace_node root,
			   struct vfs_namespace_node cwd);
/* chroot_fs_refs(): every context of @ns whose root or cwd is @old gets
 * @new instead (pivot_root). */
void vfs_namespace_chroot_refs(struct vfs_namespace *ns,
			       struct vfs_namespace_node old,
			       struct vfs_namespace_node new_root);
/* The namespace's "/" for a new task: a new reference. */
void vfs_namespace_top(struct vfs_namespace *ns, struct vfs_namespace_node *out);

/* ------------------------------------------------------------------ file */

/* f_mode bits */
#define VFS_FMODE_READ  0x1u
#define VFS_FMODE_WRITE 0x2u
#define VFS_FMODE_PATH  0x4u

/* Status flags F_SETFL may change (Linux's SETFL_MASK, minus O_DIRECT's
 * and FASYNC's unsupported parts). */
#define VFS_SETFL_MASK (O_APPEND | O_NONBLOCK | O_NDELAY | O_DIRECT | O_NOATIME)

struct vfs_file {
	vfs_refcount_t ref;                 /* [a] fd table slots */
	struct vfs_namespace_node path;     /* [c] owned */
	struct vfs_fs_node *node;           /* [c] holds a reference */
	atomic_uint flags;                  /* [a] open(2) flags */
	unsigned int fmode;                 /* [c] VFS_FMODE_* */
	vfs_lock_t pos_lock;                /* guards [l] */
	off_t pos;                          /* [l] */
	struct vfs_dir_entry *dir_next;     /* [l] readdir resume point, ref */
	struct vfs_pipe *pipe;              /* [c] an open FIFO's pipe */
	uint64_t cred_id;                   /* [c] the opener's (f_cred) */
	void *priv;                         /* [c] the filesystem's handle */
};

/* Consumes the caller's reference to @path. */
int vfs_file_create(struct vfs_namespace_node path, unsigned int flags,
		    struct vfs_file **out_file);
struct vfs_file *vfs_file_get(struct vfs_file *f);
void vfs_file_put(struct vfs_file *f);

/* ------------------------------------------------------------------ pipe */

struct vfs_pipe;

/* fifo_open(): join (or make) @node's pipe; may wait for the other side. */
int vfs_pipe_open(struct vfs_fs_node *node, unsigned int flags,
		  struct vfs_pipe **out_pipe);
void vfs_pipe_release(struct vfs_fs_node *node, struct vfs_pipe *p,
		      unsigned int fmode);
/* @may_wait false: return 0 rather than wait (readv past the first iov). */
ssize_t vfs_pipe_read(struct vfs_pipe *p, void *buf, size_t count,
		      bool nonblock, bool may_wait);
ssize_t vfs_pipe_write(struct vfs_pipe *p, const void *buf, size_t count,
		       bool nonblock);

/* -------------------------------------------------------------- fd_table */

struct vfs_fd_slot {
	struct vfs_file *file;              /* holds a reference */
	bool cloexec;
};

struct vfs_fd_table {
	vfs_refcount_t ref;                 /* [a] tasks (CLONE_FILES) */
	pthread_mutex_t lock;               /* guards [l] */
	struct vfs_fd_slot *slots;          /* [l] */
	unsigned int cap;                   /* [l] */
	unsigned int lowest_free;           /* [l] no free slot below it */
};

int vfs_fd_table_create(struct vfs_fd_table **out_table);
int vfs_fd_table_copy(struct vfs_fd_table *src, struct vfs_fd_table **out);
void vfs_fd_table_put(struct vfs_fd_table *t);
/* Install @file (consumes the caller's reference) at the lowest free fd
 * >= @minfd below @limit.  Returns the fd or -EMFILE/-ENOMEM. */
int vfs_fd_table_install(struct vfs_fd_table *t, struct vfs_file *file,
			 bool cloexec, unsigned int minfd, unsigned int limit);
/* A new reference to the file at @fd, or -EBADF. */
int vfs_fd_table_get_file(struct vfs_fd_table *t, int fd,
			  struct vfs_file **out_file);
int vfs_fd_table_close(struct vfs_fd_table *t, int fd);
/* dup2/dup3 semantics at @newfd (replace). */
int vfs_fd_table_replace(struct vfs_fd_table *t, int oldfd, int newfd,
			 bool cloexec, unsigned int limit);
int vfs_fd_table_get_cloexec(struct vfs_fd_table *t, int fd);
int vfs_fd_table_set_cloexec(struct vfs_fd_table *t, int fd, bool cloexec);
void vfs_fd_table_close_on_exec(struct vfs_fd_table *t);

/* ------------------------------------------------------------------ task */

struct vfs_task {
	vfs_refcount_t ref;                 /* [a] the embedder, proc lookups */
	struct vfs_kernel *kernel;          /* [c] holds a reference */
	int id;                             /* [c] */
	UT_hash_handle hh;                  /* kernel->tasks_lock: by id */
	/* The task's own calls use fs and files without a lock; it replaces
	 * them (unshare, exec, exit) under @lock, which other tasks (proc)
	 * take to read them. */
	pthread_mutex_t lock;
	struct vfs_fs_context *fs;          /* holds a reference; NULL: exited */
	struct vfs_fd_table *files;         /* holds a reference; NULL: exited */
	struct vfs_cred cred;               /* owned; groups is heap */
	uint64_t cred_id;                   /* new for every cred "object" */
	unsigned int nofile;                /* RLIMIT_NOFILE */
	/* Linux's SUID_DUMP_USER (@lock): a change of effective ids or a
	 * gain of capabilities clears it (commit_creds(), suid_dumpable 0),
	 * exec sets it again.  Cleared, proc shows the task's files as
	 * root's and other tasks may not inspect it. */
	bool dumpable;
};

struct vfs_task *vfs_task_get(struct vfs_task *t);
/* Replace the task's fs context or fd table (consumes @new; the old one
 * is put): unshare, exec. */
void vfs_task_swap_fs(struct vfs_task *t, struct vfs_fs_context *new_fs);
void vfs_task_swap_files(struct vfs_task *t, struct vfs_fd_table *new_files);
/* A private copy of the task's fd table if it shares one (CLONE_FILES):
 * unshare(CLONE_FILES), exec.  0 or -ENOMEM. */
int vfs_task_unshare_files(struct vfs_task *t);

static inline bool vfs_capable(const struct vfs_task *t, int cap)
{
	return (t->cred.caps >> cap) & 1;
}

bool vfs_cred_in_group(const struct vfs_cred *c, gid_t gid);

/* A new reference to the file at @fd. */
static inline int vfs_task_file(struct vfs_task *t, int fd,
				struct vfs_file **out_file)
{
	return vfs_fd_table_get_file(t->files, fd, out_file);
}

/* ---------------------------------------------------------- permissions */

/* VFS_MAY_EXEC, _WRITE and _READ are in fs.h. */
#define VFS_MAY_ACCESS 0x10  /* faccessat: use real ids */

/* inode_permission(): may @task, with @cred, have @mask on @node?  A
 * read-only file system refuses writes (EROFS); then the node's
 * permission op, or vfs_generic_permission().  Node lock not held. */
int vfs_permission(struct vfs_task *task, const struct vfs_cred *cred,
		   struct vfs_fs_node *node, int mask);
/* Is @cred the owner of @node, or CAP_FOWNER? */
bool vfs_owner_or_capable(const struct vfs_cred *cred,
			  struct vfs_fs_node *node);
/* Sticky directory check for removing @victim from @dir (0 or -EPERM). */
int vfs_may_delete_sticky(const struct vfs_cred *cred, struct vfs_fs_node *dir,
			  struct vfs_fs_node *victim);

/* ---------------------------------------------------------------- lookup */

#define VFS_LOOKUP_FOLLOW    0x01u  /* follow a trailing symlink */
#define VFS_LOOKUP_DIRECTORY 0x02u  /* the result must be a directory */
#define VFS_LOOKUP_EMPTY     0x04u  /* AT_EMPTY_PATH */
/* openat2's RESOLVE_* */
#define VFS_LOOKUP_NO_XDEV       0x08u
#define VFS_LOOKUP_NO_MAGICLINKS 0x10u
#define VFS_LOOKUP_NO_SYMLINKS   0x20u
#define VFS_LOOKUP_BENEATH       0x40u
#define VFS_LOOKUP_IN_ROOT       0x80u
#define VFS_LOOKUP_CACHED        0x100u
/* umount2: cross what is stacked on the final place (handle_lookup_down) */
#define VFS_LOOKUP_MOUNTPOINT    0x200u
#define VFS_LOOKUP_IS_SCOPED (VFS_LOOKUP_BENEATH | VFS_LOOKUP_IN_ROOT)

enum vfs_last_type { VFS_LAST_NORM, VFS_LAST_ROOT, VFS_LAST_DOT, VFS_LAST_DOTDOT };

struct vfs_nameidata {
	struct vfs_task *task;
	const struct vfs_cred *cred;
	unsigned int flags;
	struct vfs_namespace_node root;     /* owned */
	struct vfs_namespace_node path;     /* where the walk stands: owned,
					     * or entry borrowed if locked */
	struct vfs_file_system *locked;     /* whose tree_lock the walk holds */
	struct vfs_dir_entry *owned;        /* entry ref owned while locked */
	/* The last component after a parent walk; name borrows either the
	 * caller's path or a link target held in links[]. */
	const char *last;
	size_t last_len;
	enum vfs_last_type last_type;
	int total_links;
	int nlinks;
	bool root_taken;                    /* Linux's nd->root is set */
	struct vfs_fs_node *links[VFS_MAXSYMLINKS + 1]; /* followed, owned */
	char *bodies[VFS_MAXSYMLINKS + 1];  /* computed targets, owned */
	const char *stack[VFS_MAXSYMLINKS + 1];
};

/* Start a walk at @dirfd (or root/cwd) for @path.  Always pair with
 * vfs_nd_done(), even on failure. */
int vfs_nd_init(struct vfs_nameidata *nd, struct vfs_task *task, int dirfd,
		const char *path, unsigned int flags);
void vfs_nd_done(struct vfs_nameidata *nd);
/* Walk all but the last component of @s; the last is left in nd->last. */
int vfs_nd_walk_parent(struct vfs_nameidata *nd, const char *s);
/* Resolve the last component (nd->last) from nd->path.  Returns 0 with
 * nd->path moved to it, 1 with *out_link set when it is a symlink to
 * follow (then walk the body with vfs_nd_walk_parent again), or -errno. */
int vfs_nd_lookup_last(struct vfs_nameidata *nd, const char **out_link);
/* Does nd->last have a trailing slash? */
static inline bool vfs_nd_trailing_slash(const struct vfs_nameidata *nd)
{
	return nd->last_type == VFS_LAST_NORM && nd->last[nd->last_len] != '\0';
}
/* The whole walk: @out is a new reference. */
int vfs_path_lookup(struct vfs_task *task, int dirfd, const char *path,
		    unsigned int flags, struct vfs_namespace_node *out);
/* Check a user path: NULL is -EFAULT, too long is -ENAMETOOLONG. */
int vfs_check_path(const char *path);
/* Look up @name in the directory at nd->path without following anything
 * or crossing mounts: a new reference to the child entry, or NULL. */
struct vfs_dir_entry *vfs_lookup_child(struct vfs_dir_entry *dir,
				       const char *name, size_t len);
/* The errno of a name @dir does not hold: ENOENT in a removed directory
 * (Linux refuses to look anything up there), else ENAMETOOLONG past
 * NAME_MAX (but in a dynamic directory), else ENOENT. */
int vfs_lookup_miss(struct vfs_dir_entry *dir, size_t len);
/* A dynamic directory's name (fs without VFS_FS_DCACHE_COMPLETE): a new
 * unhashed entry, or the filesystem's -errno (-ENOENT). */
int vfs_lookup_dynamic(struct vfs_dir_entry *dir, const char *name, size_t len,
		       struct vfs_task *task, struct vfs_dir_entry **out);
static inline bool vfs_dir_is_dynamic(const struct vfs_dir_entry *dir)
{
	return !(dir->node->fs->flags & VFS_FS_DCACHE_COMPLETE) &&
	       dir->node->ops->lookup;
}
/* Cross the mounts stacked on nn (consumes and returns). */
struct vfs_namespace_node vfs_follow_mounts(struct vfs_namespace_node nn);

/* ------------------------------------------------------- node operations */

/* After a change of @node's link count: keep fs->removed (Linux's
 * s_remove_count, which makes a read-only remount EBUSY) true. */
void vfs_fs_node_note_nlink(struct vfs_fs_node *node);
/* Linux's stat of a node into @st. */
void vfs_fs_node_stat(struct vfs_fs_node *node, struct stat *st);
/* touch_atime(): the access time after a read, listing or readlink, as
 * the mount's atime mode (relatime by default) wants it. */
void vfs_touch_atime(struct vfs_mount *m, struct vfs_fs_node *node);
/* Would vfs_touch_atime() change the atime now? */
bool vfs_atime_needs_update(struct vfs_mount *m, struct vfs_fs_node *node);
/* file_accessed(): the same unless the file was opened O_NOATIME. */
static inline void vfs_file_accessed(struct vfs_file *f)
{
	if (!(atomic_load_explicit(&f->flags, memory_order_relaxed) &
	      O_NOATIME))
		vfs_touch_atime(f->path.mount, f->node);
}
/* Apply @sa through the fs (node lock taken here). */
int vfs_fs_node_setattr(struct vfs_fs_node *node, struct vfs_setattr *sa);

/* --------------------------------------------- helpers for sys_*.c */

/* The new node's mode and owner, as Linux's vfs_prepare_mode() and
 * inode_init_owner() choose them, for a node of @type made in @dir. */
void vfs_new_node_init(struct vfs_task *task, struct vfs_fs_node *dir,
		       mode_t type, mode_t mode, struct vfs_new_node *out_nn);
/* Make @name in @dir (op_mutex NOT held; taken here) after Linux's checks
 * (EEXIST, ENOENT on a dead dir, EACCES).  @out_entry: a new reference. */
int vfs_create_at(struct vfs_task *task, struct vfs_dir_entry *dir,
		  const char *name, size_t len, mode_t type, mode_t mode,
		  dev_t rdev, const char *link, struct vfs_dir_entry **out_entry);
/* Truncate @node to @length with the checks done by the caller. */
int vfs_do_truncate(struct vfs_task *task, struct vfs_fs_node *node,
		    off_t length, bool from_open);
/* Lookup that also accepts AT_* flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH. */
int vfs_path_lookup_at(struct vfs_task *task, int dirfd, const char *path,
		       int at_flags, bool follow_default,
		       struct vfs_namespace_node *out);

#endif /* VFS_INTERNAL_H */
