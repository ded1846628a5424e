// SPDX-License-Identifier: MIT
/*
 * demo: the Starnix VFS story ("Starnix VFS architecture"), told with libvfs.
 *
 * It follows the seed page step by step and prints what happens:
 *  1. a kernel, a namespace whose root Mount is a fresh tmpfs, and a task
 *     whose FsContext has root and cwd at that root;
 *  2. files and directories (FsNodes named by DirEntries);
 *  3. two hard links: two DirEntries, one FsNode (same st_ino, nlink 2);
 *  4. a second FileSystem (Example FS, another tmpfs) mounted on /example;
 *  5. "cd example": the cwd NamespaceNode moves onto the Example mount, so
 *     getcwd says /example and st_dev is the new filesystem's;
 *  6. path tracking after open(): a directory is renamed and both the cwd
 *     and the open file's /proc/self/fd path follow the move, because a
 *     path is never stored, only computed from the DirEntry parents;
 *  7. propagation: /shared is made a shared mount and bound on /mirror,
 *     which makes the two peers, so a tmpfs mounted under /shared/sub
 *     appears under /mirror/sub as well;
 *  8. a namespace copy: a forked task unshares its mount namespace
 *     (CLONE_NEWNS); a mount it makes under the shared /shared propagates
 *     back to the original namespace, one on the private /private does not;
 *  9. proc mounted on /proc, and /proc/self/mountinfo printed, where
 *     peers carry the same "shared:N" peer group (the lines are Linux's
 *     for the same steps, mount ids aside);
 * 10. everything is taken down again and the live object counts shown.
 * Any failing call prints what failed and the demo exits with status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <vfs/vfs.h>

/* Run a libvfs call; on a negative return, say which and fail the demo. */
#define TRY(expr)							\
	do {								\
		long ret_ = (long)(expr);				\
		if (ret_ < 0)						\
			return failed(#expr, ret_);			\
	} while (0)

/* The same, keeping the result (an fd or a length) in @var. */
#define TRY_SET(var, expr)						\
	do {								\
		(var) = (expr);						\
		if ((var) < 0)						\
			return failed(#expr, (long)(var));		\
	} while (0)

static int failed(const char *call, long ret)
{
	fprintf(stderr, "demo: %s failed: %s\n", call, strerror((int)-ret));
	return (int)ret;
}

static int show_paths(struct vfs_task *t, int fd, const char *when)
{
	char cwd[PATH_MAX], fdpath[PATH_MAX];
	ssize_t n;

	TRY(vfs_getcwd(t, cwd, sizeof(cwd)));
	TRY_SET(n, vfs_task_fd_path(t, fd, fdpath, sizeof(fdpath) - 1));
	fdpath[n] = '\0';
	printf("   %-7s getcwd()           = %s\n", when, cwd);
	printf("   %-7s /proc/self/fd/%d    = %s\n", when, fd, fdpath);
	return 0;
}

/* st_dev of @path: which file system a path lands on. */
static int dev_of(struct vfs_task *t, const char *path, dev_t *out_dev)
{
	struct stat sb;

	TRY(vfs_newfstatat(t, AT_FDCWD, path, &sb, 0));
	*out_dev = sb.st_dev;
	return 0;
}

/* Say whether @path in @t's namespace is a mount on top of @under. */
static int show_mounted(struct vfs_task *t, const char *who, const char *path,
			const char *under, int *out_mounted)
{
	dev_t d, u;

	TRY(dev_of(t, path, &d));
	TRY(dev_of(t, under, &u));
	*out_mounted = d != u;
	printf("   %-9s %-18s %s\n", who, path,
	       d != u ? "is a mount point (the new tmpfs shows)" :
			"is a plain directory (no mount here)");
	return 0;
}

static int propagation(struct vfs_task *t)
{
	dev_t shared, sub, mirror;
	int fd, seen;

	printf("7. Propagation: a shared mount and its peer\n");
	TRY(vfs_mkdirat(t, AT_FDCWD, "/shared", 0755));
	TRY(vfs_mount(t, "none", "/shared", "tmpfs", 0, NULL));
	TRY(vfs_mount(t, NULL, "/shared", NULL, MS_SHARED, NULL));
	TRY(vfs_mkdirat(t, AT_FDCWD, "/shared/sub", 0755));
	TRY(vfs_mkdirat(t, AT_FDCWD, "/mirror", 0755));
	TRY(vfs_mount(t, "/shared", "/mirror", NULL, MS_BIND, NULL));
	printf("   mount tmpfs on /shared, mount --make-shared /shared,\n"
	       "   mount --bind /shared /mirror: /mirror joins its peer "
	       "group\n");
	TRY(vfs_mount(t, "none", "/shared/sub", "tmpfs", 0, NULL));
	TRY_SET(fd, vfs_openat(t, AT_FDCWD, "/shared/sub/hello.txt",
			    O_CREAT | O_WRONLY | O_EXCL, 0644));
	TRY(vfs_close(t, fd));
	printf("   mount tmpfs on /shared/sub, create /shared/sub/hello.txt\n");
	TRY(show_mounted(t, "original", "/mirror/sub", "/mirror", &seen));
	TRY(dev_of(t, "/shared", &shared));
	TRY(dev_of(t, "/shared/sub", &sub));
	TRY(dev_of(t, "/mirror/sub/hello.txt", &mirror));
	printf("   /mirror/sub/hello.txt is there, on st_dev %#llx like "
	       "/shared/sub\n\n", (unsigned long long)mirror);
	if (!seen || mirror != sub || sub == shared) {
		fprintf(stderr, "demo: the mount did not propagate to the "
			"peer\n");
		return -EINVAL;
	}
	return 0;
}

/* In the copy @c of @t's namespace: one mount that propagates, one not. */
static int copy_mounts(struct vfs_task *t, struct vfs_task *c)
{
	int shared_seen, private_seen;

	TRY(vfs_unshare(c, CLONE_NEWNS));
	printf("   task %d: fork, then unshare(CLONE_NEWNS): its own copy of "
	       "the mount tree,\n   where /shared and /mirror stay peers "
	       "of the originals\n", vfs_task_id(c));
	TRY(vfs_mkdirat(c, AT_FDCWD, "/shared/from-copy", 0755));
	TRY(vfs_mkdirat(c, AT_FDCWD, "/private", 0755));
	TRY(vfs_mount(c, "none", "/shared/from-copy", "tmpfs", 0, NULL));
	TRY(vfs_mount(c, "none", "/private", "tmpfs", 0, NULL));
	printf("   task %d mounts tmpfs on /shared/from-copy (under a shared "
	       "mount)\n   and on /private (under the private root mount)\n",
	       vfs_task_id(c));
	TRY(show_mounted(c, "copy:", "/private", "/", &private_seen));
	TRY(show_mounted(t, "original:", "/shared/from-copy", "/shared",
			 &shared_seen));
	TRY(show_mounted(t, "original:", "/mirror/from-copy", "/mirror",
			 &shared_seen));
	TRY(show_mounted(t, "original:", "/private", "/", &private_seen));
	printf("\n");
	if (!shared_seen || private_seen) {
		fprintf(stderr, "demo: propagation between the namespaces is "
			"wrong\n");
		return -EINVAL;
	}
	return 0;
}

static int namespace_copy(struct vfs_task *t)
{
	struct vfs_task *c;
	int ret;

	printf("8. A namespace copy: unshare(CLONE_NEWNS)\n");
	TRY(vfs_task_fork(t, 0, &c));
	ret = copy_mounts(t, c);
	vfs_task_destroy(c);
	return ret;
}

static int show_mountinfo(struct vfs_task *t)
{
	char buf[4096];
	ssize_t n;
	int fd;

	printf("9. proc on /proc: cat /proc/self/mountinfo\n");
	TRY(vfs_mkdirat(t, AT_FDCWD, "/proc", 0555));
	TRY(vfs_mount(t, "proc", "/proc", "proc", 0, NULL));
	TRY_SET(fd, vfs_openat(t, AT_FDCWD, "/proc/self/mountinfo", O_RDONLY,
			    0));
	printf("   ");
	do {
		TRY_SET(n, vfs_read(t, fd, buf, sizeof(buf)));
		for (ssize_t i = 0; i < n; i++)
			printf(buf[i] == '\n' && i + 1 < n ? "\n   " : "%c",
			       buf[i]);
	} while (n > 0);
	TRY(vfs_close(t, fd));
	printf("   (each mount shows the same \"shared:N\" as its peer; "
	       "Linux prints the\n   same lines for the same steps, mount "
	       "ids aside)\n\n");
	return 0;
}

static int story(struct vfs_task *t)
{
	struct stat a, b, root, ex;
	char cwd[PATH_MAX];
	int fd, seen;

	printf("2. Files and directories: FsNodes, named by DirEntries\n");
	TRY(vfs_mkdirat(t, AT_FDCWD, "/docs", 0755));
	TRY_SET(fd, vfs_openat(t, AT_FDCWD, "/docs/notes.txt",
			    O_CREAT | O_WRONLY | O_EXCL, 0644));
	TRY(vfs_write(t, fd, "hello, starnix\n", 15));
	TRY(vfs_close(t, fd));
	TRY(vfs_mkdirat(t, AT_FDCWD, "/example", 0755));
	printf("   created /docs, /docs/notes.txt (15 bytes), /example\n\n");

	printf("3. Hard links: two DirEntries, one FsNode\n");
	TRY(vfs_linkat(t, AT_FDCWD, "/docs/notes.txt", AT_FDCWD,
		       "/docs/same-notes.txt", 0));
	TRY(vfs_newfstatat(t, AT_FDCWD, "/docs/notes.txt", &a, 0));
	TRY(vfs_newfstatat(t, AT_FDCWD, "/docs/same-notes.txt", &b, 0));
	printf("   /docs/notes.txt      st_ino %llu  nlink %llu\n",
	       (unsigned long long)a.st_ino, (unsigned long long)a.st_nlink);
	printf("   /docs/same-notes.txt st_ino %llu  nlink %llu  (%s node)\n\n",
	       (unsigned long long)b.st_ino, (unsigned long long)b.st_nlink,
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev ? "same" :
							       "DIFFERENT");
	if (a.st_ino != b.st_ino || a.st_nlink != 2 || b.st_nlink != 2) {
		fprintf(stderr, "demo: the two links do not share one node\n");
		return -EINVAL;
	}

	printf("4. Mounting Example FS (a second tmpfs) on /example\n");
	TRY(vfs_newfstatat(t, AT_FDCWD, "/", &root, 0));
	TRY(vfs_mount(t, "none", "/example", "tmpfs", 0, NULL));
	TRY_SET(fd, vfs_openat(t, AT_FDCWD, "/example/file1.txt",
			    O_CREAT | O_WRONLY | O_EXCL, 0644));
	TRY(vfs_close(t, fd));
	printf("   mounted; created /example/file1.txt inside Example FS\n\n");

	printf("5. cd example: the cwd NamespaceNode enters the mount\n");
	TRY(vfs_chdir(t, "example"));
	TRY(vfs_getcwd(t, cwd, sizeof(cwd)));
	TRY(vfs_newfstatat(t, AT_FDCWD, ".", &ex, 0));
	printf("   getcwd() = %s\n", cwd);
	printf("   st_dev of /  = %#llx\n", (unsigned long long)root.st_dev);
	printf("   st_dev of .  = %#llx  (%s)\n\n", (unsigned long long)ex.st_dev,
	       ex.st_dev != root.st_dev ? "a different filesystem" : "SAME?");
	if (ex.st_dev == root.st_dev) {
		fprintf(stderr, "demo: cd example did not enter the mount\n");
		return -EINVAL;
	}

	printf("6. Path tracking: open a file, then rename its parent\n");
	TRY(vfs_mkdirat(t, AT_FDCWD, "projects", 0755));
	TRY(vfs_mkdirat(t, AT_FDCWD, "projects/vfs", 0755));
	TRY(vfs_chdir(t, "projects"));
	TRY_SET(fd, vfs_openat(t, AT_FDCWD, "vfs/design.txt",
			    O_CREAT | O_RDWR | O_EXCL, 0644));
	TRY(show_paths(t, fd, "before"));
	printf("   rename(\"/example/projects\", \"/example/archive\")\n");
	TRY(vfs_renameat2(t, AT_FDCWD, "/example/projects", AT_FDCWD,
			  "/example/archive", 0));
	TRY(show_paths(t, fd, "after"));
	printf("   unlink(\"/example/archive/vfs/design.txt\")\n");
	TRY(vfs_unlinkat(t, AT_FDCWD, "/example/archive/vfs/design.txt", 0));
	TRY(show_paths(t, fd, "deleted"));
	printf("\n");

	TRY(vfs_close(t, fd));
	TRY(propagation(t));
	TRY(namespace_copy(t));
	TRY(show_mountinfo(t));

	printf("10. Cleaning up\n");
	TRY(vfs_umount2(t, "/proc", 0));
	TRY(vfs_umount2(t, "/shared/sub", 0));
	TRY(show_mounted(t, "umount", "/mirror/sub", "/mirror", &seen));
	TRY(vfs_umount2(t, "/shared/from-copy", 0));
	TRY(vfs_umount2(t, "/mirror", 0));
	TRY(vfs_umount2(t, "/shared", 0));
	if (seen) {
		fprintf(stderr, "demo: the umount did not propagate\n");
		return -EINVAL;
	}
	TRY(vfs_unlinkat(t, AT_FDCWD, "/proc", AT_REMOVEDIR));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/private", AT_REMOVEDIR));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/mirror", AT_REMOVEDIR));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/shared", AT_REMOVEDIR));
	TRY(vfs_chdir(t, "/"));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/example/archive/vfs", AT_REMOVEDIR));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/example/archive", AT_REMOVEDIR));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/example/file1.txt", 0));
	TRY(vfs_umount2(t, "/example", 0));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/example", AT_REMOVEDIR));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/docs/same-notes.txt", 0));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/docs/notes.txt", 0));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/docs", AT_REMOVEDIR));
	printf("   closed the file, left and unmounted /example, /proc, the "
	       "shared mounts\n   (umount /shared/sub took /mirror/sub with "
	       "it), removed everything\n");
	return 0;
}

static void show_stats(struct vfs_kernel *k, const char *when)
{
	struct vfs_stats s;

	vfs_kernel_stats(k, &s);
	printf("   %-6s nodes %ld, entries %ld, file systems %ld, mounts %ld, "
	       "namespaces %ld, files %ld, tasks %ld\n", when, s.nodes,
	       s.entries, s.file_systems, s.mounts, s.namespaces, s.files,
	       s.tasks);
}

int main(void)
{
	struct vfs_namespace *ns = NULL;
	struct vfs_kernel *k = NULL;
	struct vfs_task *t = NULL;
	int ret;

	printf("1. A kernel, a namespace rooted at tmpfs, and a task\n");
	ret = vfs_kernel_create(&k);
	if (ret == 0)
		ret = vfs_namespace_create(k, "tmpfs", NULL, &ns);
	if (ret == 0)
		ret = vfs_task_create(ns, NULL, &t);
	if (ret < 0) {
		fprintf(stderr, "demo: setting up: %s\n", strerror(-ret));
		goto out;
	}
	printf("   task %d: root and cwd at / of the root Mount\n",
	       vfs_task_id(t));
	show_stats(k, "start:");
	printf("\n");

	ret = story(t);
	if (ret == 0)
		show_stats(k, "end:");
out:
	if (t)
		vfs_task_destroy(t);
	if (ns)
		vfs_namespace_put(ns);
	if (k)
		vfs_kernel_put(k);
	if (ret < 0)
		return 1;
	printf("done.\n");
	return 0;
}
