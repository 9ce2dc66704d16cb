// SPDX-License-Identifier: GPL-2.0
/*
 * Process events: the handlers of the sched_process_fork, _exec and _exit
 * tracepoints.  They run with preemption disabled, in the task concerned.
 */

#include <linux/atomic.h>
#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <trace/events/sched.h>

#include "emit.h"
#include "proc_events.h"

/*
 * The tracepoints are attached by name, through a void pointer; have the
 * compiler check each handler against the kernel's own TP_PROTO.
 */
static void __maybe_unused vigil_proc_events_check_types(void)
{
	check_trace_callback_type_sched_process_fork(vigil_on_fork);
	check_trace_callback_type_sched_process_exec(vigil_on_exec);
	check_trace_callback_type_sched_process_exit(vigil_on_exit);
}

static bool vigil_is_kthread(const struct task_struct *task)
{
	return task->flags & PF_KTHREAD;
}

void vigil_on_fork(void *data, struct task_struct *parent,
		   struct task_struct *child)
{
	struct vigil_fork_event *ev;
	struct vigil_emit em;

	if (vigil_is_kthread(child))
		return;
	ev = vigil_emit_begin(&em, VIGIL_EVENT_FORK, sizeof(*ev));
	if (!ev)
		return;
	vigil_rec_fill_proc(&ev->parent, parent);
	ev->child_pid = task_pid_nr(child);
	ev->child_tgid = task_tgid_nr(child);
	vigil_emit_end(&em);
}

/*
 * The arguments are read from the new program's stack, where exec has
 * just copied them: the pages are present, so reading them without
 * faulting works.
 */
void vigil_on_exec(void *data, struct task_struct *p, pid_t old_pid,
		   struct linux_binprm *bprm)
{
	struct vigil_exec_event *ev;
	struct mm_struct *mm = p->mm;
	struct vigil_emit em;

	ev = vigil_emit_begin(&em, VIGIL_EVENT_EXEC, sizeof(*ev));
	if (!ev)
		return;
	vigil_rec_fill_proc(&ev->proc, p);
	ev->old_pid = old_pid;
	ev->argc = bprm->argc;
	vigil_rec_put_path(&em.rec, VIGIL_FIELD_EXE, &bprm->file->f_path);
	vigil_rec_put_str(&em.rec, VIGIL_FIELD_FILENAME, bprm->filename,
			  VIGIL_PATH_MAX);
	vigil_rec_put_user_strings(&em.rec, VIGIL_FIELD_ARGV,
				   mm ? mm->arg_start : 0,
				   mm ? mm->arg_end : 0, VIGIL_ARGV_MAX);
	vigil_emit_end(&em);
}

void vigil_on_exit(void *data, struct task_struct *p)
{
	struct vigil_exit_event *ev;
	struct vigil_emit em;

	if (vigil_is_kthread(p))
		return;
	ev = vigil_emit_begin(&em, VIGIL_EVENT_EXIT, sizeof(*ev));
	if (!ev)
		return;
	vigil_rec_fill_proc(&ev->proc, p);
	ev->exit_code = p->exit_code;
	/* do_exit() has already counted this thread out of signal->live. */
	if (!atomic_read(&p->signal->live))
		ev->flags |= VIGIL_EXIT_F_PROCESS;
	vigil_emit_end(&em);
}
