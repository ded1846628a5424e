// SPDX-License-Identifier: MIT
/*
 * Paths computed on demand, as Linux gives them: getcwd and the
 * /proc/self/fd/N text of vfs_task_fd_path() following renames of the file
 * and of any ancestor, " (deleted)" once unlinked, getcwd's ENOENT and
 * ERANGE, chdir/fchdir errors, chroot (the `..` clamp, "(unreachable)"),
 * and mounted tmpfs instances: crossing into and out of a mount, umount2's
 * EBUSY/EINVAL and MNT_DETACH, mountpoints refusing rmdir and rename, and
 * EXDEV between mounts.  Every expected value was checked against the
 * kernel on tmpfs (pivot_root'ed into a fresh tmpfs for the chroot cases).
 */
#include "harness.h"

#include <sys/mount.h>

static int cwd_ret(struct vfs_task *t, char *buf, size_t size)
{
	return vfs_getcwd(t, buf, size);
}



static void mount_tmpfs(const char *target)
{
	int r = vfs_mount(ht, "none", target, "tmpfs", 0, NULL);
	ck_assert_msg(r == 0, "mount %s: %d", target, r);
}

/* --- core: getcwd and fd paths ---------------------------------------- */

START_TEST(test_getcwd_root_and_length)
{
	char buf[64];

	ck_assert_int_eq(vfs_getcwd(ht, buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "/");
	h_mkdir("a", 0755);
	h_mkdir("a/b", 0755);
	ck_assert_int_eq(vfs_chdir(ht, "a/b"), 0);
	ck_assert_int_eq(vfs_getcwd(ht, buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "/a/b");
	ck_assert_int_eq(vfs_chdir(ht, "../.."), 0);
	ck_assert_str_eq(h_getcwd(), "/");
}
END_TEST

START_TEST(test_getcwd_follows_renames)
{
	h_mkdir("a", 0755);
	h_mkdir("a/b", 0755);
	h_mkdir("other", 0755);
	ck_assert_int_eq(vfs_chdir(ht, "a/b"), 0);
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/a/b", AT_FDCWD, "/a/c",
				       0), 0);
	ck_assert_str_eq(h_getcwd(), "/a/c");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/a", AT_FDCWD, "/z", 0),
			 0);
	ck_assert_str_eq(h_getcwd(), "/z/c");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/z", AT_FDCWD,
				       "/other/z", 0), 0);
	ck_assert_str_eq(h_getcwd(), "/other/z/c");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/other", AT_FDCWD,
				       "/other/z/c/x", 0), -EINVAL);
	ck_assert_str_eq(h_getcwd(), "/other/z/c");
}
END_TEST

START_TEST(test_fd_path_follows_renames)
{
	h_mkdir("a", 0755);
	h_mkdir("a/b", 0755);
	h_mkdir("q", 0755);
	h_write_file("a/b/f", "x");
	int fd = h_open("a/b/f", O_RDONLY);
	int dfd = h_open("a/b", O_RDONLY | O_DIRECTORY);

	ck_assert_str_eq(h_fd_path(fd), "/a/b/f");
	ck_assert_str_eq(h_fd_path(dfd), "/a/b");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "a/b/f", AT_FDCWD,
				       "a/b/g", 0), 0);
	ck_assert_str_eq(h_fd_path(fd), "/a/b/g");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "a", AT_FDCWD, "z", 0),
			 0);
	ck_assert_str_eq(h_fd_path(fd), "/z/b/g");
	ck_assert_str_eq(h_fd_path(dfd), "/z/b");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "z/b/g", AT_FDCWD, "q/g",
				       0), 0);
	ck_assert_str_eq(h_fd_path(fd), "/q/g");
	/* an exchange moves both */
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "q", AT_FDCWD, "z/b",
				       RENAME_EXCHANGE), 0);
	ck_assert_str_eq(h_fd_path(fd), "/z/b/g");
	ck_assert_str_eq(h_fd_path(dfd), "/q");
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_fd_path_root_and_dup)
{
	int rfd = h_open("/", O_RDONLY | O_DIRECTORY);

	ck_assert_str_eq(h_fd_path(rfd), "/");
	h_write_file("f", "");
	int fd = h_open("/f", O_RDONLY);
	int fd2 = vfs_dup(ht, fd);
	ck_assert_int_ge(fd2, 0);
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "f", AT_FDCWD, "g", 0), 0);
	ck_assert_str_eq(h_fd_path(fd2), "/g");
	ck_assert_errno(vfs_task_fd_path(ht, 999, (char[8]){ 0 }, 8), EBADF);
	ck_assert_int_eq(vfs_close(ht, fd2), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_close(ht, rfd), 0);
}
END_TEST

START_TEST(test_fd_path_truncated_like_readlink)
{
	char buf[8];

	h_mkdir("abc", 0755);
	h_write_file("abc/file", "");
	int fd = h_open("abc/file", O_RDONLY);

	memset(buf, '#', sizeof(buf));
	ck_assert_int_eq(vfs_task_fd_path(ht, fd, buf, 4), 4);
	ck_assert_int_eq(memcmp(buf, "/abc#", 5), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_fd_path_deleted_suffix)
{
	h_mkdir("z", 0755);
	h_mkdir("z/b", 0755);
	h_write_file("z/b/g", "");
	int fd = h_open("z/b/g", O_RDONLY);
	int dfd = h_open("z/b", O_RDONLY | O_DIRECTORY);

	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "z/b/g", 0), 0);
	ck_assert_str_eq(h_fd_path(fd), "/z/b/g (deleted)");
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "z/b", AT_REMOVEDIR), 0);
	ck_assert_str_eq(h_fd_path(dfd), "/z/b (deleted)");
	/* a new file with the old name does not revive the old path */
	h_write_file("same", "");
	int sfd = h_open("same", O_RDONLY);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "same", 0), 0);
	h_write_file("same", "");
	ck_assert_str_eq(h_fd_path(sfd), "/same (deleted)");
	ck_assert_int_eq(vfs_close(ht, sfd), 0);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_fd_path_hard_link_name_removed)
{
	h_write_file("h1", "");
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "h1", AT_FDCWD, "h2", 0), 0);
	int fd1 = h_open("h1", O_RDONLY);
	int fd2 = h_open("h2", O_RDONLY);

	/* the fd remembers the name it was opened by */
	ck_assert_str_eq(h_fd_path(fd1), "/h1");
	ck_assert_str_eq(h_fd_path(fd2), "/h2");
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "h1", 0), 0);
	ck_assert_str_eq(h_fd_path(fd1), "/h1 (deleted)");
	ck_assert_str_eq(h_fd_path(fd2), "/h2");
	ck_assert_int_eq(vfs_close(ht, fd2), 0);
	ck_assert_int_eq(vfs_close(ht, fd1), 0);
}
END_TEST

START_TEST(test_chdir_fchdir)
{
	h_mkdir("z", 0755);
	h_mkdir("z/y", 0755);
	ck_assert_int_eq(vfs_symlinkat(ht, "z/y", AT_FDCWD, "lz"), 0);
	int dfd = h_open("z", O_RDONLY | O_DIRECTORY);
	int pfd = vfs_openat(ht, AT_FDCWD, "z/y", O_PATH, 0);
	ck_assert_int_ge(pfd, 0);

	ck_assert_int_eq(vfs_fchdir(ht, dfd), 0);
	ck_assert_str_eq(h_getcwd(), "/z");
	/* an O_PATH directory fd is enough */
	ck_assert_int_eq(vfs_fchdir(ht, pfd), 0);
	ck_assert_str_eq(h_getcwd(), "/z/y");
	/* chdir through a symlink gives the real path */
	ck_assert_int_eq(vfs_chdir(ht, "/lz"), 0);
	ck_assert_str_eq(h_getcwd(), "/z/y");
	/* the cwd is per task */
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	char buf[64];
	ck_assert_int_eq(vfs_getcwd(u, buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "/");
	ck_assert_int_eq(vfs_close(ht, pfd), 0);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
}
END_TEST

/* --- errors: getcwd, chdir -------------------------------------------- */

START_TEST(test_getcwd_erange)
{
	char buf[64];

	h_mkdir("z", 0755);
	h_mkdir("z/b", 0755);
	ck_assert_errno(cwd_ret(ht, buf, 1), ERANGE);
	ck_assert_errno(cwd_ret(ht, buf, 0), ERANGE);
	ck_assert_int_eq(cwd_ret(ht, buf, 2), 2);
	ck_assert_int_eq(vfs_chdir(ht, "z/b"), 0);
	/* exactly the length with its NUL fits */
	ck_assert_int_eq(cwd_ret(ht, buf, 5), 5);
	ck_assert_str_eq(buf, "/z/b");
	ck_assert_errno(cwd_ret(ht, buf, 4), ERANGE);
	ck_assert_errno(cwd_ret(ht, NULL, 0), ERANGE);
}
END_TEST

START_TEST(test_getcwd_removed_cwd_enoent)
{
	char buf[64];

	h_mkdir("z", 0755);
	h_mkdir("z/b", 0755);
	int dfd = h_open("z/b", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(vfs_chdir(ht, "z/b"), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/z/b", AT_REMOVEDIR), 0);
	ck_assert_errno(cwd_ret(ht, buf, sizeof(buf)), ENOENT);
	ck_assert_errno(cwd_ret(ht, buf, 2), ENOENT);
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	ck_assert_int_eq(cwd_ret(ht, buf, sizeof(buf)), 2);
	/* fchdir into a removed directory is allowed; getcwd then fails */
	ck_assert_int_eq(vfs_fchdir(ht, dfd), 0);
	ck_assert_errno(cwd_ret(ht, buf, sizeof(buf)), ENOENT);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
}
END_TEST

START_TEST(test_chdir_errors)
{
	h_write_file("file", "");
	h_mkdir("d", 0700);
	h_mkdir("r", 0644);
	int ffd = h_open("file", O_RDONLY);

	ck_assert_errno(vfs_chdir(ht, "file"), ENOTDIR);
	ck_assert_errno(vfs_chdir(ht, "nonex"), ENOENT);
	ck_assert_errno(vfs_chdir(ht, ""), ENOENT);
	ck_assert_errno(vfs_chdir(ht, "file/x"), ENOTDIR);
	ck_assert_errno(vfs_fchdir(ht, ffd), ENOTDIR);
	ck_assert_errno(vfs_fchdir(ht, 999), EBADF);
	ck_assert_errno(vfs_fchdir(ht, -1), EBADF);
	ck_assert_str_eq(h_getcwd(), "/");

	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	char buf[64];
	ck_assert_errno(vfs_chdir(u, "d"), EACCES);
	ck_assert_errno(vfs_chdir(u, "r"), EACCES);
	/* readable but not searchable: it opens, fchdir refuses */
	int rfd = vfs_openat(u, AT_FDCWD, "r", O_RDONLY | O_DIRECTORY, 0);
	ck_assert_int_ge(rfd, 0);
	ck_assert_errno(vfs_fchdir(u, rfd), EACCES);
	ck_assert_int_eq(vfs_getcwd(u, buf, sizeof(buf)), 2);
	ck_assert_int_eq(vfs_close(u, rfd), 0);
	ck_assert_int_eq(vfs_close(ht, ffd), 0);
}
END_TEST

/* --- chroot ------------------------------------------------------------ */

START_TEST(test_chroot_getcwd_and_dotdot_clamp)
{
	struct stat st, rst;

	h_mkdir("r", 0755);
	h_mkdir("r/s", 0755);
	h_write_file("r/s/in", "");
	h_write_file("out", "");
	ck_assert_int_eq(vfs_chdir(ht, "r"), 0);
	ck_assert_int_eq(vfs_chroot(ht, "/r"), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	ck_assert_int_eq(vfs_chdir(ht, "/s"), 0);
	ck_assert_str_eq(h_getcwd(), "/s");
	ck_assert_int_eq(vfs_chdir(ht, "/.."), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	ck_assert_int_eq(vfs_chdir(ht, "s/../../.."), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	h_lstat("/..", &st);
	h_lstat("/", &rst);
	ck_assert_uint_eq(st.st_ino, rst.st_ino);
	ck_assert_int_eq(h_lstat_ret("/../s/in"), 0);
	ck_assert_errno(h_lstat_ret("/../out"), ENOENT);
	/* an fd path is relative to the task's root */
	int fd = h_open("/s/in", O_RDONLY);
	ck_assert_str_eq(h_fd_path(fd), "/s/in");
	/* a nested chroot resolves in the current root; the cwd (/r) is
	 * left outside and shown from the namespace root */
	ck_assert_int_eq(vfs_chroot(ht, "/s/../s"), 0);
	ck_assert_str_eq(h_getcwd(), "(unreachable)/r");
	ck_assert_str_eq(h_fd_path(fd), "/in");
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_errno(vfs_chroot(ht, "nonex"), ENOENT);
}
END_TEST

START_TEST(test_chroot_cwd_outside_unreachable)
{
	h_mkdir("a", 0755);
	h_mkdir("r", 0755);
	h_write_file("a/file", "");
	int fd = h_open("a/file", O_RDONLY);

	ck_assert_int_eq(vfs_chdir(ht, "a"), 0);
	ck_assert_int_eq(vfs_chroot(ht, "/r"), 0);
	/* getcwd marks a cwd the root cannot reach */
	ck_assert_str_eq(h_getcwd(), "(unreachable)/a");
	/* /proc/self/fd does not: the full path from the namespace root */
	ck_assert_str_eq(h_fd_path(fd), "/a/file");
	/* `..` outside the root climbs up to the namespace root */
	ck_assert_int_eq(vfs_chdir(ht, ".."), 0);
	ck_assert_str_eq(h_getcwd(), "(unreachable)/");
	ck_assert_int_eq(vfs_chdir(ht, ".."), 0);
	ck_assert_str_eq(h_getcwd(), "(unreachable)/");
	ck_assert_int_eq(vfs_chdir(ht, "r"), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

/* --- mounts ------------------------------------------------------------ */

START_TEST(test_mount_crossing_into_and_out_of)
{
	struct stat root, mp, mroot, st;

	h_mkdir("mnt", 0755);
	h_write_file("mnt/under", "");
	h_lstat("/", &root);
	h_lstat("/mnt", &mp);
	ck_assert_uint_eq(mp.st_dev, root.st_dev);
	mount_tmpfs("/mnt");
	h_lstat("/mnt", &mroot);
	ck_assert_uint_ne(mroot.st_dev, root.st_dev);
	ck_assert_uint_eq(mroot.st_mode, S_IFDIR | 01777);
	ck_assert_errno(h_lstat_ret("/mnt/under"), ENOENT);
	h_lstat("/mnt/.", &st);
	ck_assert_uint_eq(st.st_dev, mroot.st_dev);
	/* `..` from the mount's root climbs to the mountpoint's parent */
	h_lstat("/mnt/..", &st);
	ck_assert_uint_eq(st.st_dev, root.st_dev);
	ck_assert_uint_eq(st.st_ino, root.st_ino);
	h_lstat("/mnt/../mnt", &st);
	ck_assert_uint_eq(st.st_dev, mroot.st_dev);

	h_mkdir("/mnt/a", 0755);
	h_mkdir("/mnt/a/b", 0755);
	ck_assert_int_eq(vfs_chdir(ht, "/mnt/a/b"), 0);
	ck_assert_str_eq(h_getcwd(), "/mnt/a/b");
	ck_assert_int_eq(vfs_chdir(ht, "../../.."), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	ck_assert_int_eq(vfs_chdir(ht, "/mnt"), 0);
	ck_assert_str_eq(h_getcwd(), "/mnt");
	ck_assert_int_eq(vfs_chdir(ht, ".."), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	/* a relative walk from a dirfd inside the mount climbs out too */
	int dfd = h_open("/mnt/a", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(vfs_newfstatat(ht, dfd, "../..", &st, 0), 0);
	ck_assert_uint_eq(st.st_dev, root.st_dev);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
	ck_assert_int_eq(vfs_umount2(ht, "/mnt", 0), 0);
	h_lstat("/mnt", &st);
	ck_assert_uint_eq(st.st_dev, root.st_dev);
	ck_assert_int_eq(h_lstat_ret("/mnt/under"), 0);
}
END_TEST

START_TEST(test_mount_fd_path_through_mount)
{
	h_mkdir("mnt", 0755);
	mount_tmpfs("/mnt");
	h_mkdir("/mnt/sub", 0755);
	int fd = vfs_openat(ht, AT_FDCWD, "/mnt/sub/f", O_CREAT | O_RDWR, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_str_eq(h_fd_path(fd), "/mnt/sub/f");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/mnt/sub", AT_FDCWD,
				       "/mnt/sub2", 0), 0);
	ck_assert_str_eq(h_fd_path(fd), "/mnt/sub2/f");
	int rfd = h_open("/mnt", O_RDONLY | O_DIRECTORY);
	ck_assert_str_eq(h_fd_path(rfd), "/mnt");
	ck_assert_int_eq(vfs_close(ht, rfd), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/mnt/sub2/f", 0), 0);
	ck_assert_str_eq(h_fd_path(fd), "/mnt/sub2/f (deleted)");
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_umount2(ht, "/mnt", 0), 0);
}
END_TEST

/* A file or directory renamed out of the subtree a bind mount shows has
 * escaped it: its path is just "/" (prepend_path()), " (deleted)" still
 * added, and getcwd there says "(unreachable)/". */
START_TEST(test_path_escaped_from_bind_mount)
{
	char buf[256];
	int fd;

	h_mkdir("/b", 0755);
	h_mkdir("/b/dd", 0755);
	h_mkdir("/m", 0755);
	h_write_file("/b/a", "");
	ck_assert_int_eq(vfs_mount(ht, "/b", "/m", NULL, MS_BIND, NULL), 0);
	fd = h_open("/m/a", O_RDONLY);
	ck_assert_int_eq(vfs_chdir(ht, "/m/dd"), 0);
	ck_assert_str_eq(h_fd_path(fd), "/m/a");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/b/a", AT_FDCWD, "/c", 0),
			 0);
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/b/dd", AT_FDCWD, "/dd",
				       0), 0);
	ck_assert_str_eq(h_fd_path(fd), "/");
	ck_assert_int_eq(cwd_ret(ht, buf, sizeof(buf)), 15);
	ck_assert_str_eq(buf, "(unreachable)/");
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/c", 0), 0);
	ck_assert_str_eq(h_fd_path(fd), "/ (deleted)");
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
}
END_TEST

START_TEST(test_mount_stacked)
{
	h_mkdir("mnt", 0755);
	mount_tmpfs("/mnt");
	h_write_file("/mnt/one", "");
	mount_tmpfs("/mnt");
	ck_assert_errno(h_lstat_ret("/mnt/one"), ENOENT);
	h_write_file("/mnt/two", "");
	ck_assert_int_eq(vfs_umount2(ht, "/mnt", 0), 0);
	ck_assert_int_eq(h_lstat_ret("/mnt/one"), 0);
	ck_assert_errno(h_lstat_ret("/mnt/two"), ENOENT);
	ck_assert_int_eq(vfs_umount2(ht, "/mnt", 0), 0);
	ck_assert_errno(h_lstat_ret("/mnt/one"), ENOENT);
	ck_assert_errno(vfs_umount2(ht, "/mnt", 0), EINVAL);
}
END_TEST

START_TEST(test_chroot_into_mount)
{
	struct stat st, mroot;

	h_mkdir("mnt", 0755);
	mount_tmpfs("/mnt");
	h_mkdir("/mnt/a", 0755);
	h_lstat("/mnt", &mroot);
	ck_assert_int_eq(vfs_chdir(ht, "/mnt/a"), 0);
	ck_assert_int_eq(vfs_chroot(ht, "/mnt"), 0);
	ck_assert_str_eq(h_getcwd(), "/a");
	ck_assert_int_eq(vfs_chdir(ht, "/.."), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	h_lstat("/", &st);
	ck_assert_uint_eq(st.st_dev, mroot.st_dev);
	h_lstat("/..", &st);
	ck_assert_uint_eq(st.st_dev, mroot.st_dev);
	ck_assert_uint_eq(st.st_ino, mroot.st_ino);
}
END_TEST

START_TEST(test_umount2_busy)
{
	h_mkdir("mnt", 0755);
	mount_tmpfs("/mnt");
	h_mkdir("/mnt/sub", 0755);
	/* a cwd inside */
	ck_assert_int_eq(vfs_chdir(ht, "/mnt"), 0);
	ck_assert_errno(vfs_umount2(ht, "/mnt", 0), EBUSY);
	ck_assert_int_eq(vfs_chdir(ht, "/mnt/sub"), 0);
	ck_assert_errno(vfs_umount2(ht, "/mnt", 0), EBUSY);
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	/* an open file inside */
	int fd = vfs_openat(ht, AT_FDCWD, "/mnt/sub/f", O_CREAT | O_RDWR, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_errno(vfs_umount2(ht, "/mnt", 0), EBUSY);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	/* the mount's root open, even O_PATH */
	int dfd = h_open("/mnt", O_RDONLY | O_DIRECTORY);
	ck_assert_errno(vfs_umount2(ht, "/mnt", 0), EBUSY);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
	int pfd = vfs_openat(ht, AT_FDCWD, "/mnt", O_PATH, 0);
	ck_assert_int_ge(pfd, 0);
	ck_assert_errno(vfs_umount2(ht, "/mnt", 0), EBUSY);
	ck_assert_int_eq(vfs_close(ht, pfd), 0);
	/* another task's cwd */
	struct vfs_task *u = harness_user_task(0, 0, 0, NULL);
	ck_assert_int_eq(vfs_chdir(u, "/mnt/sub"), 0);
	ck_assert_errno(vfs_umount2(ht, "/mnt", 0), EBUSY);
	ck_assert_int_eq(vfs_chdir(u, "/"), 0);
	/* nothing inside any more; a trailing slash is fine */
	ck_assert_int_eq(vfs_umount2(ht, "/mnt/", 0), 0);
}
END_TEST

START_TEST(test_umount2_errors)
{
	h_mkdir("mnt", 0755);
	h_mkdir("plain", 0755);
	mount_tmpfs("/mnt");
	h_mkdir("/mnt/sub", 0755);
	ck_assert_errno(vfs_umount2(ht, "/mnt/sub", 0), EINVAL);
	ck_assert_errno(vfs_umount2(ht, "/plain", 0), EINVAL);
	ck_assert_errno(vfs_umount2(ht, "/nonex", 0), ENOENT);
	ck_assert_errno(vfs_umount2(ht, "/mnt", 0x100), EINVAL);
	ck_assert_errno(vfs_umount2(ht, "/mnt", MNT_EXPIRE | MNT_DETACH),
			EINVAL);
	ck_assert_int_eq(vfs_symlinkat(ht, "/mnt", AT_FDCWD, "lm"), 0);
	ck_assert_errno(vfs_umount2(ht, "/lm", UMOUNT_NOFOLLOW), EINVAL);
	ck_assert_int_eq(vfs_umount2(ht, "/lm", 0), 0);
	ck_assert_errno(vfs_umount2(ht, "/mnt", 0), EINVAL);
}
END_TEST

START_TEST(test_mount_errors)
{
	h_mkdir("m", 0755);
	h_write_file("file", "");
	ck_assert_errno(vfs_mount(ht, "none", "/nonex", "tmpfs", 0, NULL),
			ENOENT);
	ck_assert_errno(vfs_mount(ht, "none", "/m", "nosuchfs", 0, NULL),
			ENODEV);
	ck_assert_errno(vfs_mount(ht, "none", "/file", "tmpfs", 0, NULL),
			ENOTDIR);
	ck_assert_errno(vfs_umount2(ht, "/m", 0), EINVAL);
}
END_TEST

START_TEST(test_mountpoint_busy_and_exdev)
{
	h_mkdir("mnt", 0755);
	h_mkdir("x", 0755);
	h_write_file("f", "");
	mount_tmpfs("/mnt");
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/mnt", AT_REMOVEDIR),
			EBUSY);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/mnt", 0), EISDIR);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/mnt/.", AT_REMOVEDIR),
			EINVAL);
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/mnt", AT_FDCWD, "/m3",
				      0), EBUSY);
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/x", AT_FDCWD, "/mnt",
				      0), EBUSY);
	h_mkdir("/mnt/d", 0755);
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/mnt/d", AT_FDCWD, "/d",
				      0), EXDEV);
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/f", AT_FDCWD, "/mnt/d",
				      RENAME_EXCHANGE), EXDEV);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "/f", AT_FDCWD, "/mnt/f", 0),
			EXDEV);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "/mnt/d", AT_FDCWD, "/d2", 0),
			EXDEV);
	ck_assert_int_eq(h_lstat_ret("/mnt/d"), 0);
	ck_assert_int_eq(vfs_umount2(ht, "/mnt", 0), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/mnt", AT_REMOVEDIR), 0);
}
END_TEST

START_TEST(test_umount2_detach_busy)
{
	struct stat st;
	char buf[64];

	h_mkdir("mnt", 0755);
	h_write_file("mnt/under", "");
	mount_tmpfs("/mnt");
	h_mkdir("/mnt/s", 0755);
	int fd = vfs_openat(ht, AT_FDCWD, "/mnt/s/f", O_CREAT | O_RDWR, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_chdir(ht, "/mnt/s"), 0);
	ck_assert_int_eq(vfs_umount2(ht, "/mnt", MNT_DETACH), 0);
	/* the namespace sees the mountpoint's own contents again */
	ck_assert_int_eq(h_lstat_ret("/mnt/under"), 0);
	ck_assert_errno(h_lstat_ret("/mnt/s"), ENOENT);
	/* the detached tree stays usable through the cwd and the fd */
	ck_assert_int_eq(vfs_write(ht, fd, "x", 1), 1);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "f", &st, 0), 0);
	ck_assert_int_eq(st.st_size, 1);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "../..", &st, 0), 0);
	ck_assert_int_eq(vfs_getcwd(ht, buf, sizeof(buf)), 16);
	ck_assert_str_eq(buf, "(unreachable)/s");
	ck_assert_str_eq(h_fd_path(fd), "/s/f");
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_errno(vfs_umount2(ht, "/mnt", 0), EINVAL);
}
END_TEST

static Suite *path_tracking_suite(void)
{
	Suite *s = suite_create("path_tracking");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_getcwd_root_and_length);
	tcase_add_test(tc, test_getcwd_follows_renames);
	tcase_add_test(tc, test_fd_path_follows_renames);
	tcase_add_test(tc, test_fd_path_root_and_dup);
	tcase_add_test(tc, test_fd_path_truncated_like_readlink);
	tcase_add_test(tc, test_fd_path_deleted_suffix);
	tcase_add_test(tc, test_fd_path_hard_link_name_removed);
	tcase_add_test(tc, test_chdir_fchdir);
	tcase_add_test(tc, test_chroot_getcwd_and_dotdot_clamp);
	tcase_add_test(tc, test_chroot_cwd_outside_unreachable);
	tcase_add_test(tc, test_mount_crossing_into_and_out_of);
	tcase_add_test(tc, test_mount_fd_path_through_mount);
	tcase_add_test(tc, test_mount_stacked);
	tcase_add_test(tc, test_path_escaped_from_bind_mount);
	tcase_add_test(tc, test_chroot_into_mount);
	tcase_add_test(tc, test_umount2_detach_busy);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_getcwd_erange);
	tcase_add_test(tc, test_getcwd_removed_cwd_enoent);
	tcase_add_test(tc, test_chdir_errors);
	tcase_add_test(tc, test_umount2_busy);
	tcase_add_test(tc, test_umount2_errors);
	tcase_add_test(tc, test_mount_errors);
	tcase_add_test(tc, test_mountpoint_busy_and_exdev);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(path_tracking_suite)
