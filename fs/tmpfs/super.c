// SPDX-License-Identifier: MIT
/*
 * tmpfs superblock: the filesystem type, mount(2) option parsing, the
 * fs-wide accounting of pages (size=) and inodes (nr_inodes=), statfs and
 * teardown.  Everything is Linux's shmem behaviour, measured on a 6.18
 * kernel: the defaults are half of RAM in pages for both limits, the root
 * inode counts against nr_inodes, so does every extra hard link and every
 * xattr (its value, its name and 40 bytes, in units of 1024 per inode).
 *
 * Locking: the counters of struct tmpfs_super are atomics updated with
 * compare-and-swap, so a reservation never overshoots a limit; they are
 * taken from under node locks (write, fallocate, setxattr), from under the
 * fs op mutex (create, link) and with no lock at all (evict).  Nothing
 * else in the superblock changes after mount.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "internal.h"
#include "tmpfs.h"

/* What mount(2)'s data string asked for. */
struct tmpfs_options {
	uint64_t blocks;
	uint64_t inodes;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	bool inode32;
	bool full_inums;
	bool noswap;
	unsigned int seen;                  /* TMPFS_SEEN_*: what was given */
};

#define TMPFS_SEEN_BLOCKS 0x1u
#define TMPFS_SEEN_INODES 0x2u

/* ------------------------------------------------------------ accounting */

int vfs_tmpfs_reserve_ispace(struct tmpfs_super *sb, uint64_t bytes)
{
	uint64_t old;

	if (!sb->max_inodes)
		return 0;
	old = atomic_load_explicit(&sb->free_ispace, memory_order_relaxed);
	do {
		if (old < bytes)
			return -ENOSPC;
	} while (!atomic_compare_exchange_weak_explicit(&sb->free_ispace,
			&old, old - bytes, memory_order_relaxed,
			memory_order_relaxed));
	return 0;
}

void vfs_tmpfs_release_ispace(struct tmpfs_super *sb, uint64_t bytes)
{
	if (sb->max_inodes)
		atomic_fetch_add_explicit(&sb->free_ispace, bytes,
					  memory_order_relaxed);
}

int vfs_tmpfs_reserve_inode(struct tmpfs_super *sb, uint64_t *out_ino)
{
	uint64_t ino;
	int err;

	err = vfs_tmpfs_reserve_ispace(sb, TMPFS_BOGO_INODE_SIZE);
	if (err)
		return err;
	/* shmem_reserve_inode: numbers count up from 1 and skip 0; with
	 * inode32 they wrap back to 1 past 2^32 - 1. */
	ino = atomic_load_explicit(&sb->next_ino, memory_order_relaxed);
	for (;;) {
		uint64_t use = ino, next;

		if (use == 0 || (sb->inode32 && use > UINT32_MAX))
			use = 1;
		next = use + 1;
		if (atomic_compare_exchange_weak_explicit(&sb->next_ino, &ino,
				next, memory_order_relaxed,
				memory_order_relaxed)) {
			*out_ino = use;
			return 0;
		}
	}
}

int vfs_tmpfs_reserve_pages(struct tmpfs_super *sb, uint64_t n)
{
	uint64_t old;

	if (!sb->max_blocks) {
		atomic_fetch_add_explicit(&sb->used_blocks, n,
					  memory_order_relaxed);
		return 0;
	}
	old = atomic_load_explicit(&sb->used_blocks, memory_order_relaxed);
	do {
		if (old > sb->max_blocks || sb->max_blocks - old < n)
			return -ENOSPC;
	} while (!atomic_compare_exchange_weak_explicit(&sb->used_blocks,
			&old, old + n, memory_order_relaxed,
			memory_order_relaxed));
	return 0;
}

void vfs_tmpfs_release_pages(struct tmpfs_super *sb, uint64_t n)
{
	uint64_t old = atomic_fetch_sub_explicit(&sb->used_blocks, n,
						 memory_order_relaxed);

	assert(old >= n);
	(void)old;
}

/* -------------------------------------------------------- option parsing */

/* RAM in 4 KiB pages: Linux's totalram_pages() on a 4 KiB-page machine. */
static uint64_t tmpfs_total_pages(void)
{
	long pages = sysconf(_SC_PHYS_PAGES);
	long psize = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || psize <= 0)
		return 0;
	return (uint64_t)pages * ((uint64_t)psize / TMPFS_PAGE_SIZE);
}

static int tmpfs_digit(int c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

/* _parse_integer_fixup_radix: base 0 means 0x.. hex, 0.. octal, else
 * decimal; an explicit base 16 also skips a 0x. */
static const char *tmpfs_fixup_radix(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (s[0] == '0') {
			if (tolower((unsigned char)s[1]) == 'x' &&
			    isxdigit((unsigned char)s[2]))
				*base = 16;
			else
				*base = 8;
		} else {
			*base = 10;
		}
	}
	if (*base == 16 && s[0] == '0' && tolower((unsigned char)s[1]) == 'x')
		s += 2;
	return s;
}

/* Digits of @base from @s: the value (wrapping as the kernel's
 * simple_strtoull does), where they end, and whether they overflowed. */
static uint64_t tmpfs_parse_digits(const char *s, unsigned int base,
				   const char **out_end, bool *out_overflow)
{
	uint64_t v = 0;
	bool overflow = false;
	int d;

	while ((d = tmpfs_digit((unsigned char)*s, base)) >= 0) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			overflow = true;
		v = v * base + (uint64_t)d;
		s++;
	}
	*out_end = s;
	*out_overflow = overflow;
	return v;
}

/* The kernel's memparse(): a number in C notation and one optional
 * K/M/G/T/P/E suffix.  Never fails; *out_rest is what it did not eat. */
static uint64_t tmpfs_memparse(const char *s, const char **out_rest)
{
	unsigned int base = 0;
	const char *end;
	bool overflow;
	uint64_t v;
	int shift = 0;

	s = tmpfs_fixup_radix(s, &base);
	v = tmpfs_parse_digits(s, base, &end, &overflow);
	switch (*end) {
	case 'E': case 'e':
		shift += 10;
		/* fall through */
	case 'P': case 'p':
		shift += 10;
		/* fall through */
	case 'T': case 't':
		shift += 10;
		/* fall through */
	case 'G': case 'g':
		shift += 10;
		/* fall through */
	case 'M': case 'm':
		shift += 10;
		/* fall through */
	case 'K': case 'k':
		shift += 10;
		end++;
		break;
	default:
		break;
	}
	*out_rest = end;
	return v << shift;
}

/* The kernel's kstrtouint(): optional '+', digits, optional '\n'. */
static int tmpfs_kstrtou32(const char *s, unsigned int base, uint32_t *out)
{
	const char *start, *end;
	bool overflow;
	uint64_t v;

	if (*s == '+')
		s++;
	start = tmpfs_fixup_radix(s, &base);
	v = tmpfs_parse_digits(start, base, &end, &overflow);
	if (end == start)
		return -EINVAL;
	if (overflow || v > UINT32_MAX)
		return -ERANGE;
	if (*end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* One key[=value] of the data string, as shmem_parse_one() takes it. */
static int tmpfs_parse_one(struct tmpfs_options *opts, const char *key,
			   const char *value)
{
	const char *rest;
	uint32_t v32;
	uint64_t size;

	if (!strcmp(key, "inode32") || !strcmp(key, "inode64") ||
	    !strcmp(key, "noswap")) {
		/* Flags take no value. */
		if (value)
			return -EINVAL;
		if (!strcmp(key, "inode32")) {
			opts->inode32 = true;
			opts->full_inums = false;
		} else if (!strcmp(key, "inode64")) {
			opts->inode32 = false;
			opts->full_inums = true;
		} else {
			opts->noswap = true;
		}
		/* noswap: nothing of ours is ever swapped. */
		return 0;
	}
	if (strcmp(key, "size") && strcmp(key, "nr_inodes") &&
	    strcmp(key, "mode") && strcmp(key, "uid") && strcmp(key, "gid"))
		return -EINVAL;
	/* The rest are strings that may not be empty. */
	if (!value || !*value)
		return -EINVAL;

	if (!strcmp(key, "size")) {
		size = tmpfs_memparse(value, &rest);
		if (*rest == '%') {
			/* Unsigned 64-bit arithmetic, wrapping as Linux's. */
			size <<= TMPFS_PAGE_SHIFT;
			size *= tmpfs_total_pages();
			size /= 100;
			rest++;
		}
		if (*rest)
			return -EINVAL;
		opts->blocks = (size + TMPFS_PAGE_SIZE - 1) / TMPFS_PAGE_SIZE;
		opts->seen |= TMPFS_SEEN_BLOCKS;
		return 0;
	}
	if (!strcmp(key, "nr_inodes")) {
		size = tmpfs_memparse(value, &rest);
		if (*rest || size > UINT64_MAX / TMPFS_BOGO_INODE_SIZE)
			return -EINVAL;
		opts->inodes = size;
		opts->seen |= TMPFS_SEEN_INODES;
		return 0;
	}
	if (!strcmp(key, "mode")) {
		if (tmpfs_kstrtou32(value, 8, &v32))
			return -EINVAL;
		opts->mode = v32 & 07777;
		return 0;
	}
	/* uid, gid: (uid_t)-1 is no valid id. */
	if (tmpfs_kstrtou32(value, 0, &v32) || v32 == UINT32_MAX)
		return -EINVAL;
	if (!strcmp(key, "uid"))
		opts->uid = v32;
	else
		opts->gid = v32;
	return 0;
}

/* Split @data at commas as Linux's legacy mount data: empty items and
 * items starting with '=' are skipped, "key=value" splits at the first
 * '=', and a bare "key" has no value. */
static int tmpfs_parse_options(struct tmpfs_options *opts, const char *data)
{
	char *copy, *item, *save = NULL;
	int err = 0;

	if (!data || !*data)
		return 0;
	copy = strdup(data);
	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *value = strchr(item, '=');

		if (value) {
			if (value == item)
				continue;
			*value++ = '\0';
		}
		err = tmpfs_parse_one(opts, item, value);
		if (err)
			break;
	}
	free(copy);
	return err;
}

/* ------------------------------------------------------------ fs ops */

static int tmpfs_statfs(struct vfs_file_system *fs, struct statfs *buf)
{
	struct tmpfs_super *sb = vfs_file_system_private(fs);
	uint64_t dev = vfs_file_system_dev(fs);
	/* huge_encode_dev(): Linux's fsid for a superblock without uuid. */
	uint64_t enc = (minor(dev) & 0xff) | ((uint64_t)major(dev) << 8) |
		       ((uint64_t)(minor(dev) & ~0xffu) << 12);

	memset(buf, 0, sizeof(*buf));
	buf->f_type = TMPFS_MAGIC;
	buf->f_bsize = TMPFS_PAGE_SIZE;
	buf->f_frsize = TMPFS_PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	if (sb->max_blocks) {
		uint64_t used = atomic_load_explicit(&sb->used_blocks,
						     memory_order_relaxed);

		buf->f_blocks = sb->max_blocks;
		buf->f_bfree = used < sb->max_blocks ? sb->max_blocks - used : 0;
		buf->f_bavail = buf->f_bfree;
	}
	if (sb->max_inodes) {
		buf->f_files = sb->max_inodes;
		buf->f_ffree = atomic_load_explicit(&sb->free_ispace,
						    memory_order_relaxed) /
			       TMPFS_BOGO_INODE_SIZE;
	}
	buf->f_fsid.__val[0] = (int)(uint32_t)enc;
	buf->f_fsid.__val[1] = (int)(uint32_t)(enc >> 32);
	return 0;
}

static void tmpfs_destroy(struct vfs_file_system *fs)
{
	free(vfs_file_system_private(fs));
}

/* shmem_show_options(): only what differs from the defaults (this kernel
 * is built without CONFIG_TMPFS_INODE64, so inode64 shows only when
 * asked for). */
static int tmpfs_show_options(struct vfs_file_system *fs, char *buf,
			      size_t size)
{
	struct tmpfs_super *sb = vfs_file_system_private(fs);
	uint64_t half = tmpfs_total_pages() / 2;
	size_t n = 0;

#define SHOW(...) (n += (size_t)snprintf(buf + (n < size ? n : size), \
					  n < size ? size - n : 0, __VA_ARGS__))
	if (sb->max_blocks != half)
		SHOW(",size=%lluk", (unsigned long long)sb->max_blocks * 4);
	if (sb->max_inodes != half)
		SHOW(",nr_inodes=%llu", (unsigned long long)sb->max_inodes);
	if (sb->mode != (S_ISVTX | 0777))
		SHOW(",mode=%03o", (unsigned int)sb->mode);
	if (sb->uid)
		SHOW(",uid=%u", (unsigned int)sb->uid);
	if (sb->gid)
		SHOW(",gid=%u", (unsigned int)sb->gid);
	if (sb->full_inums)
		SHOW(",inode64");
	if (sb->noswap)
		SHOW(",noswap");
#undef SHOW
	return (int)n;
}

/* shmem_reconfigure(): size= and nr_inodes= may change, but not from
 * unlimited to limited, nor below what is in use (EINVAL); mode=, uid=,
 * gid= and the inode/swap words are accepted and change nothing. */
static int tmpfs_remount(struct vfs_file_system *fs, const char *data)
{
	struct tmpfs_super *sb = vfs_file_system_private(fs);
	struct tmpfs_options opts = { 0 };
	uint64_t used_ispace;
	int err = tmpfs_parse_options(&opts, data);

	if (err)
		return err;
	if ((opts.seen & TMPFS_SEEN_BLOCKS) && opts.blocks) {
		if (!sb->max_blocks ||
		    atomic_load(&sb->used_blocks) > opts.blocks)
			return -EINVAL;
	}
	used_ispace = sb->max_inodes * TMPFS_BOGO_INODE_SIZE -
		      atomic_load(&sb->free_ispace);
	if ((opts.seen & TMPFS_SEEN_INODES) && opts.inodes) {
		if (!sb->max_inodes ||
		    opts.inodes * TMPFS_BOGO_INODE_SIZE < used_ispace)
			return -EINVAL;
	}
	if (opts.seen & TMPFS_SEEN_BLOCKS)
		sb->max_blocks = opts.blocks;
	if (opts.seen & TMPFS_SEEN_INODES) {
		sb->max_inodes = opts.inodes;
		atomic_store(&sb->free_ispace,
			     opts.inodes * TMPFS_BOGO_INODE_SIZE - used_ispace);
	}
	return 0;
}

static const struct vfs_fs_ops tmpfs_fs_ops = {
	.statfs = tmpfs_statfs,
	.remount = tmpfs_remount,
	.show_options = tmpfs_show_options,
	.destroy = tmpfs_destroy,
};

static int tmpfs_mount(struct vfs_file_system *fs, const char *source,
		       unsigned long flags, const char *data,
		       struct vfs_fs_node **out_root)
{
	uint64_t total = tmpfs_total_pages();
	struct tmpfs_options opts = {
		/* shmem_default_max_blocks() and _max_inodes(): half of
		 * RAM (no highmem here). */
		.blocks = total / 2,
		.inodes = total / 2,
		.mode = S_ISVTX | 0777,
		.uid = 0,
		.gid = 0,
		.inode32 = false,
	};
	struct vfs_new_node nn;
	struct tmpfs_super *sb;
	struct timespec now;
	int err;

	/* The source name and the MS_* flags are the core's. */
	(void)source;
	(void)flags;
	*out_root = NULL;
	err = tmpfs_parse_options(&opts, data);
	if (err)
		return err;
	sb = calloc(1, sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	sb->max_blocks = opts.blocks;
	sb->max_inodes = opts.inodes;
	sb->inode32 = opts.inode32;
	sb->full_inums = opts.full_inums;
	sb->noswap = opts.noswap;
	sb->mode = opts.mode;
	sb->uid = opts.uid;
	sb->gid = opts.gid;
	atomic_init(&sb->used_blocks, 0);
	atomic_init(&sb->free_ispace, opts.inodes * TMPFS_BOGO_INODE_SIZE);
	atomic_init(&sb->next_ino, 1);
	vfs_file_system_init(fs, &tmpfs_fs_ops, sb,
			     VFS_FS_DCACHE_COMPLETE | VFS_FS_MGTIME);

	nn = (struct vfs_new_node){
		.mode = S_IFDIR | opts.mode,
		.uid = opts.uid,
		.gid = opts.gid,
	};
	vfs_fs_time_now(&now);
	err = vfs_tmpfs_node_new(fs, &nn, &now, out_root);
	if (err) {
		/* No node holds the fs: the core will not call destroy. */
		free(sb);
		return err;
	}
	return 0;
}

const struct vfs_fs_type vfs_tmpfs_fs_type = {
	.name = "tmpfs",
	.mount = tmpfs_mount,
};
