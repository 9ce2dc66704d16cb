// SPDX-License-Identifier: GPL-2.0
/*
 * Emitting events.
 *
 * A hook calls vigil_emit_begin(), fills in the fixed part and the fields
 * of its record, and calls vigil_emit_end() (or vigil_emit_cancel() if
 * the record's path turns out muted).  Events nobody subscribed to, the
 * broker's own and muted ones stop in vigil_emit_begin() and cost
 * nothing more.  The record is built in a per-CPU scratch buffer, so that
 * the ring is charged its exact length, then copied into the ring.  A
 * hook that interrupts another on the same CPU gets the next scratch
 * level; past the last level the event is dropped and counted.
 *
 * Context: any but NMI.  Nothing here sleeps.
 */

#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/mm_types.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "emit.h"
#include "exe_cache.h"
#include "fault.h"
#include "hook_clock.h"
#include "inject.h"
#include "limit.h"
#include "mute.h"
#include "params.h"
#include "ring.h"
#include "session.h"
#include "source.h"

/* Task, soft interrupt, hard interrupt: one level each. */
#define VIGIL_SCRATCH_LEVELS	3

struct vigil_scratch {
	void *buf[VIGIL_SCRATCH_LEVELS];
	int depth;		/* levels in use on this CPU */
};

static DEFINE_PER_CPU(struct vigil_scratch, vigil_scratch);

/* The connected broker's session; NULL when no broker is connected. */
static struct vigil_session __rcu *vigil_emit_session;

int vigil_emit_init(void)
{
	unsigned int cpu, level;
	int err;

	err = vigil_exe_cache_init();
	if (err)
		return err;

	for_each_possible_cpu(cpu) {
		struct vigil_scratch *sc = per_cpu_ptr(&vigil_scratch, cpu);

		for (level = 0; level < VIGIL_SCRATCH_LEVELS; level++) {
			sc->buf[level] = kvmalloc(VIGIL_RECORD_MAX, GFP_KERNEL);
			if (!sc->buf[level]) {
				vigil_emit_uninit();
				return -ENOMEM;
			}
		}
	}
	return 0;
}

void vigil_emit_uninit(void)
{
	unsigned int cpu, level;

	vigil_exe_cache_uninit();

	for_each_possible_cpu(cpu) {
		struct vigil_scratch *sc = per_cpu_ptr(&vigil_scratch, cpu);

		for (level = 0; level < VIGIL_SCRATCH_LEVELS; level++) {
			kvfree(sc->buf[level]);
			sc->buf[level] = NULL;
		}
	}
}

/* Send events to @s from now on.  Call before attaching hooks. */
void vigil_emit_start(struct vigil_session *s)
{
	/* Pairs with rcu_dereference_sched() in vigil_emit_begin(). */
	rcu_assign_pointer(vigil_emit_session, s);
}

/*
 * Stop sending events.  Call after detaching hooks; on return no hook is
 * still using the ring.
 */
void vigil_emit_stop(void)
{
	RCU_INIT_POINTER(vigil_emit_session, NULL);
	/*
	 * Waits for every vigil_emit_begin()..end() section still running:
	 * they run with preemption disabled, which synchronize_rcu() covers.
	 */
	synchronize_rcu();
}

/*
 * Take this CPU's next scratch buffer, and say which level it is at.
 * Preemption is disabled.
 */
static void *vigil_scratch_get(int *level)
{
	/* IRQ-safe per-CPU increment: a nested hook takes the next level. */
	*level = this_cpu_inc_return(vigil_scratch.depth) - 1;
	if (*level >= VIGIL_SCRATCH_LEVELS) {
		this_cpu_dec(vigil_scratch.depth);
		return NULL;
	}
	return this_cpu_read(vigil_scratch.buf[*level]);
}

static void vigil_scratch_put(void)
{
	this_cpu_dec(vigil_scratch.depth);
}

/*
 * current's executable, for mutes by executable; only compared, never
 * dereferenced.  (On kernels that reuse struct file under RCU, a racing
 * PR_SET_MM_EXE_FILE by another thread, which takes CAP_SYS_RESOURCE, can
 * make this stale: the worst is a mute decided on the old executable.)
 */
static const struct inode *vigil_current_exe(void)
{
	struct mm_struct *mm = current->mm;
	struct file *exe;

	if (!mm)
		return NULL;
	/* Protected by the caller's RCU read-side section. */
	exe = rcu_dereference_check(mm->exe_file, 1);
	return exe ? file_inode(exe) : NULL;
}

/**
 * vigil_emit_process_muted() - is an event of @type by current muted?
 * @s: the session
 * @type: VIGIL_EVENT_*
 *
 * Context: an RCU read-side section (preemption disabled counts).
 * Return: true for the broker's own events and muted processes.
 */
bool vigil_emit_process_muted(struct vigil_session *s, u32 type)
{
	const struct vigil_mutes *m;

	if (task_tgid(current) == s->broker)
		return true;
	m = rcu_dereference_check(s->mutes.cur, 1);
	if (!m)
		return false;
	return vigil_mutes_process(m, type, task_tgid(current),
				   vigil_current_exe());
}

/*
 * An event of @type, of source @source, that will not reach its ring: it
 * takes a number there, and counts, for the ring and for its source.
 */
static void vigil_emit_drop(struct vigil_session *s, u32 type, u32 source,
			    unsigned int cause)
{
	struct vigil_ring *ring = vigil_session_ring(s, type);

	vigil_ring_next_seq(ring);
	vigil_ring_count_drop(ring, cause);
	vigil_source_produced(&s->sources, source);
	vigil_source_dropped(&s->sources, source, cause);
}

/*
 * A hook that ran past its budget is a fault: hooks must stay short.  Its
 * time is its own work, on the hook clock: not time its CPU was taken.
 */
static void vigil_emit_check_time(const struct vigil_emit *em, u32 type)
{
	u64 ns = vigil_hook_clock_ns() - em->hook_start_ns;

	if (unlikely(ns > (u64)vigil_param_watchdog_hook_budget_ms() * NSEC_PER_MSEC))
		vigil_fault_slow_hook(type, ns);
}

/* Is a record of @type wanted by a broker subscribed to @events? */
static bool vigil_emit_wanted(u64 events, u32 type)
{
	/* The shim's reports of AUTH decisions come with the AUTH events. */
	if (type == VIGIL_EVENT_AUTH_FALLBACK)
		return events & VIGIL_AUTH_EVENTS;
	return events & VIGIL_EVENT_BIT(type);
}

/**
 * vigil_emit_begin() - start emitting an event
 * @em: the emit state, on the caller's stack
 * @type: VIGIL_EVENT_*
 * @fixed_len: size of the type's struct vigil_*_event
 *
 * On success preemption stays disabled until vigil_emit_end() or
 * vigil_emit_cancel(), one of which must follow without sleeping.
 *
 * Return: the record's fixed part, zeroed but for its header, to be filled
 * in; or NULL, with em->status saying why: no broker or not subscribed,
 * muted, or dropped (and counted: a rate limit, no scratch buffer left,
 * an internal error).
 */
void *vigil_emit_begin(struct vigil_emit *em, u32 type, u32 fixed_len)
{
	struct vigil_event *ev;
	void *buf;
	u64 now;

	/* An RCU-sched read-side section: keeps the session until end. */
	preempt_disable();
	em->session = rcu_dereference_sched(vigil_emit_session);
	em->status = VIGIL_EMIT_UNWANTED;
	em->wake_now = false;
	if (!em->session ||
	    !vigil_emit_wanted(READ_ONCE(em->session->events), type))
		goto out_enable;
	em->status = VIGIL_EMIT_DROPPED;
	em->source = VIGIL_SOURCE_SHIM;
	/*
	 * A record is about current, built in its context: in an interrupt,
	 * current is a bystander, and fs->lock or d_path()'s locks may be
	 * held by the very task interrupted.  A hook that gets here is a bug.
	 */
	if (VIGIL_BUG_ON(!in_task())) {
		vigil_emit_drop(em->session, type, em->source, VIGIL_DROP_INTERNAL);
		goto out_enable;
	}
	em->status = VIGIL_EMIT_MUTED;
	if (vigil_emit_process_muted(em->session, type))
		goto out_enable;

	em->status = VIGIL_EMIT_DROPPED;
	em->source = vigil_source_current(&em->session->sources);
	em->hook_start_ns = vigil_hook_clock_ns();
	now = ktime_get_ns();
	if (!vigil_limit_allow(&em->session->limits, type, now)) {
		vigil_emit_drop(em->session, type, em->source, VIGIL_DROP_RATE_LIMIT);
		goto out_enable;
	}
	if (vigil_inject_internal_error()) {
		vigil_emit_drop(em->session, type, em->source, VIGIL_DROP_INTERNAL);
		vigil_fault_internal("inject_internal_errors");
		goto out_enable;
	}
	buf = vigil_scratch_get(&em->level);
	if (!buf) {
		vigil_emit_drop(em->session, type, em->source, VIGIL_DROP_NESTED);
		goto out_enable;
	}
	ev = vigil_rec_init(&em->rec, buf, VIGIL_RECORD_MAX, type, fixed_len,
			    0, now);
	if (!ev) {
		vigil_scratch_put();
		vigil_emit_drop(em->session, type, em->source, VIGIL_DROP_INTERNAL);
		goto out_enable;
	}
	vigil_inject_hook_delay();
	em->status = VIGIL_EMIT_OK;
	return ev;

out_enable:
	preempt_enable();
	return NULL;
}

/*
 * Finish the event begun by a successful vigil_emit_begin(): it takes its
 * sequence number now, so that a cancelled event takes none, and goes to
 * its ring, charged to its source.
 * Return: 0; -ENOSPC if the ring was full, -EDQUOT if its source holds its
 * share of the ring (the drop is counted, for the ring and the source).
 */
int vigil_emit_end(struct vigil_emit *em)
{
	struct vigil_sources *srcs = &em->session->sources;
	struct vigil_event *ev = em->rec.buf;
	struct vigil_ring *ring = vigil_session_ring(em->session, ev->type);
	u32 len = vigil_rec_finish(&em->rec);
	struct vigil_ring_charge charge;
	int err;

	vigil_source_charge(ring, em->source, &charge);
	ev->seq = vigil_ring_next_seq(ring);
	vigil_source_produced(srcs, em->source);
	if (em->wake_now)
		err = vigil_ring_output_wake(ring, ev, len, &charge);
	else
		err = vigil_ring_output(ring, ev, len, &charge);
	if (err)
		vigil_source_dropped(srcs, em->source, err == -EDQUOT ?
				     VIGIL_DROP_SOURCE_BUDGET : VIGIL_DROP_RING_FULL);
	vigil_emit_check_time(em, ev->type);
	vigil_scratch_put();
	preempt_enable();
	return err;
}

/* Drop the event begun by vigil_emit_begin(): it was muted after all. */
void vigil_emit_cancel(struct vigil_emit *em)
{
	struct vigil_event *ev = em->rec.buf;

	em->status = VIGIL_EMIT_MUTED;
	vigil_emit_check_time(em, ev->type);
	vigil_scratch_put();
	preempt_enable();
}

/* Append @path, flagged if the broker sees the file by another path. */
int vigil_emit_put_path(struct vigil_emit *em, u16 type,
			const struct path *path)
{
	return vigil_rec_put_path(&em->rec, type, path, &em->session->root);
}

/* Append the path of @dentry in @dir, which may not exist yet. */
int vigil_emit_put_child_path(struct vigil_emit *em, u16 type,
			      const struct path *dir, struct dentry *dentry)
{
	return vigil_rec_put_child_path(&em->rec, type, dir, dentry,
					&em->session->root);
}

/*
 * Is the path appended last muted?  A path resolved from another root
 * than the broker's is never muted by prefix: it could pass for any path.
 */
bool vigil_emit_path_muted(struct vigil_emit *em)
{
	const struct vigil_field *f = vigil_rec_last_field(&em->rec);
	const struct vigil_mutes *m;

	m = rcu_dereference_sched(em->session->mutes.cur);
	if (!m || !f ||
	    (f->flags & (VIGIL_FIELD_F_OTHER_ROOT | VIGIL_FIELD_F_UNAVAILABLE)))
		return false;
	return vigil_mutes_path(m, vigil_rec_event(&em->rec)->type,
				VIGIL_FIELD_DATA(f), VIGIL_FIELD_DATA_LEN(f) - 1);
}

/**
 * vigil_emit_put_actor() - the acting process, current, in a 1.3 record
 * @em: the event being emitted
 * @actor: its fixed part's block
 *
 * Fills @actor and appends VIGIL_FIELD_EXE, current's executable (none
 * for a process that has none).  The outermost record on a CPU takes the
 * path from the executable-path cache when it can (exe_cache.c); a
 * nested one builds it.
 */
void vigil_emit_put_actor(struct vigil_emit *em, struct vigil_actor *actor)
{
	struct mm_struct *mm = current->mm;
	struct file *exe = mm ? vigil_mm_exe_file(mm) : NULL;

	vigil_rec_fill_actor(actor, current);
	if (!exe)
		return;
	if (em->level == 0)
		vigil_exe_cache_put(&em->rec, exe, &em->session->root,
				    vigil_rec_event(&em->rec)->time_ns);
	else
		vigil_emit_put_path(em, VIGIL_FIELD_EXE, &exe->f_path);
	/* Taken by vigil_mm_exe_file(); fput() defers the release if last. */
	fput(exe);
}

/**
 * vigil_emit_warm_exe() - have this CPU's executable-path cache hold
 *	current's executable, for a record of @type about to be made with
 *	interrupts disabled
 * @type: VIGIL_EVENT_*
 *
 * Such a record takes the path from the cache or goes without it (see
 * exe_cache.c); its hook calls this first, where it may still build it:
 * a kill(2) before the target's siglock, a ptrace attach before
 * tasklist_lock.  Does nothing if the record would not be made, and
 * counts nothing.
 */
void vigil_emit_warm_exe(u32 type)
{
	struct vigil_session *s;
	struct vigil_rec rec;
	struct file *exe;
	void *buf;
	int level;
	u64 now;

	if (!in_task() || !vigil_rec_may_lock() || !current->mm)
		return;
	/* An RCU-sched read-side section: keeps the session until the end. */
	preempt_disable();
	s = rcu_dereference_sched(vigil_emit_session);
	if (!s || !(READ_ONCE(s->events) & VIGIL_EVENT_BIT(type)) ||
	    vigil_emit_process_muted(s, type))
		goto out_enable;
	buf = vigil_scratch_get(&level);
	if (!buf)
		goto out_enable;
	now = ktime_get_ns();
	exe = vigil_mm_exe_file(current->mm);
	/* Only the outermost record uses the cache; the record is dropped. */
	if (exe && level == 0 &&
	    vigil_rec_init(&rec, buf, VIGIL_RECORD_MAX, type,
			   sizeof(struct vigil_event), 0, now))
		vigil_exe_cache_put(&rec, exe, &s->root, now);
	if (exe)
		fput(exe);
	vigil_scratch_put();
out_enable:
	preempt_enable();
}
