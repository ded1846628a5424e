// SPDX-License-Identifier: MIT
/*
 * Attributes as Linux's tmpfs reports them: newfstatat/fstat/statx fields
 * for every file type (size, blocks, nlink, mode, rdev), the
 * AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH flags, the statx mask and birth
 * time, which operations change ctime, mtime and the parent directory's
 * times, and statfs/fstatfs for a tmpfs mounted "size=64m,nr_inodes=1000".
 * Every expected value was checked against the Linux kernel's own tmpfs.
 */
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "harness.h"

#define TMPFS_MAGIC_NUMBER 0x01021994
/* statfs f_flags bit "the flags are valid" (Linux ST_VALID, not in glibc) */
#define STATFS_ST_VALID 0x0020


static int ts_eq(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

static int ts_lt(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec ||
	       (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

static void lstat_of(const char *path, struct stat *st)
{
	int r = vfs_newfstatat(ht, AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);

	ck_assert_msg(r == 0, "lstat %s: %d", path, r);
}

static void fstat_of(int fd, struct stat *st)
{
	ck_assert_int_eq(vfs_fstat(ht, fd, st), 0);
}

static void create(const char *path)
{
	int fd = vfs_openat(ht, AT_FDCWD, path, O_CREAT | O_WRONLY, 0666);

	ck_assert_msg(fd >= 0, "create %s: %d", path, fd);
	vfs_close(ht, fd);
}

/* --- core ---------------------------------------------------------------- */

START_TEST(test_stat_root_dir)
{
	struct stat st;

	h_stat("/", &st);
	/* tmpfs's root without mode= is 1777 */
	ck_assert_int_eq(st.st_mode, S_IFDIR | 01777);
	ck_assert_int_eq(st.st_nlink, 2);
	ck_assert_int_eq(st.st_size, 40);
	ck_assert_int_eq(st.st_blocks, 0);
	ck_assert_int_eq(st.st_blksize, 4096);
	ck_assert_int_eq(st.st_uid, 0);
	ck_assert_int_eq(st.st_gid, 0);
}
END_TEST

START_TEST(test_stat_dir_size_per_entry)
{
	struct stat st;

	h_mkdir("/d", 0755);
	h_stat("/d", &st);
	ck_assert_int_eq(st.st_size, 40);
	create("/d/f");
	h_stat("/d", &st);
	ck_assert_int_eq(st.st_size, 60);
	h_mkdir("/d/s", 0755);
	ck_assert_int_eq(vfs_symlinkat(ht, "f", AT_FDCWD, "/d/l"), 0);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/d/p", S_IFIFO | 0644, 0),
			 0);
	h_stat("/d", &st);
	ck_assert_int_eq(st.st_size, 120);
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "/d/f", AT_FDCWD, "/d/g", 0),
			 0);
	h_stat("/d", &st);
	ck_assert_int_eq(st.st_size, 140);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d/f", 0), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d/s", AT_REMOVEDIR), 0);
	h_stat("/d", &st);
	ck_assert_int_eq(st.st_size, 100);
	/* a rename within the directory keeps the count */
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/d/g", AT_FDCWD, "/d/h",
				       0), 0);
	h_stat("/d", &st);
	ck_assert_int_eq(st.st_size, 100);
	/* a rename out of it moves 20 bytes */
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/d/h", AT_FDCWD, "/h", 0),
			 0);
	h_stat("/d", &st);
	ck_assert_int_eq(st.st_size, 80);
	h_stat("/", &st);
	ck_assert_int_eq(st.st_size, 80);
}
END_TEST

START_TEST(test_stat_dir_nlink_counts_subdirs)
{
	struct stat st;

	h_mkdir("/d", 0755);
	h_mkdir("/d/a", 0755);
	h_mkdir("/d/b", 0755);
	create("/d/f");
	h_stat("/d", &st);
	ck_assert_int_eq(st.st_nlink, 4);
	h_stat("/", &st);
	ck_assert_int_eq(st.st_nlink, 3);
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/d/a", AT_FDCWD, "/a", 0),
			 0);
	h_stat("/d", &st);
	ck_assert_int_eq(st.st_nlink, 3);
	h_stat("/", &st);
	ck_assert_int_eq(st.st_nlink, 4);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d/b", AT_REMOVEDIR), 0);
	h_stat("/d", &st);
	ck_assert_int_eq(st.st_nlink, 2);
}
END_TEST

START_TEST(test_stat_removed_dir_nlink_zero)
{
	struct stat st;
	int fd;

	h_mkdir("/d", 0755);
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d", AT_REMOVEDIR), 0);
	fstat_of(fd, &st);
	ck_assert_int_eq(st.st_nlink, 0);
	ck_assert_int_eq(st.st_size, 40);
	h_stat("/", &st);
	ck_assert_int_eq(st.st_nlink, 2);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_stat_file_nlink_and_ino)
{
	struct stat a, b;
	int fd;

	create("/f");
	h_stat("/f", &a);
	ck_assert_int_eq(a.st_nlink, 1);
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "/f", AT_FDCWD, "/g", 0), 0);
	h_stat("/g", &b);
	ck_assert_int_eq(b.st_nlink, 2);
	ck_assert(a.st_ino == b.st_ino);
	ck_assert(a.st_dev == b.st_dev);
	fd = h_open("/f", O_RDONLY);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/f", 0), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/g", 0), 0);
	fstat_of(fd, &b);
	ck_assert_int_eq(b.st_nlink, 0);
	ck_assert(a.st_ino == b.st_ino);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_stat_regular_size_and_blocks)
{
	struct stat st;
	int fd = h_open("/f", O_RDWR | O_CREAT);

	fstat_of(fd, &st);
	ck_assert_int_eq(st.st_mode, S_IFREG | 0644);
	ck_assert_int_eq(st.st_size, 0);
	ck_assert_int_eq(st.st_blocks, 0);
	ck_assert_int_eq(st.st_blksize, 4096);
	ck_assert_int_eq(vfs_write(ht, fd, "x", 1), 1);
	fstat_of(fd, &st);
	ck_assert_int_eq(st.st_size, 1);
	ck_assert_int_eq(st.st_blocks, 8);
	/* a page far away: two pages stored, not the hole between */
	ck_assert_int_eq(vfs_pwrite64(ht, fd, "y", 1, 100 * 4096), 1);
	fstat_of(fd, &st);
	ck_assert_int_eq(st.st_size, 100 * 4096 + 1);
	ck_assert_int_eq(st.st_blocks, 16);
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 4096), 0);
	fstat_of(fd, &st);
	ck_assert_int_eq(st.st_blocks, 8);
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 0), 0);
	fstat_of(fd, &st);
	ck_assert_int_eq(st.st_blocks, 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_stat_mode_of_every_type)
{
	struct stat st;

	h_mkdir("/d", 0750);
	create("/f");
	ck_assert_int_eq(vfs_symlinkat(ht, "f", AT_FDCWD, "/l"), 0);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/p", S_IFIFO | 0666, 0), 0);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/s", S_IFSOCK | 0666, 0),
			 0);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/c", S_IFCHR | 0666,
				     makedev(1, 3)), 0);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/b", S_IFBLK | 0600,
				     makedev(8, 1)), 0);
	/* type 0 makes a regular file and ignores dev */
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/r", 0640, makedev(8, 1)),
			 0);

	h_stat("/d", &st);
	ck_assert_int_eq(st.st_mode, S_IFDIR | 0750);
	h_stat("/f", &st);
	ck_assert_int_eq(st.st_mode, S_IFREG | 0644);
	ck_assert_int_eq(st.st_rdev, 0);
	lstat_of("/l", &st);
	ck_assert_int_eq(st.st_mode, S_IFLNK | 0777);
	h_stat("/p", &st);
	ck_assert_int_eq(st.st_mode, S_IFIFO | 0644);
	ck_assert_int_eq(st.st_rdev, 0);
	h_stat("/s", &st);
	ck_assert_int_eq(st.st_mode, S_IFSOCK | 0644);
	h_stat("/c", &st);
	ck_assert_int_eq(st.st_mode, S_IFCHR | 0644);
	ck_assert_int_eq(major(st.st_rdev), 1);
	ck_assert_int_eq(minor(st.st_rdev), 3);
	ck_assert_int_eq(st.st_size, 0);
	h_stat("/b", &st);
	ck_assert_int_eq(st.st_mode, S_IFBLK | 0600);
	ck_assert_int_eq(major(st.st_rdev), 8);
	ck_assert_int_eq(minor(st.st_rdev), 1);
	h_stat("/r", &st);
	ck_assert_int_eq(st.st_mode, S_IFREG | 0640);
	ck_assert_int_eq(st.st_rdev, 0);
}
END_TEST

START_TEST(test_stat_symlink_nofollow)
{
	struct stat st, target;

	h_write_file("/f", "12345");
	ck_assert_int_eq(vfs_symlinkat(ht, "f", AT_FDCWD, "/l"), 0);
	h_stat("/f", &target);
	h_stat("/l", &st);
	ck_assert_int_eq(st.st_mode, S_IFREG | 0644);
	ck_assert_int_eq(st.st_size, 5);
	ck_assert(st.st_ino == target.st_ino);
	lstat_of("/l", &st);
	ck_assert_int_eq(st.st_mode, S_IFLNK | 0777);
	ck_assert_int_eq(st.st_size, 1);
	ck_assert_int_eq(st.st_nlink, 1);
	ck_assert(st.st_ino != target.st_ino);
	/* a dangling link: stat fails, lstat works */
	ck_assert_int_eq(vfs_symlinkat(ht, "nowhere", AT_FDCWD, "/dl"), 0);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "/dl", &st, 0), ENOENT);
	lstat_of("/dl", &st);
	ck_assert_int_eq(st.st_size, 7);
	/* trailing slash follows even with AT_SYMLINK_NOFOLLOW */
	h_mkdir("/d", 0755);
	ck_assert_int_eq(vfs_symlinkat(ht, "d", AT_FDCWD, "/ld"), 0);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "/ld/", &st,
					AT_SYMLINK_NOFOLLOW), 0);
	ck_assert_int_eq(st.st_mode, S_IFDIR | 0755);
}
END_TEST

START_TEST(test_stat_symlink_blocks)
{
	char target[200];
	struct stat st;

	/* tmpfs keeps targets under 128 bytes inline, longer ones in a page */
	memset(target, 'a', sizeof(target));
	target[127] = '\0';
	ck_assert_int_eq(vfs_symlinkat(ht, target, AT_FDCWD, "/short"), 0);
	target[127] = 'a';
	target[128] = '\0';
	ck_assert_int_eq(vfs_symlinkat(ht, target, AT_FDCWD, "/long"), 0);
	lstat_of("/short", &st);
	ck_assert_int_eq(st.st_size, 127);
	ck_assert_int_eq(st.st_blocks, 0);
	lstat_of("/long", &st);
	ck_assert_int_eq(st.st_size, 128);
	ck_assert_int_eq(st.st_blocks, 8);
}
END_TEST

START_TEST(test_stat_empty_path)
{
	struct stat st, want;
	int fd;

	h_write_file("/f", "abc");
	h_stat("/f", &want);
	fd = h_open("/f", O_RDONLY);
	ck_assert_int_eq(vfs_newfstatat(ht, fd, "", &st, AT_EMPTY_PATH), 0);
	ck_assert(st.st_ino == want.st_ino);
	ck_assert_int_eq(st.st_size, 3);
	/* without the flag an empty path is ENOENT */
	ck_assert_errno(vfs_newfstatat(ht, fd, "", &st, 0), ENOENT);
	/* AT_FDCWD with AT_EMPTY_PATH is the cwd */
	h_mkdir("/d", 0755);
	ck_assert_int_eq(vfs_chdir(ht, "/d"), 0);
	h_stat("/d", &want);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "", &st, AT_EMPTY_PATH),
			 0);
	ck_assert(st.st_ino == want.st_ino);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_stat_opath_symlink_fd)
{
	struct stat st;
	int fd;

	create("/f");
	ck_assert_int_eq(vfs_symlinkat(ht, "f", AT_FDCWD, "/l"), 0);
	fd = h_open("/l", O_PATH | O_NOFOLLOW);
	fstat_of(fd, &st);
	ck_assert_int_eq(st.st_mode, S_IFLNK | 0777);
	ck_assert_int_eq(vfs_newfstatat(ht, fd, "", &st, AT_EMPTY_PATH), 0);
	ck_assert_int_eq(st.st_mode, S_IFLNK | 0777);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_stat_relative_to_dirfd)
{
	struct stat st;
	int dfd;

	h_mkdir("/d", 0755);
	h_write_file("/d/f", "abcd");
	dfd = h_open("/d", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(vfs_newfstatat(ht, dfd, "f", &st, 0), 0);
	ck_assert_int_eq(st.st_size, 4);
	/* absolute paths ignore the dirfd, even a bad one */
	ck_assert_int_eq(vfs_newfstatat(ht, 1000, "/d/f", &st, 0), 0);
	vfs_close(ht, dfd);
}
END_TEST

START_TEST(test_statx_fields_match_stat)
{
	struct statx sx;
	struct stat st;
	int fd;

	fd = h_open("/f", O_RDWR | O_CREAT);
	ck_assert_int_eq(vfs_write(ht, fd, "hello", 5), 5);
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "/f", AT_FDCWD, "/g", 0), 0);
	h_stat("/f", &st);
	ck_assert_int_eq(vfs_statx(ht, AT_FDCWD, "/f", 0,
				   STATX_BASIC_STATS | STATX_BTIME, &sx), 0);
	ck_assert_uint_eq(sx.stx_mask & (STATX_BASIC_STATS | STATX_BTIME),
			  STATX_BASIC_STATS | STATX_BTIME);
	ck_assert_int_eq(sx.stx_mode, S_IFREG | 0644);
	ck_assert_int_eq(sx.stx_nlink, 2);
	ck_assert_int_eq(sx.stx_size, 5);
	ck_assert_int_eq(sx.stx_blocks, 8);
	ck_assert_int_eq(sx.stx_blksize, 4096);
	ck_assert_int_eq(sx.stx_uid, 0);
	ck_assert_int_eq(sx.stx_gid, 0);
	ck_assert(sx.stx_ino == st.st_ino);
	ck_assert(makedev(sx.stx_dev_major, sx.stx_dev_minor) == st.st_dev);
	ck_assert_int_eq(sx.stx_mtime.tv_sec, st.st_mtim.tv_sec);
	ck_assert_int_eq(sx.stx_mtime.tv_nsec, st.st_mtim.tv_nsec);
	ck_assert_int_eq(sx.stx_ctime.tv_sec, st.st_ctim.tv_sec);
	ck_assert_int_eq(sx.stx_ctime.tv_nsec, st.st_ctim.tv_nsec);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_statx_btime_is_creation)
{
	struct statx a, b;
	int fd;

	fd = h_open("/f", O_RDWR | O_CREAT);
	ck_assert_int_eq(vfs_statx(ht, fd, "", AT_EMPTY_PATH,
				   STATX_BASIC_STATS | STATX_BTIME, &a), 0);
	ck_assert(a.stx_mask & STATX_BTIME);
	/* a new file: all four times equal */
	ck_assert_int_eq(a.stx_btime.tv_sec, a.stx_ctime.tv_sec);
	ck_assert_int_eq(a.stx_btime.tv_nsec, a.stx_ctime.tv_nsec);
	ck_assert_int_eq(a.stx_mtime.tv_nsec, a.stx_ctime.tv_nsec);
	ck_assert_int_eq(a.stx_atime.tv_nsec, a.stx_ctime.tv_nsec);
	h_tick();
	ck_assert_int_eq(vfs_write(ht, fd, "x", 1), 1);
	ck_assert_int_eq(vfs_fchmod(ht, fd, 0600), 0);
	ck_assert_int_eq(vfs_statx(ht, AT_FDCWD, "/f", 0, STATX_BTIME, &b), 0);
	ck_assert(b.stx_mask & STATX_BTIME);
	ck_assert_int_eq(b.stx_btime.tv_sec, a.stx_btime.tv_sec);
	ck_assert_int_eq(b.stx_btime.tv_nsec, a.stx_btime.tv_nsec);
	ck_assert(b.stx_ctime.tv_sec > a.stx_ctime.tv_sec ||
		  b.stx_ctime.tv_nsec != a.stx_ctime.tv_nsec);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_statx_symlink_nofollow)
{
	struct statx sx;

	h_write_file("/f", "abc");
	ck_assert_int_eq(vfs_symlinkat(ht, "f", AT_FDCWD, "/l"), 0);
	ck_assert_int_eq(vfs_statx(ht, AT_FDCWD, "/l", AT_SYMLINK_NOFOLLOW,
				   STATX_BASIC_STATS, &sx), 0);
	ck_assert_int_eq(sx.stx_mode, S_IFLNK | 0777);
	ck_assert_int_eq(sx.stx_size, 1);
	ck_assert_int_eq(vfs_statx(ht, AT_FDCWD, "/l", 0, STATX_BASIC_STATS,
				   &sx), 0);
	ck_assert_int_eq(sx.stx_mode, S_IFREG | 0644);
	ck_assert_int_eq(sx.stx_size, 3);
}
END_TEST

START_TEST(test_time_create_updates_parent)
{
	struct stat before, after, f;

	h_mkdir("/d", 0755);
	h_stat("/d", &before);
	h_tick();
	create("/d/f");
	h_stat("/d", &after);
	ck_assert(ts_lt(before.st_mtim, after.st_mtim));
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	/* the new file's times are the parent's new mtime */
	h_stat("/d/f", &f);
	ck_assert(ts_eq(f.st_mtim, after.st_mtim));
	ck_assert(ts_eq(f.st_ctim, f.st_mtim));
	ck_assert(ts_eq(f.st_atim, f.st_mtim));

	before = after;
	h_tick();
	h_mkdir("/d/s", 0755);
	h_stat("/d", &after);
	ck_assert(ts_lt(before.st_mtim, after.st_mtim));
	before = after;
	h_tick();
	ck_assert_int_eq(vfs_symlinkat(ht, "x", AT_FDCWD, "/d/l"), 0);
	h_stat("/d", &after);
	ck_assert(ts_lt(before.st_mtim, after.st_mtim));
	before = after;
	h_tick();
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d/s", AT_REMOVEDIR), 0);
	h_stat("/d", &after);
	ck_assert(ts_lt(before.st_mtim, after.st_mtim));
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
}
END_TEST

START_TEST(test_time_write_updates_mtime_ctime)
{
	struct stat before, after, dir_before, dir_after;
	char buf[4];
	int fd;

	h_mkdir("/d", 0755);
	fd = h_open("/d/f", O_RDWR | O_CREAT);
	fstat_of(fd, &before);
	h_stat("/d", &dir_before);
	h_tick();
	ck_assert_int_eq(vfs_write(ht, fd, "abc", 3), 3);
	fstat_of(fd, &after);
	ck_assert(ts_lt(before.st_mtim, after.st_mtim));
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	h_stat("/d", &dir_after);
	ck_assert(ts_eq(dir_before.st_mtim, dir_after.st_mtim));

	/* reads and empty writes change neither */
	before = after;
	h_tick();
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, 3, 0), 3);
	ck_assert_int_eq(vfs_write(ht, fd, "", 0), 0);
	fstat_of(fd, &after);
	ck_assert(ts_eq(before.st_mtim, after.st_mtim));
	ck_assert(ts_eq(before.st_ctim, after.st_ctim));
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_time_truncate_updates_mtime_ctime)
{
	struct stat before, after;
	int fd;

	h_write_file("/f", "abcdef");
	fd = h_open("/f", O_RDWR);
	fstat_of(fd, &before);
	h_tick();
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 2), 0);
	fstat_of(fd, &after);
	ck_assert(ts_lt(before.st_mtim, after.st_mtim));
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	/* even truncate(2) to the same size does */
	before = after;
	h_tick();
	ck_assert_int_eq(vfs_truncate(ht, "/f", 2), 0);
	fstat_of(fd, &after);
	ck_assert(ts_lt(before.st_mtim, after.st_mtim));
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	/* and O_TRUNC on an empty file */
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 0), 0);
	fstat_of(fd, &before);
	h_tick();
	vfs_close(ht, h_open("/f", O_WRONLY | O_TRUNC));
	fstat_of(fd, &after);
	ck_assert(ts_lt(before.st_mtim, after.st_mtim));
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_time_chmod_updates_ctime_only)
{
	struct stat before, after, dir;

	h_mkdir("/d", 0755);
	create("/d/f");
	h_stat("/d/f", &before);
	h_stat("/d", &dir);
	h_tick();
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/d/f", 0600, 0), 0);
	h_stat("/d/f", &after);
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	ck_assert(ts_eq(before.st_mtim, after.st_mtim));
	h_stat("/d", &after);
	ck_assert(ts_eq(dir.st_mtim, after.st_mtim));
	ck_assert(ts_eq(dir.st_ctim, after.st_ctim));
	/* a chmod to the same mode still counts as a change */
	h_stat("/d/f", &before);
	h_tick();
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/d/f", 0600, 0), 0);
	h_stat("/d/f", &after);
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	/* so does chown with -1, -1 */
	before = after;
	h_tick();
	ck_assert_int_eq(vfs_fchownat(ht, AT_FDCWD, "/d/f", -1, -1, 0), 0);
	h_stat("/d/f", &after);
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
}
END_TEST

START_TEST(test_time_link_unlink_update_ctime)
{
	struct stat before, after, d1, d2;

	h_mkdir("/d", 0755);
	h_mkdir("/e", 0755);
	create("/d/f");
	h_stat("/d/f", &before);
	h_stat("/d", &d1);
	h_stat("/e", &d2);
	h_tick();
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "/d/f", AT_FDCWD, "/e/g", 0),
			 0);
	h_stat("/d/f", &after);
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	ck_assert(ts_eq(before.st_mtim, after.st_mtim));
	h_stat("/d", &after);
	ck_assert(ts_eq(d1.st_mtim, after.st_mtim));
	h_stat("/e", &after);
	ck_assert(ts_lt(d2.st_mtim, after.st_mtim));
	ck_assert(ts_lt(d2.st_ctim, after.st_ctim));

	h_stat("/d/f", &before);
	h_stat("/e", &d2);
	h_tick();
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/e/g", 0), 0);
	h_stat("/d/f", &after);
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	ck_assert(ts_eq(before.st_mtim, after.st_mtim));
	h_stat("/e", &after);
	ck_assert(ts_lt(d2.st_mtim, after.st_mtim));
}
END_TEST

START_TEST(test_time_rename_updates_ctime)
{
	struct stat before, after, d1, d2, victim;
	int fd, vfd;

	h_mkdir("/d", 0755);
	h_mkdir("/e", 0755);
	create("/d/f");
	create("/e/v");
	fd = h_open("/d/f", O_RDONLY);
	vfd = h_open("/e/v", O_RDONLY);
	fstat_of(fd, &before);
	fstat_of(vfd, &victim);
	h_stat("/d", &d1);
	h_stat("/e", &d2);
	h_tick();
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/d/f", AT_FDCWD, "/e/v",
				       0), 0);
	fstat_of(fd, &after);
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	ck_assert(ts_eq(before.st_mtim, after.st_mtim));
	h_stat("/d", &after);
	ck_assert(ts_lt(d1.st_mtim, after.st_mtim));
	ck_assert(ts_lt(d1.st_ctim, after.st_ctim));
	h_stat("/e", &after);
	ck_assert(ts_lt(d2.st_mtim, after.st_mtim));
	/* the replaced file lost its name: ctime, nlink 0 */
	fstat_of(vfd, &after);
	ck_assert(ts_lt(victim.st_ctim, after.st_ctim));
	ck_assert_int_eq(after.st_nlink, 0);
	vfs_close(ht, vfd);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_time_utimensat_sets_and_omits)
{
	struct timespec ts[2] = {
		{ .tv_sec = 1000, .tv_nsec = 5 },
		{ .tv_sec = 2000, .tv_nsec = 7 },
	};
	struct timespec omit[2] = {
		{ .tv_sec = 0, .tv_nsec = UTIME_OMIT },
		{ .tv_sec = 0, .tv_nsec = UTIME_OMIT },
	};
	struct stat before, after;

	create("/f");
	h_stat("/f", &before);
	h_tick();
	ck_assert_int_eq(vfs_utimensat(ht, AT_FDCWD, "/f", ts, 0), 0);
	h_stat("/f", &after);
	ck_assert_int_eq(after.st_atim.tv_sec, 1000);
	ck_assert_int_eq(after.st_atim.tv_nsec, 5);
	ck_assert_int_eq(after.st_mtim.tv_sec, 2000);
	ck_assert_int_eq(after.st_mtim.tv_nsec, 7);
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	/* both omitted: nothing changes, not even ctime */
	before = after;
	h_tick();
	ck_assert_int_eq(vfs_utimensat(ht, AT_FDCWD, "/f", omit, 0), 0);
	h_stat("/f", &after);
	ck_assert(ts_eq(before.st_ctim, after.st_ctim));
	ck_assert(ts_eq(before.st_mtim, after.st_mtim));
	/* NULL is "now" for both */
	ck_assert_int_eq(vfs_utimensat(ht, AT_FDCWD, "/f", NULL, 0), 0);
	h_stat("/f", &after);
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	ck_assert(after.st_mtim.tv_sec > 2000);
	ck_assert(ts_eq(after.st_mtim, after.st_atim));
}
END_TEST

START_TEST(test_time_setxattr_updates_ctime)
{
	struct stat before, after;

	create("/f");
	h_stat("/f", &before);
	h_tick();
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.a", "1", 1, 0), 0);
	h_stat("/f", &after);
	ck_assert(ts_lt(before.st_ctim, after.st_ctim));
	ck_assert(ts_eq(before.st_mtim, after.st_mtim));
}
END_TEST

/* --- errors -------------------------------------------------------------- */

START_TEST(test_stat_bad_flags_einval)
{
	struct stat st;
	struct statx sx;

	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "/", &st, 0x1), EINVAL);
	ck_assert_errno(vfs_statx(ht, AT_FDCWD, "/", 0x80000000, 0, &sx),
			EINVAL);
	ck_assert_errno(vfs_statx(ht, AT_FDCWD, "/",
				  AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC,
				  STATX_BASIC_STATS, &sx), EINVAL);
	ck_assert_errno(vfs_statx(ht, AT_FDCWD, "/", 0, STATX__RESERVED, &sx),
			EINVAL);
}
END_TEST

START_TEST(test_stat_missing_and_notdir)
{
	struct stat st;
	int fd;

	create("/f");
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "/nope", &st, 0), ENOENT);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "/f/x", &st, 0), ENOTDIR);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "/f/", &st, 0), ENOTDIR);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "", &st, 0), ENOENT);
	fd = h_open("/f", O_RDONLY);
	ck_assert_errno(vfs_newfstatat(ht, fd, "x", &st, 0), ENOTDIR);
	ck_assert_errno(vfs_newfstatat(ht, 1000, "x", &st, 0), EBADF);
	ck_assert_errno(vfs_fstat(ht, 1000, &st), EBADF);
	vfs_close(ht, fd);
}
END_TEST

/* --- limits: statfs on a sized tmpfs ------------------------------------- */

static void setup_sized(void)
{
	harness_setup_opts("size=64m,nr_inodes=1000");
}

START_TEST(test_statfs_sized_tmpfs)
{
	struct statfs sf;

	ck_assert_int_eq(vfs_statfs(ht, "/", &sf), 0);
	ck_assert_int_eq(sf.f_type, TMPFS_MAGIC_NUMBER);
	ck_assert_int_eq(sf.f_bsize, 4096);
	ck_assert_int_eq(sf.f_frsize, 4096);
	ck_assert_int_eq(sf.f_blocks, 16384);
	ck_assert_int_eq(sf.f_bfree, 16384);
	ck_assert_int_eq(sf.f_bavail, 16384);
	ck_assert_int_eq(sf.f_files, 1000);
	ck_assert_int_eq(sf.f_ffree, 999);
	ck_assert_int_eq(sf.f_namelen, 255);
	ck_assert_int_eq(sf.f_flags, STATFS_ST_VALID | ST_RELATIME);
}
END_TEST

START_TEST(test_statfs_counts_inodes_and_pages)
{
	struct statfs sf;
	char target[200];
	int fd;

	h_mkdir("/d", 0755);
	fd = h_open("/d/f", O_RDWR | O_CREAT);
	ck_assert_int_eq(vfs_pwrite64(ht, fd, "x", 1, 3 * 4096), 1);
	ck_assert_int_eq(vfs_write(ht, fd, "y", 1), 1);
	memset(target, 't', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';
	ck_assert_int_eq(vfs_symlinkat(ht, target, AT_FDCWD, "/d/l"), 0);
	ck_assert_int_eq(vfs_symlinkat(ht, "short", AT_FDCWD, "/d/s"), 0);
	/* tmpfs charges every extra hard link one inode of nr_inodes */
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "/d/f", AT_FDCWD, "/d/g", 0),
			 0);
	ck_assert_int_eq(vfs_fstatfs(ht, fd, &sf), 0);
	ck_assert_int_eq(sf.f_ffree, 994);
	/* two data pages and the long symlink's page */
	ck_assert_int_eq(sf.f_bfree, 16384 - 3);
	ck_assert_int_eq(sf.f_bavail, 16384 - 3);
	ck_assert_int_eq(vfs_statfs(ht, "/d/g", &sf), 0);
	ck_assert_int_eq(sf.f_ffree, 994);
	/* unlinking one of two links gives the charge back */
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d/g", 0), 0);
	ck_assert_int_eq(vfs_statfs(ht, "/", &sf), 0);
	ck_assert_int_eq(sf.f_ffree, 995);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d/l", 0), 0);
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 0), 0);
	ck_assert_int_eq(vfs_statfs(ht, "/", &sf), 0);
	ck_assert_int_eq(sf.f_ffree, 996);
	ck_assert_int_eq(sf.f_bfree, 16384);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_statfs_errors)
{
	struct statfs sf;

	ck_assert_errno(vfs_statfs(ht, "/nope", &sf), ENOENT);
	ck_assert_errno(vfs_statfs(ht, "", &sf), ENOENT);
	ck_assert_errno(vfs_fstatfs(ht, 1000, &sf), EBADF);
}
END_TEST

/* relatime, as Linux 6.18 tmpfs: reads (even of 0 bytes or at EOF),
 * listings and readlink update an atime older than mtime/ctime; a recent
 * atime stays; O_NOATIME keeps it; ctime never moves. */
static time_t atime_of(const char *path)
{
	struct stat st;

	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, path, &st,
					AT_SYMLINK_NOFOLLOW), 0);
	return st.st_atim.tv_sec;
}

static void set_atime(const char *path, time_t t, int flags)
{
	struct timespec ts[2] = { { t, 0 }, { 0, UTIME_OMIT } };

	ck_assert_int_eq(vfs_utimensat(ht, AT_FDCWD, path, ts, flags), 0);
}

static void read_once(const char *path, int flags, size_t n, off_t at)
{
	char b[8];
	int fd = h_open(path, O_RDONLY | flags);

	ck_assert_int_ge(vfs_pread64(ht, fd, b, n, at), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}

START_TEST(test_atime_relatime_rules)
{
	struct stat before, after;
	char dents[1024], b[8];
	time_t future = time(NULL) + 3600;
	int fd;

	h_write_file("/f", "x");
	set_atime("/f", 1000, 0);
	read_once("/f", 0, 1, 0);
	ck_assert_int_gt(atime_of("/f"), 1000);

	set_atime("/f", future, 0);
	read_once("/f", 0, 1, 0);
	ck_assert_int_eq(atime_of("/f"), future);

	set_atime("/f", 1000, 0);
	read_once("/f", O_NOATIME, 1, 0);
	ck_assert_int_eq(atime_of("/f"), 1000);
	read_once("/f", 0, 0, 0);
	ck_assert_int_gt(atime_of("/f"), 1000);
	set_atime("/f", 1000, 0);
	read_once("/f", 0, 1, 10);
	ck_assert_int_gt(atime_of("/f"), 1000);

	h_mkdir("/d", 0755);
	set_atime("/d", 1000, 0);
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	ck_assert_int_gt(vfs_getdents64(ht, fd, dents, sizeof(dents)), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_gt(atime_of("/d"), 1000);

	ck_assert_int_eq(vfs_symlinkat(ht, "f", AT_FDCWD, "/l"), 0);
	set_atime("/l", 1000, AT_SYMLINK_NOFOLLOW);
	ck_assert_int_eq(vfs_readlinkat(ht, AT_FDCWD, "/l", b, sizeof(b)), 1);
	ck_assert_int_gt(atime_of("/l"), 1000);

	set_atime("/f", 1000, 0);
	h_stat("/f", &before);
	read_once("/f", 0, 1, 0);
	h_stat("/f", &after);
	ck_assert_int_eq(after.st_ctim.tv_sec, before.st_ctim.tv_sec);
	ck_assert_int_eq(after.st_ctim.tv_nsec, before.st_ctim.tv_nsec);
}
END_TEST

static Suite *stat_suite(void)
{
	Suite *s = suite_create("stat");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_atime_relatime_rules);

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_stat_root_dir);
	tcase_add_test(tc, test_stat_dir_size_per_entry);
	tcase_add_test(tc, test_stat_dir_nlink_counts_subdirs);
	tcase_add_test(tc, test_stat_removed_dir_nlink_zero);
	tcase_add_test(tc, test_stat_file_nlink_and_ino);
	tcase_add_test(tc, test_stat_regular_size_and_blocks);
	tcase_add_test(tc, test_stat_mode_of_every_type);
	tcase_add_test(tc, test_stat_symlink_nofollow);
	tcase_add_test(tc, test_stat_symlink_blocks);
	tcase_add_test(tc, test_stat_empty_path);
	tcase_add_test(tc, test_stat_opath_symlink_fd);
	tcase_add_test(tc, test_stat_relative_to_dirfd);
	tcase_add_test(tc, test_statx_fields_match_stat);
	tcase_add_test(tc, test_statx_btime_is_creation);
	tcase_add_test(tc, test_statx_symlink_nofollow);
	tcase_add_test(tc, test_time_create_updates_parent);
	tcase_add_test(tc, test_time_write_updates_mtime_ctime);
	tcase_add_test(tc, test_time_truncate_updates_mtime_ctime);
	tcase_add_test(tc, test_time_chmod_updates_ctime_only);
	tcase_add_test(tc, test_time_link_unlink_update_ctime);
	tcase_add_test(tc, test_time_rename_updates_ctime);
	tcase_add_test(tc, test_time_utimensat_sets_and_omits);
	tcase_add_test(tc, test_time_setxattr_updates_ctime);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_stat_bad_flags_einval);
	tcase_add_test(tc, test_stat_missing_and_notdir);
	tcase_add_test(tc, test_statfs_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup_sized, harness_teardown);
	tcase_add_test(tc, test_statfs_sized_tmpfs);
	tcase_add_test(tc, test_statfs_counts_inodes_and_pages);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(stat_suite)
