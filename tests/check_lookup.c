// SPDX-License-Identifier: MIT
/*
 * Path resolution as Linux does it on tmpfs: `.` and `..`, repeated and
 * trailing slashes, empty paths and AT_EMPTY_PATH, the NAME_MAX and
 * PATH_MAX limits, ENOTDIR and EACCES in the middle of a path, symlink
 * following (relative and absolute targets, chroot, the 40-link limit,
 * O_NOFOLLOW, O_PATH), and the open(2) flag checks that depend on what a
 * name resolves to (O_CREAT, O_EXCL, O_DIRECTORY, dirfd validity).
 * Every expected value was checked against the kernel on a fresh tmpfs.
 */
#include "harness.h"

static void mk_symlink(const char *target, const char *path)
{
	int r = vfs_symlinkat(ht, target, AT_FDCWD, path);
	ck_assert_msg(r == 0, "symlink %s -> %s: %d", path, target, r);
}

static ino_t ino_of(const char *path)
{
	struct stat st;

	h_stat(path, &st);
	return st.st_ino;
}

static int stat_at(struct vfs_task *t, int dirfd, const char *path,
		   int flags)
{
	struct stat st;

	return vfs_newfstatat(t, dirfd, path, &st, flags);
}

static int stat_path(const char *path)
{
	return stat_at(ht, AT_FDCWD, path, 0);
}

/* l<first> -> l<first+1> -> ... -> l<last> -> @target */
static void mk_chain(const char *prefix, int first, int last,
		     const char *target)
{
	char name[32], next[32];

	for (int i = first; i <= last; i++) {
		snprintf(name, sizeof(name), "%s%d", prefix, i);
		if (i == last)
			snprintf(next, sizeof(next), "%s", target);
		else
			snprintf(next, sizeof(next), "%s%d", prefix, i + 1);
		mk_symlink(next, name);
	}
}

/* --- core ------------------------------------------------------------- */

START_TEST(test_lookup_dot_and_dotdot)
{
	h_mkdir("a", 0755);
	h_mkdir("a/b", 0755);
	h_write_file("a/b/f", "x");
	ino_t f = ino_of("a/b/f");

	ck_assert_uint_eq(ino_of("a/./b/../b/./f"), f);
	ck_assert_uint_eq(ino_of("./a/b/f"), f);
	ck_assert_uint_eq(ino_of("a/b/.."), ino_of("a"));
	ck_assert_uint_eq(ino_of("a/b/../.."), ino_of("/"));
	ck_assert_uint_eq(ino_of("."), ino_of("/"));
	ck_assert_uint_eq(ino_of(".."), ino_of("/"));
}
END_TEST

START_TEST(test_lookup_dotdot_at_root_stays)
{
	h_mkdir("a", 0755);
	ck_assert_uint_eq(ino_of("/.."), ino_of("/"));
	ck_assert_uint_eq(ino_of("/../../.."), ino_of("/"));
	ck_assert_uint_eq(ino_of("/../a"), ino_of("/a"));
	ck_assert_uint_eq(ino_of("a/../../../a"), ino_of("/a"));
}
END_TEST

START_TEST(test_lookup_repeated_slashes)
{
	h_mkdir("a", 0755);
	h_mkdir("a/b", 0755);
	h_write_file("a/b/f", "x");
	ino_t f = ino_of("a/b/f");

	ck_assert_uint_eq(ino_of("//a///b////f"), f);
	ck_assert_uint_eq(ino_of("a//b/f"), f);
	ck_assert_uint_eq(ino_of("a/b//"), ino_of("a/b"));
	ck_assert_uint_eq(ino_of("///"), ino_of("/"));
}
END_TEST

START_TEST(test_lookup_trailing_slash_on_directory)
{
	struct stat st;

	h_mkdir("d", 0755);
	ck_assert_int_eq(vfs_mkdirat(ht, AT_FDCWD, "e/", 0755), 0);
	h_stat("e/", &st);
	ck_assert(S_ISDIR(st.st_mode));
	h_stat("d/", &st);
	ck_assert(S_ISDIR(st.st_mode));
	/* Through a symlink to a directory the slash follows it. */
	mk_symlink("d", "ld");
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "ld/", &st,
					AT_SYMLINK_NOFOLLOW), 0);
	ck_assert(S_ISDIR(st.st_mode));
}
END_TEST

START_TEST(test_lookup_at_empty_path_with_dirfd)
{
	struct stat st;
	int dfd;

	h_mkdir("d", 0755);
	h_write_file("f", "abc");
	dfd = h_open("d", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(vfs_newfstatat(ht, dfd, "", &st, AT_EMPTY_PATH), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_ino, ino_of("d"));

	int fd = h_open("f", O_RDONLY);
	ck_assert_int_eq(vfs_newfstatat(ht, fd, "", &st, AT_EMPTY_PATH), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_size, 3);

	/* AT_FDCWD with an empty path is the cwd. */
	ck_assert_int_eq(vfs_chdir(ht, "d"), 0);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "", &st, AT_EMPTY_PATH),
			 0);
	ck_assert_uint_eq(st.st_ino, ino_of("/d"));
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
}
END_TEST

START_TEST(test_lookup_dirfd_relative_and_absolute)
{
	h_mkdir("d", 0755);
	h_write_file("d/x", "1");
	h_write_file("f", "2");
	int dfd = h_open("d", O_RDONLY | O_DIRECTORY);
	int ffd = h_open("f", O_RDONLY);

	int fd = vfs_openat(ht, dfd, "x", O_RDONLY, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	/* An absolute path ignores dirfd, even a non-directory or bad one. */
	fd = vfs_openat(ht, ffd, "/f", O_RDONLY, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	fd = vfs_openat(ht, 999, "/d/x", O_RDONLY, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_close(ht, ffd), 0);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
}
END_TEST

START_TEST(test_lookup_relative_symlink_from_link_directory)
{
	struct stat st;

	h_mkdir("a", 0755);
	h_mkdir("a/b", 0755);
	h_write_file("a/t", "target");
	h_write_file("t", "wrong");
	mk_symlink("../t", "a/b/rl");
	mk_symlink("a/t", "rl2");
	h_stat("a/b/rl", &st);
	ck_assert_int_eq(st.st_size, 6);
	ck_assert_uint_eq(st.st_ino, ino_of("a/t"));
	/* The cwd does not matter, only where the link lives. */
	ck_assert_int_eq(vfs_chdir(ht, "a/b"), 0);
	ck_assert_uint_eq(ino_of("/rl2"), ino_of("/a/t"));
	ck_assert_uint_eq(ino_of("rl"), ino_of("/a/t"));
}
END_TEST

START_TEST(test_lookup_symlink_in_middle_of_path)
{
	h_mkdir("d", 0755);
	h_mkdir("d/e", 0755);
	h_write_file("d/e/x", "x");
	mk_symlink("d", "ld");
	mk_symlink("/d/e", "d/le");
	ck_assert_uint_eq(ino_of("ld/e/x"), ino_of("d/e/x"));
	ck_assert_uint_eq(ino_of("ld/le/x"), ino_of("d/e/x"));
	ck_assert_uint_eq(ino_of("ld/le/../.."), ino_of("/"));
}
END_TEST

START_TEST(test_lookup_absolute_symlink_from_task_root)
{
	struct stat st;

	h_mkdir("a", 0755);
	h_mkdir("a/b", 0755);
	h_write_file("a/t", "inner");
	h_write_file("t", "outer!");
	mk_symlink("/a/t", "a/b/al");
	mk_symlink("/t", "a/b/abs");
	h_stat("a/b/al", &st);
	ck_assert_int_eq(st.st_size, 5);
	h_stat("a/b/abs", &st);
	ck_assert_int_eq(st.st_size, 6);

	/* After chroot("a") the same links resolve from the new root. */
	ck_assert_int_eq(vfs_chroot(ht, "a"), 0);
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	h_stat("/b/abs", &st);
	ck_assert_int_eq(st.st_size, 5);
	ck_assert_errno(stat_path("/b/al"), ENOENT);
	/* and `..` cannot climb out of it */
	ck_assert_uint_eq(ino_of("/.."), ino_of("/"));
	h_stat("/../../t", &st);
	ck_assert_int_eq(st.st_size, 5);
	h_stat("/b/../../t", &st);
	ck_assert_int_eq(st.st_size, 5);
}
END_TEST

START_TEST(test_lookup_o_path_nofollow_opens_the_link)
{
	struct stat st;
	char buf[64];
	int fd;

	h_write_file("f", "x");
	mk_symlink("f", "l");
	fd = vfs_openat(ht, AT_FDCWD, "l", O_PATH | O_NOFOLLOW, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(st.st_size, 1);
	ck_assert_int_eq(vfs_readlinkat(ht, fd, "", buf, sizeof(buf)), 1);
	ck_assert_int_eq(buf[0], 'f');
	ck_assert_int_eq(vfs_close(ht, fd), 0);

	/* Without O_NOFOLLOW, O_PATH follows. */
	fd = vfs_openat(ht, AT_FDCWD, "l", O_PATH, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_lookup_creat_through_dangling_symlink)
{
	struct stat st;
	int fd;

	mk_symlink("newfile", "dang");
	fd = vfs_openat(ht, AT_FDCWD, "dang", O_CREAT | O_WRONLY, 0640);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_write(ht, fd, "abc", 3), 3);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "newfile", &st,
					AT_SYMLINK_NOFOLLOW), 0);
	ck_assert_uint_eq(st.st_mode, S_IFREG | 0640);
	ck_assert_int_eq(st.st_size, 3);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "dang", &st,
					AT_SYMLINK_NOFOLLOW), 0);
	ck_assert(S_ISLNK(st.st_mode));
}
END_TEST

START_TEST(test_lookup_creat_existing_opens_it)
{
	struct stat st;
	int fd;

	h_write_file("f", "abc");
	fd = vfs_openat(ht, AT_FDCWD, "f", O_CREAT | O_RDONLY, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_uint_eq(st.st_mode, S_IFREG | 0644);
	ck_assert_int_eq(st.st_size, 3);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

/* --- errors ----------------------------------------------------------- */

START_TEST(test_lookup_trailing_slash_on_file_enotdir)
{
	struct stat st;

	h_write_file("f", "x");
	mk_symlink("f", "lf");
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "f/", O_RDONLY, 0), ENOTDIR);
	ck_assert_errno(stat_path("f/"), ENOTDIR);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "f/", &st,
				       AT_SYMLINK_NOFOLLOW), ENOTDIR);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "lf/", &st,
				       AT_SYMLINK_NOFOLLOW), ENOTDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "f/", O_CREAT | O_WRONLY,
				   0644), EISDIR);
}
END_TEST

START_TEST(test_lookup_trailing_slash_missing_name)
{
	struct stat st;

	/* O_CREAT with a trailing slash can only mean a directory. */
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "g/", O_CREAT | O_WRONLY,
				   0644), EISDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "g/", O_RDONLY, 0), ENOENT);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "g", &st, 0), ENOENT);
}
END_TEST

START_TEST(test_lookup_empty_path_enoent)
{
	struct stat st;

	h_write_file("f", "x");
	int fd = h_open("f", O_RDONLY);

	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "", O_RDONLY, 0), ENOENT);
	ck_assert_errno(vfs_openat(ht, fd, "", O_RDONLY, 0), ENOENT);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "", &st, 0), ENOENT);
	ck_assert_errno(vfs_newfstatat(ht, fd, "", &st, 0), ENOENT);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "", 0755), ENOENT);
	ck_assert_errno(vfs_chdir(ht, ""), ENOENT);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_lookup_enotdir_mid_path)
{
	h_write_file("f", "x");
	ck_assert_errno(stat_path("f/x"), ENOTDIR);
	ck_assert_errno(stat_path("f/x/y"), ENOTDIR);
	ck_assert_errno(stat_path("f/."), ENOTDIR);
	ck_assert_errno(stat_path("f/.."), ENOTDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "f/x", O_CREAT | O_WRONLY,
				   0644), ENOTDIR);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "f/x", 0755), ENOTDIR);
	ck_assert_errno(stat_path("nox/f"), ENOENT);
}
END_TEST

START_TEST(test_lookup_search_permission_eacces)
{
	struct vfs_task *u;
	struct stat st;

	h_mkdir("d", 0700);
	h_write_file("d/f", "x");
	h_mkdir("x", 0744);
	h_mkdir("x/y", 0777);
	mk_symlink("d/f", "ld");
	u = harness_user_task(1000, 1000, 0, NULL);

	ck_assert_int_eq(vfs_newfstatat(u, AT_FDCWD, "d", &st, 0), 0);
	ck_assert_errno(vfs_newfstatat(u, AT_FDCWD, "d/f", &st, 0), EACCES);
	ck_assert_errno(vfs_newfstatat(u, AT_FDCWD, "d/nonex", &st, 0),
			EACCES);
	ck_assert_errno(vfs_openat(u, AT_FDCWD, "d/f", O_RDONLY, 0), EACCES);
	ck_assert_errno(vfs_openat(u, AT_FDCWD, "d/new", O_CREAT | O_WRONLY,
				   0644), EACCES);
	ck_assert_errno(vfs_newfstatat(u, AT_FDCWD, "x/y", &st, 0), EACCES);
	ck_assert_errno(vfs_newfstatat(u, AT_FDCWD, "x/y/..", &st, 0), EACCES);
	/* Following a link checks search permission along its target... */
	ck_assert_errno(vfs_newfstatat(u, AT_FDCWD, "ld", &st, 0), EACCES);
	/* ...but the link itself is reachable. */
	ck_assert_int_eq(vfs_newfstatat(u, AT_FDCWD, "ld", &st,
					AT_SYMLINK_NOFOLLOW), 0);
	ck_assert_errno(vfs_chdir(u, "d"), EACCES);
	ck_assert_errno(vfs_chdir(u, "x"), EACCES);
	ck_assert_errno(vfs_openat(u, AT_FDCWD, "d", O_RDONLY, 0), EACCES);
	/* The root task is not stopped. */
	ck_assert_int_eq(stat_path("x/y/.."), 0);
}
END_TEST

START_TEST(test_lookup_nofollow_on_symlink_eloop)
{
	h_write_file("f", "x");
	mk_symlink("f", "l");
	mk_symlink("nonex", "dang");
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "l", O_RDONLY | O_NOFOLLOW, 0),
			ELOOP);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "l",
				   O_WRONLY | O_CREAT | O_NOFOLLOW, 0644),
			ELOOP);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "dang",
				   O_WRONLY | O_CREAT | O_NOFOLLOW, 0644),
			ELOOP);
	/* O_NOFOLLOW only concerns the last component. */
	h_mkdir("d", 0755);
	h_write_file("d/x", "x");
	mk_symlink("d", "ld");
	int fd = vfs_openat(ht, AT_FDCWD, "ld/x", O_RDONLY | O_NOFOLLOW, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_lookup_symlink_to_itself_eloop)
{
	mk_symlink("self", "self");
	mk_symlink("b", "a");
	mk_symlink("a", "b");
	ck_assert_errno(stat_path("self"), ELOOP);
	ck_assert_errno(stat_path("a"), ELOOP);
	ck_assert_errno(stat_path("a/x"), ELOOP);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "self", O_RDONLY | O_CREAT,
				   0644), ELOOP);
}
END_TEST

START_TEST(test_lookup_creat_excl_existing_eexist)
{
	h_write_file("f", "x");
	h_mkdir("d", 0755);
	mk_symlink("f", "lf");
	mk_symlink("nonex", "dang");
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "f",
				   O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "d",
				   O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "d",
				   O_CREAT | O_EXCL | O_RDONLY, 0644), EEXIST);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "lf",
				   O_CREAT | O_EXCL | O_RDONLY, 0644), EEXIST);
	/* O_EXCL never follows the last link, even a dangling one. */
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "dang",
				   O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	ck_assert_errno(stat_path("nonex"), ENOENT);
}
END_TEST

START_TEST(test_lookup_creat_dangling_into_missing_dir)
{
	mk_symlink("nodir/newfile", "dang");
	mk_symlink("dd/", "dang_slash");
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "dang", O_CREAT | O_WRONLY,
				   0644), ENOENT);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "dang_slash",
				   O_CREAT | O_WRONLY, 0644), EISDIR);
	ck_assert_errno(stat_path("dd"), ENOENT);
}
END_TEST

START_TEST(test_lookup_o_directory_on_file_enotdir)
{
	h_write_file("f", "x");
	mk_symlink("f", "lf");
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "f", O_DIRECTORY | O_RDONLY,
				   0), ENOTDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "lf", O_DIRECTORY | O_RDONLY,
				   0), ENOTDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "nonex",
				   O_DIRECTORY | O_RDONLY, 0), ENOENT);
}
END_TEST

START_TEST(test_lookup_write_or_creat_on_directory_eisdir)
{
	h_mkdir("d", 0755);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "d", O_CREAT | O_RDONLY,
				   0644), EISDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "d", O_CREAT | O_WRONLY,
				   0644), EISDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/", O_CREAT | O_RDONLY,
				   0644), EISDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "d", O_WRONLY, 0), EISDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "d", O_RDWR, 0), EISDIR);
}
END_TEST

START_TEST(test_lookup_non_directory_dirfd_enotdir)
{
	struct stat st;

	h_write_file("f", "x");
	int fd = h_open("f", O_RDONLY);

	ck_assert_errno(vfs_openat(ht, fd, "x", O_RDONLY, 0), ENOTDIR);
	ck_assert_errno(vfs_openat(ht, fd, "x", O_RDONLY | O_CREAT, 0644),
			ENOTDIR);
	ck_assert_errno(vfs_newfstatat(ht, fd, "x", &st, 0), ENOTDIR);
	ck_assert_errno(vfs_mkdirat(ht, fd, "x", 0755), ENOTDIR);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_lookup_bad_dirfd_ebadf)
{
	struct stat st;

	h_write_file("f", "x");
	int fd = h_open("f", O_RDONLY);

	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_errno(vfs_openat(ht, 999, "x", O_RDONLY, 0), EBADF);
	ck_assert_errno(vfs_openat(ht, -5, "x", O_RDONLY, 0), EBADF);
	ck_assert_errno(vfs_openat(ht, fd, "f", O_RDONLY, 0), EBADF);
	ck_assert_errno(vfs_newfstatat(ht, 999, "x", &st, 0), EBADF);
	ck_assert_errno(vfs_mkdirat(ht, 999, "x", 0755), EBADF);
}
END_TEST

START_TEST(test_lookup_creat_with_o_directory_einval)
{
	h_mkdir("d", 0755);
	h_write_file("f", "x");
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "new",
				   O_CREAT | O_DIRECTORY | O_RDONLY, 0644),
			EINVAL);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "d",
				   O_CREAT | O_DIRECTORY | O_RDONLY, 0644),
			EINVAL);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "f",
				   O_CREAT | O_DIRECTORY | O_RDONLY, 0644),
			EINVAL);
	ck_assert_errno(stat_path("new"), ENOENT);
}
END_TEST

/* --- limits ----------------------------------------------------------- */

START_TEST(test_lookup_name_max_255)
{
	char name[300];
	struct stat st;
	int fd;

	memset(name, 'a', 255);
	name[255] = '\0';
	fd = vfs_openat(ht, AT_FDCWD, name, O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, name, &st, 0), 0);

	memset(name, 'b', 256);
	name[256] = '\0';
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, name, &st, 0),
			ENAMETOOLONG);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, name, O_CREAT | O_WRONLY,
				   0644), ENAMETOOLONG);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, name, 0755), ENAMETOOLONG);
	memcpy(name + 256, "/x", 3);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, name, &st, 0),
			ENAMETOOLONG);
}
END_TEST

START_TEST(test_lookup_path_max_4096_with_nul)
{
	static char path[4200];
	struct stat st;

	h_write_file("f", "x");
	/* n-1 slashes then "f": n characters, n+1 bytes with the NUL. */
	for (int n = 4094; n <= 4097; n++) {
		memset(path, '/', n - 1);
		path[n - 1] = 'f';
		path[n] = '\0';
		int r = vfs_newfstatat(ht, AT_FDCWD, path, &st, 0);
		if (n <= 4095)
			ck_assert_msg(r == 0, "len %d: %d", n, r);
		else
			ck_assert_msg(r == -ENAMETOOLONG, "len %d: %d", n, r);

		path[n - 1] = 'z';
		r = vfs_newfstatat(ht, AT_FDCWD, path, &st, 0);
		if (n <= 4095)
			ck_assert_msg(r == -ENOENT, "missing len %d: %d", n, r);
		else
			ck_assert_msg(r == -ENAMETOOLONG, "missing len %d: %d",
				      n, r);
	}
	memset(path, '/', 4095);
	path[4095] = 'g';
	path[4096] = '\0';
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, path, O_CREAT | O_WRONLY,
				   0644), ENAMETOOLONG);
}
END_TEST

START_TEST(test_lookup_symlink_chain_40_ok_41_eloop)
{
	struct stat st;
	int fd;

	h_write_file("f", "x");
	/* l1 -> l2 -> ... -> l41 -> f: from l2 40 links, from l1 41. */
	mk_chain("l", 1, 41, "f");
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "l2", &st, 0), 0);
	ck_assert(S_ISREG(st.st_mode));
	fd = vfs_openat(ht, AT_FDCWD, "l2", O_RDONLY, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "l1", &st, 0), ELOOP);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "l1", O_RDONLY, 0), ELOOP);
	/* lstat of the head does not follow at all */
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "l1", &st,
					AT_SYMLINK_NOFOLLOW), 0);
	ck_assert(S_ISLNK(st.st_mode));
	/* O_PATH|O_NOFOLLOW opens the head of an over-long chain */
	fd = vfs_openat(ht, AT_FDCWD, "l1", O_PATH | O_NOFOLLOW, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_lookup_symlink_chain_mid_path_limit)
{
	h_mkdir("d", 0755);
	h_write_file("d/x", "x");
	mk_chain("m", 1, 41, "d");
	ck_assert_int_eq(stat_path("m2/x"), 0);
	ck_assert_int_eq(stat_path("m2/"), 0);
	ck_assert_errno(stat_path("m1/x"), ELOOP);
	ck_assert_errno(stat_path("m1/"), ELOOP);
}
END_TEST

static Suite *lookup_suite(void)
{
	Suite *s = suite_create("lookup");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_lookup_dot_and_dotdot);
	tcase_add_test(tc, test_lookup_dotdot_at_root_stays);
	tcase_add_test(tc, test_lookup_repeated_slashes);
	tcase_add_test(tc, test_lookup_trailing_slash_on_directory);
	tcase_add_test(tc, test_lookup_at_empty_path_with_dirfd);
	tcase_add_test(tc, test_lookup_dirfd_relative_and_absolute);
	tcase_add_test(tc, test_lookup_relative_symlink_from_link_directory);
	tcase_add_test(tc, test_lookup_symlink_in_middle_of_path);
	tcase_add_test(tc, test_lookup_absolute_symlink_from_task_root);
	tcase_add_test(tc, test_lookup_o_path_nofollow_opens_the_link);
	tcase_add_test(tc, test_lookup_creat_through_dangling_symlink);
	tcase_add_test(tc, test_lookup_creat_existing_opens_it);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_lookup_trailing_slash_on_file_enotdir);
	tcase_add_test(tc, test_lookup_trailing_slash_missing_name);
	tcase_add_test(tc, test_lookup_empty_path_enoent);
	tcase_add_test(tc, test_lookup_enotdir_mid_path);
	tcase_add_test(tc, test_lookup_search_permission_eacces);
	tcase_add_test(tc, test_lookup_nofollow_on_symlink_eloop);
	tcase_add_test(tc, test_lookup_symlink_to_itself_eloop);
	tcase_add_test(tc, test_lookup_creat_excl_existing_eexist);
	tcase_add_test(tc, test_lookup_creat_dangling_into_missing_dir);
	tcase_add_test(tc, test_lookup_o_directory_on_file_enotdir);
	tcase_add_test(tc, test_lookup_write_or_creat_on_directory_eisdir);
	tcase_add_test(tc, test_lookup_non_directory_dirfd_enotdir);
	tcase_add_test(tc, test_lookup_bad_dirfd_ebadf);
	tcase_add_test(tc, test_lookup_creat_with_o_directory_einval);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_lookup_name_max_255);
	tcase_add_test(tc, test_lookup_path_max_4096_with_nul);
	tcase_add_test(tc, test_lookup_symlink_chain_40_ok_41_eloop);
	tcase_add_test(tc, test_lookup_symlink_chain_mid_path_limit);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(lookup_suite)
