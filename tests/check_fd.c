// SPDX-License-Identifier: MIT
/*
 * File descriptor tables: lowest free numbers, EBADF, the RLIMIT_NOFILE
 * limit (EMFILE, and the EBADF/EINVAL that dup2 and F_DUPFD give at it),
 * dup/dup2/dup3, fcntl F_DUPFD(_CLOEXEC)/F_GETFD/F_SETFD/F_GETFL/F_SETFL,
 * offsets and status flags shared through one open file description,
 * vfs_task_fork with and without CLONE_FILES and CLONE_FS, and
 * vfs_task_exec closing exactly the close-on-exec descriptors.
 * Every expected value was checked against the Linux kernel.
 */
#include <sched.h>

#include "harness.h"


static int open_f(struct vfs_task *t, int flags)
{
	int fd = vfs_openat(t, AT_FDCWD, "/f", flags, 0644);

	ck_assert_msg(fd >= 0, "open /f: %d", fd);
	return fd;
}

static void setup_file(void)
{
	harness_setup();
	h_write_file("/f", "0123456789");
}

/* --- core ---------------------------------------------------------------- */

START_TEST(test_fd_lowest_free)
{
	ck_assert_int_eq(open_f(ht, O_RDONLY), 0);
	ck_assert_int_eq(open_f(ht, O_RDONLY), 1);
	ck_assert_int_eq(open_f(ht, O_RDONLY), 2);
	ck_assert_int_eq(open_f(ht, O_RDONLY), 3);
	ck_assert_int_eq(vfs_close(ht, 1), 0);
	ck_assert_int_eq(vfs_close(ht, 2), 0);
	ck_assert_int_eq(open_f(ht, O_RDONLY), 1);
	ck_assert_int_eq(vfs_dup(ht, 0), 2);
	ck_assert_int_eq(vfs_dup(ht, 0), 4);
	ck_assert_int_eq(vfs_close(ht, 0), 0);
	ck_assert_int_eq(vfs_fcntl(ht, 3, F_DUPFD, 0), 0);
	/* a failed open takes no number */
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/nope", O_RDONLY, 0), ENOENT);
	ck_assert_int_eq(open_f(ht, O_RDONLY), 5);
}
END_TEST

START_TEST(test_fd_close_ebadf)
{
	int fd = open_f(ht, O_RDONLY);

	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_errno(vfs_close(ht, fd), EBADF);
	ck_assert_errno(vfs_close(ht, -1), EBADF);
	ck_assert_errno(vfs_close(ht, 1000), EBADF);
	ck_assert_errno(vfs_close(ht, 1 << 30), EBADF);
	ck_assert_errno(vfs_dup(ht, fd), EBADF);
	ck_assert_errno(vfs_fcntl(ht, fd, F_GETFD, 0), EBADF);
	ck_assert_errno(vfs_fcntl(ht, -1, F_GETFL, 0), EBADF);
}
END_TEST

START_TEST(test_fd_dup_shares_offset_and_flags)
{
	char c;
	int a = open_f(ht, O_RDWR);
	int b = vfs_dup(ht, a);
	int other = open_f(ht, O_RDWR);

	ck_assert_int_ge(b, 0);
	ck_assert_int_eq(vfs_read(ht, a, &c, 1), 1);
	ck_assert_int_eq(vfs_lseek(ht, b, 0, SEEK_CUR), 1);
	ck_assert_int_eq(vfs_read(ht, b, &c, 1), 1);
	ck_assert_int_eq(c, '1');
	ck_assert_int_eq(vfs_lseek(ht, a, 0, SEEK_CUR), 2);
	/* a separate open has its own offset */
	ck_assert_int_eq(vfs_lseek(ht, other, 0, SEEK_CUR), 0);
	/* status flags belong to the description */
	ck_assert_int_eq(vfs_fcntl(ht, a, F_SETFL, O_APPEND), 0);
	ck_assert(vfs_fcntl(ht, b, F_GETFL, 0) & O_APPEND);
	ck_assert(!(vfs_fcntl(ht, other, F_GETFL, 0) & O_APPEND));
	/* closing one leaves the other working */
	ck_assert_int_eq(vfs_close(ht, a), 0);
	ck_assert_int_eq(vfs_read(ht, b, &c, 1), 1);
	ck_assert_int_eq(c, '2');
}
END_TEST

START_TEST(test_fd_dup2_replaces_target)
{
	char c;
	int a = open_f(ht, O_RDONLY);
	int b;

	h_write_file("/g", "g");
	b = h_open("/g", O_RDONLY);
	ck_assert_int_eq(vfs_dup2(ht, a, b), b);
	ck_assert_int_eq(vfs_read(ht, b, &c, 1), 1);
	ck_assert_int_eq(c, '0');
	/* to a free high number */
	ck_assert_int_eq(vfs_dup2(ht, a, 100), 100);
	ck_assert_int_eq(vfs_lseek(ht, 100, 0, SEEK_CUR), 1);
	/* the next lowest is still low */
	ck_assert_int_eq(vfs_dup(ht, a), 2);
	/* old == new: a no-op returning it */
	ck_assert_int_eq(vfs_dup2(ht, a, a), a);
	ck_assert_int_eq(vfs_lseek(ht, a, 0, SEEK_CUR), 1);
	/* dup2 clears close-on-exec on the new fd */
	ck_assert_int_eq(vfs_fcntl(ht, 100, F_SETFD, FD_CLOEXEC), 0);
	ck_assert_int_eq(vfs_dup2(ht, a, 100), 100);
	ck_assert_int_eq(vfs_fcntl(ht, 100, F_GETFD, 0), 0);
}
END_TEST

START_TEST(test_fd_dup3_cloexec)
{
	int a = open_f(ht, O_RDONLY | O_CLOEXEC);

	ck_assert_int_eq(vfs_fcntl(ht, a, F_GETFD, 0), FD_CLOEXEC);
	/* dup never copies close-on-exec */
	ck_assert_int_eq(vfs_fcntl(ht, vfs_dup(ht, a), F_GETFD, 0), 0);
	ck_assert_int_eq(vfs_dup3(ht, a, 10, O_CLOEXEC), 10);
	ck_assert_int_eq(vfs_fcntl(ht, 10, F_GETFD, 0), FD_CLOEXEC);
	ck_assert_int_eq(vfs_dup3(ht, a, 10, 0), 10);
	ck_assert_int_eq(vfs_fcntl(ht, 10, F_GETFD, 0), 0);
}
END_TEST

START_TEST(test_fd_fcntl_dupfd)
{
	int a = open_f(ht, O_RDONLY);

	ck_assert_int_eq(vfs_fcntl(ht, a, F_DUPFD, 5), 5);
	ck_assert_int_eq(vfs_fcntl(ht, a, F_DUPFD, 5), 6);
	ck_assert_int_eq(vfs_fcntl(ht, 6, F_GETFD, 0), 0);
	ck_assert_int_eq(vfs_fcntl(ht, a, F_DUPFD_CLOEXEC, 5), 7);
	ck_assert_int_eq(vfs_fcntl(ht, 7, F_GETFD, 0), FD_CLOEXEC);
	ck_assert_int_eq(vfs_fcntl(ht, a, F_DUPFD, 0), 1);
	ck_assert_int_eq(vfs_lseek(ht, 7, 3, SEEK_SET), 3);
	ck_assert_int_eq(vfs_lseek(ht, a, 0, SEEK_CUR), 3);
}
END_TEST

START_TEST(test_fd_fcntl_setfd_only_cloexec)
{
	int a = open_f(ht, O_RDONLY);

	ck_assert_int_eq(vfs_fcntl(ht, a, F_GETFD, 0), 0);
	ck_assert_int_eq(vfs_fcntl(ht, a, F_SETFD, 0xff), 0);
	ck_assert_int_eq(vfs_fcntl(ht, a, F_GETFD, 0), FD_CLOEXEC);
	ck_assert_int_eq(vfs_fcntl(ht, a, F_SETFD, 0), 0);
	ck_assert_int_eq(vfs_fcntl(ht, a, F_GETFD, 0), 0);
}
END_TEST

START_TEST(test_fd_fcntl_getfl)
{
	int fd;

	fd = open_f(ht, O_RDWR);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_GETFL, 0),
			 O_RDWR | KERNEL_O_LARGEFILE);
	/* creation flags and O_CLOEXEC are not kept */
	fd = vfs_openat(ht, AT_FDCWD, "/f",
			O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_CREAT | O_TRUNC,
			0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_GETFL, 0),
			 O_RDONLY | O_NONBLOCK | KERNEL_O_LARGEFILE);
	fd = open_f(ht, O_WRONLY | O_APPEND | O_SYNC);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_GETFL, 0),
			 O_WRONLY | O_APPEND | O_SYNC | KERNEL_O_LARGEFILE);
	fd = h_open("/", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_GETFL, 0),
			 O_RDONLY | O_DIRECTORY | KERNEL_O_LARGEFILE);
	/* O_PATH descriptors report only O_PATH */
	fd = open_f(ht, O_PATH);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_GETFL, 0), O_PATH);
}
END_TEST

START_TEST(test_fd_fcntl_setfl_changes_only_status_flags)
{
	int fd = open_f(ht, O_RDWR);

	ck_assert_int_eq(vfs_fcntl(ht, fd, F_SETFL,
				   O_APPEND | O_NONBLOCK | O_RDONLY | O_TRUNC |
					   O_CREAT | O_EXCL | O_NOCTTY),
			 0);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_GETFL, 0),
			 O_RDWR | O_APPEND | O_NONBLOCK | KERNEL_O_LARGEFILE);
	/* the file was not truncated and is still writable */
	ck_assert_int_eq(vfs_write(ht, fd, "x", 1), 1);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_SETFL, O_NOATIME), 0);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_GETFL, 0),
			 O_RDWR | O_NOATIME | KERNEL_O_LARGEFILE);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_SETFL, 0), 0);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_GETFL, 0),
			 O_RDWR | KERNEL_O_LARGEFILE);
	/* an O_PATH fd cannot take status flags */
	fd = open_f(ht, O_PATH);
	ck_assert_errno(vfs_fcntl(ht, fd, F_SETFL, O_APPEND), EBADF);
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_SETFD, FD_CLOEXEC), 0);
	ck_assert_int_ge(vfs_fcntl(ht, fd, F_DUPFD, 0), 0);
}
END_TEST

/* --- fork and exec -------------------------------------------------------- */

START_TEST(test_fd_fork_without_clone_files_copies)
{
	struct vfs_task *child;
	char c;
	int a = open_f(ht, O_RDONLY);
	int e = open_f(ht, O_RDONLY | O_CLOEXEC);
	int cfd;

	ck_assert_int_eq(vfs_task_fork(ht, 0, &child), 0);
	/* same numbers, same close-on-exec flags */
	ck_assert_int_eq(vfs_fcntl(child, a, F_GETFD, 0), 0);
	ck_assert_int_eq(vfs_fcntl(child, e, F_GETFD, 0), FD_CLOEXEC);
	/* the same open file descriptions: one offset */
	ck_assert_int_eq(vfs_read(child, a, &c, 1), 1);
	ck_assert_int_eq(vfs_lseek(ht, a, 0, SEEK_CUR), 1);
	/* but separate tables */
	cfd = vfs_openat(child, AT_FDCWD, "/f", O_RDONLY, 0);
	ck_assert_int_eq(cfd, 2);
	ck_assert_errno(vfs_fcntl(ht, cfd, F_GETFD, 0), EBADF);
	ck_assert_int_eq(vfs_close(child, a), 0);
	ck_assert_int_eq(vfs_read(ht, a, &c, 1), 1);
	ck_assert_int_eq(c, '1');
	ck_assert_int_eq(vfs_fcntl(child, e, F_SETFD, 0), 0);
	ck_assert_int_eq(vfs_fcntl(ht, e, F_GETFD, 0), FD_CLOEXEC);
	ck_assert_int_eq(open_f(ht, O_RDONLY), 2);
	vfs_task_destroy(child);
	/* the parent's descriptors outlive the child */
	ck_assert_int_eq(vfs_read(ht, a, &c, 1), 1);
}
END_TEST

START_TEST(test_fd_fork_clone_files_shares)
{
	struct vfs_task *child;
	int a = open_f(ht, O_RDONLY);
	int cfd;

	ck_assert_int_eq(vfs_task_fork(ht, CLONE_FILES, &child), 0);
	cfd = vfs_openat(child, AT_FDCWD, "/f", O_RDONLY, 0);
	ck_assert_int_eq(cfd, 1);
	ck_assert_int_eq(vfs_fcntl(ht, cfd, F_GETFD, 0), 0);
	ck_assert_int_eq(open_f(ht, O_RDONLY), 2);
	ck_assert_int_eq(vfs_close(child, a), 0);
	ck_assert_errno(vfs_close(ht, a), EBADF);
	ck_assert_int_eq(vfs_fcntl(child, 2, F_SETFD, FD_CLOEXEC), 0);
	ck_assert_int_eq(vfs_fcntl(ht, 2, F_GETFD, 0), FD_CLOEXEC);
	vfs_task_destroy(child);
	/* the table lives on with the parent */
	ck_assert_int_eq(vfs_fcntl(ht, cfd, F_GETFD, 0), 0);
	ck_assert_int_eq(vfs_close(ht, cfd), 0);
}
END_TEST

START_TEST(test_fd_fork_clone_fs_shares_cwd_umask)
{
	struct vfs_task *shared, *copied;

	h_mkdir("/a", 0755);
	h_mkdir("/b", 0755);
	ck_assert_int_eq(vfs_task_fork(ht, CLONE_FS, &shared), 0);
	ck_assert_int_eq(vfs_task_fork(ht, 0, &copied), 0);
	ck_assert_int_eq(vfs_chdir(shared, "/a"), 0);
	ck_assert_str_eq(h_getcwd(), "/a");
	ck_assert_int_eq(vfs_umask(shared, 077), 022);
	ck_assert_int_eq(vfs_umask(ht, 077), 077);
	/* the copy kept what the parent had when it was made */
	{
		char buf[64];

		ck_assert_int_eq(vfs_getcwd(copied, buf, sizeof(buf)), 2);
		ck_assert_str_eq(buf, "/");
	}
	ck_assert_int_eq(vfs_umask(copied, 002), 022);
	ck_assert_int_eq(vfs_chdir(copied, "/b"), 0);
	ck_assert_str_eq(h_getcwd(), "/a");
	/* a relative create through the shared context lands in /a */
	ck_assert_int_eq(vfs_mkdirat(shared, AT_FDCWD, "x", 0777), 0);
	{
		struct stat st;

		h_stat("/a/x", &st);
		ck_assert_int_eq(st.st_mode, S_IFDIR | 0700);
	}
	vfs_task_destroy(copied);
	vfs_task_destroy(shared);
	ck_assert_str_eq(h_getcwd(), "/a");
}
END_TEST

START_TEST(test_fd_exec_closes_cloexec_only)
{
	int keep = open_f(ht, O_RDONLY);
	int drop = open_f(ht, O_RDONLY | O_CLOEXEC);
	int dupped = vfs_fcntl(ht, keep, F_DUPFD_CLOEXEC, 0);
	int cleared = open_f(ht, O_RDONLY | O_CLOEXEC);
	char c;

	ck_assert_int_eq(vfs_fcntl(ht, cleared, F_SETFD, 0), 0);
	ck_assert_int_eq(vfs_task_exec(ht), 0);
	ck_assert_int_eq(vfs_read(ht, keep, &c, 1), 1);
	ck_assert_int_eq(vfs_read(ht, cleared, &c, 1), 1);
	ck_assert_errno(vfs_fcntl(ht, drop, F_GETFD, 0), EBADF);
	ck_assert_errno(vfs_fcntl(ht, dupped, F_GETFD, 0), EBADF);
	ck_assert_int_eq(open_f(ht, O_RDONLY), drop);
}
END_TEST

START_TEST(test_fd_exec_unshares_table)
{
	struct vfs_task *child;
	int drop = open_f(ht, O_RDONLY | O_CLOEXEC);
	int keep = open_f(ht, O_RDONLY);

	ck_assert_int_eq(vfs_task_fork(ht, CLONE_FILES, &child), 0);
	ck_assert_int_eq(vfs_task_exec(child), 0);
	ck_assert_errno(vfs_fcntl(child, drop, F_GETFD, 0), EBADF);
	ck_assert_int_eq(vfs_fcntl(child, keep, F_GETFD, 0), 0);
	/* the parent's table was not touched, and is no longer shared */
	ck_assert_int_eq(vfs_fcntl(ht, drop, F_GETFD, 0), FD_CLOEXEC);
	ck_assert_int_eq(vfs_close(child, keep), 0);
	ck_assert_int_eq(vfs_fcntl(ht, keep, F_GETFD, 0), 0);
	vfs_task_destroy(child);
}
END_TEST

/* --- errors -------------------------------------------------------------- */

START_TEST(test_fd_dup3_errors)
{
	int a = open_f(ht, O_RDONLY);

	ck_assert_errno(vfs_dup3(ht, a, a, 0), EINVAL);
	ck_assert_errno(vfs_dup3(ht, a, a, O_CLOEXEC), EINVAL);
	/* old == new is checked before old is looked at */
	ck_assert_errno(vfs_dup3(ht, 50, 50, 0), EINVAL);
	ck_assert_errno(vfs_dup3(ht, a, 5, O_NONBLOCK), EINVAL);
	ck_assert_errno(vfs_dup3(ht, 50, 5, 0), EBADF);
	ck_assert_errno(vfs_dup3(ht, a, -1, 0), EBADF);
	ck_assert_errno(vfs_dup2(ht, 50, 50), EBADF);
	ck_assert_errno(vfs_dup2(ht, 50, 5), EBADF);
	ck_assert_errno(vfs_dup2(ht, a, -1), EBADF);
	/* nothing was created at 5 */
	ck_assert_errno(vfs_close(ht, 5), EBADF);
}
END_TEST

START_TEST(test_fd_fcntl_errors)
{
	int a = open_f(ht, O_RDONLY);

	ck_assert_errno(vfs_fcntl(ht, a, 9999, 0), EINVAL);
	ck_assert_errno(vfs_fcntl(ht, a, F_DUPFD, (unsigned long)-1), EINVAL);
	ck_assert_errno(vfs_fcntl(ht, a, F_DUPFD, 1024), EINVAL);
	ck_assert_errno(vfs_fcntl(ht, a, F_DUPFD_CLOEXEC, 1 << 20), EINVAL);
	ck_assert_errno(vfs_fcntl(ht, 50, F_SETFL, 0), EBADF);
	ck_assert_errno(vfs_fcntl(ht, 50, F_DUPFD, 0), EBADF);
}
END_TEST

/* --- limits -------------------------------------------------------------- */

START_TEST(test_fd_emfile_at_default_limit)
{
	int fd;

	for (int i = 0; i < 1024; i++) {
		fd = vfs_openat(ht, AT_FDCWD, "/f", O_RDONLY, 0);
		ck_assert_int_eq(fd, i);
	}
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/f", O_RDONLY, 0), EMFILE);
	ck_assert_errno(vfs_dup(ht, 0), EMFILE);
	ck_assert_errno(vfs_fcntl(ht, 0, F_DUPFD, 0), EMFILE);
	ck_assert_errno(vfs_fcntl(ht, 0, F_DUPFD, 1023), EMFILE);
	ck_assert_errno(vfs_fcntl(ht, 0, F_DUPFD, 1024), EINVAL);
	ck_assert_errno(vfs_dup2(ht, 0, 1024), EBADF);
	ck_assert_errno(vfs_dup3(ht, 0, 1024, 0), EBADF);
	/* replacing an existing fd needs no new slot */
	ck_assert_int_eq(vfs_dup2(ht, 0, 1023), 1023);
	ck_assert_int_eq(vfs_close(ht, 700), 0);
	ck_assert_int_eq(vfs_dup(ht, 0), 700);
}
END_TEST

START_TEST(test_fd_emfile_after_set_nofile)
{
	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(open_f(ht, O_RDONLY), i);
	ck_assert_int_eq(vfs_task_set_nofile(ht, 8), 0);
	/* fds above the new limit stay usable */
	ck_assert_int_eq(vfs_lseek(ht, 14, 2, SEEK_SET), 2);
	ck_assert_int_eq(vfs_close(ht, 3), 0);
	ck_assert_int_eq(open_f(ht, O_RDONLY), 3);
	ck_assert_int_eq(vfs_close(ht, 12), 0);
	/* 12 is free but above the limit */
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/f", O_RDONLY, 0), EMFILE);
	ck_assert_errno(vfs_dup2(ht, 0, 12), EBADF);
	ck_assert_errno(vfs_fcntl(ht, 0, F_DUPFD, 12), EINVAL);
	ck_assert_errno(vfs_fcntl(ht, 0, F_DUPFD, 7), EMFILE);
	ck_assert_int_eq(vfs_dup2(ht, 0, 7), 7);
	/* raising it again */
	ck_assert_int_eq(vfs_task_set_nofile(ht, 2000), 0);
	ck_assert_int_eq(open_f(ht, O_RDONLY), 12);
	ck_assert_int_eq(vfs_dup2(ht, 0, 1500), 1500);
	ck_assert_int_eq(vfs_fcntl(ht, 0, F_DUPFD, 1999), 1999);
	ck_assert_errno(vfs_fcntl(ht, 0, F_DUPFD, 2000), EINVAL);
}
END_TEST

START_TEST(test_fd_set_nofile_bounds)
{
	ck_assert_errno(vfs_task_set_nofile(ht, 0), EINVAL);
	ck_assert_errno(vfs_task_set_nofile(ht, 1048577), EINVAL);
	ck_assert_int_eq(vfs_task_set_nofile(ht, 1048576), 0);
	ck_assert_int_eq(vfs_task_set_nofile(ht, 1), 0);
	ck_assert_int_eq(open_f(ht, O_RDONLY), 0);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/f", O_RDONLY, 0), EMFILE);
}
END_TEST

START_TEST(test_fd_limit_inherited_by_fork)
{
	struct vfs_task *child;

	ck_assert_int_eq(vfs_task_set_nofile(ht, 2), 0);
	ck_assert_int_eq(vfs_task_fork(ht, 0, &child), 0);
	ck_assert_int_eq(vfs_openat(child, AT_FDCWD, "/f", O_RDONLY, 0), 0);
	ck_assert_int_eq(vfs_openat(child, AT_FDCWD, "/f", O_RDONLY, 0), 1);
	ck_assert_errno(vfs_openat(child, AT_FDCWD, "/f", O_RDONLY, 0), EMFILE);
	vfs_task_destroy(child);
}
END_TEST

static Suite *fd_suite(void)
{
	Suite *s = suite_create("fd");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup_file, harness_teardown);
	tcase_add_test(tc, test_fd_lowest_free);
	tcase_add_test(tc, test_fd_close_ebadf);
	tcase_add_test(tc, test_fd_dup_shares_offset_and_flags);
	tcase_add_test(tc, test_fd_dup2_replaces_target);
	tcase_add_test(tc, test_fd_dup3_cloexec);
	tcase_add_test(tc, test_fd_fcntl_dupfd);
	tcase_add_test(tc, test_fd_fcntl_setfd_only_cloexec);
	tcase_add_test(tc, test_fd_fcntl_getfl);
	tcase_add_test(tc, test_fd_fcntl_setfl_changes_only_status_flags);
	tcase_add_test(tc, test_fd_fork_without_clone_files_copies);
	tcase_add_test(tc, test_fd_fork_clone_files_shares);
	tcase_add_test(tc, test_fd_fork_clone_fs_shares_cwd_umask);
	tcase_add_test(tc, test_fd_exec_closes_cloexec_only);
	tcase_add_test(tc, test_fd_exec_unshares_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup_file, harness_teardown);
	tcase_add_test(tc, test_fd_dup3_errors);
	tcase_add_test(tc, test_fd_fcntl_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup_file, harness_teardown);
	tcase_add_test(tc, test_fd_emfile_at_default_limit);
	tcase_add_test(tc, test_fd_emfile_after_set_nofile);
	tcase_add_test(tc, test_fd_set_nofile_bounds);
	tcase_add_test(tc, test_fd_limit_inherited_by_fork);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(fd_suite)
