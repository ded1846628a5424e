// SPDX-License-Identifier: MIT
/*
 * openat2(2) as Linux does it: the struct open_how size rules (EINVAL below
 * OPEN_HOW_SIZE_VER0, E2BIG for non-zero bytes past the known struct or a
 * size over a page), its strict flag, mode and resolve checks, and every
 * RESOLVE_ flag: BENEATH and IN_ROOT (absolute paths, `..`, symlinks, bind
 * mounts and renamed roots), NO_XDEV (mount crossings either way, bind
 * mounts, magic links), NO_SYMLINKS, NO_MAGICLINKS (through a proc mount)
 * and CACHED (EAGAIN where the kernel would leave its cached walk: create,
 * truncate, O_TMPFILE, a name the dcache does not hold, a magic link, a
 * symlink whose atime wants an update, a mountpoint under NO_XDEV).
 * Every expected value was checked against the kernel on a fresh tmpfs
 * made the root of a private mount namespace.
 */
#include <linux/openat2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mount.h>

#include "harness.h"

/* The size of the first struct open_how (Linux's include/linux/fcntl.h;
 * the uapi header does not export it). */
#ifndef OPEN_HOW_SIZE_VER0
#define OPEN_HOW_SIZE_VER0 24
#endif

static int how_open(int dirfd, const char *path, uint64_t flags,
		    uint64_t mode, uint64_t resolve)
{
	struct open_how how = {
		.flags = flags, .mode = mode, .resolve = resolve,
	};

	return vfs_openat2(ht, dirfd, path, &how, sizeof(how));
}

static ino_t fd_ino(int fd)
{
	struct stat st;

	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	return st.st_ino;
}

/* Assert that @fd is open on what @path (followed) names, then close it. */
static void expect_open_on(int fd, const char *path)
{
	struct stat st;

	ck_assert_msg(fd >= 0, "expected an fd on %s, got %d", path, fd);
	h_stat(path, &st);
	ck_assert_uint_eq(fd_ino(fd), st.st_ino);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}

static void mk_symlink(const char *target, const char *path)
{
	int r = vfs_symlinkat(ht, target, AT_FDCWD, path);

	ck_assert_msg(r == 0, "symlink %s -> %s: %d", path, target, r);
}

static int open_dir(const char *path)
{
	return h_open(path, O_PATH | O_DIRECTORY);
}

/*
 * The tree most tests walk: a scope root /r with a file of the same name
 * as one outside it (/f and /r/f), so an escape lands on the wrong inode.
 *   /r/a/b          directories
 *   /r/abs -> /f    /r/up -> ../f    /r/rel -> a/../f   /r/a/up2 -> ../../f
 *   /r/la -> a
 */
static int mk_scope_tree(void)
{
	h_mkdir("/r", 0755);
	h_mkdir("/r/a", 0755);
	h_mkdir("/r/a/b", 0755);
	h_write_file("/r/f", "inside");
	h_write_file("/f", "outside");
	mk_symlink("/f", "/r/abs");
	mk_symlink("../f", "/r/up");
	mk_symlink("a/../f", "/r/rel");
	mk_symlink("../../f", "/r/a/up2");
	mk_symlink("a", "/r/la");
	return open_dir("/r");
}

/* A tmpfs on /r/m holding g, x/, absg -> /r/m/g and up -> ../f. */
static int mk_mount_in_scope(void)
{
	h_mkdir("/r/m", 0755);
	ck_assert_int_eq(vfs_mount(ht, "none", "/r/m", "tmpfs", 0, "size=1m"),
			 0);
	h_mkdir("/r/m/x", 0755);
	h_write_file("/r/m/g", "g");
	mk_symlink("/r/m/g", "/r/m/absg");
	mk_symlink("../f", "/r/m/up");
	return open_dir("/r/m");
}

static void mount_proc(void)
{
	h_mkdir("/proc", 0555);
	ck_assert_int_eq(vfs_mount(ht, "proc", "/proc", "proc", 0, NULL), 0);
}

/* --- core ------------------------------------------------------------- */

START_TEST(test_openat2_plain_open_like_openat)
{
	struct stat st;
	char buf[8];
	int fd;

	fd = how_open(AT_FDCWD, "/g", O_RDWR | O_CREAT, 0640, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_write(ht, fd, "abc", 3), 3);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), 0), 3);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	h_lstat("/g", &st);
	ck_assert_uint_eq(st.st_mode, S_IFREG | 0640);
	ck_assert_int_eq(st.st_size, 3);
	/* The umask applies as it does for openat. */
	fd = how_open(AT_FDCWD, "/g2", O_WRONLY | O_CREAT, 0666, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	h_lstat("/g2", &st);
	ck_assert_uint_eq(st.st_mode, S_IFREG | 0644);
	/* O_TMPFILE takes a mode too, and mode 0 is allowed with it. */
	h_mkdir("/d", 0755);
	fd = how_open(AT_FDCWD, "/d", O_RDWR | O_TMPFILE, 0, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_openat2_size_ver0_and_zero_padded)
{
	struct {
		struct open_how how;
		uint64_t extra[2];
	} big = { { .flags = O_RDONLY }, { 0, 0 } };
	long page = sysconf(_SC_PAGESIZE);
	char *pagebuf;
	int fd;

	h_write_file("/f", "x");
	fd = vfs_openat2(ht, AT_FDCWD, "/f", &big.how, OPEN_HOW_SIZE_VER0);
	expect_open_on(fd, "/f");
	/* A larger struct from a newer caller is fine while the rest is 0. */
	fd = vfs_openat2(ht, AT_FDCWD, "/f", &big.how, 25);
	expect_open_on(fd, "/f");
	fd = vfs_openat2(ht, AT_FDCWD, "/f", &big.how, sizeof(big));
	expect_open_on(fd, "/f");
	/* Bytes beyond @size are not looked at. */
	big.extra[0] = 1;
	fd = vfs_openat2(ht, AT_FDCWD, "/f", &big.how, sizeof(big.how));
	expect_open_on(fd, "/f");
	/* Up to a whole page. */
	pagebuf = calloc(1, (size_t)page);
	ck_assert_ptr_nonnull(pagebuf);
	memcpy(pagebuf, &big.how, sizeof(big.how));
	fd = vfs_openat2(ht, AT_FDCWD, "/f", (struct open_how *)pagebuf,
			 (size_t)page);
	expect_open_on(fd, "/f");
	free(pagebuf);
}
END_TEST

START_TEST(test_openat2_beneath_stays_inside)
{
	int r = mk_scope_tree();
	int fd;

	expect_open_on(how_open(r, "f", O_RDONLY, 0, RESOLVE_BENEATH), "/r/f");
	expect_open_on(how_open(r, "a/../f", O_RDONLY, 0, RESOLVE_BENEATH),
		       "/r/f");
	expect_open_on(how_open(r, "a/b/../../f", O_RDONLY, 0,
				RESOLVE_BENEATH), "/r/f");
	expect_open_on(how_open(r, ".", O_RDONLY, 0, RESOLVE_BENEATH), "/r");
	expect_open_on(how_open(r, "a/..", O_RDONLY, 0, RESOLVE_BENEATH),
		       "/r");
	/* Relative symlinks that stay below the dirfd are followed. */
	expect_open_on(how_open(r, "rel", O_RDONLY, 0, RESOLVE_BENEATH),
		       "/r/f");
	expect_open_on(how_open(r, "la/b", O_RDONLY, 0, RESOLVE_BENEATH),
		       "/r/a/b");
	/* An escaping link that is not followed is opened itself. */
	fd = how_open(r, "abs", O_PATH | O_NOFOLLOW, 0, RESOLVE_BENEATH);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(fd_ino(fd), h_ino("/r/abs"));
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	/* O_CREAT below the dirfd creates there. */
	fd = how_open(r, "newf", O_WRONLY | O_CREAT, 0644, RESOLVE_BENEATH);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(h_lstat_ret("/r/newf"), 0);
	/* AT_FDCWD scopes the walk to the cwd. */
	ck_assert_int_eq(vfs_chdir(ht, "/r/a"), 0);
	expect_open_on(how_open(AT_FDCWD, "..", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/r/a");
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

START_TEST(test_openat2_in_root_clamps_at_dirfd)
{
	int r = mk_scope_tree();
	int m = mk_mount_in_scope();

	expect_open_on(how_open(r, "/f", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/r/f");
	expect_open_on(how_open(r, "../../f", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/r/f");
	expect_open_on(how_open(r, "..", O_RDONLY, 0, RESOLVE_IN_ROOT), "/r");
	expect_open_on(how_open(r, "/", O_RDONLY, 0, RESOLVE_IN_ROOT), "/r");
	/* Symlinks resolve inside the dirfd: absolute ones from it. */
	expect_open_on(how_open(r, "abs", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/r/f");
	expect_open_on(how_open(r, "up", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/r/f");
	expect_open_on(how_open(r, "a/up2", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/r/f");
	/* ...also from inside a mount below it. */
	expect_open_on(how_open(r, "m/up", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/r/f");
	expect_open_on(how_open(r, "m/../../f", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/r/f");
	/* /r/m/g seen from /r is /r/r/m/g, which does not exist. */
	ck_assert_errno(how_open(r, "m/absg", O_RDONLY, 0, RESOLVE_IN_ROOT),
			ENOENT);
	ck_assert_errno(how_open(r, "/r/f", O_RDONLY, 0, RESOLVE_IN_ROOT),
			ENOENT);
	/* With the mount as the root, `..` stays on it. */
	expect_open_on(how_open(m, "..", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/r/m");
	expect_open_on(how_open(m, "x/../../g", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/r/m/g");
	ck_assert_int_eq(vfs_close(ht, m), 0);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

START_TEST(test_openat2_no_xdev_within_one_mount)
{
	int r = mk_scope_tree();
	int m = mk_mount_in_scope();

	expect_open_on(how_open(r, "f", O_RDONLY, 0, RESOLVE_NO_XDEV), "/r/f");
	expect_open_on(how_open(r, "la/b/..", O_RDONLY, 0, RESOLVE_NO_XDEV),
		       "/r/a");
	expect_open_on(how_open(m, "g", O_RDONLY, 0, RESOLVE_NO_XDEV),
		       "/r/m/g");
	expect_open_on(how_open(m, ".", O_RDONLY, 0, RESOLVE_NO_XDEV), "/r/m");
	expect_open_on(how_open(m, "x/..", O_RDONLY, 0, RESOLVE_NO_XDEV),
		       "/r/m");
	/* An absolute path argument starts at the root and is allowed. */
	expect_open_on(how_open(m, "/", O_RDONLY, 0, RESOLVE_NO_XDEV), "/");
	expect_open_on(how_open(m, "/f", O_RDONLY, 0, RESOLVE_NO_XDEV), "/f");
	/* Once the walk is at the root, an absolute symlink in the same
	 * mount as the root is no crossing. */
	expect_open_on(how_open(r, "/r/abs", O_RDONLY, 0, RESOLVE_NO_XDEV),
		       "/f");
	ck_assert_int_eq(vfs_close(ht, m), 0);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

START_TEST(test_openat2_no_symlinks_o_path_nofollow_opens_link)
{
	struct stat st;
	int r = mk_scope_tree();
	int fd;

	fd = how_open(r, "la", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	mk_symlink("nonex", "/r/dang");
	fd = how_open(r, "dang", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	/* Walks without symlinks are unaffected, `..` included. */
	expect_open_on(how_open(r, "a/b/..", O_RDONLY, 0, RESOLVE_NO_SYMLINKS),
		       "/r/a");
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

START_TEST(test_openat2_no_magiclinks_ordinary_links_ok)
{
	struct stat st;
	char path[64];
	int fd, f;

	mount_proc();
	h_write_file("/f", "x");
	mk_symlink("f", "/lf");
	f = h_open("/f", O_RDONLY);
	expect_open_on(how_open(AT_FDCWD, "/lf", O_RDONLY, 0,
				RESOLVE_NO_MAGICLINKS), "/f");
	/* /proc/self is an ordinary symlink. */
	fd = how_open(AT_FDCWD, "/proc/self", O_RDONLY | O_DIRECTORY, 0,
		      RESOLVE_NO_MAGICLINKS);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", f);
	fd = how_open(AT_FDCWD, path, O_RDONLY, 0, RESOLVE_NO_MAGICLINKS);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	/* The magic link itself can be opened, just not followed. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", f);
	fd = how_open(AT_FDCWD, path, O_PATH | O_NOFOLLOW, 0,
		      RESOLVE_NO_MAGICLINKS);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	/* Without the flag the magic link leads to the file. */
	expect_open_on(how_open(AT_FDCWD, path, O_RDONLY, 0, 0), "/f");
	ck_assert_int_eq(vfs_close(ht, f), 0);
}
END_TEST

START_TEST(test_openat2_no_xdev_magic_link_within_proc_ok)
{
	char path[64];
	int p;

	mount_proc();
	p = open_dir("/proc");
	/* fd p names /proc itself: the jump stays in the proc mount. */
	snprintf(path, sizeof(path), "self/fd/%d", p);
	expect_open_on(how_open(p, path, O_RDONLY, 0, RESOLVE_NO_XDEV),
		       "/proc");
	expect_open_on(how_open(p, "self", O_RDONLY, 0, RESOLVE_NO_XDEV),
		       "/proc/self");
	ck_assert_int_eq(vfs_close(ht, p), 0);
}
END_TEST

START_TEST(test_openat2_cached_lookup_succeeds)
{
	int r = mk_scope_tree();
	int m = mk_mount_in_scope();
	int fd;

	/* Links walked once, a clock tick after they were made, have the
	 * atime they want (see test_openat2_cached_symlink_atime_eagain). */
	h_tick();
	expect_open_on(how_open(r, "la/b", O_RDONLY, 0, 0), "/r/a/b");
	expect_open_on(how_open(r, "abs", O_RDONLY, 0, 0), "/f");
	expect_open_on(how_open(r, "f", O_RDONLY, 0, RESOLVE_CACHED), "/r/f");
	expect_open_on(how_open(r, "f", O_WRONLY, 0, RESOLVE_CACHED), "/r/f");
	expect_open_on(how_open(r, "f", O_RDWR | O_APPEND, 0, RESOLVE_CACHED),
		       "/r/f");
	expect_open_on(how_open(r, "f", O_PATH, 0, RESOLVE_CACHED), "/r/f");
	expect_open_on(how_open(r, "a", O_RDONLY | O_DIRECTORY, 0,
				RESOLVE_CACHED), "/r/a");
	expect_open_on(how_open(r, "la/b", O_RDONLY, 0, RESOLVE_CACHED),
		       "/r/a/b");
	expect_open_on(how_open(r, "abs", O_RDONLY, 0, RESOLVE_CACHED), "/f");
	expect_open_on(how_open(r, "m/g", O_RDONLY, 0, RESOLVE_CACHED),
		       "/r/m/g");
	expect_open_on(how_open(m, "..", O_RDONLY, 0, RESOLVE_CACHED), "/r");
	expect_open_on(how_open(r, "f", O_RDONLY, 0,
				RESOLVE_CACHED | RESOLVE_BENEATH), "/r/f");
	/* The file's data is reachable through the cached fd. */
	fd = how_open(r, "f", O_RDONLY, 0, RESOLVE_CACHED);
	ck_assert_int_ge(fd, 0);
	char buf[16];
	ck_assert_int_eq(vfs_read(ht, fd, buf, sizeof(buf)), 6);
	ck_assert_int_eq(memcmp(buf, "inside", 6), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_close(ht, m), 0);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

/*
 * Moving the dirfd's directory deeper, or a directory out of it, does not
 * let `..` or symlinks made of `..` and `/` leave it.
 */
START_TEST(test_openat2_renamed_root_still_confines)
{
	int r = mk_scope_tree();
	int a;

	mk_symlink("../../../../../f", "/r/a/b/deep");
	mk_symlink("/../../f", "/r/a/b/absdeep");
	/* a chain: c1 -> ../../../../c2 (in /r), c2 -> /../f */
	mk_symlink("../../../../a/b/c2", "/r/a/b/c1");
	mk_symlink("/../f", "/r/a/b/c2");
	h_mkdir("/p", 0755);
	h_mkdir("/p/q", 0755);
	h_write_file("/p/f", "p");
	h_write_file("/p/q/f", "q");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/r", AT_FDCWD,
				       "/p/q/r", 0), 0);

	expect_open_on(how_open(r, "../../f", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/p/q/r/f");
	expect_open_on(how_open(r, "a/b/deep", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/p/q/r/f");
	expect_open_on(how_open(r, "a/b/absdeep", O_RDONLY, 0,
				RESOLVE_IN_ROOT), "/p/q/r/f");
	expect_open_on(how_open(r, "a/b/c1", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/p/q/r/f");
	ck_assert_errno(how_open(r, "..", O_RDONLY, 0, RESOLVE_BENEATH),
			EXDEV);
	ck_assert_errno(how_open(r, "a/b/deep", O_RDONLY, 0, RESOLVE_BENEATH),
			EXDEV);
	/* Plain `..` from the same dirfd does reach the new parent. */
	expect_open_on(how_open(r, "../f", O_RDONLY, 0, 0), "/p/q/f");

	/* A subdirectory moved out keeps its own fd as the scope. */
	a = h_open("/p/q/r/a", O_PATH | O_DIRECTORY);
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/p/q/r/a", AT_FDCWD,
				       "/p/a", 0), 0);
	expect_open_on(how_open(a, "..", O_RDONLY, 0, RESOLVE_IN_ROOT), "/p/a");
	expect_open_on(how_open(a, "b/../..", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/p/a");
	/* b/deep now climbs from /p/a: clamped there, no f inside. */
	ck_assert_errno(how_open(a, "b/deep", O_RDONLY, 0, RESOLVE_IN_ROOT),
			ENOENT);
	ck_assert_errno(how_open(a, "b/../../f", O_RDONLY, 0,
				 RESOLVE_BENEATH), EXDEV);
	ck_assert_int_eq(vfs_close(ht, a), 0);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

/* A bind mount of an outside directory into the scope: `..` from its root
 * climbs to the mountpoint, never to the bound directory's real parent. */
START_TEST(test_openat2_bind_mount_does_not_escape)
{
	int r = mk_scope_tree();
	int bd;

	h_mkdir("/out", 0755);
	h_mkdir("/out/sub", 0755);
	h_write_file("/out/sub/s", "s");
	h_write_file("/out/secret", "secret");
	h_mkdir("/r/out", 0755);
	h_write_file("/r/out/secret", "decoy");
	h_mkdir("/r/bd", 0755);
	ck_assert_int_eq(vfs_mount(ht, "/out/sub", "/r/bd", NULL, MS_BIND,
				   NULL), 0);
	bd = open_dir("/r/bd");

	expect_open_on(how_open(r, "bd/s", O_RDONLY, 0, RESOLVE_BENEATH),
		       "/out/sub/s");
	expect_open_on(how_open(r, "bd/..", O_RDONLY, 0, RESOLVE_BENEATH),
		       "/r");
	ck_assert_errno(how_open(r, "bd/../../out/secret", O_RDONLY, 0,
				 RESOLVE_BENEATH), EXDEV);
	expect_open_on(how_open(r, "bd/../../out/secret", O_RDONLY, 0,
				RESOLVE_IN_ROOT), "/r/out/secret");
	/* With the bind mount's root as the scope. */
	expect_open_on(how_open(bd, "..", O_RDONLY, 0, RESOLVE_IN_ROOT),
		       "/out/sub");
	ck_assert_errno(how_open(bd, "../secret", O_RDONLY, 0,
				 RESOLVE_IN_ROOT), ENOENT);
	ck_assert_errno(how_open(bd, "..", O_RDONLY, 0, RESOLVE_BENEATH),
			EXDEV);
	ck_assert_int_eq(vfs_close(ht, bd), 0);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

/* --- errors ----------------------------------------------------------- */

START_TEST(test_openat2_size_below_ver0_einval)
{
	struct {
		struct open_how how;
		uint64_t extra;
	} big = { { .flags = O_RDONLY }, 0 };

	h_write_file("/f", "x");
	ck_assert_errno(vfs_openat2(ht, AT_FDCWD, "/f", &big.how, 0), EINVAL);
	ck_assert_errno(vfs_openat2(ht, AT_FDCWD, "/f", &big.how, 8), EINVAL);
	ck_assert_errno(vfs_openat2(ht, AT_FDCWD, "/f", &big.how,
				    OPEN_HOW_SIZE_VER0 - 1), EINVAL);
	/* The size is checked before the dirfd. */
	ck_assert_errno(vfs_openat2(ht, 999, "f", &big.how, 23), EINVAL);
}
END_TEST

START_TEST(test_openat2_nonzero_trailing_bytes_e2big)
{
	struct {
		struct open_how how;
		uint64_t extra[2];
	} big = { { .flags = O_RDONLY }, { 0, 0 } };
	long page = sysconf(_SC_PAGESIZE);
	char *pagebuf;

	h_write_file("/f", "x");
	big.extra[0] = 1;
	ck_assert_errno(vfs_openat2(ht, AT_FDCWD, "/f", &big.how, 32), E2BIG);
	ck_assert_errno(vfs_openat2(ht, AT_FDCWD, "/f", &big.how, 25), E2BIG);
	big.extra[0] = 0;
	big.extra[1] = 1ULL << 56;
	ck_assert_errno(vfs_openat2(ht, AT_FDCWD, "/f", &big.how, sizeof(big)),
			E2BIG);
	/* E2BIG comes before the flag checks and the walk. */
	big.how.flags = 1ULL << 40;
	ck_assert_errno(vfs_openat2(ht, 999, "nonexistent", &big.how,
				    sizeof(big)), E2BIG);
	/* Over a page: E2BIG even when all of it is zero. */
	pagebuf = calloc(1, (size_t)page + 1);
	ck_assert_ptr_nonnull(pagebuf);
	ck_assert_errno(vfs_openat2(ht, AT_FDCWD, "/f",
				    (struct open_how *)pagebuf,
				    (size_t)page + 1), E2BIG);
	pagebuf[page - 1] = 1;
	ck_assert_errno(vfs_openat2(ht, AT_FDCWD, "/f",
				    (struct open_how *)pagebuf, (size_t)page),
			E2BIG);
	free(pagebuf);
}
END_TEST

START_TEST(test_openat2_unknown_flags_einval)
{
	int fd;

	h_write_file("/f", "x");
	ck_assert_errno(how_open(AT_FDCWD, "/f", 1ULL << 40, 0, 0), EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/f", 1ULL << 31, 0, 0), EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/f", 040000000, 0, 0), EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/f", 010, 0, 0), EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/f", O_RDONLY | 040, 0, 0),
			EINVAL);
	/* Checked before the dirfd. */
	ck_assert_errno(how_open(999, "f", 1ULL << 40, 0, 0), EINVAL);
	/* openat(2) ignores the same bits. */
	fd = vfs_openat(ht, AT_FDCWD, "/f", O_RDONLY | 010, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	fd = vfs_openat(ht, AT_FDCWD, "/f", O_RDONLY | 040000000, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	/* Known rarely used bits are accepted. */
	expect_open_on(how_open(AT_FDCWD, "/f", O_RDONLY | O_DSYNC, 0, 0),
		       "/f");
}
END_TEST

START_TEST(test_openat2_o_path_with_other_flags_einval)
{
	int fd;

	h_write_file("/f", "x");
	ck_assert_errno(how_open(AT_FDCWD, "/f", O_PATH | O_RDWR, 0, 0),
			EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/f", O_PATH | O_NONBLOCK, 0, 0),
			EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/f", O_PATH | O_TRUNC, 0, 0),
			EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/f", O_PATH | O_CREAT, 0644, 0),
			EINVAL);
	expect_open_on(how_open(AT_FDCWD, "/f", O_PATH | O_CLOEXEC, 0, 0),
		       "/f");
	/* openat(2) drops them instead. */
	fd = vfs_openat(ht, AT_FDCWD, "/f", O_PATH | O_RDWR, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_openat2_unknown_resolve_einval)
{
	h_write_file("/f", "x");
	ck_assert_errno(how_open(AT_FDCWD, "/f", O_RDONLY, 0, 0x40), EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/f", O_RDONLY, 0, 1ULL << 63),
			EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/f", O_RDONLY, 0,
				 RESOLVE_BENEATH | RESOLVE_IN_ROOT), EINVAL);
	ck_assert_errno(how_open(999, "f", O_RDONLY, 0, 0x40), EINVAL);
}
END_TEST

START_TEST(test_openat2_mode_without_creat_einval)
{
	h_write_file("/f", "x");
	h_mkdir("/d", 0755);
	ck_assert_errno(how_open(AT_FDCWD, "/f", O_RDONLY, 0644, 0), EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/f", O_RDWR | O_TRUNC, 1, 0),
			EINVAL);
	ck_assert_errno(how_open(999, "f", O_RDONLY, 0644, 0), EINVAL);
	/* With O_CREAT or O_TMPFILE, only the S_IALLUGO bits. */
	ck_assert_errno(how_open(AT_FDCWD, "/n", O_WRONLY | O_CREAT, 010000,
				 0), EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/n", O_WRONLY | O_CREAT,
				 1ULL << 32, 0), EINVAL);
	ck_assert_errno(how_open(AT_FDCWD, "/d", O_RDWR | O_TMPFILE, 010000,
				 0), EINVAL);
	ck_assert_int_eq(h_lstat_ret("/n"), -ENOENT);
}
END_TEST

START_TEST(test_openat2_beneath_absolute_path_exdev)
{
	int r = mk_scope_tree();

	ck_assert_errno(how_open(r, "/f", O_RDONLY, 0, RESOLVE_BENEATH), EXDEV);
	ck_assert_errno(how_open(r, "/r/f", O_RDONLY, 0, RESOLVE_BENEATH),
			EXDEV);
	ck_assert_errno(how_open(r, "/newf", O_WRONLY | O_CREAT, 0644,
				 RESOLVE_BENEATH), EXDEV);
	ck_assert_int_eq(h_lstat_ret("/newf"), -ENOENT);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

START_TEST(test_openat2_beneath_dotdot_above_dirfd_exdev)
{
	int r = mk_scope_tree();
	int m = mk_mount_in_scope();

	ck_assert_errno(how_open(r, "..", O_RDONLY, 0, RESOLVE_BENEATH), EXDEV);
	ck_assert_errno(how_open(r, "../r/f", O_RDONLY, 0, RESOLVE_BENEATH),
			EXDEV);
	ck_assert_errno(how_open(r, "a/../../r/f", O_RDONLY, 0,
				 RESOLVE_BENEATH), EXDEV);
	/* EXDEV at the `..`, before the missing name after it. */
	ck_assert_errno(how_open(r, "../nonexist", O_RDONLY, 0,
				 RESOLVE_BENEATH), EXDEV);
	/* ...but a missing name before it is ENOENT: no lexical cleanup. */
	ck_assert_errno(how_open(r, "nonexist/../f", O_RDONLY, 0,
				 RESOLVE_BENEATH), ENOENT);
	ck_assert_errno(how_open(r, "../newf", O_WRONLY | O_CREAT, 0644,
				 RESOLVE_BENEATH), EXDEV);
	ck_assert_int_eq(h_lstat_ret("/newf"), -ENOENT);
	/* Across a mount below the dirfd and from a mount root. */
	expect_open_on(how_open(r, "m/..", O_RDONLY, 0, RESOLVE_BENEATH), "/r");
	ck_assert_errno(how_open(r, "m/../..", O_RDONLY, 0, RESOLVE_BENEATH),
			EXDEV);
	ck_assert_errno(how_open(m, "..", O_RDONLY, 0, RESOLVE_BENEATH), EXDEV);
	expect_open_on(how_open(m, "x/..", O_RDONLY, 0, RESOLVE_BENEATH),
		       "/r/m");
	/* The cwd as the scope. */
	ck_assert_int_eq(vfs_chdir(ht, "/r/a"), 0);
	ck_assert_errno(how_open(AT_FDCWD, "..", O_RDONLY, 0, RESOLVE_BENEATH),
			EXDEV);
	ck_assert_int_eq(vfs_close(ht, m), 0);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

START_TEST(test_openat2_beneath_escaping_symlink_exdev)
{
	int r = mk_scope_tree();
	int m = mk_mount_in_scope();

	ck_assert_errno(how_open(r, "abs", O_RDONLY, 0, RESOLVE_BENEATH),
			EXDEV);
	ck_assert_errno(how_open(r, "up", O_RDONLY, 0, RESOLVE_BENEATH), EXDEV);
	ck_assert_errno(how_open(r, "a/up2", O_RDONLY, 0, RESOLVE_BENEATH),
			EXDEV);
	/* Even an absolute link back inside is a jump to the root. */
	mk_symlink("/r/f", "/r/absin");
	ck_assert_errno(how_open(r, "absin", O_RDONLY, 0, RESOLVE_BENEATH),
			EXDEV);
	/* From inside the mount a relative link staying below /r is fine,
	 * one leaving the mount dirfd is not. */
	expect_open_on(how_open(r, "m/up", O_RDONLY, 0, RESOLVE_BENEATH),
		       "/r/f");
	ck_assert_errno(how_open(m, "up", O_RDONLY, 0, RESOLVE_BENEATH), EXDEV);
	ck_assert_int_eq(vfs_close(ht, m), 0);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

START_TEST(test_openat2_no_xdev_crossing_down_exdev)
{
	int r = mk_scope_tree();
	int m = mk_mount_in_scope();

	ck_assert_errno(how_open(r, "m", O_RDONLY, 0, RESOLVE_NO_XDEV), EXDEV);
	ck_assert_errno(how_open(r, "m", O_PATH, 0, RESOLVE_NO_XDEV), EXDEV);
	ck_assert_errno(how_open(r, "m/", O_RDONLY, 0, RESOLVE_NO_XDEV), EXDEV);
	ck_assert_errno(how_open(r, "m/.", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	ck_assert_errno(how_open(r, "m/g", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	ck_assert_errno(how_open(r, "m/nonexist", O_RDONLY, 0,
				 RESOLVE_NO_XDEV), EXDEV);
	/* Jumping to / is allowed, crossing after it is not. */
	ck_assert_errno(how_open(m, "/r/m/g", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	ck_assert_int_eq(vfs_close(ht, m), 0);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

START_TEST(test_openat2_no_xdev_crossing_up_exdev)
{
	int r = mk_scope_tree();
	int m = mk_mount_in_scope();

	ck_assert_errno(how_open(m, "..", O_RDONLY, 0, RESOLVE_NO_XDEV), EXDEV);
	ck_assert_errno(how_open(m, "../m", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	ck_assert_errno(how_open(r, "m/..", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	/* Symlinks that leave the mount, relative or absolute. */
	ck_assert_errno(how_open(m, "up", O_RDONLY, 0, RESOLVE_NO_XDEV), EXDEV);
	ck_assert_errno(how_open(m, "absg", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	ck_assert_int_eq(vfs_close(ht, m), 0);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

/*
 * Linux's nd_jump_root(): during a relative NO_XDEV walk the root is not
 * yet taken, so any absolute symlink counts as a crossing, even one that
 * stays in the mount the walk is in.  From an absolute path it does not.
 */
START_TEST(test_openat2_no_xdev_absolute_symlink_in_relative_walk_exdev)
{
	int r = mk_scope_tree();

	mk_symlink("/r/f", "/r/absin");
	ck_assert_errno(how_open(r, "absin", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	ck_assert_errno(how_open(r, "abs", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	ck_assert_errno(how_open(AT_FDCWD, "r/absin", O_RDONLY, 0,
				 RESOLVE_NO_XDEV), EXDEV);
	expect_open_on(how_open(r, "/r/absin", O_RDONLY, 0, RESOLVE_NO_XDEV),
		       "/r/f");
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

START_TEST(test_openat2_no_xdev_bind_mount_exdev)
{
	int r = mk_scope_tree();
	int bd;

	h_mkdir("/out", 0755);
	h_mkdir("/out/sub", 0755);
	h_write_file("/out/sub/s", "s");
	h_mkdir("/r/bd", 0755);
	ck_assert_int_eq(vfs_mount(ht, "/out/sub", "/r/bd", NULL, MS_BIND,
				   NULL), 0);
	/* A bind of a directory onto its own subdirectory: same fs, same
	 * inodes, still another mount. */
	h_mkdir("/r/a/self", 0755);
	ck_assert_int_eq(vfs_mount(ht, "/r/a", "/r/a/self", NULL, MS_BIND,
				   NULL), 0);
	bd = open_dir("/r/bd");

	ck_assert_errno(how_open(r, "bd", O_RDONLY, 0, RESOLVE_NO_XDEV), EXDEV);
	ck_assert_errno(how_open(r, "bd/s", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	ck_assert_errno(how_open(r, "a/self", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	ck_assert_errno(how_open(r, "a/self/b", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	ck_assert_errno(how_open(bd, "..", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	expect_open_on(how_open(bd, "s", O_RDONLY, 0, RESOLVE_NO_XDEV),
		       "/out/sub/s");
	/* The same walks without the flag. */
	expect_open_on(how_open(r, "a/self/b", O_RDONLY, 0, 0), "/r/a/b");
	expect_open_on(how_open(r, "bd/s", O_RDONLY, 0, 0), "/out/sub/s");
	ck_assert_int_eq(vfs_close(ht, bd), 0);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

START_TEST(test_openat2_no_symlinks_eloop)
{
	int r = mk_scope_tree();

	mk_symlink("nonex", "/r/dang");
	ck_assert_errno(how_open(r, "abs", O_RDONLY, 0, RESOLVE_NO_SYMLINKS),
			ELOOP);
	ck_assert_errno(how_open(r, "rel", O_RDONLY, 0, RESOLVE_NO_SYMLINKS),
			ELOOP);
	ck_assert_errno(how_open(r, "la/b", O_RDONLY, 0, RESOLVE_NO_SYMLINKS),
			ELOOP);
	ck_assert_errno(how_open(r, "la", O_RDONLY, 0, RESOLVE_NO_SYMLINKS),
			ELOOP);
	/* The trailing link: O_PATH alone follows, so ELOOP; O_NOFOLLOW
	 * without O_PATH is ELOOP from O_NOFOLLOW itself. */
	ck_assert_errno(how_open(r, "la", O_PATH, 0, RESOLVE_NO_SYMLINKS),
			ELOOP);
	ck_assert_errno(how_open(r, "la", O_RDONLY | O_NOFOLLOW, 0,
				 RESOLVE_NO_SYMLINKS), ELOOP);
	/* A trailing slash asks to follow. */
	ck_assert_errno(how_open(r, "la/", O_PATH | O_NOFOLLOW, 0,
				 RESOLVE_NO_SYMLINKS), ELOOP);
	/* O_CREAT through a link: nothing created. */
	ck_assert_errno(how_open(r, "la", O_WRONLY | O_CREAT, 0644,
				 RESOLVE_NO_SYMLINKS), ELOOP);
	ck_assert_errno(how_open(r, "dang", O_WRONLY | O_CREAT, 0644,
				 RESOLVE_NO_SYMLINKS), ELOOP);
	ck_assert_int_eq(h_lstat_ret("/r/nonex"), -ENOENT);
	/* O_EXCL never follows: the name exists. */
	ck_assert_errno(how_open(r, "la", O_WRONLY | O_CREAT | O_EXCL, 0644,
				 RESOLVE_NO_SYMLINKS), EEXIST);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

START_TEST(test_openat2_no_magiclinks_eloop)
{
	char path[64];
	int f;

	mount_proc();
	h_write_file("/f", "x");
	f = h_open("/f", O_RDONLY);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", f);
	mk_symlink(path, "/lmagic");
	ck_assert_errno(how_open(AT_FDCWD, path, O_RDONLY, 0,
				 RESOLVE_NO_MAGICLINKS), ELOOP);
	ck_assert_errno(how_open(AT_FDCWD, path, O_RDONLY | O_NOFOLLOW, 0,
				 RESOLVE_NO_MAGICLINKS), ELOOP);
	ck_assert_errno(how_open(AT_FDCWD, "/proc/self/cwd", O_RDONLY, 0,
				 RESOLVE_NO_MAGICLINKS), ELOOP);
	ck_assert_errno(how_open(AT_FDCWD, "/proc/self/cwd/..", O_RDONLY, 0,
				 RESOLVE_NO_MAGICLINKS), ELOOP);
	ck_assert_errno(how_open(AT_FDCWD, "/proc/self/root", O_RDONLY, 0,
				 RESOLVE_NO_MAGICLINKS), ELOOP);
	/* An ordinary symlink that leads to a magic link. */
	ck_assert_errno(how_open(AT_FDCWD, "/lmagic", O_RDONLY, 0,
				 RESOLVE_NO_MAGICLINKS), ELOOP);
	expect_open_on(how_open(AT_FDCWD, "/lmagic", O_RDONLY, 0, 0), "/f");
	/* NO_SYMLINKS covers magic links as well. */
	ck_assert_errno(how_open(AT_FDCWD, "/proc/self/cwd", O_RDONLY, 0,
				 RESOLVE_NO_SYMLINKS), ELOOP);
	ck_assert_errno(how_open(AT_FDCWD, path, O_RDONLY, 0,
				 RESOLVE_NO_SYMLINKS), ELOOP);
	/* A closed fd is simply absent. */
	ck_assert_errno(how_open(AT_FDCWD, "/proc/self/fd/999", O_RDONLY, 0,
				 RESOLVE_NO_MAGICLINKS), ENOENT);
	ck_assert_int_eq(vfs_close(ht, f), 0);
}
END_TEST

/* Scoped walks refuse magic links outright; NO_XDEV refuses the ones that
 * jump to another mount. */
START_TEST(test_openat2_magic_links_in_scoped_walks_exdev)
{
	char path[64];
	int p, f;

	mount_proc();
	h_write_file("/f", "x");
	f = h_open("/f", O_RDONLY);
	p = open_dir("/proc");
	snprintf(path, sizeof(path), "self/fd/%d", f);
	ck_assert_errno(how_open(p, path, O_RDONLY, 0, RESOLVE_BENEATH), EXDEV);
	ck_assert_errno(how_open(p, path, O_RDONLY, 0, RESOLVE_IN_ROOT), EXDEV);
	ck_assert_errno(how_open(p, "self/cwd", O_RDONLY, 0, RESOLVE_BENEATH),
			EXDEV);
	ck_assert_errno(how_open(p, path, O_RDONLY, 0, RESOLVE_NO_XDEV), EXDEV);
	ck_assert_errno(how_open(p, "self/cwd", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	ck_assert_errno(how_open(p, "self/root", O_RDONLY, 0, RESOLVE_NO_XDEV),
			EXDEV);
	/* /proc/self is an ordinary link inside the scope. */
	expect_open_on(how_open(p, "self", O_RDONLY, 0, RESOLVE_BENEATH),
		       "/proc/self");
	ck_assert_int_eq(vfs_close(ht, p), 0);
	ck_assert_int_eq(vfs_close(ht, f), 0);
}
END_TEST

START_TEST(test_openat2_cached_create_or_truncate_eagain)
{
	int r = mk_scope_tree();
	struct stat st;

	ck_assert_errno(how_open(r, "f", O_WRONLY | O_TRUNC, 0,
				 RESOLVE_CACHED), EAGAIN);
	h_stat("/r/f", &st);
	ck_assert_int_eq(st.st_size, 6);
	/* O_CREAT, even on an existing file. */
	ck_assert_errno(how_open(r, "f", O_RDONLY | O_CREAT, 0644,
				 RESOLVE_CACHED), EAGAIN);
	ck_assert_errno(how_open(r, "new", O_WRONLY | O_CREAT, 0644,
				 RESOLVE_CACHED), EAGAIN);
	ck_assert_int_eq(h_lstat_ret("/r/new"), -ENOENT);
	ck_assert_errno(how_open(r, "a", O_RDWR | O_TMPFILE, 0600,
				 RESOLVE_CACHED), EAGAIN);
	/* The flag checks still come first. */
	ck_assert_errno(how_open(r, "f", O_RDONLY, 0644, RESOLVE_CACHED),
			EINVAL);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

/* tmpfs keeps no negative entries: a missing name needs the filesystem. */
START_TEST(test_openat2_cached_missing_name_eagain)
{
	int r = mk_scope_tree();
	int fd;

	ck_assert_errno(how_open(r, "nonexist", O_RDONLY, 0, 0), ENOENT);
	ck_assert_errno(how_open(r, "nonexist", O_RDONLY, 0, RESOLVE_CACHED),
			EAGAIN);
	ck_assert_errno(how_open(r, "nonexist/x", O_RDONLY, 0, RESOLVE_CACHED),
			EAGAIN);
	fd = how_open(r, "gone", O_WRONLY | O_CREAT, 0644, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, r, "gone", 0), 0);
	ck_assert_errno(how_open(r, "gone", O_RDONLY, 0, RESOLVE_CACHED),
			EAGAIN);
	/* Errors found without the filesystem stay what they are. */
	ck_assert_errno(how_open(r, "f/", O_RDONLY, 0, RESOLVE_CACHED),
			ENOTDIR);
	/* Linux's cached walk does not fail a scoped `..` itself: it drops
	 * out of it, so CACHED turns that EXDEV into EAGAIN. */
	ck_assert_errno(how_open(r, "..", O_RDONLY, 0,
				 RESOLVE_CACHED | RESOLVE_BENEATH), EAGAIN);
	ck_assert_errno(how_open(r, "/f", O_RDONLY, 0,
				 RESOLVE_CACHED | RESOLVE_BENEATH), EXDEV);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

/*
 * Walking a symlink touches its atime as relatime wants (pick_link());
 * Linux's cached walk cannot write, so RESOLVE_CACHED is EAGAIN whenever
 * the atime wants an update: a tick after the link was made and before
 * anything walked it, or for good on a read-only bind, where the update
 * is never made.  A noatime mount wants none.
 */
START_TEST(test_openat2_cached_symlink_atime_eagain)
{
	struct stat before, after;
	int fd;

	h_mkdir("/dir", 0755);
	mk_symlink("dir", "/ln");
	h_mkdir("/m", 0755);
	ck_assert_int_eq(vfs_mount(ht, "none", "/m", "tmpfs", MS_NOATIME,
				   NULL), 0);
	h_mkdir("/m/dir", 0755);
	mk_symlink("dir", "/m/ln");
	h_mkdir("/r", 0755);
	ck_assert_int_eq(vfs_mount(ht, "/", "/r", NULL, MS_BIND, NULL), 0);
	ck_assert_int_eq(vfs_mount(ht, NULL, "/r", NULL,
				   MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), 0);
	mk_symlink("dir", "/ln2");
	h_tick();

	ck_assert_errno(how_open(AT_FDCWD, "/ln", O_RDONLY, 0, RESOLVE_CACHED),
			EAGAIN);
	ck_assert_errno(how_open(AT_FDCWD, "/ln", O_RDONLY, 0, RESOLVE_CACHED),
			EAGAIN);
	h_lstat("/ln", &before);
	expect_open_on(how_open(AT_FDCWD, "/ln", O_RDONLY, 0, 0), "/dir");
	h_lstat("/ln", &after);
	ck_assert(h_ts_after(after.st_atim, before.st_atim));
	expect_open_on(how_open(AT_FDCWD, "/ln", O_RDONLY, 0, RESOLVE_CACHED),
		       "/dir");
	h_tick();
	expect_open_on(how_open(AT_FDCWD, "/ln", O_RDONLY, 0, RESOLVE_CACHED),
		       "/dir");
	/* Not followed, not touched. */
	fd = how_open(AT_FDCWD, "/ln2", O_PATH | O_NOFOLLOW, 0, RESOLVE_CACHED);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);

	expect_open_on(how_open(AT_FDCWD, "/m/ln", O_RDONLY, 0, RESOLVE_CACHED),
		       "/m/dir");

	ck_assert_errno(how_open(AT_FDCWD, "/r/ln2", O_RDONLY, 0,
				 RESOLVE_CACHED), EAGAIN);
	expect_open_on(how_open(AT_FDCWD, "/r/ln2", O_RDONLY, 0, 0), "/dir");
	ck_assert_errno(how_open(AT_FDCWD, "/r/ln2", O_RDONLY, 0,
				 RESOLVE_CACHED), EAGAIN);
}
END_TEST

/* Under RESOLVE_NO_XDEV, Linux's cached walk leaves itself at any entry
 * something is mounted on, even in another mount of the same tree. */
START_TEST(test_openat2_cached_no_xdev_mounted_elsewhere_eagain)
{
	h_mkdir("/s", 0755);
	h_mkdir("/s/x", 0755);
	h_mkdir("/b", 0755);
	ck_assert_int_eq(vfs_mount(ht, "/s", "/b", NULL, MS_BIND, NULL), 0);
	ck_assert_int_eq(vfs_mount(ht, "none", "/b/x", "tmpfs", 0, NULL), 0);

	ck_assert_errno(how_open(AT_FDCWD, "/s/x", O_RDONLY, 0,
				 RESOLVE_NO_XDEV | RESOLVE_CACHED), EAGAIN);
	expect_open_on(how_open(AT_FDCWD, "/s/x", O_RDONLY, 0, RESOLVE_NO_XDEV),
		       "/s/x");
	expect_open_on(how_open(AT_FDCWD, "/s/x", O_RDONLY, 0, RESOLVE_CACHED),
		       "/s/x");
	ck_assert_errno(how_open(AT_FDCWD, "/b/x", O_RDONLY, 0,
				 RESOLVE_NO_XDEV | RESOLVE_CACHED), EAGAIN);
	ck_assert_errno(how_open(AT_FDCWD, "/b/x", O_RDONLY, 0,
				 RESOLVE_NO_XDEV), EXDEV);
}
END_TEST

/* A walk that cannot go on (a directory it may not search, a file with
 * more path after it) is EAGAIN under RESOLVE_CACHED: Linux's cached walk
 * leaves itself to make sure.  Errors of the open itself stay. */
START_TEST(test_openat2_cached_walk_errors_eagain)
{
	struct vfs_task *u;

	h_mkdir("/p", 0700);
	h_write_file("/p/f", "");
	h_write_file("/f", "");
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 0600, 0), 0);
	ck_assert_errno(how_open(AT_FDCWD, "/f/x", O_RDONLY, 0, 0), ENOTDIR);
	ck_assert_errno(how_open(AT_FDCWD, "/f/x", O_RDONLY, 0, RESOLVE_CACHED),
			EAGAIN);
	ck_assert_errno(how_open(AT_FDCWD, "/f/..", O_RDONLY, 0,
				 RESOLVE_CACHED), EAGAIN);
	ck_assert_errno(how_open(AT_FDCWD, "/f/", O_RDONLY, 0, RESOLVE_CACHED),
			ENOTDIR);

	u = harness_user_task(1000, 1000, 0, NULL);
	ck_assert_errno(vfs_openat2(u, AT_FDCWD, "/p/f",
				    &(struct open_how){ .flags = O_RDONLY },
				    sizeof(struct open_how)), EACCES);
	ck_assert_errno(vfs_openat2(u, AT_FDCWD, "/p/f",
				    &(struct open_how){ .flags = O_RDONLY,
				    .resolve = RESOLVE_CACHED },
				    sizeof(struct open_how)), EAGAIN);
	ck_assert_errno(vfs_openat2(u, AT_FDCWD, "/f",
				    &(struct open_how){ .flags = O_RDONLY,
				    .resolve = RESOLVE_CACHED },
				    sizeof(struct open_how)), EACCES);
	ck_assert_errno(vfs_openat2(u, AT_FDCWD, "/p",
				    &(struct open_how){ .flags = O_RDONLY,
				    .resolve = RESOLVE_CACHED },
				    sizeof(struct open_how)), EACCES);
}
END_TEST

START_TEST(test_openat2_cached_magic_link_eagain)
{
	char path[64];
	int f;

	mount_proc();
	h_write_file("/f", "x");
	f = h_open("/f", O_RDONLY);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", f);
	expect_open_on(how_open(AT_FDCWD, path, O_RDONLY, 0, 0), "/f");
	ck_assert_errno(how_open(AT_FDCWD, path, O_RDONLY, 0, RESOLVE_CACHED),
			EAGAIN);
	ck_assert_errno(how_open(AT_FDCWD, "/proc/self/cwd", O_RDONLY, 0,
				 RESOLVE_CACHED), EAGAIN);
	ck_assert_int_eq(vfs_close(ht, f), 0);
}
END_TEST

/* --- races ------------------------------------------------------------ */

struct mover {
	atomic_int stop;
	int errors;
};

/* Moves /r/a/b/c out to /o/p/c and back, so that a walk standing in c
 * when it moves would reach / with three `..`. */
static void *mover_main(void *arg)
{
	struct mover *mv = arg;

	while (!atomic_load(&mv->stop)) {
		if (vfs_renameat2(ht, AT_FDCWD, "/r/a/b/c", AT_FDCWD,
				  "/o/p/c", 0) != 0 ||
		    vfs_renameat2(ht, AT_FDCWD, "/o/p/c", AT_FDCWD,
				  "/r/a/b/c", 0) != 0)
			mv->errors++;
	}
	return NULL;
}

START_TEST(test_openat2_scoped_walk_never_escapes_racing_rename)
{
	static const uint64_t scopes[] = { RESOLVE_BENEATH, RESOLVE_IN_ROOT };
	struct mover mv = { .stop = 0, .errors = 0 };
	ino_t in, out;
	pthread_t th;
	int r;

	h_mkdir("/r", 0755);
	h_mkdir("/r/a", 0755);
	h_mkdir("/r/a/b", 0755);
	h_mkdir("/r/a/b/c", 0755);
	h_mkdir("/o", 0755);
	h_mkdir("/o/p", 0755);
	h_write_file("/r/s", "inside");
	h_write_file("/s", "outside");
	in = h_ino("/r/s");
	out = h_ino("/s");
	r = open_dir("/r");

	ck_assert_int_eq(pthread_create(&th, NULL, mover_main, &mv), 0);
	for (size_t k = 0; k < sizeof(scopes) / sizeof(scopes[0]); k++) {
		for (int i = 0; i < 20000; i++) {
			int fd = how_open(r, "a/b/c/../../../s", O_RDONLY, 0,
					  scopes[k]);
			ino_t ino;

			if (fd < 0) {
				ck_assert_msg(fd == -ENOENT || fd == -EAGAIN,
					      "resolve %#llx: %d",
					      (unsigned long long)scopes[k],
					      fd);
				continue;
			}
			ino = fd_ino(fd);
			ck_assert_int_eq(vfs_close(ht, fd), 0);
			ck_assert_msg(ino != out,
				      "resolve %#llx escaped to /s",
				      (unsigned long long)scopes[k]);
			ck_assert_uint_eq(ino, in);
		}
	}
	atomic_store(&mv.stop, 1);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(mv.errors, 0);
	ck_assert_int_eq(vfs_close(ht, r), 0);
}
END_TEST

static Suite *openat2_suite(void)
{
	Suite *s = suite_create("openat2");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_openat2_plain_open_like_openat);
	tcase_add_test(tc, test_openat2_size_ver0_and_zero_padded);
	tcase_add_test(tc, test_openat2_beneath_stays_inside);
	tcase_add_test(tc, test_openat2_in_root_clamps_at_dirfd);
	tcase_add_test(tc, test_openat2_no_xdev_within_one_mount);
	tcase_add_test(tc, test_openat2_no_symlinks_o_path_nofollow_opens_link);
	tcase_add_test(tc, test_openat2_no_magiclinks_ordinary_links_ok);
	tcase_add_test(tc, test_openat2_no_xdev_magic_link_within_proc_ok);
	tcase_add_test(tc, test_openat2_cached_lookup_succeeds);
	tcase_add_test(tc, test_openat2_renamed_root_still_confines);
	tcase_add_test(tc, test_openat2_bind_mount_does_not_escape);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_openat2_size_below_ver0_einval);
	tcase_add_test(tc, test_openat2_nonzero_trailing_bytes_e2big);
	tcase_add_test(tc, test_openat2_unknown_flags_einval);
	tcase_add_test(tc, test_openat2_o_path_with_other_flags_einval);
	tcase_add_test(tc, test_openat2_unknown_resolve_einval);
	tcase_add_test(tc, test_openat2_mode_without_creat_einval);
	tcase_add_test(tc, test_openat2_beneath_absolute_path_exdev);
	tcase_add_test(tc, test_openat2_beneath_dotdot_above_dirfd_exdev);
	tcase_add_test(tc, test_openat2_beneath_escaping_symlink_exdev);
	tcase_add_test(tc, test_openat2_no_xdev_crossing_down_exdev);
	tcase_add_test(tc, test_openat2_no_xdev_crossing_up_exdev);
	tcase_add_test(tc,
		       test_openat2_no_xdev_absolute_symlink_in_relative_walk_exdev);
	tcase_add_test(tc, test_openat2_no_xdev_bind_mount_exdev);
	tcase_add_test(tc, test_openat2_no_symlinks_eloop);
	tcase_add_test(tc, test_openat2_no_magiclinks_eloop);
	tcase_add_test(tc, test_openat2_magic_links_in_scoped_walks_exdev);
	tcase_add_test(tc, test_openat2_cached_create_or_truncate_eagain);
	tcase_add_test(tc, test_openat2_cached_missing_name_eagain);
	tcase_add_test(tc, test_openat2_cached_magic_link_eagain);
	tcase_add_test(tc, test_openat2_cached_symlink_atime_eagain);
	tcase_add_test(tc, test_openat2_cached_walk_errors_eagain);
	tcase_add_test(tc, test_openat2_cached_no_xdev_mounted_elsewhere_eagain);
	suite_add_tcase(s, tc);

	tc = tcase_create("races");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_openat2_scoped_walk_never_escapes_racing_rename);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(openat2_suite)
