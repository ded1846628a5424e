// SPDX-License-Identifier: MIT
/*
 * The test fixture: fresh kernel, tmpfs namespace and root task per test;
 * leak checks at teardown through vfs_kernel_stats().
 */
#include "harness.h"

struct vfs_kernel *hk;
struct vfs_namespace *hns;
struct vfs_task *ht;

#define MAX_EXTRA_TASKS 16
static struct vfs_task *g_extra[MAX_EXTRA_TASKS];
static int g_nextra;

void harness_setup_opts(const char *options)
{
	ck_assert_int_eq(vfs_kernel_create(&hk), 0);
	ck_assert_int_eq(vfs_namespace_create(hk, "tmpfs", options, &hns), 0);
	ck_assert_int_eq(vfs_task_create(hns, NULL, &ht), 0);
	g_nextra = 0;
}

void harness_setup(void)
{
	harness_setup_opts(NULL);
}

void harness_teardown(void)
{
	struct vfs_stats st;

	for (int i = 0; i < g_nextra; i++)
		vfs_task_destroy(g_extra[i]);
	g_nextra = 0;
	vfs_task_destroy(ht);
	vfs_namespace_put(hns);
	vfs_kernel_stats(hk, &st);
	ht = NULL;
	hns = NULL;
	ck_assert_msg(st.tasks == 0 && st.files == 0 && st.namespaces == 0 &&
			      st.mounts == 0 && st.file_systems == 0 &&
			      st.entries == 0 && st.nodes == 0,
		      "leak: tasks %ld files %ld ns %ld mounts %ld fs %ld "
		      "entries %ld nodes %ld",
		      st.tasks, st.files, st.namespaces, st.mounts,
		      st.file_systems, st.entries, st.nodes);
	vfs_kernel_put(hk);
	hk = NULL;
}

struct vfs_task *harness_user_task(uid_t uid, gid_t gid, size_t ngroups,
				   const gid_t *groups)
{
	struct vfs_cred cred = {
		.uid = uid, .euid = uid, .gid = gid, .egid = gid,
		.ngroups = ngroups, .groups = groups, .caps = 0,
	};
	struct vfs_task *t;

	ck_assert_int_lt(g_nextra, MAX_EXTRA_TASKS);
	ck_assert_int_eq(vfs_task_create(hns, &cred, &t), 0);
	g_extra[g_nextra++] = t;
	return t;
}

void h_mkdir(const char *path, mode_t mode)
{
	int r = vfs_mkdirat(ht, AT_FDCWD, path, mode);
	ck_assert_msg(r == 0, "mkdir %s: %d", path, r);
}

void h_write_file(const char *path, const char *data)
{
	int fd = vfs_openat(ht, AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC,
			    0644);
	ck_assert_msg(fd >= 0, "open %s: %d", path, fd);
	size_t n = strlen(data);
	ck_assert_int_eq(vfs_write(ht, fd, data, n), (ssize_t)n);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}

int h_open(const char *path, int flags)
{
	int fd = vfs_openat(ht, AT_FDCWD, path, flags, 0644);
	ck_assert_msg(fd >= 0, "open %s: %d", path, fd);
	return fd;
}

void h_stat(const char *path, struct stat *st)
{
	int r = vfs_newfstatat(ht, AT_FDCWD, path, st, 0);
	ck_assert_msg(r == 0, "stat %s: %d", path, r);
}

void h_lstat(const char *path, struct stat *st)
{
	int r = vfs_newfstatat(ht, AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
	ck_assert_msg(r == 0, "lstat %s: %d", path, r);
}

int h_lstat_ret(const char *path)
{
	struct stat st;

	return vfs_newfstatat(ht, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW);
}

nlink_t h_nlink(const char *path)
{
	struct stat st;

	h_lstat(path, &st);
	return st.st_nlink;
}

ino_t h_ino(const char *path)
{
	struct stat st;

	h_lstat(path, &st);
	return st.st_ino;
}

int h_ts_after(struct timespec a, struct timespec b)
{
	return a.tv_sec > b.tv_sec ||
	       (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

void h_tick(void)
{
	struct timespec d = { 0, 20 * 1000 * 1000 };

	nanosleep(&d, NULL);
}

char *h_getcwd(void)
{
	static char buf[4096];
	int r = vfs_getcwd(ht, buf, sizeof(buf));
	ck_assert_msg(r > 0, "getcwd: %d", r);
	return buf;
}

char *h_fd_path(int fd)
{
	static char buf[4200];
	ssize_t r = vfs_task_fd_path(ht, fd, buf, sizeof(buf) - 1);
	ck_assert_msg(r > 0, "fd path %d: %zd", fd, r);
	buf[r] = '\0';
	return buf;
}

int harness_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
