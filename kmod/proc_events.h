/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process events: fork, exec and exit.  The fork and exec handlers have
 * the prototypes of their tracepoints (TP_PROTO in <trace/events/sched.h>),
 * with the probe's data pointer first; the exit handler is a kprobe
 * pre-handler.  proc_events.c has the compiler check them.
 */
#ifndef _VIGIL_PROC_EVENTS_H
#define _VIGIL_PROC_EVENTS_H

#include <linux/types.h>

struct kprobe;
struct linux_binprm;
struct pt_regs;
struct task_struct;

void vigil_on_fork(void *data, struct task_struct *parent,
		   struct task_struct *child);
void vigil_on_exec(void *data, struct task_struct *p, pid_t old_pid,
		   struct linux_binprm *bprm);
int vigil_on_exit(struct kprobe *kp, struct pt_regs *regs);

#endif /* _VIGIL_PROC_EVENTS_H */
