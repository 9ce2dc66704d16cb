/* SPDX-License-Identifier: GPL-2.0 */
/* File events: see file_events.c. */
#ifndef _VIGIL_FILE_EVENTS_H
#define _VIGIL_FILE_EVENTS_H

struct inode;
struct kprobe;
struct pt_regs;
struct vigil_file_event;

int vigil_on_file_open(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_fput(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_file_truncate(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_path_truncate(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_path_mknod(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_path_unlink(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_path_rmdir(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_path_rename(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_path_chmod(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_path_chown(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_path_link(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_path_symlink(struct kprobe *kp, struct pt_regs *regs);

/* The encoder of a file's attributes, for the KUnit tests too. */
void vigil_rec_file_inode(struct vigil_file_event *ev, const struct inode *inode,
			  const struct inode *dir);

#endif /* _VIGIL_FILE_EVENTS_H */
