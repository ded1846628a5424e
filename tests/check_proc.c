// SPDX-License-Identifier: MIT
/*
 * The proc filesystem as Linux shows it: /proc/self and /proc/<task id>,
 * the fd/N magic links (readlink gives the tracked path, " (deleted)"
 * once unlinked; open reaches the very file, even unlinked), cwd and root,
 * the fd directory listing, fdinfo/N, and the text of mountinfo, mounts and
 * /proc/mounts for a known mount tree, byte for byte except the mount ids,
 * device numbers and parent ids, which are compared up to renaming.
 * Every expected value and format was checked against the kernel, on a
 * fresh tmpfs made the root of a private mount namespace (pivot_root), with
 * proc mounted on /proc.
 */
#include <dirent.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>

#include "harness.h"


static void mount_proc(void)
{
	h_mkdir("/proc", 0555);
	ck_assert_int_eq(vfs_mount(ht, "proc", "/proc", "proc", 0, NULL), 0);
}

static void proc_setup(void)
{
	harness_setup();
	mount_proc();
}

/* readlinkat as @t, NUL-terminated into a static buffer; fails the test on
 * error. */
static char *link_of(struct vfs_task *t, int dirfd, const char *path)
{
	static char buf[4200];
	ssize_t n = vfs_readlinkat(t, dirfd, path, buf, sizeof(buf) - 1);

	ck_assert_msg(n >= 0, "readlink %s: %zd", path, n);
	buf[n] = '\0';
	return buf;
}

static char *fd_link(int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return link_of(ht, AT_FDCWD, path);
}

/* The whole content of a proc file, NUL-terminated. */
static char *read_text(int dirfd, const char *path, size_t chunk)
{
	static char buf[65536];
	size_t len = 0;
	ssize_t n;
	int fd = vfs_openat(ht, dirfd, path, O_RDONLY, 0);

	ck_assert_msg(fd >= 0, "open %s: %d", path, fd);
	do {
		size_t want = sizeof(buf) - 1 - len;

		ck_assert_uint_gt(want, 0);
		n = vfs_read(ht, fd, buf + len, want < chunk ? want : chunk);
		ck_assert_msg(n >= 0, "read %s: %zd", path, n);
		len += (size_t)n;
	} while (n > 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	buf[len] = '\0';
	return buf;
}

static char *proc_text(const char *path)
{
	return read_text(AT_FDCWD, path, 65536);
}

static ino_t fd_ino(int fd)
{
	struct stat st;

	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	return st.st_ino;
}

static char *dev_of(const char *path)
{
	static char buf[32];
	struct stat st;

	h_stat(path, &st);
	snprintf(buf, sizeof(buf), "%u:%u", major(st.st_dev),
		 minor(st.st_dev));
	return buf;
}

/*
 * Matching text against a template up to renaming.  In a template line,
 * a field "$m<n>" stands for a mount id, "$d<n>" for a major:minor and
 * "$p" for the root mount's parent id; the same name must meet the same
 * value and two names of one kind different values.  Every other field
 * must be equal byte for byte, and so must the separators (one space).
 */
#define MAX_VARS 32

struct bindings {
	int n;
	char name[MAX_VARS][8];
	char value[MAX_VARS][32];
};

static const char *binding_get(const struct bindings *b, const char *name)
{
	for (int i = 0; i < b->n; i++)
		if (strcmp(b->name[i], name) == 0)
			return b->value[i];
	return NULL;
}

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool is_devno(const char *s)
{
	char maj[32], min[32];
	const char *colon = strchr(s, ':');

	if (!colon || (size_t)(colon - s) >= sizeof(maj) ||
	    strlen(colon + 1) >= sizeof(min))
		return false;
	memcpy(maj, s, (size_t)(colon - s));
	maj[colon - s] = '\0';
	strcpy(min, colon + 1);
	return is_number(maj) && is_number(min);
}

/* Match one field; returns an error message or NULL. */
static const char *match_field(struct bindings *b, const char *t,
			       const char *v)
{
	const char *have;

	if (t[0] != '$')
		return strcmp(t, v) == 0 ? NULL : "field differs";
	if (t[1] == 'd' ? !is_devno(v) : !is_number(v))
		return "not a number of the right form";
	have = binding_get(b, t);
	if (have)
		return strcmp(have, v) == 0 ? NULL : "renaming not consistent";
	for (int i = 0; i < b->n; i++)
		if (b->name[i][1] == t[1] && t[1] != 'p' &&
		    strcmp(b->value[i], v) == 0)
			return "two names for one value";
	ck_assert_int_lt(b->n, MAX_VARS);
	snprintf(b->name[b->n], sizeof(b->name[0]), "%s", t);
	snprintf(b->value[b->n], sizeof(b->value[0]), "%s", v);
	b->n++;
	return NULL;
}

/* @text (whole lines) against @tmpl, a NULL-terminated array of lines. */
static void match_text(const char *text, const char *const *tmpl,
		       struct bindings *b)
{
	const char *line = text;
	int i;

	b->n = 0;
	for (i = 0; tmpl[i]; i++) {
		const char *nl = strchr(line, '\n');
		char lbuf[1024], tbuf[1024];
		char *lsave, *tsave, *lf, *tf;

		ck_assert_msg(nl, "line %d missing, expected \"%s\" in:\n%s",
			      i + 1, tmpl[i], text);
		ck_assert_uint_lt((size_t)(nl - line), sizeof(lbuf));
		memcpy(lbuf, line, (size_t)(nl - line));
		lbuf[nl - line] = '\0';
		snprintf(tbuf, sizeof(tbuf), "%s", tmpl[i]);
		/* one space between fields, none at the ends */
		ck_assert_msg(!strstr(lbuf, "  ") && lbuf[0] != ' ' &&
				      lbuf[strlen(lbuf) - 1] != ' ',
			      "spacing of line %d: \"%s\"", i + 1, lbuf);
		lf = strtok_r(lbuf, " ", &lsave);
		tf = strtok_r(tbuf, " ", &tsave);
		while (lf && tf) {
			const char *err = match_field(b, tf, lf);

			ck_assert_msg(!err, "line %d field \"%s\" vs \"%s\": "
				      "%s\nexpected: %s\ntext:\n%s", i + 1, lf,
				      tf, err, tmpl[i], text);
			lf = strtok_r(NULL, " ", &lsave);
			tf = strtok_r(NULL, " ", &tsave);
		}
		ck_assert_msg(!lf && !tf, "line %d has %s fields: \"%.*s\"",
			      i + 1, lf ? "more" : "fewer", (int)(nl - line),
			      line);
		line = nl + 1;
	}
	ck_assert_msg(*line == '\0', "extra lines:\n%s", line);
}

/* The root's parent is the root itself or a mount nobody can see. */
static void check_root_parent(const struct bindings *b)
{
	const char *p = binding_get(b, "$p");
	const char *m0 = binding_get(b, "$m0");

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(m0);
	if (strcmp(p, m0) == 0)
		return;
	for (int i = 0; i < b->n; i++)
		if (b->name[i][1] == 'm')
			ck_assert_msg(strcmp(b->value[i], p) != 0,
				      "root's parent %s is %s", p,
				      b->name[i]);
}

/* The tree of the format tests: tmpfs root, proc on /proc, a tmpfs of
 * size=1m on /a, /a/sub bound on /b, which is then made read-only. */
static void mk_format_tree(void)
{
	h_mkdir("/a", 0755);
	ck_assert_int_eq(vfs_mount(ht, "none", "/a", "tmpfs", 0, "size=1m"),
			 0);
	h_mkdir("/a/sub", 0755);
	h_mkdir("/b", 0755);
	ck_assert_int_eq(vfs_mount(ht, "/a/sub", "/b", NULL, MS_BIND, NULL), 0);
	ck_assert_int_eq(vfs_mount(ht, NULL, "/b", NULL,
				   MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), 0);
}

static const char *const format_tree_mountinfo[] = {
	"$m0 $p $d0 / / rw,relatime - tmpfs none rw",
	"$m1 $m0 $d1 / /proc rw,relatime - proc proc rw",
	"$m2 $m0 $d2 / /a rw,relatime - tmpfs none rw,size=1024k",
	"$m3 $m0 $d2 /sub /b ro,relatime - tmpfs none rw,size=1024k",
	NULL
};

static const char format_tree_mounts[] =
	"none / tmpfs rw,relatime 0 0\n"
	"proc /proc proc rw,relatime 0 0\n"
	"none /a tmpfs rw,relatime,size=1024k 0 0\n"
	"none /b tmpfs ro,relatime,size=1024k 0 0\n";

/* The fdinfo text Linux gives; @mnt_id as a string from mountinfo. */
static void check_fdinfo(int fd, long long pos, unsigned int flags,
			 const char *mnt_id)
{
	char path[64], want[256];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	snprintf(want, sizeof(want),
		 "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%s\nino:\t%llu\n", pos,
		 flags, mnt_id, (unsigned long long)fd_ino(fd));
	ck_assert_str_eq(proc_text(path), want);
}

/* --- core ------------------------------------------------------------- */

START_TEST(test_proc_self_links_to_task_id)
{
	struct stat st, pid_st;
	char want[32], path[64];

	snprintf(want, sizeof(want), "%d", vfs_task_id(ht));
	ck_assert_str_eq(link_of(ht, AT_FDCWD, "/proc/self"), want);
	h_lstat("/proc/self", &st);
	ck_assert_uint_eq(st.st_mode, S_IFLNK | 0777);
	h_stat("/proc/self", &st);
	ck_assert(S_ISDIR(st.st_mode));
	snprintf(path, sizeof(path), "/proc/%d", vfs_task_id(ht));
	h_lstat(path, &pid_st);
	ck_assert(S_ISDIR(pid_st.st_mode));
	ck_assert_uint_eq(st.st_ino, pid_st.st_ino);
	/* Relative to a dirfd on /proc, too. */
	int p = h_open("/proc", O_RDONLY | O_DIRECTORY);
	ck_assert_str_eq(link_of(ht, p, "self"), want);
	ck_assert_int_eq(vfs_close(ht, p), 0);
}
END_TEST

START_TEST(test_proc_pid_dir_of_another_task)
{
	struct vfs_task *child;
	char path[64];
	struct stat st;
	int id, fd;

	h_mkdir("/d", 0755);
	h_write_file("/d/f", "x");
	ck_assert_int_eq(vfs_chdir(ht, "/d"), 0);
	fd = h_open("/d/f", O_RDONLY);
	ck_assert_int_eq(vfs_task_fork(ht, 0, &child), 0);
	id = vfs_task_id(child);
	ck_assert_int_ge(id, 1);
	ck_assert_int_ne(id, vfs_task_id(ht));
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);

	snprintf(path, sizeof(path), "/proc/%d", id);
	h_stat(path, &st);
	ck_assert(S_ISDIR(st.st_mode));
	/* Its own fs context (copied) and fd table (copied). */
	snprintf(path, sizeof(path), "/proc/%d/cwd", id);
	ck_assert_str_eq(link_of(ht, AT_FDCWD, path), "/d");
	snprintf(path, sizeof(path), "/proc/%d/root", id);
	ck_assert_str_eq(link_of(ht, AT_FDCWD, path), "/");
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", id, fd);
	ck_assert_str_eq(link_of(ht, AT_FDCWD, path), "/d/f");
	ck_assert_str_eq(link_of(ht, AT_FDCWD, "/proc/self/cwd"), "/");

	vfs_task_destroy(child);
	snprintf(path, sizeof(path), "/proc/%d", id);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, path, &st, 0), ENOENT);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

/*
 * A task whose effective ids change stops being dumpable (commit_creds()
 * with suid_dumpable 0): its /proc files become root's and another task of
 * the same uid may not follow its fd links, but it still reads its own
 * fd/ (proc_fd_permission()).  exec makes it dumpable again.
 */
START_TEST(test_proc_task_not_dumpable_after_cred_change)
{
	static const gid_t groups[] = { 1000 };
	struct vfs_cred user = { .uid = 1000, .euid = 1000, .gid = 1000,
				 .egid = 1000, .ngroups = 1,
				 .groups = groups };
	struct vfs_task *t, *peer;
	char path[64], buf[64];
	struct stat st;
	int fd;

	ck_assert_int_eq(vfs_task_fork(ht, 0, &t), 0);
	ck_assert_int_eq(vfs_task_fork(ht, 0, &peer), 0);
	ck_assert_int_eq(vfs_task_set_cred(t, &user), 0);
	ck_assert_int_eq(vfs_task_set_cred(peer, &user), 0);
	ck_assert_int_eq(vfs_task_exec(peer), 0);
	fd = vfs_openat(t, AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);
	ck_assert_int_ge(fd, 0);

	ck_assert_int_eq(vfs_newfstatat(t, AT_FDCWD, "/proc/self/fd", &st,
					AT_SYMLINK_NOFOLLOW), 0);
	ck_assert_uint_eq(st.st_uid, 0);
	ck_assert_uint_eq(st.st_gid, 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0500);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ck_assert_int_eq(vfs_newfstatat(t, AT_FDCWD, path, &st,
					AT_SYMLINK_NOFOLLOW), 0);
	ck_assert_uint_eq(st.st_uid, 0);
	ck_assert_str_eq(link_of(t, AT_FDCWD, path), "/");

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", vfs_task_id(t), fd);
	ck_assert_errno(vfs_readlinkat(peer, AT_FDCWD, path, buf, sizeof(buf)),
			EACCES);
	snprintf(path, sizeof(path), "/proc/%d/fd", vfs_task_id(peer));
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, path, &st, 0), 0);
	ck_assert_uint_eq(st.st_uid, 1000);

	ck_assert_int_eq(vfs_task_exec(t), 0);
	ck_assert_int_eq(vfs_newfstatat(t, AT_FDCWD, "/proc/self/fd", &st, 0),
			 0);
	ck_assert_uint_eq(st.st_uid, 1000);
	vfs_task_destroy(peer);
	vfs_task_destroy(t);
}
END_TEST

START_TEST(test_proc_fd_link_tracks_renames)
{
	struct stat st;
	char path[64];
	int fd;

	h_mkdir("/d", 0755);
	fd = h_open("/d/f", O_RDWR | O_CREAT);
	ck_assert_str_eq(fd_link(fd), "/d/f");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/d/f", AT_FDCWD, "/d/g",
				       0), 0);
	ck_assert_str_eq(fd_link(fd), "/d/g");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/d", AT_FDCWD, "/e", 0),
			 0);
	ck_assert_str_eq(fd_link(fd), "/e/g");
	/* A magic link: lstat sees a link, stat the file. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	h_lstat(path, &st);
	ck_assert(S_ISLNK(st.st_mode));
	h_stat(path, &st);
	ck_assert_uint_eq(st.st_mode, S_IFREG | 0644);
	ck_assert_uint_eq(st.st_ino, h_ino("/e/g"));
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/e/g", 0), 0);
	ck_assert_str_eq(fd_link(fd), "/e/g (deleted)");
	/* readlink truncates like any readlink. */
	char buf[4];
	ck_assert_int_eq(vfs_readlinkat(ht, AT_FDCWD, path, buf, 3), 3);
	ck_assert_int_eq(memcmp(buf, "/e/", 3), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_proc_fd_link_opens_unlinked_file)
{
	char path[64], buf[16];
	struct stat st;
	int fd, fd2;

	fd = h_open("/f", O_RDWR | O_CREAT);
	ck_assert_int_eq(vfs_write(ht, fd, "hello", 5), 5);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/f", 0), 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fd2 = vfs_openat(ht, AT_FDCWD, path, O_RDWR, 0);
	ck_assert_int_ge(fd2, 0);
	ck_assert_uint_eq(fd_ino(fd2), fd_ino(fd));
	ck_assert_int_eq(vfs_fstat(ht, fd2, &st), 0);
	ck_assert_uint_eq(st.st_nlink, 0);
	/* A new open file description: its own offset, from 0. */
	ck_assert_int_eq(vfs_read(ht, fd2, buf, sizeof(buf)), 5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_int_eq(vfs_pwrite64(ht, fd2, "J", 1, 0), 1);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, 5, 0), 5);
	ck_assert_int_eq(memcmp(buf, "Jello", 5), 0);
	ck_assert_str_eq(fd_link(fd2), "/f (deleted)");
	/* The name is gone: a new file there is another inode. */
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/f", O_RDONLY, 0), ENOENT);
	ck_assert_int_eq(vfs_close(ht, fd2), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_proc_fd_link_through_bind_mount)
{
	int fd;

	mk_format_tree();
	h_write_file("/a/sub/q", "q");
	fd = h_open("/b/q", O_RDONLY);
	ck_assert_str_eq(fd_link(fd), "/b/q");
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	fd = h_open("/a/sub/q", O_RDONLY);
	ck_assert_str_eq(fd_link(fd), "/a/sub/q");
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_proc_cwd_and_root_links)
{
	struct stat st;
	int fd;

	h_mkdir("/w", 0755);
	ck_assert_int_eq(vfs_chdir(ht, "/w"), 0);
	ck_assert_str_eq(link_of(ht, AT_FDCWD, "/proc/self/cwd"), "/w");
	ck_assert_str_eq(link_of(ht, AT_FDCWD, "/proc/self/root"), "/");
	h_lstat("/proc/self/cwd", &st);
	ck_assert(S_ISLNK(st.st_mode));
	fd = h_open("/proc/self/cwd", O_RDONLY | O_DIRECTORY);
	ck_assert_uint_eq(fd_ino(fd), h_ino("/w"));
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	fd = h_open("/proc/self/root", O_RDONLY | O_DIRECTORY);
	ck_assert_uint_eq(fd_ino(fd), h_ino("/"));
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	/* Through the links as path prefixes. */
	h_write_file("/w/x", "x");
	ck_assert_uint_eq(h_ino("/proc/self/cwd/x"), h_ino("/w/x"));
	ck_assert_uint_eq(h_ino("/proc/self/root/w/x"), h_ino("/w/x"));
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/w/x", 0), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/w", AT_REMOVEDIR), 0);
	ck_assert_str_eq(link_of(ht, AT_FDCWD, "/proc/self/cwd"),
			 "/w (deleted)");
}
END_TEST

/* After chroot, paths inside the root are shown from it, paths outside it
 * from the namespace root; mountinfo shows only mounts under the root. */
START_TEST(test_proc_links_and_mounts_after_chroot)
{
	static const char *const tmpl[] = {
		"$m0 $p $d0 / / rw,relatime - tmpfs none rw,size=1024k",
		NULL
	};
	struct bindings b;
	int p, in, out;

	mk_format_tree();
	h_write_file("/a/in", "in");
	h_write_file("/x", "x");
	in = h_open("/a/in", O_RDONLY);
	out = h_open("/x", O_RDONLY);
	p = h_open("/proc", O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(vfs_chdir(ht, "/a"), 0);
	ck_assert_int_eq(vfs_chroot(ht, "/a"), 0);

	ck_assert_str_eq(link_of(ht, p, "self/root"), "/");
	ck_assert_str_eq(link_of(ht, p, "self/cwd"), "/");
	char path[64];
	snprintf(path, sizeof(path), "self/fd/%d", in);
	ck_assert_str_eq(link_of(ht, p, path), "/in");
	snprintf(path, sizeof(path), "self/fd/%d", out);
	ck_assert_str_eq(link_of(ht, p, path), "/x");

	match_text(read_text(p, "self/mountinfo", 65536), tmpl, &b);
	ck_assert_str_eq(binding_get(&b, "$d0"), dev_of("/"));
	ck_assert_str_eq(read_text(p, "self/mounts", 65536),
			 "none / tmpfs rw,relatime,size=1024k 0 0\n");
	ck_assert_int_eq(vfs_close(ht, p), 0);
	ck_assert_int_eq(vfs_close(ht, out), 0);
	ck_assert_int_eq(vfs_close(ht, in), 0);
}
END_TEST

START_TEST(test_proc_fd_dir_lists_open_fds)
{
	char buf[4096];
	bool listed[1024] = { false };
	int fds[3], dfd, nfds = 0, last = -1;
	bool dot = false, dotdot = false;
	ssize_t n;

	h_write_file("/f", "x");
	for (int i = 0; i < 3; i++)
		fds[i] = h_open("/f", O_RDONLY);
	dfd = h_open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	/* The listing is made when read, not when opened. */
	ck_assert_int_eq(vfs_close(ht, fds[1]), 0);
	while ((n = vfs_getdents64(ht, dfd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			if (strcmp(d->d_name, ".") == 0) {
				ck_assert_int_eq(d->d_type, DT_DIR);
				dot = true;
			} else if (strcmp(d->d_name, "..") == 0) {
				ck_assert_int_eq(d->d_type, DT_DIR);
				dotdot = true;
			} else {
				char *end;
				long v = strtol(d->d_name, &end, 10);

				ck_assert_msg(*end == '\0' && v >= 0 &&
						      v < 1024,
					      "entry %s", d->d_name);
				ck_assert_int_eq(d->d_type, DT_LNK);
				/* ascending, each once */
				ck_assert_int_gt(v, last);
				last = (int)v;
				listed[v] = true;
				nfds++;
			}
			off += d->d_reclen;
		}
	}
	ck_assert_int_eq(n, 0);
	ck_assert(dot && dotdot);
	/* Exactly the open fds, the directory's own included. */
	for (int fd = 0; fd < 1024; fd++) {
		bool open = vfs_fcntl(ht, fd, F_GETFD, 0) >= 0;

		ck_assert_msg(open == listed[fd], "fd %d: open %d listed %d",
			      fd, open, listed[fd]);
	}
	ck_assert(listed[fds[0]] && !listed[fds[1]] && listed[fds[2]]);
	ck_assert(listed[dfd]);
	ck_assert_int_ge(nfds, 3);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
	ck_assert_int_eq(vfs_close(ht, fds[0]), 0);
	ck_assert_int_eq(vfs_close(ht, fds[2]), 0);
}
END_TEST

START_TEST(test_proc_fdinfo_format)
{
	struct bindings b;
	const char *root_id;
	int fd, pfd, dfd, sfd;

	match_text(proc_text("/proc/self/mountinfo"),
		   (const char *const[]){
			   "$m0 $p $d0 / / rw,relatime - tmpfs none rw",
			   "$m1 $m0 $d1 / /proc rw,relatime - proc proc rw",
			   NULL },
		   &b);
	root_id = binding_get(&b, "$m0");
	h_mkdir("/d", 0755);
	fd = h_open("/d/f", O_RDWR | O_CREAT);
	ck_assert_int_eq(vfs_write(ht, fd, "hello", 5), 5);
	ck_assert_int_eq(vfs_lseek(ht, fd, 3, SEEK_SET), 3);
	check_fdinfo(fd, 3, O_RDWR | KERNEL_O_LARGEFILE, root_id);
	/* The fd's close-on-exec flag shows in flags. */
	ck_assert_int_eq(vfs_fcntl(ht, fd, F_SETFD, FD_CLOEXEC), 0);
	check_fdinfo(fd, 3, O_RDWR | O_CLOEXEC | KERNEL_O_LARGEFILE, root_id);
	/* O_PATH files carry no O_LARGEFILE. */
	pfd = h_open("/d", O_PATH);
	check_fdinfo(pfd, 0, O_PATH, root_id);
	dfd = h_open("/d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	check_fdinfo(dfd, 0,
		     O_RDONLY | O_DIRECTORY | O_CLOEXEC | KERNEL_O_LARGEFILE,
		     root_id);
	/* O_CREAT and O_TRUNC are not kept; O_SYNC is __O_SYNC|O_DSYNC. */
	sfd = vfs_openat(ht, AT_FDCWD, "/s",
			 O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_NOATIME |
				 O_SYNC, 0644);
	ck_assert_int_ge(sfd, 0);
	check_fdinfo(sfd, 0,
		     O_WRONLY | O_APPEND | O_NOATIME | O_SYNC |
			     KERNEL_O_LARGEFILE, root_id);
	ck_assert_int_eq(O_WRONLY | O_APPEND | O_NOATIME | O_SYNC |
				 KERNEL_O_LARGEFILE, 05112001);
	ck_assert_int_eq(vfs_close(ht, sfd), 0);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
	ck_assert_int_eq(vfs_close(ht, pfd), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_proc_mountinfo_matches_linux)
{
	struct bindings b;
	char path[64];
	int fd;

	mk_format_tree();
	match_text(proc_text("/proc/self/mountinfo"), format_tree_mountinfo,
		   &b);
	check_root_parent(&b);
	/* Device numbers are those stat gives. */
	ck_assert_str_eq(binding_get(&b, "$d0"), dev_of("/"));
	ck_assert_str_eq(binding_get(&b, "$d1"), dev_of("/proc"));
	ck_assert_str_eq(binding_get(&b, "$d2"), dev_of("/a"));
	ck_assert_str_eq(binding_get(&b, "$d2"), dev_of("/b"));
	/* Mount ids are those fdinfo gives. */
	h_write_file("/a/sub/q", "q");
	fd = h_open("/b/q", O_RDONLY);
	check_fdinfo(fd, 0, O_RDONLY | KERNEL_O_LARGEFILE,
		     binding_get(&b, "$m3"));
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	/* Every task of the namespace sees the same text. */
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", vfs_task_id(ht));
	match_text(proc_text(path), format_tree_mountinfo, &b);
}
END_TEST

START_TEST(test_proc_mounts_matches_linux)
{
	struct stat st;

	mk_format_tree();
	ck_assert_str_eq(proc_text("/proc/self/mounts"), format_tree_mounts);
	ck_assert_str_eq(link_of(ht, AT_FDCWD, "/proc/mounts"), "self/mounts");
	h_lstat("/proc/mounts", &st);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_str_eq(proc_text("/proc/mounts"), format_tree_mounts);
}
END_TEST

/* Mount flags and tmpfs options in Linux's order; ' ', '\t', '\n' and '\\'
 * as octal escapes, in mount points and sources alike. */
START_TEST(test_proc_mount_text_options_and_escapes)
{
	static const char *const tmpl[] = {
		"$m0 $p $d0 / / rw,relatime - tmpfs none rw",
		"$m1 $m0 $d1 / /proc rw,relatime - proc proc rw",
		"$m2 $m0 $d2 / /with\\040space rw,nosuid,nodev,noexec,relatime"
		" - tmpfs my\\040src rw,nr_inodes=100,mode=700",
		"$m3 $m0 $d3 / /t\\011ab\\134n ro,noatime - tmpfs none ro",
		"$m4 $m0 $d4 / /n\\012l rw,relatime - tmpfs none"
		" rw,size=65536k",
		"$m5 $m0 $d5 / /c rw,nodiratime - tmpfs none rw",
		NULL
	};
	static const char mounts[] =
		"none / tmpfs rw,relatime 0 0\n"
		"proc /proc proc rw,relatime 0 0\n"
		"my\\040src /with\\040space tmpfs rw,nosuid,nodev,noexec,"
		"relatime,nr_inodes=100,mode=700 0 0\n"
		"none /t\\011ab\\134n tmpfs ro,noatime 0 0\n"
		"none /n\\012l tmpfs rw,relatime,size=65536k 0 0\n"
		"none /c tmpfs rw,nodiratime 0 0\n";
	struct bindings b;

	h_mkdir("/with space", 0755);
	ck_assert_int_eq(vfs_mount(ht, "my src", "/with space", "tmpfs",
				   MS_NOSUID | MS_NODEV | MS_NOEXEC,
				   "mode=700,nr_inodes=100"), 0);
	h_mkdir("/t\tab\\n", 0755);
	ck_assert_int_eq(vfs_mount(ht, "none", "/t\tab\\n", "tmpfs",
				   MS_NOATIME | MS_RDONLY, NULL), 0);
	h_mkdir("/n\nl", 0755);
	ck_assert_int_eq(vfs_mount(ht, "none", "/n\nl", "tmpfs", 0,
				   "size=64m"), 0);
	h_mkdir("/c", 0755);
	ck_assert_int_eq(vfs_mount(ht, "none", "/c", "tmpfs",
				   MS_STRICTATIME | MS_NODIRATIME, NULL), 0);
	match_text(proc_text("/proc/self/mountinfo"), tmpl, &b);
	check_root_parent(&b);
	ck_assert_str_eq(proc_text("/proc/self/mounts"), mounts);
}
END_TEST

START_TEST(test_proc_mountinfo_read_in_small_chunks)
{
	char whole[4096];

	mk_format_tree();
	snprintf(whole, sizeof(whole), "%s", proc_text("/proc/self/mountinfo"));
	ck_assert_uint_gt(strlen(whole), 0);
	ck_assert_str_eq(read_text(AT_FDCWD, "/proc/self/mountinfo", 7), whole);
	ck_assert_str_eq(read_text(AT_FDCWD, "/proc/self/mounts", 1),
			 format_tree_mounts);
}
END_TEST

/* --- errors ----------------------------------------------------------- */

START_TEST(test_proc_closed_fd_enoent)
{
	char path[64], buf[64];
	struct stat st;
	int fd;

	h_write_file("/f", "x");
	fd = h_open("/f", O_RDONLY);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ck_assert_errno(vfs_readlinkat(ht, AT_FDCWD, path, buf, sizeof(buf)),
			ENOENT);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, path, &st,
				       AT_SYMLINK_NOFOLLOW), ENOENT);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, path, O_RDONLY, 0), ENOENT);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, path, O_RDONLY, 0), ENOENT);
	ck_assert_errno(vfs_readlinkat(ht, AT_FDCWD, "/proc/self/fd/999", buf,
				       sizeof(buf)), ENOENT);
}
END_TEST

/* Names proc does not have: its lookup has no length limit (ENOENT past
 * NAME_MAX), and O_CREAT with a trailing slash is EISDIR before any
 * lookup, as anywhere. */
START_TEST(test_proc_missing_names)
{
	char name[300];

	memset(name, 'M', 256);
	strcpy(name + 256, "");
	ck_assert_int_eq(vfs_chdir(ht, "/proc"), 0);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, name, AT_REMOVEDIR), ENOENT);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, name, 0), ENOENT);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/proc/nonex", O_CREAT |
				   O_RDWR, 0644), ENOENT);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/proc/nonex/", O_CREAT |
				   O_RDWR, 0644), EISDIR);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/proc/self/", O_CREAT |
				   O_RDONLY, 0644), EISDIR);
}
END_TEST

START_TEST(test_proc_gone_task_enoent)
{
	struct vfs_task *t;
	char path[64];
	struct stat st;
	int id;

	ck_assert_int_eq(vfs_task_create(hns, NULL, &t), 0);
	id = vfs_task_id(t);
	snprintf(path, sizeof(path), "/proc/%d/cwd", id);
	ck_assert_str_eq(link_of(ht, AT_FDCWD, path), "/");
	vfs_task_destroy(t);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, path, &st,
				       AT_SYMLINK_NOFOLLOW), ENOENT);
	snprintf(path, sizeof(path), "/proc/%d", id);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, path, &st, 0), ENOENT);
}
END_TEST

static Suite *proc_suite(void)
{
	Suite *s = suite_create("proc");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, proc_setup, harness_teardown);
	tcase_add_test(tc, test_proc_self_links_to_task_id);
	tcase_add_test(tc, test_proc_pid_dir_of_another_task);
	tcase_add_test(tc, test_proc_task_not_dumpable_after_cred_change);
	tcase_add_test(tc, test_proc_fd_link_tracks_renames);
	tcase_add_test(tc, test_proc_fd_link_opens_unlinked_file);
	tcase_add_test(tc, test_proc_fd_link_through_bind_mount);
	tcase_add_test(tc, test_proc_cwd_and_root_links);
	tcase_add_test(tc, test_proc_links_and_mounts_after_chroot);
	tcase_add_test(tc, test_proc_fd_dir_lists_open_fds);
	tcase_add_test(tc, test_proc_fdinfo_format);
	tcase_add_test(tc, test_proc_mountinfo_matches_linux);
	tcase_add_test(tc, test_proc_mounts_matches_linux);
	tcase_add_test(tc, test_proc_mount_text_options_and_escapes);
	tcase_add_test(tc, test_proc_mountinfo_read_in_small_chunks);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, proc_setup, harness_teardown);
	tcase_add_test(tc, test_proc_closed_fd_enoent);
	tcase_add_test(tc, test_proc_gone_task_enoent);
	tcase_add_test(tc, test_proc_missing_names);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(proc_suite)
