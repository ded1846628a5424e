// SPDX-License-Identifier: MIT
/*
 * Mount namespaces: unshare(CLONE_NEWNS) copying the mount tree and moving
 * the caller's root and cwd into the copy, unshare with a shared fs
 * context, mount propagation (shared, private, slave, unbindable, each
 * recursive) for new mounts and for unmounts, chroot's confinement of `..`
 * and symlinks, and pivot_root with all of Linux's checks and what paths
 * look like after it.  Mounts are observed through getcwd, fd paths,
 * st_dev and the visibility of files.  Every expected value was checked on
 * Linux 6.18 on tmpfs, in a private mount namespace pivot_root'ed into a
 * fresh tmpfs.
 */
#include "harness.h"

#include <sched.h>
#include <sys/mount.h>

static void h_mount(struct vfs_task *t, const char *src, const char *target,
		    const char *fstype, unsigned long flags)
{
	int r = vfs_mount(t, src, target, fstype, flags, NULL);

	ck_assert_msg(r == 0, "mount %s on %s (%#lx): %d", src ? src : "-",
		      target, flags, r);
}

static void h_tmpfs(struct vfs_task *t, const char *target)
{
	h_mount(t, "none", target, "tmpfs", 0);
}

static void h_umount(struct vfs_task *t, const char *target)
{
	int r = vfs_umount2(t, target, 0);

	ck_assert_msg(r == 0, "umount %s: %d", target, r);
}

static int t_lstat_ret(struct vfs_task *t, const char *path)
{
	struct stat st;

	return vfs_newfstatat(t, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW);
}

static dev_t t_dev(struct vfs_task *t, const char *path)
{
	struct stat st;
	int r = vfs_newfstatat(t, AT_FDCWD, path, &st, 0);

	ck_assert_msg(r == 0, "stat %s: %d", path, r);
	return st.st_dev;
}

static char *t_getcwd(struct vfs_task *t)
{
	static char buf[256];
	int r = vfs_getcwd(t, buf, sizeof(buf));

	ck_assert_msg(r > 0, "getcwd: %d", r);
	return buf;
}

static char *t_fd_path(struct vfs_task *t, int fd)
{
	static char buf[256];
	ssize_t r = vfs_task_fd_path(t, fd, buf, sizeof(buf) - 1);

	ck_assert_msg(r > 0, "fd path %d: %zd", fd, r);
	buf[r] = '\0';
	return buf;
}

/* A child of ht with its own copy of the fs context and fd table. */
static struct vfs_task *fork_task(void)
{
	struct vfs_task *t;

	ck_assert_int_eq(vfs_task_fork(ht, 0, &t), 0);
	return t;
}

/* Another task with every capability, root and cwd at the fixture
 * namespace's root. */
static struct vfs_task *root_task(void)
{
	struct vfs_task *t;

	ck_assert_int_eq(vfs_task_create(hns, NULL, &t), 0);
	return t;
}

/* --- core: unshare(CLONE_NEWNS) ---------------------------------------- */

START_TEST(test_unshare_copies_the_tree)
{
	struct vfs_task *t = fork_task();

	h_mkdir("/m", 0755);
	h_mkdir("/n", 0755);
	h_tmpfs(ht, "/m");
	h_mkdir("/m/x", 0755);
	h_write_file("/m/f", "");
	ck_assert_int_eq(vfs_unshare(t, CLONE_NEWNS), 0);
	/* the copy has the same mounts, of the same filesystems */
	ck_assert_int_eq(t_lstat_ret(t, "/m/f"), 0);
	ck_assert_uint_eq(t_dev(t, "/m"), t_dev(ht, "/m"));
	ck_assert_uint_ne(t_dev(t, "/m"), t_dev(t, "/"));
	/* files are shared: it is the same filesystem */
	ck_assert_int_eq(vfs_mkdirat(t, AT_FDCWD, "/m/from_t", 0755), 0);
	ck_assert_int_eq(h_lstat_ret("/m/from_t"), 0);
	/* mounts are not: the root mount was private */
	h_tmpfs(ht, "/m/x");
	ck_assert_uint_ne(t_dev(ht, "/m/x"), t_dev(ht, "/m"));
	ck_assert_uint_eq(t_dev(t, "/m/x"), t_dev(t, "/m"));
	h_tmpfs(t, "/n");
	ck_assert_uint_eq(t_dev(ht, "/n"), t_dev(ht, "/"));
	/* unmounting in one leaves the other alone */
	h_umount(t, "/m");
	ck_assert_errno(t_lstat_ret(t, "/m/f"), ENOENT);
	ck_assert_int_eq(h_lstat_ret("/m/f"), 0);
	ck_assert_errno(vfs_umount2(ht, "/n", 0), EINVAL);
	/* a second unshare makes yet another copy */
	ck_assert_int_eq(vfs_unshare(t, CLONE_NEWNS), 0);
	ck_assert_uint_ne(t_dev(t, "/n"), t_dev(t, "/"));
	vfs_task_destroy(t);
	h_umount(ht, "/m/x");
	h_umount(ht, "/m");
}
END_TEST

START_TEST(test_unshare_moves_cwd_and_root)
{
	struct vfs_task *t = fork_task();

	h_mkdir("/m", 0755);
	h_mkdir("/jail", 0755);
	h_mkdir("/jail/in", 0755);
	h_tmpfs(ht, "/m");
	h_mkdir("/m/d", 0755);
	ck_assert_int_eq(vfs_chdir(ht, "/m/d"), 0);
	ck_assert_int_eq(vfs_chroot(t, "/jail"), 0);
	ck_assert_int_eq(vfs_chdir(t, "/in"), 0);
	ck_assert_int_eq(vfs_unshare(ht, CLONE_NEWNS), 0);
	ck_assert_int_eq(vfs_unshare(t, CLONE_NEWNS), 0);
	ck_assert_str_eq(h_getcwd(), "/m/d");
	ck_assert_str_eq(t_getcwd(t), "/in");
	/* the cwd is in the copy: it pins the copied mount */
	ck_assert_errno(vfs_umount2(ht, "/m", 0), EBUSY);
	ck_assert_int_eq(vfs_chdir(ht, ".."), 0);
	ck_assert_str_eq(h_getcwd(), "/m");
	ck_assert_int_eq(vfs_chdir(ht, ".."), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	/* the chrooted root is in the copy too: a mount made on it in
	 * ht's namespace is not seen by t */
	h_tmpfs(ht, "/jail/in");
	ck_assert_int_eq(t_lstat_ret(t, "/in/.."), 0);
	ck_assert_uint_eq(t_dev(t, "/in"), t_dev(t, "/"));
	h_tmpfs(t, "/in");
	ck_assert_str_eq(t_getcwd(t), "/in");
	ck_assert_int_eq(vfs_chdir(t, "/in"), 0);
	ck_assert_uint_ne(t_dev(t, "."), t_dev(t, "/"));
	vfs_task_destroy(t);
	h_umount(ht, "/jail/in");
	h_umount(ht, "/m");
}
END_TEST

START_TEST(test_unshare_open_fds_keep_working)
{
	struct vfs_task *t = fork_task();
	char buf[8];

	h_mkdir("/m", 0755);
	h_tmpfs(ht, "/m");
	h_mkdir("/m/d", 0755);
	int fd = vfs_openat(t, AT_FDCWD, "/m/d/f", O_CREAT | O_RDWR, 0644);
	ck_assert_int_ge(fd, 0);
	int dfd = vfs_openat(t, AT_FDCWD, "/m/d", O_RDONLY | O_DIRECTORY, 0);
	ck_assert_int_ge(dfd, 0);
	ck_assert_int_eq(vfs_unshare(t, CLONE_NEWNS), 0);
	ck_assert_int_eq(vfs_write(t, fd, "abc", 3), 3);
	ck_assert_int_eq(vfs_pread64(t, fd, buf, sizeof(buf), 0), 3);
	ck_assert_int_eq(vfs_mkdirat(t, dfd, "sub", 0755), 0);
	ck_assert_int_eq(h_lstat_ret("/m/d/sub"), 0);
	/* open files stay on the mounts they were opened through: the
	 * copy of /m is free to go, the original is pinned */
	ck_assert_int_eq(vfs_umount2(t, "/m", 0), 0);
	ck_assert_errno(vfs_umount2(ht, "/m", 0), EBUSY);
	ck_assert_str_eq(t_fd_path(t, fd), "/m/d/f");
	ck_assert_int_eq(vfs_write(t, fd, "d", 1), 1);
	/* and a relative walk from the fd stays in the original mount */
	ck_assert_int_eq(vfs_newfstatat(t, dfd, "sub", &(struct stat){ 0 },
					0), 0);
	ck_assert_int_eq(vfs_close(t, dfd), 0);
	ck_assert_int_eq(vfs_close(t, fd), 0);
	vfs_task_destroy(t);
	h_umount(ht, "/m");
}
END_TEST

START_TEST(test_unshare_with_shared_fs_context)
{
	struct vfs_task *t;

	/* Linux unshares the fs context too (CLONE_NEWNS implies CLONE_FS):
	 * the task leaves the other task's cwd and root behind. */
	ck_assert_int_eq(vfs_task_fork(ht, CLONE_FS, &t), 0);
	h_mkdir("/a", 0755);
	h_mkdir("/m", 0755);
	ck_assert_int_eq(vfs_chdir(t, "/a"), 0);
	ck_assert_str_eq(h_getcwd(), "/a");
	ck_assert_int_eq(vfs_unshare(t, CLONE_NEWNS), 0);
	ck_assert_str_eq(t_getcwd(t), "/a");
	ck_assert_int_eq(vfs_chdir(t, "/"), 0);
	ck_assert_str_eq(h_getcwd(), "/a");
	h_tmpfs(t, "/m");
	ck_assert_uint_eq(t_dev(ht, "/m"), t_dev(ht, "/"));
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	vfs_task_destroy(t);
}
END_TEST

START_TEST(test_unshare_fs_and_files)
{
	struct vfs_task *t;

	ck_assert_int_eq(vfs_task_fork(ht, CLONE_FS | CLONE_FILES, &t), 0);
	h_mkdir("/a", 0755);
	int fd = vfs_openat(t, AT_FDCWD, "/a", O_RDONLY | O_DIRECTORY, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vfs_unshare(t, CLONE_FS | CLONE_FILES), 0);
	ck_assert_int_eq(vfs_chdir(t, "/a"), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	/* the fd table was copied: closing in one leaves the other's */
	ck_assert_int_eq(vfs_close(t, fd), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_errno(vfs_close(ht, fd), EBADF);
	/* unsharing what is not shared is fine */
	ck_assert_int_eq(vfs_unshare(t, CLONE_FS | CLONE_FILES), 0);
	ck_assert_int_eq(vfs_unshare(t, 0), 0);
	vfs_task_destroy(t);
}
END_TEST

/* --- core: propagation ------------------------------------------------- */

START_TEST(test_shared_peers_by_bind)
{
	h_mkdir("/s", 0755);
	h_mkdir("/p", 0755);
	h_tmpfs(ht, "/s");
	h_mkdir("/s/x", 0755);
	h_mkdir("/s/y", 0755);
	h_mount(ht, NULL, "/s", NULL, MS_SHARED);
	h_mount(ht, "/s", "/p", NULL, MS_BIND);
	/* a mount under one peer appears under the other, same fs */
	h_tmpfs(ht, "/s/x");
	h_write_file("/s/x/f", "");
	ck_assert_int_eq(h_lstat_ret("/p/x/f"), 0);
	ck_assert_uint_eq(t_dev(ht, "/p/x"), t_dev(ht, "/s/x"));
	ck_assert_uint_ne(t_dev(ht, "/p/x"), t_dev(ht, "/p"));
	/* both ways */
	h_tmpfs(ht, "/p/y");
	ck_assert_uint_eq(t_dev(ht, "/s/y"), t_dev(ht, "/p/y"));
	ck_assert_uint_ne(t_dev(ht, "/s/y"), t_dev(ht, "/s"));
	/* unmounts propagate too */
	h_umount(ht, "/p/x");
	ck_assert_errno(h_lstat_ret("/s/x/f"), ENOENT);
	ck_assert_uint_eq(t_dev(ht, "/s/x"), t_dev(ht, "/s"));
	h_umount(ht, "/s/y");
	ck_assert_uint_eq(t_dev(ht, "/p/y"), t_dev(ht, "/p"));
	ck_assert_errno(vfs_umount2(ht, "/p/y", 0), EINVAL);
	h_umount(ht, "/p");
	h_umount(ht, "/s");
}
END_TEST

START_TEST(test_shared_propagates_binds)
{
	h_mkdir("/s", 0755);
	h_mkdir("/p", 0755);
	h_mkdir("/o", 0755);
	h_write_file("/o/of", "");
	h_tmpfs(ht, "/s");
	h_mkdir("/s/x", 0755);
	h_mount(ht, NULL, "/s", NULL, MS_SHARED);
	h_mount(ht, "/s", "/p", NULL, MS_BIND);
	/* a bind under a shared mount is copied to the peers as well */
	h_mount(ht, "/o", "/s/x", NULL, MS_BIND);
	ck_assert_int_eq(h_lstat_ret("/p/x/of"), 0);
	h_write_file("/p/x/new", "");
	ck_assert_int_eq(h_lstat_ret("/o/new"), 0);
	h_umount(ht, "/s/x");
	ck_assert_errno(h_lstat_ret("/p/x/of"), ENOENT);
	h_umount(ht, "/p");
	h_umount(ht, "/s");
}
END_TEST

START_TEST(test_shared_into_unshared_namespace)
{
	h_mkdir("/s", 0755);
	h_tmpfs(ht, "/s");
	h_mkdir("/s/x", 0755);
	h_mkdir("/s/y", 0755);
	h_mount(ht, NULL, "/s", NULL, MS_SHARED);
	struct vfs_task *t = fork_task();
	ck_assert_int_eq(vfs_unshare(t, CLONE_NEWNS), 0);
	/* the copy of a shared mount is its peer */
	h_tmpfs(ht, "/s/x");
	ck_assert_uint_eq(t_dev(t, "/s/x"), t_dev(ht, "/s/x"));
	ck_assert_uint_ne(t_dev(t, "/s/x"), t_dev(t, "/s"));
	h_tmpfs(t, "/s/y");
	ck_assert_uint_eq(t_dev(ht, "/s/y"), t_dev(t, "/s/y"));
	ck_assert_uint_ne(t_dev(ht, "/s/y"), t_dev(ht, "/s"));
	h_umount(t, "/s/x");
	ck_assert_uint_eq(t_dev(ht, "/s/x"), t_dev(ht, "/s"));
	/* a private mount (the root) does not propagate */
	h_mkdir("/r", 0755);
	h_tmpfs(ht, "/r");
	ck_assert_uint_eq(t_dev(t, "/r"), t_dev(t, "/"));
	h_umount(ht, "/r");
	vfs_task_destroy(t);
	h_umount(ht, "/s/y");
	h_umount(ht, "/s");
}
END_TEST

START_TEST(test_slave_receives_but_does_not_send)
{
	h_mkdir("/s", 0755);
	h_mkdir("/sl", 0755);
	h_tmpfs(ht, "/s");
	h_mkdir("/s/x", 0755);
	h_mkdir("/s/y", 0755);
	h_mount(ht, NULL, "/s", NULL, MS_SHARED);
	h_mount(ht, "/s", "/sl", NULL, MS_BIND);
	h_mount(ht, NULL, "/sl", NULL, MS_SLAVE);
	h_tmpfs(ht, "/s/x");
	ck_assert_uint_eq(t_dev(ht, "/sl/x"), t_dev(ht, "/s/x"));
	h_tmpfs(ht, "/sl/y");
	ck_assert_uint_eq(t_dev(ht, "/s/y"), t_dev(ht, "/s"));
	/* unmounts: received from the master, not sent to it */
	h_umount(ht, "/sl/y");
	h_umount(ht, "/s/x");
	ck_assert_uint_eq(t_dev(ht, "/sl/x"), t_dev(ht, "/sl"));
	h_tmpfs(ht, "/s/x");
	h_umount(ht, "/sl/x");
	ck_assert_uint_ne(t_dev(ht, "/s/x"), t_dev(ht, "/s"));
	h_umount(ht, "/s/x");
	h_umount(ht, "/sl");
	h_umount(ht, "/s");
}
END_TEST

START_TEST(test_slave_in_unshared_namespace)
{
	h_mkdir("/s", 0755);
	h_tmpfs(ht, "/s");
	h_mkdir("/s/x", 0755);
	h_mkdir("/s/y", 0755);
	h_mount(ht, NULL, "/s", NULL, MS_SHARED);
	struct vfs_task *t = fork_task();
	ck_assert_int_eq(vfs_unshare(t, CLONE_NEWNS), 0);
	h_mount(t, NULL, "/", NULL, MS_REC | MS_SLAVE);
	h_tmpfs(ht, "/s/x");
	ck_assert_uint_eq(t_dev(t, "/s/x"), t_dev(ht, "/s/x"));
	h_tmpfs(t, "/s/y");
	ck_assert_uint_eq(t_dev(ht, "/s/y"), t_dev(ht, "/s"));
	vfs_task_destroy(t);
	h_umount(ht, "/s/x");
	h_umount(ht, "/s");
}
END_TEST

START_TEST(test_private_neither)
{
	h_mkdir("/s", 0755);
	h_mkdir("/pr", 0755);
	h_tmpfs(ht, "/s");
	h_mkdir("/s/x", 0755);
	h_mkdir("/s/y", 0755);
	h_mount(ht, NULL, "/s", NULL, MS_SHARED);
	h_mount(ht, "/s", "/pr", NULL, MS_BIND);
	h_mount(ht, NULL, "/pr", NULL, MS_PRIVATE);
	h_tmpfs(ht, "/s/x");
	ck_assert_uint_eq(t_dev(ht, "/pr/x"), t_dev(ht, "/pr"));
	h_tmpfs(ht, "/pr/y");
	ck_assert_uint_eq(t_dev(ht, "/s/y"), t_dev(ht, "/s"));
	/* a private mount made slave has no master: still neither */
	h_mount(ht, NULL, "/pr", NULL, MS_SLAVE);
	h_umount(ht, "/s/x");
	h_tmpfs(ht, "/s/x");
	ck_assert_uint_eq(t_dev(ht, "/pr/x"), t_dev(ht, "/pr"));
	h_umount(ht, "/s/x");
	h_umount(ht, "/pr/y");
	h_umount(ht, "/pr");
	h_umount(ht, "/s");
}
END_TEST

START_TEST(test_bind_of_shared_into_private_parent)
{
	/* a bind of a shared mount is its peer wherever it lands */
	h_mkdir("/s", 0755);
	h_mkdir("/p", 0755);
	h_tmpfs(ht, "/s");
	h_mkdir("/s/x", 0755);
	h_mount(ht, NULL, "/s", NULL, MS_SHARED);
	h_tmpfs(ht, "/p");
	h_mkdir("/p/b", 0755);
	h_mount(ht, "/s", "/p/b", NULL, MS_BIND);
	h_tmpfs(ht, "/s/x");
	ck_assert_uint_eq(t_dev(ht, "/p/b/x"), t_dev(ht, "/s/x"));
	/* a lazy unmount of the peer's parent unmounts the tree under it,
	 * and that unmount of /p/b/x propagates back to /s/x */
	ck_assert_int_eq(vfs_umount2(ht, "/p", MNT_DETACH), 0);
	ck_assert_uint_eq(t_dev(ht, "/s/x"), t_dev(ht, "/s"));
	ck_assert_errno(vfs_umount2(ht, "/s/x", 0), EINVAL);
	h_umount(ht, "/s");
}
END_TEST

START_TEST(test_rec_changes_submounts)
{
	h_mkdir("/t", 0755);
	h_mkdir("/z", 0755);
	h_mkdir("/z2", 0755);
	h_tmpfs(ht, "/t");
	h_mkdir("/t/a", 0755);
	h_tmpfs(ht, "/t/a");
	h_mkdir("/t/a/q", 0755);
	/* without MS_REC only /t changes: /t/a stays private */
	h_mount(ht, NULL, "/t", NULL, MS_SHARED);
	h_mount(ht, "/t/a", "/z", NULL, MS_BIND);
	h_tmpfs(ht, "/t/a/q");
	ck_assert_uint_eq(t_dev(ht, "/z/q"), t_dev(ht, "/z"));
	h_umount(ht, "/t/a/q");
	/* with it, every mount below becomes shared */
	h_mount(ht, NULL, "/t", NULL, MS_REC | MS_SHARED);
	h_mount(ht, "/t/a", "/z2", NULL, MS_BIND);
	h_tmpfs(ht, "/t/a/q");
	ck_assert_uint_eq(t_dev(ht, "/z2/q"), t_dev(ht, "/t/a/q"));
	ck_assert_uint_eq(t_dev(ht, "/z/q"), t_dev(ht, "/z"));
	/* and MS_REC|MS_PRIVATE undoes it */
	h_umount(ht, "/t/a/q");
	h_mount(ht, NULL, "/t", NULL, MS_REC | MS_PRIVATE);
	h_tmpfs(ht, "/t/a/q");
	ck_assert_uint_eq(t_dev(ht, "/z2/q"), t_dev(ht, "/z2"));
	h_umount(ht, "/t/a/q");
	h_umount(ht, "/z2");
	h_umount(ht, "/z");
	h_umount(ht, "/t/a");
	h_umount(ht, "/t");
}
END_TEST

START_TEST(test_unbindable)
{
	h_mkdir("/u", 0755);
	h_mkdir("/v", 0755);
	h_mkdir("/t", 0755);
	h_mkdir("/w", 0755);
	h_tmpfs(ht, "/u");
	h_mount(ht, NULL, "/u", NULL, MS_UNBINDABLE);
	ck_assert_errno(vfs_mount(ht, "/u", "/v", NULL, MS_BIND, NULL),
			EINVAL);
	ck_assert_errno(vfs_mount(ht, "/u", "/v", NULL, MS_BIND | MS_REC,
				  NULL), EINVAL);
	/* it can still be moved */
	h_mount(ht, "/u", "/v", NULL, MS_MOVE);
	h_umount(ht, "/v");
	/* a recursive bind leaves an unbindable submount out */
	h_tmpfs(ht, "/t");
	h_mkdir("/t/u", 0755);
	h_mkdir("/t/k", 0755);
	h_tmpfs(ht, "/t/u");
	h_tmpfs(ht, "/t/k");
	h_write_file("/t/u/f", "");
	h_write_file("/t/k/f", "");
	h_mount(ht, NULL, "/t/u", NULL, MS_UNBINDABLE);
	h_mount(ht, "/t", "/w", NULL, MS_BIND | MS_REC);
	ck_assert_errno(h_lstat_ret("/w/u/f"), ENOENT);
	ck_assert_int_eq(h_lstat_ret("/w/k/f"), 0);
	/* and MS_PRIVATE makes it bindable again */
	h_mount(ht, NULL, "/t/u", NULL, MS_PRIVATE);
	h_mount(ht, "/t/u", "/v", NULL, MS_BIND);
	ck_assert_int_eq(h_lstat_ret("/v/f"), 0);
	h_umount(ht, "/v");
	h_umount(ht, "/w/k");
	h_umount(ht, "/w");
	h_umount(ht, "/t/k");
	h_umount(ht, "/t/u");
	h_umount(ht, "/t");
}
END_TEST

/* --- core: chroot ------------------------------------------------------ */

START_TEST(test_chroot_confines_dotdot_and_symlinks)
{
	struct stat st, jroot;

	h_mkdir("/jail", 0755);
	h_mkdir("/jail/d", 0755);
	h_mkdir("/jail/m", 0755);
	h_write_file("/secret", "");
	h_write_file("/jail/inside", "");
	ck_assert_int_eq(vfs_symlinkat(ht, "/../../secret", AT_FDCWD,
				       "/jail/abs"), 0);
	ck_assert_int_eq(vfs_symlinkat(ht, "../../../..", AT_FDCWD,
				       "/jail/d/up"), 0);
	ck_assert_int_eq(vfs_symlinkat(ht, "/", AT_FDCWD, "/jail/root"), 0);
	h_tmpfs(ht, "/jail/m");
	h_stat("/jail", &jroot);
	ck_assert_int_eq(vfs_chroot(ht, "/jail"), 0);
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	h_stat("/..", &st);
	ck_assert_uint_eq(st.st_ino, jroot.st_ino);
	ck_assert_int_eq(h_lstat_ret("/abs"), 0);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "/abs", &st, 0), ENOENT);
	ck_assert_errno(h_lstat_ret("../../secret"), ENOENT);
	ck_assert_int_eq(h_lstat_ret("/d/up/inside"), 0);
	ck_assert_int_eq(h_lstat_ret("/root/inside"), 0);
	/* `..` out of a mount inside the jail stays inside too */
	ck_assert_int_eq(vfs_chdir(ht, "/m/../../.."), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	ck_assert_int_eq(h_lstat_ret("inside"), 0);
	/* renaming the jail from outside does not open it */
	struct vfs_task *out = root_task();
	ck_assert_int_eq(vfs_renameat2(out, AT_FDCWD, "/jail", AT_FDCWD,
				       "/jail2", 0), 0);
	ck_assert_int_eq(vfs_chdir(ht, "/d/../.."), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	ck_assert_errno(h_lstat_ret("/secret"), ENOENT);
	ck_assert_int_eq(h_lstat_ret("/inside"), 0);
	ck_assert_int_eq(vfs_umount2(out, "/jail2/m", 0), 0);
	vfs_task_destroy(out);
}
END_TEST

START_TEST(test_chroot_into_subdir_bind)
{
	struct stat st, r;

	h_mkdir("/src", 0755);
	h_mkdir("/src/sub", 0755);
	h_mkdir("/src/sub/in", 0755);
	h_write_file("/src/outside", "");
	h_mkdir("/b", 0755);
	h_mount(ht, "/src/sub", "/b", NULL, MS_BIND);
	ck_assert_int_eq(vfs_chroot(ht, "/b"), 0);
	ck_assert_int_eq(vfs_chdir(ht, "/in/../../.."), 0);
	ck_assert_str_eq(h_getcwd(), "/");
	h_stat("/", &r);
	h_stat("/..", &st);
	ck_assert_uint_eq(st.st_ino, r.st_ino);
	ck_assert_errno(h_lstat_ret("/../outside"), ENOENT);
	ck_assert_int_eq(h_lstat_ret("/in"), 0);
	/* the chroot pins the bind */
	struct vfs_task *out = root_task();
	ck_assert_errno(vfs_umount2(out, "/b", 0), EBUSY);
	vfs_task_destroy(out);
}
END_TEST

/* --- core: pivot_root -------------------------------------------------- */

START_TEST(test_pivot_root_swaps_roots)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	dev_t newdev;

	h_mkdir("/new", 0755);
	h_mkdir("/a", 0755);
	h_write_file("/marker", "");
	h_tmpfs(ht, "/new");
	h_mkdir("/new/old", 0755);
	h_write_file("/new/inside", "");
	newdev = t_dev(ht, "/new");
	int fd = h_open("/marker", O_RDONLY);
	ck_assert_int_eq(vfs_chdir(u, "/a"), 0);
	ck_assert_int_eq(vfs_pivot_root(ht, "/new", "/new/old"), 0);
	/* root and cwd at the old root move to the new one, for every task
	 * of the namespace; a cwd elsewhere stays where it was */
	ck_assert_str_eq(h_getcwd(), "/");
	ck_assert_uint_eq(t_dev(ht, "/"), newdev);
	ck_assert_uint_eq(t_dev(ht, "."), newdev);
	ck_assert_int_eq(h_lstat_ret("/inside"), 0);
	ck_assert_int_eq(h_lstat_ret("/old/marker"), 0);
	ck_assert_str_eq(t_getcwd(u), "/old/a");
	ck_assert_int_eq(t_lstat_ret(u, "/inside"), 0);
	ck_assert_str_eq(h_fd_path(fd), "/old/marker");
	/* the old root hangs at put_old; `..` from the new root stays */
	ck_assert_uint_eq(t_dev(ht, "/.."), newdev);
	ck_assert_uint_ne(t_dev(ht, "/old"), newdev);
	ck_assert_int_eq(h_lstat_ret("/old/new"), 0);
	ck_assert_errno(h_lstat_ret("/old/new/inside"), ENOENT);
	/* pinned by the fd and u's cwd, and lazily unmountable */
	ck_assert_errno(vfs_umount2(ht, "/old", 0), EBUSY);
	ck_assert_int_eq(vfs_umount2(ht, "/old", MNT_DETACH), 0);
	ck_assert_errno(h_lstat_ret("/old/marker"), ENOENT);
	ck_assert_str_eq(h_fd_path(fd), "/marker");
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/old", AT_REMOVEDIR), 0);
}
END_TEST

START_TEST(test_pivot_root_cwd_in_new_root)
{
	h_mkdir("/new", 0755);
	h_tmpfs(ht, "/new");
	h_mkdir("/new/d", 0755);
	h_mkdir("/new/d/old", 0755);
	ck_assert_int_eq(vfs_chdir(ht, "/new/d"), 0);
	/* relative paths, put_old deeper than new_root's top */
	ck_assert_int_eq(vfs_pivot_root(ht, "..", "old"), 0);
	ck_assert_str_eq(h_getcwd(), "/d");
	ck_assert_int_eq(h_lstat_ret("/d/old/new"), 0);
	ck_assert_int_eq(vfs_umount2(ht, "/d/old", MNT_DETACH), 0);
}
END_TEST

START_TEST(test_pivot_root_twice)
{
	h_mkdir("/n1", 0755);
	h_tmpfs(ht, "/n1");
	h_mkdir("/n1/o", 0755);
	h_mkdir("/n1/n2", 0755);
	h_tmpfs(ht, "/n1/n2");
	h_mkdir("/n1/n2/o", 0755);
	h_write_file("/n1/n2/two", "");
	ck_assert_int_eq(vfs_pivot_root(ht, "/n1", "/n1/o"), 0);
	ck_assert_int_eq(vfs_pivot_root(ht, "/n2", "/n2/o"), 0);
	ck_assert_int_eq(h_lstat_ret("/two"), 0);
	ck_assert_int_eq(h_lstat_ret("/o/o/n1"), 0);
	ck_assert_int_eq(vfs_umount2(ht, "/o", MNT_DETACH), 0);
	ck_assert_errno(h_lstat_ret("/o/o"), ENOENT);
}
END_TEST

/* --- errors ------------------------------------------------------------ */

START_TEST(test_propagation_errors)
{
	h_mkdir("/d", 0755);
	h_mkdir("/m", 0755);
	h_tmpfs(ht, "/m");
	/* only one propagation type at a time */
	ck_assert_errno(vfs_mount(ht, NULL, "/m", NULL,
				  MS_SHARED | MS_PRIVATE, NULL), EINVAL);
	ck_assert_errno(vfs_mount(ht, NULL, "/m", NULL,
				  MS_SLAVE | MS_UNBINDABLE | MS_REC, NULL),
			EINVAL);
	/* only on a mount's root */
	ck_assert_errno(vfs_mount(ht, NULL, "/d", NULL, MS_SHARED, NULL),
			EINVAL);
	ck_assert_errno(vfs_mount(ht, NULL, "/nonex", NULL, MS_SHARED, NULL),
			ENOENT);
	/* and only with CAP_SYS_ADMIN */
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	ck_assert_errno(vfs_mount(u, NULL, "/m", NULL, MS_SHARED, NULL),
			EPERM);
	ck_assert_errno(vfs_mount(u, NULL, "/", NULL, MS_REC | MS_PRIVATE,
				  NULL), EPERM);
	h_umount(ht, "/m");
}
END_TEST

START_TEST(test_unshare_errors)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);

	ck_assert_errno(vfs_unshare(u, CLONE_NEWNS), EPERM);
	/* the fs and fd parts alone need no privilege */
	ck_assert_int_eq(vfs_unshare(u, CLONE_FS | CLONE_FILES), 0);
	/* a flag unshare(2) does not know */
	ck_assert_errno(vfs_unshare(ht, CLONE_PTRACE | CLONE_NEWNS), EINVAL);
	ck_assert_errno(vfs_unshare(ht, CLONE_VFORK), EINVAL);
}
END_TEST

START_TEST(test_pivot_root_errors)
{
	h_mkdir("/new", 0755);
	h_mkdir("/plain", 0755);
	h_mkdir("/plain/old", 0755);
	h_mkdir("/elsewhere", 0755);
	h_write_file("/file", "");
	h_tmpfs(ht, "/new");
	h_mkdir("/new/old", 0755);
	h_mkdir("/new/sub", 0755);
	h_mkdir("/new/sub/old", 0755);
	h_write_file("/new/f", "");

	ck_assert_errno(vfs_pivot_root(ht, "/nonex", "/new/old"), ENOENT);
	ck_assert_errno(vfs_pivot_root(ht, "/new", "/new/nonex"), ENOENT);
	ck_assert_errno(vfs_pivot_root(ht, "/file", "/new/old"), ENOTDIR);
	ck_assert_errno(vfs_pivot_root(ht, "/new", "/new/f"), ENOTDIR);
	/* new_root is the current root, or put_old is in the root mount */
	ck_assert_errno(vfs_pivot_root(ht, "/", "/new/old"), EBUSY);
	ck_assert_errno(vfs_pivot_root(ht, "/plain", "/plain/old"), EBUSY);
	/* new_root is not a mountpoint */
	ck_assert_errno(vfs_pivot_root(ht, "/new/sub", "/new/sub/old"),
			EINVAL);
	/* put_old is not under new_root */
	ck_assert_errno(vfs_pivot_root(ht, "/new", "/elsewhere"), EBUSY);
	h_mkdir("/elsewhere2", 0755);
	h_tmpfs(ht, "/elsewhere2");
	ck_assert_errno(vfs_pivot_root(ht, "/new", "/elsewhere2"), EINVAL);
	h_umount(ht, "/elsewhere2");
	/* new_root's own root was removed */
	h_mkdir("/gone", 0755);
	h_mkdir("/nr", 0755);
	h_mount(ht, "/gone", "/nr", NULL, MS_BIND);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/gone", AT_REMOVEDIR), 0);
	ck_assert_errno(vfs_pivot_root(ht, "/nr", "/new/old"), ENOENT);
	h_umount(ht, "/nr");
	/* without CAP_SYS_ADMIN */
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	ck_assert_errno(vfs_pivot_root(u, "/new", "/new/old"), EPERM);
	/* nothing moved */
	ck_assert_int_eq(h_lstat_ret("/new/f"), 0);
	ck_assert_int_eq(h_lstat_ret("/file"), 0);
	h_umount(ht, "/new");
}
END_TEST

START_TEST(test_pivot_root_shared_einval)
{
	h_mkdir("/new", 0755);
	h_tmpfs(ht, "/new");
	h_mkdir("/new/old", 0755);
	/* put_old's mount (here new_root's) shared */
	h_mount(ht, NULL, "/new", NULL, MS_SHARED);
	ck_assert_errno(vfs_pivot_root(ht, "/new", "/new/old"), EINVAL);
	h_mount(ht, NULL, "/new", NULL, MS_PRIVATE);
	/* new_root's parent mount (the current root) shared */
	h_mount(ht, NULL, "/", NULL, MS_SHARED);
	ck_assert_errno(vfs_pivot_root(ht, "/new", "/new/old"), EINVAL);
	h_mount(ht, NULL, "/", NULL, MS_PRIVATE);
	ck_assert_int_eq(vfs_pivot_root(ht, "/new", "/new/old"), 0);
	ck_assert_int_eq(vfs_umount2(ht, "/old", MNT_DETACH), 0);
}
END_TEST

START_TEST(test_pivot_root_chrooted_einval)
{
	h_mkdir("/jail", 0755);
	h_mkdir("/jail/new", 0755);
	h_tmpfs(ht, "/jail/new");
	h_mkdir("/jail/new/old", 0755);
	/* the caller's root must be the root of a mount */
	ck_assert_int_eq(vfs_chroot(ht, "/jail"), 0);
	ck_assert_errno(vfs_pivot_root(ht, "/new", "/new/old"), EINVAL);
	ck_assert_int_eq(vfs_umount2(ht, "/new", 0), 0);
}
END_TEST

/*
 * Linux 3.18+: a directory that is a mountpoint only in another
 * namespace can be removed (the mount there goes with it, lazily); in
 * the caller's own namespace it is EBUSY.  Checked with unshare -m.
 */
START_TEST(test_remove_mountpoint_of_other_namespace)
{
	struct vfs_task *other;
	struct stat st;

	h_mkdir("/d", 0755);
	h_mkdir("/e", 0755);
	ck_assert_int_eq(vfs_task_fork(ht, 0, &other), 0);
	ck_assert_int_eq(vfs_unshare(other, CLONE_NEWNS), 0);
	ck_assert_int_eq(vfs_mount(other, "none", "/d", "tmpfs", 0, NULL), 0);
	ck_assert_int_eq(vfs_mkdirat(other, AT_FDCWD, "/d/inner", 0755), 0);
	ck_assert_int_eq(vfs_mount(ht, "none", "/e", "tmpfs", 0, NULL), 0);

	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/e", AT_REMOVEDIR), EBUSY);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d", AT_REMOVEDIR), 0);
	/* Gone from the other namespace too, mount and all. */
	ck_assert_errno(vfs_newfstatat(other, AT_FDCWD, "/d", &st, 0), ENOENT);
	ck_assert_errno(vfs_newfstatat(other, AT_FDCWD, "/d/inner", &st, 0),
			ENOENT);
	ck_assert_int_eq(vfs_umount2(ht, "/e", 0), 0);
	vfs_task_destroy(other);
}
END_TEST

/* A mountpoint removed from under another namespace takes its mounts
 * without propagation (__detach_mounts()): a peer bound elsewhere keeps
 * the submount it received. */
START_TEST(test_remove_mountpoint_does_not_propagate)
{
	struct vfs_task *other;

	h_mkdir("/x", 0755);
	h_mkdir("/x/d", 0755);
	h_mkdir("/y", 0755);
	other = fork_task();
	ck_assert_int_eq(vfs_unshare(other, CLONE_NEWNS), 0);
	h_tmpfs(other, "/x/d");
	h_mount(other, NULL, "/x/d", NULL, MS_SHARED);
	h_mount(other, "/x/d", "/y", NULL, MS_BIND);
	ck_assert_int_eq(vfs_mkdirat(other, AT_FDCWD, "/x/d/sub", 0755), 0);
	h_tmpfs(other, "/x/d/sub");
	ck_assert_uint_ne(t_dev(other, "/y/sub"), t_dev(other, "/y"));

	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/x/d", AT_REMOVEDIR), 0);
	ck_assert_int_eq(t_lstat_ret(other, "/x/d"), -ENOENT);
	ck_assert_uint_ne(t_dev(other, "/y"), t_dev(other, "/"));
	ck_assert_uint_ne(t_dev(other, "/y/sub"), t_dev(other, "/y"));
	vfs_task_destroy(other);
}
END_TEST

/*
 * Binds of a shared root stacked on itself, then a lazy unmount of the
 * top: the propagated copy tucked underneath goes with it, once (Linux
 * 6.18 returns 0 for each call; the sequence once freed a mount twice).
 */
START_TEST(test_lazy_umount_of_tucked_stack)
{
	struct stat st;

	h_mkdir("/p", 0755);
	ck_assert_int_eq(vfs_mount(ht, "none", "/p", "tmpfs", 0, "mode=700"), 0);
	ck_assert_int_eq(vfs_mount(ht, NULL, "/", NULL, MS_REC | MS_SHARED,
				   NULL), 0);
	ck_assert_int_eq(vfs_mount(ht, "/", "/", NULL, MS_BIND, NULL), 0);
	ck_assert_int_eq(vfs_mount(ht, "/", "/", NULL, MS_BIND | MS_MOVE, NULL),
			 0);
	ck_assert_int_eq(vfs_mount(ht, "/", "/", NULL, MS_BIND, NULL), 0);
	ck_assert_int_eq(vfs_umount2(ht, "/", MNT_DETACH), 0);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "/p", &st, 0), 0);
}
END_TEST

/* --- propagation: tree shapes checked against the kernel's ------------- */

/*
 * The shape diff_kernel --mounts compares: ht's root becomes a tmpfs on
 * the namespace's base mount (as a pivot_root'ed root sits on rootfs),
 * with proc at /proc; returns an O_PATH fd on it for mount_shape().
 */
static int shape_setup(void)
{
	int pfd;

	h_mkdir("/d", 0755);
	h_tmpfs(ht, "/");
	ck_assert_int_eq(vfs_chdir(ht, "/d/.."), 0);
	ck_assert_int_eq(vfs_chroot(ht, "."), 0);
	ck_assert_int_eq(vfs_mkdirat(ht, AT_FDCWD, "/proc", 0555), 0);
	h_mount(ht, "proc", "/proc", "proc", 0);
	pfd = vfs_openat(ht, AT_FDCWD, "/proc", O_PATH | O_DIRECTORY, 0);
	ck_assert_int_ge(pfd, 0);
	return pfd;
}

/* mountinfo as "self<parent root mountpoint type [propagation]" lines:
 * mounts named A, B, ... in listing order ('-' for a parent not listed),
 * peer groups g1, g2, ... in order of first mention. */
static const char *mount_shape(int pfd)
{
	static char text[8192], shape[4096];
	char ids[26][16], groups[26][16], *line, *save = NULL;
	int fd, n = 0, ngroups = 0;
	ssize_t len;
	size_t used = 0;

	fd = vfs_openat(ht, pfd, "self/mountinfo", O_RDONLY, 0);
	ck_assert_int_ge(fd, 0);
	len = vfs_read(ht, fd, text, sizeof(text) - 1);
	ck_assert_int_gt(len, 0);
	vfs_close(ht, fd);
	text[len] = '\0';
	for (char *l = text; *l;) {
		ck_assert_int_lt(n, 26);
		sscanf(l, "%15s", ids[n++]);
		l = strchrnul(l, '\n');
		l += *l != '\0';
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char id[16], parent[16], root[256], mp[256], type[32];
		char self = '?', par = '-', *opt, *osave = NULL;
		char *dash = strstr(line, " - ");
		int skip = 0;

		ck_assert_ptr_nonnull(dash);
		ck_assert_int_eq(sscanf(line, "%15s %15s %*s %255s %255s %*s %n",
					id, parent, root, mp, &skip), 4);
		ck_assert_int_eq(sscanf(dash, " - %31s", type), 1);
		for (int i = 0; i < n; i++) {
			if (!strcmp(ids[i], id))
				self = (char)('A' + i);
			if (!strcmp(ids[i], parent))
				par = (char)('A' + i);
		}
		used += (size_t)snprintf(shape + used, sizeof(shape) - used,
					 "%c<%c %s %s %s", self, par, root, mp,
					 type);
		/* the optional fields (shared:N, master:N, unbindable), if
		 * any, before the " - " */
		opt = line + skip < dash ? line + skip : dash;
		*dash = '\0';
		for (opt = strtok_r(opt, " ", &osave); opt;
		     opt = strtok_r(NULL, " ", &osave)) {
			char *colon = strchr(opt, ':');
			int g = 0;

			if (colon) {
				*colon = '\0';
				while (g < ngroups && strcmp(groups[g], colon + 1))
					g++;
				ck_assert_int_lt(g, 26);
				if (g == ngroups)
					snprintf(groups[ngroups++], 16, "%s",
						 colon + 1);
				used += (size_t)snprintf(shape + used,
					sizeof(shape) - used, " %s:g%d", opt,
					g + 1);
			} else {
				used += (size_t)snprintf(shape + used,
					sizeof(shape) - used, " %s", opt);
			}
		}
		used += (size_t)snprintf(shape + used, sizeof(shape) - used,
					 "\n");
		ck_assert_uint_lt(used, sizeof(shape));
	}
	return shape;
}

/* A lazy umount takes the copies propagation made of it, down a stack
 * of mounts tucked on one another's roots; the overmount that stays
 * slides to where the bottom of the stack was (propagate_umount() of
 * Linux 6.16+, reparent()). */
START_TEST(test_lazy_umount_slides_overmount)
{
	int pfd = shape_setup();

	h_mount(ht, NULL, "/", NULL, MS_SHARED);
	h_mount(ht, "/", ".", NULL, MS_BIND);
	h_mkdir("/b", 0700);
	ck_assert_int_eq(vfs_chdir(ht, "b"), 0);
	ck_assert_int_eq(vfs_symlinkat(ht, "/", AT_FDCWD, "a"), 0);
	h_mount(ht, "/b", "..", NULL, MS_BIND | MS_REC);
	ck_assert_int_eq(vfs_mount(ht, "t1", "/b", "tmpfs",
				   MS_RDONLY | MS_NOATIME, "nr_inodes=50"), 0);
	h_umount(ht, "/");
	h_mount(ht, "../", "../a", NULL, MS_BIND);
	ck_assert_int_eq(vfs_umount2(ht, "..", MNT_DETACH), 0);
	ck_assert_str_eq(mount_shape(pfd),
			 "A<- / / tmpfs shared:g1\n"
			 "B<A / /proc proc\n"
			 "C<D /b / tmpfs shared:g1\n"
			 "D<A /b / tmpfs shared:g1\n");
	ck_assert_str_eq(t_getcwd(ht), "/b");
}
END_TEST

/* A propagated copy lands on a mountpoint already covered: what was
 * there is tucked on the top of the copy's own stack of overmounts
 * (attach_recursive_mnt() with topmost_overmount()). */
START_TEST(test_propagated_copy_tucks_under_topmost)
{
	int pfd = shape_setup();

	h_mount(ht, "", "/", NULL, MS_SHARED);
	h_mount(ht, "/", ".", NULL, MS_BIND);
	ck_assert_int_eq(vfs_chdir(ht, "/proc"), 0);
	h_mount(ht, "..", "./.", NULL, MS_BIND);
	h_mount(ht, ".", "/proc", NULL, MS_BIND | MS_REC);
	ck_assert_str_eq(mount_shape(pfd),
			 "A<- / / tmpfs shared:g1\n"
			 "B<A / /proc proc\n"
			 "C<H / / tmpfs shared:g1\n"
			 "D<B / /proc tmpfs shared:g1\n"
			 "E<D / /proc proc shared:g2\n"
			 "F<E / /proc tmpfs shared:g1\n"
			 "G<A / / proc shared:g2\n"
			 "H<G / / tmpfs shared:g1\n"
			 "I<C / / proc shared:g2\n"
			 "J<I / / tmpfs shared:g1\n");
}
END_TEST

/* Copies for slave peer groups are made in Linux 6.18's order
 * (propagate_mnt(): next_group() depth first, find_master()), which the
 * listing order of later copies shows. */
START_TEST(test_propagation_to_slave_groups_order)
{
	int pfd = shape_setup();

	h_mount(ht, NULL, ".", NULL, MS_REC | MS_SHARED);
	h_mount(ht, "/", "/", NULL, MS_BIND);
	h_mount(ht, NULL, ".", NULL, MS_SLAVE);
	h_mount(ht, "..", ".", NULL, MS_BIND);
	ck_assert_int_eq(vfs_mount(ht, "none", "/", "tmpfs", 0, "mode=700"),
			 0);
	h_mount(ht, ".", "/", NULL, MS_BIND);
	ck_assert_str_eq(mount_shape(pfd),
			 "A<- / / tmpfs master:g1\n"
			 "B<A / /proc proc shared:g2\n"
			 "C<M / / tmpfs shared:g1\n"
			 "D<K / / tmpfs shared:g1\n"
			 "E<L / / tmpfs master:g1\n"
			 "F<D / / tmpfs shared:g3\n"
			 "G<C / / tmpfs shared:g3\n"
			 "H<E / / tmpfs master:g3\n"
			 "I<A / / tmpfs master:g3\n"
			 "J<F / / tmpfs shared:g4 master:g1\n"
			 "K<G / / tmpfs shared:g4 master:g1\n"
			 "L<I / / tmpfs master:g4\n"
			 "M<H / / tmpfs master:g4\n");
}
END_TEST

/* Moving a slave onto a mount of its master's group: it gets a group of
 * its own, but is not shared yet when the propagation of its own move
 * copies it onto itself, so that copy is a plain slave. */
START_TEST(test_move_slave_onto_its_master_group)
{
	int pfd = shape_setup();

	ck_assert_int_eq(vfs_mkdirat(ht, AT_FDCWD, "/c", 0), 0);
	ck_assert_int_eq(vfs_mount(ht, "t2", "/c", "tmpfs",
				   MS_NOEXEC | MS_NODIRATIME, "mode=700"), 0);
	h_mount(ht, NULL, "/c", NULL, MS_SHARED);
	h_mount(ht, "/c", "/", NULL, MS_BIND);
	h_mount(ht, NULL, "/c", NULL, MS_SLAVE);
	h_mount(ht, "/c", "/", NULL, MS_MOVE);
	ck_assert_str_eq(mount_shape(pfd),
			 "A<- / / tmpfs\n"
			 "B<A / /proc proc\n"
			 "C<D / / tmpfs shared:g1 master:g2\n"
			 "D<A / / tmpfs shared:g2\n"
			 "E<C / / tmpfs master:g1\n");
}
END_TEST

static Suite *namespace_suite(void)
{
	Suite *s = suite_create("namespace");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_lazy_umount_of_tucked_stack);
	tcase_add_test(tc, test_lazy_umount_slides_overmount);
	tcase_add_test(tc, test_propagated_copy_tucks_under_topmost);
	tcase_add_test(tc, test_propagation_to_slave_groups_order);
	tcase_add_test(tc, test_move_slave_onto_its_master_group);
	tcase_add_test(tc, test_remove_mountpoint_of_other_namespace);
	tcase_add_test(tc, test_remove_mountpoint_does_not_propagate);
	tcase_add_test(tc, test_unshare_copies_the_tree);
	tcase_add_test(tc, test_unshare_moves_cwd_and_root);
	tcase_add_test(tc, test_unshare_open_fds_keep_working);
	tcase_add_test(tc, test_unshare_with_shared_fs_context);
	tcase_add_test(tc, test_unshare_fs_and_files);
	tcase_add_test(tc, test_shared_peers_by_bind);
	tcase_add_test(tc, test_shared_propagates_binds);
	tcase_add_test(tc, test_shared_into_unshared_namespace);
	tcase_add_test(tc, test_slave_receives_but_does_not_send);
	tcase_add_test(tc, test_slave_in_unshared_namespace);
	tcase_add_test(tc, test_private_neither);
	tcase_add_test(tc, test_bind_of_shared_into_private_parent);
	tcase_add_test(tc, test_rec_changes_submounts);
	tcase_add_test(tc, test_unbindable);
	tcase_add_test(tc, test_chroot_confines_dotdot_and_symlinks);
	tcase_add_test(tc, test_chroot_into_subdir_bind);
	tcase_add_test(tc, test_pivot_root_swaps_roots);
	tcase_add_test(tc, test_pivot_root_cwd_in_new_root);
	tcase_add_test(tc, test_pivot_root_twice);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_propagation_errors);
	tcase_add_test(tc, test_unshare_errors);
	tcase_add_test(tc, test_pivot_root_errors);
	tcase_add_test(tc, test_pivot_root_shared_einval);
	tcase_add_test(tc, test_pivot_root_chrooted_einval);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(namespace_suite)
