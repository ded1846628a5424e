// SPDX-License-Identifier: MIT
/*
 * tmpfs as a filesystem: sparse files (a 1 GiB hole costs nothing and
 * SEEK_DATA/SEEK_HOLE see it), the size= limit (short writes, then ENOSPC;
 * fallocate all or nothing), the nr_inodes= limit on every kind of create,
 * unique inode numbers, and space given back only when the last name and
 * the last open description of a file are gone.
 * Every expected value was checked against the Linux kernel's own tmpfs.
 */
#include <stdint.h>
#include <sys/statfs.h>

#include "harness.h"

#define GIB (1024LL * 1024 * 1024)
#define MIB (1024LL * 1024)

static void setup_small(void)
{
	harness_setup_opts("size=1m,nr_inodes=16");
}

static long free_pages(void)
{
	struct statfs sf;

	ck_assert_int_eq(vfs_statfs(ht, "/", &sf), 0);
	return (long)sf.f_bfree;
}

static long free_inodes(void)
{
	struct statfs sf;

	ck_assert_int_eq(vfs_statfs(ht, "/", &sf), 0);
	return (long)sf.f_ffree;
}

static int cmp_ino(const void *a, const void *b)
{
	ino_t x = *(const ino_t *)a, y = *(const ino_t *)b;

	return x < y ? -1 : x > y;
}

/* --- core ---------------------------------------------------------------- */

START_TEST(test_tmpfs_sparse_gib_hole)
{
	static char buf[8192];
	struct stat st;
	int fd = h_open("/f", O_RDWR | O_CREAT);

	ck_assert_int_eq(vfs_ftruncate(ht, fd, GIB), 0);
	ck_assert_int_eq(vfs_pwrite64(ht, fd, "z", 1, GIB - 1), 1);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_int_eq(st.st_size, GIB);
	ck_assert_int_eq(st.st_blocks, 8);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_HOLE), 0);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_DATA), GIB - 4096);
	ck_assert_int_eq(vfs_lseek(ht, fd, GIB - 4096, SEEK_HOLE), GIB);
	ck_assert_errno(vfs_lseek(ht, fd, GIB, SEEK_DATA), ENXIO);
	/* the hole reads as zeros */
	memset(buf, 0x55, sizeof(buf));
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), GIB / 2),
			 (ssize_t)sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++) {
		if (buf[i] != 0)
			ck_abort_msg("hole byte %zu is %d", i, buf[i]);
	}
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), GIB - 2), 2);
	ck_assert_int_eq(buf[0], 0);
	ck_assert_int_eq(buf[1], 'z');
	/* reading the hole allocated nothing */
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_int_eq(st.st_blocks, 8);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_tmpfs_sparse_several_islands)
{
	struct stat st;
	int fd = h_open("/f", O_RDWR | O_CREAT);

	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(vfs_pwrite64(ht, fd, "d", 1,
					      i * 64 * MIB + 10), 1);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_int_eq(st.st_blocks, 4 * 8);
	for (int i = 0; i < 4; i++) {
		off_t at = i * 64 * MIB;

		ck_assert_int_eq(vfs_lseek(ht, fd, at == 0 ? 0 : at - 4096,
					   SEEK_DATA), at);
		ck_assert_int_eq(vfs_lseek(ht, fd, at, SEEK_HOLE),
				 i == 3 ? at + 11 : at + 4096);
	}
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_tmpfs_unique_inode_numbers)
{
	enum { N = 2000 };
	static ino_t inos[N + 1];
	struct stat st;
	char path[32];

	h_mkdir("/d", 0755);
	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof(path), i % 4 ? "/d/f%d" : "/d/s%d", i);
		if (i % 4)
			vfs_close(ht, h_open(path, O_WRONLY | O_CREAT));
		else
			h_mkdir(path, 0755);
		h_stat(path, &st);
		inos[i] = st.st_ino;
	}
	h_stat("/", &st);
	inos[N] = st.st_ino;
	qsort(inos, N + 1, sizeof(inos[0]), cmp_ino);
	for (int i = 0; i < N; i++) {
		if (inos[i] == inos[i + 1])
			ck_abort_msg("two entries share ino %lu",
				     (unsigned long)inos[i]);
	}
}
END_TEST

START_TEST(test_tmpfs_two_mounts_distinct_devices)
{
	struct stat a, b;

	h_mkdir("/m", 0755);
	ck_assert_int_eq(vfs_mount(ht, "none", "/m", "tmpfs", 0, NULL), 0);
	h_stat("/", &a);
	h_stat("/m", &b);
	ck_assert(a.st_dev != b.st_dev);
	ck_assert_int_eq(vfs_umount2(ht, "/m", 0), 0);
}
END_TEST

/* --- limits -------------------------------------------------------------- */

START_TEST(test_tmpfs_size_limit_short_write_then_enospc)
{
	static char big[2 * MIB];
	int fd = h_open("/f", O_RDWR | O_CREAT);

	ck_assert_int_eq(free_pages(), 256);
	ck_assert_int_eq(vfs_write(ht, fd, big, sizeof(big)), MIB);
	ck_assert_int_eq(free_pages(), 0);
	ck_assert_errno(vfs_write(ht, fd, big, 1), ENOSPC);
	/* rewriting pages that exist needs no space */
	ck_assert_int_eq(vfs_pwrite64(ht, fd, big, 4096, 4096), 4096);
	/* a sparse size is free, but filling its hole is not */
	ck_assert_int_eq(vfs_ftruncate(ht, fd, GIB), 0);
	ck_assert_errno(vfs_pwrite64(ht, fd, big, 1, GIB - 1), ENOSPC);
	/* shrinking gives the pages back */
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 1000000), 0);
	ck_assert_int_eq(free_pages(), 11);
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 0), 0);
	ck_assert_int_eq(free_pages(), 256);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_tmpfs_size_limit_fallocate_all_or_nothing)
{
	struct stat st;
	int fd = h_open("/f", O_RDWR | O_CREAT);

	ck_assert_errno(vfs_fallocate(ht, fd, 0, 0, 2 * MIB), ENOSPC);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	ck_assert_int_eq(st.st_blocks, 0);
	ck_assert_int_eq(free_pages(), 256);
	ck_assert_int_eq(vfs_fallocate(ht, fd, 0, 0, MIB), 0);
	ck_assert_int_eq(free_pages(), 0);
	ck_assert_errno(vfs_fallocate(ht, fd, FALLOC_FL_KEEP_SIZE, MIB, 4096),
			ENOSPC);
	ck_assert_int_eq(vfs_fallocate(ht, fd, 0, 0, 4096), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_tmpfs_nr_inodes_enospc_on_create)
{
	char path[32];
	int i, fd;

	/* the root takes one of the 16 */
	ck_assert_int_eq(free_inodes(), 15);
	vfs_close(ht, h_open("/f", O_RDWR | O_CREAT));
	for (i = 0; i < 14; i++) {
		snprintf(path, sizeof(path), "/n%d", i);
		fd = vfs_openat(ht, AT_FDCWD, path, O_CREAT | O_WRONLY, 0644);
		ck_assert_msg(fd >= 0, "create #%d: %d", i, fd);
		vfs_close(ht, fd);
	}
	ck_assert_int_eq(free_inodes(), 0);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/x", O_CREAT | O_WRONLY,
				   0644), ENOSPC);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "/x", 0755), ENOSPC);
	ck_assert_errno(vfs_symlinkat(ht, "t", AT_FDCWD, "/x"), ENOSPC);
	ck_assert_errno(vfs_mknodat(ht, AT_FDCWD, "/x", S_IFIFO | 0644, 0),
			ENOSPC);
	/* each extra hard link is charged an inode too */
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "/f", AT_FDCWD, "/x", 0),
			ENOSPC);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/", O_TMPFILE | O_RDWR, 0644),
			ENOSPC);
	/* nothing was left behind */
	ck_assert_errno(vfs_faccessat2(ht, AT_FDCWD, "/x", F_OK, 0), ENOENT);
	/* opening what exists still works, and so does rename */
	vfs_close(ht, h_open("/f", O_RDWR | O_CREAT));
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/n0", AT_FDCWD, "/m0", 0),
			 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/m0", 0), 0);
	ck_assert_int_eq(free_inodes(), 1);
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "/f", AT_FDCWD, "/f2", 0), 0);
	ck_assert_int_eq(free_inodes(), 0);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "/x", 0755), ENOSPC);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/f2", 0), 0);
	ck_assert_int_eq(vfs_mkdirat(ht, AT_FDCWD, "/x", 0755), 0);
}
END_TEST

START_TEST(test_tmpfs_space_freed_at_last_close)
{
	static char data[10 * 4096];
	int fd, fd2;

	fd = h_open("/f", O_RDWR | O_CREAT);
	ck_assert_int_eq(vfs_write(ht, fd, data, sizeof(data)),
			 (ssize_t)sizeof(data));
	fd2 = vfs_dup(ht, fd);
	ck_assert_int_ge(fd2, 0);
	ck_assert_int_eq(free_pages(), 246);
	ck_assert_int_eq(free_inodes(), 14);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/f", 0), 0);
	/* still open: the data and the inode are still charged */
	ck_assert_int_eq(free_pages(), 246);
	ck_assert_int_eq(free_inodes(), 14);
	ck_assert_int_eq(vfs_pread64(ht, fd, data, 4096, 4096), 4096);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(free_pages(), 246);
	ck_assert_int_eq(vfs_close(ht, fd2), 0);
	ck_assert_int_eq(free_pages(), 256);
	ck_assert_int_eq(free_inodes(), 15);
}
END_TEST

START_TEST(test_tmpfs_space_kept_by_other_link)
{
	static char data[4 * 4096];
	int fd;

	fd = h_open("/f", O_RDWR | O_CREAT);
	ck_assert_int_eq(vfs_write(ht, fd, data, sizeof(data)),
			 (ssize_t)sizeof(data));
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "/f", AT_FDCWD, "/g", 0), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/f", 0), 0);
	ck_assert_int_eq(free_pages(), 252);
	/* renaming over the last name is an unlink too */
	vfs_close(ht, h_open("/h", O_RDWR | O_CREAT));
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/h", AT_FDCWD, "/g", 0),
			 0);
	ck_assert_int_eq(free_pages(), 256);
	ck_assert_int_eq(free_inodes(), 14);
}
END_TEST

START_TEST(test_tmpfs_tmpfile_freed_at_close)
{
	static char data[3 * 4096];
	int fd = vfs_openat(ht, AT_FDCWD, "/", O_TMPFILE | O_RDWR, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_write(ht, fd, data, sizeof(data)),
			 (ssize_t)sizeof(data));
	ck_assert_int_eq(free_pages(), 253);
	ck_assert_int_eq(free_inodes(), 14);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(free_pages(), 256);
	ck_assert_int_eq(free_inodes(), 15);
}
END_TEST

static Suite *tmpfs_suite(void)
{
	Suite *s = suite_create("tmpfs");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_tmpfs_sparse_gib_hole);
	tcase_add_test(tc, test_tmpfs_sparse_several_islands);
	tcase_add_test(tc, test_tmpfs_unique_inode_numbers);
	tcase_add_test(tc, test_tmpfs_two_mounts_distinct_devices);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup_small, harness_teardown);
	tcase_add_test(tc, test_tmpfs_size_limit_short_write_then_enospc);
	tcase_add_test(tc, test_tmpfs_size_limit_fallocate_all_or_nothing);
	tcase_add_test(tc, test_tmpfs_nr_inodes_enospc_on_create);
	tcase_add_test(tc, test_tmpfs_space_freed_at_last_close);
	tcase_add_test(tc, test_tmpfs_space_kept_by_other_link);
	tcase_add_test(tc, test_tmpfs_tmpfile_freed_at_close);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(tmpfs_suite)
