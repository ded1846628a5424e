// SPDX-License-Identifier: MIT
/*
 * getdents64 on tmpfs: "." and ".." and every entry with its d_type and
 * d_ino, offsets that stay valid while the directory changes (an entry that
 * stays is listed exactly once, none twice, however creates and unlinks
 * interleave with the listing), lseek to a returned d_off, and the errors
 * for a buffer too small, a non-directory, an O_PATH fd and a removed
 * directory.  The order of entries is not asserted: Linux promises none.
 * Every expected value was checked against the Linux kernel's own tmpfs.
 */
#include <dirent.h>
#include <sys/sysmacros.h>

#include "harness.h"

#define MAX_SEEN 2048

struct listing {
	int n;
	char name[MAX_SEEN][64];
	unsigned char type[MAX_SEEN];
	ino_t ino[MAX_SEEN];
	off_t off[MAX_SEEN];
};

/* Appends the records of one getdents64 buffer to @l. */
static void parse(struct listing *l, const char *buf, ssize_t n)
{
	for (ssize_t pos = 0; pos < n;) {
		const struct dirent64 *d = (const void *)(buf + pos);

		ck_assert_int_lt(l->n, MAX_SEEN);
		ck_assert_int_gt(d->d_reclen, 0);
		ck_assert_int_eq(d->d_reclen % 8, 0);
		ck_assert_int_lt(strlen(d->d_name), 64);
		strcpy(l->name[l->n], d->d_name);
		l->type[l->n] = d->d_type;
		l->ino[l->n] = d->d_ino;
		l->off[l->n] = d->d_off;
		l->n++;
		pos += d->d_reclen;
	}
}

/* Reads @fd to the end with a buffer of @size bytes into @l. */
static void list_all(int fd, size_t size, struct listing *l)
{
	static char buf[65536];
	ssize_t n;

	ck_assert_uint_le(size, sizeof(buf));
	while ((n = vfs_getdents64(ht, fd, buf, size)) > 0)
		parse(l, buf, n);
	ck_assert_int_eq(n, 0);
}

static int count_of(const struct listing *l, const char *name)
{
	int c = 0;

	for (int i = 0; i < l->n; i++)
		c += strcmp(l->name[i], name) == 0;
	return c;
}

static int index_of(const struct listing *l, const char *name)
{
	for (int i = 0; i < l->n; i++) {
		if (strcmp(l->name[i], name) == 0)
			return i;
	}
	return -1;
}

static void create(const char *path)
{
	int fd = vfs_openat(ht, AT_FDCWD, path, O_CREAT | O_WRONLY, 0644);

	ck_assert_msg(fd >= 0, "create %s: %d", path, fd);
	vfs_close(ht, fd);
}


/* --- core ---------------------------------------------------------------- */

START_TEST(test_getdents_empty_dir)
{
	static struct listing l;
	int fd;

	h_mkdir("/d", 0755);
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	list_all(fd, 4096, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(count_of(&l, "."), 1);
	ck_assert_int_eq(count_of(&l, ".."), 1);
	ck_assert_int_eq(l.type[index_of(&l, ".")], DT_DIR);
	ck_assert_int_eq(l.type[index_of(&l, "..")], DT_DIR);
	ck_assert(l.ino[index_of(&l, ".")] == h_ino("/d"));
	ck_assert(l.ino[index_of(&l, "..")] == h_ino("/"));
	/* at the end it keeps returning 0 */
	ck_assert_int_eq(vfs_getdents64(ht, fd, l.name, sizeof(l.name)), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_getdents_root_dotdot_is_root)
{
	static struct listing l;
	int fd = h_open("/", O_RDONLY | O_DIRECTORY);

	list_all(fd, 4096, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert(l.ino[index_of(&l, "..")] == h_ino("/"));
	ck_assert(l.ino[index_of(&l, ".")] == h_ino("/"));
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_getdents_types_and_inos)
{
	static const struct {
		const char *name;
		unsigned char type;
	} want[] = {
		{ "f", DT_REG }, { "s", DT_DIR }, { "l", DT_LNK },
		{ "p", DT_FIFO }, { "k", DT_SOCK }, { "c", DT_CHR },
		{ "b", DT_BLK }, { "h", DT_REG },
	};
	static struct listing l;
	char path[16];
	int fd;

	h_mkdir("/d", 0755);
	create("/d/f");
	h_mkdir("/d/s", 0755);
	ck_assert_int_eq(vfs_symlinkat(ht, "f", AT_FDCWD, "/d/l"), 0);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/d/p", S_IFIFO | 0644, 0),
			 0);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/d/k", S_IFSOCK | 0644, 0),
			 0);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/d/c", S_IFCHR | 0644,
				     makedev(1, 3)), 0);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/d/b", S_IFBLK | 0644,
				     makedev(8, 1)), 0);
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "/d/f", AT_FDCWD, "/d/h", 0),
			 0);
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	list_all(fd, 4096, &l);
	ck_assert_int_eq(l.n, 10);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int at = index_of(&l, want[i].name);

		ck_assert_msg(at >= 0, "%s not listed", want[i].name);
		ck_assert_int_eq(count_of(&l, want[i].name), 1);
		ck_assert_int_eq(l.type[at], want[i].type);
		snprintf(path, sizeof(path), "/d/%s", want[i].name);
		ck_assert(l.ino[at] == h_ino(path));
	}
	ck_assert(l.ino[index_of(&l, "f")] == l.ino[index_of(&l, "h")]);
	ck_assert(l.ino[index_of(&l, "..")] == h_ino("/"));
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_getdents_small_buffer_pages_through)
{
	static struct listing l;
	char path[32];
	int fd;

	h_mkdir("/d", 0755);
	for (int i = 0; i < 500; i++) {
		snprintf(path, sizeof(path), "/d/file%03d", i);
		create(path);
	}
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	/* one 32-byte record at a time ("file123": 19 + 8 -> 32) */
	list_all(fd, 32, &l);
	ck_assert_int_eq(l.n, 502);
	for (int i = 0; i < 500; i++) {
		snprintf(path, sizeof(path), "file%03d", i);
		ck_assert_msg(count_of(&l, path) == 1, "%s listed %d times",
			      path, count_of(&l, path));
	}
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_getdents_rewind_sees_new_entries)
{
	static struct listing a, b;
	int fd;

	h_mkdir("/d", 0755);
	create("/d/x");
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	list_all(fd, 4096, &a);
	ck_assert_int_eq(a.n, 3);
	create("/d/y");
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d/x", 0), 0);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_SET), 0);
	list_all(fd, 4096, &b);
	ck_assert_int_eq(b.n, 3);
	ck_assert_int_eq(count_of(&b, "y"), 1);
	ck_assert_int_eq(count_of(&b, "x"), 0);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_getdents_two_fds_independent)
{
	static struct listing a, b;
	char buf[64];
	int fd1, fd2;

	h_mkdir("/d", 0755);
	create("/d/x");
	create("/d/y");
	fd1 = h_open("/d", O_RDONLY | O_DIRECTORY);
	fd2 = h_open("/d", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(vfs_getdents64(ht, fd1, buf, 30), 24);
	list_all(fd2, 4096, &b);
	ck_assert_int_eq(b.n, 4);
	list_all(fd1, 4096, &a);
	ck_assert_int_eq(a.n, 3);
	vfs_close(ht, fd2);
	vfs_close(ht, fd1);
}
END_TEST

START_TEST(test_getdents_stable_under_create_unlink)
{
	enum { N = 120 };
	static struct listing l;
	static char buf[256];
	int removed_at[N];  /* index in l.n when removed, or -1 */
	char path[32], name[32];
	int fd, next_new = 0;
	ssize_t n;

	h_mkdir("/d", 0755);
	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "/d/o%03d", i);
		create(path);
		removed_at[i] = -1;
	}
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	/* four 24-byte records per call */
	for (int round = 0; (n = vfs_getdents64(ht, fd, buf, 100)) > 0;
	     round++) {
		parse(&l, buf, n);
		/* remove one entry not listed yet and one already listed,
		 * add two new ones */
		for (int k = 0; k < 2; k++) {
			int pick = (round * 37 + k * 53) % N;

			for (int tries = 0; tries < N; tries++) {
				int i = (pick + tries) % N;

				snprintf(name, sizeof(name), "o%03d", i);
				if (removed_at[i] >= 0 ||
				    (count_of(&l, name) > 0) != (k == 1))
					continue;
				snprintf(path, sizeof(path), "/d/%s", name);
				ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD,
							      path, 0), 0);
				removed_at[i] = l.n;
				break;
			}
			/* bounded: whether entries made during a listing are
			 * returned is unspecified (Linux 6.18 does not), so
			 * an implementation that returns them must still
			 * reach the end */
			if (next_new < 40) {
				snprintf(path, sizeof(path), "/d/n%03d",
					 next_new++);
				create(path);
			}
		}
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(count_of(&l, "."), 1);
	ck_assert_int_eq(count_of(&l, ".."), 1);
	/* the churn really happened, on both sides of the cursor */
	ck_assert_int_eq(next_new, 40);
	for (int i = 0; i < l.n; i++)
		ck_assert_msg(count_of(&l, l.name[i]) == 1, "%s listed twice",
			      l.name[i]);
	for (int i = 0; i < N; i++) {
		int at;

		snprintf(name, sizeof(name), "o%03d", i);
		at = index_of(&l, name);
		if (removed_at[i] < 0)
			ck_assert_msg(at >= 0, "%s stayed but was lost", name);
		else if (at >= 0)
			/* a removed entry may only have been listed before
			 * its removal */
			ck_assert_msg(at < removed_at[i],
				      "%s listed after its unlink", name);
	}
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_getdents_seek_to_d_off_resumes)
{
	static struct listing all, rest;
	static char buf[4096];
	char path[32];
	int fd;

	h_mkdir("/d", 0755);
	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/d/e%02d", i);
		create(path);
	}
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	list_all(fd, 4096, &all);
	ck_assert_int_eq(all.n, 22);
	for (int i = 0; i < all.n - 1; i++) {
		ck_assert_int_eq(vfs_lseek(ht, fd, all.off[i], SEEK_SET),
				 all.off[i]);
		rest.n = 0;
		list_all(fd, 4096, &rest);
		ck_assert_int_eq(rest.n, all.n - i - 1);
		for (int j = 0; j < rest.n; j++)
			ck_assert_str_eq(rest.name[j], all.name[i + 1 + j]);
	}
	/* the last d_off is the end */
	ck_assert_int_eq(vfs_lseek(ht, fd, all.off[all.n - 1], SEEK_SET),
			 all.off[all.n - 1]);
	ck_assert_int_eq(vfs_getdents64(ht, fd, buf, sizeof(buf)), 0);
	/* SEEK_CUR gives back the offset reached */
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(vfs_getdents64(ht, fd, buf, 30), 24);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_CUR), all.off[0]);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_getdents_seek_to_removed_entry_offset)
{
	static struct listing all, rest;
	int fd, k;

	h_mkdir("/d", 0755);
	create("/d/a");
	create("/d/b");
	create("/d/c");
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	list_all(fd, 4096, &all);
	ck_assert_int_eq(all.n, 5);
	/* resume after the third record, whose own name is then removed:
	 * the listing goes on with the ones after it */
	k = 2;
	ck_assert_int_ne(strcmp(all.name[k], "."), 0);
	{
		char path[32];

		snprintf(path, sizeof(path), "/d/%s", all.name[k]);
		ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, path, 0), 0);
	}
	ck_assert_int_eq(vfs_lseek(ht, fd, all.off[k], SEEK_SET), all.off[k]);
	list_all(fd, 4096, &rest);
	ck_assert_int_eq(rest.n, 2);
	ck_assert_str_eq(rest.name[0], all.name[3]);
	ck_assert_str_eq(rest.name[1], all.name[4]);
	vfs_close(ht, fd);
}
END_TEST

/* --- errors -------------------------------------------------------------- */

START_TEST(test_getdents_buffer_too_small_einval)
{
	char buf[64];
	int fd;

	h_mkdir("/d", 0755);
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	/* "." needs a 24-byte record */
	ck_assert_errno(vfs_getdents64(ht, fd, buf, 23), EINVAL);
	ck_assert_errno(vfs_getdents64(ht, fd, buf, 0), EINVAL);
	ck_assert_errno(vfs_getdents64(ht, fd, buf, 1), EINVAL);
	/* nothing was consumed */
	ck_assert_int_eq(vfs_getdents64(ht, fd, buf, 24), 24);
	ck_assert_str_eq(((struct dirent64 *)buf)->d_name, ".");
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_getdents_not_a_directory)
{
	char buf[64];
	int fd;

	create("/f");
	fd = h_open("/f", O_RDONLY);
	ck_assert_errno(vfs_getdents64(ht, fd, buf, sizeof(buf)), ENOTDIR);
	vfs_close(ht, fd);
	ck_assert_errno(vfs_getdents64(ht, 1000, buf, sizeof(buf)), EBADF);
	ck_assert_errno(vfs_getdents64(ht, -1, buf, sizeof(buf)), EBADF);
	fd = h_open("/", O_PATH);
	ck_assert_errno(vfs_getdents64(ht, fd, buf, sizeof(buf)), EBADF);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_getdents_removed_directory_enoent)
{
	char buf[256];
	int fd;

	h_mkdir("/d", 0755);
	create("/d/x");
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(vfs_getdents64(ht, fd, buf, 30), 24);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d/x", 0), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d", AT_REMOVEDIR), 0);
	/* Linux refuses to list a dead directory, even from the start */
	ck_assert_errno(vfs_getdents64(ht, fd, buf, sizeof(buf)), ENOENT);
	ck_assert_int_eq(vfs_lseek(ht, fd, 0, SEEK_SET), 0);
	ck_assert_errno(vfs_getdents64(ht, fd, buf, sizeof(buf)), ENOENT);
	vfs_close(ht, fd);
}
END_TEST

START_TEST(test_getdents_dir_lseek_whence)
{
	int fd;

	h_mkdir("/d", 0755);
	fd = h_open("/d", O_RDONLY | O_DIRECTORY);
	ck_assert_errno(vfs_lseek(ht, fd, 0, SEEK_END), EINVAL);
	ck_assert_errno(vfs_lseek(ht, fd, -1, SEEK_SET), EINVAL);
	ck_assert_errno(vfs_lseek(ht, fd, 0, SEEK_DATA), EINVAL);
	ck_assert_int_eq(vfs_lseek(ht, fd, 5, SEEK_SET), 5);
	ck_assert_int_eq(vfs_lseek(ht, fd, 1, SEEK_CUR), 6);
	vfs_close(ht, fd);
}
END_TEST

static Suite *getdents_suite(void)
{
	Suite *s = suite_create("getdents");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_getdents_empty_dir);
	tcase_add_test(tc, test_getdents_root_dotdot_is_root);
	tcase_add_test(tc, test_getdents_types_and_inos);
	tcase_add_test(tc, test_getdents_small_buffer_pages_through);
	tcase_add_test(tc, test_getdents_rewind_sees_new_entries);
	tcase_add_test(tc, test_getdents_two_fds_independent);
	tcase_add_test(tc, test_getdents_stable_under_create_unlink);
	tcase_add_test(tc, test_getdents_seek_to_d_off_resumes);
	tcase_add_test(tc, test_getdents_seek_to_removed_entry_offset);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_getdents_buffer_too_small_einval);
	tcase_add_test(tc, test_getdents_not_a_directory);
	tcase_add_test(tc, test_getdents_removed_directory_enoent);
	tcase_add_test(tc, test_getdents_dir_lseek_whence);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(getdents_suite)
