// SPDX-License-Identifier: MIT
/*
 * Extended attributes on tmpfs: set/get/list/remove in the user., trusted.
 * and security. namespaces, the XATTR_CREATE/XATTR_REPLACE flags, size-0
 * queries and ERANGE, the name and value limits, unknown namespaces, where
 * user.* is allowed (regular files and directories only), what a task
 * without CAP_SYS_ADMIN may see and change, and the f*, l* variants.
 * Every expected value was checked against the Linux kernel's own tmpfs.
 */
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "harness.h"

/* Whether the NUL-separated @list of @len bytes holds exactly @n names,
 * each of @names once, in any order (Linux's order is not promised). */
static int list_is(const char *list, ssize_t len, const char **names, int n)
{
	int seen = 0;

	for (ssize_t off = 0; off < len; off += strlen(list + off) + 1) {
		int found = 0;

		if (list[len - 1] != '\0')
			return 0;
		for (int i = 0; i < n; i++) {
			if (strcmp(list + off, names[i]) == 0)
				found = 1;
		}
		if (!found)
			return 0;
		seen++;
	}
	return seen == n;
}

static void create(const char *path, mode_t mode)
{
	int fd = vfs_openat(ht, AT_FDCWD, path, O_CREAT | O_WRONLY, mode);

	ck_assert_msg(fd >= 0, "create %s: %d", path, fd);
	vfs_close(ht, fd);
}

/* --- core ---------------------------------------------------------------- */

START_TEST(test_xattr_set_get_remove)
{
	char buf[16] = { 0 };

	create("/f", 0644);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.a", "value", 5, 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.a", buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "value");
	/* overwrite with a shorter value */
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.a", "xy", 2, 0), 0);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.a", buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "xy");
	ck_assert_int_eq(vfs_removexattr(ht, "/f", "user.a"), 0);
	ck_assert_errno(vfs_getxattr(ht, "/f", "user.a", buf, sizeof(buf)),
			ENODATA);
	ck_assert_errno(vfs_removexattr(ht, "/f", "user.a"), ENODATA);
}
END_TEST

START_TEST(test_xattr_every_namespace_listed)
{
	const char *names[] = { "user.b", "user.a", "trusted.t", "security.s" };
	char list[128], buf[8];
	ssize_t n;

	create("/f", 0644);
	ck_assert_int_eq(vfs_listxattr(ht, "/f", list, sizeof(list)), 0);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.b", "vb", 2, 0), 0);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.a", "va", 2, 0), 0);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "trusted.t", "vt", 2, 0), 0);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "security.s", "vs", 2, 0), 0);
	n = vfs_listxattr(ht, "/f", list, sizeof(list));
	ck_assert_int_eq(n, 35);
	ck_assert(list_is(list, n, names, 4));
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "trusted.t", buf, sizeof(buf)),
			 2);
	ck_assert_int_eq(memcmp(buf, "vt", 2), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "security.s", buf,
				      sizeof(buf)), 2);
	ck_assert_int_eq(memcmp(buf, "vs", 2), 0);
	ck_assert_int_eq(vfs_removexattr(ht, "/f", "trusted.t"), 0);
	n = vfs_listxattr(ht, "/f", list, sizeof(list));
	ck_assert_int_eq(n, 25);
	ck_assert(list_is(list, n, (const char *[]){ "user.b", "user.a",
						     "security.s" }, 3));
	/* the root directory starts with none */
	ck_assert_int_eq(vfs_listxattr(ht, "/", list, sizeof(list)), 0);
}
END_TEST

START_TEST(test_xattr_create_replace_flags)
{
	char buf[8];

	create("/f", 0644);
	ck_assert_errno(vfs_setxattr(ht, "/f", "user.a", "1", 1, XATTR_REPLACE),
			ENODATA);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.a", "1", 1, XATTR_CREATE),
			 0);
	ck_assert_errno(vfs_setxattr(ht, "/f", "user.a", "2", 1, XATTR_CREATE),
			EEXIST);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.a", "3", 1,
				      XATTR_REPLACE), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.a", buf, sizeof(buf)), 1);
	ck_assert_int_eq(buf[0], '3');
	/* both flags: whichever condition fails */
	ck_assert_errno(vfs_setxattr(ht, "/f", "user.a", "4", 1,
				     XATTR_CREATE | XATTR_REPLACE), EEXIST);
	ck_assert_errno(vfs_setxattr(ht, "/f", "user.z", "4", 1,
				     XATTR_CREATE | XATTR_REPLACE), ENODATA);
	ck_assert_errno(vfs_setxattr(ht, "/f", "user.a", "4", 1, 4), EINVAL);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.a", buf, sizeof(buf)), 1);
	ck_assert_int_eq(buf[0], '3');
}
END_TEST

START_TEST(test_xattr_size_queries_and_erange)
{
	char buf[64];
	ssize_t n;

	create("/f", 0644);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.key", "12345", 5, 0), 0);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.k2", "", 0, 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.key", NULL, 0), 5);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.key", buf, 0), 5);
	ck_assert_errno(vfs_getxattr(ht, "/f", "user.key", buf, 4), ERANGE);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.key", buf, 5), 5);
	/* an empty value */
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.k2", NULL, 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.k2", buf, sizeof(buf)),
			 0);
	/* "user.key\0user.k2\0" */
	ck_assert_int_eq(vfs_listxattr(ht, "/f", NULL, 0), 17);
	ck_assert_errno(vfs_listxattr(ht, "/f", buf, 16), ERANGE);
	ck_assert_errno(vfs_listxattr(ht, "/f", buf, 1), ERANGE);
	n = vfs_listxattr(ht, "/f", buf, 17);
	ck_assert_int_eq(n, 17);
	ck_assert(list_is(buf, n, (const char *[]){ "user.key", "user.k2" },
			  2));
}
END_TEST

START_TEST(test_xattr_large_value)
{
	static char big[65536], out[65536];

	create("/f", 0644);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 31);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.big", big, sizeof(big),
				      0), 0);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "trusted.big", big,
				      sizeof(big), 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.big", out, sizeof(out)),
			 65536);
	ck_assert_int_eq(memcmp(big, out, sizeof(big)), 0);
}
END_TEST

START_TEST(test_xattr_longest_name)
{
	char name[300], buf[4];

	create("/f", 0644);
	strcpy(name, "user.");
	memset(name + 5, 'n', 250);
	name[255] = '\0';
	ck_assert_int_eq(vfs_setxattr(ht, "/f", name, "x", 1, 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", name, buf, sizeof(buf)), 1);
	ck_assert_int_eq(vfs_listxattr(ht, "/f", NULL, 0), 256);
	ck_assert_int_eq(vfs_removexattr(ht, "/f", name), 0);
}
END_TEST

START_TEST(test_xattr_on_directory_and_special_files)
{
	char buf[8];

	h_mkdir("/d", 0755);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/p", S_IFIFO | 0666, 0), 0);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/c", S_IFCHR | 0666,
				     makedev(1, 3)), 0);
	ck_assert_int_eq(vfs_setxattr(ht, "/d", "user.x", "1", 1, 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/d", "user.x", buf, sizeof(buf)), 1);
	/* user.* only on regular files and directories, even for root */
	ck_assert_errno(vfs_setxattr(ht, "/p", "user.x", "1", 1, 0), EPERM);
	ck_assert_errno(vfs_setxattr(ht, "/c", "user.x", "1", 1, 0), EPERM);
	ck_assert_errno(vfs_removexattr(ht, "/p", "user.x"), EPERM);
	/* reads there find nothing */
	ck_assert_errno(vfs_getxattr(ht, "/p", "user.x", buf, sizeof(buf)),
			ENODATA);
	/* other namespaces are fine */
	ck_assert_int_eq(vfs_setxattr(ht, "/p", "trusted.x", "1", 1, 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/p", "trusted.x", buf, sizeof(buf)),
			 1);
}
END_TEST

START_TEST(test_xattr_symlink_variants)
{
	char buf[64];

	create("/f", 0644);
	ck_assert_int_eq(vfs_symlinkat(ht, "f", AT_FDCWD, "/l"), 0);
	ck_assert_errno(vfs_lsetxattr(ht, "/l", "user.x", "1", 1, 0), EPERM);
	ck_assert_errno(vfs_lgetxattr(ht, "/l", "user.x", buf, sizeof(buf)),
			ENODATA);
	ck_assert_errno(vfs_lremovexattr(ht, "/l", "user.x"), EPERM);
	ck_assert_int_eq(vfs_lsetxattr(ht, "/l", "trusted.x", "1", 1, 0), 0);
	ck_assert_int_eq(vfs_lgetxattr(ht, "/l", "trusted.x", buf, sizeof(buf)),
			 1);
	ck_assert_int_eq(vfs_llistxattr(ht, "/l", buf, sizeof(buf)), 10);
	ck_assert_str_eq(buf, "trusted.x");
	/* the plain calls follow the link to the file */
	ck_assert_int_eq(vfs_setxattr(ht, "/l", "user.y", "2", 1, 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.y", buf, sizeof(buf)), 1);
	ck_assert_errno(vfs_getxattr(ht, "/l", "trusted.x", buf, sizeof(buf)),
			ENODATA);
	ck_assert_int_eq(vfs_listxattr(ht, "/l", buf, sizeof(buf)), 7);
	ck_assert_str_eq(buf, "user.y");
	ck_assert_int_eq(vfs_lremovexattr(ht, "/l", "trusted.x"), 0);
	ck_assert_int_eq(vfs_llistxattr(ht, "/l", buf, sizeof(buf)), 0);
	/* the l* calls on a non-link act on the file */
	ck_assert_int_eq(vfs_lgetxattr(ht, "/f", "user.y", buf, sizeof(buf)),
			 1);
}
END_TEST

START_TEST(test_xattr_fd_variants)
{
	char buf[64];
	int fd, pfd;

	create("/f", 0644);
	/* a read-only description may still set xattrs */
	fd = h_open("/f", O_RDONLY);
	ck_assert_int_eq(vfs_fsetxattr(ht, fd, "user.fd", "1", 1, 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "user.fd", buf, sizeof(buf)),
			 1);
	ck_assert_int_eq(vfs_fgetxattr(ht, fd, "user.fd", buf, sizeof(buf)), 1);
	ck_assert_int_eq(vfs_flistxattr(ht, fd, buf, sizeof(buf)), 8);
	ck_assert_str_eq(buf, "user.fd");
	ck_assert_errno(vfs_fsetxattr(ht, fd, "user.fd", "1", 1, XATTR_CREATE),
			EEXIST);
	ck_assert_int_eq(vfs_fremovexattr(ht, fd, "user.fd"), 0);
	ck_assert_errno(vfs_fremovexattr(ht, fd, "user.fd"), ENODATA);
	/* O_PATH descriptors are refused */
	pfd = h_open("/f", O_PATH);
	ck_assert_errno(vfs_fsetxattr(ht, pfd, "user.fd", "1", 1, 0), EBADF);
	ck_assert_errno(vfs_fgetxattr(ht, pfd, "user.fd", buf, sizeof(buf)),
			EBADF);
	ck_assert_errno(vfs_flistxattr(ht, pfd, buf, sizeof(buf)), EBADF);
	ck_assert_errno(vfs_fremovexattr(ht, pfd, "user.fd"), EBADF);
	ck_assert_errno(vfs_fgetxattr(ht, 1000, "user.fd", buf, sizeof(buf)),
			EBADF);
	vfs_close(ht, pfd);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_xattr_survive_rename_and_link)
{
	char buf[8];

	create("/f", 0644);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.a", "1", 1, 0), 0);
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/f", AT_FDCWD, "/g", 0),
			 0);
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "/g", AT_FDCWD, "/h", 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/g", "user.a", buf, sizeof(buf)), 1);
	ck_assert_int_eq(vfs_setxattr(ht, "/h", "user.b", "2", 1, 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/g", "user.b", buf, sizeof(buf)), 1);
}
END_TEST

/* --- errors -------------------------------------------------------------- */

START_TEST(test_xattr_bad_names)
{
	char name[300], buf[4];

	create("/f", 0644);
	strcpy(name, "user.");
	memset(name + 5, 'n', 251);
	name[256] = '\0';
	ck_assert_errno(vfs_setxattr(ht, "/f", name, "x", 1, 0), ERANGE);
	ck_assert_errno(vfs_getxattr(ht, "/f", name, buf, sizeof(buf)), ERANGE);
	ck_assert_errno(vfs_removexattr(ht, "/f", name), ERANGE);
	ck_assert_errno(vfs_setxattr(ht, "/f", "", "x", 1, 0), ERANGE);
	ck_assert_errno(vfs_getxattr(ht, "/f", "", buf, sizeof(buf)), ERANGE);
	/* a namespace prefix with nothing after it */
	ck_assert_errno(vfs_setxattr(ht, "/f", "user.", "x", 1, 0), EINVAL);
	ck_assert_errno(vfs_getxattr(ht, "/f", "user.", buf, sizeof(buf)),
			EINVAL);
}
END_TEST

START_TEST(test_xattr_value_too_big)
{
	static char big[65537];

	create("/f", 0644);
	ck_assert_errno(vfs_setxattr(ht, "/f", "user.big", big, sizeof(big), 0),
			E2BIG);
	ck_assert_errno(vfs_setxattr(ht, "/f", "trusted.big", big, sizeof(big),
				     0), E2BIG);
	ck_assert_int_eq(vfs_listxattr(ht, "/f", NULL, 0), 0);
}
END_TEST

START_TEST(test_xattr_unknown_namespace)
{
	char buf[4];

	create("/f", 0644);
	ck_assert_errno(vfs_setxattr(ht, "/f", "foo.bar", "x", 1, 0),
			EOPNOTSUPP);
	ck_assert_errno(vfs_getxattr(ht, "/f", "foo.bar", buf, sizeof(buf)),
			EOPNOTSUPP);
	ck_assert_errno(vfs_removexattr(ht, "/f", "foo.bar"), EOPNOTSUPP);
	ck_assert_errno(vfs_setxattr(ht, "/f", "nodot", "x", 1, 0), EOPNOTSUPP);
	ck_assert_errno(vfs_setxattr(ht, "/f", "system.foo", "x", 1, 0),
			EOPNOTSUPP);
	ck_assert_errno(vfs_getxattr(ht, "/f", "system.foo", buf, sizeof(buf)),
			EOPNOTSUPP);
}
END_TEST

START_TEST(test_xattr_missing_path)
{
	char buf[4];

	ck_assert_errno(vfs_getxattr(ht, "/nope", "user.a", buf, sizeof(buf)),
			ENOENT);
	ck_assert_errno(vfs_setxattr(ht, "/nope", "user.a", "x", 1, 0), ENOENT);
	ck_assert_errno(vfs_listxattr(ht, "/nope", buf, sizeof(buf)), ENOENT);
	ck_assert_errno(vfs_removexattr(ht, "/nope", "user.a"), ENOENT);
}
END_TEST

START_TEST(test_xattr_unprivileged_trusted_hidden)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	char list[128], buf[8];
	ssize_t n;

	create("/f", 0644);
	create("/mine", 0644);
	ck_assert_int_eq(vfs_fchownat(ht, AT_FDCWD, "/mine", 1000, 1000, 0), 0);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.a", "va", 2, 0), 0);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "trusted.t", "vt", 2, 0), 0);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "security.s", "vs", 2, 0), 0);
	/* trusted.* is invisible: ENODATA, and not listed */
	ck_assert_errno(vfs_getxattr(u, "/f", "trusted.t", buf, sizeof(buf)),
			ENODATA);
	n = vfs_listxattr(u, "/f", list, sizeof(list));
	ck_assert_int_eq(n, 18);
	ck_assert(list_is(list, n, (const char *[]){ "user.a", "security.s" },
			  2));
	ck_assert_int_eq(vfs_listxattr(u, "/f", NULL, 0), 18);
	ck_assert_int_eq(vfs_getxattr(u, "/f", "user.a", buf, sizeof(buf)), 2);
	ck_assert_int_eq(vfs_getxattr(u, "/f", "security.s", buf, sizeof(buf)),
			 2);
	/* and unwritable, even on the task's own file */
	ck_assert_errno(vfs_setxattr(u, "/mine", "trusted.a", "x", 1, 0),
			EPERM);
	ck_assert_errno(vfs_setxattr(u, "/f", "trusted.t", "x", 1, 0), EPERM);
	ck_assert_errno(vfs_removexattr(u, "/f", "trusted.t"), EPERM);
	ck_assert_errno(vfs_getxattr(u, "/mine", "trusted.none", buf,
				     sizeof(buf)), ENODATA);
	/* security.* needs CAP_SYS_ADMIN to write */
	ck_assert_errno(vfs_setxattr(u, "/mine", "security.a", "x", 1, 0),
			EPERM);
	ck_assert_int_eq(vfs_setxattr(u, "/mine", "user.a", "x", 1, 0), 0);
	ck_assert_int_eq(vfs_getxattr(ht, "/f", "trusted.t", buf, sizeof(buf)),
			 2);
}
END_TEST

START_TEST(test_xattr_user_needs_file_permission)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	char buf[8];

	create("/f", 0644);
	ck_assert_int_eq(vfs_setxattr(ht, "/f", "user.a", "va", 2, 0), 0);
	/* writing user.* needs write permission on the file */
	ck_assert_errno(vfs_setxattr(u, "/f", "user.a", "x", 1, 0), EACCES);
	ck_assert_errno(vfs_removexattr(u, "/f", "user.a"), EACCES);
	ck_assert_int_eq(vfs_getxattr(u, "/f", "user.a", buf, sizeof(buf)), 2);
	/* reading needs read permission, even for a name that is absent */
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 0600, 0), 0);
	ck_assert_errno(vfs_getxattr(u, "/f", "user.a", buf, sizeof(buf)),
			EACCES);
	ck_assert_errno(vfs_getxattr(u, "/f", "user.none", buf, sizeof(buf)),
			EACCES);
	/* listing needs none */
	ck_assert_int_eq(vfs_listxattr(u, "/f", NULL, 0), 7);
	/* with write permission it works */
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/f", 0666, 0), 0);
	ck_assert_int_eq(vfs_setxattr(u, "/f", "user.a", "x", 1, 0), 0);
	ck_assert_int_eq(vfs_removexattr(u, "/f", "user.a"), 0);
}
END_TEST

static Suite *xattr_suite(void)
{
	Suite *s = suite_create("xattr");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_xattr_set_get_remove);
	tcase_add_test(tc, test_xattr_every_namespace_listed);
	tcase_add_test(tc, test_xattr_create_replace_flags);
	tcase_add_test(tc, test_xattr_size_queries_and_erange);
	tcase_add_test(tc, test_xattr_large_value);
	tcase_add_test(tc, test_xattr_longest_name);
	tcase_add_test(tc, test_xattr_on_directory_and_special_files);
	tcase_add_test(tc, test_xattr_symlink_variants);
	tcase_add_test(tc, test_xattr_fd_variants);
	tcase_add_test(tc, test_xattr_survive_rename_and_link);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_xattr_bad_names);
	tcase_add_test(tc, test_xattr_value_too_big);
	tcase_add_test(tc, test_xattr_unknown_namespace);
	tcase_add_test(tc, test_xattr_missing_path);
	tcase_add_test(tc, test_xattr_unprivileged_trusted_hidden);
	tcase_add_test(tc, test_xattr_user_needs_file_permission);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(xattr_suite)
