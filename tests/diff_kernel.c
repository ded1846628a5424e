// SPDX-License-Identifier: MIT
/*
 * diff_kernel: differential test of libvfs against the Linux kernel.
 *
 * It owns the whole comparison: a seeded generator of random file system
 * call sequences, an executor that runs every call once through the real
 * kernel and once through libvfs and compares what the two return, and a
 * delta debugger that shrinks a diverging sequence to a short reproducer.
 *
 * Each sequence runs in a forked child.  The child unshares its mount
 * namespace, makes every mount private, mounts a fresh tmpfs, pivot_roots
 * into it (chroot if pivot_root is refused), sets umask 022 and gives "/"
 * mode 0755 and owner 0:0, and closes every descriptor except one O_PATH
 * handle on the host's /proc (parked at HIDDEN_PROC_FD) so that both sides
 * allocate descriptors from 0.  The same child creates a libvfs kernel,
 * namespace (tmpfs with the same size and inode limits) and task with the
 * same capabilities, and runs every call on both.  The generator draws
 * most arguments from the live state it reads from the kernel side (the
 * current tree, open descriptors, cwd), so sequences go deep instead of
 * failing on missing paths.  Ops and results live in a shared mapping, so
 * the parent still learns which op was running when a side crashed.
 *
 * Compared: return values (fd numbers as numbers) and errno; stat type,
 * permission bits (07777), nlink, size, uid, gid (never ino, dev, blocks or
 * times); getdents64 as the sorted set of (name, d_type) without "." and
 * ".."; read data as length and hash; readlink, getcwd and fd path strings
 * (vfs_task_fd_path against readlink of /proc/self/fd/N, "#<ino>" of
 * O_TMPFILE names normalised).  A CHECK op (always the last one) walks the
 * whole tree and the fd table on both sides.
 *
 * With --mounts the generator also draws mount(2) (new tmpfs, now and then
 * proc or an unknown type; bind and recursive bind; move; remount with and
 * without MS_BIND; MS_SHARED/PRIVATE/SLAVE/UNBINDABLE with and without
 * MS_REC; bad flag mixes), umount2(2) (plain, MNT_DETACH, MNT_EXPIRE twice
 * in a row, UMOUNT_NOFOLLOW, MNT_FORCE), unshare(CLONE_NEWNS) (the kernel
 * side's process unshares), chroot, pivot_root and openat2 with RESOLVE_*
 * flags (also through proc's magic links), targets taken from the live
 * mount table; no new mounts past MOUNT_CAP.  Both sides then get a proc
 * mount at /proc, held open at HIDDEN_PROC_FD, and a root that is a tmpfs
 * mounted on a hidden one (the kernel's rootfs; libvfs's namespace root).
 * After every mount op, cwd, every fd's path and /proc/self/mountinfo are
 * compared, mountinfo with mount ids, parent ids, major:minor and peer
 * group numbers renamed through bijections built as the run goes (see
 * struct bij); fd paths are then read through each side's own proc.  Proc
 * mounts are not walked and proc directories' nlink is not compared: the
 * kernel's count every process of the machine.  A path component that is
 * a side's pid (proc's /<pid>) is compared as "$PID".
 *
 * Kernel noise that is excluded (the only entries, see EXCLUSIONS below and
 * shared/notes/differential-testing.md): spurious kernel ELOOP is retried
 * on the kernel side, so is EAGAIN of a RESOLVE_BENEATH/IN_ROOT openat2;
 * a RESOLVE_CACHED openat2 that is EAGAIN on one side only is rerun once
 * link atimes are settled, and both sides let a clock tick pass after
 * making a symlink (whether a walk must update a link's atime turns on
 * ticks); ops that would block the kernel (FIFO opens without a peer, FIFO
 * I/O without O_NONBLOCK) and lseek on a directory other than rewinding
 * (the offset is a filesystem cookie) are not run on either side.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <vfs/vfs.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef RENAME_WHITEOUT
#define RENAME_WHITEOUT (1 << 2)
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PATH_BUF	4608		/* room for paths past PATH_MAX */
#define HIDDEN_PROC_FD	1000		/* kernel side only: O_PATH on /proc */
#define TRACE_FD	1001		/* --verbose: the parent's stdout */
#define FD_SCAN		128		/* fds 0..127 (+ 1023) are examined */
#define DETAIL_MAX	(64 * 1024)
#define DATA_MAX	(1 << 17)
#define MAX_DEPTH	4		/* generator creates nothing deeper */
#define WALK_DEPTH	16
#define WALK_ENTRIES	4000
#define TMPFS_OPTS	"size=64m,nr_inodes=100000,mode=755"
#define ELOOP_RETRIES	3
#define CHILD_TIMEOUT	60		/* seconds, per sequence */
#define MOUNT_CAP	60		/* --mounts: no new mounts beyond */
#define RBIND_CAP	30		/* ... no recursive binds beyond */
#define MOUNT_LIST_MAX	4096
#define EAGAIN_RETRIES	8		/* scoped openat2, kernel side */
#define CLOCK_TICK_WAIT_US 20000	/* longer than a coarse clock tick */

/* ------------------------------------------------------------------ */
/* Ops                                                                  */

enum op_kind {
	OP_OPENAT, OP_CLOSE, OP_READ, OP_WRITE, OP_PREAD, OP_PWRITE, OP_LSEEK,
	OP_FTRUNCATE, OP_TRUNCATE, OP_FALLOCATE, OP_MKDIRAT, OP_MKNODAT,
	OP_UNLINKAT, OP_RENAMEAT2, OP_LINKAT, OP_SYMLINKAT, OP_READLINKAT,
	OP_NEWFSTATAT, OP_FSTAT, OP_STATX, OP_GETDENTS, OP_FCHMODAT,
	OP_FCHOWNAT, OP_UTIMENSAT, OP_FACCESSAT2, OP_CHDIR, OP_FCHDIR,
	OP_GETCWD, OP_DUP, OP_DUP3, OP_FCNTL, OP_UMASK, OP_SETXATTR,
	OP_GETXATTR, OP_LISTXATTR, OP_REMOVEXATTR, OP_FDPATH, OP_SETCRED,
	/* --mounts only */
	OP_MOUNT, OP_UMOUNT2, OP_UNSHARE, OP_CHROOT, OP_PIVOT_ROOT,
	OP_OPENAT2, OP_MOUNTINFO,
	OP_CHECK, OP_NKINDS
};

static const char *const op_names[OP_NKINDS] = {
	"openat", "close", "read", "write", "pread64", "pwrite64", "lseek",
	"ftruncate", "truncate", "fallocate", "mkdirat", "mknodat",
	"unlinkat", "renameat2", "linkat", "symlinkat", "readlinkat",
	"newfstatat", "fstat", "statx", "getdents64", "fchmodat",
	"fchownat", "utimensat", "faccessat2", "chdir", "fchdir",
	"getcwd", "dup", "dup3", "fcntl", "umask", "setxattr",
	"getxattr", "listxattr", "removexattr", "fd_path", "setcred",
	"mount", "umount2", "unshare", "chroot", "pivot_root", "openat2",
	"mountinfo",
	"check",
};

/* Relative weights of the generator. */
static const unsigned op_weights[OP_NKINDS] = {
	[OP_OPENAT] = 14, [OP_CLOSE] = 5, [OP_READ] = 5, [OP_WRITE] = 6,
	[OP_PREAD] = 3, [OP_PWRITE] = 4, [OP_LSEEK] = 4, [OP_FTRUNCATE] = 2,
	[OP_TRUNCATE] = 2, [OP_FALLOCATE] = 3, [OP_MKDIRAT] = 7,
	[OP_MKNODAT] = 2, [OP_UNLINKAT] = 5, [OP_RENAMEAT2] = 7,
	[OP_LINKAT] = 3, [OP_SYMLINKAT] = 5, [OP_READLINKAT] = 2,
	[OP_NEWFSTATAT] = 4, [OP_FSTAT] = 2, [OP_STATX] = 2,
	[OP_GETDENTS] = 3, [OP_FCHMODAT] = 2, [OP_FCHOWNAT] = 2,
	[OP_UTIMENSAT] = 1, [OP_FACCESSAT2] = 2, [OP_CHDIR] = 2,
	[OP_FCHDIR] = 1, [OP_GETCWD] = 1, [OP_DUP] = 1, [OP_DUP3] = 1,
	[OP_FCNTL] = 3, [OP_UMASK] = 1, [OP_SETXATTR] = 3,
	[OP_GETXATTR] = 2, [OP_LISTXATTR] = 1, [OP_REMOVEXATTR] = 1,
	[OP_FDPATH] = 2, [OP_SETCRED] = 1, [OP_CHECK] = 1,
};

/* Added to op_weights with --mounts (zero weights keep the plain
 * generator's sequences what they were). */
static const unsigned mount_op_weights[OP_NKINDS] = {
	[OP_MOUNT] = 16, [OP_UMOUNT2] = 7, [OP_UNSHARE] = 2,
	[OP_CHROOT] = 2, [OP_PIVOT_ROOT] = 3, [OP_OPENAT2] = 10,
	[OP_MOUNTINFO] = 2,
};

/* utimensat time specs (op.a) */
enum { UT_NULL, UT_NOW, UT_OMIT, UT_SET, UT_BADNSEC, UT_NKINDS };
/* xattr call variants (op.c) */
enum { XV_PATH, XV_LINK, XV_FD };

/*
 * One concrete call.  Which fields mean what depends on the kind; see
 * op_format(), the single place that prints them.
 */
struct op {
	int kind;
	int fd;			/* dirfd, fd, olddirfd */
	int fd2;		/* newdirfd, newfd */
	int flags;		/* flags, whence, cmd */
	unsigned int mode;	/* mode, mask, access mode */
	long long a, b, c;	/* offsets, lengths, sizes, ids, variants */
	bool p1_null;		/* pass NULL as the first path */
	char p1[PATH_BUF];	/* path, oldpath, symlink target */
	char p2[PATH_BUF];	/* newpath, linkpath, xattr name */
};

/* Per-op outcome kept for the reproducer. */
struct op_result {
	long long kret, vret;
	bool skipped;
	bool retried;
};

/*
 * Shared between the parent and the child running a sequence.  The child
 * fills ops[] when generating, else replays them.
 */
struct shared {
	int nops;
	bool generate;
	bool verbose;
	bool mounts;		/* --mounts */
	uint64_t seed;
	volatile int progress;		/* op being run */
	int executed;			/* ops run on both sides */
	int skipped;
	int div_at;			/* first diverging op, -1 if none */
	bool fdpath_unavailable;
	char setup_msg[512];
	char kdetail[DETAIL_MAX];
	char vdetail[DETAIL_MAX];
	struct op_result res[];		/* nops entries, then the ops */
};

/* exit codes of the child */
enum { CHILD_OK = 0, CHILD_DIVERGED = 1, CHILD_SETUP_KERNEL = 3,
	CHILD_SETUP_VFS = 4 };

static struct op *shared_ops(struct shared *sh, int max_ops)
{
	return (struct op *)((char *)sh + sizeof(*sh) +
			     sizeof(struct op_result) * (size_t)max_ops);
}

/* ------------------------------------------------------------------ */
/* Small utilities                                                      */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned rn(struct rng *r, unsigned n)
{
	return (unsigned)(rng_next(r) % n);
}

static bool chance(struct rng *r, unsigned pct)
{
	return rn(r, 100) < pct;
}

#define PICK(r, arr) ((arr)[rn((r), ARRAY_SIZE(arr))])

static uint64_t fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void fill_pattern(unsigned char *buf, size_t n, unsigned pat)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(pat * 31u + i * 7u + (i >> 8));
}

static const char *errname(long long e)
{
	const char *s = strerrorname_np((int)e);

	return s ? s : "E?";
}

/* A growing text buffer with a hard cap (truncates silently). */
struct text {
	char *s;
	size_t len, cap;
};

static void text_reset(struct text *t)
{
	t->len = 0;
	t->s[0] = '\0';
}

__attribute__((format(printf, 2, 3)))
static void tprintf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len + 1 >= t->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	t->len += (size_t)n;
	if (t->len >= t->cap)
		t->len = t->cap - 1;
}

/* Appends @n bytes of @s as a quoted string; a one- or two-character unit
 * repeated more than 8 times is written {unit*N} so 255-byte names and
 * PATH_MAX paths stay readable. */
static void tquote(struct text *t, const char *s, size_t n)
{
	tprintf(t, "\"");
	for (size_t i = 0; i < n;) {
		bool folded = false;

		for (size_t unit = 1; unit <= 2 && !folded; unit++) {
			size_t run = 1;

			while (i + (run + 1) * unit <= n &&
			       !memcmp(s + i, s + i + run * unit, unit))
				run++;
			if (run > 8) {
				tprintf(t, "{%.*s*%zu}", (int)unit, s + i, run);
				i += run * unit;
				folded = true;
			}
		}
		if (folded)
			continue;
		if (s[i] == '"' || s[i] == '\\')
			tprintf(t, "\\%c", s[i]);
		else if (isprint((unsigned char)s[i]))
			tprintf(t, "%c", s[i]);
		else
			tprintf(t, "\\x%02x", (unsigned char)s[i]);
		i++;
	}
	tprintf(t, "\"");
}

/* "/d/#1234 (deleted)" -> "/d/#N (deleted)": O_TMPFILE names hold the ino. */
static void normalize_fd_path(char *s)
{
	char *p = s;

	while ((p = strstr(p, "/#")) != NULL) {
		char *q = p + 2;

		if (!isdigit((unsigned char)*q)) {
			p += 2;
			continue;
		}
		while (isdigit((unsigned char)*q))
			q++;
		p[2] = 'N';
		memmove(p + 3, q, strlen(q) + 1);
		p += 3;
	}
}

/* ------------------------------------------------------------------ */
/* The two sides: every call once for the kernel, once for libvfs.      */

struct side {
	struct vfs_task *task;	/* NULL: the kernel */
	int procfd;		/* kernel: O_PATH /proc, -1 if none; with
				 * --mounts both sides' own /proc */
	uint64_t caps;		/* root's capabilities (both sides) */
	bool mounts;		/* --mounts: proc mounts are not walked */
	bool mi_read;		/* mi holds this op's raw mountinfo */
	struct text mi;
};

static long long kr(long long r)
{
	return r == -1 ? -errno : r;
}

/* A path component that is this side's pid (proc's /<pid> and "self"'s
 * target) becomes "$PID": the kernel's pid is not libvfs's task id.
 * Returns the new length of the @n bytes at @b (NUL-terminated; @b holds
 * PATH_BUF bytes). */
static size_t normalize_pid(struct side *s, char *b, size_t n)
{
	char pid[24];
	size_t plen, i = 0;

	plen = (size_t)snprintf(pid, sizeof(pid), "%d",
				s->task ? vfs_task_id(s->task) : (int)getpid());
	b[n] = '\0';
	while (i < n) {
		size_t len = strcspn(b + i, "/");

		if (len == plen && !memcmp(b + i, pid, plen) &&
		    n - plen + 4 < PATH_BUF) {
			memmove(b + i + 4, b + i + plen, n - i - plen + 1);
			memcpy(b + i, "$PID", 4);
			n = n - plen + 4;
			len = 4;
		}
		i += len + 1;
	}
	return n;
}

static int s_openat(struct side *s, int d, const char *p, int f, mode_t m)
{
	return s->task ? vfs_openat(s->task, d, p, f, m) :
		(int)kr(syscall(SYS_openat, d, p, f, m));
}

static int s_close(struct side *s, int fd)
{
	return s->task ? vfs_close(s->task, fd) : (int)kr(syscall(SYS_close, fd));
}

static int s_dup(struct side *s, int fd)
{
	return s->task ? vfs_dup(s->task, fd) : (int)kr(syscall(SYS_dup, fd));
}

static int s_dup3(struct side *s, int fd, int nfd, int fl)
{
	return s->task ? vfs_dup3(s->task, fd, nfd, fl) :
		(int)kr(syscall(SYS_dup3, fd, nfd, fl));
}

static int s_fcntl(struct side *s, int fd, int cmd, unsigned long arg)
{
	return s->task ? vfs_fcntl(s->task, fd, cmd, arg) :
		(int)kr(syscall(SYS_fcntl, fd, cmd, arg));
}

static ssize_t s_read(struct side *s, int fd, void *b, size_t n)
{
	return s->task ? vfs_read(s->task, fd, b, n) :
		(ssize_t)kr(syscall(SYS_read, fd, b, n));
}

static ssize_t s_write(struct side *s, int fd, const void *b, size_t n)
{
	return s->task ? vfs_write(s->task, fd, b, n) :
		(ssize_t)kr(syscall(SYS_write, fd, b, n));
}

static ssize_t s_pread(struct side *s, int fd, void *b, size_t n, off_t o)
{
	return s->task ? vfs_pread64(s->task, fd, b, n, o) :
		(ssize_t)kr(syscall(SYS_pread64, fd, b, n, o));
}

static ssize_t s_pwrite(struct side *s, int fd, const void *b, size_t n,
			off_t o)
{
	return s->task ? vfs_pwrite64(s->task, fd, b, n, o) :
		(ssize_t)kr(syscall(SYS_pwrite64, fd, b, n, o));
}

static off_t s_lseek(struct side *s, int fd, off_t o, int wh)
{
	return s->task ? vfs_lseek(s->task, fd, o, wh) :
		(off_t)kr(syscall(SYS_lseek, fd, o, wh));
}

static int s_truncate(struct side *s, const char *p, off_t len)
{
	return s->task ? vfs_truncate(s->task, p, len) :
		(int)kr(syscall(SYS_truncate, p, len));
}

static int s_ftruncate(struct side *s, int fd, off_t len)
{
	return s->task ? vfs_ftruncate(s->task, fd, len) :
		(int)kr(syscall(SYS_ftruncate, fd, len));
}

static int s_fallocate(struct side *s, int fd, int mode, off_t o, off_t len)
{
	return s->task ? vfs_fallocate(s->task, fd, mode, o, len) :
		(int)kr(syscall(SYS_fallocate, fd, mode, o, len));
}

static int s_fstatat(struct side *s, int d, const char *p, struct stat *st,
		     int fl)
{
	return s->task ? vfs_newfstatat(s->task, d, p, st, fl) :
		(int)kr(syscall(SYS_newfstatat, d, p, st, fl));
}

static int s_fstat(struct side *s, int fd, struct stat *st)
{
	return s->task ? vfs_fstat(s->task, fd, st) :
		(int)kr(syscall(SYS_fstat, fd, st));
}

static int s_statx(struct side *s, int d, const char *p, int fl,
		   unsigned mask, struct statx *sx)
{
	return s->task ? vfs_statx(s->task, d, p, fl, mask, sx) :
		(int)kr(syscall(SYS_statx, d, p, fl, mask, sx));
}

static int s_fchmodat(struct side *s, int d, const char *p, mode_t m, int fl)
{
	if (s->task)
		return vfs_fchmodat(s->task, d, p, m, fl);
	if (fl == 0)
		return (int)kr(syscall(SYS_fchmodat, d, p, m));
	return (int)kr(syscall(SYS_fchmodat2, d, p, m, fl));
}

static int s_fchownat(struct side *s, int d, const char *p, uid_t u, gid_t g,
		      int fl)
{
	return s->task ? vfs_fchownat(s->task, d, p, u, g, fl) :
		(int)kr(syscall(SYS_fchownat, d, p, u, g, fl));
}

static int s_utimensat(struct side *s, int d, const char *p,
		       const struct timespec *ts, int fl)
{
	return s->task ? vfs_utimensat(s->task, d, p, ts, fl) :
		(int)kr(syscall(SYS_utimensat, d, p, ts, fl));
}

static int s_faccessat2(struct side *s, int d, const char *p, int m, int fl)
{
	return s->task ? vfs_faccessat2(s->task, d, p, m, fl) :
		(int)kr(syscall(SYS_faccessat2, d, p, m, fl));
}

static int s_mkdirat(struct side *s, int d, const char *p, mode_t m)
{
	return s->task ? vfs_mkdirat(s->task, d, p, m) :
		(int)kr(syscall(SYS_mkdirat, d, p, m));
}

static int s_mknodat(struct side *s, int d, const char *p, mode_t m,
		     dev_t dev)
{
	return s->task ? vfs_mknodat(s->task, d, p, m, dev) :
		(int)kr(syscall(SYS_mknodat, d, p, m, dev));
}

static int s_unlinkat(struct side *s, int d, const char *p, int fl)
{
	return s->task ? vfs_unlinkat(s->task, d, p, fl) :
		(int)kr(syscall(SYS_unlinkat, d, p, fl));
}

static int s_renameat2(struct side *s, int od, const char *op, int nd,
		       const char *np, unsigned fl)
{
	return s->task ? vfs_renameat2(s->task, od, op, nd, np, fl) :
		(int)kr(syscall(SYS_renameat2, od, op, nd, np, fl));
}

static int s_linkat(struct side *s, int od, const char *op, int nd,
		    const char *np, int fl)
{
	return s->task ? vfs_linkat(s->task, od, op, nd, np, fl) :
		(int)kr(syscall(SYS_linkat, od, op, nd, np, fl));
}

static int s_symlinkat(struct side *s, const char *t, int d, const char *p)
{
	return s->task ? vfs_symlinkat(s->task, t, d, p) :
		(int)kr(syscall(SYS_symlinkat, t, d, p));
}

static ssize_t s_readlinkat(struct side *s, int d, const char *p, char *b,
			    size_t n)
{
	return s->task ? vfs_readlinkat(s->task, d, p, b, n) :
		(ssize_t)kr(syscall(SYS_readlinkat, d, p, b, n));
}

static ssize_t s_getdents(struct side *s, int fd, void *b, size_t n)
{
	return s->task ? vfs_getdents64(s->task, fd, b, n) :
		(ssize_t)kr(syscall(SYS_getdents64, fd, b, n));
}

static int s_chdir(struct side *s, const char *p)
{
	return s->task ? vfs_chdir(s->task, p) : (int)kr(syscall(SYS_chdir, p));
}

static int s_fchdir(struct side *s, int fd)
{
	return s->task ? vfs_fchdir(s->task, fd) :
		(int)kr(syscall(SYS_fchdir, fd));
}

static int s_getcwd(struct side *s, char *b, size_t n)
{
	return s->task ? vfs_getcwd(s->task, b, n) :
		(int)kr(syscall(SYS_getcwd, b, n));
}

static int s_umask(struct side *s, mode_t m)
{
	return s->task ? (int)vfs_umask(s->task, m) :
		(int)syscall(SYS_umask, m);
}

static int s_setxattr(struct side *s, int v, int fd, const char *p,
		      const char *name, const void *val, size_t n, int fl)
{
	if (s->task) {
		if (v == XV_FD)
			return vfs_fsetxattr(s->task, fd, name, val, n, fl);
		if (v == XV_LINK)
			return vfs_lsetxattr(s->task, p, name, val, n, fl);
		return vfs_setxattr(s->task, p, name, val, n, fl);
	}
	if (v == XV_FD)
		return (int)kr(syscall(SYS_fsetxattr, fd, name, val, n, fl));
	if (v == XV_LINK)
		return (int)kr(syscall(SYS_lsetxattr, p, name, val, n, fl));
	return (int)kr(syscall(SYS_setxattr, p, name, val, n, fl));
}

static ssize_t s_getxattr(struct side *s, int v, int fd, const char *p,
			  const char *name, void *val, size_t n)
{
	if (s->task) {
		if (v == XV_FD)
			return vfs_fgetxattr(s->task, fd, name, val, n);
		if (v == XV_LINK)
			return vfs_lgetxattr(s->task, p, name, val, n);
		return vfs_getxattr(s->task, p, name, val, n);
	}
	if (v == XV_FD)
		return (ssize_t)kr(syscall(SYS_fgetxattr, fd, name, val, n));
	if (v == XV_LINK)
		return (ssize_t)kr(syscall(SYS_lgetxattr, p, name, val, n));
	return (ssize_t)kr(syscall(SYS_getxattr, p, name, val, n));
}

static ssize_t s_listxattr(struct side *s, int v, int fd, const char *p,
			   char *list, size_t n)
{
	if (s->task) {
		if (v == XV_FD)
			return vfs_flistxattr(s->task, fd, list, n);
		if (v == XV_LINK)
			return vfs_llistxattr(s->task, p, list, n);
		return vfs_listxattr(s->task, p, list, n);
	}
	if (v == XV_FD)
		return (ssize_t)kr(syscall(SYS_flistxattr, fd, list, n));
	if (v == XV_LINK)
		return (ssize_t)kr(syscall(SYS_llistxattr, p, list, n));
	return (ssize_t)kr(syscall(SYS_listxattr, p, list, n));
}

static int s_removexattr(struct side *s, int v, int fd, const char *p,
			 const char *name)
{
	if (s->task) {
		if (v == XV_FD)
			return vfs_fremovexattr(s->task, fd, name);
		if (v == XV_LINK)
			return vfs_lremovexattr(s->task, p, name);
		return vfs_removexattr(s->task, p, name);
	}
	if (v == XV_FD)
		return (int)kr(syscall(SYS_fremovexattr, fd, name));
	if (v == XV_LINK)
		return (int)kr(syscall(SYS_lremovexattr, p, name));
	return (int)kr(syscall(SYS_removexattr, p, name));
}

/*
 * The path of @fd: vfs_task_fd_path, or readlink of /proc/self/fd/<fd>
 * through the parked /proc handle.  proc says ENOENT for a closed fd where
 * libvfs says EBADF; the kernel side reports EBADF for it.
 */
static ssize_t s_fd_path(struct side *s, int fd, char *b, size_t n)
{
	char name[32];
	ssize_t r;

	/* --mounts: through each side's proc, whose permissions (its root
	 * can be chmod'ed) then apply to both. */
	if (s->task && !s->mounts)
		return vfs_task_fd_path(s->task, fd, b, n);
	if (s->procfd < 0)
		return -ENOSYS;
	snprintf(name, sizeof(name), "self/fd/%d", fd);
	r = s->task ? vfs_readlinkat(s->task, s->procfd, name, b, n) :
		(ssize_t)kr(syscall(SYS_readlinkat, s->procfd, name, b, n));
	return r == -ENOENT ? -EBADF : r;
}

static const char *const mount_fstypes[] = { NULL, "tmpfs", "proc",
	"nosuchfs" };
static const char *const mount_datas[] = { NULL, "size=1m", "nr_inodes=50",
	"mode=700", "size=2m,nr_inodes=200,mode=1777", "ro", "bogus=1" };

static int s_mount(struct side *s, const char *src, const char *tgt,
		   const char *type, unsigned long fl, const char *data)
{
	return s->task ? vfs_mount(s->task, src, tgt, type, fl, data) :
		(int)kr(syscall(SYS_mount, src, tgt, type, fl, data));
}

static int s_umount2(struct side *s, const char *tgt, int fl)
{
	return s->task ? vfs_umount2(s->task, tgt, fl) :
		(int)kr(syscall(SYS_umount2, tgt, fl));
}

static int s_unshare(struct side *s, int fl)
{
	return s->task ? vfs_unshare(s->task, fl) :
		(int)kr(syscall(SYS_unshare, fl));
}

static int s_chroot(struct side *s, const char *p)
{
	return s->task ? vfs_chroot(s->task, p) :
		(int)kr(syscall(SYS_chroot, p));
}

static int s_pivot_root(struct side *s, const char *nr, const char *po)
{
	return s->task ? vfs_pivot_root(s->task, nr, po) :
		(int)kr(syscall(SYS_pivot_root, nr, po));
}

static int s_openat2(struct side *s, int d, const char *p,
		     struct open_how *how, size_t n)
{
	return s->task ? vfs_openat2(s->task, d, p, how, n) :
		(int)kr(syscall(SYS_openat2, d, p, how, n));
}

static int s_statfs(struct side *s, const char *p, struct statfs *b)
{
	return s->task ? vfs_statfs(s->task, p, b) :
		(int)kr(syscall(SYS_statfs, p, b));
}

/* Root with the capabilities the process has, or uid/gid 1000, group
 * 2000 and no capabilities. */
static int s_setcred(struct side *s, bool user)
{
	static const gid_t user_groups[] = { 2000 };

	if (s->task) {
		struct vfs_cred c = { 0 };

		if (user) {
			c.uid = c.euid = 1000;
			c.gid = c.egid = 1000;
			c.ngroups = 1;
			c.groups = user_groups;
		} else {
			c.caps = s->caps;
		}
		return vfs_task_set_cred(s->task, &c);
	}
	/* root first (the saved uid stays 0, so this is always allowed):
	 * setgroups needs CAP_SETGID */
	if (setresuid(0, 0, 0))
		return -errno;
	if (user) {
		if (setgroups(1, user_groups) || setresgid(1000, 1000, 0) ||
		    setresuid(1000, 1000, 0))
			return -errno;
		return 0;
	}
	if (setresgid(0, 0, 0) || setgroups(0, NULL))
		return -errno;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Executing one op on one side                                         */

/*
 * Mount ids, device numbers and peer group numbers are compared up to
 * renaming: each kind keeps pairs (kernel number, libvfs number) made
 * as mountinfo texts are compared line by line, and prints both sides'
 * numbers as the pair's label.  A number that would pair with a second
 * partner is printed differently on the two sides, so the texts differ.
 * Pairs whose numbers a snapshot no longer shows are dropped: the
 * kernel reuses freed numbers machine-wide.
 */
struct bij_pair {
	long long k, v;
	int label;
	bool kseen, vseen;
};

struct bij {
	struct bij_pair *p;
	int n, cap;
	int next_label;
	char tag;		/* M, D or G */
};

struct runner {
	struct side k, v;
	unsigned char *buf;	/* DATA_MAX: read/write data */
	unsigned char *buf2;
	struct text kt, vt;	/* details of the current op */
	struct text scratch;
	bool mounts;
	struct bij ids, devs, groups;
};

static const char *type_name(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return "reg";
	case S_IFDIR: return "dir";
	case S_IFLNK: return "lnk";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "sock";
	case S_IFCHR: return "chr";
	case S_IFBLK: return "blk";
	default: return "?";
	}
}

/* Is @st a directory of a proc mount (any: a detached one can still be
 * a task's root)?  The kernel's proc root counts every process on the
 * machine in its nlink: that is not compared.  proc directories are the
 * only ones of size 0 here (tmpfs counts 20 bytes per entry, `.` and `..`
 * included). */
static bool is_proc_dir_st(struct side *s, const struct stat *st)
{
	return s->mounts && S_ISDIR(st->st_mode) && st->st_size == 0;
}

static void put_stat(struct side *s, struct text *t, const struct stat *st)
{
	if (is_proc_dir_st(s, st)) {
		tprintf(t, " %s mode=%04o nlink=<proc> uid=%u gid=%u",
			type_name(st->st_mode), (unsigned)(st->st_mode & 07777),
			(unsigned)st->st_uid, (unsigned)st->st_gid);
		return;
	}
	tprintf(t, " %s mode=%04o nlink=%lu uid=%u gid=%u size=%lld",
		type_name(st->st_mode), (unsigned)(st->st_mode & 07777),
		(unsigned long)st->st_nlink, (unsigned)st->st_uid,
		(unsigned)st->st_gid, (long long)st->st_size);
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		tprintf(t, " rdev=%u:%u", major(st->st_rdev),
			minor(st->st_rdev));
}

/* " cwd=" and the side's getcwd (pids normalised) or its errno. */
static void put_cwd(struct side *s, struct text *t)
{
	char b[PATH_BUF];
	int r = s_getcwd(s, b, sizeof(b));

	tprintf(t, " cwd=");
	if (r < 0)
		tprintf(t, "%s", errname(-r));
	else
		tquote(t, b, normalize_pid(s, b, strlen(b)));
}

static void put_fd_path(struct side *s, struct text *t, int fd)
{
	char b[PATH_BUF];
	ssize_t n = s_fd_path(s, fd, b, sizeof(b) - 1);

	if (n == -ENOSYS)
		return;		/* no /proc on the kernel side: not compared */
	if (n < 0) {
		tprintf(t, " path=%s", errname(-n));
		return;
	}
	n = (ssize_t)normalize_pid(s, b, (size_t)n);
	normalize_fd_path(b);
	tprintf(t, " path=");
	tquote(t, b, strlen(b));
}

/* What an open fd is: flags, fd flags, type/mode and path. */
static void put_fd_state(struct side *s, struct text *t, int fd)
{
	struct stat st;
	int r;

	r = s_fcntl(s, fd, F_GETFL, 0);
	tprintf(t, " fl=%#x", r);
	r = s_fcntl(s, fd, F_GETFD, 0);
	tprintf(t, " fdfl=%d", r);
	r = s_fstat(s, fd, &st);
	if (r == 0)
		put_stat(s, t, &st);
	else
		tprintf(t, " fstat=%s", errname(-r));
	put_fd_path(s, t, fd);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Reads a directory to its end in @count-byte calls.  Returns the first
 * error, else the total bytes; @names gets "name:type" of each entry but
 * "." and "..", sorted, unless NULL.
 */
static long long read_dir(struct side *s, int fd, size_t count,
			  char ***names, int *nnames)
{
	char *buf = malloc(count + 8);
	long long total = 0;
	int cap = 0;

	if (names) {
		*names = NULL;
		*nnames = 0;
	}
	for (int calls = 0; calls < 10000; calls++) {
		ssize_t n = s_getdents(s, fd, buf, count);

		if (n <= 0) {
			if (n < 0)
				total = n;
			break;
		}
		total += n;
		for (ssize_t off = 0; off < n;) {
			struct dirent64 d;
			const char *name;
			char *e;

			if (n - off < (ssize_t)offsetof(struct dirent64, d_name)) {
				total = -EPROTO;	/* malformed record */
				goto out;
			}
			memcpy(&d, buf + off, offsetof(struct dirent64, d_name));
			if (d.d_reclen == 0 || off + d.d_reclen > n) {
				total = -EPROTO;
				goto out;
			}
			name = buf + off + offsetof(struct dirent64, d_name);
			off += d.d_reclen;
			if (!strcmp(name, ".") || !strcmp(name, "..") || !names)
				continue;
			if (*nnames == cap) {
				cap = cap ? 2 * cap : 16;
				*names = realloc(*names, sizeof(char *) * cap);
			}
			if (asprintf(&e, "%s:%u", name, d.d_type) < 0)
				abort();
			(*names)[(*nnames)++] = e;
		}
	}
out:
	free(buf);
	if (names && *nnames)
		qsort(*names, *nnames, sizeof(char *), cmp_str);
	return total;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void put_xattr_list(struct text *t, const char *list, ssize_t n)
{
	const char *names[512];
	int cnt = 0;

	for (ssize_t off = 0; off < n && cnt < 512;) {
		names[cnt++] = list + off;
		off += (ssize_t)strnlen(list + off, (size_t)(n - off)) + 1;
	}
	qsort(names, cnt, sizeof(char *), cmp_str);
	tprintf(t, " [");
	for (int i = 0; i < cnt; i++)
		tprintf(t, "%s%s", i ? "," : "", names[i]);
	tprintf(t, "]");
}

/* With --mounts: is @path (a directory, stat @st) the root of a proc
 * mount?  Those are not walked. */
static bool is_proc_dir(struct side *s, const char *path,
			const struct stat *st)
{
	struct statfs sf;

	return s->mounts && S_ISDIR(st->st_mode) &&
		s_statfs(s, path, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

/*
 * The tree and fd table as text, for OP_CHECK: one line per entry
 * (path, type, mode, nlink, uid, gid, size, symlink target, a hash of the
 * data, xattrs, sorted children) and one per open fd.
 */
static void walk_tree(struct runner *rn, struct side *s, struct text *t,
		      const char *path, int depth)
{
	struct stat st;
	char **names;
	int nnames, r, fd;
	long long tot;

	r = s_fstatat(s, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW);
	tprintf(t, "\n");
	tquote(t, path, strlen(path));
	if (r < 0) {
		tprintf(t, " stat=%s", errname(-r));
		return;
	}
	if (is_proc_dir(s, path, &st)) {
		tprintf(t, " <proc>");	/* the kernel's shows every process */
		return;
	}
	put_stat(s, t, &st);
	if (!S_ISLNK(st.st_mode)) {
		char list[4096];
		ssize_t n = s_listxattr(s, XV_LINK, -1, path, list, sizeof(list));

		if (n < 0) {
			tprintf(t, " xattrs=%s", errname(-n));
		} else if (n > 0) {
			put_xattr_list(t, list, n);
			for (ssize_t off = 0; off < n;) {
				const char *nm = list + off;
				ssize_t vn = s_getxattr(s, XV_LINK, -1, path, nm,
							rn->buf2, DATA_MAX);

				tprintf(t, " %s=%zd/%016" PRIx64, nm, vn,
					vn > 0 ? fnv1a(rn->buf2, (size_t)vn) : 0);
				off += (ssize_t)strlen(nm) + 1;
			}
		}
	}
	if (S_ISLNK(st.st_mode)) {
		char b[PATH_BUF];
		ssize_t n = s_readlinkat(s, AT_FDCWD, path, b, sizeof(b));

		tprintf(t, " ->");
		if (n < 0)
			tprintf(t, "%s", errname(-n));
		else
			tquote(t, b, (size_t)n);
		return;
	}
	if (S_ISREG(st.st_mode)) {
		ssize_t n, m = 0;

		fd = s_openat(s, AT_FDCWD, path, O_RDONLY | O_NOFOLLOW, 0);
		if (fd < 0) {
			tprintf(t, " open=%s", errname(-fd));
			return;
		}
		/* head and tail: files can be sparse and 1 TiB long */
		n = s_pread(s, fd, rn->buf2, DATA_MAX, 0);
		tprintf(t, " head=%zd/%016" PRIx64, n,
			n > 0 ? fnv1a(rn->buf2, (size_t)n) : 0);
		if (st.st_size > DATA_MAX) {
			m = s_pread(s, fd, rn->buf2, 8192, st.st_size - 8192);
			tprintf(t, " tail=%zd/%016" PRIx64, m,
				m > 0 ? fnv1a(rn->buf2, (size_t)m) : 0);
		}
		s_close(s, fd);
		return;
	}
	if (!S_ISDIR(st.st_mode) || depth >= WALK_DEPTH)
		return;
	fd = s_openat(s, AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (fd < 0) {
		tprintf(t, " open=%s", errname(-fd));
		return;
	}
	tot = read_dir(s, fd, 32768, &names, &nnames);
	s_close(s, fd);
	tprintf(t, " dents=%lld {", tot);
	for (int i = 0; i < nnames; i++)
		tprintf(t, "%s%s", i ? " " : "", names[i]);
	tprintf(t, "}");
	for (int i = 0; i < nnames; i++) {
		char child[PATH_BUF];
		char *colon = strrchr(names[i], ':');

		*colon = '\0';
		if (snprintf(child, sizeof(child), "%s/%s",
			     strcmp(path, "/") ? path : "", names[i]) >=
		    (int)sizeof(child))
			continue;
		walk_tree(rn, s, t, child, depth + 1);
	}
	free_names(names, nnames);
}

static void check_state(struct runner *rn, struct side *s, struct text *t)
{
	int r;

	r = s_setcred(s, false);
	tprintf(t, "setcred(root)=%d", r);
	r = s_umask(s, 022);
	s_umask(s, (mode_t)r);
	tprintf(t, " umask=%04o", (unsigned)r);
	put_cwd(s, t);
	for (int fd = 0; fd <= 1023; fd++) {
		if (fd == FD_SCAN)
			fd = 1023;
		if (s_fcntl(s, fd, F_GETFD, 0) < 0)
			continue;
		tprintf(t, "\nfd %d", fd);
		put_fd_state(s, t, fd);
	}
	walk_tree(rn, s, t, "/", 0);
}

/* ------------------------------------------------------------------ */
/* Mount tables (--mounts)                                              */

/* The side's /proc/self/mountinfo, raw, into s->mi (through its own
 * proc mount, held open at HIDDEN_PROC_FD, so a chroot does not hide it). */
static void read_mountinfo(struct runner *rn, struct side *s)
{
	int fd;

	text_reset(&s->mi);
	s->mi_read = true;
	fd = s_openat(s, HIDDEN_PROC_FD, "self/mountinfo", O_RDONLY | O_CLOEXEC,
		      0);
	if (fd < 0) {
		tprintf(&s->mi, "!open=%s", errname(-fd));
		return;
	}
	for (;;) {
		ssize_t n = s_read(s, fd, rn->buf2, DATA_MAX);

		if (n < 0)
			tprintf(&s->mi, "!read=%s", errname(-n));
		if (n <= 0)
			break;
		tprintf(&s->mi, "%.*s", (int)n, (const char *)rn->buf2);
	}
	s_close(s, fd);
}

/* What mount changes can change besides the table: cwd and fd paths. */
static void put_env(struct side *s, struct text *t)
{
	put_cwd(s, t);
	for (int fd = 0; fd <= 1023; fd++) {
		if (fd == FD_SCAN)
			fd = 1023;
		if (s_fcntl(s, fd, F_GETFD, 0) < 0)
			continue;
		tprintf(t, " fd%d", fd);
		put_fd_path(s, t, fd);
	}
}

static struct bij_pair *bij_find(struct bij *b, long long x, bool kernel)
{
	for (int i = 0; i < b->n; i++)
		if ((kernel ? b->p[i].k : b->p[i].v) == x)
			return &b->p[i];
	return NULL;
}

/* Pairs @kx with @vx unless either already has a partner. */
static void bij_pair(struct bij *b, long long kx, long long vx)
{
	if (bij_find(b, kx, true) || bij_find(b, vx, false))
		return;
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->p = realloc(b->p, sizeof(*b->p) * (size_t)b->cap);
	}
	b->p[b->n++] = (struct bij_pair){ .k = kx, .v = vx,
		.label = ++b->next_label };
}

static void bij_put(struct text *t, struct bij *b, long long x, bool kernel)
{
	struct bij_pair *p = bij_find(b, x, kernel);

	if (!p) {
		tprintf(t, "%c?", b->tag);
		return;
	}
	if (kernel)
		p->kseen = true;
	else
		p->vseen = true;
	tprintf(t, "%c%d", b->tag, p->label);
}

/* Drops the pairs this snapshot did not show on both sides. */
static void bij_prune(struct bij *b)
{
	int n = 0;

	for (int i = 0; i < b->n; i++) {
		if (b->p[i].kseen && b->p[i].vseen) {
			b->p[n] = b->p[i];
			b->p[n].kseen = b->p[n].vseen = false;
			n++;
		}
	}
	b->n = n;
}

#define MI_TOKENS 24

struct mi_line {
	char *tok[MI_TOKENS];
	int ntok;
	int dash;		/* index of "-", or ntok */
};

/* Splits mountinfo text @s (modified) into lines of tokens. */
static int mi_parse(char *s, struct mi_line **out)
{
	struct mi_line *l = NULL;
	int n = 0, cap = 0;
	char *save = NULL, *line;

	for (line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *ts = NULL, *tok;
		struct mi_line *m;

		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			l = realloc(l, sizeof(*l) * (size_t)cap);
		}
		m = &l[n++];
		m->ntok = 0;
		for (tok = strtok_r(line, " ", &ts); tok && m->ntok < MI_TOKENS;
		     tok = strtok_r(NULL, " ", &ts))
			m->tok[m->ntok++] = tok;
		m->dash = m->ntok;
		for (int i = 6; i < m->ntok; i++) {
			if (!strcmp(m->tok[i], "-")) {
				m->dash = i;
				break;
			}
		}
	}
	*out = l;
	return n;
}

static long long mi_dev(const char *s)
{
	unsigned ma = 0, mi = 0;

	if (sscanf(s, "%u:%u", &ma, &mi) != 2)
		return -1;
	return ((long long)ma << 20) | mi;
}

/* "shared:12" -> 12 and the tag's length, else -1. */
static long long mi_group(const char *s, size_t *taglen)
{
	const char *c = strchr(s, ':');

	if (!c || !isdigit((unsigned char)c[1]))
		return -1;
	*taglen = (size_t)(c - s);
	return atoll(c + 1);
}

static void mi_render(struct runner *rn, struct text *t, struct mi_line *l,
		      int n, bool kernel)
{
	for (int i = 0; i < n; i++) {
		struct mi_line *m = &l[i];

		tprintf(t, "\nmountinfo:");
		for (int j = 0; j < m->ntok; j++) {
			const char *x = m->tok[j];
			size_t tl;

			tprintf(t, " ");
			if (j < 2)
				bij_put(t, &rn->ids, atoll(x), kernel);
			else if (j == 2)
				bij_put(t, &rn->devs, mi_dev(x), kernel);
			else if (j > 5 && j < m->dash && mi_group(x, &tl) >= 0) {
				tprintf(t, "%.*s:", (int)tl, x);
				bij_put(t, &rn->groups, mi_group(x, &tl), kernel);
			} else
				tprintf(t, "%s", x);
		}
	}
}

/*
 * Appends both sides' mountinfo to the op details, numbers renamed
 * through the bijections (paired line by line first).
 */
static void put_mountinfo_pair(struct runner *rn)
{
	char *ks = strdup(rn->k.mi.s), *vs = strdup(rn->v.mi.s);
	struct mi_line *kl, *vl;
	int nk, nv;

	if (ks[0] == '!' || vs[0] == '!') {
		tprintf(&rn->kt, "\nmountinfo %s", ks);
		tprintf(&rn->vt, "\nmountinfo %s", vs);
		free(ks);
		free(vs);
		return;
	}
	nk = mi_parse(ks, &kl);
	nv = mi_parse(vs, &vl);
	for (int i = 0; i < nk && i < nv; i++) {
		struct mi_line *a = &kl[i], *b = &vl[i];

		if (a->ntok < 3 || b->ntok < 3)
			continue;
		bij_pair(&rn->ids, atoll(a->tok[0]), atoll(b->tok[0]));
		bij_pair(&rn->ids, atoll(a->tok[1]), atoll(b->tok[1]));
		bij_pair(&rn->devs, mi_dev(a->tok[2]), mi_dev(b->tok[2]));
		for (int j = 6; j < a->dash && j < b->dash; j++) {
			size_t ta, tb;
			long long ga = mi_group(a->tok[j], &ta);
			long long gb = mi_group(b->tok[j], &tb);

			if (ga >= 0 && gb >= 0 && ta == tb &&
			    !memcmp(a->tok[j], b->tok[j], ta))
				bij_pair(&rn->groups, ga, gb);
		}
	}
	mi_render(rn, &rn->kt, kl, nk, true);
	mi_render(rn, &rn->vt, vl, nv, false);
	bij_prune(&rn->ids);
	bij_prune(&rn->devs);
	bij_prune(&rn->groups);
	free(kl);
	free(vl);
	free(ks);
	free(vs);
}

static bool op_is_mountish(int kind)
{
	switch (kind) {
	case OP_MOUNT: case OP_UMOUNT2: case OP_UNSHARE: case OP_CHROOT:
	case OP_PIVOT_ROOT: case OP_MOUNTINFO: case OP_CHECK:
		return true;
	default:
		return false;
	}
}

static void op_times(const struct op *op, struct timespec ts[2])
{
	switch (op->a) {
	case UT_NOW:
		ts[0].tv_sec = ts[1].tv_sec = 0;
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
		break;
	case UT_OMIT:
		ts[0].tv_sec = ts[1].tv_sec = 0;
		ts[0].tv_nsec = UTIME_OMIT;
		ts[1].tv_nsec = UTIME_NOW;
		break;
	case UT_BADNSEC:
		ts[0].tv_sec = ts[1].tv_sec = 1000;
		ts[0].tv_nsec = 1000000000;
		ts[1].tv_nsec = 0;
		break;
	default:
		ts[0].tv_sec = 1000000000;
		ts[1].tv_sec = 1234567890;
		ts[0].tv_nsec = 5;
		ts[1].tv_nsec = 999999999;
		break;
	}
}

static void put_ret(struct text *t, long long r);

/* Runs @op on @s; returns what the call returned (-errno on failure) and
 * writes what else it produced to @t. */
static long long exec_op(struct runner *rn, struct side *s,
			 const struct op *op, struct text *t)
{
	const char *p1 = op->p1_null ? NULL : op->p1;
	struct timespec ts[2];
	struct stat st;
	struct statx sx;
	char b[PATH_BUF];
	long long r = 0;
	ssize_t n;

	text_reset(t);
	s->mi_read = false;
	switch (op->kind) {
	case OP_OPENAT:
		r = s_openat(s, op->fd, p1, op->flags, op->mode);
		if (r >= 0)
			put_fd_state(s, t, (int)r);
		break;
	case OP_CLOSE:
		r = s_close(s, op->fd);
		break;
	case OP_READ:
	case OP_PREAD:
		if (op->kind == OP_READ)
			r = s_read(s, op->fd, rn->buf, (size_t)op->a);
		else
			r = s_pread(s, op->fd, rn->buf, (size_t)op->a, op->b);
		if (r > 0)
			tprintf(t, " data=%016" PRIx64, fnv1a(rn->buf, (size_t)r));
		break;
	case OP_WRITE:
		fill_pattern(rn->buf, (size_t)op->a, (unsigned)op->c);
		r = s_write(s, op->fd, rn->buf, (size_t)op->a);
		break;
	case OP_PWRITE:
		fill_pattern(rn->buf, (size_t)op->a, (unsigned)op->c);
		r = s_pwrite(s, op->fd, rn->buf, (size_t)op->a, op->b);
		break;
	case OP_LSEEK:
		r = s_lseek(s, op->fd, op->a, op->flags);
		break;
	case OP_FTRUNCATE:
		r = s_ftruncate(s, op->fd, op->a);
		break;
	case OP_TRUNCATE:
		r = s_truncate(s, p1, op->a);
		break;
	case OP_FALLOCATE:
		r = s_fallocate(s, op->fd, op->flags, op->a, op->b);
		break;
	case OP_MKDIRAT:
		r = s_mkdirat(s, op->fd, p1, op->mode);
		break;
	case OP_MKNODAT:
		r = s_mknodat(s, op->fd, p1, op->mode, (dev_t)op->a);
		break;
	case OP_UNLINKAT:
		r = s_unlinkat(s, op->fd, p1, op->flags);
		break;
	case OP_RENAMEAT2:
		r = s_renameat2(s, op->fd, p1, op->fd2, op->p2,
				(unsigned)op->flags);
		break;
	case OP_LINKAT:
		r = s_linkat(s, op->fd, p1, op->fd2, op->p2, op->flags);
		break;
	case OP_SYMLINKAT:
		r = s_symlinkat(s, p1, op->fd, op->p2);
		break;
	case OP_READLINKAT:
		r = n = s_readlinkat(s, op->fd, p1, b, (size_t)op->a);
		if (n > 0) {
			r = n = (ssize_t)normalize_pid(s, b, (size_t)n);
			tprintf(t, " ");
			tquote(t, b, (size_t)n);
		}
		break;
	case OP_NEWFSTATAT:
	case OP_FSTAT:
		if (op->kind == OP_FSTAT)
			r = s_fstat(s, op->fd, &st);
		else
			r = s_fstatat(s, op->fd, p1, &st, op->flags);
		if (r == 0)
			put_stat(s, t, &st);
		break;
	case OP_STATX:
		memset(&sx, 0, sizeof(sx));
		r = s_statx(s, op->fd, p1, op->flags, op->mode, &sx);
		if (r == 0 && S_ISDIR(sx.stx_mode)) {
			struct stat ps;

			/* proc directories: see is_proc_dir_st(). */
			ps.st_mode = sx.stx_mode;
			ps.st_size = (off_t)sx.stx_size;
			if (is_proc_dir_st(s, &ps)) {
				tprintf(t, " <proc>");
				break;
			}
		}
		if (r == 0)
			tprintf(t, " basic=%#x %s mode=%04o nlink=%u uid=%u gid=%u size=%llu",
				sx.stx_mask & STATX_BASIC_STATS,
				type_name(sx.stx_mode), sx.stx_mode & 07777,
				sx.stx_nlink, sx.stx_uid, sx.stx_gid,
				(unsigned long long)sx.stx_size);
		break;
	case OP_GETDENTS: {
		char **names;
		int nn;
		struct stat ds;

		/* The kernel's proc lists the machine's processes. */
		if (s_fstat(s, op->fd, &ds) == 0 && is_proc_dir_st(s, &ds)) {
			r = 0;
			tprintf(t, " <proc>");
			break;
		}
		r = read_dir(s, op->fd, (size_t)op->a, &names, &nn);
		if (r < 0 && nn) {
			/* Failed after some entries (a name too long for the
			 * buffer): which ones came first is the directory's
			 * order, not comparable.  Rewind, keep the error. */
			free_names(names, nn);
			names = NULL;
			nn = 0;
			tprintf(t, " partial, rewound=%lld",
				(long long)s_lseek(s, op->fd, 0, SEEK_SET));
		}
		tprintf(t, " {");
		for (int i = 0; i < nn; i++)
			tprintf(t, "%s%s", i ? " " : "", names[i]);
		tprintf(t, "}");
		free_names(names, nn);
		break;
	}
	case OP_FCHMODAT:
		r = s_fchmodat(s, op->fd, p1, op->mode, op->flags);
		break;
	case OP_FCHOWNAT:
		r = s_fchownat(s, op->fd, p1, (uid_t)op->a, (gid_t)op->b,
			       op->flags);
		break;
	case OP_UTIMENSAT:
		op_times(op, ts);
		r = s_utimensat(s, op->fd, p1, op->a == UT_NULL ? NULL : ts,
				op->flags);
		break;
	case OP_FACCESSAT2:
		r = s_faccessat2(s, op->fd, p1, (int)op->mode, op->flags);
		break;
	case OP_CHDIR:
		r = s_chdir(s, p1);
		break;
	case OP_FCHDIR:
		r = s_fchdir(s, op->fd);
		break;
	case OP_GETCWD:
		r = s_getcwd(s, b, (size_t)op->a);
		if (r > 0) {
			r = (long long)normalize_pid(s, b, strnlen(b, (size_t)r)) + 1;
			tprintf(t, " ");
			tquote(t, b, strnlen(b, (size_t)r));
		}
		break;
	case OP_DUP:
		r = s_dup(s, op->fd);
		break;
	case OP_DUP3:
		r = s_dup3(s, op->fd, op->fd2, op->flags);
		break;
	case OP_FCNTL:
		r = s_fcntl(s, op->fd, op->flags, (unsigned long)op->a);
		break;
	case OP_UMASK:
		r = s_umask(s, op->mode);
		break;
	case OP_SETXATTR:
		fill_pattern(rn->buf, (size_t)op->a, (unsigned)op->b);
		r = s_setxattr(s, (int)op->c, op->fd, p1, op->p2, rn->buf,
			       (size_t)op->a, op->flags);
		break;
	case OP_GETXATTR:
		r = n = s_getxattr(s, (int)op->c, op->fd, p1, op->p2, rn->buf,
				   (size_t)op->a);
		if (n > 0 && op->a > 0)
			tprintf(t, " value=%016" PRIx64,
				fnv1a(rn->buf, (size_t)n));
		break;
	case OP_LISTXATTR:
		r = n = s_listxattr(s, (int)op->c, op->fd, p1, (char *)rn->buf,
				    (size_t)op->a);
		if (n > 0 && op->a > 0)
			put_xattr_list(t, (char *)rn->buf, n);
		break;
	case OP_REMOVEXATTR:
		r = s_removexattr(s, (int)op->c, op->fd, p1, op->p2);
		break;
	case OP_FDPATH:
		r = n = s_fd_path(s, op->fd, b, sizeof(b) - 1);
		if (n == -ENOSYS) {
			r = 0;
		} else if (n >= 0) {
			normalize_pid(s, b, (size_t)n);
			normalize_fd_path(b);
			r = (long long)strlen(b);
			tprintf(t, " ");
			tquote(t, b, (size_t)r);
		}
		break;
	case OP_SETCRED:
		r = s_setcred(s, op->a != 0);
		break;
	case OP_MOUNT:
		r = s_mount(s, p1, op->p2, mount_fstypes[op->c],
			    (unsigned long)op->a, mount_datas[op->b]);
		break;
	case OP_UMOUNT2:
		r = s_umount2(s, p1, op->flags);
		if (op->flags & MNT_EXPIRE) {
			/* The second call unmounts if nothing used the mount
			 * in between; the stat is a use, so no mark outlives
			 * the op (the generator walks the kernel side only). */
			tprintf(t, " again=");
			put_ret(t, s_umount2(s, p1, op->flags));
			tprintf(t, " stat=");
			put_ret(t, s_fstatat(s, AT_FDCWD, p1, &st, 0));
		}
		break;
	case OP_UNSHARE:
		r = s_unshare(s, op->flags);
		break;
	case OP_CHROOT:
		r = s_chroot(s, p1);
		break;
	case OP_PIVOT_ROOT:
		r = s_pivot_root(s, p1, op->p2);
		break;
	case OP_OPENAT2: {
		/* how, then 8 more bytes: zero, or not (E2BIG) */
		union {
			struct open_how how;
			unsigned char raw[sizeof(struct open_how) + 8];
		} u;

		memset(&u, 0, sizeof(u));
		u.how.flags = (unsigned int)op->flags;
		u.how.mode = op->mode;
		u.how.resolve = (unsigned long long)op->a;
		if (op->c)
			u.raw[sizeof(struct open_how) + 3] = 1;
		r = s_openat2(s, op->fd, p1, &u.how, (size_t)op->b);
		if (r >= 0)
			put_fd_state(s, t, (int)r);
		break;
	}
	case OP_MOUNTINFO:
		break;
	case OP_CHECK:
		check_state(rn, s, t);
		break;
	}
	if (rn->mounts && op_is_mountish(op->kind)) {
		if (op->kind != OP_CHECK)
			put_env(s, t);
		read_mountinfo(rn, s);
	}
	return r;
}

/* ------------------------------------------------------------------ */
/* Formatting an op for humans                                          */

static void put_fd_arg(struct text *t, int fd)
{
	if (fd == AT_FDCWD)
		tprintf(t, "AT_FDCWD");
	else
		tprintf(t, "%d", fd);
}

static void put_path_arg(struct text *t, const struct op *op, int which)
{
	const char *p = which == 1 ? op->p1 : op->p2;

	if (which == 1 && op->p1_null)
		tprintf(t, "NULL");
	else
		tquote(t, p, strlen(p));
}

struct flag_name {
	long long v;
	const char *n;
};

static void put_flags(struct text *t, long long v, const struct flag_name *fn,
		      size_t cnt)
{
	bool any = false;

	for (size_t i = 0; i < cnt; i++) {
		if (fn[i].v && (v & fn[i].v) == fn[i].v) {
			tprintf(t, "%s%s", any ? "|" : "", fn[i].n);
			v &= ~fn[i].v;
			any = true;
		}
	}
	if (v || !any)
		tprintf(t, "%s%#llx", any ? "|" : "", v);
}

#define FN(x) { x, #x }
static const struct flag_name open_flag_names[] = {
	FN(O_TMPFILE), FN(O_WRONLY), FN(O_RDWR), FN(O_CREAT), FN(O_EXCL),
	FN(O_NOCTTY), FN(O_TRUNC), FN(O_APPEND), FN(O_NONBLOCK),
	FN(O_SYNC), FN(O_DSYNC), FN(O_DIRECTORY), FN(O_NOFOLLOW),
	FN(O_NOATIME), FN(O_CLOEXEC), FN(O_PATH),
};
static void put_open_flags(struct text *t, int flags)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR",
		"3" };
	int rest = flags & ~O_ACCMODE;

	if ((flags & O_TMPFILE) == O_TMPFILE && !(flags & O_ACCMODE)) {
		put_flags(t, flags, open_flag_names, ARRAY_SIZE(open_flag_names));
		return;
	}
	tprintf(t, "%s", acc[flags & O_ACCMODE]);
	if (rest) {
		tprintf(t, "|");
		put_flags(t, rest, open_flag_names, ARRAY_SIZE(open_flag_names));
	}
}

static const struct flag_name at_flag_names[] = {
	FN(AT_SYMLINK_NOFOLLOW), FN(AT_REMOVEDIR), FN(AT_SYMLINK_FOLLOW),
	FN(AT_NO_AUTOMOUNT), FN(AT_EMPTY_PATH), FN(AT_EACCESS),
	FN(AT_STATX_FORCE_SYNC), FN(AT_STATX_DONT_SYNC),
};
static const struct flag_name rename_flag_names[] = {
	FN(RENAME_NOREPLACE), FN(RENAME_EXCHANGE), FN(RENAME_WHITEOUT),
};
static const struct flag_name falloc_names[] = {
	FN(FALLOC_FL_KEEP_SIZE), FN(FALLOC_FL_PUNCH_HOLE),
	FN(FALLOC_FL_COLLAPSE_RANGE), FN(FALLOC_FL_ZERO_RANGE),
	FN(FALLOC_FL_INSERT_RANGE),
};
static const struct flag_name xattr_flag_names[] = {
	FN(XATTR_CREATE), FN(XATTR_REPLACE),
};
static const struct flag_name ms_names[] = {
	FN(MS_RDONLY), FN(MS_NOSUID), FN(MS_NODEV), FN(MS_NOEXEC),
	FN(MS_REMOUNT), FN(MS_NOATIME), FN(MS_NODIRATIME), FN(MS_BIND),
	FN(MS_MOVE), FN(MS_REC), FN(MS_UNBINDABLE), FN(MS_PRIVATE),
	FN(MS_SLAVE), FN(MS_SHARED), FN(MS_RELATIME), FN(MS_STRICTATIME),
	FN(MS_NOUSER),
};
static const struct flag_name umount_names[] = {
	FN(MNT_FORCE), FN(MNT_DETACH), FN(MNT_EXPIRE), FN(UMOUNT_NOFOLLOW),
};
static const struct flag_name clone_names[] = {
	FN(CLONE_NEWNS), FN(CLONE_FS), FN(CLONE_FILES),
};
static const struct flag_name resolve_names[] = {
	FN(RESOLVE_NO_XDEV), FN(RESOLVE_NO_MAGICLINKS), FN(RESOLVE_NO_SYMLINKS),
	FN(RESOLVE_BENEATH), FN(RESOLVE_IN_ROOT), FN(RESOLVE_CACHED),
};
#undef FN

static const char *whence_name(int w)
{
	static const char *const n[] = { "SEEK_SET", "SEEK_CUR", "SEEK_END",
		"SEEK_DATA", "SEEK_HOLE" };

	return w >= 0 && w < 5 ? n[w] : NULL;
}

static const char *fcntl_name(int cmd)
{
	switch (cmd) {
	case F_DUPFD: return "F_DUPFD";
	case F_DUPFD_CLOEXEC: return "F_DUPFD_CLOEXEC";
	case F_GETFD: return "F_GETFD";
	case F_SETFD: return "F_SETFD";
	case F_GETFL: return "F_GETFL";
	case F_SETFL: return "F_SETFL";
	default: return NULL;
	}
}

static void put_mknod_mode(struct text *t, unsigned m)
{
	const char *ty = NULL;

	switch (m & S_IFMT) {
	case S_IFIFO: ty = "S_IFIFO"; break;
	case S_IFREG: ty = "S_IFREG"; break;
	case S_IFSOCK: ty = "S_IFSOCK"; break;
	case S_IFCHR: ty = "S_IFCHR"; break;
	case S_IFDIR: ty = "S_IFDIR"; break;
	case S_IFBLK: ty = "S_IFBLK"; break;
	}
	if (ty)
		tprintf(t, "%s|%04o", ty, m & 07777);
	else
		tprintf(t, "%#o", m);
}

static void op_format(struct text *t, const struct op *op)
{
	static const char *const xv[] = { "", "l", "f" };
	static const char *const ut[] = { "NULL", "{UTIME_NOW,UTIME_NOW}",
		"{UTIME_OMIT,UTIME_NOW}",
		"{{1000000000,5},{1234567890,999999999}}",
		"{{1000,1000000000},{1000,0}}" };
	const char *s;

	switch (op->kind) {
	case OP_OPENAT:
		tprintf(t, "openat(");
		put_fd_arg(t, op->fd);
		tprintf(t, ", ");
		put_path_arg(t, op, 1);
		tprintf(t, ", ");
		put_open_flags(t, op->flags);
		tprintf(t, ", %04o)", op->mode);
		break;
	case OP_CLOSE:
	case OP_FSTAT:
	case OP_FCHDIR:
	case OP_DUP:
	case OP_FDPATH:
		tprintf(t, "%s(%d)", op_names[op->kind], op->fd);
		break;
	case OP_READ:
		tprintf(t, "read(%d, buf, %lld)", op->fd, op->a);
		break;
	case OP_PREAD:
		tprintf(t, "pread64(%d, buf, %lld, %lld)", op->fd, op->a, op->b);
		break;
	case OP_WRITE:
		tprintf(t, "write(%d, pattern(%lld), %lld)", op->fd, op->c,
			op->a);
		break;
	case OP_PWRITE:
		tprintf(t, "pwrite64(%d, pattern(%lld), %lld, %lld)", op->fd,
			op->c, op->a, op->b);
		break;
	case OP_LSEEK:
		s = whence_name(op->flags);
		tprintf(t, "lseek(%d, %lld, ", op->fd, op->a);
		if (s)
			tprintf(t, "%s)", s);
		else
			tprintf(t, "%d)", op->flags);
		break;
	case OP_FTRUNCATE:
		tprintf(t, "ftruncate(%d, %lld)", op->fd, op->a);
		break;
	case OP_TRUNCATE:
		tprintf(t, "truncate(");
		put_path_arg(t, op, 1);
		tprintf(t, ", %lld)", op->a);
		break;
	case OP_FALLOCATE:
		tprintf(t, "fallocate(%d, ", op->fd);
		put_flags(t, op->flags, falloc_names, ARRAY_SIZE(falloc_names));
		tprintf(t, ", %lld, %lld)", op->a, op->b);
		break;
	case OP_MKDIRAT:
		tprintf(t, "mkdirat(");
		put_fd_arg(t, op->fd);
		tprintf(t, ", ");
		put_path_arg(t, op, 1);
		tprintf(t, ", %04o)", op->mode);
		break;
	case OP_MKNODAT:
		tprintf(t, "mknodat(");
		put_fd_arg(t, op->fd);
		tprintf(t, ", ");
		put_path_arg(t, op, 1);
		tprintf(t, ", ");
		put_mknod_mode(t, op->mode);
		tprintf(t, ", %lld)", op->a);
		break;
	case OP_UNLINKAT:
		tprintf(t, "unlinkat(");
		put_fd_arg(t, op->fd);
		tprintf(t, ", ");
		put_path_arg(t, op, 1);
		tprintf(t, ", ");
		put_flags(t, op->flags, at_flag_names, ARRAY_SIZE(at_flag_names));
		tprintf(t, ")");
		break;
	case OP_RENAMEAT2:
	case OP_LINKAT:
		tprintf(t, "%s(", op_names[op->kind]);
		put_fd_arg(t, op->fd);
		tprintf(t, ", ");
		put_path_arg(t, op, 1);
		tprintf(t, ", ");
		put_fd_arg(t, op->fd2);
		tprintf(t, ", ");
		put_path_arg(t, op, 2);
		tprintf(t, ", ");
		if (op->kind == OP_RENAMEAT2)
			put_flags(t, (unsigned)op->flags, rename_flag_names,
				  ARRAY_SIZE(rename_flag_names));
		else
			put_flags(t, op->flags, at_flag_names,
				  ARRAY_SIZE(at_flag_names));
		tprintf(t, ")");
		break;
	case OP_SYMLINKAT:
		tprintf(t, "symlinkat(");
		put_path_arg(t, op, 1);
		tprintf(t, ", ");
		put_fd_arg(t, op->fd);
		tprintf(t, ", ");
		put_path_arg(t, op, 2);
		tprintf(t, ")");
		break;
	case OP_READLINKAT:
		tprintf(t, "readlinkat(");
		put_fd_arg(t, op->fd);
		tprintf(t, ", ");
		put_path_arg(t, op, 1);
		tprintf(t, ", buf, %lld)", op->a);
		break;
	case OP_NEWFSTATAT:
	case OP_FCHMODAT:
	case OP_FACCESSAT2:
	case OP_STATX:
	case OP_FCHOWNAT:
	case OP_UTIMENSAT:
		tprintf(t, "%s(", op_names[op->kind]);
		put_fd_arg(t, op->fd);
		tprintf(t, ", ");
		put_path_arg(t, op, 1);
		if (op->kind == OP_NEWFSTATAT)
			tprintf(t, ", &st");
		else if (op->kind == OP_FCHMODAT)
			tprintf(t, ", %04o", op->mode);
		else if (op->kind == OP_FACCESSAT2)
			tprintf(t, ", %u", op->mode);
		else if (op->kind == OP_FCHOWNAT)
			tprintf(t, ", %d, %d", (int)op->a, (int)op->b);
		else if (op->kind == OP_UTIMENSAT)
			tprintf(t, ", %s", ut[op->a % UT_NKINDS]);
		tprintf(t, ", ");
		put_flags(t, op->flags, at_flag_names, ARRAY_SIZE(at_flag_names));
		if (op->kind == OP_STATX)
			tprintf(t, ", %#x, &stx", op->mode);
		tprintf(t, ")");
		break;
	case OP_GETDENTS:
		tprintf(t, "getdents64(%d, buf, %lld) until 0", op->fd, op->a);
		break;
	case OP_CHDIR:
		tprintf(t, "chdir(");
		put_path_arg(t, op, 1);
		tprintf(t, ")");
		break;
	case OP_GETCWD:
		tprintf(t, "getcwd(buf, %lld)", op->a);
		break;
	case OP_DUP3:
		tprintf(t, "dup3(%d, %d, %#x)", op->fd, op->fd2, op->flags);
		break;
	case OP_FCNTL:
		s = fcntl_name(op->flags);
		tprintf(t, "fcntl(%d, ", op->fd);
		if (s)
			tprintf(t, "%s", s);
		else
			tprintf(t, "%d", op->flags);
		if (op->flags == F_SETFL) {
			tprintf(t, ", ");
			put_flags(t, op->a, open_flag_names,
				  ARRAY_SIZE(open_flag_names));
			tprintf(t, ")");
		} else {
			tprintf(t, ", %lld)", op->a);
		}
		break;
	case OP_UMASK:
		tprintf(t, "umask(%04o)", op->mode);
		break;
	case OP_SETXATTR:
	case OP_GETXATTR:
	case OP_LISTXATTR:
	case OP_REMOVEXATTR:
		tprintf(t, "%s%s(", xv[op->c % 3], op_names[op->kind]);
		if (op->c == XV_FD)
			tprintf(t, "%d", op->fd);
		else
			put_path_arg(t, op, 1);
		if (op->kind != OP_LISTXATTR) {
			tprintf(t, ", ");
			put_path_arg(t, op, 2);
		}
		if (op->kind == OP_SETXATTR) {
			tprintf(t, ", pattern(%lld), %lld, ", op->b, op->a);
			put_flags(t, op->flags, xattr_flag_names,
				  ARRAY_SIZE(xattr_flag_names));
		} else if (op->kind != OP_REMOVEXATTR) {
			tprintf(t, ", buf, %lld", op->a);
		}
		tprintf(t, ")");
		break;
	case OP_SETCRED:
		tprintf(t, "setcred(%s)", op->a ? "uid=gid=1000 groups={2000} caps=0"
			: "root");
		break;
	case OP_MOUNT:
		tprintf(t, "mount(");
		put_path_arg(t, op, 1);
		tprintf(t, ", ");
		put_path_arg(t, op, 2);
		if (mount_fstypes[op->c])
			tprintf(t, ", \"%s\", ", mount_fstypes[op->c]);
		else
			tprintf(t, ", NULL, ");
		put_flags(t, op->a, ms_names, ARRAY_SIZE(ms_names));
		if (mount_datas[op->b])
			tprintf(t, ", \"%s\")", mount_datas[op->b]);
		else
			tprintf(t, ", NULL)");
		break;
	case OP_UMOUNT2:
		tprintf(t, "umount2(");
		put_path_arg(t, op, 1);
		tprintf(t, ", ");
		put_flags(t, op->flags, umount_names, ARRAY_SIZE(umount_names));
		tprintf(t, ")%s", op->flags & MNT_EXPIRE ?
			" twice, then stat" : "");
		break;
	case OP_UNSHARE:
		tprintf(t, "unshare(");
		put_flags(t, op->flags, clone_names, ARRAY_SIZE(clone_names));
		tprintf(t, ")");
		break;
	case OP_CHROOT:
		tprintf(t, "chroot(");
		put_path_arg(t, op, 1);
		tprintf(t, ")");
		break;
	case OP_PIVOT_ROOT:
		tprintf(t, "pivot_root(");
		put_path_arg(t, op, 1);
		tprintf(t, ", ");
		put_path_arg(t, op, 2);
		tprintf(t, ")");
		break;
	case OP_OPENAT2:
		tprintf(t, "openat2(");
		put_fd_arg(t, op->fd);
		tprintf(t, ", ");
		put_path_arg(t, op, 1);
		tprintf(t, ", {");
		put_open_flags(t, op->flags);
		tprintf(t, ", %04o, ", op->mode);
		put_flags(t, op->a, resolve_names, ARRAY_SIZE(resolve_names));
		tprintf(t, "}, %lld%s)", op->b, op->c ? " [tail not zero]" : "");
		break;
	case OP_MOUNTINFO:
		tprintf(t, "mountinfo() [cwd, fd paths, /proc/self/mountinfo]");
		break;
	case OP_CHECK:
		tprintf(t, "check() [setcred(root), compare fd table and whole tree]");
		break;
	}
}

static void put_ret(struct text *t, long long r)
{
	if (r < 0)
		tprintf(t, "-1 %s", errname(-r));
	else
		tprintf(t, "%lld", r);
}

/* ------------------------------------------------------------------ */
/* The generator: arguments drawn from the kernel side's live state.    */

struct ventry {
	char *path;
	mode_t type;
	int depth;
};

struct vfd {
	int fd;
	mode_t type;		/* 0 if fstat failed */
	int fl;
	bool has_path;
	char path[PATH_BUF];
};

struct gen {
	struct rng rng;
	struct side *k;
	struct ventry *e;
	int n, cap;
	bool tree_stale;
	struct vfd *fds;	/* FD_SCAN + 1 */
	int nfd;
	bool cwd_ok;
	char cwd[PATH_BUF];
	char long255[256];
	char long256[257];
	/* --mounts: the kernel side's mount table, as the task sees it */
	struct runner *rn;
	bool mounts;
	int nmnt;
	struct gmount {
		char mp[PATH_BUF];	/* mount point, from the task's root */
		bool proc;
	} *mnts;
};

static void view_add(struct gen *g, const char *path, mode_t type, int depth)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->e = realloc(g->e, sizeof(*g->e) * g->cap);
	}
	g->e[g->n].path = strdup(path);
	g->e[g->n].type = type & S_IFMT;
	g->e[g->n].depth = depth;
	g->n++;
}

static int path_depth(const char *p)
{
	int d = 0;

	for (; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			d++;
	return d;
}

static void view_walk(struct gen *g, const char *path, int depth)
{
	struct stat st;
	char **names;
	int nn, fd;

	if (g->n >= WALK_ENTRIES ||
	    s_fstatat(g->k, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    is_proc_dir(g->k, path, &st))
		return;
	view_add(g, path, st.st_mode, path_depth(path));
	if (!S_ISDIR(st.st_mode) || depth >= WALK_DEPTH)
		return;
	fd = s_openat(g->k, AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (fd < 0)
		return;
	read_dir(g->k, fd, 32768, &names, &nn);
	s_close(g->k, fd);
	for (int i = 0; i < nn; i++) {
		char child[PATH_BUF];

		*strrchr(names[i], ':') = '\0';
		if (snprintf(child, sizeof(child), "%s/%s",
			     strcmp(path, "/") ? path : "", names[i]) <
		    (int)sizeof(child))
			view_walk(g, child, depth + 1);
	}
	free_names(names, nn);
}

/* Undoes mountinfo's \ooo escapes. */
static void mi_unescape(char *out, size_t size, const char *in)
{
	size_t o = 0;

	while (*in && o + 1 < size) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '7' &&
		    in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
			out[o++] = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 +
					  (in[3] - '0'));
			in += 4;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

/* The mount points the kernel side's task sees (--mounts). */
static void mounts_refresh(struct gen *g)
{
	struct mi_line *l;
	char *copy;
	int n;

	read_mountinfo(g->rn, g->k);
	copy = strdup(g->k->mi.s);
	n = copy[0] == '!' ? 0 : mi_parse(copy, &l);
	g->nmnt = 0;
	for (int i = 0; i < n; i++) {
		struct gmount *m;

		if (l[i].ntok < 5 || i >= MOUNT_LIST_MAX)
			continue;
		m = &g->mnts[g->nmnt++];
		mi_unescape(m->mp, sizeof(m->mp), l[i].tok[4]);
		m->proc = l[i].dash + 1 < l[i].ntok &&
			!strcmp(l[i].tok[l[i].dash + 1], "proc");
	}
	if (n)
		free(l);
	free(copy);
}

static void view_refresh(struct gen *g)
{
	if (g->tree_stale) {
		for (int i = 0; i < g->n; i++)
			free(g->e[i].path);
		g->n = 0;
		view_walk(g, "/", 0);
		if (g->mounts)
			mounts_refresh(g);
		g->tree_stale = false;
	}
	g->nfd = 0;
	for (int fd = 0; fd <= 1023; fd++) {
		struct vfd *v;
		struct stat st;
		ssize_t n;

		if (fd == FD_SCAN)
			fd = 1023;
		if (s_fcntl(g->k, fd, F_GETFD, 0) < 0)
			continue;
		v = &g->fds[g->nfd++];
		v->fd = fd;
		v->fl = s_fcntl(g->k, fd, F_GETFL, 0);
		v->type = s_fstat(g->k, fd, &st) == 0 ? st.st_mode & S_IFMT : 0;
		n = s_fd_path(g->k, fd, v->path, sizeof(v->path) - 1);
		v->has_path = n > 0 && v->path[0] == '/';
		if (n >= 0)
			v->path[n] = '\0';
		if (v->has_path && strstr(v->path, " (deleted)"))
			v->has_path = false;
	}
	g->cwd_ok = s_getcwd(g->k, g->cwd, sizeof(g->cwd)) > 0 &&
		g->cwd[0] == '/';
}

/* A random existing entry, of @type if there is one (0: any type). */
static const struct ventry *pick_entry(struct gen *g, mode_t type)
{
	int cnt = 0, k;

	if (type) {
		for (int i = 0; i < g->n; i++)
			cnt += g->e[i].type == type;
	}
	if (!cnt)
		return g->n ? &g->e[rn(&g->rng, g->n)] : NULL;
	k = (int)rn(&g->rng, cnt);
	for (int i = 0; i < g->n; i++)
		if (g->e[i].type == type && k-- == 0)
			return &g->e[i];
	return NULL;
}

enum { ACC_ANY, ACC_READ, ACC_WRITE };

static bool fd_fits(const struct vfd *v, mode_t type, int acc)
{
	int mode = v->fl & O_ACCMODE;

	if (type && v->type != type)
		return false;
	if (acc != ACC_ANY && (v->fl < 0 || (v->fl & O_PATH)))
		return false;
	if (acc == ACC_READ)
		return mode == O_RDONLY || mode == O_RDWR;
	if (acc == ACC_WRITE)
		return mode == O_WRONLY || mode == O_RDWR;
	return true;
}

/* A live fd, preferably of @type and usable for @acc; sometimes a bad
 * one. */
static int pick_fd_acc(struct gen *g, mode_t type, int acc)
{
	static const int bad[] = { -1, 77, 1024, AT_FDCWD, 63 };
	int cnt = 0, k;

	if (!g->nfd || chance(&g->rng, 8))
		return PICK(&g->rng, bad);
	if ((type || acc) && chance(&g->rng, 85)) {
		for (int i = 0; i < g->nfd; i++)
			cnt += fd_fits(&g->fds[i], type, acc);
	}
	if (!cnt)
		return g->fds[rn(&g->rng, g->nfd)].fd;
	k = (int)rn(&g->rng, cnt);
	for (int i = 0; i < g->nfd; i++)
		if (fd_fits(&g->fds[i], type, acc) && k-- == 0)
			return g->fds[i].fd;
	return g->fds[0].fd;
}

static int pick_fd(struct gen *g, mode_t type)
{
	return pick_fd_acc(g, type, ACC_ANY);
}

static const struct vfd *find_fd(struct gen *g, int fd)
{
	for (int i = 0; i < g->nfd; i++)
		if (g->fds[i].fd == fd)
			return &g->fds[i];
	return NULL;
}

static void new_name(struct gen *g, char *out, size_t size)
{
	static const char *const names[] = { "a", "b", "c", "d" };
	unsigned r = rn(&g->rng, 100);

	if (r < 84)
		snprintf(out, size, "%s", PICK(&g->rng, names));
	else if (r < 90)
		snprintf(out, size, "%s", g->long255);
	else if (r < 92)
		snprintf(out, size, "%s", g->long256);
	else if (r < 96)
		snprintf(out, size, ".");
	else
		snprintf(out, size, "..");
}

static void join(char *out, size_t size, const char *dir, const char *name)
{
	snprintf(out, size, "%s/%s", strcmp(dir, "/") ? dir : "", name);
}

/* The path from directory @base to @target, both absolute and canonical. */
static void rel_path(const char *base, const char *target, char *out,
		     size_t size)
{
	const char *b = base, *t = target;
	const char *bc = base, *tc = target;	/* end of common prefix */
	size_t len = 0;

	/* find the last common component boundary */
	while (*b && *t && *b == *t) {
		b++;
		t++;
		if ((*b == '/' || !*b) && (*t == '/' || !*t)) {
			bc = b;
			tc = t;
		}
	}
	if (!strcmp(base, "/")) {
		bc = base + 1;
		tc = target;
	}
	out[0] = '\0';
	for (const char *p = bc; *p; p++) {
		if (*p == '/' && p[1]) {
			len += (size_t)snprintf(out + len, size - len, "%s..",
						len ? "/" : "");
			if (len >= size)
				return;
		}
	}
	while (*tc == '/')
		tc++;
	if (*tc)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					len ? "/" : "", tc);
	if (len == 0)
		snprintf(out, size, ".");
}

/* Garbage paths: missing parents, empty, too long. */
static void garbage_path(struct gen *g, char *out, size_t size)
{
	unsigned r = rn(&g->rng, 8);
	size_t i;

	switch (r) {
	case 0: snprintf(out, size, "/nonexistent"); break;
	case 1: snprintf(out, size, "/a/b/c/d/e/f"); break;
	case 2: snprintf(out, size, "%s", ""); break;
	case 3: snprintf(out, size, "//a//b/"); break;
	case 4: snprintf(out, size, "/../../a"); break;
	case 5: snprintf(out, size, "%s", g->long256); break;
	case 6: /* PATH_MAX exceeded: "./" 2100 times */
		for (i = 0; i + 2 < size && i < 4200; i += 2)
			memcpy(out + i, "./", 2);
		out[i] = '\0';
		break;
	default: snprintf(out, size, "a/../../b"); break;
	}
}

enum want { W_ANY, W_DIR, W_REG, W_LNK, W_NEW };

/*
 * An absolute target for @want: an existing entry, or a new name in an
 * existing directory at most MAX_DEPTH - 1 deep.  Returns false for
 * garbage (then @out is a garbage path, not absolute).
 */
static bool gen_target(struct gen *g, enum want want, char *out)
{
	const struct ventry *e;
	char name[300];

	if (chance(&g->rng, 5)) {
		garbage_path(g, out, PATH_BUF);
		return false;
	}
	if (want == W_ANY && chance(&g->rng, 15))
		want = W_NEW;
	if (want == W_NEW) {
		for (int tries = 0; tries < 8; tries++) {
			e = pick_entry(g, S_IFDIR);
			if (e && e->depth < MAX_DEPTH)
				break;
		}
		new_name(g, name, sizeof(name));
		join(out, PATH_BUF, e ? e->path : "/", name);
		return true;
	}
	e = pick_entry(g, chance(&g->rng, 15) ? 0 :
		       want == W_DIR ? S_IFDIR : want == W_REG ? S_IFREG :
		       want == W_LNK ? S_IFLNK : 0);
	snprintf(out, PATH_BUF, "%s", e ? e->path : "/");
	return true;
}

/*
 * How @target is spelled: absolute (with a dirfd that must be ignored),
 * relative to the cwd or relative to an open fd; then decorated.
 */
static void form_path(struct gen *g, const char *target, bool absolute_ok,
		      char *out, int *dirfd)
{
	unsigned r = rn(&g->rng, 10);
	const struct vfd *base = NULL;
	char tmp[PATH_BUF];
	size_t len;

	*dirfd = AT_FDCWD;
	if (!absolute_ok || target[0] != '/') {
		snprintf(out, PATH_BUF, "%s", target);
		if (chance(&g->rng, 10) && g->nfd)
			*dirfd = pick_fd(g, S_IFDIR);
		return;
	}
	if (r >= 8 && g->nfd) {
		int fd = pick_fd(g, S_IFDIR);

		base = find_fd(g, fd);
		if (base && base->has_path) {
			rel_path(base->path, target, out, PATH_BUF);
			*dirfd = fd;
		} else {
			snprintf(out, PATH_BUF, "%s", target);
			*dirfd = fd;
		}
	} else if (r >= 4 && g->cwd_ok) {
		rel_path(g->cwd, target, out, PATH_BUF);
	} else {
		snprintf(out, PATH_BUF, "%s", target);
		if (chance(&g->rng, 25))
			*dirfd = pick_fd(g, 0);
	}
	/* decorations */
	len = strlen(out);
	if (chance(&g->rng, 4) && len + 2 < PATH_BUF) {
		out[len++] = '/';
		out[len] = '\0';
	}
	if (chance(&g->rng, 3) && out[0] != '/') {
		snprintf(tmp, sizeof(tmp), "./%s", out);
		snprintf(out, PATH_BUF, "%s", tmp);
	}
	if (chance(&g->rng, 3)) {
		char *slash = strrchr(out, '/');

		if (slash && slash != out && slash[1]) {
			snprintf(tmp, sizeof(tmp), "%.*s/.%s",
				 (int)(slash - out), out, slash);
			snprintf(out, PATH_BUF, "%s", tmp);
		}
	}
}

static void gen_path(struct gen *g, enum want want, char *out, int *dirfd,
		     char *abs_out)
{
	char target[PATH_BUF];
	bool ok = gen_target(g, want, target);

	if (abs_out)
		snprintf(abs_out, PATH_BUF, "%s", ok ? target : "");
	form_path(g, target, true, out, dirfd);
}

/* A symlink target for a link to be created at absolute @link. */
static void gen_symlink_target(struct gen *g, const char *link, char *out)
{
	unsigned r = rn(&g->rng, 100);
	const struct ventry *e = pick_entry(g, 0);
	char parent[PATH_BUF];
	char *slash;

	snprintf(parent, sizeof(parent), "%s", link[0] == '/' ? link : "/");
	slash = strrchr(parent, '/');
	if (slash == parent)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	if (r < 33 && e) {
		snprintf(out, PATH_BUF, "%s", e->path);
	} else if (r < 63 && e) {
		rel_path(parent, e->path, out, PATH_BUF);
	} else if (r < 78) {
		snprintf(out, PATH_BUF, "%s", chance(&g->rng, 50) ?
			 "nonexistent" : "/no/such/file");
	} else if (r < 90) {
		static const char *const up[] = { "..", "../a", "../../b",
			"./c/..", "a/../b" };
		snprintf(out, PATH_BUF, "%s", PICK(&g->rng, up));
	} else if (r < 96) {
		const char *base = strrchr(link, '/');

		snprintf(out, PATH_BUF, "%s", base ? base + 1 : link);	/* loop */
	} else if (r < 98) {
		snprintf(out, PATH_BUF, "%s", "");
	} else {
		memset(out, 'y', 4096);		/* target too long */
		out[4096] = '\0';
	}
}

static long long pick_ll(struct rng *r, const long long *v, size_t n)
{
	return v[rn(r, (unsigned)n)];
}
#define PICKLL(r, arr) pick_ll((r), (arr), ARRAY_SIZE(arr))

static const long long offsets[] = { 0, 0, 0, 1, 100, 4095, 4096, 8192,
	12345, 1 << 20, 1LL << 40, -1, LLONG_MAX - 10 };
static const long long lengths[] = { 0, 1, 7, 100, 512, 4096, 4097, 10000,
	65539 };
static const long long counts[] = { 0, 1, 100, 4096, 10000, 70000 };
static const long long sizes[] = { 0, 0, 1, 100, 4095, 4096, 5000, 1 << 20,
	1LL << 40, -1, LLONG_MAX };

static void gen_open(struct gen *g, struct op *op)
{
	static const unsigned modes[] = { 0644, 0644, 0600, 0777, 0, 04755,
		02755, 01777, S_IFDIR | 0644 };
	static const int acc[] = { O_RDONLY, O_RDONLY, O_WRONLY, O_RDWR,
		O_RDWR, 3 };
	struct stat st;
	unsigned r = rn(&g->rng, 100);
	int f;

	f = PICK(&g->rng, acc);
	if (r < 38) {
		gen_path(g, W_NEW, op->p1, &op->fd, NULL);
		f |= O_CREAT;
		if (chance(&g->rng, 35))
			f |= O_EXCL;
	} else if (r < 78) {
		gen_path(g, chance(&g->rng, 50) ? W_REG : W_ANY, op->p1,
			 &op->fd, NULL);
	} else if (r < 88) {
		gen_path(g, W_DIR, op->p1, &op->fd, NULL);
		f = O_RDONLY | (chance(&g->rng, 50) ? O_DIRECTORY : 0);
	} else if (r < 96) {
		gen_path(g, W_DIR, op->p1, &op->fd, NULL);
		f = O_TMPFILE | (chance(&g->rng, 50) ? O_WRONLY : O_RDWR);
		if (chance(&g->rng, 10))
			f = O_TMPFILE;			/* EINVAL */
		if (chance(&g->rng, 25))
			f |= O_EXCL;
	} else {
		gen_path(g, W_ANY, op->p1, &op->fd, NULL);
		f |= O_PATH;
	}
	if (chance(&g->rng, 15))
		f |= O_TRUNC;
	if (chance(&g->rng, 15))
		f |= O_APPEND;
	if (chance(&g->rng, 10))
		f |= O_DIRECTORY;
	if (chance(&g->rng, 10))
		f |= O_NOFOLLOW;
	if (chance(&g->rng, 20))
		f |= O_CLOEXEC;
	if (chance(&g->rng, 15))
		f |= O_NONBLOCK;
	if (chance(&g->rng, 3))
		f |= O_NOATIME;
	if (chance(&g->rng, 3))
		f |= O_SYNC;
	if (chance(&g->rng, 2))
		f |= O_DSYNC;
	if (chance(&g->rng, 2))
		f |= 0x40000000;	/* no such flag: openat ignores it */
	/* a FIFO is opened without blocking most of the time */
	if (s_fstatat(g->k, op->fd, op->p1, &st,
		      (f & O_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0) == 0 &&
	    S_ISFIFO(st.st_mode) && chance(&g->rng, 85))
		f |= O_NONBLOCK;
	op->flags = f;
	op->mode = PICK(&g->rng, modes);
}

/* A mount point (spelled from the cwd or absolute), else a directory. */
static void gen_mount_target(struct gen *g, char *out, bool allow_proc,
			     char *abs_out)
{
	char target[PATH_BUF];
	int dirfd, cnt = 0, k;

	for (int i = 0; i < g->nmnt; i++)
		cnt += allow_proc || !g->mnts[i].proc;
	if (!cnt || chance(&g->rng, 15)) {
		gen_path(g, W_DIR, out, &dirfd, abs_out);
		return;
	}
	k = (int)rn(&g->rng, cnt);
	for (int i = 0; i < g->nmnt; i++) {
		if ((allow_proc || !g->mnts[i].proc) && k-- == 0) {
			snprintf(target, sizeof(target), "%s", g->mnts[i].mp);
			break;
		}
	}
	if (abs_out)
		snprintf(abs_out, PATH_BUF, "%s", target);
	form_path(g, target, true, out, &dirfd);
}

/* The per-mount flags of a new mount or a remount. */
static unsigned long gen_mnt_flags(struct rng *r)
{
	static const unsigned long atime[] = { 0, 0, 0, MS_NOATIME,
		MS_RELATIME, MS_STRICTATIME, MS_NODIRATIME,
		MS_NOATIME | MS_NODIRATIME };
	unsigned long f = PICK(r, atime);

	if (chance(r, 20))
		f |= MS_RDONLY;
	if (chance(r, 15))
		f |= MS_NOSUID;
	if (chance(r, 10))
		f |= MS_NODEV;
	if (chance(r, 10))
		f |= MS_NOEXEC;
	return f;
}

/*
 * mount(2): new tmpfs (now and then proc, an unknown type or none), bind
 * and recursive bind, move, remount with and without MS_BIND, and
 * propagation changes.  op->c indexes mount_fstypes, op->b mount_datas,
 * op->a holds the flags.  Nothing that adds mounts past MOUNT_CAP.
 */
static void gen_mount(struct gen *g, struct op *op)
{
	static const unsigned long prop[] = { MS_SHARED, MS_SHARED,
		MS_PRIVATE, MS_SLAVE, MS_SLAVE, MS_UNBINDABLE };
	static const char *const sources[] = { "t1", "t2", "none" };
	struct rng *r = &g->rng;
	unsigned x = rn(r, 100);
	int dirfd;

	if (g->nmnt >= MOUNT_CAP && x < 45)
		x = 45 + rn(r, 55);
	if (x < 25) {				/* new mount */
		unsigned t = rn(r, 100);

		op->c = t < 88 ? 1 : t < 93 ? 2 : t < 97 ? 3 : 0;
		snprintf(op->p1, PATH_BUF, "%s", op->c == 2 ? "proc" :
			 PICK(r, sources));
		gen_path(g, W_DIR, op->p2, &dirfd, NULL);
		op->a = (long long)gen_mnt_flags(r);
		op->b = op->c == 1 ? rn(r, ARRAY_SIZE(mount_datas)) : 0;
		if (op->b == 6 && chance(r, 50))
			op->b = 0;
	} else if (x < 45) {			/* bind, recursive bind */
		bool file = chance(r, 15);

		op->a = MS_BIND;
		if (g->nmnt < RBIND_CAP && chance(r, 40))
			op->a |= MS_REC;
		if (!file && chance(r, 25))
			gen_mount_target(g, op->p1, true, NULL);
		else
			gen_path(g, file ? W_REG : W_DIR, op->p1, &dirfd, NULL);
		if (chance(r, 10))
			file = !file;
		gen_path(g, file ? W_REG : W_DIR, op->p2, &dirfd, NULL);
		if (chance(r, 10))
			op->a |= MS_RDONLY;	/* ignored by a bind */
	} else if (x < 55) {			/* move */
		op->a = MS_MOVE;
		gen_mount_target(g, op->p1, true, NULL);
		gen_path(g, W_DIR, op->p2, &dirfd, NULL);
	} else if (x < 70) {			/* remount */
		op->a = MS_REMOUNT | gen_mnt_flags(r);
		if (chance(r, 60))
			op->a |= MS_BIND;
		else if (chance(r, 20))
			op->b = 1 + rn(r, 3);	/* tmpfs options */
		op->p1_null = chance(r, 80);
		gen_mount_target(g, op->p2, false, NULL);
	} else if (x < 95) {			/* propagation */
		op->a = PICK(r, prop);
		if (chance(r, 40))
			op->a |= MS_REC;
		op->p1_null = chance(r, 80);
		if (chance(r, 4))
			op->a |= MS_PRIVATE;	/* two types: EINVAL */
		gen_mount_target(g, op->p2, true, NULL);
	} else {				/* flag mixes */
		static const unsigned long bad[] = { MS_NOUSER,
			MS_BIND | MS_MOVE, MS_MOVE | MS_SHARED,
			MS_REMOUNT | MS_SHARED, MS_SHARED | MS_RDONLY,
			MS_BIND | MS_SHARED };

		op->a = PICK(r, bad);
		gen_mount_target(g, op->p1, true, NULL);
		gen_mount_target(g, op->p2, true, NULL);
		op->c = 1;
	}
	op->fd = AT_FDCWD;
}

static void gen_umount(struct gen *g, struct op *op)
{
	static const int fl[] = { 0, 0, 0, 0, MNT_DETACH, MNT_DETACH,
		MNT_DETACH, MNT_EXPIRE, MNT_EXPIRE, UMOUNT_NOFOLLOW, MNT_FORCE,
		MNT_EXPIRE | MNT_DETACH, 0x10 };
	int dirfd;

	op->flags = PICK(&g->rng, fl);
	if (chance(&g->rng, 85))
		gen_mount_target(g, op->p1, true, NULL);
	else
		gen_path(g, W_ANY, op->p1, &dirfd, NULL);
	op->fd = AT_FDCWD;
}

static void gen_pivot_root(struct gen *g, struct op *op)
{
	unsigned x = rn(&g->rng, 100);
	char nr[PATH_BUF];
	int dirfd;

	op->fd = AT_FDCWD;
	if (x < 15) {
		snprintf(op->p1, PATH_BUF, ".");
		snprintf(op->p2, PATH_BUF, ".");
		return;
	}
	gen_mount_target(g, op->p1, false, nr);
	if (x < 40) {
		snprintf(op->p2, PATH_BUF, "%s", op->p1);
		return;
	}
	if (x < 80 && nr[0] == '/') {
		/* a directory under the new root */
		size_t len = strlen(nr);

		for (int tries = 0; tries < 12; tries++) {
			const struct ventry *e = pick_entry(g, S_IFDIR);

			if (e && (!strcmp(nr, "/") ||
				  (!strncmp(e->path, nr, len) &&
				   e->path[len] == '/'))) {
				snprintf(op->p2, PATH_BUF, "%s", e->path);
				return;
			}
		}
	}
	gen_path(g, W_DIR, op->p2, &dirfd, NULL);
}

/* openat2: openat's arguments, then RESOLVE_* flags, scoped walks from an
 * open directory, proc's magic links, and struct sizes. */
static void gen_openat2(struct gen *g, struct op *op)
{
	static const char *const magic[] = { "self/cwd", "self/root",
		"self/fd/0", "self/fd/1", "self/fd/2", "self/fd/3",
		"self/fd/4", "self/fd/5", "self/fd/6", "self/fd/7" };
	static const long long how_sizes[] = { 24, 24, 24, 24, 24, 24, 24,
		24, 16, 32, 32 };
	struct rng *r = &g->rng;
	long long res = 0;

	gen_open(g, op);
	if (!(op->flags & (O_CREAT | O_TMPFILE)) && chance(r, 90))
		op->mode = 0;
	else if (chance(r, 50))
		op->mode &= 07777;
	if (chance(r, 20))
		res |= RESOLVE_NO_XDEV;
	if (chance(r, 10))
		res |= RESOLVE_NO_MAGICLINKS;
	if (chance(r, 20))
		res |= RESOLVE_NO_SYMLINKS;
	if (chance(r, 25))
		res |= RESOLVE_BENEATH;
	else if (chance(r, 20))
		res |= RESOLVE_IN_ROOT;
	if (chance(r, 3))
		res |= RESOLVE_BENEATH | RESOLVE_IN_ROOT;	/* EINVAL */
	if (chance(r, 10))
		res |= RESOLVE_CACHED;
	if (chance(r, 2))
		res |= 0x40;					/* EINVAL */
	op->a = res;
	op->b = PICKLL(r, how_sizes);
	op->c = op->b == 32 && chance(r, 50);
	if (chance(r, 8)) {
		op->fd = HIDDEN_PROC_FD;
		snprintf(op->p1, PATH_BUF, "%s", PICK(r, magic));
		op->flags &= ~(O_CREAT | O_TMPFILE | O_EXCL);
	} else if ((res & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) &&
		   chance(r, 60) && g->nfd) {
		const struct vfd *base = find_fd(g, pick_fd(g, S_IFDIR));
		const struct ventry *e = pick_entry(g, 0);

		if (base && base->has_path && e) {
			op->fd = base->fd;
			rel_path(base->path, e->path, op->p1, PATH_BUF);
			if (chance(r, 15))
				snprintf(op->p1, PATH_BUF, "%s", e->path);
		}
	}
}

static unsigned op_weight(const struct gen *g, int kind)
{
	return op_weights[kind] + (g->mounts ? mount_op_weights[kind] : 0);
}

static void gen_op(struct gen *g, struct op *op, bool last)
{
	struct rng *r = &g->rng;
	char abs[PATH_BUF];
	unsigned total = 0, k;

	memset(op, 0, offsetof(struct op, p1));
	op->p1[0] = op->p2[0] = '\0';
	op->fd = op->fd2 = AT_FDCWD;
	if (last) {
		op->kind = OP_CHECK;
		return;
	}
	for (int i = 0; i < OP_NKINDS; i++)
		total += op_weight(g, i);
	k = rn(r, total);
	for (op->kind = 0; k >= op_weight(g, op->kind); op->kind++)
		k -= op_weight(g, op->kind);

	switch (op->kind) {
	case OP_OPENAT:
		gen_open(g, op);
		break;
	case OP_CLOSE:
	case OP_FSTAT:
	case OP_DUP:
	case OP_FDPATH:
		op->fd = pick_fd(g, 0);
		break;
	case OP_FCHDIR:
		op->fd = pick_fd(g, S_IFDIR);
		break;
	case OP_READ:
	case OP_PREAD:
		op->fd = pick_fd_acc(g, S_IFREG, ACC_READ);
		op->a = PICKLL(r, counts);
		op->b = PICKLL(r, offsets);
		break;
	case OP_WRITE:
	case OP_PWRITE:
		op->fd = pick_fd_acc(g, S_IFREG, ACC_WRITE);
		op->a = PICKLL(r, lengths);
		op->b = PICKLL(r, offsets);
		op->c = rn(r, 256);
		break;
	case OP_LSEEK: {
		static const int wh[] = { SEEK_SET, SEEK_CUR, SEEK_END,
			SEEK_DATA, SEEK_HOLE, 5 };
		static const long long offs[] = { 0, 1, -1, 100, 4096, 5000,
			1LL << 40, -100 };
		const struct vfd *v;

		op->fd = pick_fd(g, S_IFREG);
		op->flags = PICK(r, wh);
		op->a = PICKLL(r, offs);
		v = find_fd(g, op->fd);
		if (v && v->type == S_IFDIR) {		/* rewind */
			op->flags = SEEK_SET;
			op->a = 0;
		}
		break;
	}
	case OP_FTRUNCATE:
		op->fd = pick_fd_acc(g, S_IFREG, ACC_WRITE);
		op->a = PICKLL(r, sizes);
		break;
	case OP_TRUNCATE:
		gen_path(g, W_REG, op->p1, &op->fd, NULL);
		op->fd = AT_FDCWD;
		op->a = PICKLL(r, sizes);
		break;
	case OP_FALLOCATE: {
		static const int modes[] = { 0, 0, FALLOC_FL_KEEP_SIZE,
			FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			FALLOC_FL_PUNCH_HOLE, FALLOC_FL_ZERO_RANGE,
			FALLOC_FL_COLLAPSE_RANGE };
		static const long long lens[] = { 0, 1, 100, 4096, 10000,
			1 << 20, 1LL << 40, -1 };

		op->fd = pick_fd_acc(g, S_IFREG, ACC_WRITE);
		op->flags = PICK(r, modes);
		op->a = PICKLL(r, offsets);
		op->b = PICKLL(r, lens);
		if (op->a == LLONG_MAX - 10)
			op->a = 0;
		break;
	}
	case OP_MKDIRAT: {
		static const unsigned modes[] = { 0755, 0755, 0700, 0777, 0,
			01777, 02755, 07777, 0555 };

		gen_path(g, W_NEW, op->p1, &op->fd, NULL);
		op->mode = PICK(r, modes);
		break;
	}
	case OP_MKNODAT: {
		static const unsigned types[] = { S_IFIFO, S_IFIFO, S_IFREG,
			S_IFSOCK, 0, S_IFDIR };
		static const unsigned perms[] = { 0644, 0600, 0777, 04755 };

		gen_path(g, W_NEW, op->p1, &op->fd, NULL);
		op->mode = PICK(r, types) | PICK(r, perms);
		break;
	}
	case OP_UNLINKAT: {
		static const int fl[] = { 0, 0, 0, 0, AT_REMOVEDIR,
			AT_REMOVEDIR, AT_REMOVEDIR, 0x1 };

		op->flags = PICK(r, fl);
		gen_path(g, op->flags & AT_REMOVEDIR ? W_DIR : W_ANY, op->p1,
			 &op->fd, NULL);
		break;
	}
	case OP_RENAMEAT2: {
		static const int fl[] = { 0, 0, 0, 0, 0, RENAME_NOREPLACE,
			RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_EXCHANGE,
			RENAME_EXCHANGE, RENAME_WHITEOUT,
			RENAME_EXCHANGE | RENAME_NOREPLACE, 1 << 5 };

		gen_path(g, W_ANY, op->p1, &op->fd, NULL);
		gen_path(g, chance(r, 50) ? W_NEW : W_ANY, op->p2, &op->fd2,
			 NULL);
		op->flags = PICK(r, fl);
		break;
	}
	case OP_LINKAT: {
		unsigned x = rn(r, 100);

		gen_path(g, chance(r, 70) ? W_REG : W_ANY, op->p1, &op->fd,
			 NULL);
		gen_path(g, W_NEW, op->p2, &op->fd2, NULL);
		if (x < 60) {
			op->flags = 0;
		} else if (x < 80) {
			op->flags = AT_SYMLINK_FOLLOW;
		} else if (x < 95) {
			op->flags = AT_EMPTY_PATH;	/* link an open file */
			op->fd = pick_fd(g, S_IFREG);
			op->p1[0] = '\0';
		} else {
			op->flags = 0x2;		/* EINVAL */
		}
		break;
	}
	case OP_SYMLINKAT:
		gen_path(g, W_NEW, op->p2, &op->fd, abs);
		gen_symlink_target(g, abs, op->p1);
		break;
	case OP_READLINKAT: {
		static const long long bs[] = { 0, 1, 5, 4096, 4096 };

		gen_path(g, W_LNK, op->p1, &op->fd, NULL);
		op->a = PICKLL(r, bs);
		break;
	}
	case OP_NEWFSTATAT:
	case OP_STATX: {
		static const int fl[] = { 0, 0, AT_SYMLINK_NOFOLLOW,
			AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_NO_AUTOMOUNT,
			0x40000 };
		static const unsigned masks[] = { STATX_BASIC_STATS,
			STATX_BASIC_STATS, STATX_ALL, 0, STATX_TYPE,
			0x80000000u };

		gen_path(g, W_ANY, op->p1, &op->fd, NULL);
		op->flags = PICK(r, fl);
		if (op->flags == AT_EMPTY_PATH) {
			op->fd = pick_fd(g, 0);
			op->p1[0] = '\0';
		}
		if (op->kind == OP_STATX) {
			op->mode = PICK(r, masks);
			if (chance(r, 10))
				op->flags |= AT_STATX_DONT_SYNC;
		}
		break;
	}
	case OP_GETDENTS: {
		static const long long cnt[] = { 16, 64, 4096, 32768, 32768 };

		op->fd = pick_fd_acc(g, S_IFDIR, ACC_READ);
		op->a = PICKLL(r, cnt);
		break;
	}
	case OP_FCHMODAT: {
		static const unsigned modes[] = { 0, 0644, 0755, 0700, 04755,
			02755, 01777, 07777, 0111, S_IFREG | 0600 };
		static const int fl[] = { 0, 0, 0, 0, 0, AT_SYMLINK_NOFOLLOW,
			AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, 0x1 };

		gen_path(g, W_ANY, op->p1, &op->fd, NULL);
		op->mode = PICK(r, modes);
		op->flags = PICK(r, fl);
		if (op->flags == AT_EMPTY_PATH) {
			op->fd = pick_fd(g, 0);
			op->p1[0] = '\0';
		}
		break;
	}
	case OP_FCHOWNAT: {
		static const long long ids[] = { 0, 1000, 2000, 65534, -1 };
		static const int fl[] = { 0, 0, 0, AT_SYMLINK_NOFOLLOW,
			AT_EMPTY_PATH, 0x1 };

		gen_path(g, W_ANY, op->p1, &op->fd, NULL);
		op->a = PICKLL(r, ids);
		op->b = PICKLL(r, ids);
		op->flags = PICK(r, fl);
		if (op->flags == AT_EMPTY_PATH) {
			op->fd = pick_fd(g, 0);
			op->p1[0] = '\0';
		}
		break;
	}
	case OP_UTIMENSAT: {
		static const int fl[] = { 0, 0, AT_SYMLINK_NOFOLLOW, 0x1 };

		gen_path(g, W_ANY, op->p1, &op->fd, NULL);
		op->a = rn(r, UT_NKINDS);
		op->flags = PICK(r, fl);
		if (chance(r, 10)) {		/* futimens */
			op->p1_null = true;
			op->fd = pick_fd(g, 0);
			op->flags = 0;
		}
		break;
	}
	case OP_FACCESSAT2: {
		static const unsigned modes[] = { F_OK, R_OK, W_OK, X_OK,
			R_OK | W_OK | X_OK, 8 };
		static const int fl[] = { 0, 0, 0, AT_EACCESS,
			AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, 0x1 };

		gen_path(g, W_ANY, op->p1, &op->fd, NULL);
		op->mode = PICK(r, modes);
		op->flags = PICK(r, fl);
		if (op->flags == AT_EMPTY_PATH) {
			op->fd = pick_fd(g, 0);
			op->p1[0] = '\0';
		}
		break;
	}
	case OP_CHDIR:
		gen_path(g, W_DIR, op->p1, &op->fd, NULL);
		op->fd = AT_FDCWD;
		break;
	case OP_GETCWD: {
		static const long long sz[] = { 0, 1, 2, 4096, 4096, 4096 };

		op->a = PICKLL(r, sz);
		break;
	}
	case OP_DUP3: {
		static const int nfd[] = { 0, 1, 2, 3, 4, 5, 7, 10, 63, 1023,
			1024, -1 };
		static const int fl[] = { 0, 0, O_CLOEXEC, 1 };

		op->fd = pick_fd(g, 0);
		op->fd2 = chance(r, 10) ? op->fd : PICK(r, nfd);
		op->flags = PICK(r, fl);
		break;
	}
	case OP_FCNTL: {
		static const int cmds[] = { F_GETFD, F_SETFD, F_GETFL, F_GETFL,
			F_SETFL, F_SETFL, F_DUPFD, F_DUPFD_CLOEXEC, 9999 };
		static const long long fdargs[] = { 0, 3, 10, 100, 1024 };
		static const long long flargs[] = { 0, O_APPEND, O_NONBLOCK,
			O_APPEND | O_NONBLOCK, O_NOATIME, O_RDWR | O_APPEND,
			O_DIRECTORY | O_TRUNC };

		op->fd = pick_fd(g, 0);
		op->flags = PICK(r, cmds);
		if (op->flags == F_SETFD)
			op->a = rn(r, 4);
		else if (op->flags == F_SETFL)
			op->a = PICKLL(r, flargs);
		else if (op->flags == F_DUPFD || op->flags == F_DUPFD_CLOEXEC)
			op->a = PICKLL(r, fdargs);
		break;
	}
	case OP_UMASK: {
		static const unsigned m[] = { 022, 022, 0, 077, 027, 0777,
			01777 };

		op->mode = PICK(r, m);
		break;
	}
	case OP_SETXATTR:
	case OP_GETXATTR:
	case OP_LISTXATTR:
	case OP_REMOVEXATTR: {
		static const long long vlen[] = { 0, 1, 10, 100, 4096, 65536,
			65537 };
		static const long long gsz[] = { 0, 1, 4, 256, 65536, 65536 };
		static const int xfl[] = { 0, 0, 0, XATTR_CREATE,
			XATTR_REPLACE, XATTR_CREATE | XATTR_REPLACE, 4 };
		static const char *const names[] = { "user.a", "user.a",
			"user.b", "user.c", "user.", "trusted.t", "foo.x", "",
			"LONG255", "LONG256" };
		const char *nm = PICK(r, names);
		unsigned v = rn(r, 10);

		op->c = v < 6 ? XV_PATH : v < 8 ? XV_LINK : XV_FD;
		if (op->c == XV_FD) {
			op->fd = pick_fd(g, 0);
		} else {
			gen_path(g, W_ANY, op->p1, &op->fd, NULL);
			op->fd = AT_FDCWD;
		}
		if (!strcmp(nm, "LONG255") || !strcmp(nm, "LONG256")) {
			size_t len = nm[6] == '5' ? 255 : 256;

			memcpy(op->p2, "user.", 5);
			memset(op->p2 + 5, 'n', len - 5);
			op->p2[len] = '\0';
		} else {
			snprintf(op->p2, PATH_BUF, "%s", nm);
		}
		if (op->kind == OP_SETXATTR) {
			op->a = PICKLL(r, vlen);
			op->b = rn(r, 256);
			op->flags = PICK(r, xfl);
		} else if (op->kind != OP_REMOVEXATTR) {
			op->a = PICKLL(r, gsz);
		}
		break;
	}
	case OP_SETCRED:
		op->a = chance(r, 50);
		break;
	case OP_MOUNT:
		gen_mount(g, op);
		break;
	case OP_UMOUNT2:
		gen_umount(g, op);
		break;
	case OP_UNSHARE: {
		static const int fl[] = { CLONE_NEWNS, CLONE_NEWNS, CLONE_NEWNS,
			CLONE_NEWNS, CLONE_NEWNS | CLONE_FS, CLONE_FS,
			CLONE_FILES };

		op->flags = PICK(r, fl);
		break;
	}
	case OP_CHROOT:
		gen_path(g, W_DIR, op->p1, &op->fd, NULL);
		op->fd = AT_FDCWD;
		break;
	case OP_PIVOT_ROOT:
		gen_pivot_root(g, op);
		break;
	case OP_OPENAT2:
		gen_openat2(g, op);
		break;
	case OP_MOUNTINFO:
	case OP_CHECK:
		break;
	}
}

/* Ops that can change the tree the generator samples. */
static bool op_changes_tree(const struct op *op)
{
	switch (op->kind) {
	case OP_OPENAT: case OP_MKDIRAT: case OP_MKNODAT: case OP_UNLINKAT:
	case OP_RENAMEAT2: case OP_LINKAT: case OP_SYMLINKAT:
	case OP_FCHMODAT: case OP_FCHOWNAT: case OP_SETCRED: case OP_CHECK:
	case OP_MOUNT: case OP_UMOUNT2: case OP_UNSHARE: case OP_CHROOT:
	case OP_PIVOT_ROOT: case OP_OPENAT2:
		return true;
	default:
		return false;
	}
}

/* ------------------------------------------------------------------ */
/* Exclusions: the only places where an op is not compared as is.      */

/*
 * EXCLUSIONS (kernel-side constraints, never libvfs behaviour):
 *  1. An op that would block the kernel is not run on either side:
 *     opening a FIFO without O_NONBLOCK, O_PATH or O_RDWR, and read/write
 *     on a FIFO fd without O_NONBLOCK.
 *  2. lseek on a directory other than (0, SEEK_SET): a directory offset is
 *     a filesystem-private cookie, not comparable.
 *  3. Spurious kernel ELOOP (shared/notes/differential-testing.md): a path
 *     op that fails with ELOOP on the kernel side only is retried on the
 *     kernel side, up to ELOOP_RETRIES times.
 *  4. Kernel EAGAIN of openat2 with RESOLVE_BENEATH or RESOLVE_IN_ROOT
 *     (a rename or mount anywhere raced the walk) on the kernel side only
 *     is retried with backoff, up to EAGAIN_RETRIES times.
 *  5. openat2 with RESOLVE_CACHED that is EAGAIN on one side only: a walk
 *     through a symlink fails so exactly when the link's atime wants an
 *     update, and whether it does turns on clock ticks (an access within
 *     the tick that set the atime changes nothing), which the two sides
 *     pass at different moments.  The atimes are settled instead: an fd
 *     the op opened is closed (RESOLVE_CACHED never creates), a tick
 *     passes, both sides walk the path without RESOLVE_CACHED (O_PATH,
 *     which only touches atimes), and the op is rerun on both.
 * Returns a reason for skipping @op, or NULL to run it.
 */
static const char *skip_reason(struct side *k, const struct op *op)
{
	struct stat st;
	int fl;

	switch (op->kind) {
	case OP_OPENAT:
		if (op->flags & (O_PATH | O_NONBLOCK) ||
		    (op->flags & O_ACCMODE) == O_RDWR)
			return NULL;
		if (op->p1_null || s_fstatat(k, op->fd, op->p1, &st,
				(op->flags & O_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0))
			return NULL;
		return S_ISFIFO(st.st_mode) ? "would block: FIFO open" : NULL;
	case OP_OPENAT2: {
		/* the same walk (RESOLVE_* scope it), opened O_PATH */
		struct open_how how = { .flags = O_PATH | O_CLOEXEC |
			((unsigned)op->flags & (O_NOFOLLOW | O_DIRECTORY)),
			.resolve = (unsigned long long)op->a };
		int fd;

		if (op->flags & (O_PATH | O_NONBLOCK) ||
		    (op->flags & O_ACCMODE) == O_RDWR)
			return NULL;
		fd = s_openat2(k, op->fd, op->p1, &how, sizeof(how));
		if (fd < 0)
			return NULL;
		fl = s_fstat(k, fd, &st);
		s_close(k, fd);
		return !fl && S_ISFIFO(st.st_mode) ?
			"would block: FIFO open" : NULL;
	}
	case OP_READ:
	case OP_WRITE:
		if (s_fstat(k, op->fd, &st) || !S_ISFIFO(st.st_mode))
			return NULL;
		fl = s_fcntl(k, op->fd, F_GETFL, 0);
		return fl >= 0 && !(fl & O_NONBLOCK) ?
			"would block: FIFO I/O" : NULL;
	case OP_LSEEK:
		if (s_fstat(k, op->fd, &st) || !S_ISDIR(st.st_mode))
			return NULL;
		return op->a == 0 && op->flags == SEEK_SET ? NULL :
			"directory offset is a cookie";
	default:
		return NULL;
	}
}

static bool eloop_retryable(const struct op *op)
{
	switch (op->kind) {
	case OP_CLOSE: case OP_READ: case OP_WRITE: case OP_PREAD:
	case OP_PWRITE: case OP_LSEEK: case OP_FTRUNCATE: case OP_FALLOCATE:
	case OP_FSTAT: case OP_GETDENTS: case OP_FCHDIR: case OP_GETCWD:
	case OP_DUP: case OP_DUP3: case OP_FCNTL: case OP_UMASK:
	case OP_FDPATH: case OP_SETCRED: case OP_CHECK: case OP_UNSHARE:
	case OP_MOUNTINFO:
		return false;
	default:
		return true;
	}
}

/* Scoped openat2 walks fail with EAGAIN when a rename or mount anywhere
 * on the machine races them (shared/notes/differential-testing.md). */
static bool eagain_retryable(const struct op *op)
{
	return op->kind == OP_OPENAT2 &&
		(op->a & (RESOLVE_BENEATH | RESOLVE_IN_ROOT));
}

/* Until the coarse clock, which stamps file times on both sides, moves. */
static void wait_next_tick(void)
{
	struct timespec start, now;

	clock_gettime(CLOCK_REALTIME_COARSE, &start);
	do {
		usleep(500);
		clock_gettime(CLOCK_REALTIME_COARSE, &now);
	} while (now.tv_sec == start.tv_sec && now.tv_nsec == start.tv_nsec);
}

static bool cached_tick_retryable(const struct op *op,
				  const struct op_result *res)
{
	return op->kind == OP_OPENAT2 && (op->a & RESOLVE_CACHED) &&
		(res->kret == -EAGAIN) != (res->vret == -EAGAIN);
}

/* Exclusion 5: undo @ret's open, then walk the op's path as it would
 * without RESOLVE_CACHED, touching the atimes of the links on it. */
static void settle_atimes(struct side *s, const struct op *op, long long ret)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC |
		((unsigned)op->flags & O_NOFOLLOW),
		.resolve = (unsigned long long)op->a & ~RESOLVE_CACHED };
	int fd;

	if (ret >= 0)
		s_close(s, (int)ret);
	fd = s_openat2(s, op->fd, op->p1_null ? NULL : op->p1, &how,
		       sizeof(how));
	if (fd >= 0)
		s_close(s, fd);
}

/* ------------------------------------------------------------------ */
/* The child: set up both sides and run one sequence.                   */

static int setup_kernel_side(struct side *k, bool keep_trace, bool mounts,
			     char *msg, size_t size)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	struct rlimit rl = { 1024, 1024 };
	int pfd;

	if (geteuid() != 0) {
		snprintf(msg, size, "must run as root (euid %u)", geteuid());
		return -1;
	}
	if (syscall(SYS_capget, &hdr, data)) {
		snprintf(msg, size, "capget: %s", strerror(errno));
		return -1;
	}
	k->caps = (uint64_t)data[0].effective |
		((uint64_t)data[1].effective << 32);
	pfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pfd >= 0 && faccessat(pfd, "self/fd", F_OK, 0)) {
		close(pfd);
		pfd = -1;
	}
	if (unshare(CLONE_NEWNS)) {
		snprintf(msg, size, "unshare(CLONE_NEWNS): %s", strerror(errno));
		return -1;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		snprintf(msg, size, "making mounts private: %s", strerror(errno));
		return -1;
	}
	if (mount("diff_kernel", "/tmp", "tmpfs", 0, TMPFS_OPTS ",huge=never")) {
		snprintf(msg, size, "mounting tmpfs on /tmp: %s", strerror(errno));
		return -1;
	}
	if (chdir("/tmp")) {
		snprintf(msg, size, "chdir /tmp: %s", strerror(errno));
		return -1;
	}
	if (syscall(SYS_pivot_root, ".", ".") == 0) {
		if (umount2(".", MNT_DETACH)) {
			snprintf(msg, size, "detaching old root: %s",
				 strerror(errno));
			return -1;
		}
	} else if (chroot(".")) {
		snprintf(msg, size, "pivot_root and chroot: %s", strerror(errno));
		return -1;
	}
	if (chdir("/") || chmod("/", 0755) || chown("/", 0, 0)) {
		snprintf(msg, size, "preparing /: %s", strerror(errno));
		return -1;
	}
	if (mounts) {
		/* its own proc at /proc replaces the host's */
		if (pfd >= 0)
			close(pfd);
		if (mkdir("/proc", 0555) ||
		    mount("proc", "/proc", "proc", 0, NULL)) {
			snprintf(msg, size, "mounting proc: %s", strerror(errno));
			return -1;
		}
		pfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (pfd < 0) {
			snprintf(msg, size, "opening /proc: %s", strerror(errno));
			return -1;
		}
	}
	k->mounts = mounts;
	umask(022);
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		snprintf(msg, size, "RLIMIT_NOFILE: %s", strerror(errno));
		return -1;
	}
	k->procfd = -1;
	if (pfd >= 0) {
		if (dup2(pfd, HIDDEN_PROC_FD) != HIDDEN_PROC_FD) {
			snprintf(msg, size, "dup2: %s", strerror(errno));
			return -1;
		}
		k->procfd = HIDDEN_PROC_FD;
	}
	/* both sides allocate from fd 0 */
	if (keep_trace && dup2(STDOUT_FILENO, TRACE_FD) != TRACE_FD) {
		snprintf(msg, size, "dup2: %s", strerror(errno));
		return -1;
	}
	if (syscall(SYS_close_range, 0, HIDDEN_PROC_FD - 1, 0) ||
	    syscall(SYS_close_range, keep_trace ? TRACE_FD + 1 :
		    HIDDEN_PROC_FD + 1, ~0U, 0)) {
		snprintf(msg, size, "close_range: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * --mounts: the kernel side's root is a tmpfs mounted on a hidden one
 * (rootfs) that the task cannot see; libvfs gets the same shape from a
 * tmpfs mounted on the root of the namespace's own and a chroot into it.  Then proc
 * at /proc, held open at HIDDEN_PROC_FD as on the kernel side.
 */
static int setup_vfs_mounts(struct vfs_task *t, char *msg, size_t size)
{
	int r, fd;

	/* on the base's root, as the kernel side's root is on rootfs's;
	 * "/d/.." steps into it */
	r = vfs_mkdirat(t, AT_FDCWD, "/d", 0755);
	if (!r)
		r = vfs_mount(t, "diff_kernel", "/", "tmpfs", 0, TMPFS_OPTS);
	if (!r)
		r = vfs_chdir(t, "/d/..");
	if (!r)
		r = vfs_chroot(t, ".");
	if (!r)
		r = vfs_mkdirat(t, AT_FDCWD, "/proc", 0555);
	if (!r)
		r = vfs_mount(t, "proc", "/proc", "proc", 0, NULL);
	if (r) {
		snprintf(msg, size, "libvfs root and proc: %d", r);
		return -1;
	}
	fd = vfs_openat(t, AT_FDCWD, "/proc", O_PATH | O_DIRECTORY, 0);
	r = fd < 0 ? fd : vfs_dup3(t, fd, HIDDEN_PROC_FD, 0);
	if (fd >= 0)
		vfs_close(t, fd);
	if (r < 0) {
		snprintf(msg, size, "libvfs /proc handle: %d", r);
		return -1;
	}
	return 0;
}

static int setup_vfs_side(struct side *v, uint64_t caps, bool mounts,
			  char *msg, size_t size)
{
	struct vfs_cred cred = { .caps = caps };
	struct vfs_kernel *kern;
	struct vfs_namespace *ns;
	int r;

	r = vfs_kernel_create(&kern);
	if (r) {
		snprintf(msg, size, "vfs_kernel_create: %d", r);
		return -1;
	}
	r = vfs_namespace_create(kern, "tmpfs", TMPFS_OPTS, &ns);
	vfs_kernel_put(kern);
	if (r) {
		snprintf(msg, size, "vfs_namespace_create: %d", r);
		return -1;
	}
	r = vfs_task_create(ns, &cred, &v->task);
	vfs_namespace_put(ns);
	if (r) {
		snprintf(msg, size, "vfs_task_create: %d", r);
		return -1;
	}
	v->caps = caps;
	v->procfd = -1;
	v->mounts = mounts;
	if (mounts) {
		if (setup_vfs_mounts(v->task, msg, size))
			return -1;
		v->procfd = HIDDEN_PROC_FD;
	}
	return 0;
}

static void text_init(struct text *t, size_t cap)
{
	t->s = malloc(cap);
	t->cap = cap;
	text_reset(t);
}

static void copy_detail(char *dst, const struct text *t)
{
	size_t n = t->len < DETAIL_MAX - 1 ? t->len : DETAIL_MAX - 1;

	memcpy(dst, t->s, n);
	dst[n] = '\0';
}

static void print_verbose(struct runner *rn, int i, const struct op *op,
			  const struct op_result *res, const char *skip)
{
	struct text *t = &rn->scratch;

	text_reset(t);
	tprintf(t, "[%d] ", i);
	op_format(t, op);
	if (skip) {
		tprintf(t, " skipped (%s)\n", skip);
	} else {
		tprintf(t, " = ");
		put_ret(t, res->kret);
		if (res->kret != res->vret) {
			tprintf(t, " | libvfs ");
			put_ret(t, res->vret);
		}
		if (op->kind != OP_CHECK && rn->kt.len)
			tprintf(t, " {%s}", rn->kt.s);
		tprintf(t, "\n");
	}
	if (write(TRACE_FD, t->s, t->len) < 0)
		return;
}

static int run_child(struct shared *sh, int max_ops)
{
	struct op *ops = shared_ops(sh, max_ops);
	struct runner rn = { 0 };
	struct gen g = { 0 };

	signal(SIGALRM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);	/* the kernel side's EPIPE, as libvfs */
	alarm(CHILD_TIMEOUT);
	if (setup_kernel_side(&rn.k, sh->verbose, sh->mounts, sh->setup_msg,
			      sizeof(sh->setup_msg)))
		return CHILD_SETUP_KERNEL;
	if (setup_vfs_side(&rn.v, rn.k.caps, sh->mounts, sh->setup_msg,
			   sizeof(sh->setup_msg)))
		return CHILD_SETUP_VFS;
	rn.mounts = sh->mounts;
	rn.ids.tag = 'M';
	rn.devs.tag = 'D';
	rn.groups.tag = 'G';
	text_init(&rn.k.mi, DETAIL_MAX);
	text_init(&rn.v.mi, DETAIL_MAX);
	sh->fdpath_unavailable = rn.k.procfd < 0;
	rn.buf = malloc(DATA_MAX);
	rn.buf2 = malloc(DATA_MAX);
	text_init(&rn.kt, DETAIL_MAX);
	text_init(&rn.vt, DETAIL_MAX);
	text_init(&rn.scratch, DETAIL_MAX);

	if (sh->generate) {
		g.rng.s = sh->seed * 0x2545f4914f6cdd1dULL + 1;
		g.k = &rn.k;
		g.fds = calloc(FD_SCAN + 1, sizeof(*g.fds));
		g.tree_stale = true;
		memset(g.long255, 'L', 255);
		memset(g.long256, 'M', 256);
		g.rn = &rn;
		g.mounts = sh->mounts;
		g.mnts = calloc(MOUNT_LIST_MAX, sizeof(*g.mnts));
	}
	sh->div_at = -1;
	for (int i = 0; i < sh->nops; i++) {
		struct op *op = &ops[i];
		struct op_result *res = &sh->res[i];
		const char *skip;

		if (sh->generate) {
			view_refresh(&g);
			gen_op(&g, op, i == sh->nops - 1);
		}
		sh->progress = i;
		memset(res, 0, sizeof(*res));
		skip = skip_reason(&rn.k, op);
		if (skip) {
			res->skipped = true;
			sh->skipped++;
			if (sh->verbose)
				print_verbose(&rn, i, op, res, skip);
			continue;
		}
		res->kret = exec_op(&rn, &rn.k, op, &rn.kt);
		res->vret = exec_op(&rn, &rn.v, op, &rn.vt);
		for (int tries = 0; tries < ELOOP_RETRIES &&
		     res->kret == -ELOOP && res->vret != -ELOOP &&
		     eloop_retryable(op); tries++) {
			res->kret = exec_op(&rn, &rn.k, op, &rn.kt);
			res->retried = true;
		}
		for (int tries = 0; tries < EAGAIN_RETRIES &&
		     res->kret == -EAGAIN && res->vret != -EAGAIN &&
		     eagain_retryable(op); tries++) {
			usleep(100u << tries);
			res->kret = exec_op(&rn, &rn.k, op, &rn.kt);
			res->retried = true;
		}
		/* A new symlink's atime is the tick it was made in; walking
		 * it in that same tick leaves it wanting an update, later
		 * not (exclusion 5).  Both sides pass that tick before the
		 * next op, so no later walk of it meets it. */
		if (op->kind == OP_SYMLINKAT &&
		    (res->kret == 0 || res->vret == 0))
			wait_next_tick();
		if (cached_tick_retryable(op, res)) {
			usleep(CLOCK_TICK_WAIT_US);
			settle_atimes(&rn.k, op, res->kret);
			settle_atimes(&rn.v, op, res->vret);
			res->kret = exec_op(&rn, &rn.k, op, &rn.kt);
			res->vret = exec_op(&rn, &rn.v, op, &rn.vt);
			res->retried = true;
		}
		if (rn.k.mi_read && rn.v.mi_read)
			put_mountinfo_pair(&rn);
		sh->executed++;
		if (sh->verbose)
			print_verbose(&rn, i, op, res, NULL);
		if (op_changes_tree(op) || res->kret != res->vret)
			g.tree_stale = true;
		if (res->kret != res->vret || rn.kt.len != rn.vt.len ||
		    memcmp(rn.kt.s, rn.vt.s, rn.kt.len)) {
			copy_detail(sh->kdetail, &rn.kt);
			copy_detail(sh->vdetail, &rn.vt);
			sh->div_at = i;
			return CHILD_DIVERGED;
		}
	}
	return CHILD_OK;
}

/* ------------------------------------------------------------------ */
/* The parent: seeds, reporting, minimization.                          */

struct outcome {
	int status;		/* CHILD_* or -signal */
	int at;			/* diverging/crashing op, -1 */
};

static struct outcome run_sequence(struct shared *sh, int max_ops)
{
	struct outcome o = { CHILD_OK, -1 };
	int status;
	pid_t pid;

	sh->progress = -1;
	sh->executed = 0;
	sh->skipped = 0;
	sh->div_at = -1;
	sh->setup_msg[0] = '\0';
	sh->kdetail[0] = sh->vdetail[0] = '\0';
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("diff_kernel: fork");
		exit(1);
	}
	if (pid == 0)
		_exit(run_child(sh, max_ops));
	if (waitpid(pid, &status, 0) < 0) {
		perror("diff_kernel: waitpid");
		exit(1);
	}
	if (WIFSIGNALED(status)) {
		o.status = -WTERMSIG(status);
		o.at = sh->progress;
	} else {
		o.status = WEXITSTATUS(status);
		o.at = o.status == CHILD_DIVERGED ? sh->div_at : -1;
	}
	return o;
}

static bool is_failure(struct outcome o)
{
	return o.status == CHILD_DIVERGED || o.status < 0;
}

static void print_lines(const char *who, const char *s, int n)
{
	for (int i = 0; i < n; i++) {
		size_t len = strcspn(s, "\n");

		printf("    %s: %.*s%s\n", who, (int)len, s,
		       s[len] ? "" : " <end>");
		if (!s[len])
			return;
		s += len + 1;
	}
}

/* Prints a detail pair; for long ones only the lines around the first
 * difference. */
static void print_details(const char *k, const char *v)
{
	const char *pk = k, *pv = v, *lk = k, *lv = v;
	int line = 0;

	if (strlen(k) < 600 && strlen(v) < 600) {
		printf("    kernel: %s\n    libvfs: %s\n", k, v);
		return;
	}
	while (*pk && *pk == *pv) {
		if (*pk == '\n') {
			lk = pk + 1;
			lv = pv + 1;
			line++;
		}
		pk++;
		pv++;
	}
	printf("    first difference in line %d:\n", line);
	print_lines("kernel", lk, 3);
	print_lines("libvfs", lv, 3);
}

static void print_outcome(struct shared *sh, const struct op *ops,
			  struct outcome o)
{
	struct text t;

	text_init(&t, 3 * PATH_BUF);
	if (o.at >= 0)
		op_format(&t, &ops[o.at]);
	if (o.status < 0) {
		printf("  op %d: %s\n    child killed by signal %s (%s)\n",
		       o.at, t.s, sigabbrev_np(-o.status) ?: "?",
		       -o.status == SIGALRM ? "hang" : "crash; core dump of libvfs?");
	} else {
		printf("  op %d: %s\n    returned: kernel ", o.at, t.s);
		text_reset(&t);
		put_ret(&t, sh->res[o.at].kret);
		tprintf(&t, ", libvfs ");
		put_ret(&t, sh->res[o.at].vret);
		printf("%s%s\n", t.s, sh->res[o.at].retried ?
		       " (kernel retried after ELOOP/EAGAIN)" : "");
		print_details(sh->kdetail, sh->vdetail);
	}
	free(t.s);
}

/*
 * Delta debugging: drop chunks of ops (never the last, diverging one)
 * while a replay still fails at that last op.  Returns the new length.
 */
static int minimize(struct shared *sh, struct op *ops, int len, int max_ops,
		    int budget)
{
	struct op *trial = malloc(sizeof(*trial) * (size_t)len);
	int n = 2, runs = 0;

	while (len > 1 && runs < budget) {
		int body = len - 1, chunk = (body + n - 1) / n;
		bool reduced = false;

		for (int start = 0; start < body && runs < budget;
		     start += chunk) {
			int end = start + chunk < body ? start + chunk : body;
			int tl = 0;
			struct outcome o;

			for (int i = 0; i < len; i++)
				if (i < start || i >= end)
					trial[tl++] = ops[i];
			sh->generate = false;
			sh->nops = tl;
			memcpy(shared_ops(sh, max_ops), trial,
			       sizeof(*trial) * (size_t)tl);
			o = run_sequence(sh, max_ops);
			runs++;
			if (is_failure(o) && o.at == tl - 1) {
				memcpy(ops, trial, sizeof(*trial) * (size_t)tl);
				len = tl;
				n = n > 2 ? n - 1 : 2;
				reduced = true;
				break;
			}
		}
		if (!reduced) {
			if (chunk <= 1)
				break;
			n = n * 2 < body ? n * 2 : body;
		}
	}
	free(trial);
	return len;
}

static void print_reproducer(struct shared *sh, struct op *ops, int len,
			     int max_ops)
{
	struct text t;
	struct outcome o;

	sh->generate = false;
	sh->nops = len;
	memcpy(shared_ops(sh, max_ops), ops, sizeof(*ops) * (size_t)len);
	o = run_sequence(sh, max_ops);
	text_init(&t, 3 * PATH_BUF);
	printf("  minimized reproducer (%d calls, fresh tmpfs, cwd /, umask 022, "
	       "root; kernel results):\n", len);
	for (int i = 0; i < len; i++) {
		text_reset(&t);
		op_format(&t, &ops[i]);
		tprintf(&t, " = ");
		if (sh->res[i].skipped)
			tprintf(&t, "(skipped)");
		else if (i <= o.at || o.at < 0)
			put_ret(&t, sh->res[i].kret);
		else
			tprintf(&t, "(not reached)");
		if (i == o.at && o.status == CHILD_DIVERGED) {
			tprintf(&t, "   <-- libvfs ");
			put_ret(&t, sh->res[i].vret);
		}
		printf("    %s\n", t.s);
	}
	if (o.status == CHILD_DIVERGED)
		print_details(sh->kdetail, sh->vdetail);
	else if (o.status < 0)
		printf("    killed by signal %s at op %d\n",
		       sigabbrev_np(-o.status) ?: "?", o.at);
	free(t.s);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: diff_kernel [--mounts] [--seeds N] [--first S] [--ops M] "
		"[--minimize K]\n"
		"       diff_kernel [--mounts] --seed S [--ops M] [--verbose]\n");
	exit(2);
}

static long long arg_num(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 0);

	if (!*s || *end || v < 0)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	long long seeds = 300, first = 1, nops = 200, minimize_max = 3;
	long long total_ops = 0, passed = 0, failed = 0, minimized = 0;
	bool verbose = false, fdpath_note = false, mounts = false;
	struct shared *sh;
	struct op *saved;
	size_t size;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--verbose")) {
			verbose = true;
			continue;
		}
		if (!strcmp(a, "--mounts")) {
			mounts = true;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (!strcmp(a, "--seeds"))
			seeds = arg_num(argv[++i]);
		else if (!strcmp(a, "--first"))
			first = arg_num(argv[++i]);
		else if (!strcmp(a, "--ops"))
			nops = arg_num(argv[++i]);
		else if (!strcmp(a, "--minimize"))
			minimize_max = arg_num(argv[++i]);
		else if (!strcmp(a, "--seed")) {
			first = arg_num(argv[++i]);
			seeds = 1;
		} else
			usage();
	}
	if (nops < 1 || nops > 100000)
		usage();
	nops++;		/* the final check */
	setvbuf(stdout, NULL, _IOLBF, 0);

	size = sizeof(*sh) + (sizeof(struct op_result) + sizeof(struct op)) *
		(size_t)nops;
	sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		  -1, 0);
	saved = malloc(sizeof(*saved) * (size_t)nops);
	if (sh == MAP_FAILED || !saved) {
		perror("diff_kernel: mmap");
		return 1;
	}
	sh->verbose = verbose;
	sh->mounts = mounts;

	for (long long s = first; s < first + seeds; s++) {
		struct outcome o;

		sh->generate = true;
		sh->nops = (int)nops;
		sh->seed = (uint64_t)s;
		o = run_sequence(sh, (int)nops);
		if (o.status == CHILD_SETUP_KERNEL) {
			printf("diff_kernel: FAIL: cannot set up the kernel side: %s\n",
			       sh->setup_msg);
			return 1;
		}
		if (o.status == CHILD_SETUP_VFS) {
			printf("diff_kernel: FAIL: cannot set up libvfs: %s\n",
			       sh->setup_msg);
			return 1;
		}
		if (sh->fdpath_unavailable && !fdpath_note) {
			printf("diff_kernel: note: no /proc on the host, fd paths "
			       "are not compared\n");
			fdpath_note = true;
		}
		total_ops += sh->executed;
		if (!is_failure(o)) {
			passed++;
			continue;
		}
		failed++;
		printf("diff_kernel: DIVERGENCE seed %lld (rerun: diff_kernel "
		       "--seed %lld --ops %lld --verbose)\n", s, s, nops - 1);
		print_outcome(sh, shared_ops(sh, (int)nops), o);
		if (minimized < minimize_max && o.at >= 0) {
			int len = o.at + 1;

			sh->verbose = false;

			memcpy(saved, shared_ops(sh, (int)nops),
			       sizeof(*saved) * (size_t)len);
			len = minimize(sh, saved, len, (int)nops, 1000);
			print_reproducer(sh, saved, len, (int)nops);
			minimized++;
		}
		sh->verbose = verbose;
	}
	free(saved);
	printf("diff_kernel: %lld ops over %lld seeds, %lld divergences\n",
	       total_ops, seeds, failed);
	printf("%lld passed, %lld failed\n", passed, failed);
	return failed ? 1 : 0;
}
