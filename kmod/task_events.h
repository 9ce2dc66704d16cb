/* SPDX-License-Identifier: GPL-2.0 */
/* Credential, signal and ptrace events: see task_events.c. */
#ifndef _VIGIL_TASK_EVENTS_H
#define _VIGIL_TASK_EVENTS_H

#include <linux/types.h>
#include <linux/vigil.h>

struct cred;
struct kernel_siginfo;
struct kprobe;
struct pt_regs;
struct task_struct;

int vigil_on_commit_creds(struct kprobe *kp, struct pt_regs *regs);
void vigil_on_signal(void *data, int sig, struct kernel_siginfo *info,
		     struct task_struct *task, int group, int result);
int vigil_on_task_kill(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_ptrace_link(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_ptrace_access_check(struct kprobe *kp, struct pt_regs *regs);

/* The encoders, for the KUnit tests too. */
u32 vigil_rec_cred(struct vigil_cred_event *ev, const struct cred *old,
		   const struct cred *new);
void vigil_rec_signal(struct vigil_signal_event *ev, int sig,
		      const struct kernel_siginfo *info,
		      struct task_struct *task, int group, int result);
void vigil_rec_ptrace(struct vigil_ptrace_event *ev, struct task_struct *child,
		      struct task_struct *tracer, struct task_struct *actor);

#endif /* _VIGIL_TASK_EVENTS_H */
