/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process events: fork, exec and exit.  The handlers have the prototypes
 * of their tracepoints (TP_PROTO in <trace/events/sched.h>), with the
 * probe's data pointer first; proc_events.c has the compiler check them.
 */
#ifndef _VIGIL_PROC_EVENTS_H
#define _VIGIL_PROC_EVENTS_H

#include <linux/types.h>

struct linux_binprm;
struct task_struct;

void vigil_on_fork(void *data, struct task_struct *parent,
		   struct task_struct *child);
void vigil_on_exec(void *data, struct task_struct *p, pid_t old_pid,
		   struct linux_binprm *bprm);
void vigil_on_exit(void *data, struct task_struct *p);

#endif /* _VIGIL_PROC_EVENTS_H */
