// SPDX-License-Identifier: MIT
/*
 * renameat2 as Linux does it on tmpfs: replacing files and empty
 * directories, the type-mismatch and non-empty errors, moves into a
 * directory's own subtree, `.`/`..`/`/` as either name (EBUSY), two names
 * of one node (a successful no-op), sticky directories, RENAME_NOREPLACE,
 * RENAME_EXCHANGE (with the parents' link counts fixed up), RENAME_WHITEOUT
 * and invalid flag combinations, plus the link counts, `..` and
 * timestamps a move changes.  Every expected value was checked against the
 * kernel on tmpfs.
 */
#include "harness.h"

#include <sys/sysmacros.h>
#include <time.h>

static int ren(const char *from, const char *to, unsigned int flags)
{
	return vfs_renameat2(ht, AT_FDCWD, from, AT_FDCWD, to, flags);
}







/* --- core ------------------------------------------------------------- */

START_TEST(test_renameat2_replace_file)
{
	struct stat st;
	char buf[8];

	h_write_file("f", "new");
	h_write_file("g", "old!");
	ino_t f = h_ino("f");
	int gfd = h_open("g", O_RDONLY);

	ck_assert_int_eq(ren("f", "g", 0), 0);
	ck_assert_errno(h_lstat_ret("f"), ENOENT);
	ck_assert_uint_eq(h_ino("g"), f);
	/* the replaced node lives on through its fd, with no name */
	ck_assert_int_eq(vfs_fstat(ht, gfd, &st), 0);
	ck_assert_uint_eq(st.st_nlink, 0);
	ck_assert_int_eq(vfs_pread64(ht, gfd, buf, sizeof(buf), 0), 4);
	ck_assert_int_eq(vfs_close(ht, gfd), 0);
	int fd = h_open("g", O_RDONLY);
	ck_assert_int_eq(vfs_read(ht, fd, buf, sizeof(buf)), 3);
	ck_assert_int_eq(memcmp(buf, "new", 3), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_renameat2_replace_empty_dir)
{
	h_mkdir("d", 0755);
	h_write_file("d/x", "");
	h_mkdir("e", 0755);
	ino_t d = h_ino("d");

	ck_assert_uint_eq(h_nlink("/"), 4);
	ck_assert_int_eq(ren("d", "e", 0), 0);
	ck_assert_errno(h_lstat_ret("d"), ENOENT);
	ck_assert_uint_eq(h_ino("e"), d);
	ck_assert_int_eq(h_lstat_ret("e/x"), 0);
	ck_assert_uint_eq(h_nlink("e"), 2);
	ck_assert_uint_eq(h_nlink("/"), 3);
}
END_TEST

START_TEST(test_renameat2_dir_across_parents)
{
	h_mkdir("p", 0755);
	h_mkdir("q", 0755);
	h_mkdir("p/c", 0755);
	h_write_file("p/c/f", "");
	ck_assert_uint_eq(h_nlink("p"), 3);
	ck_assert_uint_eq(h_nlink("q"), 2);
	ck_assert_int_eq(ren("p/c", "q/c", 0), 0);
	ck_assert_uint_eq(h_nlink("p"), 2);
	ck_assert_uint_eq(h_nlink("q"), 3);
	ck_assert_uint_eq(h_ino("q/c/.."), h_ino("q"));
	ck_assert_int_eq(h_lstat_ret("q/c/f"), 0);
	ck_assert_errno(h_lstat_ret("p/c"), ENOENT);
	/* trailing slashes are fine on directories */
	ck_assert_int_eq(ren("q/c/", "h/", 0), 0);
	ck_assert_uint_eq(h_nlink("q"), 2);
	ck_assert_int_eq(ren("h/", "q/c", 0), 0);
	ck_assert_int_eq(h_lstat_ret("q/c/f"), 0);
}
END_TEST

START_TEST(test_renameat2_with_dirfds)
{
	h_mkdir("p", 0755);
	h_mkdir("q", 0755);
	h_write_file("p/f", "");
	int pfd = h_open("p", O_RDONLY | O_DIRECTORY);
	int qfd = h_open("q", O_RDONLY | O_DIRECTORY);

	ck_assert_int_eq(vfs_renameat2(ht, pfd, "f", qfd, "g", 0), 0);
	ck_assert_int_eq(h_lstat_ret("q/g"), 0);
	ck_assert_errno(vfs_renameat2(ht, pfd, "f", qfd, "g", 0), ENOENT);
	ck_assert_errno(vfs_renameat2(ht, 999, "f", qfd, "g", 0), EBADF);
	ck_assert_int_eq(vfs_close(ht, qfd), 0);
	ck_assert_int_eq(vfs_close(ht, pfd), 0);
}
END_TEST

START_TEST(test_renameat2_two_names_of_one_node)
{
	h_write_file("f", "");
	h_mkdir("d", 0755);
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "f", AT_FDCWD, "f2", 0), 0);
	ino_t f = h_ino("f");

	/* success, and nothing changes: both names stay */
	ck_assert_int_eq(ren("f", "f2", 0), 0);
	ck_assert_uint_eq(h_ino("f"), f);
	ck_assert_uint_eq(h_ino("f2"), f);
	ck_assert_uint_eq(h_nlink("f"), 2);
	ck_assert_int_eq(ren("f", "f", 0), 0);
	ck_assert_uint_eq(h_nlink("f"), 2);
	ck_assert_int_eq(ren("d", "d", 0), 0);
	ck_assert_uint_eq(h_nlink("d"), 2);
	ck_assert_int_eq(ren("f", "f2", RENAME_EXCHANGE), 0);
	ck_assert_int_eq(ren("f", "f", RENAME_EXCHANGE), 0);
	ck_assert_uint_eq(h_ino("f"), f);
	ck_assert_uint_eq(h_ino("f2"), f);
}
END_TEST

START_TEST(test_renameat2_noreplace)
{
	h_write_file("f", "");
	h_write_file("g", "");
	h_mkdir("d", 0755);
	ino_t f = h_ino("f");

	ck_assert_int_eq(ren("f", "newx", RENAME_NOREPLACE), 0);
	ck_assert_uint_eq(h_ino("newx"), f);
	ck_assert_errno(h_lstat_ret("f"), ENOENT);
	ck_assert_errno(ren("newx", "g", RENAME_NOREPLACE), EEXIST);
	ck_assert_errno(ren("newx", "d", RENAME_NOREPLACE), EEXIST);
	ck_assert_errno(ren("newx", "newx", RENAME_NOREPLACE), EEXIST);
	ck_assert_uint_eq(h_ino("newx"), f);
}
END_TEST

START_TEST(test_renameat2_exchange_dir_and_file)
{
	h_mkdir("p", 0755);
	h_mkdir("q", 0755);
	h_mkdir("p/dir", 0755);
	h_write_file("q/file", "");
	ino_t dir = h_ino("p/dir");
	ino_t file = h_ino("q/file");

	ck_assert_uint_eq(h_nlink("p"), 3);
	ck_assert_uint_eq(h_nlink("q"), 2);
	ck_assert_int_eq(ren("p/dir", "q/file", RENAME_EXCHANGE), 0);
	ck_assert_uint_eq(h_ino("p/dir"), file);
	ck_assert_uint_eq(h_ino("q/file"), dir);
	ck_assert_uint_eq(h_nlink("p"), 2);
	ck_assert_uint_eq(h_nlink("q"), 3);
	ck_assert_uint_eq(h_nlink("q/file"), 2);
	ck_assert_uint_eq(h_nlink("p/dir"), 1);
	ck_assert_uint_eq(h_ino("q/file/.."), h_ino("q"));

	/* within one directory the count does not move */
	h_mkdir("e", 0755);
	h_mkdir("e/dd", 0755);
	h_write_file("e/ff", "");
	ck_assert_uint_eq(h_nlink("e"), 3);
	ck_assert_int_eq(ren("e/dd", "e/ff", RENAME_EXCHANGE), 0);
	ck_assert_uint_eq(h_nlink("e"), 3);
	struct stat st;
	h_lstat("e/ff", &st);
	ck_assert(S_ISDIR(st.st_mode));
}
END_TEST

START_TEST(test_renameat2_whiteout)
{
	struct stat st;

	h_write_file("w", "data");
	ino_t w = h_ino("w");

	ck_assert_int_eq(ren("w", "w2", RENAME_WHITEOUT), 0);
	ck_assert_uint_eq(h_ino("w2"), w);
	h_lstat("w", &st);
	ck_assert_uint_eq(st.st_mode, S_IFCHR | 0000);
	ck_assert_uint_eq(st.st_rdev, makedev(0, 0));
	ck_assert_uint_eq(st.st_nlink, 1);
	ck_assert_uint_ne(st.st_ino, w);

	/* over an existing target, and with NOREPLACE onto a free name */
	h_write_file("x", "");
	ck_assert_int_eq(ren("w2", "x", RENAME_WHITEOUT), 0);
	ck_assert_uint_eq(h_ino("x"), w);
	h_lstat("w2", &st);
	ck_assert_uint_eq(st.st_mode, S_IFCHR | 0000);
	ck_assert_int_eq(ren("x", "y", RENAME_WHITEOUT | RENAME_NOREPLACE), 0);
	h_lstat("x", &st);
	ck_assert(S_ISCHR(st.st_mode));

	/* a directory can be whited out too */
	h_mkdir("wd", 0755);
	ck_assert_uint_eq(h_nlink("/"), 3);
	ck_assert_int_eq(ren("wd", "wd2", RENAME_WHITEOUT), 0);
	h_lstat("wd", &st);
	ck_assert_uint_eq(st.st_mode, S_IFCHR | 0000);
	ck_assert_uint_eq(h_nlink("/"), 3);
}
END_TEST

START_TEST(test_renameat2_whiteout_needs_no_capability)
{
	struct vfs_task *u;
	struct stat st;

	h_mkdir("u", 0755);
	ck_assert_int_eq(vfs_fchownat(ht, AT_FDCWD, "u", 1001, 1001, 0), 0);
	u = harness_user_task(1001, 1001, 0, NULL);
	int fd = vfs_openat(u, AT_FDCWD, "u/f", O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_close(u, fd), 0);
	ck_assert_int_eq(vfs_renameat2(u, AT_FDCWD, "u/f", AT_FDCWD, "u/g",
				       RENAME_WHITEOUT), 0);
	h_lstat("u/f", &st);
	ck_assert_uint_eq(st.st_mode, S_IFCHR | 0000);
	ck_assert_uint_eq(st.st_rdev, 0);
	ck_assert_uint_eq(st.st_uid, 1001);
	ck_assert_int_eq(h_lstat_ret("u/g"), 0);
}
END_TEST

START_TEST(test_renameat2_timestamps)
{
	struct stat a, b, pa, pb, qa, qb;

	h_mkdir("p", 0755);
	h_mkdir("q", 0755);
	h_write_file("p/f", "x");
	h_lstat("p/f", &a);
	h_lstat("p", &pa);
	h_lstat("q", &qa);
	h_tick();
	ck_assert_int_eq(ren("p/f", "q/f", 0), 0);
	h_lstat("q/f", &b);
	h_lstat("p", &pb);
	h_lstat("q", &qb);
	ck_assert_msg(h_ts_after(b.st_ctim, a.st_ctim), "moved node ctime");
	ck_assert_int_eq(b.st_mtim.tv_sec, a.st_mtim.tv_sec);
	ck_assert_int_eq(b.st_mtim.tv_nsec, a.st_mtim.tv_nsec);
	ck_assert_msg(h_ts_after(pb.st_mtim, pa.st_mtim), "old parent mtime");
	ck_assert_msg(h_ts_after(pb.st_ctim, pa.st_ctim), "old parent ctime");
	ck_assert_msg(h_ts_after(qb.st_mtim, qa.st_mtim), "new parent mtime");

	/* the replaced node loses a link: its ctime moves */
	h_write_file("y", "");
	int fd = h_open("y", O_RDONLY);
	ck_assert_int_eq(vfs_fstat(ht, fd, &a), 0);
	h_tick();
	ck_assert_int_eq(ren("q/f", "y", 0), 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &b), 0);
	ck_assert_uint_eq(b.st_nlink, 0);
	ck_assert_msg(h_ts_after(b.st_ctim, a.st_ctim), "replaced node ctime");
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

/* --- errors ----------------------------------------------------------- */

START_TEST(test_renameat2_not_empty)
{
	h_mkdir("d", 0755);
	h_mkdir("full", 0755);
	h_write_file("full/x", "");
	h_mkdir("d/s", 0755);
	ck_assert_errno(ren("d", "full", 0), ENOTEMPTY);
	/* onto its own ancestor: that ancestor is never empty */
	ck_assert_errno(ren("d/s", "d", 0), ENOTEMPTY);
	ck_assert_errno(ren("full/x", "full", 0), ENOTEMPTY);
	ck_assert_int_eq(h_lstat_ret("full/x"), 0);
	ck_assert_int_eq(h_lstat_ret("d/s"), 0);
}
END_TEST

START_TEST(test_renameat2_type_mismatch)
{
	h_mkdir("d", 0755);
	h_mkdir("full", 0755);
	h_write_file("full/x", "");
	h_write_file("g", "");
	ck_assert_errno(ren("d", "g", 0), ENOTDIR);
	ck_assert_errno(ren("g", "d", 0), EISDIR);
	ck_assert_errno(ren("g", "full", 0), EISDIR);
	ck_assert_errno(ren("g", "g/", 0), ENOTDIR);
	ck_assert_errno(ren("g", "h/", 0), ENOTDIR);
	ck_assert_errno(ren("g/", "h", 0), ENOTDIR);
	ck_assert_int_eq(h_lstat_ret("g"), 0);
	ck_assert_int_eq(h_lstat_ret("d"), 0);
	ck_assert_errno(h_lstat_ret("h"), ENOENT);
}
END_TEST

START_TEST(test_renameat2_into_own_subtree_einval)
{
	h_mkdir("d", 0755);
	h_mkdir("d/s", 0755);
	h_write_file("d/f", "");
	ck_assert_errno(ren("d", "d/sub", 0), EINVAL);
	ck_assert_errno(ren("d", "d/s/t", 0), EINVAL);
	ck_assert_errno(ren("d", "d/s", 0), EINVAL);
	ck_assert_errno(ren("d", "d/f", 0), EINVAL);
	ck_assert_errno(ren("d", "d/s", RENAME_EXCHANGE), EINVAL);
	ck_assert_errno(ren("d/s", "d", RENAME_EXCHANGE), EINVAL);
	ck_assert_errno(ren("d", "d/f", RENAME_EXCHANGE), EINVAL);
	ck_assert_int_eq(h_lstat_ret("d/s"), 0);
	ck_assert_uint_eq(h_nlink("d"), 3);
}
END_TEST

START_TEST(test_renameat2_dot_dotdot_root_ebusy)
{
	h_mkdir("d", 0755);
	h_write_file("g", "");
	ck_assert_errno(ren(".", "x", 0), EBUSY);
	ck_assert_errno(ren("..", "x", 0), EBUSY);
	ck_assert_errno(ren("d/.", "x", 0), EBUSY);
	ck_assert_errno(ren("d/..", "x", 0), EBUSY);
	ck_assert_errno(ren("g", ".", 0), EBUSY);
	ck_assert_errno(ren("g", "d/.", 0), EBUSY);
	ck_assert_errno(ren("g", "d/..", 0), EBUSY);
	ck_assert_errno(ren("d", "d/.", 0), EBUSY);
	ck_assert_errno(ren("/", "x", 0), EBUSY);
	ck_assert_errno(ren("g", "/", 0), EBUSY);
	/* even when the other name does not exist */
	ck_assert_errno(ren("nonex", ".", 0), EBUSY);
	ck_assert_errno(h_lstat_ret("x"), ENOENT);
	ck_assert_int_eq(h_lstat_ret("g"), 0);
}
END_TEST

START_TEST(test_renameat2_missing_names_enoent)
{
	h_write_file("g", "");
	ck_assert_errno(ren("nonex", "x", 0), ENOENT);
	ck_assert_errno(ren("nonex", "nonex", 0), ENOENT);
	ck_assert_errno(ren("g", "nodir/x", 0), ENOENT);
	ck_assert_errno(ren("nonex", "x", RENAME_WHITEOUT), ENOENT);
	ck_assert_errno(ren("nonex", "x", RENAME_NOREPLACE), ENOENT);
	ck_assert_int_eq(h_lstat_ret("g"), 0);
}
END_TEST

START_TEST(test_renameat2_exchange_missing_enoent)
{
	h_mkdir("p", 0755);
	h_write_file("p/f", "");
	ck_assert_errno(ren("p/f", "p/nonex", RENAME_EXCHANGE), ENOENT);
	ck_assert_errno(ren("p/nonex", "p/f", RENAME_EXCHANGE), ENOENT);
	ck_assert_int_eq(h_lstat_ret("p/f"), 0);
	ck_assert_errno(h_lstat_ret("p/nonex"), ENOENT);
}
END_TEST

START_TEST(test_renameat2_sticky_non_owner_eperm)
{
	struct vfs_task *u;

	h_mkdir("t", 0777);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "t", 01777, 0), 0);
	h_write_file("t/a", "");
	ck_assert_int_eq(vfs_fchownat(ht, AT_FDCWD, "t/a", 1000, 1000, 0), 0);
	h_write_file("t/b", "");
	ck_assert_int_eq(vfs_fchownat(ht, AT_FDCWD, "t/b", 1001, 1001, 0), 0);
	h_write_file("t/r", "");
	h_mkdir("t/sd", 0777);
	ck_assert_int_eq(vfs_fchownat(ht, AT_FDCWD, "t/sd", 1000, 1000, 0), 0);
	h_mkdir("o", 0777);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "o", 0777, 0), 0);
	ino_t a = h_ino("t/a");

	u = harness_user_task(1001, 1001, 0, NULL);
#define UREN(from, to, fl) vfs_renameat2(u, AT_FDCWD, from, AT_FDCWD, to, fl)
	/* someone else's file: not movable, not replaceable */
	ck_assert_errno(UREN("t/a", "t/c", 0), EPERM);
	ck_assert_errno(UREN("t/a", "o/c", 0), EPERM);
	ck_assert_errno(UREN("t/sd", "t/sd2", 0), EPERM);
	ck_assert_errno(UREN("t/sd", "o/sd2", 0), EPERM);
	/* its own file moves freely, but not onto another's */
	ck_assert_int_eq(UREN("t/b", "t/c", 0), 0);
	ck_assert_errno(UREN("t/c", "t/a", 0), EPERM);
	ck_assert_errno(UREN("t/c", "t/r", 0), EPERM);
	ck_assert_errno(UREN("t/c", "t/a", RENAME_EXCHANGE), EPERM);
	/* NOREPLACE is decided before the sticky check */
	ck_assert_errno(UREN("t/c", "t/r", RENAME_NOREPLACE), EEXIST);
	ck_assert_errno(vfs_unlinkat(u, AT_FDCWD, "t/a", 0), EPERM);
	ck_assert_errno(vfs_unlinkat(u, AT_FDCWD, "t/r", 0), EPERM);
#undef UREN
	ck_assert_uint_eq(h_ino("t/a"), a);
	ck_assert_int_eq(h_lstat_ret("t/r"), 0);
	ck_assert_int_eq(h_lstat_ret("t/sd"), 0);
	/* the owner of the directory may */
	ck_assert_int_eq(ren("t/a", "t/a2", 0), 0);
}
END_TEST

START_TEST(test_renameat2_bad_flags_einval)
{
	h_write_file("f", "");
	h_write_file("g", "");
	ck_assert_errno(ren("f", "g", RENAME_NOREPLACE | RENAME_EXCHANGE),
			EINVAL);
	ck_assert_errno(ren("f", "g", RENAME_WHITEOUT | RENAME_EXCHANGE),
			EINVAL);
	ck_assert_errno(ren("f", "g", 8), EINVAL);
	ck_assert_errno(ren("f", "g", 0x100), EINVAL);
	ck_assert_errno(ren("f", "nonex", 1u << 31), EINVAL);
	/* whiteout with noreplace still refuses an existing target */
	ck_assert_errno(ren("f", "g",
			    RENAME_WHITEOUT | RENAME_NOREPLACE), EEXIST);
	ck_assert_int_eq(h_lstat_ret("f"), 0);
	ck_assert_int_eq(h_lstat_ret("g"), 0);
}
END_TEST

static Suite *renameat2_suite(void)
{
	Suite *s = suite_create("renameat2");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_renameat2_replace_file);
	tcase_add_test(tc, test_renameat2_replace_empty_dir);
	tcase_add_test(tc, test_renameat2_dir_across_parents);
	tcase_add_test(tc, test_renameat2_with_dirfds);
	tcase_add_test(tc, test_renameat2_two_names_of_one_node);
	tcase_add_test(tc, test_renameat2_noreplace);
	tcase_add_test(tc, test_renameat2_exchange_dir_and_file);
	tcase_add_test(tc, test_renameat2_whiteout);
	tcase_add_test(tc, test_renameat2_whiteout_needs_no_capability);
	tcase_add_test(tc, test_renameat2_timestamps);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_renameat2_not_empty);
	tcase_add_test(tc, test_renameat2_type_mismatch);
	tcase_add_test(tc, test_renameat2_into_own_subtree_einval);
	tcase_add_test(tc, test_renameat2_dot_dotdot_root_ebusy);
	tcase_add_test(tc, test_renameat2_missing_names_enoent);
	tcase_add_test(tc, test_renameat2_exchange_missing_enoent);
	tcase_add_test(tc, test_renameat2_sticky_non_owner_eperm);
	tcase_add_test(tc, test_renameat2_bad_flags_einval);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(renameat2_suite)
