// SPDX-License-Identifier: GPL-2.0
/*
 * File events: kprobes on the path-based security hooks (create, unlink
 * and rmdir, rename, chmod and chown, link and symlink, truncate), on
 * security_file_open() and security_file_truncate(), and on __fput(), the
 * last close of a file, for files opened for writing.  They run in the
 * task acting, before the operation is carried out, in atomic context.
 * Directories are not reported but when removed; nor are the filesystem's
 * private inodes, which the security hooks themselves skip.  A path under
 * a muted prefix is muted.
 */

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/kprobes.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "compat.h"
#include "emit.h"
#include "file_events.h"

static void __maybe_unused vigil_file_events_check_types(void)
{
	BUILD_BUG_ON(!__same_type(&security_file_open, int (*)(struct file *)));
	BUILD_BUG_ON(!__same_type(&security_path_mknod,
				  int (*)(const struct path *, struct dentry *,
					  umode_t, unsigned int)));
	BUILD_BUG_ON(!__same_type(&security_path_unlink,
				  int (*)(const struct path *, struct dentry *)));
	BUILD_BUG_ON(!__same_type(&security_path_rename,
				  int (*)(const struct path *, struct dentry *,
					  const struct path *, struct dentry *,
					  unsigned int)));
	BUILD_BUG_ON(!__same_type(&security_path_chmod,
				  int (*)(const struct path *, umode_t)));
	BUILD_BUG_ON(!__same_type(&security_path_chown,
				  int (*)(const struct path *, kuid_t, kgid_t)));
	BUILD_BUG_ON(!__same_type(&security_path_link,
				  int (*)(struct dentry *, const struct path *,
					  struct dentry *)));
	BUILD_BUG_ON(!__same_type(&security_path_symlink,
				  int (*)(const struct path *, struct dentry *,
					  const char *)));
	BUILD_BUG_ON(!__same_type(&security_path_truncate,
				  int (*)(const struct path *)));
	BUILD_BUG_ON(!__same_type(&vigil_on_file_open, kprobe_pre_handler_t));
}

/**
 * vigil_rec_file_inode() - a file record's view of an inode
 * @ev: the record's fixed part
 * @inode: the file's inode, or NULL for a file not made yet
 * @dir: the directory's, for @dev when @inode is NULL
 */
void vigil_rec_file_inode(struct vigil_file_event *ev, const struct inode *inode,
			  const struct inode *dir)
{
	const struct inode *dev_of = inode ? inode : dir;

	if (dev_of)
		ev->dev = new_encode_dev(dev_of->i_sb->s_dev);
	if (!inode)
		return;
	ev->ino = inode->i_ino;
	ev->mode = inode->i_mode;
	ev->uid = vigil_rec_uid(inode->i_uid);
	ev->gid = vigil_rec_gid(inode->i_gid);
}

/*
 * What one file event is about, for vigil_file_event().  A path given as
 * an entry of a directory is built from the directory's path and the
 * entry's name: the entry may not exist yet, and d_path() would call it
 * deleted.
 */
struct vigil_file_op {
	u32 type;			/* VIGIL_EVENT_FILE_* */
	const struct path *path;	/* VIGIL_FIELD_PATH... */
	const struct path *dir;		/* ...or @dentry in @dir */
	struct dentry *dentry;
	const struct path *new_dir;	/* VIGIL_FIELD_NEW_PATH, @new_dentry */
	struct dentry *new_dentry;	/* in @new_dir; or NULL */
	const char *target;		/* VIGIL_FIELD_TARGET, or NULL */
	const struct inode *inode;	/* the file's, or NULL */
	u32 flags;
	u32 attr;			/* FILE_ATTR: VIGIL_ATTR_* set below */
	umode_t mode;
	kuid_t uid;
	kgid_t gid;
};

/* A private inode, which the security hooks skip: not reported either. */
static bool vigil_file_private(const struct dentry *dentry)
{
	return IS_PRIVATE(d_backing_inode(dentry));
}

static void vigil_file_fill(struct vigil_file_event *ev, const struct vigil_file_op *op)
{
	vigil_rec_file_inode(ev, op->inode,
			     op->dir ? d_backing_inode(op->dir->dentry) : NULL);
	ev->flags = op->flags;
	if (op->type == VIGIL_EVENT_FILE_CREATE || (op->attr & VIGIL_ATTR_MODE))
		ev->mode = op->mode;
	if (op->attr & VIGIL_ATTR_UID)
		ev->uid = vigil_rec_uid(op->uid);
	if (op->attr & VIGIL_ATTR_GID)
		ev->gid = vigil_rec_gid(op->gid);
}

static void vigil_file_event(const struct vigil_file_op *op)
{
	struct vigil_file_event *ev;
	struct vigil_emit em;

	if (current->flags & PF_KTHREAD)
		return;
	ev = vigil_emit_begin(&em, op->type, sizeof(*ev));
	if (!ev)
		return;
	vigil_emit_put_actor(&em, &ev->actor);
	if (op->path)
		vigil_emit_put_path(&em, VIGIL_FIELD_PATH, op->path);
	else
		vigil_emit_put_child_path(&em, VIGIL_FIELD_PATH, op->dir, op->dentry);
	if (vigil_emit_path_muted(&em)) {
		vigil_emit_cancel(&em);
		return;
	}
	vigil_file_fill(ev, op);
	if (op->new_dentry)
		vigil_emit_put_child_path(&em, VIGIL_FIELD_NEW_PATH, op->new_dir,
					  op->new_dentry);
	if (op->target)
		vigil_rec_put_str(&em.rec, VIGIL_FIELD_TARGET, op->target, VIGIL_PATH_MAX);
	vigil_emit_end(&em);
}

/* An event about an open file, not a directory. */
static void vigil_file_event_on(u32 type, struct file *file, u32 flags)
{
	struct inode *inode = file_inode(file);
	struct vigil_file_op op = {
		.type = type, .path = &file->f_path, .inode = inode,
		.flags = flags,
	};

	if (S_ISDIR(inode->i_mode) || vigil_file_private(file->f_path.dentry))
		return;
	vigil_file_event(&op);
}

/* security_file_open(file). */
int vigil_on_file_open(struct kprobe *kp, struct pt_regs *regs)
{
	struct file *file = (void *)vigil_kprobe_arg(regs, 0);

	vigil_file_event_on(VIGIL_EVENT_FILE_OPEN, file, file->f_flags);
	return 0;
}

/* __fput(file): the last reference to @file goes. */
int vigil_on_fput(struct kprobe *kp, struct pt_regs *regs)
{
	struct file *file = (void *)vigil_kprobe_arg(regs, 0);

	if (file->f_mode & FMODE_WRITE)
		vigil_file_event_on(VIGIL_EVENT_FILE_CLOSE_WRITE, file, 0);
	return 0;
}

/* security_file_truncate(file): ftruncate(2) and O_TRUNC opens, 6.2 on. */
int vigil_on_file_truncate(struct kprobe *kp, struct pt_regs *regs)
{
	struct file *file = (void *)vigil_kprobe_arg(regs, 0);

	vigil_file_event_on(VIGIL_EVENT_FILE_TRUNCATE, file, 0);
	return 0;
}

/* security_path_truncate(path): truncate(2), and before 6.2 all of them. */
int vigil_on_path_truncate(struct kprobe *kp, struct pt_regs *regs)
{
	const struct path *path = (void *)vigil_kprobe_arg(regs, 0);
	struct vigil_file_op op = {
		.type = VIGIL_EVENT_FILE_TRUNCATE, .path = path,
		.inode = d_backing_inode(path->dentry),
	};

	if (!vigil_file_private(path->dentry))
		vigil_file_event(&op);
	return 0;
}

/* security_path_mknod(dir, dentry, mode, dev): open(O_CREAT), mknod(2). */
int vigil_on_path_mknod(struct kprobe *kp, struct pt_regs *regs)
{
	const struct path *dir = (void *)vigil_kprobe_arg(regs, 0);
	struct vigil_file_op op = {
		.type = VIGIL_EVENT_FILE_CREATE, .dir = dir,
		.dentry = (void *)vigil_kprobe_arg(regs, 1),
		.mode = (umode_t)vigil_kprobe_arg(regs, 2),
	};

	if (!vigil_file_private(dir->dentry))
		vigil_file_event(&op);
	return 0;
}

static void vigil_file_unlink(struct pt_regs *regs, u32 flags)
{
	const struct path *dir = (void *)vigil_kprobe_arg(regs, 0);
	struct dentry *dentry = (void *)vigil_kprobe_arg(regs, 1);
	struct vigil_file_op op = {
		.type = VIGIL_EVENT_FILE_UNLINK, .dir = dir, .dentry = dentry,
		.inode = d_backing_inode(dentry), .flags = flags,
	};

	if (!vigil_file_private(dir->dentry))
		vigil_file_event(&op);
}

/* security_path_unlink(dir, dentry). */
int vigil_on_path_unlink(struct kprobe *kp, struct pt_regs *regs)
{
	vigil_file_unlink(regs, 0);
	return 0;
}

/* security_path_rmdir(dir, dentry). */
int vigil_on_path_rmdir(struct kprobe *kp, struct pt_regs *regs)
{
	vigil_file_unlink(regs, VIGIL_FILE_F_DIR);
	return 0;
}

/* security_path_rename(old_dir, old_dentry, new_dir, new_dentry, flags). */
int vigil_on_path_rename(struct kprobe *kp, struct pt_regs *regs)
{
	const struct path *old_dir = (void *)vigil_kprobe_arg(regs, 0);
	struct dentry *old_dentry = (void *)vigil_kprobe_arg(regs, 1);
	struct vigil_file_op op = {
		.type = VIGIL_EVENT_FILE_RENAME, .dir = old_dir, .dentry = old_dentry,
		.new_dir = (void *)vigil_kprobe_arg(regs, 2),
		.new_dentry = (void *)vigil_kprobe_arg(regs, 3),
		.inode = d_backing_inode(old_dentry),
		.flags = (u32)vigil_kprobe_arg(regs, 4),
	};

	if (!vigil_file_private(old_dir->dentry))
		vigil_file_event(&op);
	return 0;
}

static void vigil_file_attr(struct vigil_file_op *op, const struct path *path)
{
	op->type = VIGIL_EVENT_FILE_ATTR;
	op->path = path;
	op->inode = d_backing_inode(path->dentry);
	op->flags = op->attr;
	if (!vigil_file_private(path->dentry))
		vigil_file_event(op);
}

/* security_path_chmod(path, mode): the permission bits; the type stays. */
int vigil_on_path_chmod(struct kprobe *kp, struct pt_regs *regs)
{
	const struct path *path = (void *)vigil_kprobe_arg(regs, 0);
	umode_t mode = (umode_t)vigil_kprobe_arg(regs, 1);
	struct vigil_file_op op = {
		.attr = VIGIL_ATTR_MODE,
		.mode = (mode & S_IALLUGO) |
			(d_backing_inode(path->dentry)->i_mode & ~S_IALLUGO),
	};

	vigil_file_attr(&op, path);
	return 0;
}

/* security_path_chown(path, uid, gid): an invalid id stays as it is. */
int vigil_on_path_chown(struct kprobe *kp, struct pt_regs *regs)
{
	struct vigil_file_op op = {
		.uid = KUIDT_INIT((uid_t)vigil_kprobe_arg(regs, 1)),
		.gid = KGIDT_INIT((gid_t)vigil_kprobe_arg(regs, 2)),
	};

	if (uid_valid(op.uid))
		op.attr |= VIGIL_ATTR_UID;
	if (gid_valid(op.gid))
		op.attr |= VIGIL_ATTR_GID;
	vigil_file_attr(&op, (void *)vigil_kprobe_arg(regs, 0));
	return 0;
}

/* security_path_link(old_dentry, new_dir, new_dentry): one mount for both. */
int vigil_on_path_link(struct kprobe *kp, struct pt_regs *regs)
{
	struct dentry *old_dentry = (void *)vigil_kprobe_arg(regs, 0);
	const struct path *new_dir = (void *)vigil_kprobe_arg(regs, 1);
	struct path from = { .mnt = new_dir->mnt, .dentry = old_dentry };
	struct vigil_file_op op = {
		.type = VIGIL_EVENT_FILE_LINK, .path = &from, .new_dir = new_dir,
		.new_dentry = (void *)vigil_kprobe_arg(regs, 2),
		.inode = d_backing_inode(old_dentry),
	};

	if (!vigil_file_private(new_dir->dentry))
		vigil_file_event(&op);
	return 0;
}

/* security_path_symlink(dir, dentry, old_name): the link, and what it says. */
int vigil_on_path_symlink(struct kprobe *kp, struct pt_regs *regs)
{
	const struct path *dir = (void *)vigil_kprobe_arg(regs, 0);
	struct vigil_file_op op = {
		.type = VIGIL_EVENT_FILE_LINK, .dir = dir,
		.dentry = (void *)vigil_kprobe_arg(regs, 1),
		.target = (const char *)vigil_kprobe_arg(regs, 2),
		.flags = VIGIL_FILE_F_SYMLINK,
	};

	if (!vigil_file_private(dir->dentry))
		vigil_file_event(&op);
	return 0;
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "file_events_test.c"
#endif
