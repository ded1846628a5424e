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
 *  7. everything is taken down again and the live object counts shown.
 * Any failing call prints what failed and the demo exits with status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int story(struct vfs_task *t)
{
	struct stat a, b, root, ex;
	char cwd[PATH_MAX];
	int fd;

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

	printf("7. Cleaning up\n");
	TRY(vfs_close(t, fd));
	TRY(vfs_chdir(t, "/"));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/example/archive/vfs", AT_REMOVEDIR));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/example/archive", AT_REMOVEDIR));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/example/file1.txt", 0));
	TRY(vfs_umount2(t, "/example", 0));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/example", AT_REMOVEDIR));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/docs/same-notes.txt", 0));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/docs/notes.txt", 0));
	TRY(vfs_unlinkat(t, AT_FDCWD, "/docs", AT_REMOVEDIR));
	printf("   closed the file, left and unmounted /example, removed "
	       "everything\n");
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
