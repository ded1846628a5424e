// SPDX-License-Identifier: MIT
/*
 * Concurrency: several threads creating, renaming, unlinking, looking up
 * and listing in one tree of one namespace, some through tasks of their
 * own and some through the fixture's shared task.  Each thread knows what
 * it should leave behind; the test then checks that nothing was lost,
 * duplicated or invented, and the fixture's teardown proves every object
 * was freed.  Also: crossing directory renames that would make a loop if
 * both succeeded.
 */
#include <dirent.h>
#include <pthread.h>

#include "harness.h"

#define NTHREADS 6
#define NOPS 250

struct worker {
	int id;
	struct vfs_task *task;   /* own task, or ht shared */
	int own_task;
	int failures;            /* unexpected results */
	char first_error[160];
};

static void note_failure(struct worker *w, const char *what, const char *path, int r)
{
	if (w->failures++ == 0)
		snprintf(w->first_error, sizeof(w->first_error),
			 "thread %d: %s %s -> %d", w->id, what, path, r);
}

/* The size of the file thread @id leaves as its @k-th: distinct per file. */
static size_t size_for(int id, int k)
{
	return (size_t)(id * 7 + k) % 61 + 1;
}

static void *worker_main(void *arg)
{
	static const char pattern[64] = "abcdefghijklmnopqrstuvwxyz0123456789"
					"ABCDEFGHIJKLMNOPQRSTUVWXYZ_-";
	struct worker *w = arg;
	struct vfs_task *t = w->task;
	char a[64], b[64], other[96], dents[512];
	struct stat st;
	int r;

	for (int k = 0; k < NOPS; k++) {
		snprintf(a, sizeof(a), "/a/t%d_%d", w->id, k);
		snprintf(b, sizeof(b), "/b/t%d_%d", w->id, k);
		if (k % 5 == 4) {
			/* a directory with a file in it, moved across */
			r = vfs_mkdirat(t, AT_FDCWD, a, 0755);
			if (r)
				note_failure(w, "mkdir", a, r);
			snprintf(other, sizeof(other), "%s/in", a);
			r = vfs_openat(t, AT_FDCWD, other,
				       O_CREAT | O_EXCL | O_WRONLY, 0644);
			if (r < 0)
				note_failure(w, "create", other, r);
			else
				vfs_close(t, r);
			r = vfs_renameat2(t, AT_FDCWD, a, AT_FDCWD, b, 0);
			if (r)
				note_failure(w, "rename dir", a, r);
		} else {
			int fd = vfs_openat(t, AT_FDCWD, a,
					    O_CREAT | O_EXCL | O_RDWR, 0644);
			size_t n = size_for(w->id, k);

			if (fd < 0) {
				note_failure(w, "create", a, fd);
				continue;
			}
			if (vfs_write(t, fd, pattern, n) != (ssize_t)n)
				note_failure(w, "write", a, -1);
			vfs_close(t, fd);
			if (k % 5 == 1) {
				r = vfs_renameat2(t, AT_FDCWD, a, AT_FDCWD, b,
						  RENAME_NOREPLACE);
				if (r)
					note_failure(w, "rename", a, r);
			} else if (k % 5 == 2) {
				r = vfs_unlinkat(t, AT_FDCWD, a, 0);
				if (r)
					note_failure(w, "unlink", a, r);
			} else if (k % 5 == 3) {
				/* link then unlink the original name */
				r = vfs_linkat(t, AT_FDCWD, a, AT_FDCWD, b, 0);
				if (r)
					note_failure(w, "link", a, r);
				r = vfs_unlinkat(t, AT_FDCWD, a, 0);
				if (r)
					note_failure(w, "unlink", a, r);
			}
		}
		/* look up what the neighbour may be doing right now */
		snprintf(other, sizeof(other), "/%c/t%d_%d", k % 2 ? 'a' : 'b',
			 (w->id + 1) % NTHREADS, k);
		r = vfs_newfstatat(t, AT_FDCWD, other, &st, 0);
		if (r != 0 && r != -ENOENT)
			note_failure(w, "stat", other, r);
		/* and list a busy directory now and then */
		if (k % 25 == 0) {
			int dfd = vfs_openat(t, AT_FDCWD, k % 50 ? "/a" : "/b",
					     O_RDONLY | O_DIRECTORY, 0);
			ssize_t got;

			if (dfd < 0) {
				note_failure(w, "open dir", "", dfd);
				continue;
			}
			while ((got = vfs_getdents64(t, dfd, dents,
						     sizeof(dents))) > 0)
				;
			if (got < 0)
				note_failure(w, "getdents", "", (int)got);
			vfs_close(t, dfd);
		}
	}
	return NULL;
}

/* Lists @dir into @names (each at most once, else the test fails). */
static int list_dir(const char *dir, char (*names)[32], int max)
{
	static char buf[4096];
	int fd = h_open(dir, O_RDONLY | O_DIRECTORY);
	int n = 0;
	ssize_t got;

	while ((got = vfs_getdents64(ht, fd, buf, sizeof(buf))) > 0) {
		for (ssize_t pos = 0; pos < got;) {
			struct dirent64 *d = (void *)(buf + pos);

			pos += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			ck_assert_int_lt(n, max);
			ck_assert_uint_lt(strlen(d->d_name), 32);
			for (int i = 0; i < n; i++) {
				if (!strcmp(names[i], d->d_name))
					ck_abort_msg("%s/%s listed twice", dir,
						     d->d_name);
			}
			strcpy(names[n++], d->d_name);
		}
	}
	ck_assert_int_eq(got, 0);
	vfs_close(ht, fd);
	return n;
}

START_TEST(test_threads_create_rename_unlink_lookup)
{
	static char names[NTHREADS * NOPS][32];
	struct worker w[NTHREADS];
	pthread_t th[NTHREADS];
	int want_a = 0, want_b = 0, n;
	char path[64];
	struct stat st;

	h_mkdir("/a", 0755);
	h_mkdir("/b", 0755);
	for (int i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].id = i;
		w[i].own_task = i % 2;
		if (w[i].own_task)
			ck_assert_int_eq(vfs_task_create(hns, NULL, &w[i].task),
					 0);
		else
			w[i].task = ht;
	}
	for (int i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, worker_main,
						&w[i]), 0);
	for (int i = 0; i < NTHREADS; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		if (w[i].own_task)
			vfs_task_destroy(w[i].task);
	}
	for (int i = 0; i < NTHREADS; i++)
		ck_assert_msg(w[i].failures == 0, "%d failures, first: %s",
			      w[i].failures, w[i].first_error);

	/* every survivor is where its thread left it, with its own size */
	for (int i = 0; i < NTHREADS; i++) {
		for (int k = 0; k < NOPS; k++) {
			int in_b = k % 5 == 1 || k % 5 == 3 || k % 5 == 4;
			int gone = k % 5 == 2;

			snprintf(path, sizeof(path), "/a/t%d_%d", i, k);
			if (gone || in_b) {
				ck_assert_msg(vfs_newfstatat(ht, AT_FDCWD, path,
							     &st, 0) == -ENOENT,
					      "%s still there", path);
			}
			if (gone)
				continue;
			if (in_b) {
				snprintf(path, sizeof(path), "/b/t%d_%d", i, k);
				want_b++;
			} else {
				want_a++;
			}
			h_stat(path, &st);
			if (k % 5 == 4) {
				ck_assert(S_ISDIR(st.st_mode));
				ck_assert_int_eq(st.st_nlink, 2);
				strcat(path, "/in");
				h_stat(path, &st);
			} else {
				ck_assert_int_eq(st.st_size, size_for(i, k));
				ck_assert_int_eq(st.st_nlink, 1);
			}
		}
	}
	/* and nothing else is anywhere */
	n = list_dir("/a", names, NTHREADS * NOPS);
	ck_assert_int_eq(n, want_a);
	n = list_dir("/b", names, NTHREADS * NOPS);
	ck_assert_int_eq(n, want_b);
	h_stat("/b", &st);
	ck_assert_int_eq(st.st_nlink, 2 + NTHREADS * (NOPS / 5));
	ck_assert_int_eq(st.st_size, 40 + 20 * want_b);
	h_stat("/a", &st);
	ck_assert_int_eq(st.st_nlink, 2);
	ck_assert_int_eq(st.st_size, 40 + 20 * want_a);
}
END_TEST

/* --- crossing directory renames ------------------------------------------ */

struct crosser {
	pthread_barrier_t *go;
	const char *from, *to;
	int result;
};

static void *cross_main(void *arg)
{
	struct crosser *c = arg;

	pthread_barrier_wait(c->go);
	c->result = vfs_renameat2(ht, AT_FDCWD, c->from, AT_FDCWD, c->to, 0);
	return NULL;
}

START_TEST(test_threads_crossing_renames_make_no_loop)
{
	pthread_barrier_t go;
	struct stat st;

	ck_assert_int_eq(pthread_barrier_init(&go, NULL, 2), 0);
	h_mkdir("/x", 0755);
	for (int round = 0; round < 200; round++) {
		struct crosser a = { &go, "/x/d1", "/x/d2/d1", 0 };
		struct crosser b = { &go, "/x/d2", "/x/d1/d2", 0 };
		pthread_t ta, tb;

		h_mkdir("/x/d1", 0755);
		h_mkdir("/x/d2", 0755);
		ck_assert_int_eq(pthread_create(&ta, NULL, cross_main, &a), 0);
		ck_assert_int_eq(pthread_create(&tb, NULL, cross_main, &b), 0);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		/* at most one wins; the loser sees ENOENT (its target's
		 * parent moved away) or EINVAL (it would move a directory
		 * under itself) */
		ck_assert_msg(!(a.result == 0 && b.result == 0),
			      "round %d: both renames succeeded", round);
		ck_assert(a.result == 0 || a.result == -ENOENT ||
			  a.result == -EINVAL);
		ck_assert(b.result == 0 || b.result == -ENOENT ||
			  b.result == -EINVAL);
		if (a.result == 0) {
			h_stat("/x/d2/d1", &st);
			ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/x/d2/d1",
						      AT_REMOVEDIR), 0);
			ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/x/d2",
						      AT_REMOVEDIR), 0);
		} else if (b.result == 0) {
			h_stat("/x/d1/d2", &st);
			ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/x/d1/d2",
						      AT_REMOVEDIR), 0);
			ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/x/d1",
						      AT_REMOVEDIR), 0);
		} else {
			ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/x/d1",
						      AT_REMOVEDIR), 0);
			ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/x/d2",
						      AT_REMOVEDIR), 0);
		}
		h_stat("/x", &st);
		ck_assert_int_eq(st.st_nlink, 2);
	}
	pthread_barrier_destroy(&go);
}
END_TEST

/* --- one shared fd table ------------------------------------------------- */

struct opener {
	int id;
	int failures;
};

static void *open_close_main(void *arg)
{
	struct opener *o = arg;
	char c;

	for (int i = 0; i < 2000; i++) {
		int fd = vfs_openat(ht, AT_FDCWD, "/f", O_RDONLY, 0);

		if (fd < 0) {
			o->failures++;
			continue;
		}
		/* nobody else may have closed or reused our number */
		if (vfs_pread64(ht, fd, &c, 1, 0) != 1 || c != 'q')
			o->failures++;
		if (vfs_close(ht, fd) != 0)
			o->failures++;
	}
	return NULL;
}

START_TEST(test_threads_shared_fd_table)
{
	struct opener o[NTHREADS];
	pthread_t th[NTHREADS];
	int fd;

	h_write_file("/f", "q");
	for (int i = 0; i < NTHREADS; i++) {
		o[i].id = i;
		o[i].failures = 0;
		ck_assert_int_eq(pthread_create(&th[i], NULL, open_close_main,
						&o[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(o[i].failures, 0);
	}
	/* every number was given back */
	fd = h_open("/f", O_RDONLY);
	ck_assert_int_eq(fd, 0);
	vfs_close(ht, fd);
}
END_TEST

static Suite *threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("races");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_threads_create_rename_unlink_lookup);
	tcase_add_test(tc, test_threads_crossing_renames_make_no_loop);
	tcase_add_test(tc, test_threads_shared_fd_table);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(threads_suite)
