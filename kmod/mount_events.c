// SPDX-License-Identifier: GPL-2.0
/*
 * Mount events: kprobes on the security hooks every mount and unmount
 * passes, security_sb_mount() (mount(2): new mounts, binds, remounts,
 * moves), security_move_mount() (the new mount API's move_mount(2), which
 * is how fsmount(2)'s mounts are attached) and security_sb_umount().  They
 * run in the task mounting, before the change is made; a mount point
 * under a muted prefix is muted.
 */

#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/security.h>

#include "compat.h"
#include "emit.h"
#include "mount_events.h"

/* Longest mount source or filesystem type recorded, NUL included. */
#define VIGIL_MOUNT_STR_MAX	VIGIL_PATH_MAX

static void __maybe_unused vigil_mount_events_check_types(void)
{
	BUILD_BUG_ON(!__same_type(&security_sb_mount,
				  int (*)(const char *, const struct path *,
					  const char *, unsigned long, void *)));
	BUILD_BUG_ON(!__same_type(&security_move_mount,
				  int (*)(const struct path *, const struct path *)));
	BUILD_BUG_ON(!__same_type(&security_sb_umount,
				  int (*)(struct vfsmount *, int)));
	BUILD_BUG_ON(!__same_type(&vigil_on_sb_mount, kprobe_pre_handler_t));
}

/*
 * Start a mount record: the actor, then @source if any, then the mount
 * point, which may be muted.  Return: the fixed part, or NULL.
 */
static struct vigil_mount_event *vigil_mount_begin(struct vigil_emit *em, u32 type,
						   const char *source,
						   const struct path *from,
						   const struct path *point)
{
	struct vigil_mount_event *ev;

	if (current->flags & PF_KTHREAD)
		return NULL;
	ev = vigil_emit_begin(em, type, sizeof(*ev));
	if (!ev)
		return NULL;
	vigil_emit_put_actor(em, &ev->actor);
	if (source)
		vigil_rec_put_str(&em->rec, VIGIL_FIELD_SOURCE, source,
				  VIGIL_MOUNT_STR_MAX);
	else if (from)
		vigil_emit_put_path(em, VIGIL_FIELD_SOURCE, from);
	vigil_emit_put_path(em, VIGIL_FIELD_PATH, point);
	if (vigil_emit_path_muted(em)) {
		vigil_emit_cancel(em);
		return NULL;
	}
	return ev;
}

static void vigil_mount_end(struct vigil_emit *em, const char *fstype)
{
	if (fstype)
		vigil_rec_put_str(&em->rec, VIGIL_FIELD_FSTYPE, fstype,
				  VIGIL_MOUNT_STR_MAX);
	vigil_emit_end(em);
}

/* security_sb_mount(dev_name, path, type, flags, data): kernel copies. */
int vigil_on_sb_mount(struct kprobe *kp, struct pt_regs *regs)
{
	const char *source = (void *)vigil_kprobe_arg(regs, 0);
	const struct path *point = (void *)vigil_kprobe_arg(regs, 1);
	const char *fstype = (void *)vigil_kprobe_arg(regs, 2);
	struct vigil_mount_event *ev;
	struct vigil_emit em;

	ev = vigil_mount_begin(&em, VIGIL_EVENT_MOUNT, source, NULL, point);
	if (!ev)
		return 0;
	ev->flags = vigil_kprobe_arg(regs, 3);
	vigil_mount_end(&em, fstype);
	return 0;
}

/* security_move_mount(from_path, to_path). */
int vigil_on_move_mount(struct kprobe *kp, struct pt_regs *regs)
{
	const struct path *from = (void *)vigil_kprobe_arg(regs, 0);
	const struct path *to = (void *)vigil_kprobe_arg(regs, 1);
	struct vigil_mount_event *ev;
	struct vigil_emit em;

	ev = vigil_mount_begin(&em, VIGIL_EVENT_MOUNT, NULL, from, to);
	if (!ev)
		return 0;
	ev->flags = VIGIL_MOUNT_F_MOVE_MOUNT;
	vigil_mount_end(&em, from->mnt->mnt_sb->s_type->name);
	return 0;
}

/* security_sb_umount(mnt, flags): the mount point is the mount's root. */
int vigil_on_sb_umount(struct kprobe *kp, struct pt_regs *regs)
{
	struct vfsmount *mnt = (void *)vigil_kprobe_arg(regs, 0);
	struct path point = { .mnt = mnt, .dentry = mnt->mnt_root };
	struct vigil_mount_event *ev;
	struct vigil_emit em;

	ev = vigil_mount_begin(&em, VIGIL_EVENT_UMOUNT, NULL, NULL, &point);
	if (!ev)
		return 0;
	ev->flags = (u32)vigil_kprobe_arg(regs, 1);
	vigil_mount_end(&em, mnt->mnt_sb->s_type->name);
	return 0;
}
