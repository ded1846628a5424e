/* SPDX-License-Identifier: MIT */
/*
 * tmpfs-private definitions shared by super.c (mount options, accounting,
 * statfs), dir.c (node life and namespace ops), data.c (the page store) and
 * xattr.c (extended attributes).  Nothing here is seen outside fs/tmpfs/.
 *
 * Field legend:
 *   [c] constant after mount     [a] atomic
 *   [l] the owning fs node's lock (held by the core around node ops)
 */
#ifndef VFS_TMPFS_INTERNAL_H
#define VFS_TMPFS_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <vfs/fs.h>

/* Linux's numbers (mm/shmem.c, include/uapi/linux/magic.h). */
#define TMPFS_MAGIC            0x01021994
#define TMPFS_PAGE_SHIFT       12
#define TMPFS_PAGE_SIZE        (1u << TMPFS_PAGE_SHIFT)
#define TMPFS_BLOCKS_PER_PAGE  (TMPFS_PAGE_SIZE / 512)
#define TMPFS_BOGO_DIRENT_SIZE 20      /* a name's share of a dir's size */
#define TMPFS_BOGO_INODE_SIZE  1024    /* an inode's share of nr_inodes */
#define TMPFS_SHORT_SYMLINK_LEN 128    /* targets this long (with NUL) fit inline */
#define TMPFS_MAX_FILE_SIZE    ((off_t)INT64_MAX) /* MAX_LFS_FILESIZE */

/* One mounted tmpfs (shmem_sb_info). */
struct tmpfs_super {
	_Atomic uint64_t max_blocks;        /* [a] size= in pages; 0: no limit */
	_Atomic uint64_t max_inodes;        /* [a] nr_inodes=; 0: no limit */
	bool inode32;                       /* [c] inode numbers wrap at 2^32 */
	bool full_inums;                    /* [c] "inode64" was asked for */
	bool noswap;                        /* [c] "noswap" was asked for */
	mode_t mode;                        /* [c] mode= of the root */
	uid_t uid;                          /* [c] uid= */
	gid_t gid;                          /* [c] gid= */
	_Atomic uint64_t used_blocks;       /* [a] pages charged, all nodes */
	/* [a] bytes left of max_inodes * BOGO_INODE_SIZE: each inode (and
	 * each extra hard link) takes BOGO_INODE_SIZE, each xattr its size
	 * plus its name plus 40.  Unused when max_inodes is 0. */
	_Atomic uint64_t free_ispace;
	_Atomic uint64_t next_ino;          /* [a] */
};

/*
 * The sparse page store of a regular file: a radix tree of 64-way nodes
 * over 4 KiB page indexes, grown upwards as the highest index needs.
 * A leaf slot holds NULL (a hole: nothing charged), TMPFS_PAGE_FALLOC
 * (charged by fallocate, never written: reads as zeros, a hole to
 * SEEK_DATA), TMPFS_PAGE_ZERO (charged and up to date, all zeros, no
 * memory), or a pointer to the page's TMPFS_PAGE_SIZE bytes.
 */
#define TMPFS_PAGE_FALLOC ((void *)(uintptr_t)1)
#define TMPFS_PAGE_ZERO   ((void *)(uintptr_t)2)

struct tmpfs_pages {
	void *root;                         /* [l] */
	unsigned int height;                /* [l] 0: empty; leaves at 1 */
};

struct tmpfs_xattr;

/* The private data of every tmpfs node. */
struct tmpfs_node {
	struct tmpfs_pages pages;           /* [l] regular files */
	uint64_t nr_pages;                  /* [l] pages charged (blocks / 8) */
	struct tmpfs_xattr *xattrs;         /* [l] listing order */
	uint64_t xattr_ispace;              /* [l] free_ispace the xattrs hold */
};

static inline struct tmpfs_super *tmpfs_super_of(struct vfs_fs_node *node)
{
	return vfs_file_system_private(vfs_fs_node_fs(node));
}

static inline struct tmpfs_node *tmpfs_node_of(struct vfs_fs_node *node)
{
	return vfs_fs_node_private(node);
}

/* --- super.c: fs-wide accounting (any thread, no lock needed) --- */
/* Charge @bytes of ispace (a no-op without nr_inodes): 0 or -ENOSPC. */
int vfs_tmpfs_reserve_ispace(struct tmpfs_super *sb, uint64_t bytes);
void vfs_tmpfs_release_ispace(struct tmpfs_super *sb, uint64_t bytes);
/* Charge an inode and hand out its number: 0 or -ENOSPC. */
int vfs_tmpfs_reserve_inode(struct tmpfs_super *sb, uint64_t *out_ino);
/* Charge @n pages against size=: 0 or -ENOSPC. */
int vfs_tmpfs_reserve_pages(struct tmpfs_super *sb, uint64_t n);
void vfs_tmpfs_release_pages(struct tmpfs_super *sb, uint64_t n);

/* --- dir.c: node life --- */
extern const struct vfs_node_ops vfs_tmpfs_dir_ops;
extern const struct vfs_node_ops vfs_tmpfs_file_ops;
extern const struct vfs_node_ops vfs_tmpfs_special_ops;
/* A new node of @fs as @nn describes: charged against nr_inodes (and
 * size= for a long symlink), numbered, nlink 2 for a directory, else 1,
 * every time @now.  @out_node: a new reference.
 * Returns 0, -ENOSPC, -ENAMETOOLONG (symlink target), -ENOMEM. */
int vfs_tmpfs_node_new(struct vfs_file_system *fs, const struct vfs_new_node *nn,
		       const struct timespec *now, struct vfs_fs_node **out_node);

/* --- data.c: contents of regular files (node lock held) --- */
ssize_t vfs_tmpfs_read(struct vfs_fs_node *node, void *priv, void *buf,
		       size_t count,
		       off_t pos);
ssize_t vfs_tmpfs_write(struct vfs_fs_node *node, void *priv,
			const void *buf,
			size_t count, off_t pos);
int vfs_tmpfs_setattr(struct vfs_fs_node *node, const struct vfs_setattr *sa);
int vfs_tmpfs_fallocate(struct vfs_fs_node *node, int mode, off_t offset,
			off_t len);
off_t vfs_tmpfs_seek_data(struct vfs_fs_node *node, off_t offset, int whence);
/* Free every page of @tn and uncharge them (evict: no lock needed). */
void vfs_tmpfs_pages_free(struct tmpfs_super *sb, struct tmpfs_node *tn);

/* --- xattr.c (node lock held) --- */
ssize_t vfs_tmpfs_getxattr(struct vfs_fs_node *node, const char *name,
			   void *value, size_t size);
int vfs_tmpfs_setxattr(struct vfs_fs_node *node, const char *name,
		       const void *value, size_t size, int flags);
ssize_t vfs_tmpfs_listxattr(struct vfs_fs_node *node, char *list, size_t size);
int vfs_tmpfs_removexattr(struct vfs_fs_node *node, const char *name);
/* Free every xattr of @tn and give back its ispace (evict). */
void vfs_tmpfs_xattrs_free(struct tmpfs_super *sb, struct tmpfs_node *tn);

#endif /* VFS_TMPFS_INTERNAL_H */
