// SPDX-License-Identifier: MIT
/*
 * Creating and removing names as Linux does it on tmpfs: mkdirat and
 * mknodat (every file type, mode bits kept and dropped, CAP_MKNOD),
 * unlinkat (file/directory mismatches, `.`, `..` and `/`, non-empty
 * directories, removed working directories), linkat (link counts of files
 * and directories, AT_SYMLINK_FOLLOW, AT_EMPTY_PATH, O_TMPFILE, unlinked
 * files), symlinkat and readlinkat (targets, truncation, limits), open
 * files outliving their last name, and the timestamps a link count change
 * touches.  Every expected value was checked against the kernel on tmpfs.
 */
#include "harness.h"

#include <linux/capability.h>
#include <sys/sysmacros.h>
#include <time.h>

static void mk_symlink(const char *target, const char *path)
{
	int r = vfs_symlinkat(ht, target, AT_FDCWD, path);
	ck_assert_msg(r == 0, "symlink %s -> %s: %d", path, target, r);
}






/* --- core ------------------------------------------------------------- */

START_TEST(test_mkdirat_mode_and_nlink)
{
	struct stat st;

	ck_assert_uint_eq(h_nlink("/"), 2);
	ck_assert_int_eq(vfs_mkdirat(ht, AT_FDCWD, "d", 0777), 0);
	h_lstat("d", &st);
	ck_assert_uint_eq(st.st_mode, S_IFDIR | 0755);
	ck_assert_uint_eq(st.st_nlink, 2);
	ck_assert_uint_eq(h_nlink("/"), 3);
	ck_assert_int_eq(vfs_mkdirat(ht, AT_FDCWD, "d/s", 0700), 0);
	ck_assert_uint_eq(h_nlink("d"), 3);
	ck_assert_uint_eq(h_nlink("/"), 3);
	/* mkdir keeps the sticky bit but drops setuid and setgid */
	ck_assert_int_eq(vfs_mkdirat(ht, AT_FDCWD, "sticky", 07777), 0);
	h_lstat("sticky", &st);
	ck_assert_uint_eq(st.st_mode, S_IFDIR | 01755);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "d/s", AT_REMOVEDIR), 0);
	ck_assert_uint_eq(h_nlink("d"), 2);
}
END_TEST

START_TEST(test_mknodat_every_type)
{
	struct stat st;

	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "reg", S_IFREG | 0666, 0),
			 0);
	h_lstat("reg", &st);
	ck_assert_uint_eq(st.st_mode, S_IFREG | 0644);
	ck_assert_int_eq(st.st_size, 0);
	/* type 0 means a regular file */
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "reg0", 0666, 0), 0);
	h_lstat("reg0", &st);
	ck_assert_uint_eq(st.st_mode, S_IFREG | 0644);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "fifo", S_IFIFO | 01777, 0),
			 0);
	h_lstat("fifo", &st);
	ck_assert_uint_eq(st.st_mode, S_IFIFO | 01755);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "sock", S_IFSOCK | 0666, 0),
			 0);
	h_lstat("sock", &st);
	ck_assert_uint_eq(st.st_mode, S_IFSOCK | 0644);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "chr", S_IFCHR | 0666,
				     makedev(1, 3)), 0);
	h_lstat("chr", &st);
	ck_assert_uint_eq(st.st_mode, S_IFCHR | 0644);
	ck_assert_uint_eq(major(st.st_rdev), 1);
	ck_assert_uint_eq(minor(st.st_rdev), 3);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "blk", S_IFBLK | 0600,
				     makedev(8, 1)), 0);
	h_lstat("blk", &st);
	ck_assert_uint_eq(st.st_mode, S_IFBLK | 0600);
	ck_assert_uint_eq(major(st.st_rdev), 8);
	ck_assert_uint_eq(minor(st.st_rdev), 1);
	/* mknod keeps setuid/setgid on a regular file */
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "suid", S_IFREG | 06777, 0),
			 0);
	h_lstat("suid", &st);
	ck_assert_uint_eq(st.st_mode, S_IFREG | 06755);
	ck_assert_uint_eq(h_nlink("/"), 2);
}
END_TEST

START_TEST(test_unlinkat_file_and_dir)
{
	struct stat st;

	h_write_file("f", "x");
	h_mkdir("d", 0755);
	h_mkdir("e", 0755);
	ck_assert_uint_eq(h_nlink("/"), 4);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "f", 0), 0);
	ck_assert_errno(h_lstat_ret("f"), ENOENT);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "d", AT_REMOVEDIR), 0);
	ck_assert_errno(h_lstat_ret("d"), ENOENT);
	ck_assert_uint_eq(h_nlink("/"), 3);
	/* a trailing slash is fine on a directory */
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "e/", AT_REMOVEDIR), 0);
	ck_assert_uint_eq(h_nlink("/"), 2);
	/* unlink of a symlink removes the link, not its target */
	h_mkdir("t", 0755);
	mk_symlink("t", "lt");
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "lt", 0), 0);
	h_stat("t", &st);
	ck_assert(S_ISDIR(st.st_mode));
}
END_TEST

START_TEST(test_linkat_nlink_counts)
{
	struct stat st;

	h_mkdir("d", 0755);
	h_write_file("f", "x");
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, "d/f2", 0),
			 0);
	ck_assert_uint_eq(h_nlink("f"), 2);
	ck_assert_uint_eq(h_nlink("d/f2"), 2);
	h_stat("d/f2", &st);
	ino_t ino = st.st_ino;
	h_stat("f", &st);
	ck_assert_uint_eq(st.st_ino, ino);
	/* a file link does not change directory link counts */
	ck_assert_uint_eq(h_nlink("d"), 2);
	ck_assert_uint_eq(h_nlink("/"), 3);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "f", 0), 0);
	ck_assert_uint_eq(h_nlink("d/f2"), 1);
	/* data is shared through the remaining name */
	int fd = h_open("d/f2", O_RDONLY);
	char c = 0;
	ck_assert_int_eq(vfs_read(ht, fd, &c, 1), 1);
	ck_assert_int_eq(c, 'x');
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_linkat_symlink_follow_or_not)
{
	struct stat st;

	h_write_file("f", "x");
	mk_symlink("f", "sl");
	mk_symlink("nonex", "dangl");
	/* without AT_SYMLINK_FOLLOW the link itself gets a second name */
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "sl", AT_FDCWD, "h_nofollow",
				    0), 0);
	h_lstat("h_nofollow", &st);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_uint_eq(st.st_nlink, 2);
	ck_assert_uint_eq(h_nlink("f"), 1);
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "sl", AT_FDCWD, "h_follow",
				    AT_SYMLINK_FOLLOW), 0);
	h_lstat("h_follow", &st);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(h_nlink("f"), 2);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "dangl", AT_FDCWD, "h_dang",
				   AT_SYMLINK_FOLLOW), ENOENT);
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "dangl", AT_FDCWD, "h_dang",
				    0), 0);
	h_lstat("h_dang", &st);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_uint_eq(st.st_nlink, 2);
}
END_TEST

START_TEST(test_linkat_empty_path)
{
	struct stat st;

	h_write_file("f", "x");
	mk_symlink("f", "sl");
	int fd = h_open("f", O_RDONLY);
	ck_assert_int_eq(vfs_linkat(ht, fd, "", AT_FDCWD, "h_empty",
				    AT_EMPTY_PATH), 0);
	ck_assert_uint_eq(h_nlink("f"), 2);
	ck_assert_errno(vfs_linkat(ht, fd, "", AT_FDCWD, "h_empty2", 0),
			ENOENT);
	/* an O_PATH|O_NOFOLLOW fd links the symlink itself */
	int pfd = vfs_openat(ht, AT_FDCWD, "sl", O_PATH | O_NOFOLLOW, 0);
	ck_assert_int_ge(pfd, 0);
	ck_assert_int_eq(vfs_linkat(ht, pfd, "", AT_FDCWD, "h_link",
				    AT_EMPTY_PATH), 0);
	h_lstat("h_link", &st);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_uint_eq(st.st_nlink, 2);
	ck_assert_int_eq(vfs_close(ht, pfd), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_linkat_o_tmpfile)
{
	struct stat st;
	char buf[8];

	h_mkdir("d", 0755);
	int fd = vfs_openat(ht, AT_FDCWD, "d", O_TMPFILE | O_RDWR, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_uint_eq(st.st_nlink, 0);
	ck_assert_uint_eq(st.st_mode, S_IFREG | 0600);
	ck_assert_int_eq(vfs_write(ht, fd, "tmp", 3), 3);
	ck_assert_uint_eq(h_nlink("d"), 2);
	ck_assert_int_eq(vfs_linkat(ht, fd, "", AT_FDCWD, "d/t",
				    AT_EMPTY_PATH), 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_uint_eq(st.st_nlink, 1);
	h_lstat("d/t", &st);
	ck_assert_uint_eq(st.st_mode, S_IFREG | 0600);
	ck_assert_int_eq(st.st_size, 3);
	ck_assert_int_eq(vfs_linkat(ht, fd, "", AT_FDCWD, "d/t2",
				    AT_EMPTY_PATH), 0);
	ck_assert_uint_eq(h_nlink("d/t"), 2);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	fd = h_open("d/t2", O_RDONLY);
	ck_assert_int_eq(vfs_read(ht, fd, buf, sizeof(buf)), 3);
	ck_assert_int_eq(memcmp(buf, "tmp", 3), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	/* write-only is enough */
	fd = vfs_openat(ht, AT_FDCWD, "d", O_TMPFILE | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_symlinkat_readlinkat)
{
	struct stat st;
	char buf[64];

	h_mkdir("d", 0755);
	ck_assert_int_eq(vfs_symlinkat(ht, "target", AT_FDCWD, "s1"), 0);
	h_lstat("s1", &st);
	ck_assert_uint_eq(st.st_mode, S_IFLNK | 0777);
	ck_assert_int_eq(st.st_size, 6);
	ck_assert_uint_eq(st.st_nlink, 1);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(vfs_readlinkat(ht, AT_FDCWD, "s1", buf, sizeof(buf)),
			 6);
	ck_assert_str_eq(buf, "target");
	/* a dirfd-relative link, readable through the dirfd */
	int dfd = h_open("d", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(vfs_symlinkat(ht, "../s1", dfd, "up"), 0);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(vfs_readlinkat(ht, dfd, "up", buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "../s1");
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
	/* any bytes are a valid target; nothing is checked */
	ck_assert_int_eq(vfs_symlinkat(ht, "//a/../b/./", AT_FDCWD, "odd"), 0);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(vfs_readlinkat(ht, AT_FDCWD, "odd", buf, sizeof(buf)),
			 11);
	ck_assert_str_eq(buf, "//a/../b/./");
}
END_TEST

START_TEST(test_readlinkat_truncates_to_bufsiz)
{
	char buf[16];

	mk_symlink("target", "s1");
	memset(buf, '#', sizeof(buf));
	ck_assert_int_eq(vfs_readlinkat(ht, AT_FDCWD, "s1", buf, 3), 3);
	ck_assert_int_eq(memcmp(buf, "tar#", 4), 0);
	memset(buf, '#', sizeof(buf));
	ck_assert_int_eq(vfs_readlinkat(ht, AT_FDCWD, "s1", buf, 6), 6);
	ck_assert_int_eq(memcmp(buf, "target#", 7), 0);
}
END_TEST

START_TEST(test_unlinked_open_file_usable)
{
	struct stat st, st2;
	char buf[16];

	h_write_file("u", "hello");
	int fd = h_open("u", O_RDWR);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "u", 0), 0);
	ck_assert_errno(h_lstat_ret("u"), ENOENT);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_uint_eq(st.st_nlink, 0);
	ck_assert_int_eq(vfs_pwrite64(ht, fd, "world", 5, 5), 5);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), 0), 10);
	ck_assert_int_eq(memcmp(buf, "helloworld", 10), 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_int_eq(st.st_size, 10);
	/* a new file under the old name is a different node */
	h_write_file("u", "new");
	h_stat("u", &st2);
	ck_assert_uint_ne(st2.st_ino, st.st_ino);
	ck_assert_int_eq(st2.st_size, 3);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), 0), 10);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_removed_directory_open_fd)
{
	struct stat st;
	char buf[512];

	h_mkdir("d", 0755);
	int dfd = h_open("d", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "d", AT_REMOVEDIR), 0);
	ck_assert_int_eq(vfs_fstat(ht, dfd, &st), 0);
	ck_assert_uint_eq(st.st_nlink, 0);
	ck_assert_errno(vfs_getdents64(ht, dfd, buf, sizeof(buf)), ENOENT);
	ck_assert_errno(vfs_openat(ht, dfd, "x", O_CREAT | O_WRONLY, 0644),
			ENOENT);
	ck_assert_errno(vfs_mkdirat(ht, dfd, "x", 0755), ENOENT);
	ck_assert_int_eq(vfs_newfstatat(ht, dfd, ".", &st, 0), 0);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
}
END_TEST

START_TEST(test_rmdir_cwd_then_create_enoent)
{
	struct stat st;

	h_mkdir("c", 0755);
	ck_assert_int_eq(vfs_chdir(ht, "c"), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/c", AT_REMOVEDIR), 0);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "x", 0755), ENOENT);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "x", O_CREAT | O_WRONLY,
				   0644), ENOENT);
	/* before a link's EXDEV, or a read-only mount's EROFS */
	h_mkdir("/m", 0755);
	ck_assert_int_eq(vfs_mount(ht, "none", "/m", "tmpfs", 0, NULL), 0);
	h_write_file("/m/f", "");
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "/m/f", AT_FDCWD, "x", 0),
			ENOENT);
	ck_assert_errno(vfs_symlinkat(ht, "a", AT_FDCWD, "x"), ENOENT);
	ck_assert_errno(vfs_mknodat(ht, AT_FDCWD, "x", S_IFIFO | 0644, 0),
			ENOENT);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, ".", &st, 0), 0);
	ck_assert_uint_eq(st.st_nlink, 0);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "..", &st, 0), 0);
	ck_assert(S_ISDIR(st.st_mode));
}
END_TEST

START_TEST(test_link_count_change_updates_ctime)
{
	struct stat a, b, pa, pb;

	h_mkdir("d", 0755);
	h_write_file("f", "x");
	int fd = h_open("f", O_RDONLY);

	ck_assert_int_eq(vfs_fstat(ht, fd, &a), 0);
	h_lstat("d", &pa);
	h_tick();
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, "d/g", 0), 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &b), 0);
	h_lstat("d", &pb);
	ck_assert_msg(h_ts_after(b.st_ctim, a.st_ctim), "link: file ctime");
	ck_assert_msg(h_ts_after(pb.st_mtim, pa.st_mtim), "link: dir mtime");
	ck_assert_msg(h_ts_after(pb.st_ctim, pa.st_ctim), "link: dir ctime");
	/* the data was not touched */
	ck_assert_int_eq(b.st_mtim.tv_sec, a.st_mtim.tv_sec);
	ck_assert_int_eq(b.st_mtim.tv_nsec, a.st_mtim.tv_nsec);

	a = b;
	pa = pb;
	h_tick();
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "d/g", 0), 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &b), 0);
	h_lstat("d", &pb);
	ck_assert_msg(h_ts_after(b.st_ctim, a.st_ctim), "unlink: file ctime");
	ck_assert_msg(h_ts_after(pb.st_mtim, pa.st_mtim), "unlink: dir mtime");

	/* the last unlink too, seen through the open fd */
	a = b;
	h_tick();
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "f", 0), 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &b), 0);
	ck_assert_uint_eq(b.st_nlink, 0);
	ck_assert_msg(h_ts_after(b.st_ctim, a.st_ctim), "last unlink: ctime");
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

/* --- errors ----------------------------------------------------------- */

START_TEST(test_mkdirat_existing_eexist)
{
	h_mkdir("d", 0755);
	h_write_file("f", "x");
	mk_symlink("nonex", "dang");
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "d", 0755), EEXIST);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "f", 0755), EEXIST);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "dang", 0755), EEXIST);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "/", 0755), EEXIST);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, ".", 0755), EEXIST);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "..", 0755), EEXIST);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "d/.", 0755), EEXIST);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "d/..", 0755), EEXIST);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "nodir/x", 0755), ENOENT);
	ck_assert_errno(h_lstat_ret("nonex"), ENOENT);
}
END_TEST

START_TEST(test_mknodat_bad_type)
{
	h_write_file("reg", "");
	h_mkdir("d", 0755);
	ck_assert_errno(vfs_mknodat(ht, AT_FDCWD, "dir", S_IFDIR | 0755, 0),
			EPERM);
	ck_assert_errno(vfs_mknodat(ht, AT_FDCWD, "lnk", S_IFLNK | 0755, 0),
			EINVAL);
	ck_assert_errno(vfs_mknodat(ht, AT_FDCWD, "bad", 0170000 | 0755, 0),
			EINVAL);
	ck_assert_errno(vfs_mknodat(ht, AT_FDCWD, "reg", S_IFREG | 0755, 0),
			EEXIST);
	ck_assert_errno(vfs_mknodat(ht, AT_FDCWD, "reg", S_IFCHR | 0755, 0),
			EEXIST);
	ck_assert_errno(vfs_mknodat(ht, AT_FDCWD, "d", S_IFIFO | 0755, 0),
			EEXIST);
	ck_assert_errno(vfs_mknodat(ht, AT_FDCWD, "reg/x", S_IFIFO | 0755, 0),
			ENOTDIR);
	ck_assert_errno(h_lstat_ret("dir"), ENOENT);
	ck_assert_errno(h_lstat_ret("lnk"), ENOENT);
}
END_TEST

START_TEST(test_mknodat_device_without_cap_mknod_eperm)
{
	struct vfs_task *u = harness_user_task(0, 0, 0, NULL);
	struct stat st;

	h_mkdir("u", 0755);
	ck_assert_errno(vfs_mknodat(u, AT_FDCWD, "u/chr", S_IFCHR | 0644,
				    makedev(1, 3)), EPERM);
	ck_assert_errno(vfs_mknodat(u, AT_FDCWD, "u/blk", S_IFBLK | 0644,
				    makedev(8, 1)), EPERM);
	ck_assert_errno(vfs_mknodat(u, AT_FDCWD, "u/blk0", S_IFBLK | 0644, 0),
			EPERM);
	ck_assert_errno(vfs_mknodat(u, AT_FDCWD, "u/chr01", S_IFCHR | 0644,
				    makedev(0, 1)), EPERM);
	ck_assert_int_eq(vfs_mknodat(u, AT_FDCWD, "u/fifo", S_IFIFO | 0644, 0),
			 0);
	ck_assert_int_eq(vfs_mknodat(u, AT_FDCWD, "u/sock", S_IFSOCK | 0644, 0),
			 0);
	ck_assert_int_eq(vfs_mknodat(u, AT_FDCWD, "u/reg", S_IFREG | 0644, 0),
			 0);
	ck_assert_errno(h_lstat_ret("u/chr"), ENOENT);
	/* the whiteout device 0/0 needs no capability */
	ck_assert_int_eq(vfs_mknodat(u, AT_FDCWD, "u/wh", S_IFCHR | 0644, 0),
			 0);
	h_lstat("u/wh", &st);
	ck_assert_uint_eq(st.st_mode, S_IFCHR | 0644);
	ck_assert_uint_eq(st.st_rdev, 0);
}
END_TEST

START_TEST(test_unlinkat_type_mismatch)
{
	h_write_file("reg", "");
	h_mkdir("d", 0755);
	h_mkdir("dd", 0755);
	mk_symlink("dd", "ldd");
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "d", 0), EISDIR);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "d/", 0), EISDIR);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "reg", AT_REMOVEDIR),
			ENOTDIR);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "reg/", 0), ENOTDIR);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "ldd", AT_REMOVEDIR),
			ENOTDIR);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "ldd/", AT_REMOVEDIR),
			ENOTDIR);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "ldd/", 0), ENOTDIR);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "nonex", 0), ENOENT);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "nonex", AT_REMOVEDIR),
			ENOENT);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "reg", 0x1), EINVAL);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "d",
				     AT_REMOVEDIR | AT_SYMLINK_NOFOLLOW),
			EINVAL);
	/* nothing was removed */
	ck_assert_int_eq(h_lstat_ret("reg"), 0);
	ck_assert_int_eq(h_lstat_ret("d"), 0);
	ck_assert_int_eq(h_lstat_ret("ldd"), 0);
}
END_TEST

START_TEST(test_unlinkat_not_empty)
{
	h_mkdir("d", 0755);
	h_mkdir("d/sub", 0755);
	h_mkdir("e", 0755);
	h_write_file("e/f", "");
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "d", AT_REMOVEDIR),
			ENOTEMPTY);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "e", AT_REMOVEDIR),
			ENOTEMPTY);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "e/f", 0), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "e", AT_REMOVEDIR), 0);
}
END_TEST

START_TEST(test_unlinkat_dot_dotdot_and_root)
{
	h_mkdir("d", 0755);
	h_mkdir("d/sub", 0755);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, ".", AT_REMOVEDIR), EINVAL);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "d/.", AT_REMOVEDIR),
			EINVAL);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "..", AT_REMOVEDIR),
			ENOTEMPTY);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "d/..", AT_REMOVEDIR),
			ENOTEMPTY);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/", AT_REMOVEDIR), EBUSY);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, ".", 0), EISDIR);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "..", 0), EISDIR);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/", 0), EISDIR);
	/* also from inside the directory, even an empty one */
	ck_assert_int_eq(vfs_chdir(ht, "d/sub"), 0);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, ".", AT_REMOVEDIR), EINVAL);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "../sub/.", AT_REMOVEDIR),
			EINVAL);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "..", AT_REMOVEDIR),
			ENOTEMPTY);
	ck_assert_int_eq(h_lstat_ret("/d/sub"), 0);
}
END_TEST

START_TEST(test_linkat_errors)
{
	h_mkdir("d", 0755);
	h_mkdir("d/s", 0755);
	h_write_file("f", "");
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, "d/f2", 0),
			 0);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, "d/f2", 0),
			EEXIST);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, "d", 0),
			EEXIST);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, "d/", 0),
			EEXIST);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "d", AT_FDCWD, "d2", 0),
			EPERM);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "d", AT_FDCWD, "d/s/x", 0),
			EPERM);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "nonex", AT_FDCWD, "x", 0),
			ENOENT);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, "nodir/x", 0),
			ENOENT);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, "f/x", 0),
			ENOTDIR);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, "newn/", 0),
			ENOENT);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "f/", AT_FDCWD, "newn", 0),
			ENOTDIR);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, "x", 0x12345),
			EINVAL);
	ck_assert_errno(h_lstat_ret("x"), ENOENT);
	ck_assert_errno(h_lstat_ret("d2"), ENOENT);
	ck_assert_uint_eq(h_nlink("f"), 2);
	ck_assert_uint_eq(h_nlink("d"), 3);
}
END_TEST

START_TEST(test_linkat_empty_path_directory_eperm)
{
	h_mkdir("d", 0755);
	int dfd = h_open("d", O_RDONLY | O_DIRECTORY);
	ck_assert_errno(vfs_linkat(ht, dfd, "", AT_FDCWD, "h_dir",
				   AT_EMPTY_PATH), EPERM);
	ck_assert_errno(h_lstat_ret("h_dir"), ENOENT);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
}
END_TEST

START_TEST(test_linkat_unlinked_open_file_enoent)
{
	h_write_file("u", "hello");
	int fd = h_open("u", O_RDWR);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "u", 0), 0);
	ck_assert_errno(vfs_linkat(ht, fd, "", AT_FDCWD, "u2", AT_EMPTY_PATH),
			ENOENT);
	ck_assert_errno(h_lstat_ret("u2"), ENOENT);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_linkat_tmpfile_excl_enoent)
{
	h_mkdir("d", 0755);
	h_write_file("f", "");
	int fd = vfs_openat(ht, AT_FDCWD, "d", O_TMPFILE | O_RDWR | O_EXCL,
			    0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_errno(vfs_linkat(ht, fd, "", AT_FDCWD, "d/t", AT_EMPTY_PATH),
			ENOENT);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "d", O_TMPFILE | O_RDONLY,
				   0600), EINVAL);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "f", O_TMPFILE | O_RDWR,
				   0600), ENOTDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "nonex", O_TMPFILE | O_RDWR,
				   0600), ENOENT);
}
END_TEST

START_TEST(test_readlinkat_errors)
{
	char buf[64];

	h_write_file("f", "");
	h_mkdir("d", 0755);
	mk_symlink("target", "s1");
	mk_symlink("f", "sl");
	int fd = h_open("f", O_RDONLY);
	ck_assert_errno(vfs_readlinkat(ht, AT_FDCWD, "s1", buf, 0), EINVAL);
	ck_assert_errno(vfs_readlinkat(ht, AT_FDCWD, "f", buf, sizeof(buf)),
			EINVAL);
	ck_assert_errno(vfs_readlinkat(ht, AT_FDCWD, "d", buf, sizeof(buf)),
			EINVAL);
	ck_assert_errno(vfs_readlinkat(ht, AT_FDCWD, "nonex", buf,
				       sizeof(buf)), ENOENT);
	ck_assert_errno(vfs_readlinkat(ht, AT_FDCWD, "", buf, sizeof(buf)),
			ENOENT);
	ck_assert_errno(vfs_readlinkat(ht, fd, "", buf, sizeof(buf)), ENOENT);
	/* a trailing slash follows the link: dangling, then a file */
	ck_assert_errno(vfs_readlinkat(ht, AT_FDCWD, "s1/", buf, sizeof(buf)),
			ENOENT);
	ck_assert_errno(vfs_readlinkat(ht, AT_FDCWD, "sl/", buf, sizeof(buf)),
			ENOTDIR);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_symlinkat_errors)
{
	h_write_file("f", "");
	h_mkdir("d", 0755);
	mk_symlink("target", "s1");
	ck_assert_errno(vfs_symlinkat(ht, "", AT_FDCWD, "s2"), ENOENT);
	ck_assert_errno(vfs_symlinkat(ht, "x", AT_FDCWD, "s1"), EEXIST);
	ck_assert_errno(vfs_symlinkat(ht, "x", AT_FDCWD, "f"), EEXIST);
	ck_assert_errno(vfs_symlinkat(ht, "x", AT_FDCWD, "d/"), EEXIST);
	ck_assert_errno(vfs_symlinkat(ht, "x", AT_FDCWD, "s3/"), ENOENT);
	ck_assert_errno(vfs_symlinkat(ht, "x", AT_FDCWD, "f/x"), ENOTDIR);
	ck_assert_errno(h_lstat_ret("s2"), ENOENT);
	ck_assert_errno(h_lstat_ret("s3"), ENOENT);
}
END_TEST

/* --- limits ----------------------------------------------------------- */

START_TEST(test_symlinkat_target_path_max)
{
	static char big[4200];
	static char back[4200];
	struct stat st;

	memset(big, 'x', 4095);
	big[4095] = '\0';
	ck_assert_int_eq(vfs_symlinkat(ht, big, AT_FDCWD, "s4095"), 0);
	h_lstat("s4095", &st);
	ck_assert_int_eq(st.st_size, 4095);
	ck_assert_int_eq(vfs_readlinkat(ht, AT_FDCWD, "s4095", back,
					sizeof(back)), 4095);
	ck_assert_int_eq(memcmp(back, big, 4095), 0);
	memset(big, 'x', 4096);
	big[4096] = '\0';
	ck_assert_errno(vfs_symlinkat(ht, big, AT_FDCWD, "s4096"),
			ENAMETOOLONG);
	ck_assert_errno(h_lstat_ret("s4096"), ENOENT);
}
END_TEST

START_TEST(test_names_name_max)
{
	char name[300];

	memset(name, 'n', 255);
	name[255] = '\0';
	ck_assert_int_eq(vfs_mkdirat(ht, AT_FDCWD, name, 0755), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, name, AT_REMOVEDIR), 0);
	ck_assert_int_eq(vfs_symlinkat(ht, "t", AT_FDCWD, name), 0);
	h_write_file("f", "");
	name[0] = 'm';
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, name, 0), 0);
	memset(name, 'n', 256);
	name[256] = '\0';
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, name, 0755), ENAMETOOLONG);
	ck_assert_errno(vfs_mknodat(ht, AT_FDCWD, name, S_IFIFO | 0644, 0),
			ENAMETOOLONG);
	ck_assert_errno(vfs_symlinkat(ht, "t", AT_FDCWD, name), ENAMETOOLONG);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, name, 0),
			ENAMETOOLONG);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, name, 0), ENAMETOOLONG);
}
END_TEST

static Suite *namei_suite(void)
{
	Suite *s = suite_create("namei");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_mkdirat_mode_and_nlink);
	tcase_add_test(tc, test_mknodat_every_type);
	tcase_add_test(tc, test_unlinkat_file_and_dir);
	tcase_add_test(tc, test_linkat_nlink_counts);
	tcase_add_test(tc, test_linkat_symlink_follow_or_not);
	tcase_add_test(tc, test_linkat_empty_path);
	tcase_add_test(tc, test_linkat_o_tmpfile);
	tcase_add_test(tc, test_symlinkat_readlinkat);
	tcase_add_test(tc, test_readlinkat_truncates_to_bufsiz);
	tcase_add_test(tc, test_unlinked_open_file_usable);
	tcase_add_test(tc, test_removed_directory_open_fd);
	tcase_add_test(tc, test_rmdir_cwd_then_create_enoent);
	tcase_add_test(tc, test_link_count_change_updates_ctime);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_mkdirat_existing_eexist);
	tcase_add_test(tc, test_mknodat_bad_type);
	tcase_add_test(tc, test_mknodat_device_without_cap_mknod_eperm);
	tcase_add_test(tc, test_unlinkat_type_mismatch);
	tcase_add_test(tc, test_unlinkat_not_empty);
	tcase_add_test(tc, test_unlinkat_dot_dotdot_and_root);
	tcase_add_test(tc, test_linkat_errors);
	tcase_add_test(tc, test_linkat_empty_path_directory_eperm);
	tcase_add_test(tc, test_linkat_unlinked_open_file_enoent);
	tcase_add_test(tc, test_linkat_tmpfile_excl_enoent);
	tcase_add_test(tc, test_readlinkat_errors);
	tcase_add_test(tc, test_symlinkat_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_symlinkat_target_path_max);
	tcase_add_test(tc, test_names_name_max);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(namei_suite)
