// SPDX-License-Identifier: MIT
/*
 * Permission checks as Linux makes them on tmpfs: owner/group/other classes
 * (the first class that matches decides), supplementary groups, root's DAC
 * override and its limit on execute, the sticky bit, setgid directories,
 * the umask on every kind of create, the setuid/setgid bits that chown,
 * chmod and write clear, who may chmod/chown/truncate/utimensat, and
 * faccessat2 with real and effective ids.  Non-root callers are tasks from
 * harness_user_task(), which have no capabilities.
 * Every expected value was checked against the Linux kernel's own tmpfs.
 */
#include <sys/sysmacros.h>
#include <time.h>

#include "harness.h"

/* Root makes @path (a regular file) owned by @uid:@gid with @mode. */
static void make_file(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
	int fd = vfs_openat(ht, AT_FDCWD, path, O_CREAT | O_EXCL | O_WRONLY,
			    0600);

	ck_assert_msg(fd >= 0, "create %s: %d", path, fd);
	ck_assert_int_eq(vfs_write(ht, fd, "data", 4), 4);
	ck_assert_int_eq(vfs_fchown(ht, fd, uid, gid), 0);
	ck_assert_int_eq(vfs_fchmod(ht, fd, mode), 0);
	vfs_close(ht, fd);
}

/* Root makes directory @path owned by @uid:@gid with @mode. */
static void make_dir(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
	h_mkdir(path, 0700);
	ck_assert_int_eq(vfs_fchownat(ht, AT_FDCWD, path, uid, gid, 0), 0);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, path, mode, 0), 0);
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	int r = vfs_newfstatat(ht, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW);

	ck_assert_msg(r == 0, "lstat %s: %d", path, r);
	return st.st_mode;
}

static gid_t gid_of(const char *path)
{
	struct stat st;

	h_stat(path, &st);
	return st.st_gid;
}

/* Opens @path as @t with @flags; returns 0 or the error (fd closed). */
static int try_open(struct vfs_task *t, const char *path, int flags)
{
	int fd = vfs_openat(t, AT_FDCWD, path, flags, 0644);

	if (fd < 0)
		return fd;
	vfs_close(t, fd);
	return 0;
}

/* --- core: who may read and write ---------------------------------------- */

START_TEST(test_perm_owner_bits)
{
	struct vfs_task *owner = harness_user_task(1000, 1000, 0, NULL);
	struct vfs_task *other = harness_user_task(1001, 1001, 0, NULL);

	make_dir("/d", 0, 0, 0755);
	make_file("/d/f", 1000, 1000, 0600);
	ck_assert_int_eq(try_open(owner, "/d/f", O_RDWR), 0);
	ck_assert_errno(try_open(other, "/d/f", O_RDONLY), EACCES);
	ck_assert_errno(try_open(other, "/d/f", O_WRONLY), EACCES);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/d/f", 0400, 0), 0);
	ck_assert_int_eq(try_open(owner, "/d/f", O_RDONLY), 0);
	ck_assert_errno(try_open(owner, "/d/f", O_WRONLY), EACCES);
	ck_assert_errno(try_open(owner, "/d/f", O_RDONLY | O_TRUNC), EACCES);
	/* O_PATH needs no permission on the file itself */
	ck_assert_int_eq(try_open(other, "/d/f", O_PATH), 0);
}
END_TEST

START_TEST(test_perm_first_matching_class_decides)
{
	gid_t sup[] = { 2000 };
	struct vfs_task *owner = harness_user_task(1000, 2000, 0, NULL);
	struct vfs_task *member = harness_user_task(1001, 2000, 0, NULL);
	struct vfs_task *sup_member = harness_user_task(1002, 1002, 1, sup);
	struct vfs_task *other = harness_user_task(1003, 1003, 0, NULL);

	make_dir("/d", 0, 0, 0755);
	/* the owner matches the owner class (no bits) even though its group
	 * has rw */
	make_file("/d/f", 1000, 2000, 0066);
	ck_assert_errno(try_open(owner, "/d/f", O_RDONLY), EACCES);
	ck_assert_int_eq(try_open(member, "/d/f", O_RDWR), 0);
	ck_assert_int_eq(try_open(sup_member, "/d/f", O_RDWR), 0);
	ck_assert_int_eq(try_open(other, "/d/f", O_RDWR), 0);
	/* group members get the group bits, not the other bits */
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/d/f", 0606, 0), 0);
	ck_assert_int_eq(try_open(owner, "/d/f", O_RDWR), 0);
	ck_assert_errno(try_open(member, "/d/f", O_RDONLY), EACCES);
	ck_assert_errno(try_open(sup_member, "/d/f", O_RDONLY), EACCES);
	ck_assert_int_eq(try_open(other, "/d/f", O_RDWR), 0);
}
END_TEST

START_TEST(test_perm_directory_search_and_list)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	struct stat st;

	make_dir("/d", 1000, 1000, 0700);
	make_file("/d/f", 1000, 1000, 0644);
	/* search only: lookups work, listing does not */
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/d", 0100, 0), 0);
	ck_assert_int_eq(vfs_newfstatat(u, AT_FDCWD, "/d/f", &st, 0), 0);
	ck_assert_errno(try_open(u, "/d", O_RDONLY | O_DIRECTORY), EACCES);
	ck_assert_int_eq(try_open(u, "/d", O_PATH), 0);
	/* read only: no lookups */
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/d", 0400, 0), 0);
	ck_assert_errno(vfs_newfstatat(u, AT_FDCWD, "/d/f", &st, 0), EACCES);
	ck_assert_errno(vfs_newfstatat(u, AT_FDCWD, "/d/nope", &st, 0),
			EACCES);
	ck_assert_int_eq(try_open(u, "/d", O_RDONLY | O_DIRECTORY), 0);
	ck_assert_errno(vfs_chdir(u, "/d"), EACCES);
	/* the directory itself can still be stat'ed */
	ck_assert_int_eq(vfs_newfstatat(u, AT_FDCWD, "/d", &st, 0), 0);
}
END_TEST

START_TEST(test_perm_create_and_remove_need_write_and_search)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);

	make_dir("/d", 1000, 1000, 0555);
	make_file("/d/f", 1000, 1000, 0644);
	ck_assert_errno(vfs_openat(u, AT_FDCWD, "/d/g", O_CREAT | O_WRONLY,
				   0644), EACCES);
	ck_assert_errno(vfs_mkdirat(u, AT_FDCWD, "/d/s", 0755), EACCES);
	ck_assert_errno(vfs_symlinkat(u, "x", AT_FDCWD, "/d/l"), EACCES);
	ck_assert_errno(vfs_unlinkat(u, AT_FDCWD, "/d/f", 0), EACCES);
	ck_assert_errno(vfs_renameat2(u, AT_FDCWD, "/d/f", AT_FDCWD, "/d/g", 0),
			EACCES);
	/* O_CREAT on an existing file needs no write on the directory */
	ck_assert_int_eq(try_open(u, "/d/f", O_CREAT | O_WRONLY), 0);
	/* write without search is not enough */
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/d", 0600, 0), 0);
	ck_assert_errno(vfs_openat(u, AT_FDCWD, "/d/g", O_CREAT | O_WRONLY,
				   0644), EACCES);
	ck_assert_errno(vfs_unlinkat(u, AT_FDCWD, "/d/f", 0), EACCES);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/d", 0300, 0), 0);
	ck_assert_int_eq(vfs_unlinkat(u, AT_FDCWD, "/d/f", 0), 0);
	ck_assert_int_eq(try_open(u, "/d/g", O_CREAT | O_WRONLY), 0);
}
END_TEST

START_TEST(test_perm_rename_dir_needs_write_on_it)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);

	make_dir("/a", 1000, 1000, 0755);
	make_dir("/b", 1000, 1000, 0755);
	make_dir("/a/sub", 1000, 1000, 0555);
	/* moving a directory to another parent rewrites its "..": needs
	 * write permission on the directory itself */
	ck_assert_errno(vfs_renameat2(u, AT_FDCWD, "/a/sub", AT_FDCWD,
				      "/b/sub", 0), EACCES);
	/* within the same parent it does not */
	ck_assert_int_eq(vfs_renameat2(u, AT_FDCWD, "/a/sub", AT_FDCWD,
				       "/a/sub2", 0), 0);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/a/sub2", 0755, 0), 0);
	ck_assert_int_eq(vfs_renameat2(u, AT_FDCWD, "/a/sub2", AT_FDCWD,
				       "/b/sub", 0), 0);
}
END_TEST

START_TEST(test_perm_root_overrides_dac)
{
	struct stat st;

	make_dir("/d", 1000, 1000, 0000);
	make_file("/d/f", 1000, 1000, 0000);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "/d/f", &st, 0), 0);
	ck_assert_int_eq(try_open(ht, "/d/f", O_RDWR), 0);
	ck_assert_int_eq(try_open(ht, "/d", O_RDONLY | O_DIRECTORY), 0);
	ck_assert_int_eq(try_open(ht, "/d/g", O_CREAT | O_WRONLY), 0);
	ck_assert_int_eq(vfs_faccessat2(ht, AT_FDCWD, "/d/f", R_OK | W_OK, 0),
			 0);
	ck_assert_int_eq(vfs_faccessat2(ht, AT_FDCWD, "/d", X_OK, 0), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d/f", 0), 0);
}
END_TEST

START_TEST(test_perm_root_exec_needs_an_x_bit)
{
	make_file("/f", 1000, 1000, 0644);
	ck_assert_errno(vfs_faccessat2(ht, AT_FDCWD, "/f", X_OK, 0), EACCES);
	ck_assert_errno(vfs_faccessat2(ht, AT_FDCWD, "/f", X_OK, AT_EACCESS),
			EACCES);
	/* any one x bit is enough for root */
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 0601, 0), 0);
	ck_assert_int_eq(vfs_faccessat2(ht, AT_FDCWD, "/f", X_OK, 0), 0);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 0610, 0), 0);
	ck_assert_int_eq(vfs_faccessat2(ht, AT_FDCWD, "/f", X_OK, 0), 0);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 0100, 0), 0);
	ck_assert_int_eq(vfs_faccessat2(ht, AT_FDCWD, "/f",
					R_OK | W_OK | X_OK, 0), 0);
}
END_TEST

/* --- sticky and setgid directories --------------------------------------- */

START_TEST(test_perm_sticky_dir_protects_entries)
{
	struct vfs_task *a = harness_user_task(1000, 1000, 0, NULL);
	struct vfs_task *b = harness_user_task(1001, 1001, 0, NULL);
	struct vfs_task *downer = harness_user_task(1002, 1002, 0, NULL);
	int fd;

	make_dir("/t", 1002, 1002, 01777);
	fd = vfs_openat(a, AT_FDCWD, "/t/af", O_CREAT | O_WRONLY, 0666);
	ck_assert_int_ge(fd, 0);
	vfs_close(a, fd);
	fd = vfs_openat(b, AT_FDCWD, "/t/bf", O_CREAT | O_WRONLY, 0666);
	ck_assert_int_ge(fd, 0);
	vfs_close(b, fd);
	ck_assert_int_eq(vfs_mkdirat(a, AT_FDCWD, "/t/ad", 0777), 0);

	ck_assert_errno(vfs_unlinkat(b, AT_FDCWD, "/t/af", 0), EPERM);
	ck_assert_errno(vfs_unlinkat(b, AT_FDCWD, "/t/ad", AT_REMOVEDIR),
			EPERM);
	ck_assert_errno(vfs_renameat2(b, AT_FDCWD, "/t/af", AT_FDCWD, "/t/x",
				      0), EPERM);
	/* nor replace it by renaming over it */
	ck_assert_errno(vfs_renameat2(b, AT_FDCWD, "/t/bf", AT_FDCWD, "/t/af",
				      0), EPERM);
	/* the file's owner may */
	ck_assert_int_eq(vfs_renameat2(a, AT_FDCWD, "/t/af", AT_FDCWD,
				       "/t/af2", 0), 0);
	/* the directory's owner may */
	ck_assert_int_eq(vfs_unlinkat(downer, AT_FDCWD, "/t/af2", 0), 0);
	/* root may */
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/t/bf", 0), 0);
	ck_assert_int_eq(vfs_unlinkat(a, AT_FDCWD, "/t/ad", AT_REMOVEDIR), 0);
}
END_TEST

START_TEST(test_perm_setgid_dir_inherits_group)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	int fd;

	make_dir("/g", 0, 3000, 02777);
	fd = vfs_openat(u, AT_FDCWD, "/g/f", O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	vfs_close(u, fd);
	ck_assert_int_eq(gid_of("/g/f"), 3000);
	ck_assert_int_eq(mode_of("/g/f"), S_IFREG | 0644);
	ck_assert_int_eq(vfs_mkdirat(u, AT_FDCWD, "/g/s", 0755), 0);
	ck_assert_int_eq(gid_of("/g/s"), 3000);
	/* new directories inherit the setgid bit itself */
	ck_assert_int_eq(mode_of("/g/s"), S_IFDIR | 02755);
	ck_assert_int_eq(vfs_mkdirat(u, AT_FDCWD, "/g/s/t", 0700), 0);
	ck_assert_int_eq(gid_of("/g/s/t"), 3000);
	ck_assert_int_eq(mode_of("/g/s/t"), S_IFDIR | 02700);
	ck_assert_int_eq(vfs_mknodat(u, AT_FDCWD, "/g/p", S_IFIFO | 0644, 0),
			 0);
	ck_assert_int_eq(gid_of("/g/p"), 3000);
	ck_assert_int_eq(vfs_symlinkat(u, "x", AT_FDCWD, "/g/l"), 0);
	{
		struct stat st;

		ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "/g/l", &st,
						AT_SYMLINK_NOFOLLOW), 0);
		ck_assert_int_eq(st.st_gid, 3000);
		ck_assert_int_eq(st.st_uid, 1000);
	}
	/* without setgid the creator's gid is used */
	make_dir("/n", 0, 3000, 0777);
	ck_assert_int_eq(vfs_mkdirat(u, AT_FDCWD, "/n/s", 0755), 0);
	ck_assert_int_eq(gid_of("/n/s"), 1000);
}
END_TEST

START_TEST(test_perm_setgid_dir_strips_sgid_of_nonmember)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	gid_t sup[] = { 3000 };
	struct vfs_task *m = harness_user_task(1001, 1001, 1, sup);
	int fd;

	make_dir("/g", 0, 3000, 02777);
	/* a file asked for with S_ISGID|S_IXGRP in a group the creator is not
	 * in loses S_ISGID */
	fd = vfs_openat(u, AT_FDCWD, "/g/f", O_CREAT | O_WRONLY, 02755);
	ck_assert_int_ge(fd, 0);
	vfs_close(u, fd);
	ck_assert_int_eq(mode_of("/g/f"), S_IFREG | 0755);
	fd = vfs_openat(m, AT_FDCWD, "/g/m", O_CREAT | O_WRONLY, 02755);
	ck_assert_int_ge(fd, 0);
	vfs_close(m, fd);
	ck_assert_int_eq(mode_of("/g/m"), S_IFREG | 02755);
}
END_TEST

/* --- umask ---------------------------------------------------------------- */

START_TEST(test_perm_umask_applies_to_every_create)
{
	int fd;

	ck_assert_int_eq(vfs_umask(ht, 027), 022);
	ck_assert_int_eq(vfs_umask(ht, 027), 027);
	h_mkdir("/d", 0777);
	ck_assert_int_eq(mode_of("/d"), S_IFDIR | 0750);
	fd = vfs_openat(ht, AT_FDCWD, "/f", O_CREAT | O_WRONLY, 0666);
	ck_assert_int_ge(fd, 0);
	vfs_close(ht, fd);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 0640);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/p", S_IFIFO | 0666, 0), 0);
	ck_assert_int_eq(mode_of("/p"), S_IFIFO | 0640);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/c", S_IFCHR | 0666,
				     makedev(1, 3)), 0);
	ck_assert_int_eq(mode_of("/c"), S_IFCHR | 0640);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/r", 0777, 0), 0);
	ck_assert_int_eq(mode_of("/r"), S_IFREG | 0750);
	/* symlinks are always 0777 */
	ck_assert_int_eq(vfs_symlinkat(ht, "x", AT_FDCWD, "/l"), 0);
	ck_assert_int_eq(mode_of("/l"), S_IFLNK | 0777);
	/* special bits pass the umask */
	h_mkdir("/s", 07777);
	ck_assert_int_eq(mode_of("/s"), S_IFDIR | 01750);
	fd = vfs_openat(ht, AT_FDCWD, "/x", O_CREAT | O_WRONLY, 07777);
	ck_assert_int_ge(fd, 0);
	vfs_close(ht, fd);
	ck_assert_int_eq(mode_of("/x"), S_IFREG | 07750);
	/* only the low 9 bits are kept by umask() */
	ck_assert_int_eq(vfs_umask(ht, 07777), 027);
	ck_assert_int_eq(vfs_umask(ht, 0), 0777);
}
END_TEST

START_TEST(test_perm_umask_not_applied_to_chmod)
{
	int fd;

	vfs_umask(ht, 077);
	fd = vfs_openat(ht, AT_FDCWD, "/f", O_CREAT | O_WRONLY, 0666);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 0600);
	ck_assert_int_eq(vfs_fchmod(ht, fd, 0666), 0);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 0666);
	vfs_close(ht, fd);
}
END_TEST

/* --- chmod and chown ----------------------------------------------------- */

START_TEST(test_perm_chmod_by_non_owner_eperm)
{
	struct vfs_task *owner = harness_user_task(1000, 1000, 0, NULL);
	struct vfs_task *other = harness_user_task(1001, 1000, 0, NULL);

	make_file("/f", 1000, 1000, 0666);
	ck_assert_errno(vfs_fchmodat(other, AT_FDCWD, "/f", 0777, 0), EPERM);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 0666);
	ck_assert_int_eq(vfs_fchmodat(owner, AT_FDCWD, "/f", 0400, 0), 0);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 0400);
	/* the owner needs no permission bits to chmod */
	ck_assert_int_eq(vfs_fchmodat(owner, AT_FDCWD, "/f", 0, 0), 0);
	ck_assert_int_eq(vfs_fchmodat(owner, AT_FDCWD, "/f", 0644, 0), 0);
}
END_TEST

START_TEST(test_perm_chmod_setgid_cleared_for_foreign_group)
{
	gid_t sup[] = { 3000 };
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	struct vfs_task *m = harness_user_task(1000, 1000, 1, sup);

	make_file("/f", 1000, 3000, 0644);
	/* the owner is not in group 3000: S_ISGID is silently dropped */
	ck_assert_int_eq(vfs_fchmodat(u, AT_FDCWD, "/f", 02755, 0), 0);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 0755);
	/* setuid is kept */
	ck_assert_int_eq(vfs_fchmodat(u, AT_FDCWD, "/f", 04755, 0), 0);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 04755);
	/* a member may set it */
	ck_assert_int_eq(vfs_fchmodat(m, AT_FDCWD, "/f", 02755, 0), 0);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 02755);
	/* root may always */
	make_file("/g", 1000, 3000, 0644);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/g", 02755, 0), 0);
	ck_assert_int_eq(mode_of("/g"), S_IFREG | 02755);
}
END_TEST

START_TEST(test_perm_chown_by_non_root_eperm)
{
	gid_t sup[] = { 3000 };
	struct vfs_task *u = harness_user_task(1000, 1000, 1, sup);
	struct vfs_task *other = harness_user_task(1001, 3000, 0, NULL);
	struct stat st;

	make_file("/f", 1000, 1000, 0644);
	/* giving a file away is root's privilege */
	ck_assert_errno(vfs_fchownat(u, AT_FDCWD, "/f", 1001, -1, 0), EPERM);
	/* changing the group to one the owner is not in */
	ck_assert_errno(vfs_fchownat(u, AT_FDCWD, "/f", -1, 4000, 0), EPERM);
	/* a non-owner may not even touch the group */
	ck_assert_errno(vfs_fchownat(other, AT_FDCWD, "/f", -1, 3000, 0),
			EPERM);
	/* "changing" the owner to itself and the group to a supplementary
	 * group is allowed */
	ck_assert_int_eq(vfs_fchownat(u, AT_FDCWD, "/f", 1000, 3000, 0), 0);
	h_stat("/f", &st);
	ck_assert_int_eq(st.st_uid, 1000);
	ck_assert_int_eq(st.st_gid, 3000);
	ck_assert_int_eq(vfs_fchownat(u, AT_FDCWD, "/f", -1, 1000, 0), 0);
	ck_assert_int_eq(gid_of("/f"), 1000);
	ck_assert_int_eq(vfs_fchownat(u, AT_FDCWD, "/f", -1, -1, 0), 0);
	/* root gives it away */
	ck_assert_int_eq(vfs_fchownat(ht, AT_FDCWD, "/f", 1001, 4000, 0), 0);
	h_stat("/f", &st);
	ck_assert_int_eq(st.st_uid, 1001);
	ck_assert_int_eq(st.st_gid, 4000);
}
END_TEST

START_TEST(test_perm_chown_clears_setuid_setgid)
{
	gid_t sup[] = { 3000 };
	struct vfs_task *u = harness_user_task(1000, 1000, 1, sup);

	/* even root's chown clears them on a regular file */
	make_file("/f", 1000, 1000, 06755);
	ck_assert_int_eq(vfs_fchownat(ht, AT_FDCWD, "/f", 1001, -1, 0), 0);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 0755);
	/* and a chown that changes nothing */
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 06755, 0), 0);
	ck_assert_int_eq(vfs_fchownat(ht, AT_FDCWD, "/f", -1, -1, 0), 0);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 0755);
	/* setgid without group execute is mandatory locking: kept */
	make_file("/g", 1000, 1000, 06745);
	ck_assert_int_eq(vfs_fchownat(u, AT_FDCWD, "/g", -1, 3000, 0), 0);
	ck_assert_int_eq(mode_of("/g"), S_IFREG | 02745);
	/* directories keep both */
	make_dir("/d", 1000, 1000, 06755);
	ck_assert_int_eq(vfs_fchownat(u, AT_FDCWD, "/d", -1, 3000, 0), 0);
	ck_assert_int_eq(mode_of("/d"), S_IFDIR | 06755);
}
END_TEST

START_TEST(test_perm_write_clears_setuid)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	int fd;

	make_file("/f", 0, 0, 06777);
	fd = vfs_openat(u, AT_FDCWD, "/f", O_WRONLY, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_write(u, fd, "x", 1), 1);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 0777);
	vfs_close(u, fd);
	/* root (CAP_FSETID) writes without clearing */
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 06777, 0), 0);
	fd = h_open("/f", O_WRONLY);
	ck_assert_int_eq(vfs_write(ht, fd, "x", 1), 1);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 06777);
	vfs_close(ht, fd);
	/* truncation by a user clears them too */
	ck_assert_int_eq(vfs_truncate(u, "/f", 0), 0);
	ck_assert_int_eq(mode_of("/f"), S_IFREG | 0777);
}
END_TEST

/* --- truncate and utimensat ---------------------------------------------- */

START_TEST(test_perm_truncate_needs_write)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	struct vfs_task *owner = harness_user_task(0 + 1001, 1001, 0, NULL);
	struct stat st;

	make_file("/f", 1001, 1001, 0644);
	ck_assert_errno(vfs_truncate(u, "/f", 0), EACCES);
	ck_assert_errno(vfs_openat(u, AT_FDCWD, "/f", O_WRONLY | O_TRUNC, 0),
			EACCES);
	h_stat("/f", &st);
	ck_assert_int_eq(st.st_size, 4);
	ck_assert_int_eq(vfs_truncate(owner, "/f", 1), 0);
	/* the owner needs the w bit as well */
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 0444, 0), 0);
	ck_assert_errno(vfs_truncate(owner, "/f", 0), EACCES);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 0666, 0), 0);
	ck_assert_int_eq(vfs_truncate(u, "/f", 0), 0);
	h_stat("/f", &st);
	ck_assert_int_eq(st.st_size, 0);
}
END_TEST

START_TEST(test_perm_utimensat_rules)
{
	struct vfs_task *writer = harness_user_task(1000, 1000, 0, NULL);
	struct vfs_task *owner = harness_user_task(1001, 1001, 0, NULL);
	struct timespec now[2] = {
		{ .tv_sec = 0, .tv_nsec = UTIME_NOW },
		{ .tv_sec = 0, .tv_nsec = UTIME_NOW },
	};
	struct timespec omit[2] = {
		{ .tv_sec = 0, .tv_nsec = UTIME_OMIT },
		{ .tv_sec = 0, .tv_nsec = UTIME_OMIT },
	};
	struct timespec set[2] = {
		{ .tv_sec = 100, .tv_nsec = 0 },
		{ .tv_sec = 200, .tv_nsec = 0 },
	};
	struct timespec mixed[2] = {
		{ .tv_sec = 0, .tv_nsec = UTIME_NOW },
		{ .tv_sec = 200, .tv_nsec = 0 },
	};
	struct stat st;

	make_file("/f", 1001, 1001, 0666);
	/* "now" needs write permission or ownership */
	ck_assert_int_eq(vfs_utimensat(writer, AT_FDCWD, "/f", NULL, 0), 0);
	ck_assert_int_eq(vfs_utimensat(writer, AT_FDCWD, "/f", now, 0), 0);
	/* explicit times need ownership */
	ck_assert_errno(vfs_utimensat(writer, AT_FDCWD, "/f", set, 0), EPERM);
	ck_assert_errno(vfs_utimensat(writer, AT_FDCWD, "/f", mixed, 0), EPERM);
	ck_assert_int_eq(vfs_utimensat(writer, AT_FDCWD, "/f", omit, 0), 0);
	ck_assert_int_eq(vfs_utimensat(owner, AT_FDCWD, "/f", set, 0), 0);
	h_stat("/f", &st);
	ck_assert_int_eq(st.st_atim.tv_sec, 100);
	ck_assert_int_eq(st.st_mtim.tv_sec, 200);
	/* without write permission "now" is EACCES for a non-owner */
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 0444, 0), 0);
	ck_assert_errno(vfs_utimensat(writer, AT_FDCWD, "/f", NULL, 0), EACCES);
	ck_assert_errno(vfs_utimensat(writer, AT_FDCWD, "/f", now, 0), EACCES);
	ck_assert_errno(vfs_utimensat(writer, AT_FDCWD, "/f", set, 0), EPERM);
	/* the owner needs no write bit */
	ck_assert_int_eq(vfs_utimensat(owner, AT_FDCWD, "/f", NULL, 0), 0);
	ck_assert_int_eq(vfs_utimensat(owner, AT_FDCWD, "/f", set, 0), 0);
	/* root may do anything */
	ck_assert_int_eq(vfs_utimensat(ht, AT_FDCWD, "/f", set, 0), 0);
	h_stat("/f", &st);
	ck_assert_int_eq(st.st_mtim.tv_sec, 200);
}
END_TEST

START_TEST(test_perm_utimensat_bad_args)
{
	struct timespec bad[2] = {
		{ .tv_sec = 0, .tv_nsec = 1000000000 },
		{ .tv_sec = 0, .tv_nsec = 0 },
	};

	make_file("/f", 0, 0, 0644);
	ck_assert_errno(vfs_utimensat(ht, AT_FDCWD, "/f", bad, 0), EINVAL);
	ck_assert_errno(vfs_utimensat(ht, AT_FDCWD, "/f", NULL, 0x1), EINVAL);
	ck_assert_errno(vfs_utimensat(ht, AT_FDCWD, "/nope", NULL, 0), ENOENT);
}
END_TEST

/* --- faccessat2 ---------------------------------------------------------- */

START_TEST(test_perm_faccessat2_real_vs_effective)
{
	struct vfs_task *t = harness_user_task(1000, 1000, 0, NULL);
	struct vfs_cred cred = {
		.uid = 1000, .euid = 2000, .gid = 1000, .egid = 2000,
		.ngroups = 0, .groups = NULL, .caps = 0,
	};

	make_dir("/d", 0, 0, 0755);
	make_file("/d/real", 1000, 1000, 0600);
	make_file("/d/eff", 2000, 2000, 0600);
	ck_assert_int_eq(vfs_task_set_cred(t, &cred), 0);
	/* without AT_EACCESS the real ids decide */
	ck_assert_int_eq(vfs_faccessat2(t, AT_FDCWD, "/d/real", R_OK | W_OK, 0),
			 0);
	ck_assert_errno(vfs_faccessat2(t, AT_FDCWD, "/d/eff", R_OK, 0), EACCES);
	/* with it the effective ones */
	ck_assert_errno(vfs_faccessat2(t, AT_FDCWD, "/d/real", R_OK,
				       AT_EACCESS), EACCES);
	ck_assert_int_eq(vfs_faccessat2(t, AT_FDCWD, "/d/eff", R_OK | W_OK,
					AT_EACCESS), 0);
	/* and open() uses the effective ones */
	ck_assert_int_eq(try_open(t, "/d/eff", O_RDWR), 0);
	ck_assert_errno(try_open(t, "/d/real", O_RDONLY), EACCES);
	/* groups: real gid vs effective gid */
	make_file("/d/greal", 0, 1000, 0060);
	make_file("/d/geff", 0, 2000, 0060);
	ck_assert_int_eq(vfs_faccessat2(t, AT_FDCWD, "/d/greal", R_OK, 0), 0);
	ck_assert_errno(vfs_faccessat2(t, AT_FDCWD, "/d/geff", R_OK, 0),
			EACCES);
	ck_assert_int_eq(vfs_faccessat2(t, AT_FDCWD, "/d/geff", R_OK,
					AT_EACCESS), 0);
	/* search permission on the path uses the same ids */
	make_dir("/s", 1000, 1000, 0700);
	make_file("/s/f", 0, 0, 0644);
	ck_assert_int_eq(vfs_faccessat2(t, AT_FDCWD, "/s/f", R_OK, 0), 0);
	ck_assert_errno(vfs_faccessat2(t, AT_FDCWD, "/s/f", R_OK, AT_EACCESS),
			EACCES);
}
END_TEST

START_TEST(test_perm_faccessat2_modes)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);

	make_file("/f", 1000, 1000, 0500);
	ck_assert_int_eq(vfs_faccessat2(u, AT_FDCWD, "/f", F_OK, 0), 0);
	ck_assert_int_eq(vfs_faccessat2(u, AT_FDCWD, "/f", R_OK | X_OK, 0), 0);
	ck_assert_errno(vfs_faccessat2(u, AT_FDCWD, "/f", W_OK, 0), EACCES);
	ck_assert_errno(vfs_faccessat2(u, AT_FDCWD, "/f", R_OK | W_OK, 0),
			EACCES);
	ck_assert_errno(vfs_faccessat2(u, AT_FDCWD, "/nope", F_OK, 0), ENOENT);
	ck_assert_errno(vfs_faccessat2(u, AT_FDCWD, "/f", 8, 0), EINVAL);
	ck_assert_errno(vfs_faccessat2(u, AT_FDCWD, "/f", F_OK, 0x1), EINVAL);
	/* symlinks: followed unless AT_SYMLINK_NOFOLLOW */
	ck_assert_int_eq(vfs_symlinkat(ht, "f", AT_FDCWD, "/l"), 0);
	ck_assert_errno(vfs_faccessat2(u, AT_FDCWD, "/l", W_OK, 0), EACCES);
	ck_assert_int_eq(vfs_faccessat2(u, AT_FDCWD, "/l", W_OK,
					AT_SYMLINK_NOFOLLOW), 0);
	/* AT_EMPTY_PATH on an fd */
	{
		int fd = vfs_openat(u, AT_FDCWD, "/f", O_PATH, 0);

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(vfs_faccessat2(u, fd, "", R_OK,
						AT_EMPTY_PATH), 0);
		ck_assert_errno(vfs_faccessat2(u, fd, "", W_OK,
					       AT_EMPTY_PATH), EACCES);
		vfs_close(u, fd);
	}
}
END_TEST

START_TEST(test_perm_exec_bits_for_users)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);

	make_file("/f", 1000, 1000, 0655);
	/* the owner class has no x: other x bits do not help */
	ck_assert_errno(vfs_faccessat2(u, AT_FDCWD, "/f", X_OK, 0), EACCES);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 0744, 0), 0);
	ck_assert_int_eq(vfs_faccessat2(u, AT_FDCWD, "/f", X_OK, 0), 0);
}
END_TEST

static Suite *perm_suite(void)
{
	Suite *s = suite_create("perm");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_perm_owner_bits);
	tcase_add_test(tc, test_perm_first_matching_class_decides);
	tcase_add_test(tc, test_perm_directory_search_and_list);
	tcase_add_test(tc, test_perm_create_and_remove_need_write_and_search);
	tcase_add_test(tc, test_perm_rename_dir_needs_write_on_it);
	tcase_add_test(tc, test_perm_root_overrides_dac);
	tcase_add_test(tc, test_perm_root_exec_needs_an_x_bit);
	tcase_add_test(tc, test_perm_sticky_dir_protects_entries);
	tcase_add_test(tc, test_perm_setgid_dir_inherits_group);
	tcase_add_test(tc, test_perm_setgid_dir_strips_sgid_of_nonmember);
	tcase_add_test(tc, test_perm_umask_applies_to_every_create);
	tcase_add_test(tc, test_perm_umask_not_applied_to_chmod);
	tcase_add_test(tc, test_perm_chmod_by_non_owner_eperm);
	tcase_add_test(tc, test_perm_chmod_setgid_cleared_for_foreign_group);
	tcase_add_test(tc, test_perm_chown_by_non_root_eperm);
	tcase_add_test(tc, test_perm_chown_clears_setuid_setgid);
	tcase_add_test(tc, test_perm_write_clears_setuid);
	tcase_add_test(tc, test_perm_truncate_needs_write);
	tcase_add_test(tc, test_perm_utimensat_rules);
	tcase_add_test(tc, test_perm_faccessat2_real_vs_effective);
	tcase_add_test(tc, test_perm_faccessat2_modes);
	tcase_add_test(tc, test_perm_exec_bits_for_users);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_perm_utimensat_bad_args);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(perm_suite)
