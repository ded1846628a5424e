/* SPDX-License-Identifier: MIT */
/*
 * Test harness over libcheck: a checked fixture that gives every test a
 * fresh kernel, a namespace rooted at a fresh tmpfs and a root task, and a
 * teardown that fails the test if any libvfs object outlived it.
 */
#ifndef VFS_TESTS_HARNESS_H
#define VFS_TESTS_HARNESS_H

#ifdef NDEBUG
#error "Tests must not be built with NDEBUG defined, they rely on assert()."
#endif

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <vfs/vfs.h>

/* The fixture's objects, fresh for every test. */
extern struct vfs_kernel *hk;
extern struct vfs_namespace *hns;
extern struct vfs_task *ht;

/* Checked fixture: tcase_add_checked_fixture(tc, harness_setup,
 * harness_teardown).  harness_setup_opts() picks the root tmpfs options. */
void harness_setup(void);
void harness_setup_opts(const char *options);
void harness_teardown(void);

/* A second task in the fixture's namespace with the given ids and no
 * capabilities (groups may be NULL); destroyed by the teardown. */
struct vfs_task *harness_user_task(uid_t uid, gid_t gid, size_t ngroups,
				   const gid_t *groups);

/* Shorthands that fail the test on error. */
void h_mkdir(const char *path, mode_t mode);
void h_write_file(const char *path, const char *data);   /* create/trunc */
int h_open(const char *path, int flags);                 /* returns fd */
void h_stat(const char *path, struct stat *st);
char *h_getcwd(void);                                     /* static buffer */
void h_lstat(const char *path, struct stat *st);       /* no follow */
int h_lstat_ret(const char *path);                      /* 0 or -errno */
nlink_t h_nlink(const char *path);                      /* no follow */
ino_t h_ino(const char *path);                          /* no follow */
/* a > b */
int h_ts_after(struct timespec a, struct timespec b);
/* Sleep long enough for any timestamp clock (the kernel's is coarse). */
void h_tick(void);
char *h_fd_path(int fd);                                  /* static buffer */

#define ck_assert_errno(expr, err) ck_assert_int_eq((expr), -(err))

/* The kernel's O_LARGEFILE, which F_GETFL and fdinfo show for every file a
 * 64-bit kernel opens but O_PATH ones (glibc's O_LARGEFILE is 0 there). */
#if defined(__aarch64__) || defined(__arm__)
#define KERNEL_O_LARGEFILE 0400000
#elif defined(__powerpc__)
#define KERNEL_O_LARGEFILE 0200000
#else
#define KERNEL_O_LARGEFILE 0100000
#endif

/* Each check_<area>.c ends with VFS_CHECK_MAIN(<area>_suite). */
int harness_run(Suite *s);
#define VFS_CHECK_MAIN(suite_fn) \
	int main(void) { return harness_run(suite_fn()); }

#endif /* VFS_TESTS_HARNESS_H */
