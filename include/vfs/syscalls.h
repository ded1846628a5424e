/* SPDX-License-Identifier: MIT */
/*
 * The system calls: vfs_<name>(task, <the Linux syscall's own arguments>).
 *
 * Every call returns what the Linux kernel's syscall returns on success
 * (>= 0) and -errno on failure, with the errno Linux gives for the same
 * call on its own tmpfs.  The global errno is never read or written.
 * Flags, structures and constants are Linux's (O_*, AT_*, RENAME_*,
 * FALLOC_FL_*, XATTR_*, MS_*, MNT_*), from the system headers.
 * Paths and buffers are borrowed for the duration of the call.
 * All calls are thread-safe, on one task or many.
 */
#ifndef VFS_SYSCALLS_H
#define VFS_SYSCALLS_H

#include <vfs/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- open files and file descriptors ---------------------------------- */
VFS_EXPORT int vfs_openat(struct vfs_task *task, int dirfd, const char *path,
			  int flags, mode_t mode);
/* struct open_how from <linux/openat2.h>; every RESOLVE_* flag. */
VFS_EXPORT int vfs_openat2(struct vfs_task *task, int dirfd, const char *path,
			   struct open_how *how, size_t size);
VFS_EXPORT int vfs_close(struct vfs_task *task, int fd);
VFS_EXPORT int vfs_dup(struct vfs_task *task, int oldfd);
VFS_EXPORT int vfs_dup2(struct vfs_task *task, int oldfd, int newfd);
VFS_EXPORT int vfs_dup3(struct vfs_task *task, int oldfd, int newfd,
			int flags);
/* cmd: F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL. */
VFS_EXPORT int vfs_fcntl(struct vfs_task *task, int fd, int cmd,
			 unsigned long arg);

/* --- data -------------------------------------------------------------- */
VFS_EXPORT ssize_t vfs_read(struct vfs_task *task, int fd, void *buf,
			    size_t count);
VFS_EXPORT ssize_t vfs_write(struct vfs_task *task, int fd, const void *buf,
			     size_t count);
VFS_EXPORT ssize_t vfs_pread64(struct vfs_task *task, int fd, void *buf,
			       size_t count, off_t offset);
VFS_EXPORT ssize_t vfs_pwrite64(struct vfs_task *task, int fd,
				const void *buf, size_t count, off_t offset);
VFS_EXPORT ssize_t vfs_readv(struct vfs_task *task, int fd,
			     const struct iovec *iov, int iovcnt);
VFS_EXPORT ssize_t vfs_writev(struct vfs_task *task, int fd,
			      const struct iovec *iov, int iovcnt);
/* whence: SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE. */
VFS_EXPORT off_t vfs_lseek(struct vfs_task *task, int fd, off_t offset,
			   int whence);
VFS_EXPORT int vfs_truncate(struct vfs_task *task, const char *path,
			    off_t length);
VFS_EXPORT int vfs_ftruncate(struct vfs_task *task, int fd, off_t length);
/* mode: 0, FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE. */
VFS_EXPORT int vfs_fallocate(struct vfs_task *task, int fd, int mode,
			     off_t offset, off_t len);
VFS_EXPORT int vfs_fsync(struct vfs_task *task, int fd);
VFS_EXPORT int vfs_fdatasync(struct vfs_task *task, int fd);

/* --- attributes -------------------------------------------------------- */
VFS_EXPORT int vfs_newfstatat(struct vfs_task *task, int dirfd,
			      const char *path, struct stat *statbuf,
			      int flags);
VFS_EXPORT int vfs_fstat(struct vfs_task *task, int fd, struct stat *statbuf);
VFS_EXPORT int vfs_statx(struct vfs_task *task, int dirfd, const char *path,
			 int flags, unsigned int mask, struct statx *statxbuf);
/* flags: 0, AT_SYMLINK_NOFOLLOW (EOPNOTSUPP on a symlink), AT_EMPTY_PATH
 * (fchmodat2's flags; the old 3-argument fchmodat is flags == 0). */
VFS_EXPORT int vfs_fchmodat(struct vfs_task *task, int dirfd, const char *path,
			    mode_t mode, int flags);
VFS_EXPORT int vfs_fchmod(struct vfs_task *task, int fd, mode_t mode);
VFS_EXPORT int vfs_fchownat(struct vfs_task *task, int dirfd, const char *path,
			    uid_t owner, gid_t group, int flags);
VFS_EXPORT int vfs_fchown(struct vfs_task *task, int fd, uid_t owner,
			  gid_t group);
VFS_EXPORT int vfs_utimensat(struct vfs_task *task, int dirfd, const char *path,
			     const struct timespec times[2], int flags);
VFS_EXPORT int vfs_faccessat2(struct vfs_task *task, int dirfd,
			      const char *path, int mode, int flags);
VFS_EXPORT int vfs_statfs(struct vfs_task *task, const char *path,
			  struct statfs *buf);
VFS_EXPORT int vfs_fstatfs(struct vfs_task *task, int fd, struct statfs *buf);

/* --- names ------------------------------------------------------------- */
VFS_EXPORT int vfs_mkdirat(struct vfs_task *task, int dirfd, const char *path,
			   mode_t mode);
VFS_EXPORT int vfs_mknodat(struct vfs_task *task, int dirfd, const char *path,
			   mode_t mode, dev_t dev);
VFS_EXPORT int vfs_unlinkat(struct vfs_task *task, int dirfd, const char *path,
			    int flags);
VFS_EXPORT int vfs_renameat2(struct vfs_task *task, int olddirfd,
			     const char *oldpath, int newdirfd,
			     const char *newpath, unsigned int flags);
VFS_EXPORT int vfs_linkat(struct vfs_task *task, int olddirfd,
			  const char *oldpath, int newdirfd,
			  const char *newpath, int flags);
VFS_EXPORT int vfs_symlinkat(struct vfs_task *task, const char *target,
			     int newdirfd, const char *linkpath);
VFS_EXPORT ssize_t vfs_readlinkat(struct vfs_task *task, int dirfd,
				  const char *path, char *buf, size_t bufsiz);
/* Fills @dirp with struct linux_dirent64 records (glibc's struct dirent64). */
VFS_EXPORT ssize_t vfs_getdents64(struct vfs_task *task, int fd, void *dirp,
				  size_t count);

/* --- the fs context ---------------------------------------------------- */
VFS_EXPORT int vfs_chdir(struct vfs_task *task, const char *path);
VFS_EXPORT int vfs_fchdir(struct vfs_task *task, int fd);
/* As the syscall: returns the length including the NUL, -ERANGE if @size
 * is too small, -ENOENT if the cwd was removed. */
VFS_EXPORT int vfs_getcwd(struct vfs_task *task, char *buf, size_t size);
VFS_EXPORT int vfs_chroot(struct vfs_task *task, const char *path);
/* Sets the umask to mask & 0777 and returns the old one. */
VFS_EXPORT mode_t vfs_umask(struct vfs_task *task, mode_t mask);

/* --- extended attributes ---------------------------------------------- */
VFS_EXPORT int vfs_setxattr(struct vfs_task *task, const char *path,
			    const char *name, const void *value, size_t size,
			    int flags);
VFS_EXPORT int vfs_lsetxattr(struct vfs_task *task, const char *path,
			     const char *name, const void *value, size_t size,
			     int flags);
VFS_EXPORT int vfs_fsetxattr(struct vfs_task *task, int fd, const char *name,
			     const void *value, size_t size, int flags);
VFS_EXPORT ssize_t vfs_getxattr(struct vfs_task *task, const char *path,
				const char *name, void *value, size_t size);
VFS_EXPORT ssize_t vfs_lgetxattr(struct vfs_task *task, const char *path,
				 const char *name, void *value, size_t size);
VFS_EXPORT ssize_t vfs_fgetxattr(struct vfs_task *task, int fd,
				 const char *name, void *value, size_t size);
VFS_EXPORT ssize_t vfs_listxattr(struct vfs_task *task, const char *path,
				 char *list, size_t size);
VFS_EXPORT ssize_t vfs_llistxattr(struct vfs_task *task, const char *path,
				  char *list, size_t size);
VFS_EXPORT ssize_t vfs_flistxattr(struct vfs_task *task, int fd, char *list,
				  size_t size);
VFS_EXPORT int vfs_removexattr(struct vfs_task *task, const char *path,
			       const char *name);
VFS_EXPORT int vfs_lremovexattr(struct vfs_task *task, const char *path,
				const char *name);
VFS_EXPORT int vfs_fremovexattr(struct vfs_task *task, int fd,
				const char *name);

/* --- mounts and mount namespaces ---------------------------------------- */
/* New mounts by fstype, MS_BIND (+MS_REC), MS_MOVE, MS_REMOUNT (+MS_BIND),
 * the per-mount flags, and MS_SHARED/PRIVATE/SLAVE/UNBINDABLE (+MS_REC). */
VFS_EXPORT int vfs_mount(struct vfs_task *task, const char *source,
			 const char *target, const char *fstype,
			 unsigned long flags, const void *data);
/* flags: 0, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW (MNT_FORCE accepted). */
VFS_EXPORT int vfs_umount2(struct vfs_task *task, const char *target,
			   int flags);
/* flags: CLONE_NEWNS, CLONE_FS, CLONE_FILES; other namespaces are not
 * modelled and give -EINVAL. */
VFS_EXPORT int vfs_unshare(struct vfs_task *task, int flags);
VFS_EXPORT int vfs_pivot_root(struct vfs_task *task, const char *new_root,
			      const char *put_old);

#ifdef __cplusplus
}
#endif

#endif /* VFS_SYSCALLS_H */
