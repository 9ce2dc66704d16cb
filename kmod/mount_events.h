/* SPDX-License-Identifier: GPL-2.0 */
/* Mount events: see mount_events.c. */
#ifndef _VIGIL_MOUNT_EVENTS_H
#define _VIGIL_MOUNT_EVENTS_H

struct kprobe;
struct pt_regs;

int vigil_on_sb_mount(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_move_mount(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_sb_umount(struct kprobe *kp, struct pt_regs *regs);

#endif /* _VIGIL_MOUNT_EVENTS_H */
