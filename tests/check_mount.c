// SPDX-License-Identifier: MIT
/*
 * mount(2) and umount2(2) within one namespace: bind mounts of directories
 * and of single files, recursive binds, stacking, MS_MOVE, read-only binds
 * and superblock remounts, the noexec/nodev/nosuid per-mount flags,
 * permission and argument errors, EXDEV/EBUSY around mountpoints, every
 * umount2 mode (plain, MNT_DETACH, UMOUNT_NOFOLLOW, MNT_EXPIRE), `..`
 * across mount roots and the views a filesystem gives through its several
 * mounts.  Every expected value was checked on Linux 6.18 on tmpfs, in a
 * private mount namespace pivot_root'ed into a fresh tmpfs.
 */
#include "harness.h"

#include <dirent.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

/* statfs f_flags bit "the flags are valid", from <linux/statfs.h>, which
 * glibc's headers do not expose. */
#ifndef ST_VALID
#define ST_VALID 0x0020
#endif

static void h_mount(const char *src, const char *target, const char *fstype,
		    unsigned long flags)
{
	int r = vfs_mount(ht, src, target, fstype, flags, NULL);

	ck_assert_msg(r == 0, "mount %s on %s (%#lx): %d", src ? src : "-",
		      target, flags, r);
}

static void h_umount(const char *target)
{
	int r = vfs_umount2(ht, target, 0);

	ck_assert_msg(r == 0, "umount %s: %d", target, r);
}

static void h_bind(const char *src, const char *target)
{
	h_mount(src, target, NULL, MS_BIND);
}

/* The whole content of @path (at most 63 bytes) as a string. */
static char *h_read_all(const char *path)
{
	static char buf[64];
	int fd = h_open(path, O_RDONLY);
	ssize_t n = vfs_read(ht, fd, buf, sizeof(buf) - 1);

	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	return buf;
}

static int h_creat_ret(const char *path)
{
	int fd = vfs_openat(ht, AT_FDCWD, path, O_WRONLY | O_CREAT, 0644);

	if (fd >= 0)
		ck_assert_int_eq(vfs_close(ht, fd), 0);
	return fd < 0 ? fd : 0;
}

static unsigned long h_statfs_flags(const char *path)
{
	struct statfs sf;

	ck_assert_int_eq(vfs_statfs(ht, path, &sf), 0);
	return (unsigned long)sf.f_flags;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	h_stat(a, &sa);
	h_stat(b, &sb);
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* --- core: bind mounts -------------------------------------------------- */

START_TEST(test_bind_dir_shares_the_tree)
{
	h_mkdir("/src", 0755);
	h_mkdir("/dst", 0755);
	h_write_file("/src/f", "hello");
	h_write_file("/dst/hidden", "");
	h_bind("/src", "/dst");
	ck_assert_str_eq(h_read_all("/dst/f"), "hello");
	ck_assert(same_file("/src/f", "/dst/f"));
	ck_assert(same_file("/src", "/dst"));
	ck_assert_errno(h_lstat_ret("/dst/hidden"), ENOENT);
	/* writes through either mount land in the one tree */
	h_write_file("/dst/g", "via dst");
	ck_assert_str_eq(h_read_all("/src/g"), "via dst");
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/src/f", 0), 0);
	ck_assert_errno(h_lstat_ret("/dst/f"), ENOENT);
	h_umount("/dst");
	ck_assert_int_eq(h_lstat_ret("/dst/hidden"), 0);
	ck_assert_errno(h_lstat_ret("/dst/g"), ENOENT);
	ck_assert_int_eq(h_lstat_ret("/src/g"), 0);
}
END_TEST

START_TEST(test_bind_file_on_file)
{
	h_write_file("/one", "one");
	h_write_file("/two", "two");
	h_bind("/one", "/two");
	ck_assert_str_eq(h_read_all("/two"), "one");
	ck_assert(same_file("/one", "/two"));
	h_write_file("/two", "changed");
	ck_assert_str_eq(h_read_all("/one"), "changed");
	/* the mountpoint is a file: it cannot be removed or renamed */
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/two", 0), EBUSY);
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/two", AT_FDCWD, "/x",
				      0), EBUSY);
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/one", AT_FDCWD, "/two",
				      0), EBUSY);
	h_umount("/two");
	ck_assert_str_eq(h_read_all("/two"), "two");
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/two", 0), 0);
}
END_TEST

START_TEST(test_bind_rdonly_flag_ignored_on_creation)
{
	/* Linux applies no per-mount flags when it creates a bind; only a
	 * later MS_REMOUNT|MS_BIND does. */
	h_mkdir("/d", 0755);
	h_mkdir("/r", 0755);
	h_mount("/d", "/r", NULL, MS_BIND | MS_RDONLY | MS_NOEXEC);
	ck_assert_int_eq(h_creat_ret("/r/f"), 0);
	ck_assert_int_eq(h_statfs_flags("/r") & (ST_RDONLY | ST_NOEXEC), 0);
}
END_TEST

START_TEST(test_bind_plain_leaves_submounts_out)
{
	h_mkdir("/src", 0755);
	h_mkdir("/src/sub", 0755);
	h_mkdir("/dst", 0755);
	h_write_file("/src/sub/under", "");
	h_mount("none", "/src/sub", "tmpfs", 0);
	h_write_file("/src/sub/over", "");
	h_bind("/src", "/dst");
	/* the bind shows the directory the submount covers in the source */
	ck_assert_int_eq(h_lstat_ret("/dst/sub/under"), 0);
	ck_assert_errno(h_lstat_ret("/dst/sub/over"), ENOENT);
	ck_assert_errno(vfs_umount2(ht, "/dst/sub", 0), EINVAL);
	h_umount("/dst");
	h_umount("/src/sub");
}
END_TEST

START_TEST(test_bind_rec_copies_submounts)
{
	struct stat a, b;

	h_mkdir("/src", 0755);
	h_mkdir("/src/sub", 0755);
	h_mkdir("/dst", 0755);
	h_write_file("/src/sub/under", "");
	h_mount("none", "/src/sub", "tmpfs", 0);
	h_write_file("/src/sub/over", "");
	h_mount("/src", "/dst", NULL, MS_BIND | MS_REC);
	ck_assert_int_eq(h_lstat_ret("/dst/sub/over"), 0);
	ck_assert_errno(h_lstat_ret("/dst/sub/under"), ENOENT);
	h_stat("/src/sub", &a);
	h_stat("/dst/sub", &b);
	ck_assert_uint_eq(a.st_dev, b.st_dev);
	ck_assert_uint_eq(a.st_ino, b.st_ino);
	/* the copied submount pins its parent and goes first */
	ck_assert_errno(vfs_umount2(ht, "/dst", 0), EBUSY);
	h_umount("/dst/sub");
	ck_assert_int_eq(h_lstat_ret("/dst/sub/under"), 0);
	h_umount("/dst");
	/* the source's submount was never touched */
	ck_assert_int_eq(h_lstat_ret("/src/sub/over"), 0);
	h_umount("/src/sub");
}
END_TEST

START_TEST(test_stacking_top_wins)
{
	h_mkdir("/m", 0755);
	h_mkdir("/x", 0755);
	h_write_file("/m/dir", "");
	h_write_file("/x/bound", "");
	h_mount("none", "/m", "tmpfs", 0);
	h_write_file("/m/tmpfs", "");
	h_bind("/x", "/m");
	ck_assert_int_eq(h_lstat_ret("/m/bound"), 0);
	ck_assert_errno(h_lstat_ret("/m/tmpfs"), ENOENT);
	ck_assert(same_file("/m", "/x"));
	h_umount("/m");
	ck_assert_int_eq(h_lstat_ret("/m/tmpfs"), 0);
	ck_assert_errno(h_lstat_ret("/m/bound"), ENOENT);
	h_umount("/m");
	ck_assert_int_eq(h_lstat_ret("/m/dir"), 0);
	ck_assert_errno(vfs_umount2(ht, "/m", 0), EINVAL);
}
END_TEST

/* --- core: MS_MOVE ------------------------------------------------------ */

START_TEST(test_move_mount)
{
	struct stat before, after;

	h_mkdir("/a", 0755);
	h_mkdir("/b", 0755);
	h_mount("none", "/a", "tmpfs", 0);
	h_mkdir("/a/d", 0755);
	h_write_file("/a/d/f", "moved");
	h_stat("/a", &before);
	int fd = h_open("/a/d/f", O_RDONLY);
	ck_assert_int_eq(vfs_chdir(ht, "/a/d"), 0);
	h_mount("/a", "/b", NULL, MS_MOVE);
	/* the same mount, now at /b; /a is a plain directory again */
	h_stat("/b", &after);
	ck_assert_uint_eq(after.st_dev, before.st_dev);
	ck_assert_uint_eq(after.st_ino, before.st_ino);
	ck_assert_errno(h_lstat_ret("/a/d"), ENOENT);
	ck_assert_errno(vfs_umount2(ht, "/a", 0), EINVAL);
	ck_assert_str_eq(h_read_all("/b/d/f"), "moved");
	/* paths through it follow the move */
	ck_assert_str_eq(h_fd_path(fd), "/b/d/f");
	ck_assert_str_eq(h_getcwd(), "/b/d");
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	h_umount("/b");
}
END_TEST

START_TEST(test_move_with_submounts)
{
	h_mkdir("/a", 0755);
	h_mkdir("/b", 0755);
	h_mount("none", "/a", "tmpfs", 0);
	h_mkdir("/a/s", 0755);
	h_mount("none", "/a/s", "tmpfs", 0);
	h_write_file("/a/s/f", "");
	h_mount("/a", "/b", NULL, MS_MOVE);
	ck_assert_int_eq(h_lstat_ret("/b/s/f"), 0);
	ck_assert_errno(vfs_umount2(ht, "/b", 0), EBUSY);
	h_umount("/b/s");
	h_umount("/b");
}
END_TEST

/* --- core: per-mount and superblock flags ------------------------------- */

START_TEST(test_remount_bind_readonly)
{
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct stat st;

	h_mkdir("/d", 0755);
	h_mkdir("/d/sub", 0755);
	h_mkdir("/r", 0755);
	h_write_file("/d/f", "data");
	h_bind("/d", "/r");
	h_mount(NULL, "/r", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY);

	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/r/new", O_CREAT | O_WRONLY,
				   0644), EROFS);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/r/f", O_WRONLY, 0), EROFS);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/r/f", O_RDWR, 0), EROFS);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "/r/nd", 0755), EROFS);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/r/f", 0), EROFS);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/r/sub", AT_REMOVEDIR),
			EROFS);
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/r/f", AT_FDCWD, "/r/g",
				      0), EROFS);
	ck_assert_errno(vfs_fchmodat(ht, AT_FDCWD, "/r/f", 0600, 0), EROFS);
	ck_assert_errno(vfs_fchownat(ht, AT_FDCWD, "/r/f", 1, 1, 0), EROFS);
	ck_assert_errno(vfs_utimensat(ht, AT_FDCWD, "/r/f", ts, 0), EROFS);
	ck_assert_errno(vfs_truncate(ht, "/r/f", 0), EROFS);
	ck_assert_errno(vfs_symlinkat(ht, "f", AT_FDCWD, "/r/l"), EROFS);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "/r/f", AT_FDCWD, "/r/l", 0),
			EROFS);
	ck_assert_errno(vfs_mknodat(ht, AT_FDCWD, "/r/p", S_IFIFO | 0644, 0),
			EROFS);
	ck_assert_errno(vfs_faccessat2(ht, AT_FDCWD, "/r/f", W_OK, 0), EROFS);
	ck_assert_errno(vfs_faccessat2(ht, AT_FDCWD, "/r", W_OK, 0), EROFS);
	ck_assert_int_eq(vfs_faccessat2(ht, AT_FDCWD, "/r/f", R_OK, 0), 0);
	ck_assert(h_statfs_flags("/r") & ST_RDONLY);
	/* truncate asks for write permission before a writable mount
	 * (Linux 6.13+): EACCES wins over EROFS there */
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);

	ck_assert_errno(vfs_truncate(u, "/r/f", 0), EACCES);
	ck_assert_int_eq(vfs_fchmodat(ht, AT_FDCWD, "/d/f", 0666, 0), 0);
	ck_assert_errno(vfs_truncate(u, "/r/f", 0), EROFS);
	/* which error wins: EEXIST before EROFS, EROFS before ENOENT */
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "/r/sub", 0755), EEXIST);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/r/nonex", 0), EROFS);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/r/f", O_RDONLY | O_TRUNC,
				   0), EROFS);
	int cfd = vfs_openat(ht, AT_FDCWD, "/r/f", O_RDONLY | O_CREAT, 0644);
	ck_assert_int_ge(cfd, 0);
	/* calls on an fd check the mount it was opened through */
	ck_assert_errno(vfs_fchmod(ht, cfd, 0600), EROFS);
	ck_assert_errno(vfs_fchown(ht, cfd, 1, 1), EROFS);
	ck_assert_errno(vfs_fsetxattr(ht, cfd, "user.k", "v", 1, 0), EROFS);
	ck_assert_errno(vfs_utimensat(ht, cfd, NULL, NULL, 0), EROFS);
	ck_assert_errno(vfs_setxattr(ht, "/r/f", "user.k", "v", 1, 0), EROFS);
	ck_assert_int_eq(vfs_close(ht, cfd), 0);

	/* reading is fine */
	ck_assert_str_eq(h_read_all("/r/f"), "data");
	h_stat("/r/f", &st);
	ck_assert_int_eq(st.st_size, 4);

	/* the other mount of the same tree still writes */
	ck_assert_int_eq(h_creat_ret("/d/new"), 0);
	ck_assert_int_eq(vfs_truncate(ht, "/d/f", 1), 0);
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/d/f", AT_FDCWD, "/d/g",
				       0), 0);
	ck_assert_int_eq(h_lstat_ret("/r/g"), 0);
	ck_assert_int_eq(h_lstat_ret("/r/new"), 0);
	ck_assert_int_eq(h_statfs_flags("/d") & ST_RDONLY, 0);

	/* and writable again */
	h_mount(NULL, "/r", NULL, MS_REMOUNT | MS_BIND);
	ck_assert_int_eq(h_creat_ret("/r/new2"), 0);
	h_umount("/r");
}
END_TEST

START_TEST(test_remount_bind_readonly_busy_with_writer)
{
	h_mkdir("/d", 0755);
	h_mkdir("/r", 0755);
	h_bind("/d", "/r");
	int fd = vfs_openat(ht, AT_FDCWD, "/r/f", O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_errno(vfs_mount(ht, NULL, "/r", NULL,
				  MS_REMOUNT | MS_BIND | MS_RDONLY, NULL),
			EBUSY);
	/* a writer on another mount of the same tree does not count */
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	fd = vfs_openat(ht, AT_FDCWD, "/d/f", O_WRONLY, 0);
	ck_assert_int_ge(fd, 0);
	h_mount(NULL, "/r", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY);
	ck_assert_int_eq(vfs_write(ht, fd, "x", 1), 1);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	h_umount("/r");
	/* A FIFO open for writing writes nothing to the mount, nor keeps it
	 * writable (do_dentry_open() skips special files); read-only, the
	 * FIFO still carries data. */
	h_bind("/d", "/r");
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/r/p", S_IFIFO | 0644, 0), 0);
	fd = vfs_openat(ht, AT_FDCWD, "/r/p", O_RDWR | O_NONBLOCK, 0);
	ck_assert_int_ge(fd, 0);
	h_mount(NULL, "/r", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY);
	ck_assert_int_eq(vfs_write(ht, fd, "x", 1), 1);
	char c;
	ck_assert_int_eq(vfs_read(ht, fd, &c, 1), 1);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	h_umount("/r");
}
END_TEST

START_TEST(test_remount_superblock_readonly)
{
	h_mkdir("/t", 0755);
	h_mkdir("/t2", 0755);
	h_mount("none", "/t", "tmpfs", 0);
	h_write_file("/t/f", "");
	h_bind("/t", "/t2");
	h_mount(NULL, "/t", NULL, MS_REMOUNT | MS_RDONLY);
	/* read-only for every mount of the filesystem */
	ck_assert_errno(h_creat_ret("/t/g"), EROFS);
	ck_assert_errno(h_creat_ret("/t2/g"), EROFS);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/t2/f", 0), EROFS);
	ck_assert(h_statfs_flags("/t2") & ST_RDONLY);
	/* other filesystems are not affected */
	ck_assert_int_eq(h_creat_ret("/g"), 0);
	/* back to read-write through the mount that made it read-only */
	h_mount(NULL, "/t", NULL, MS_REMOUNT);
	ck_assert_int_eq(h_creat_ret("/t/g"), 0);
	ck_assert_int_eq(h_creat_ret("/t2/h"), 0);
	h_umount("/t2");
	h_umount("/t");
}
END_TEST

START_TEST(test_remount_superblock_busy_with_writer)
{
	h_mkdir("/t", 0755);
	h_mkdir("/t2", 0755);
	h_mount("none", "/t", "tmpfs", 0);
	h_bind("/t", "/t2");
	int fd = vfs_openat(ht, AT_FDCWD, "/t2/f", O_CREAT | O_RDWR, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_errno(vfs_mount(ht, NULL, "/t", NULL,
				  MS_REMOUNT | MS_RDONLY, NULL), EBUSY);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	h_mount(NULL, "/t", NULL, MS_REMOUNT | MS_RDONLY);
	h_umount("/t2");
	h_umount("/t");
}
END_TEST

START_TEST(test_noexec)
{
	h_mkdir("/x", 0755);
	h_mkdir("/nx", 0755);
	h_mount("none", "/x", "tmpfs", 0);
	h_mkdir("/x/dir", 0755);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/x/prog", S_IFREG | 0755,
				     0), 0);
	h_bind("/x", "/nx");
	h_mount(NULL, "/nx", NULL, MS_REMOUNT | MS_BIND | MS_NOEXEC);
	ck_assert_errno(vfs_faccessat2(ht, AT_FDCWD, "/nx/prog", X_OK, 0),
			EACCES);
	ck_assert_errno(vfs_faccessat2(ht, AT_FDCWD, "/nx/prog", X_OK,
				       AT_EACCESS), EACCES);
	/* only regular files: directories stay searchable */
	ck_assert_int_eq(vfs_faccessat2(ht, AT_FDCWD, "/nx/dir", X_OK, 0), 0);
	ck_assert_int_eq(vfs_faccessat2(ht, AT_FDCWD, "/nx/prog", R_OK | W_OK,
					0), 0);
	ck_assert_int_eq(vfs_faccessat2(ht, AT_FDCWD, "/x/prog", X_OK, 0), 0);
	ck_assert(h_statfs_flags("/nx") & ST_NOEXEC);
	ck_assert_int_eq(h_statfs_flags("/x") & ST_NOEXEC, 0);
	h_umount("/nx");
	h_umount("/x");
}
END_TEST

START_TEST(test_nodev)
{
	struct stat st;

	h_mkdir("/nd", 0755);
	h_mount("none", "/nd", "tmpfs", MS_NODEV);
	/* creating device nodes is allowed, opening them is not */
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/nd/null", S_IFCHR | 0666,
				     makedev(1, 3)), 0);
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/nd/blk", S_IFBLK | 0666,
				     makedev(7, 0)), 0);
	h_stat("/nd/null", &st);
	ck_assert_uint_eq(st.st_rdev, makedev(1, 3));
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/nd/null", O_RDONLY, 0),
			EACCES);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/nd/null", O_WRONLY, 0),
			EACCES);
	ck_assert_errno(vfs_openat(ht, AT_FDCWD, "/nd/blk", O_RDONLY, 0),
			EACCES);
	/* O_PATH does not open the device */
	int pfd = vfs_openat(ht, AT_FDCWD, "/nd/null", O_PATH, 0);
	ck_assert_int_ge(pfd, 0);
	ck_assert_int_eq(vfs_close(ht, pfd), 0);
	/* fifos are not devices */
	ck_assert_int_eq(vfs_mknodat(ht, AT_FDCWD, "/nd/fifo", S_IFIFO | 0666,
				     0), 0);
	int ffd = vfs_openat(ht, AT_FDCWD, "/nd/fifo", O_RDWR | O_NONBLOCK, 0);
	ck_assert_int_ge(ffd, 0);
	ck_assert_int_eq(vfs_close(ht, ffd), 0);
	ck_assert(h_statfs_flags("/nd") & ST_NODEV);
	h_umount("/nd");
}
END_TEST

START_TEST(test_statfs_mount_flags)
{
	h_mkdir("/m", 0755);
	/* a fresh mount: ST_VALID and the default relatime only */
	h_mount("none", "/m", "tmpfs", 0);
	ck_assert_uint_eq(h_statfs_flags("/m"), ST_VALID | ST_RELATIME);
	h_umount("/m");
	h_mount("none", "/m", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC |
		MS_NOATIME | MS_NODIRATIME);
	ck_assert_uint_eq(h_statfs_flags("/m"), ST_VALID | ST_NOSUID |
			  ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_NODIRATIME);
	h_umount("/m");
	h_mount("none", "/m", "tmpfs", MS_RDONLY | MS_STRICTATIME);
	ck_assert_uint_eq(h_statfs_flags("/m"), ST_VALID | ST_RDONLY);
	h_umount("/m");
}
END_TEST

START_TEST(test_remount_bind_replaces_flags)
{
	h_mkdir("/m", 0755);
	h_mount("none", "/m", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOATIME);
	/* MS_REMOUNT|MS_BIND sets exactly the flags given, keeping the
	 * atime mode when none is given */
	h_mount(NULL, "/m", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY);
	ck_assert_uint_eq(h_statfs_flags("/m"), ST_VALID | ST_RDONLY |
			  ST_NOATIME);
	h_mount(NULL, "/m", NULL, MS_REMOUNT | MS_BIND | MS_NOSUID |
		MS_STRICTATIME);
	ck_assert_uint_eq(h_statfs_flags("/m"), ST_VALID | ST_NOSUID);
	h_umount("/m");
}
END_TEST

/* Whether @what moved the atime of @path. */
static int atime_moved(const char *path, void (*what)(const char *),
		       const char *arg)
{
	struct stat a, b;

	h_stat(path, &a);
	h_tick();
	what(arg);
	h_stat(path, &b);
	return h_ts_after(b.st_atim, a.st_atim);
}

static void read_file(const char *path)
{
	char buf[8];
	int fd = h_open(path, O_RDONLY);

	ck_assert_int_ge(vfs_read(ht, fd, buf, sizeof(buf)), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}

static void list_dir(const char *path)
{
	char buf[512];
	int fd = h_open(path, O_RDONLY | O_DIRECTORY);

	ck_assert_int_gt(vfs_getdents64(ht, fd, buf, sizeof(buf)), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}

START_TEST(test_atime_mount_flags)
{
	h_mkdir("/m", 0755);
	h_mkdir("/b", 0755);
	/* default (relatime): once after a change, then not again */
	h_mount("none", "/m", "tmpfs", 0);
	h_write_file("/m/f", "abc");
	h_mkdir("/m/d", 0755);
	ck_assert(atime_moved("/m/f", read_file, "/m/f"));
	ck_assert(!atime_moved("/m/f", read_file, "/m/f"));
	ck_assert(atime_moved("/m/d", list_dir, "/m/d"));
	ck_assert(!atime_moved("/m/d", list_dir, "/m/d"));
	h_umount("/m");
	/* strictatime: every access */
	h_mount("none", "/m", "tmpfs", MS_STRICTATIME);
	h_write_file("/m/f", "abc");
	h_mkdir("/m/d", 0755);
	ck_assert(atime_moved("/m/f", read_file, "/m/f"));
	ck_assert(atime_moved("/m/f", read_file, "/m/f"));
	ck_assert(atime_moved("/m/d", list_dir, "/m/d"));
	ck_assert(atime_moved("/m/d", list_dir, "/m/d"));
	/* a noatime bind of it: never through the bind, still through /m */
	h_bind("/m", "/b");
	h_mount(NULL, "/b", NULL, MS_REMOUNT | MS_BIND | MS_NOATIME);
	ck_assert(!atime_moved("/m/f", read_file, "/b/f"));
	ck_assert(!atime_moved("/m/d", list_dir, "/b/d"));
	ck_assert(atime_moved("/m/f", read_file, "/m/f"));
	h_umount("/b");
	h_umount("/m");
	/* nodiratime: files yes, directories no */
	h_mount("none", "/m", "tmpfs", MS_NODIRATIME | MS_STRICTATIME);
	h_write_file("/m/f", "abc");
	h_mkdir("/m/d", 0755);
	ck_assert(atime_moved("/m/f", read_file, "/m/f"));
	ck_assert(atime_moved("/m/f", read_file, "/m/f"));
	ck_assert(!atime_moved("/m/d", list_dir, "/m/d"));
	h_umount("/m");
}
END_TEST

START_TEST(test_bind_follows_symlinks)
{
	h_mkdir("/d", 0755);
	h_mkdir("/m", 0755);
	h_write_file("/d/f", "");
	ck_assert_int_eq(vfs_symlinkat(ht, "/d", AT_FDCWD, "/ld"), 0);
	ck_assert_int_eq(vfs_symlinkat(ht, "m", AT_FDCWD, "/lm"), 0);
	/* both the source and the target are followed */
	h_bind("/ld", "/lm");
	ck_assert_int_eq(h_lstat_ret("/m/f"), 0);
	ck_assert_errno(vfs_umount2(ht, "/lm", UMOUNT_NOFOLLOW), EINVAL);
	h_umount("/m");
}
END_TEST

/* --- core: paths and `..` across mounts -------------------------------- */

START_TEST(test_dotdot_from_mount_root)
{
	struct stat st, parent;

	h_mkdir("/a", 0755);
	h_mkdir("/a/b", 0755);
	h_mkdir("/a/b/m", 0755);
	h_mount("none", "/a/b/m", "tmpfs", 0);
	h_stat("/a/b", &parent);
	h_stat("/a/b/m/..", &st);
	ck_assert_uint_eq(st.st_dev, parent.st_dev);
	ck_assert_uint_eq(st.st_ino, parent.st_ino);
	ck_assert_int_eq(vfs_chdir(ht, "/a/b/m"), 0);
	ck_assert_int_eq(vfs_chdir(ht, ".."), 0);
	ck_assert_str_eq(h_getcwd(), "/a/b");
	int mfd = h_open("/a/b/m", O_RDONLY | O_DIRECTORY);
	int pfd = vfs_openat(ht, mfd, "..", O_RDONLY | O_DIRECTORY, 0);
	ck_assert_int_ge(pfd, 0);
	ck_assert_str_eq(h_fd_path(pfd), "/a/b");
	ck_assert_int_eq(vfs_newfstatat(ht, mfd, "../m/../..", &st, 0), 0);
	h_stat("/a", &parent);
	ck_assert_uint_eq(st.st_ino, parent.st_ino);
	ck_assert_int_eq(vfs_close(ht, pfd), 0);
	ck_assert_int_eq(vfs_close(ht, mfd), 0);
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	h_umount("/a/b/m");
}
END_TEST

START_TEST(test_one_fs_many_mounts_sees_renames)
{
	h_mkdir("/m", 0755);
	h_mkdir("/n", 0755);
	h_mkdir("/o", 0755);
	h_mount("none", "/m", "tmpfs", 0);
	h_mkdir("/m/d", 0755);
	h_write_file("/m/d/x", "x");
	h_bind("/m", "/n");
	h_bind("/m", "/o");
	int fd = h_open("/n/d/x", O_RDONLY);
	ck_assert_int_eq(vfs_chdir(ht, "/o/d"), 0);
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/m/d/x", AT_FDCWD,
				       "/m/d/y", 0), 0);
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/m/d", AT_FDCWD,
				       "/m/e", 0), 0);
	ck_assert_errno(h_lstat_ret("/n/d/x"), ENOENT);
	ck_assert_int_eq(h_lstat_ret("/n/e/y"), 0);
	ck_assert_int_eq(h_lstat_ret("/o/e/y"), 0);
	/* each path stays in the mount it was opened through */
	ck_assert_str_eq(h_fd_path(fd), "/n/e/y");
	ck_assert_str_eq(h_getcwd(), "/o/e");
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	h_umount("/o");
	h_umount("/n");
	h_umount("/m");
}
END_TEST

START_TEST(test_bind_subdir_shows_subtree_only)
{
	struct stat st, root;

	h_mkdir("/src", 0755);
	h_mkdir("/src/sub", 0755);
	h_mkdir("/src/sub/inner", 0755);
	h_write_file("/src/sibling", "");
	h_mkdir("/top", 0755);
	h_mkdir("/top/dst", 0755);
	h_bind("/src/sub", "/top/dst");
	ck_assert_int_eq(h_lstat_ret("/top/dst/inner"), 0);
	ck_assert_errno(h_lstat_ret("/top/dst/sibling"), ENOENT);
	/* `..` from the bind's root is the mountpoint's parent */
	h_stat("/top", &root);
	h_stat("/top/dst/..", &st);
	ck_assert_uint_eq(st.st_ino, root.st_ino);
	ck_assert_errno(h_lstat_ret("/top/dst/../sibling"), ENOENT);
	ck_assert_int_eq(h_lstat_ret("/top/dst/inner/../../dst"), 0);
	ck_assert_int_eq(vfs_chdir(ht, "/top/dst/inner"), 0);
	ck_assert_int_eq(vfs_chdir(ht, "../.."), 0);
	ck_assert_str_eq(h_getcwd(), "/top");
	/* paths through the bind start at its mountpoint */
	int fd = h_open("/top/dst/inner", O_RDONLY | O_DIRECTORY);
	ck_assert_str_eq(h_fd_path(fd), "/top/dst/inner");
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/src/sub/inner",
				       AT_FDCWD, "/src/sub/in2", 0), 0);
	ck_assert_str_eq(h_fd_path(fd), "/top/dst/in2");
	/* renaming the source directory changes nothing in the bind */
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/src", AT_FDCWD,
				       "/src2", 0), 0);
	ck_assert_str_eq(h_fd_path(fd), "/top/dst/in2");
	ck_assert_int_eq(h_lstat_ret("/top/dst/in2"), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	h_umount("/top/dst");
}
END_TEST

/* --- core: umount2 modes ----------------------------------------------- */

START_TEST(test_umount_detach_keeps_files_usable)
{
	struct stat st;
	char buf[64], dents[512];

	h_mkdir("/m", 0755);
	h_mount("none", "/m", "tmpfs", 0);
	h_mkdir("/m/d", 0755);
	h_write_file("/m/d/a", "");
	h_mkdir("/m/sub", 0755);
	h_mount("none", "/m/sub", "tmpfs", 0);
	h_write_file("/m/sub/s", "");
	int fd = h_open("/m/d/f", O_RDWR | O_CREAT);
	int dfd = h_open("/m/d", O_RDONLY | O_DIRECTORY);
	int sfd = h_open("/m/sub", O_RDONLY | O_DIRECTORY);
	/* submounts do not stop a lazy unmount; they go with it */
	ck_assert_int_eq(vfs_umount2(ht, "/m", MNT_DETACH), 0);
	ck_assert_errno(h_lstat_ret("/m/d"), ENOENT);
	ck_assert_errno(vfs_umount2(ht, "/m", 0), EINVAL);
	ck_assert_int_eq(vfs_write(ht, fd, "abc", 3), 3);
	ck_assert_int_eq(vfs_pread64(ht, fd, buf, sizeof(buf), 0), 3);
	ck_assert_int_eq(vfs_fstat(ht, fd, &st), 0);
	ck_assert_int_eq(st.st_size, 3);
	ssize_t n = vfs_getdents64(ht, dfd, dents, sizeof(dents));
	ck_assert_int_gt(n, 0);
	int seen = 0;
	for (ssize_t off = 0; off < n;) {
		struct dirent64 *de = (struct dirent64 *)(dents + off);

		if (!strcmp(de->d_name, "a") || !strcmp(de->d_name, "f"))
			seen++;
		off += de->d_reclen;
	}
	ck_assert_int_eq(seen, 2);
	/* new names can still be made relative to the open directory */
	ck_assert_int_eq(vfs_mkdirat(ht, dfd, "new", 0755), 0);
	ck_assert_int_eq(vfs_newfstatat(ht, sfd, "s", &st, 0), 0);
	/* each mount of the detached tree is cut loose from its parent:
	 * the submount no longer covers its mountpoint */
	ck_assert_errno(vfs_newfstatat(ht, dfd, "../sub/s", &st, 0), ENOENT);
	ck_assert_int_eq(vfs_newfstatat(ht, dfd, "../sub", &st, 0), 0);
	/* paths as Linux shows them: from the root of the detached mount */
	ck_assert_str_eq(h_fd_path(fd), "/d/f");
	ck_assert_str_eq(h_fd_path(dfd), "/d");
	ck_assert_str_eq(h_fd_path(sfd), "/");
	ck_assert_int_eq(vfs_fchdir(ht, dfd), 0);
	ck_assert_int_eq(vfs_getcwd(ht, buf, sizeof(buf)), 16);
	ck_assert_str_eq(buf, "(unreachable)/d");
	/* `..` goes to the detached root and stops there */
	ck_assert_int_eq(vfs_chdir(ht, "../../.."), 0);
	ck_assert_int_eq(vfs_getcwd(ht, buf, sizeof(buf)), 15);
	ck_assert_str_eq(buf, "(unreachable)/");
	ck_assert_int_eq(h_lstat_ret("d/new"), 0);
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	ck_assert_int_eq(vfs_close(ht, sfd), 0);
	ck_assert_int_eq(vfs_close(ht, dfd), 0);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
}
END_TEST

START_TEST(test_umount_expire)
{
	h_mkdir("/m", 0755);
	h_mount("none", "/m", "tmpfs", 0);
	/* the first call only marks the mount */
	ck_assert_errno(vfs_umount2(ht, "/m", MNT_EXPIRE), EAGAIN);
	ck_assert_int_eq(vfs_umount2(ht, "/m", MNT_EXPIRE), 0);
	ck_assert_errno(vfs_umount2(ht, "/m", 0), EINVAL);
	/* a busy mount is EBUSY, marked or not */
	h_mount("none", "/m", "tmpfs", 0);
	int fd = h_open("/m", O_RDONLY | O_DIRECTORY);
	ck_assert_errno(vfs_umount2(ht, "/m", MNT_EXPIRE), EBUSY);
	ck_assert_errno(vfs_umount2(ht, "/m", MNT_EXPIRE), EBUSY);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_errno(vfs_umount2(ht, "/m", MNT_EXPIRE), EAGAIN);
	ck_assert_int_eq(vfs_umount2(ht, "/m", MNT_EXPIRE), 0);
}
END_TEST

START_TEST(test_umount_expire_mark_cleared_by_use)
{
	struct stat st;

	h_mkdir("/m", 0755);
	h_mkdir("/d", 0755);
	h_mount("none", "/m", "tmpfs", 0);
	h_write_file("/m/f", "");
	ck_assert_int_eq(vfs_symlinkat(ht, "/d", AT_FDCWD, "/m/l"), 0);
	ck_assert_errno(vfs_umount2(ht, "/m", MNT_EXPIRE), EAGAIN);
	/* a walk that only passes through the mount leaves the mark (Linux's
	 * RCU walk holds no reference to drop) ... */
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "/m/../d", &st, 0), 0);
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "/m/l", &st, 0), 0);
	ck_assert_int_eq(vfs_umount2(ht, "/m", MNT_EXPIRE), 0);
	h_mount("none", "/m", "tmpfs", 0);
	h_write_file("/m/f", "");
	ck_assert_errno(vfs_umount2(ht, "/m", MNT_EXPIRE), EAGAIN);
	/* ... a call that ends in it is a use, which takes the mark away */
	ck_assert_int_eq(vfs_newfstatat(ht, AT_FDCWD, "/m/f", &st, 0), 0);
	ck_assert_errno(vfs_umount2(ht, "/m", MNT_EXPIRE), EAGAIN);
	ck_assert_int_eq(vfs_chdir(ht, "/m"), 0);
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	ck_assert_errno(vfs_umount2(ht, "/m", MNT_EXPIRE), EAGAIN);
	ck_assert_int_eq(vfs_umount2(ht, "/m", MNT_EXPIRE), 0);
}
END_TEST

/* --- errors ------------------------------------------------------------- */

START_TEST(test_bind_type_mismatch)
{
	h_mkdir("/d", 0755);
	h_mkdir("/d2", 0755);
	h_write_file("/f", "");
	ck_assert_errno(vfs_mount(ht, "/d", "/f", NULL, MS_BIND, NULL),
			ENOTDIR);
	ck_assert_errno(vfs_mount(ht, "/f", "/d2", NULL, MS_BIND, NULL),
			ENOTDIR);
	ck_assert_errno(vfs_mount(ht, "/d", "/f", NULL, MS_BIND | MS_REC,
				  NULL), ENOTDIR);
	ck_assert_errno(vfs_umount2(ht, "/f", 0), EINVAL);
	ck_assert_errno(vfs_umount2(ht, "/d2", 0), EINVAL);
}
END_TEST

START_TEST(test_mount_lookup_errors)
{
	h_mkdir("/d", 0755);
	h_write_file("/f", "");
	ck_assert_errno(vfs_mount(ht, "/nonex", "/d", NULL, MS_BIND, NULL),
			ENOENT);
	ck_assert_errno(vfs_mount(ht, "/d", "/nonex", NULL, MS_BIND, NULL),
			ENOENT);
	ck_assert_errno(vfs_mount(ht, "/f/x", "/d", NULL, MS_BIND, NULL),
			ENOTDIR);
	ck_assert_errno(vfs_mount(ht, "/d", "/f/x", NULL, MS_BIND, NULL),
			ENOTDIR);
	ck_assert_errno(vfs_mount(ht, "none", "/f/x", "tmpfs", 0, NULL),
			ENOTDIR);
	ck_assert_errno(vfs_mount(ht, "none", "/nonex/x", "tmpfs", 0, NULL),
			ENOENT);
	ck_assert_errno(vfs_mount(ht, "none", "/d", "nosuchfs", 0, NULL),
			ENODEV);
	ck_assert_errno(vfs_mount(ht, "/nonex", "/d", NULL, MS_MOVE, NULL),
			ENOENT);
	ck_assert_errno(vfs_mount(ht, NULL, "/nonex", NULL,
				  MS_REMOUNT | MS_BIND, NULL), ENOENT);
	ck_assert_errno(vfs_umount2(ht, "/nonex", 0), ENOENT);
	ck_assert_errno(vfs_umount2(ht, "/f/x", 0), ENOTDIR);
	ck_assert_errno(vfs_umount2(ht, "/d", 0), EINVAL);
}
END_TEST

START_TEST(test_mount_eperm_without_cap_sys_admin)
{
	struct vfs_task *u = harness_user_task(1000, 1000, 0, NULL);
	struct vfs_task *r0 = harness_user_task(0, 0, 0, NULL);

	h_mkdir("/d", 0777);
	h_mkdir("/m", 0777);
	h_mount("none", "/m", "tmpfs", 0);
	ck_assert_errno(vfs_mount(u, "none", "/d", "tmpfs", 0, NULL), EPERM);
	ck_assert_errno(vfs_mount(r0, "none", "/d", "tmpfs", 0, NULL), EPERM);
	ck_assert_errno(vfs_mount(u, "/m", "/d", NULL, MS_BIND, NULL), EPERM);
	ck_assert_errno(vfs_mount(u, "/m", "/d", NULL, MS_MOVE, NULL), EPERM);
	ck_assert_errno(vfs_mount(u, NULL, "/m", NULL,
				  MS_REMOUNT | MS_BIND | MS_RDONLY, NULL),
			EPERM);
	ck_assert_errno(vfs_mount(u, NULL, "/m", NULL, MS_PRIVATE, NULL),
			EPERM);
	ck_assert_errno(vfs_umount2(u, "/m", 0), EPERM);
	ck_assert_errno(vfs_umount2(r0, "/m", MNT_DETACH), EPERM);
	/* the target is looked up first: a missing one is ENOENT */
	ck_assert_errno(vfs_mount(u, "none", "/nonex", "tmpfs", 0, NULL),
			ENOENT);
	ck_assert_errno(vfs_umount2(u, "/nonex", 0), ENOENT);
	/* and EPERM comes before the mountpoint check */
	ck_assert_errno(vfs_umount2(u, "/d", 0), EPERM);
	ck_assert_int_eq(h_creat_ret("/m/still_mounted"), 0);
	h_umount("/m");
}
END_TEST

START_TEST(test_move_errors)
{
	h_mkdir("/a", 0755);
	h_mkdir("/plain", 0755);
	h_mkdir("/plain/in", 0755);
	h_mkdir("/b", 0755);
	h_mount("none", "/a", "tmpfs", 0);
	h_mkdir("/a/sub", 0755);
	h_mkdir("/a/sub/deeper", 0755);
	/* under itself */
	ck_assert_errno(vfs_mount(ht, "/a", "/a/sub", NULL, MS_MOVE, NULL),
			ELOOP);
	ck_assert_errno(vfs_mount(ht, "/a", "/a/sub/deeper", NULL, MS_MOVE,
				  NULL), ELOOP);
	/* not a mountpoint */
	ck_assert_errno(vfs_mount(ht, "/plain", "/b", NULL, MS_MOVE, NULL),
			EINVAL);
	ck_assert_errno(vfs_mount(ht, "/a/sub", "/b", NULL, MS_MOVE, NULL),
			EINVAL);
	/* the root is under itself too */
	ck_assert_errno(vfs_mount(ht, "/", "/b", NULL, MS_MOVE, NULL), ELOOP);
	/* nothing changed */
	ck_assert_int_eq(h_lstat_ret("/a/sub/deeper"), 0);
	ck_assert_int_eq(h_lstat_ret("/plain/in"), 0);
	h_umount("/a");
}
END_TEST

START_TEST(test_remount_errors)
{
	h_mkdir("/d", 0755);
	h_mkdir("/m", 0755);
	h_mount("none", "/m", "tmpfs", 0);
	h_mkdir("/m/sub", 0755);
	/* only a mount's root can be remounted */
	ck_assert_errno(vfs_mount(ht, NULL, "/d", NULL,
				  MS_REMOUNT | MS_BIND | MS_RDONLY, NULL),
			EINVAL);
	ck_assert_errno(vfs_mount(ht, NULL, "/m/sub", NULL,
				  MS_REMOUNT | MS_BIND | MS_RDONLY, NULL),
			EINVAL);
	ck_assert_errno(vfs_mount(ht, NULL, "/m/sub", NULL,
				  MS_REMOUNT | MS_RDONLY, NULL), EINVAL);
	ck_assert_int_eq(h_creat_ret("/m/sub/f"), 0);
	h_umount("/m");
}
END_TEST

START_TEST(test_exdev_between_binds_of_one_fs)
{
	h_mkdir("/d", 0755);
	h_mkdir("/d/dir", 0755);
	h_mkdir("/b1", 0755);
	h_mkdir("/b2", 0755);
	h_write_file("/d/f", "");
	h_bind("/d", "/b1");
	h_bind("/d", "/b2");
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/b1/f", AT_FDCWD,
				      "/b2/g", 0), EXDEV);
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/b1/f", AT_FDCWD,
				      "/b2/dir", RENAME_EXCHANGE), EXDEV);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "/b1/f", AT_FDCWD, "/b2/g",
				   0), EXDEV);
	/* between a bind and the mount it was made from */
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/b1/f", AT_FDCWD, "/g",
				      0), EXDEV);
	ck_assert_errno(vfs_linkat(ht, AT_FDCWD, "/d/f", AT_FDCWD, "/b1/g",
				   0), EXDEV);
	/* within one mount all is well */
	ck_assert_int_eq(vfs_linkat(ht, AT_FDCWD, "/b1/f", AT_FDCWD, "/b1/g",
				    0), 0);
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/b2/g", AT_FDCWD,
				       "/b2/dir/h", 0), 0);
	ck_assert_int_eq(h_lstat_ret("/d/dir/h"), 0);
	h_umount("/b2");
	h_umount("/b1");
}
END_TEST

START_TEST(test_mountpoint_busy)
{
	h_mkdir("/m", 0755);
	h_mkdir("/e", 0755);
	h_mkdir("/p", 0755);
	h_mkdir("/p/m", 0755);
	h_write_file("/f", "");
	h_mount("none", "/m", "tmpfs", 0);
	h_mount("none", "/p/m", "tmpfs", 0);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/m", AT_REMOVEDIR), EBUSY);
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/m", AT_FDCWD, "/m2", 0),
			EBUSY);
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/e", AT_FDCWD, "/m", 0),
			EBUSY);
	ck_assert_errno(vfs_renameat2(ht, AT_FDCWD, "/e", AT_FDCWD, "/m",
				      RENAME_EXCHANGE), EBUSY);
	/* the directory holding a mountpoint is itself free to move */
	ck_assert_int_eq(vfs_renameat2(ht, AT_FDCWD, "/p", AT_FDCWD, "/q", 0),
			 0);
	ck_assert_int_eq(h_creat_ret("/q/m/f"), 0);
	ck_assert_errno(vfs_unlinkat(ht, AT_FDCWD, "/q", AT_REMOVEDIR),
			ENOTEMPTY);
	h_umount("/q/m");
	h_umount("/m");
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/m", AT_REMOVEDIR), 0);
}
END_TEST

START_TEST(test_umount_busy)
{
	h_mkdir("/m", 0755);
	h_mount("none", "/m", "tmpfs", 0);
	h_mkdir("/m/sub", 0755);
	h_mount("none", "/m/sub", "tmpfs", 0);
	/* a submount pins its parent */
	ck_assert_errno(vfs_umount2(ht, "/m", 0), EBUSY);
	int fd = h_open("/m/sub", O_RDONLY | O_DIRECTORY);
	ck_assert_errno(vfs_umount2(ht, "/m/sub", 0), EBUSY);
	ck_assert_int_eq(vfs_close(ht, fd), 0);
	ck_assert_int_eq(vfs_chdir(ht, "/m/sub"), 0);
	ck_assert_errno(vfs_umount2(ht, "/m/sub", 0), EBUSY);
	/* unmounting the mount the cwd is in, from inside it, by name */
	ck_assert_errno(vfs_umount2(ht, ".", 0), EBUSY);
	ck_assert_int_eq(vfs_chdir(ht, "/"), 0);
	h_umount("/m/sub");
	h_umount("/m");
}
END_TEST

/* A bind whose root was removed cannot have anything mounted on it, be
 * bound elsewhere or moved (its root would become a mountpoint:
 * get_mountpoint()); it stays where it is and still unmounts. */
START_TEST(test_removed_mount_root_is_enoent)
{
	struct stat st;

	h_mkdir("/d", 0755);
	h_mkdir("/m", 0755);
	h_mkdir("/t", 0755);
	h_mount("/d", "/m", NULL, MS_BIND);
	ck_assert_int_eq(vfs_unlinkat(ht, AT_FDCWD, "/d", AT_REMOVEDIR), 0);

	ck_assert_errno(vfs_mount(ht, "/m", "/t", NULL, MS_MOVE, NULL), ENOENT);
	ck_assert_errno(vfs_mount(ht, "/m", "/t", NULL, MS_BIND, NULL), ENOENT);
	ck_assert_errno(vfs_mount(ht, "/t", "/m", NULL, MS_BIND, NULL), ENOENT);
	ck_assert_errno(vfs_mount(ht, "none", "/m", "tmpfs", 0, NULL), ENOENT);
	ck_assert_errno(vfs_mkdirat(ht, AT_FDCWD, "/m/x", 0755), ENOENT);
	h_umount("/m");
	ck_assert_errno(vfs_umount2(ht, "/m", 0), EINVAL);
	ck_assert_errno(vfs_newfstatat(ht, AT_FDCWD, "/t/x", &st, 0), ENOENT);
}
END_TEST

START_TEST(test_umount_flag_errors)
{
	h_mkdir("/m", 0755);
	h_mount("none", "/m", "tmpfs", 0);
	ck_assert_int_eq(vfs_symlinkat(ht, "/m", AT_FDCWD, "/l"), 0);
	ck_assert_errno(vfs_umount2(ht, "/l", UMOUNT_NOFOLLOW), EINVAL);
	ck_assert_errno(vfs_umount2(ht, "/l", UMOUNT_NOFOLLOW | MNT_DETACH),
			EINVAL);
	ck_assert_errno(vfs_umount2(ht, "/m", MNT_EXPIRE | MNT_DETACH),
			EINVAL);
	ck_assert_errno(vfs_umount2(ht, "/m", 0x10), EINVAL);
	/* without UMOUNT_NOFOLLOW the link is followed */
	ck_assert_int_eq(vfs_umount2(ht, "/l", 0), 0);
	ck_assert_errno(vfs_umount2(ht, "/m", 0), EINVAL);
}
END_TEST

/* --- limits ------------------------------------------------------------- */

START_TEST(test_umount_root_remounts_readonly)
{
	/* Linux turns a plain umount of the caller's root into a read-only
	 * remount of its filesystem; the mount stays. */
	h_mkdir("/d", 0755);
	ck_assert_int_eq(vfs_umount2(ht, "/", 0), 0);
	ck_assert_int_eq(h_lstat_ret("/d"), 0);
	ck_assert_errno(h_creat_ret("/f"), EROFS);
	ck_assert(h_statfs_flags("/") & ST_RDONLY);
	h_mount(NULL, "/", NULL, MS_REMOUNT);
	ck_assert_int_eq(h_creat_ret("/f"), 0);
}
END_TEST

START_TEST(test_many_stacked_binds)
{
	char name[32];

	h_mkdir("/m", 0755);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "/s%d", i);
		h_mkdir(name, 0755);
		snprintf(name, sizeof(name), "/s%d/id%d", i, i);
		h_write_file(name, "");
		snprintf(name, sizeof(name), "/s%d", i);
		h_bind(name, "/m");
	}
	for (int i = 19; i >= 0; i--) {
		snprintf(name, sizeof(name), "/m/id%d", i);
		ck_assert_int_eq(h_lstat_ret(name), 0);
		h_umount("/m");
		ck_assert_errno(h_lstat_ret(name), ENOENT);
	}
	ck_assert_errno(vfs_umount2(ht, "/m", 0), EINVAL);
}
END_TEST

static Suite *mount_suite(void)
{
	Suite *s = suite_create("mount");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_bind_dir_shares_the_tree);
	tcase_add_test(tc, test_bind_file_on_file);
	tcase_add_test(tc, test_bind_rdonly_flag_ignored_on_creation);
	tcase_add_test(tc, test_bind_plain_leaves_submounts_out);
	tcase_add_test(tc, test_bind_rec_copies_submounts);
	tcase_add_test(tc, test_stacking_top_wins);
	tcase_add_test(tc, test_move_mount);
	tcase_add_test(tc, test_move_with_submounts);
	tcase_add_test(tc, test_remount_bind_readonly);
	tcase_add_test(tc, test_remount_bind_readonly_busy_with_writer);
	tcase_add_test(tc, test_remount_superblock_readonly);
	tcase_add_test(tc, test_remount_superblock_busy_with_writer);
	tcase_add_test(tc, test_noexec);
	tcase_add_test(tc, test_nodev);
	tcase_add_test(tc, test_statfs_mount_flags);
	tcase_add_test(tc, test_remount_bind_replaces_flags);
	tcase_add_test(tc, test_dotdot_from_mount_root);
	tcase_add_test(tc, test_one_fs_many_mounts_sees_renames);
	tcase_add_test(tc, test_bind_subdir_shows_subtree_only);
	tcase_add_test(tc, test_umount_detach_keeps_files_usable);
	tcase_add_test(tc, test_umount_expire);
	tcase_add_test(tc, test_umount_expire_mark_cleared_by_use);
	tcase_add_test(tc, test_atime_mount_flags);
	tcase_add_test(tc, test_bind_follows_symlinks);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_bind_type_mismatch);
	tcase_add_test(tc, test_mount_lookup_errors);
	tcase_add_test(tc, test_mount_eperm_without_cap_sys_admin);
	tcase_add_test(tc, test_move_errors);
	tcase_add_test(tc, test_remount_errors);
	tcase_add_test(tc, test_exdev_between_binds_of_one_fs);
	tcase_add_test(tc, test_mountpoint_busy);
	tcase_add_test(tc, test_umount_busy);
	tcase_add_test(tc, test_umount_flag_errors);
	tcase_add_test(tc, test_removed_mount_root_is_enoent);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_add_test(tc, test_umount_root_remounts_readonly);
	tcase_add_test(tc, test_many_stacked_binds);
	suite_add_tcase(s, tc);
	return s;
}

VFS_CHECK_MAIN(mount_suite)
