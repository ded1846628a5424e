// SPDX-License-Identifier: MIT
/*
 * The test harness itself: that vfs_kernel_stats() counts every live
 * object kind (so the fixture's teardown has something to compare), that
 * the counts fall back to zero once tasks are destroyed and namespaces put,
 * and that harness_teardown() really fails a test that leaks a task or a
 * namespace reference while passing one that merely leaves fds open (task
 * exit closes them).  The last part runs a small inner suite in a forked
 * child so the failure it provokes cannot disturb the outer run.
 */
#include "harness.h"

static int stats_all_zero(const struct vfs_stats *st)
{
	return st->tasks == 0 && st->files == 0 && st->namespaces == 0 &&
	       st->mounts == 0 && st->file_systems == 0 &&
	       st->entries == 0 && st->nodes == 0;
}

START_TEST(test_stats_empty_kernel_is_zero)
{
	struct vfs_kernel *k;
	struct vfs_stats st;

	ck_assert_int_eq(vfs_kernel_create(&k), 0);
	memset(&st, 0x5a, sizeof(st));
	vfs_kernel_stats(k, &st);
	ck_assert_msg(stats_all_zero(&st), "fresh kernel has live objects");
	vfs_kernel_put(k);
}
END_TEST

START_TEST(test_stats_count_namespace_task_and_file)
{
	struct vfs_kernel *k;
	struct vfs_namespace *ns;
	struct vfs_task *t;
	struct vfs_stats st0, st1, st2, st3;
	int fd;

	ck_assert_int_eq(vfs_kernel_create(&k), 0);
	ck_assert_int_eq(vfs_namespace_create(k, "tmpfs", NULL, &ns), 0);
	vfs_kernel_stats(k, &st0);
	ck_assert_int_eq(st0.namespaces, 1);
	ck_assert_int_ge(st0.mounts, 1);
	ck_assert_int_ge(st0.file_systems, 1);
	ck_assert_int_ge(st0.entries, 1);
	ck_assert_int_ge(st0.nodes, 1);
	ck_assert_int_eq(st0.tasks, 0);
	ck_assert_int_eq(st0.files, 0);

	ck_assert_int_eq(vfs_task_create(ns, NULL, &t), 0);
	vfs_kernel_stats(k, &st1);
	ck_assert_int_eq(st1.tasks, 1);
	ck_assert_int_eq(st1.files, 0);

	/* A new file: one more node and entry, one open file description. */
	fd = vfs_openat(t, AT_FDCWD, "f", O_RDWR | O_CREAT, 0644);
	ck_assert_int_eq(fd, 0);
	vfs_kernel_stats(k, &st2);
	ck_assert_int_eq(st2.files, 1);
	ck_assert_int_eq(st2.nodes, st1.nodes + 1);
	ck_assert_int_ge(st2.entries, st1.entries + 1);

	/* A dup shares the description: still one. */
	ck_assert_int_eq(vfs_dup(t, fd), 1);
	vfs_kernel_stats(k, &st3);
	ck_assert_int_eq(st3.files, 1);
	ck_assert_int_eq(vfs_close(t, 0), 0);
	ck_assert_int_eq(vfs_close(t, 1), 0);
	vfs_kernel_stats(k, &st3);
	ck_assert_int_eq(st3.files, 0);

	/* A second mount adds a mount and a file system. */
	ck_assert_int_eq(vfs_mkdirat(t, AT_FDCWD, "mnt", 0755), 0);
	vfs_kernel_stats(k, &st2);
	ck_assert_int_eq(vfs_mount(t, "none", "/mnt", "tmpfs", 0, NULL), 0);
	vfs_kernel_stats(k, &st3);
	ck_assert_int_eq(st3.mounts, st2.mounts + 1);
	ck_assert_int_eq(st3.file_systems, st2.file_systems + 1);
	ck_assert_int_eq(vfs_umount2(t, "/mnt", 0), 0);
	vfs_kernel_stats(k, &st3);
	ck_assert_int_eq(st3.mounts, st2.mounts);
	ck_assert_int_eq(st3.file_systems, st2.file_systems);

	vfs_task_destroy(t);
	vfs_namespace_put(ns);
	vfs_kernel_stats(k, &st3);
	ck_assert_msg(stats_all_zero(&st3), "objects outlived their owners");
	vfs_kernel_put(k);
}
END_TEST

START_TEST(test_stats_show_undestroyed_task_and_open_fd)
{
	struct vfs_kernel *k;
	struct vfs_namespace *ns;
	struct vfs_task *t;
	struct vfs_stats st;
	int fd;

	ck_assert_int_eq(vfs_kernel_create(&k), 0);
	ck_assert_int_eq(vfs_namespace_create(k, "tmpfs", NULL, &ns), 0);
	ck_assert_int_eq(vfs_task_create(ns, NULL, &t), 0);
	fd = vfs_openat(t, AT_FDCWD, "f", O_RDWR | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_unlinkat(t, AT_FDCWD, "f", 0), 0);

	/* Drop the caller's namespace reference: the task still holds it,
	 * and the open unlinked file still holds its node. */
	vfs_namespace_put(ns);
	vfs_kernel_stats(k, &st);
	ck_assert_int_eq(st.tasks, 1);
	ck_assert_int_eq(st.files, 1);
	ck_assert_int_eq(st.namespaces, 1);
	ck_assert_int_ge(st.mounts, 1);
	ck_assert_int_ge(st.nodes, 2);
	ck_assert_msg(!stats_all_zero(&st), "leak not visible");

	/* Task exit closes the fd and releases everything. */
	vfs_task_destroy(t);
	vfs_kernel_stats(k, &st);
	ck_assert_msg(stats_all_zero(&st),
		      "after exit: tasks %ld files %ld ns %ld mounts %ld "
		      "fs %ld entries %ld nodes %ld",
		      st.tasks, st.files, st.namespaces, st.mounts,
		      st.file_systems, st.entries, st.nodes);
	vfs_kernel_put(k);
}
END_TEST

START_TEST(test_stats_forked_task_counted)
{
	struct vfs_kernel *k;
	struct vfs_namespace *ns;
	struct vfs_task *t, *child;
	struct vfs_stats st;

	ck_assert_int_eq(vfs_kernel_create(&k), 0);
	ck_assert_int_eq(vfs_namespace_create(k, "tmpfs", NULL, &ns), 0);
	ck_assert_int_eq(vfs_task_create(ns, NULL, &t), 0);
	ck_assert_int_ge(vfs_openat(t, AT_FDCWD, "f", O_RDWR | O_CREAT, 0644),
			 0);
	ck_assert_int_eq(vfs_task_fork(t, 0, &child), 0);
	vfs_kernel_stats(k, &st);
	ck_assert_int_eq(st.tasks, 2);
	ck_assert_int_eq(st.files, 1);  /* the fd table copy shares it */
	vfs_task_destroy(t);
	vfs_kernel_stats(k, &st);
	ck_assert_int_eq(st.tasks, 1);
	ck_assert_int_eq(st.files, 1);
	vfs_task_destroy(child);
	vfs_namespace_put(ns);
	vfs_kernel_stats(k, &st);
	ck_assert_msg(stats_all_zero(&st), "fork leaked");
	vfs_kernel_put(k);
}
END_TEST

/*
 * The inner suite: three tests under the real checked fixture.  The
 * leaks are deliberate; the inner runner forks, so they die with the
 * child process.
 */
START_TEST(inner_open_fd_left)
{
	ck_assert_int_ge(vfs_openat(ht, AT_FDCWD, "f", O_RDWR | O_CREAT, 0644),
			 0);
}
END_TEST

START_TEST(inner_task_leaked)
{
	struct vfs_task *t;

	ck_assert_int_eq(vfs_task_create(hns, NULL, &t), 0);
	ck_assert_int_ge(vfs_openat(t, AT_FDCWD, "g", O_RDWR | O_CREAT, 0644),
			 0);
}
END_TEST

START_TEST(inner_namespace_leaked)
{
	struct vfs_namespace *ns;

	ck_assert_int_eq(vfs_namespace_create(hk, "tmpfs", NULL, &ns), 0);
}
END_TEST

static const char *result_msg(TestResult **res, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(tr_tcname(res[i]), name) == 0)
			return tr_msg(res[i]);
	return NULL;
}

START_TEST(test_harness_teardown_catches_leaks)
{
	Suite *s = suite_create("inner");
	TCase *clean = tcase_create("clean");
	TCase *task = tcase_create("task");
	TCase *nsl = tcase_create("ns");
	SRunner *sr;
	TestResult **res;
	const char *msg;
	int n;

	tcase_add_checked_fixture(clean, harness_setup, harness_teardown);
	tcase_add_test(clean, inner_open_fd_left);
	tcase_add_checked_fixture(task, harness_setup, harness_teardown);
	tcase_add_test(task, inner_task_leaked);
	tcase_add_checked_fixture(nsl, harness_setup, harness_teardown);
	tcase_add_test(nsl, inner_namespace_leaked);
	suite_add_tcase(s, clean);
	suite_add_tcase(s, task);
	suite_add_tcase(s, nsl);

	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_SILENT);
	ck_assert_int_eq(srunner_ntests_run(sr), 3);
	n = srunner_ntests_failed(sr);
	res = srunner_failures(sr);

	ck_assert_int_eq(n, 2);
	ck_assert_ptr_null(result_msg(res, n, "clean"));
	msg = result_msg(res, n, "task");
	ck_assert_ptr_nonnull(msg);
	ck_assert_msg(strstr(msg, "leak: tasks 1 files 1") != NULL,
		      "task leak reported as: %s", msg);
	msg = result_msg(res, n, "ns");
	ck_assert_ptr_nonnull(msg);
	ck_assert_msg(strstr(msg, "leak: tasks 0 files 0 ns 1") != NULL,
		      "namespace leak reported as: %s", msg);
	free(res);
	srunner_free(sr);
}
END_TEST

static Suite *sanity_suite(void)
{
	Suite *s = suite_create("sanity");
	TCase *tc = tcase_create("core");

	/* No checked fixture here: these tests manage their own objects. */
	tcase_add_test(tc, test_stats_empty_kernel_is_zero);
	tcase_add_test(tc, test_stats_count_namespace_task_and_file);
	tcase_add_test(tc, test_stats_show_undestroyed_task_and_open_fd);
	tcase_add_test(tc, test_stats_forked_task_counted);
	tcase_add_test(tc, test_harness_teardown_catches_leaks);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(sanity_suite)
