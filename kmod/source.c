// SPDX-License-Identifier: GPL-2.0
/*
 * Sources.
 *
 * Every record is charged to the real uid of the process it is about,
 * its source.  A session has a table of VIGIL_SOURCES slots: the shim's
 * own records (slot 0), every uid past the table (slot 1, one budget for
 * all of them), and one slot per uid, taken the first time the uid makes
 * a record and kept for the session (lock-free: a slot's key is set once,
 * by cmpxchg).  Each source may hold source_ring_share percent of a ring
 * (ring.c refuses the rest: VIGIL_DROP_SOURCE_BUDGET) and
 * source_max_waiters AUTH waiters (auth.c waits for a slot), so that one
 * user's flood costs that user's records, not everyone's.
 *
 * What a source produced and lost is told to the broker: within
 * VIGIL_SOURCE_REPORT_MS of a drop, and at each heartbeat if anything
 * changed, a VIGIL_EVENT_SOURCE record in the AUTH lane gives its
 * counters, cumulative, so that a report lost to a full lane is made good
 * by the next.  A hook cannot schedule work directly (it may hold
 * scheduler locks): an irq_work does.
 */

#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "params.h"
#include "record.h"
#include "ring.h"
#include "session.h"
#include "source.h"

/* A number that changes whenever anything is produced or dropped. */
static u64 vigil_source_change(const struct vigil_source *src)
{
	u64 sum = atomic64_read(&src->produced);
	unsigned int i;

	for (i = 0; i < VIGIL_DROP_CAUSES; i++)
		sum += atomic64_read(&src->dropped[i]);
	return sum;
}

/* The report of slot @i, into the AUTH lane; false if it did not fit. */
static bool vigil_source_report_one(struct vigil_sources *srcs, u32 i)
{
	static const struct vigil_ring_charge shim = { .tag = VIGIL_SOURCE_SHIM };
	struct vigil_session *s = srcs->session;
	struct vigil_source *src = &srcs->slot[i];
	struct vigil_ring *ring = vigil_session_ring(s, VIGIL_EVENT_SOURCE);
	struct vigil_source_event ev;
	struct vigil_rec rec;
	unsigned int c;

	if (!vigil_rec_init(&rec, &ev, sizeof(ev), VIGIL_EVENT_SOURCE,
			    sizeof(ev), 0, ktime_get_ns()))
		return false;
	ev.uid = vigil_source_uid(srcs, i);
	ev.produced = atomic64_read(&src->produced);
	for (c = 0; c < VIGIL_DROP_CAUSES; c++)
		ev.dropped[c] = atomic64_read(&src->dropped[c]);
	ev.hdr.seq = vigil_ring_next_seq(ring);
	return !vigil_ring_output_wake(ring, &ev, vigil_rec_finish(&rec), &shim);
}

/* Process context: report every source whose counters changed since told. */
static void vigil_source_report_fn(struct work_struct *work)
{
	struct vigil_sources *srcs = container_of(to_delayed_work(work),
						  struct vigil_sources, report);
	u32 i;

	/* A broker of 1.3 has no lane, and no word for these. */
	if (!srcs->session->auth_lane)
		return;
	/* The work, and vigil_sources_report_now() from an ioctl. */
	mutex_lock(&srcs->report_lock);
	for (i = VIGIL_SOURCE_OTHERS; i < VIGIL_SOURCES; i++) {
		struct vigil_source *src = &srcs->slot[i];
		u64 change = vigil_source_change(src);

		if (change != src->reported && vigil_source_report_one(srcs, i))
			src->reported = change;
	}
	mutex_unlock(&srcs->report_lock);
}

/*
 * Report every source whose counters changed, soon: the heartbeat calls it
 * each period, so that the broker's numbers stay current when nothing is
 * lost.  Process context.
 */
void vigil_sources_report(struct vigil_sources *srcs)
{
	mod_delayed_work(system_wq, &srcs->report, 0);
}

/*
 * The final word, when the broker unsubscribes from everything: wait for
 * every record section still running (they run with preemption off), then
 * report every source that changed, before returning.  Counted after
 * this, the broker's numbers add up exactly.  Process context.
 */
void vigil_sources_report_now(struct vigil_sources *srcs)
{
	synchronize_rcu();
	cancel_delayed_work_sync(&srcs->report);
	vigil_source_report_fn(&srcs->report.work);
}

/* Hard interrupt context: only schedule the report, a little later. */
static void vigil_source_kick_fn(struct irq_work *work)
{
	struct vigil_sources *srcs = container_of(work, struct vigil_sources, kick);

	schedule_delayed_work(&srcs->report,
			      msecs_to_jiffies(VIGIL_SOURCE_REPORT_MS));
}

void vigil_sources_init(struct vigil_sources *srcs, struct vigil_session *s)
{
	u32 i;

	memset(srcs->slot, 0, sizeof(srcs->slot));
	for (i = 0; i < VIGIL_SOURCES; i++) {
		unsigned int c;

		atomic_set(&srcs->slot[i].waiters, 0);
		init_waitqueue_head(&srcs->slot[i].freed);
		atomic64_set(&srcs->slot[i].produced, 0);
		for (c = 0; c < VIGIL_DROP_CAUSES; c++)
			atomic64_set(&srcs->slot[i].dropped[c], 0);
	}
	srcs->session = s;
	mutex_init(&srcs->report_lock);
	init_irq_work(&srcs->kick, vigil_source_kick_fn);
	INIT_DELAYED_WORK(&srcs->report, vigil_source_report_fn);
}

/* On return no report runs or is scheduled.  No hook may count any more. */
void vigil_sources_stop(struct vigil_sources *srcs)
{
	irq_work_sync(&srcs->kick);
	cancel_delayed_work_sync(&srcs->report);
}

/**
 * vigil_source_of() - the slot of a uid, taken if it has none yet
 * @srcs: the session's table
 * @uid: a real uid
 *
 * Context: any.  Lock-free.
 * Return: its slot; VIGIL_SOURCE_OTHERS if the table is full.
 */
u32 vigil_source_of(struct vigil_sources *srcs, kuid_t uid)
{
	u32 key = vigil_rec_uid(uid) + 1;
	u32 start = hash_32(key, ilog2(VIGIL_SOURCES));
	u32 i;

	BUILD_BUG_ON(!is_power_of_2(VIGIL_SOURCES));
	/* Records never show (uid_t)-1 (vigil_rec_uid()); its key would be FREE. */
	if (key == VIGIL_SOURCE_FREE)
		return VIGIL_SOURCE_OTHERS;
	for (i = 0; i < VIGIL_SOURCES; i++) {
		u32 slot = (start + i) % VIGIL_SOURCES;
		u32 *k = &srcs->slot[slot].key;
		u32 cur;

		if (slot < VIGIL_SOURCE_FIRST)
			continue;
		/* Set once, by the cmpxchg below: a plain read sees it or FREE. */
		cur = READ_ONCE(*k);
		if (cur == VIGIL_SOURCE_FREE)
			cur = cmpxchg(k, VIGIL_SOURCE_FREE, key) ?: key;
		if (cur == key)
			return slot;
	}
	return VIGIL_SOURCE_OTHERS;
}

/* The slot of current's real uid. */
u32 vigil_source_current(struct vigil_sources *srcs)
{
	return vigil_source_of(srcs, current_uid());
}

/* The uid of @slot, as a VIGIL_EVENT_SOURCE record gives it. */
u32 vigil_source_uid(const struct vigil_sources *srcs, u32 slot)
{
	u32 key = READ_ONCE(srcs->slot[slot].key);

	if (slot < VIGIL_SOURCE_FIRST || key == VIGIL_SOURCE_FREE)
		return VIGIL_SOURCE_UID_OTHERS;
	return key - 1;
}

/* A record was produced for @slot: it took a sequence number. */
void vigil_source_produced(struct vigil_sources *srcs, u32 slot)
{
	atomic64_inc(&srcs->slot[slot].produced);
}

/**
 * vigil_source_dropped() - count a record of @slot lost for @cause
 * @srcs: the session's table
 * @slot: the source
 * @cause: VIGIL_DROP_*
 *
 * The broker is told within VIGIL_SOURCE_REPORT_MS.  Context: any but NMI.
 */
void vigil_source_dropped(struct vigil_sources *srcs, u32 slot,
			  unsigned int cause)
{
	if (cause >= VIGIL_DROP_CAUSES)
		cause = VIGIL_DROP_INTERNAL;
	atomic64_inc(&srcs->slot[slot].dropped[cause]);
	if (slot != VIGIL_SOURCE_SHIM)
		irq_work_queue(&srcs->kick);
}

/*
 * The charge of a record of @slot in @ring: its share of the ring.  The
 * shim's own records made this way (the AUTH fallback reports) may hold
 * half a share: a user whose execs are reported by the thousand cannot
 * fill the lane with the reports, and leave no room for the others' AUTH
 * records.  (The watchdog's records and the source reports are few, and
 * charged with no limit.)
 */
void vigil_source_charge(struct vigil_ring *ring, u32 slot,
			 struct vigil_ring_charge *charge)
{
	u32 share = (u32)div_u64((u64)vigil_ring_data_size(ring) *
				 vigil_param_source_ring_share(), 100);

	charge->tag = slot;
	charge->limit = slot == VIGIL_SOURCE_SHIM ? share / 2 : share;
}

/*
 * Take one of @slot's AUTH waiter places, if it has one free of @max.
 * Taking the last, or finding none, notes that the source was full.
 */
bool vigil_source_waiter_get(struct vigil_sources *srcs, u32 slot, u32 max)
{
	struct vigil_source *src = &srcs->slot[slot];
	/* Full barrier; pairs with the one in vigil_source_waiter_put(). */
	int n = atomic_inc_return(&src->waiters);

	if (n >= max)
		/* Read locklessly by vigil_source_crowded(): a hint, no more. */
		WRITE_ONCE(src->full_ns, ktime_get_ns());
	if (n <= max)
		return true;
	atomic_dec(&src->waiters);
	return false;
}

/* The session stops taking requests: every event waiting for a place goes. */
void vigil_sources_wake_all(struct vigil_sources *srcs)
{
	u32 i;

	for (i = 0; i < VIGIL_SOURCES; i++)
		wake_up_all(&srcs->slot[i].freed);
}

/*
 * Had @slot all its places taken within the last @within_ns?  A miss of
 * its is its own load, then, not the broker's fault.
 */
bool vigil_source_crowded(struct vigil_sources *srcs, u32 slot, u64 within_ns)
{
	u64 full = READ_ONCE(srcs->slot[slot].full_ns);

	return full && ktime_get_ns() - full < within_ns;
}

/*
 * Give the place back, and wake one event of the source waiting for one:
 * a flood of hundreds waiting must not all wake for one place.
 */
void vigil_source_waiter_put(struct vigil_sources *srcs, u32 slot)
{
	struct vigil_source *src = &srcs->slot[slot];

	/* Full barrier: the count is down before the waiters look again. */
	atomic_dec_return(&src->waiters);
	/* Pairs with the barrier of prepare_to_wait_exclusive() in the wait. */
	if (wq_has_sleeper(&src->freed))
		wake_up(&src->freed);
}

/**
 * vigil_source_waiter_wait() - sleep until a place of @slot is free, and take it
 * @srcs: the session's table
 * @slot: the source
 * @max: its places
 * @timeout: jiffies to wait at most
 *
 * An exclusive waiter: each place given back wakes one.  Killable.
 * Return: 0 with a place taken; -ETIMEDOUT; -EINTR.
 */
int vigil_source_waiter_wait(struct vigil_sources *srcs, u32 slot, u32 max,
			     unsigned long timeout)
{
	struct vigil_source *src = &srcs->slot[slot];
	DEFINE_WAIT(wait);
	int err = -ETIMEDOUT;

	prepare_to_wait_exclusive(&src->freed, &wait, TASK_KILLABLE);
	/* Looked at after queueing: a place given back since wakes us. */
	if (vigil_source_waiter_get(srcs, slot, max))
		err = 0;
	else if (schedule_timeout(timeout) && fatal_signal_pending(current))
		err = -EINTR;
	else if (vigil_source_waiter_get(srcs, slot, max))
		err = 0;
	finish_wait(&src->freed, &wait);
	return err;
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "source_test.c"
#endif
