// SPDX-License-Identifier: GPL-2.0
/*
 * Process events: the handlers of the sched_process_fork and _exec
 * tracepoints and of a kprobe on taskstats_exit().  They run in atomic
 * context, in the task concerned.  Kernel threads' forks and exits are
 * not reported.
 */

#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/kprobes.h>
#include <linux/mm_types.h>
#include <linux/sched.h>
#include <linux/ptrace.h>
#include <linux/taskstats_kern.h>
#include <trace/events/sched.h>

#include "compat.h"
#include "emit.h"
#include "proc_events.h"

/*
 * The hook points are attached by name, through a void pointer; have the
 * compiler check each handler against the kernel's own prototypes.
 */
static void __maybe_unused vigil_proc_events_check_types(void)
{
	check_trace_callback_type_sched_process_fork(vigil_on_fork);
	check_trace_callback_type_sched_process_exec(vigil_on_exec);
	BUILD_BUG_ON(!__same_type(&taskstats_exit,
				  void (*)(struct task_struct *, int)));
	BUILD_BUG_ON(!__same_type(&vigil_on_exit, kprobe_pre_handler_t));
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
	ev->exe_dev = new_encode_dev(file_inode(bprm->file)->i_sb->s_dev);
	ev->exe_ino = file_inode(bprm->file)->i_ino;
	vigil_emit_put_path(&em, VIGIL_FIELD_EXE, &bprm->file->f_path);
	if (vigil_emit_path_muted(&em)) {
		vigil_emit_cancel(&em);
		return;
	}
	vigil_rec_put_str(&em.rec, VIGIL_FIELD_FILENAME, bprm->filename,
			  VIGIL_PATH_MAX);
	vigil_rec_put_user_strings(&em.rec, VIGIL_FIELD_ARGV,
				   mm ? mm->arg_start : 0,
				   mm ? mm->arg_end : 0, VIGIL_ARGV_MAX);
	vigil_emit_end(&em);
}

/* taskstats_exit(struct task_struct *tsk, int group_dead), from do_exit(). */
int vigil_on_exit(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *p = (void *)vigil_kprobe_arg(regs, 0);
	bool group_dead = vigil_kprobe_arg(regs, 1);
	struct vigil_exit_event *ev;
	struct vigil_emit em;

	if (vigil_is_kthread(p))
		return 0;
	ev = vigil_emit_begin(&em, VIGIL_EVENT_EXIT, sizeof(*ev));
	if (!ev)
		return 0;
	vigil_rec_fill_proc(&ev->proc, p);
	ev->exit_code = p->exit_code;
	if (group_dead)
		ev->flags |= VIGIL_EXIT_F_PROCESS;
	vigil_emit_end(&em);
	return 0;
}
