// SPDX-License-Identifier: GPL-2.0
/*
 * Events about what processes may do to themselves and to each other:
 * credential changes (a kprobe on commit_creds()), signals sent to
 * another process (the signal_generate tracepoint) and ptrace attaches (a
 * kprobe on __ptrace_link(), where every way of becoming traced ends).
 * Every handler runs in atomic context, in the acting task; kernel
 * threads are not reported, nor the signals the kernel sends.
 */

#include <linux/cred.h>
#include <linux/kprobes.h>
#include <linux/preempt.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/security.h>
#include <linux/signal.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <trace/events/signal.h>

#include "compat.h"
#include "emit.h"
#include "task_events.h"

/* The hook points are attached by name: check the handlers' prototypes. */
static void __maybe_unused vigil_task_events_check_types(void)
{
	check_trace_callback_type_signal_generate(vigil_on_signal);
	BUILD_BUG_ON(!__same_type(&commit_creds, int (*)(struct cred *)));
	BUILD_BUG_ON(!__same_type(&__ptrace_link,
				  void (*)(struct task_struct *, struct task_struct *,
					   const struct cred *)));
	BUILD_BUG_ON(!__same_type(&security_task_kill,
				  int (*)(struct task_struct *, struct kernel_siginfo *,
					  int, const struct cred *)));
	BUILD_BUG_ON(!__same_type(&security_ptrace_access_check,
				  int (*)(struct task_struct *, unsigned int)));
	BUILD_BUG_ON(!__same_type(&vigil_on_commit_creds, kprobe_pre_handler_t));
	BUILD_BUG_ON(!__same_type(&vigil_on_task_kill, kprobe_pre_handler_t));
	BUILD_BUG_ON(!__same_type(&vigil_on_ptrace_link, kprobe_pre_handler_t));
	BUILD_BUG_ON(!__same_type(&vigil_on_ptrace_access_check,
				  kprobe_pre_handler_t));
}

static bool vigil_current_is_kthread(void)
{
	return current->flags & PF_KTHREAD;
}

static void vigil_cred_ids(struct vigil_ids *ids, const struct cred *c)
{
	ids->uid = vigil_rec_uid(c->uid);
	ids->euid = vigil_rec_uid(c->euid);
	ids->suid = vigil_rec_uid(c->suid);
	ids->fsuid = vigil_rec_uid(c->fsuid);
	ids->gid = vigil_rec_gid(c->gid);
	ids->egid = vigil_rec_gid(c->egid);
	ids->sgid = vigil_rec_gid(c->sgid);
	ids->fsgid = vigil_rec_gid(c->fsgid);
}

static void vigil_cred_caps(struct vigil_caps *caps, const struct cred *c)
{
	caps->effective = vigil_cap_u64(c->cap_effective);
	caps->permitted = vigil_cap_u64(c->cap_permitted);
	caps->inheritable = vigil_cap_u64(c->cap_inheritable);
	caps->ambient = vigil_cap_u64(c->cap_ambient);
}

/**
 * vigil_rec_cred() - the old and new credentials of a VIGIL_EVENT_CRED
 * @ev: the record's fixed part
 * @old: the credentials before
 * @new: after
 *
 * Return: VIGIL_CRED_* of what differs; 0 if nothing reported does.
 */
u32 vigil_rec_cred(struct vigil_cred_event *ev, const struct cred *old,
		   const struct cred *new)
{
	vigil_cred_ids(&ev->old_ids, old);
	vigil_cred_ids(&ev->new_ids, new);
	vigil_cred_caps(&ev->old_caps, old);
	vigil_cred_caps(&ev->new_caps, new);
	ev->changed = 0;
	if (memcmp(&ev->old_ids.uid, &ev->new_ids.uid, 4 * sizeof(u32)))
		ev->changed |= VIGIL_CRED_UIDS;
	if (memcmp(&ev->old_ids.gid, &ev->new_ids.gid, 4 * sizeof(u32)))
		ev->changed |= VIGIL_CRED_GIDS;
	if (memcmp(&ev->old_caps, &ev->new_caps, sizeof(ev->old_caps)))
		ev->changed |= VIGIL_CRED_CAPS;
	return ev->changed;
}

/* commit_creds(struct cred *new): current's credentials become @new. */
int vigil_on_commit_creds(struct kprobe *kp, struct pt_regs *regs)
{
	const struct cred *new = (void *)vigil_kprobe_arg(regs, 0);
	struct vigil_cred_event *ev;
	struct vigil_emit em;

	if (vigil_current_is_kthread())
		return 0;
	ev = vigil_emit_begin(&em, VIGIL_EVENT_CRED, sizeof(*ev));
	if (!ev)
		return 0;
	/* The objective credentials, which commit_creds() replaces. */
	if (!vigil_rec_cred(ev, current_real_cred(), new)) {
		vigil_emit_cancel(&em);
		return 0;
	}
	vigil_emit_put_actor(&em, &ev->actor);
	vigil_emit_end(&em);
	return 0;
}

/*
 * Sent by a process, not by the kernel: kill(2) and the like, or
 * send_sig() without information, which the kernel delivers as SI_USER.
 */
static bool vigil_signal_from_user(const struct kernel_siginfo *info)
{
	if (info == SEND_SIG_NOINFO)
		return true;
	if (info == SEND_SIG_PRIV)
		return false;
	return SI_FROMUSER(info);
}

static s32 vigil_signal_code(const struct kernel_siginfo *info)
{
	if (info == SEND_SIG_NOINFO)
		return SI_USER;
	if (info == SEND_SIG_PRIV)
		return SI_KERNEL;
	return info->si_code;
}

/**
 * vigil_rec_signal() - the fixed part of a VIGIL_EVENT_SIGNAL
 * @ev: the record's fixed part
 * @sig: the signal
 * @info: its information, or SEND_SIG_NOINFO, SEND_SIG_PRIV
 * @task: the target
 * @group: whether it is for the whole process
 * @result: TRACE_SIGNAL_*
 */
void vigil_rec_signal(struct vigil_signal_event *ev, int sig,
		      const struct kernel_siginfo *info,
		      struct task_struct *task, int group, int result)
{
	ev->target_pid = task_pid_nr(task);
	ev->target_tgid = task_tgid_nr(task);
	ev->signo = sig;
	ev->code = vigil_signal_code(info);
	ev->flags = group ? VIGIL_SIGNAL_F_GROUP : 0;
	ev->result = result;
}

/*
 * Is the signal current is sending the kernel's, though it may look sent
 * by a process?  Raised in interrupt context (a POSIX timer's expiry,
 * SI_TIMER), current is only the task that was interrupted; an exiting
 * task sends only its children's parent-death signals (PR_SET_PDEATHSIG),
 * as SEND_SIG_NOINFO.
 */
static bool vigil_signal_from_kernel(void)
{
	return !in_task() || vigil_current_is_kthread() ||
	       (current->flags & PF_EXITING);
}

/*
 * A timer on a process's CPU time fires in that process, from task work:
 * its SI_TIMER signal is the kernel's too.  rt_sigqueueinfo(2) can send
 * SI_TIMER itself, but from a siginfo on the sender's stack; a timer's is
 * in its preallocated sigqueue.
 */
static bool vigil_signal_from_timer(const struct kernel_siginfo *info)
{
	return info != SEND_SIG_NOINFO && info != SEND_SIG_PRIV &&
	       info->si_code == SI_TIMER && !object_is_on_stack(info);
}

/*
 * security_task_kill(): a process is about to send signal @sig to @p, and
 * may (kill(2), tkill(2), sigqueue(3), pidfd_send_signal(2)).  The record
 * comes from signal_generate, under @p's siglock, where the sender's
 * executable path may not be built: build it into the cache now.
 */
int vigil_on_task_kill(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *p = (void *)vigil_kprobe_arg(regs, 0);
	int sig = (int)vigil_kprobe_arg(regs, 2);

	if (sig && !vigil_signal_from_kernel() && !same_thread_group(p, current))
		vigil_emit_warm_exe(VIGIL_EVENT_SIGNAL);
	return 0;
}

/*
 * signal_generate: called with @task's siglock held, interrupts off.  The
 * sender's executable path comes from the cache only (see exe_cache.c),
 * warmed by vigil_on_task_kill().
 */
void vigil_on_signal(void *data, int sig, struct kernel_siginfo *info,
		     struct task_struct *task, int group, int result)
{
	struct vigil_signal_event *ev;
	struct vigil_emit em;

	if (vigil_signal_from_kernel() || same_thread_group(task, current) ||
	    !vigil_signal_from_user(info) || vigil_signal_from_timer(info))
		return;
	ev = vigil_emit_begin(&em, VIGIL_EVENT_SIGNAL, sizeof(*ev));
	if (!ev)
		return;
	vigil_rec_signal(ev, sig, info, task, group, result);
	vigil_emit_put_actor(&em, &ev->actor);
	vigil_emit_end(&em);
}

/**
 * vigil_rec_ptrace() - the fixed part of a VIGIL_EVENT_PTRACE
 * @ev: the record's fixed part
 * @child: the task now traced
 * @tracer: its tracer
 * @actor: the task making it so: current
 */
void vigil_rec_ptrace(struct vigil_ptrace_event *ev, struct task_struct *child,
		      struct task_struct *tracer, struct task_struct *actor)
{
	ev->tracer_pid = task_pid_nr(tracer);
	ev->tracer_tgid = task_tgid_nr(tracer);
	ev->target_pid = task_pid_nr(child);
	ev->target_tgid = task_tgid_nr(child);
	if (child == actor)
		ev->flags = VIGIL_PTRACE_F_TRACEME;
	else if (tracer != actor)
		ev->flags = VIGIL_PTRACE_F_FORK;
}

/*
 * security_ptrace_access_check(): before PTRACE_ATTACH and PTRACE_SEIZE
 * take tasklist_lock, under which __ptrace_link() makes the record: build
 * the tracer's executable path into the cache now.  (The other checks for
 * attach-level access, /proc/PID/mem and the like, warm it needlessly.)
 */
int vigil_on_ptrace_access_check(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned int mode = (unsigned int)vigil_kprobe_arg(regs, 1);

	if ((mode & PTRACE_MODE_ATTACH) && !vigil_current_is_kthread())
		vigil_emit_warm_exe(VIGIL_EVENT_PTRACE);
	return 0;
}

/*
 * __ptrace_link(child, new_parent, ptracer_cred), with tasklist_lock held
 * for writing, interrupts off: PTRACE_ATTACH and _SEIZE (current is the
 * tracer), PTRACE_TRACEME (current is the child) and the children of a
 * traced process that follows forks (current is their parent).  The
 * actor's executable path comes from the cache only (see exe_cache.c):
 * warmed for an attach, perhaps not for PTRACE_TRACEME or a traced fork.
 */
int vigil_on_ptrace_link(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *child = (void *)vigil_kprobe_arg(regs, 0);
	struct task_struct *tracer = (void *)vigil_kprobe_arg(regs, 1);
	struct vigil_ptrace_event *ev;
	struct vigil_emit em;

	if (vigil_current_is_kthread())
		return 0;
	ev = vigil_emit_begin(&em, VIGIL_EVENT_PTRACE, sizeof(*ev));
	if (!ev)
		return 0;
	vigil_rec_ptrace(ev, child, tracer, current);
	vigil_emit_put_actor(&em, &ev->actor);
	vigil_emit_end(&em);
	return 0;
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "task_events_test.c"
#endif
