// SPDX-License-Identifier: MIT
/*
 * proc superblock: the filesystem type, mount(2), statfs, and the helpers
 * every proc directory uses to make its nodes and find the task a node
 * shows.
 *
 * Nothing is cached.  The core calls lookup on every walk and frees the
 * entries when unused (the fs is not VFS_FS_DCACHE_COMPLETE), so each
 * node is made afresh with the attributes Linux's proc gives it at that
 * moment, and keeps only (pid, kind, fd).  Ops look their task up by id
 * each time (vfs_kernel_task_get), so a node outliving its task answers
 * ENOENT, as Linux's does once the pid is gone.
 *
 * Locking: proc has no locks of its own.  struct proc_super and every
 * struct proc_node are constant once made; tasks are the core's.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>

#include "internal.h"
#include "proc.h"

/* ------------------------------------------------------------ helpers */

int vfs_proc_node_new(struct vfs_file_system *fs,
		      const struct proc_node_desc *desc,
		      struct vfs_fs_node **out_node)
{
	struct vfs_node_attr attr;
	struct proc_node *pn;
	int err;

	memset(&attr, 0, sizeof(attr));
	attr.ino = desc->ino;
	attr.mode = desc->mode;
	attr.uid = desc->uid;
	attr.gid = desc->gid;
	attr.nlink = desc->nlink;
	attr.size = desc->size;
	if (desc->time)
		attr.atime = *desc->time;
	else
		vfs_fs_time_now(&attr.atime);
	attr.mtime = attr.ctime = attr.atime;
	/* Linux's proc inodes have no birth time: btime stays 0. */
	err = vfs_fs_node_alloc(fs, desc->ops, &attr, desc->link,
				sizeof(struct proc_node), out_node);
	if (err)
		return err;
	pn = proc_node_of(*out_node);
	pn->pid = desc->pid;
	pn->fd = desc->fd;
	pn->kind = desc->kind;
	return 0;
}

int vfs_proc_task_get(struct vfs_fs_node *node, int pid,
		      struct vfs_task **out_task)
{
	struct vfs_kernel *k = vfs_file_system_kernel(vfs_fs_node_fs(node));
	int err;

	err = vfs_kernel_task_get(k, pid, out_task);
	/* A pid that is gone is a name that is gone. */
	return err == -ESRCH ? -ENOENT : err;
}

void vfs_proc_task_owner(struct vfs_task *task, uid_t *out_uid,
			 gid_t *out_gid)
{
	/* task_dump_owner(): the task's effective ids. */
	vfs_task_owner(task, out_uid, out_gid);
}

/* simple_setattr(): /proc itself and its own links take any change,
 * which the root keeps for the filesystem's life and a link for as long
 * as it is in use (Linux keeps it while the inode is cached). */
int vfs_proc_setattr(struct vfs_fs_node *node, const struct vfs_setattr *sa)
{
	vfs_setattr_copy(node, sa);
	return 0;
}

/* proc_setattr(): a task's files refuse a new mode; owner and times
 * change until the node is next looked up. */
int vfs_proc_task_setattr(struct vfs_fs_node *node,
			  const struct vfs_setattr *sa)
{
	if (sa->valid & VFS_ATTR_MODE)
		return -EPERM;
	return vfs_proc_setattr(node, sa);
}

/* Linux's name_to_int(): decimal digits without a leading zero (but "0"
 * itself), up to INT_MAX; anything else names no task and no fd. */
bool vfs_proc_parse_id(const char *name, size_t len, int *out_id)
{
	unsigned long v = 0;

	if (len == 0 || len > 10 || (len > 1 && name[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(name[i] - '0');
	}
	if (v > INT_MAX)
		return false;
	*out_id = (int)v;
	return true;
}

/* ------------------------------------------------------------ fs ops */

static int proc_statfs(struct vfs_file_system *fs, struct statfs *buf)
{
	uint64_t dev = vfs_file_system_dev(fs);
	/* huge_encode_dev(): Linux's fsid for a superblock without uuid. */
	uint64_t enc = (minor(dev) & 0xff) | ((uint64_t)major(dev) << 8) |
		       ((uint64_t)(minor(dev) & ~0xffu) << 12);

	/* simple_statfs(): no blocks, no inode counts. */
	memset(buf, 0, sizeof(*buf));
	buf->f_type = PROC_SUPER_MAGIC;
	buf->f_bsize = PROC_BLOCK_SIZE;
	buf->f_frsize = PROC_BLOCK_SIZE;
	buf->f_namelen = NAME_MAX;
	buf->f_fsid.__val[0] = (int)(uint32_t)enc;
	buf->f_fsid.__val[1] = (int)(uint32_t)(enc >> 32);
	return 0;
}

static int proc_show_options(struct vfs_file_system *fs, char *buf,
			     size_t size)
{
	/* Only non-default hidepid=, gid= and subset= show; none exist. */
	(void)fs;
	if (size)
		buf[0] = '\0';
	return 0;
}

static void proc_destroy(struct vfs_file_system *fs)
{
	free(vfs_file_system_private(fs));
}

static const struct vfs_fs_ops proc_fs_ops = {
	.statfs = proc_statfs,
	.show_options = proc_show_options,
	.destroy = proc_destroy,
};

/* mount(2)'s data string: Linux's proc takes hidepid=, gid= and subset=,
 * which this proc does not implement; any option is refused as an
 * unknown one (EINVAL), empty items are skipped as Linux does. */
static int proc_check_options(const char *data)
{
	for (const char *p = data; p && *p; p++)
		if (*p != ',')
			return -EINVAL;
	return 0;
}

static int proc_mount(struct vfs_file_system *fs, const char *source,
		      unsigned long flags, const char *data,
		      struct vfs_fs_node **out_root)
{
	struct proc_node_desc desc;
	struct proc_super *sb;
	int err;

	/* The source name and the MS_* flags are the core's. */
	(void)source;
	(void)flags;
	*out_root = NULL;
	err = proc_check_options(data);
	if (err)
		return err;
	sb = calloc(1, sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	vfs_fs_time_now(&sb->mount_time);
	vfs_file_system_init(fs, &proc_fs_ops, sb, 0);

	desc = (struct proc_node_desc){
		.kind = PROC_ROOT,
		.ino = PROC_ROOT_INO,
		.mode = S_IFDIR | 0555,
		.nlink = 2,
		.time = &sb->mount_time,
		.ops = &vfs_proc_root_ops,
	};
	err = vfs_proc_node_new(fs, &desc, out_root);
	if (err) {
		/* No node holds the fs: the core will not call destroy. */
		free(sb);
		return err;
	}
	return 0;
}

const struct vfs_fs_type vfs_proc_fs_type = {
	.name = "proc",
	.mount = proc_mount,
};
