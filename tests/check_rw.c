// SPDX-License-Identifier: MIT
/*
 * Data system calls on tmpfs regular files: read/write, pread64/pwrite64,
 * readv/writev, O_APPEND, lseek with every whence (including SEEK_DATA and
 * SEEK_HOLE), truncate/ftruncate, fallocate, fsync/fdatasync, and the errors
 * Linux gives for the wrong kind of fd (directory, O_RDONLY, O_PATH).
 * Every expected value was checked against the Linux kernel's own tmpfs.
 */
#include <limits.h>
#include <sys/uio.h>

#include "harness.h"

/* Creates @path holding @data and returns an fd for it opened with @flags. */
static int file_with(const char *path, const char *data, int flags)
{
	h_write_file(path, data);
	return h_open(path, flags);
}

static off_t size_of(const char *path)
{
	struct stat st;

	h_stat(path, &st);
	return st.st_size;
}

/* --- core ---------------------------------------------------------------- */

START_TEST(test_write_read_roundtrip)
{
	char buf[16] = { 0 };
	int fd = h_open("/f", O_RDWR | O_CREAT);

	ck_assert_int_eq(vfs_write(ht, fd, "hello", 5), 5);
	ck_assert_int_eq(vfs_write(ht, fd, " world", 6), 6);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), 11);
	ck_assert_int_eq(vfs_read(ht, fd, buf, sizeof(buf)), 0);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(vfs_read(ht, fd, buf, 4), 4);
	ck_assert_int_eq(vfs_read(ht, fd, buf + 4, sizeof(buf)), 7);
	ck_assert_str_eq(buf, "hello world");
	ck_assert_int_eq(vfs_read(ht, fd, buf, sizeof(buf)), 0);
	ck_assert_int_eq(size_of("/f"), 11);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_write_zero_bytes)
{
	int fd = h_open("/f", O_RDWR | O_CREAT);

	ck_assert_int_eq(vfs_write(ht, fd, "x", 0), 0);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), 0);
	ck_assert_int_eq(size_of("/f"), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_pread_pwrite_keep_offset)
{
	char buf[8] = { 0 };
	int fd = file_with("/f", "abcdef", O_RDWR);

	ck_assert_int_eq(vfs_read(ht, fd, buf, 2), 2);
	ck_assert_int_eq(vfs_pwrite64(ht, fd, "XY", 2, 3), 2);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, 6, 0), 6);
	ck_assert_int_eq(memcmp(buf, "abcXYf", 6), 0);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), 2);
	/* pread at and past EOF returns 0 */
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, 6, 6), 0);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, 6, 1000), 0);
	/* short pread near EOF */
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, 6, 4), 2);
	ck_assert_int_eq(memcmp(buf, "Yf", 2), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_pwrite_past_eof_leaves_zeros)
{
	char buf[16];
	int fd = file_with("/f", "ab", O_RDWR);

	ck_assert_int_eq(vfs_pwrite64(ht, fd, "z", 1, 10), 1);
	ck_assert_int_eq(size_of("/f"), 11);
	memset(buf, 0x55, sizeof(buf));
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), 0), 11);
	ck_assert_int_eq(memcmp(buf, "ab\0\0\0\0\0\0\0\0z", 11), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_write_across_pages)
{
	static char in[3 * 4096 + 100], out[sizeof(in)];
	int fd = h_open("/f", O_RDWR | O_CREAT);

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (char)(i * 7 + 3);
	ck_assert_int_eq(vfs_pwrite64(ht, fd, in, sizeof(in), 4000),
			 (ssize_t)sizeof(in));
	ck_assert_int_eq(vfs_pread64(ht, fd, out, sizeof(out), 4000),
			 (ssize_t)sizeof(out));
	ck_assert_int_eq(memcmp(in, out, sizeof(in)), 0);
	ck_assert_int_eq(size_of("/f"), 4000 + sizeof(in));
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_readv_writev_scatter)
{
	char a[3], b[5], c[4];
	struct iovec wv[3] = {
		{ .iov_base = "one", .iov_len = 3 },
		{ .iov_base = "", .iov_len = 0 },
		{ .iov_base = "twothree", .iov_len = 8 },
	};
	struct iovec rv[3] = {
		{ .iov_base = a, .iov_len = sizeof(a) },
		{ .iov_base = b, .iov_len = sizeof(b) },
		{ .iov_base = c, .iov_len = sizeof(c) },
	};
	int fd = h_open("/f", O_RDWR | O_CREAT);

	ck_assert_int_eq(vfs_writev(ht, fd, wv, 3), 11);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_SET), 0);
	/* 12 bytes of room, 11 in the file: the last iovec is short */
	ck_assert_int_eq(vfs_readv(ht, fd, rv, 3), 11);
	ck_assert_int_eq(memcmp(a, "one", 3), 0);
	ck_assert_int_eq(memcmp(b, "twoth", 5), 0);
	ck_assert_int_eq(memcmp(c, "ree", 3), 0);
	ck_assert_int_eq(vfs_readv(ht, fd, rv, 3), 0);
	/* iovcnt 0 is a no-op */
	ck_assert_int_eq(vfs_writev(ht, fd, wv, 0), 0);
	ck_assert_int_eq(vfs_readv(ht, fd, rv, 0), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_append_writes_at_end)
{
	char buf[16] = { 0 };
	int fd = file_with("/f", "abc", O_RDWR | O_APPEND);
	int other = h_open("/f", O_WRONLY);

	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(vfs_write(ht, fd, "de", 2), 2);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), 5);
	/* the file grows through another description: append follows it */
	ck_assert_int_eq(vfs_pwrite64(ht, other, "XYZ", 3, 5), 3);
	ck_assert_int_eq(vfs_write(ht, fd, "f", 1), 1);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), 9);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), 0), 9);
	ck_assert_str_eq(buf, "abcdeXYZf");
	vfs_close(ht, other);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_append_pwrite_ignores_offset)
{
	/* Linux's documented pwrite(2) bug: with O_APPEND the data is
	 * appended whatever the offset. */
	char buf[16] = { 0 };
	int fd = file_with("/f", "abc", O_RDWR | O_APPEND);

	ck_assert_int_eq(vfs_pwrite64(ht, fd, "Z", 1, 0), 1);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), 0), 4);
	ck_assert_str_eq(buf, "abcZ");
	/* and the file offset is left alone */
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_append_toggled_by_setfl)
{
	char buf[8] = { 0 };
	int fd = file_with("/f", "ab", O_RDWR);

	ck_assert_int_eq(vfs_fcntl(ht, fd, F_SETFL, O_APPEND), 0);
	ck_assert_int_eq(vfs_write(ht, fd, "c", 1), 1);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_SETFL, 0), 0);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(vfs_write(ht, fd, "X", 1), 1);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), 0), 3);
	ck_assert_str_eq(buf, "Xbc");
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_lseek_set_cur_end)
{
	int fd = file_with("/f", "0123456789", O_RDWR);
	char c;

	ck_assert_int_eq(vfs_lseek(ht, fd, 4, SEEK_SET), 4);
	ck_assert_int_eq(vfs_lseek(ht, fd, 3, SEEK_CUR), 7);
	ck_assert_int_eq(vfs_lseek(ht, fd, -2, SEEK_CUR), 5);
	ck_assert_int_eq(vfs_read(ht, fd, &c, 1), 1);
	ck_assert_int_eq(c, '5');
	ck_assert_int_eq(vfs_lseek(ht, fd, -1, SEEK_END), 9);
	ck_assert_int_eq(vfs_read(ht, fd, &c, 1), 1);
	ck_assert_int_eq(c, '9');
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_END), 10);
	/* past EOF is allowed and does not grow the file */
	ck_assert_int_eq(vfs_lseek(ht, fd, 100, SEEK_END), 110);
	ck_assert_int_eq(vfs_lseek(ht, fd, 5000, SEEK_SET), 5000);
	ck_assert_int_eq(size_of("/f"), 10);
	ck_assert_int_eq(vfs_read(ht, fd, &c, 1), 0);
	/* a write there extends the file */
	ck_assert_int_eq(vfs_write(ht, fd, "e", 1), 1);
	ck_assert_int_eq(size_of("/f"), 5001);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_lseek_data_hole_dense_file)
{
	int fd = file_with("/f", "0123456789", O_RDONLY);

	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_DATA), 0);
	ck_assert_int_eq(vfs_lseek(ht, fd, 3, SEEK_DATA), 3);
	/* the implicit hole at EOF */
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_HOLE), 10);
	ck_assert_int_eq(vfs_lseek(ht, fd, 9, SEEK_HOLE), 10);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), 10);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_lseek_data_hole_sparse_file)
{
	int fd = h_open("/f", O_RDWR | O_CREAT);

	/* data in page 4 only, file size 8 pages */
	ck_assert_int_eq(vfs_pwrite64(ht, fd, "d", 1, 4 * 4096 + 10), 1);
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 8 * 4096), 0);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_HOLE), 0);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_DATA), 4 * 4096);
	ck_assert_int_eq(vfs_lseek(ht, fd, 4 * 4096 + 100, SEEK_DATA),
			 4 * 4096 + 100);
	ck_assert_int_eq(vfs_lseek(ht, fd, 4 * 4096, SEEK_HOLE), 5 * 4096);
	/* no data after page 4: ENXIO before EOF too */
	ck_assert_int_eq(vfs_lseek(ht, fd, 5 * 4096, SEEK_DATA), -ENXIO);
	ck_assert_int_eq(vfs_lseek(ht, fd, 6 * 4096, SEEK_HOLE), 6 * 4096);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_lseek_data_hole_after_punch)
{
	static char page[4096];
	int fd = h_open("/f", O_RDWR | O_CREAT);

	memset(page, 'p', sizeof(page));
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(vfs_write(ht, fd, page, sizeof(page)), 4096);
	ck_assert_int_eq(vfs_fallocate(ht, fd,
				       FALLOC_FL_PUNCH_HOLE |
					       FALLOC_FL_KEEP_SIZE,
				       4096, 2 * 4096), 0);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_HOLE), 4096);
	ck_assert_int_eq(vfs_lseek(ht, fd, 4096, SEEK_DATA), 3 * 4096);
	ck_assert_int_eq(size_of("/f"), 4 * 4096);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_truncate_shrink_and_regrow_zeroes)
{
	char buf[8];
	int fd = file_with("/f", "abcdef", O_RDWR);

	ck_assert_int_eq(vfs_ftruncate(ht, fd, 2), 0);
	ck_assert_int_eq(size_of("/f"), 2);
	ck_assert_int_eq(vfs_truncate(ht, "/f", 6), 0);
	ck_assert_int_eq(size_of("/f"), 6);
	memset(buf, 0x55, sizeof(buf));
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), 0), 6);
	ck_assert_int_eq(memcmp(buf, "ab\0\0\0\0", 6), 0);
	/* the offset is not moved by truncation */
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), 0);
	ck_assert_int_eq(vfs_truncate(ht, "/f", 0), 0);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), 0), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_truncate_regrow_zeroes_partial_page)
{
	static char page[4096], buf[4096];
	int fd = h_open("/f", O_RDWR | O_CREAT);

	memset(page, 'x', sizeof(page));
	ck_assert_int_eq(vfs_write(ht, fd, page, sizeof(page)), 4096);
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 100), 0);
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 4096), 0);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), 0), 4096);
	for (int i = 0; i < 4096; i++) {
		if (buf[i] != (i < 100 ? 'x' : 0))
			ck_abort_msg("byte %d is %d", i, buf[i]);
	}
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_truncate_follows_symlink)
{
	h_write_file("/f", "abcdef");
	ck_assert_int_eq(vfs_symlinkat(ht, "f", AT_FDCWD, "/l"), 0);
	ck_assert_int_eq(vfs_truncate(ht, "/l", 1), 0);
	ck_assert_int_eq(size_of("/f"), 1);
}
END_TEST

START_TEST(test_fallocate_extends_size)
{
	char buf[4];
	int fd = file_with("/f", "ab", O_RDWR);

	ck_assert_int_eq(vfs_fallocate(ht, fd, 0, 0, 10000), 0);
	ck_assert_int_eq(size_of("/f"), 10000);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, 4, 0), 4);
	ck_assert_int_eq(memcmp(buf, "ab\0\0", 4), 0);
	/* allocating inside the file changes nothing visible */
	ck_assert_int_eq(vfs_fallocate(ht, fd, 0, 0, 10), 0);
	ck_assert_int_eq(size_of("/f"), 10000);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_fallocate_keep_size_allocates_blocks)
{
	struct stat st;
	int fd = file_with("/f", "ab", O_RDWR);

	ck_assert_int_eq(vfs_fallocate(ht, fd, FALLOC_FL_KEEP_SIZE, 0,
				       16 * 4096), 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_int_eq(st.st_size, 2);
	ck_assert_int_eq(st.st_blocks, 16 * 4096 / 512);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_fallocate_punch_hole_zeroes)
{
	char buf[10];
	int fd = file_with("/f", "0123456789", O_RDWR);

	ck_assert_int_eq(vfs_fallocate(ht, fd,
				       FALLOC_FL_PUNCH_HOLE |
					       FALLOC_FL_KEEP_SIZE,
				       2, 5), 0);
	ck_assert_int_eq(size_of("/f"), 10);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, 10, 0), 10);
	ck_assert_int_eq(memcmp(buf, "01\0\0\0\0\0" "789", 10), 0);
	/* punching past EOF does not grow the file */
	ck_assert_int_eq(vfs_fallocate(ht, fd,
				       FALLOC_FL_PUNCH_HOLE |
					       FALLOC_FL_KEEP_SIZE,
				       8, 100), 0);
	ck_assert_int_eq(size_of("/f"), 10);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, 10, 0), 10);
	ck_assert_int_eq(memcmp(buf, "01\0\0\0\0\0" "7\0\0", 10), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_fsync_fdatasync_succeed)
{
	int fd = file_with("/f", "x", O_RDONLY);
	int dfd = h_open("/", O_RDONLY | O_DIRECTORY);

	ck_assert_int_eq(vfs_fsync(ht, fd), 0);
	ck_assert_int_eq(vfs_fdatasync(ht, fd), 0);
	ck_assert_int_eq(vfs_fsync(ht, dfd), 0);
	ck_assert_int_eq(vfs_fdatasync(ht, dfd), 0);
	vfs_close(ht, dfd);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_open_trunc_empties_file)
{
	char c;
	int fd = file_with("/f", "abc", O_RDWR | O_TRUNC);

	ck_assert_int_eq(size_of("/f"), 0);
	ck_assert_int_eq(vfs_read(ht, fd, &c, 1), 0);
	vfs_close(ht, fd);
}
END_TEST

/* --- errors -------------------------------------------------------------- */

START_TEST(test_read_directory_eisdir)
{
	char buf[16];
	int fd = h_open("/", O_RDONLY | O_DIRECTORY);

	ck_assert_errno(vfs_read(ht, fd, buf, sizeof(buf)), EISDIR);
	ck_assert_errno(vfs_pread64(ht, fd, buf, sizeof(buf), 0), EISDIR);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_open_directory_for_write_eisdir)
{
	h_mkdir("/d", 0755);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/d", O_WRONLY, 0), EISDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/d", O_RDWR, 0), EISDIR);
}
END_TEST

START_TEST(test_write_rdonly_ebadf)
{
	int fd = file_with("/f", "abc", O_RDONLY);
	struct iovec v = { .iov_base = "x", .iov_len = 1 };

	ck_assert_errno(vfs_write(ht, fd, "x", 1), EBADF);
	ck_assert_errno(vfs_write(ht, fd, "x", 0), EBADF);
	ck_assert_errno(vfs_pwrite64(ht, fd, "x", 1, 0), EBADF);
	ck_assert_errno(vfs_writev(ht, fd, &v, 1), EBADF);
	ck_assert_int_eq(size_of("/f"), 3);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_read_wronly_ebadf)
{
	char buf[4];
	struct iovec v = { .iov_base = buf, .iov_len = sizeof(buf) };
	int fd = file_with("/f", "abc", O_WRONLY);

	ck_assert_errno(vfs_read(ht, fd, buf, sizeof(buf)), EBADF);
	ck_assert_errno(vfs_pread64(ht, fd, buf, sizeof(buf), 0), EBADF);
	ck_assert_errno(vfs_readv(ht, fd, &v, 1), EBADF);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_bad_fd_ebadf)
{
	char buf[4];

	ck_assert_errno(vfs_read(ht, 5, buf, sizeof(buf)), EBADF);
	ck_assert_errno(vfs_write(ht, 5, buf, sizeof(buf)), EBADF);
	ck_assert_errno(vfs_read(ht, -1, buf, sizeof(buf)), EBADF);
	ck_assert_errno(vfs_lseek(ht, 5, 0, SEEK_SET), EBADF);
	ck_assert_errno(vfs_ftruncate(ht, 5, 0), EBADF);
	ck_assert_errno(vfs_fallocate(ht, 5, 0, 0, 1), EBADF);
	ck_assert_errno(vfs_fsync(ht, 5), EBADF);
	ck_assert_errno(vfs_fdatasync(ht, 5), EBADF);
}
END_TEST

START_TEST(test_opath_fd_ebadf)
{
	char buf[4];
	struct iovec v = { .iov_base = buf, .iov_len = sizeof(buf) };
	int fd = file_with("/f", "abc", O_PATH);

	ck_assert_errno(vfs_read(ht, fd, buf, sizeof(buf)), EBADF);
	ck_assert_errno(vfs_pread64(ht, fd, buf, sizeof(buf), 0), EBADF);
	ck_assert_errno(vfs_readv(ht, fd, &v, 1), EBADF);
	ck_assert_errno(vfs_write(ht, fd, "x", 1), EBADF);
	ck_assert_errno(vfs_lseek(ht, fd, 0, SEEK_SET), EBADF);
	ck_assert_errno(vfs_ftruncate(ht, fd, 0), EBADF);
	ck_assert_errno(vfs_fallocate(ht, fd, 0, 0, 1), EBADF);
	ck_assert_errno(vfs_fsync(ht, fd), EBADF);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_iovcnt_invalid_einval)
{
	char buf[4];
	static struct iovec v[1025];
	int fd = file_with("/f", "abc", O_RDWR);

	for (int i = 0; i < 1025; i++) {
		v[i].iov_base = buf;
		v[i].iov_len = 1;
	}
	ck_assert_errno(vfs_readv(ht, fd, v, -1), EINVAL);
	ck_assert_errno(vfs_writev(ht, fd, v, -1), EINVAL);
	ck_assert_errno(vfs_readv(ht, fd, v, 1025), EINVAL);
	ck_assert_errno(vfs_writev(ht, fd, v, 1025), EINVAL);
	/* UIO_MAXIOV itself is fine */
	ck_assert_int_eq(vfs_writev(ht, fd, v, 1024), 1024);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_pread_negative_offset_einval)
{
	char buf[4];
	int fd = file_with("/f", "abc", O_RDWR);

	ck_assert_errno(vfs_pread64(ht, fd, buf, 1, -1), EINVAL);
	ck_assert_errno(vfs_pwrite64(ht, fd, buf, 1, -1), EINVAL);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_lseek_bad_whence_einval)
{
	int fd = file_with("/f", "abc", O_RDONLY);

	ck_assert_errno(vfs_lseek(ht, fd, 0, 5), EINVAL);
	ck_assert_errno(vfs_lseek(ht, fd, 0, -1), EINVAL);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_lseek_negative_result_einval)
{
	int fd = file_with("/f", "abc", O_RDONLY);

	ck_assert_int_eq(vfs_lseek(ht, fd, 2, SEEK_SET), 2);
	ck_assert_errno(vfs_lseek(ht, fd, -1, SEEK_SET), EINVAL);
	ck_assert_errno(vfs_lseek(ht, fd, -3, SEEK_CUR), EINVAL);
	ck_assert_errno(vfs_lseek(ht, fd, -4, SEEK_END), EINVAL);
	/* a failed seek leaves the offset */
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), 2);
	ck_assert_int_eq(vfs_lseek(ht, fd, -3, SEEK_END), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_lseek_data_hole_past_eof_enxio)
{
	int fd = file_with("/f", "abc", O_RDONLY);
	int efd = h_open("/e", O_RDWR | O_CREAT);

	ck_assert_errno(vfs_lseek(ht, fd, 3, SEEK_DATA), ENXIO);
	ck_assert_errno(vfs_lseek(ht, fd, 3, SEEK_HOLE), ENXIO);
	ck_assert_errno(vfs_lseek(ht, fd, 100, SEEK_HOLE), ENXIO);
	ck_assert_errno(vfs_lseek(ht, fd, -1, SEEK_DATA), ENXIO);
	ck_assert_errno(vfs_lseek(ht, fd, -1, SEEK_HOLE), ENXIO);
	ck_assert_errno(vfs_lseek(ht, efd, 0, SEEK_DATA), ENXIO);
	ck_assert_errno(vfs_lseek(ht, efd, 0, SEEK_HOLE), ENXIO);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), 0);
	vfs_close(ht, efd);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_truncate_negative_einval)
{
	int fd = file_with("/f", "abc", O_RDWR);

	ck_assert_errno(vfs_truncate(ht, "/f", -1), EINVAL);
	ck_assert_errno(vfs_ftruncate(ht, fd, -1), EINVAL);
	ck_assert_int_eq(size_of("/f"), 3);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_truncate_directory_eisdir)
{
	h_mkdir("/d", 0755);
	ck_assert_errno(vfs_truncate(ht, "/d", 0), EISDIR);
}
END_TEST

START_TEST(test_truncate_missing_enoent)
{
	ck_assert_errno(vfs_truncate(ht, "/nope", 0), ENOENT);
	ck_assert_errno(vfs_truncate(ht, "", 0), ENOENT);
	h_write_file("/f", "x");
	ck_assert_errno(vfs_truncate(ht, "/f/x", 0), ENOTDIR);
}
END_TEST

START_TEST(test_ftruncate_rdonly_einval)
{
	int fd = file_with("/f", "abc", O_RDONLY);
	int dfd = h_open("/", O_RDONLY | O_DIRECTORY);

	ck_assert_errno(vfs_ftruncate(ht, fd, 0), EINVAL);
	ck_assert_errno(vfs_ftruncate(ht, dfd, 0), EINVAL);
	ck_assert_int_eq(size_of("/f"), 3);
	vfs_close(ht, dfd);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_ftruncate_append_ok)
{
	int fd = file_with("/f", "abc", O_WRONLY | O_APPEND);

	ck_assert_int_eq(vfs_ftruncate(ht, fd, 1), 0);
	ck_assert_int_eq(size_of("/f"), 1);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_fallocate_punch_without_keep_size_eopnotsupp)
{
	int fd = file_with("/f", "abc", O_RDWR);

	ck_assert_errno(vfs_fallocate(ht, fd, FALLOC_FL_PUNCH_HOLE, 0, 1),
			EOPNOTSUPP);
	ck_assert_int_eq(size_of("/f"), 3);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_fallocate_bad_range_einval)
{
	int fd = file_with("/f", "abc", O_RDWR);

	ck_assert_errno(vfs_fallocate(ht, fd, 0, 0, 0), EINVAL);
	ck_assert_errno(vfs_fallocate(ht, fd, 0, 0, -1), EINVAL);
	ck_assert_errno(vfs_fallocate(ht, fd, 0, -1, 1), EINVAL);
	ck_assert_errno(vfs_fallocate(ht, fd, FALLOC_FL_KEEP_SIZE, 0, 0),
			EINVAL);
	ck_assert_errno(vfs_fallocate(ht, fd,
				      FALLOC_FL_PUNCH_HOLE |
					      FALLOC_FL_KEEP_SIZE,
				      0, 0), EINVAL);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_fallocate_rdonly_ebadf)
{
	int fd = file_with("/f", "abc", O_RDONLY);

	ck_assert_errno(vfs_fallocate(ht, fd, 0, 0, 10), EBADF);
	ck_assert_errno(vfs_fallocate(ht, fd,
				      FALLOC_FL_PUNCH_HOLE |
					      FALLOC_FL_KEEP_SIZE,
				      0, 1), EBADF);
	ck_assert_int_eq(size_of("/f"), 3);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_fallocate_directory_ebadf)
{
	int dfd = h_open("/", O_RDONLY | O_DIRECTORY);

	/* a directory can only be opened read-only: the write check fires */
	ck_assert_errno(vfs_fallocate(ht, dfd, 0, 0, 10), EBADF);
	vfs_close(ht, dfd);
}
END_TEST

START_TEST(test_fallocate_append_fd_punch_ok)
{
	char buf[3];
	int fd = file_with("/f", "abc", O_RDWR | O_APPEND);

	/* only the inode's append-only attribute forbids punching, not an
	 * O_APPEND description */
	ck_assert_int_eq(vfs_fallocate(ht, fd,
				       FALLOC_FL_PUNCH_HOLE |
					       FALLOC_FL_KEEP_SIZE,
				       0, 1), 0);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, 3, 0), 3);
	ck_assert_int_eq(memcmp(buf, "\0bc", 3), 0);
	vfs_close(ht, fd);
}
END_TEST

/* --- limits -------------------------------------------------------------- */

START_TEST(test_lseek_huge_offset)
{
	int fd = file_with("/f", "abc", O_RDWR);

	/* tmpfs's limit is MAX_LFS_FILESIZE (LLONG_MAX): only overflow fails */
	ck_assert_int_eq(vfs_lseek(ht, fd, LLONG_MAX, SEEK_SET), LLONG_MAX);
	ck_assert_errno(vfs_lseek(ht, fd, 4096, SEEK_CUR), EINVAL);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), LLONG_MAX);
	ck_assert_errno(vfs_lseek(ht, fd, LLONG_MAX, SEEK_END), EINVAL);
	ck_assert_errno(vfs_lseek(ht, fd, LLONG_MAX - 2, SEEK_END), EINVAL);
	ck_assert_int_eq(vfs_lseek(ht, fd, LLONG_MAX - 3, SEEK_END), LLONG_MAX);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_write_offset_overflow_einval)
{
	struct stat st;
	char c = 0;
	int fd = file_with("/f", "abc", O_RDWR);

	ck_assert_errno(vfs_pwrite64(ht, fd, "x", 1, LLONG_MAX), EINVAL);
	ck_assert_errno(vfs_pwrite64(ht, fd, "xy", 2, LLONG_MAX - 1), EINVAL);
	ck_assert_int_eq(size_of("/f"), 3);
	/* the very last byte is writable, and only its page is stored */
	ck_assert_int_eq(vfs_pwrite64(ht, fd, "x", 1, LLONG_MAX - 1), 1);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_int_eq(st.st_size, LLONG_MAX);
	ck_assert_int_eq(st.st_blocks, 16);
	ck_assert_int_eq(vfs_pread64(ht, fd, &c, 1, LLONG_MAX - 1), 1);
	ck_assert_int_eq(c, 'x');
	ck_assert_int_eq(vfs_pread64(ht, fd, &c, 1, LLONG_MAX - 5000), 1);
	ck_assert_int_eq(c, 0);
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 3), 0);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_int_eq(st.st_blocks, 8);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_fallocate_past_max_efbig)
{
	int fd = file_with("/f", "abc", O_RDWR);

	ck_assert_errno(vfs_fallocate(ht, fd, 0, LLONG_MAX - 10, 20), EFBIG);
	ck_assert_int_eq(size_of("/f"), 3);
	ck_assert_int_eq(vfs_ftruncate(ht, fd, LLONG_MAX), 0);
	ck_assert_int_eq(size_of("/f"), LLONG_MAX);
	ck_assert_int_eq(vfs_ftruncate(ht, fd, 0), 0);
	vfs_close(ht, fd);
}
END_TEST

static Suite *rw_suite(void)
{
	Suite *s = suite_create("rw");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_write_read_roundtrip);
	tcase_add_test(tc, test_write_zero_bytes);
	tcase_add_test(tc, test_pread_pwrite_keep_offset);
	tcase_add_test(tc, test_pwrite_past_eof_leaves_zeros);
	tcase_add_test(tc, test_write_across_pages);
	tcase_add_test(tc, test_readv_writev_scatter);
	tcase_add_test(tc, test_append_writes_at_end);
	tcase_add_test(tc, test_append_pwrite_ignores_offset);
	tcase_add_test(tc, test_append_toggled_by_setfl);
	tcase_add_test(tc, test_lseek_set_cur_end);
	tcase_add_test(tc, test_lseek_data_hole_dense_file);
	tcase_add_test(tc, test_lseek_data_hole_sparse_file);
	tcase_add_test(tc, test_lseek_data_hole_after_punch);
	tcase_add_test(tc, test_truncate_shrink_and_regrow_zeroes);
	tcase_add_test(tc, test_truncate_regrow_zeroes_partial_page);
	tcase_add_test(tc, test_truncate_follows_symlink);
	tcase_add_test(tc, test_fallocate_extends_size);
	tcase_add_test(tc, test_fallocate_keep_size_allocates_blocks);
	tcase_add_test(tc, test_fallocate_punch_hole_zeroes);
	tcase_add_test(tc, test_fsync_fdatasync_succeed);
	tcase_add_test(tc, test_open_trunc_empties_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_read_directory_eisdir);
	tcase_add_test(tc, test_open_directory_for_write_eisdir);
	tcase_add_test(tc, test_write_rdonly_ebadf);
	tcase_add_test(tc, test_read_wronly_ebadf);
	tcase_add_test(tc, test_bad_fd_ebadf);
	tcase_add_test(tc, test_opath_fd_ebadf);
	tcase_add_test(tc, test_iovcnt_invalid_einval);
	tcase_add_test(tc, test_pread_negative_offset_einval);
	tcase_add_test(tc, test_lseek_bad_whence_einval);
	tcase_add_test(tc, test_lseek_negative_result_einval);
	tcase_add_test(tc, test_lseek_data_hole_past_eof_enxio);
	tcase_add_test(tc, test_truncate_negative_einval);
	tcase_add_test(tc, test_truncate_directory_eisdir);
	tcase_add_test(tc, test_truncate_missing_enoent);
	tcase_add_test(tc, test_ftruncate_rdonly_einval);
	tcase_add_test(tc, test_ftruncate_append_ok);
	tcase_add_test(tc, test_fallocate_punch_without_keep_size_eopnotsupp);
	tcase_add_test(tc, test_fallocate_bad_range_einval);
	tcase_add_test(tc, test_fallocate_rdonly_ebadf);
	tcase_add_test(tc, test_fallocate_directory_ebadf);
	tcase_add_test(tc, test_fallocate_append_fd_punch_ok);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_lseek_huge_offset);
	tcase_add_test(tc, test_write_offset_overflow_einval);
	tcase_add_test(tc, test_fallocate_past_max_efbig);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(rw_suite)
