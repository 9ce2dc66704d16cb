// SPDX-License-Identifier: GPL-2.0
/*
 * The shim's state, and the watchdog's states applied to it.
 *
 * Connecting a broker attaches the hooks unless the watchdog is tripped;
 * a broker that connects while it is tripped or degraded is told so in
 * its first record.  The watchdog's changes come here through
 * vigil_shim_apply(), from fault.c's work:
 *
 *   degraded   the session's AUTH waiters are released with their miss
 *              verdict; AUTH events get it without asking (auth.c reads
 *              the state) while notifications flow;
 *   tripped    the waiters are released, every hook is detached and the
 *              heartbeat stopped; the session stays, with its
 *              subscriptions, mutes and watches, for the re-arm;
 *   armed      (a recovery) AUTH events wait for the broker again.
 *
 * A re-arm, by an administrator or by the shim itself after its backoff,
 * attaches the hooks again.  The broker closing the device detaches
 * everything for good, and counts as a fault if it was subscribed to AUTH
 * events.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs_struct.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vigil.h>

#include "auth.h"
#include "emit.h"
#include "fault.h"
#include "fs_watch.h"
#include "heartbeat.h"
#include "hooks.h"
#include "pending.h"
#include "record.h"
#include "ring.h"
#include "session.h"
#include "shim.h"
#include "vcache.h"

/* Serializes every change of the state below, and the changes it makes. */
static DEFINE_MUTEX(vigil_shim_lock);
/* Written under vigil_shim_lock; read without it for the status only. */
static struct vigil_session *vigil_shim_session;
static bool vigil_shim_attached;
/* Protected by vigil_shim_lock: the watchdog's state changes logged. */
static u32 vigil_shim_logged_changes;
/* Protected by vigil_shim_lock: a degrade was applied (waiters released). */
static bool vigil_shim_degraded;

/*
 * Release every AUTH waiter of @s with its miss verdict, and wake the
 * events waiting for a place, which then go too.  Return: waiters released.
 */
static unsigned int vigil_shim_release_waiters(struct vigil_session *s)
{
	unsigned int released = vigil_pending_release_all(&s->pending);

	vigil_sources_wake_all(&s->sources);
	return released;
}

/* Tell @s's broker the watchdog's state, in a record of its ring. */
static void vigil_shim_notify(struct vigil_session *s)
{
	static const struct vigil_ring_charge shim = { .tag = VIGIL_SOURCE_SHIM };
	struct vigil_watchdog_status st = {};
	struct vigil_ring *ring = vigil_session_ring(s, VIGIL_EVENT_WATCHDOG);
	struct vigil_watchdog_event ev;
	struct vigil_rec rec;

	vigil_watchdog_read(&st);
	if (!vigil_rec_init(&rec, &ev, sizeof(ev), VIGIL_EVENT_WATCHDOG,
			    sizeof(ev), 0, ktime_get_ns()))
		return;
	ev.state = st.state;
	ev.reason = st.reason;
	ev.trips = st.trips;
	ev.trip_time_ns = st.trip_time_ns;
	ev.hdr.seq = vigil_ring_next_seq(ring);
	/* A full ring counts the drop; the status ioctl still tells. */
	vigil_ring_output_wake(ring, &ev, vigil_rec_finish(&rec), &shim);
}

/* Attach the hooks for @s.  Caller holds vigil_shim_lock. */
static int vigil_shim_attach(struct vigil_session *s)
{
	int err;

	vigil_pending_reopen(&s->pending);
	/* Nothing watched the files while detached: start afresh. */
	vigil_vcache_flush(&s->cache);
	/* s->events changes under vigil_shim_lock, which we hold. */
	err = vigil_hooks_attach_all(READ_ONCE(s->events));
	if (err) {
		vigil_shim_release_waiters(s);
		return err;
	}
	vigil_heartbeat_start(&s->heartbeat);
	WRITE_ONCE(vigil_shim_attached, true);
	return 0;
}

/*
 * Release @s's waiters, then detach the hooks, which new events then
 * cannot reach.  Caller holds vigil_shim_lock.  Return: waiters released.
 */
static unsigned int vigil_shim_detach(struct vigil_session *s)
{
	unsigned int released;

	/* For the status: from here on, nothing waits on the broker. */
	WRITE_ONCE(vigil_shim_attached, false);
	vigil_heartbeat_stop(&s->heartbeat);
	released = vigil_shim_release_waiters(s);
	vigil_hooks_detach_all();
	return released;
}

/**
 * vigil_shim_connect() - start a session's flow of events
 * @s: the session, after its handshake
 * @auth_lane: whether its broker reads the AUTH lane
 *
 * Return: 0; -EALREADY if already connected; the error of a hook that
 * could not be attached, after which nothing is attached.
 */
int vigil_shim_connect(struct vigil_session *s, bool auth_lane)
{
	int err = 0;

	mutex_lock(&vigil_shim_lock);
	if (s->connected) {
		err = -EALREADY;
		goto out_unlock;
	}
	/* Before the hooks can see the session: they read it locklessly. */
	s->auth_lane = auth_lane;
	/* Paths in records are compared with the broker's view of them. */
	get_fs_root(current->fs, &s->root);
	vigil_emit_start(s);
	vigil_auth_start(s);
	if (vigil_watchdog_state() != VIGIL_WATCHDOG_TRIPPED) {
		err = vigil_shim_attach(s);
		/* Degraded: the broker learns it first thing, as if tripped. */
		if (!err && vigil_watchdog_state() == VIGIL_WATCHDOG_DEGRADED)
			vigil_shim_notify(s);
	} else {
		vigil_shim_release_waiters(s);
		vigil_shim_notify(s);
	}
	if (err) {
		vigil_emit_stop();
		vigil_auth_stop();
		path_put(&s->root);
		goto out_unlock;
	}
	WRITE_ONCE(vigil_shim_session, s);
	/* Pairs with the acquire in vigil_session_connected(). */
	smp_store_release(&s->connected, true);
out_unlock:
	mutex_unlock(&vigil_shim_lock);
	return err;
}

/*
 * The broker is closing the device: release its waiters, detach the
 * hooks and forget its watches.  On return no hook uses the session.
 */
void vigil_shim_disconnect(struct vigil_session *s)
{
	bool auth_armed = false;

	mutex_lock(&vigil_shim_lock);
	if (vigil_shim_session != s) {
		vigil_shim_release_waiters(s);
		goto out_unlock;
	}
	if (vigil_shim_attached) {
		auth_armed = READ_ONCE(s->events) & VIGIL_AUTH_EVENTS;
		vigil_shim_detach(s);
	}
	vigil_emit_stop();
	vigil_auth_stop();
	vigil_watch_forget_all();
	path_put(&s->root);
	WRITE_ONCE(vigil_shim_session, NULL);
out_unlock:
	mutex_unlock(&vigil_shim_lock);
	/* Its AUTH callers would have waited on a broker that is gone. */
	if (auth_armed)
		vigil_fault(VIGIL_FAULT_BROKER_GONE);
}

/*
 * The state change the watchdog made last, as one log line: what it did
 * (@released waiters) and what comes next.  Caller holds vigil_shim_lock.
 */
static void vigil_shim_log_change(const struct vigil_watchdog_status *st,
				  unsigned int released, bool attached)
{
	const char *last = vigil_fault_name(st->reason);
	char what[80], next[128];

	if (st->state == VIGIL_WATCHDOG_ARMED) {
		pr_info("watchdog armed again: the broker is healthy; permission events are asked again\n");
		return;
	}
	if (st->state == VIGIL_WATCHDOG_DEGRADED) {
		pr_warn("watchdog degraded: %u broker faults within %u ms, the last %s; %u AUTH waiters released; permission events get their miss verdict without asking, each reported, until the broker is healthy again; other events flow\n",
			st->max_faults, st->window_ms, last, released);
		return;
	}
	if (attached)
		snprintf(what, sizeof(what),
			 "hooks detached, %u AUTH waiters released", released);
	else
		strscpy(what, "no broker is connected", sizeof(what));
	if (st->auto_rearm_ns)
		snprintf(next, sizeof(next),
			 "re-arming by itself in %llu ms (%u of %u automatic re-arms left)",
			 div_u64(st->auto_rearm_ns - min(st->auto_rearm_ns, ktime_get_ns()),
				 NSEC_PER_MSEC),
			 st->max_auto_rearms - st->auto_rearms, st->max_auto_rearms);
	else
		strscpy(next, "events stop until re-armed: 'vigilctl rearm', or 'echo 1 >/sys/kernel/vigil/watchdog/rearm'",
			sizeof(next));
	pr_warn("watchdog tripped: %u shim faults within %u ms, the last %s; %s; %s\n",
		st->max_faults, st->window_ms, last, what, next);
}

/* Tripped: release the waiters, detach every hook.  Return: released. */
static unsigned int vigil_shim_apply_trip(struct vigil_session *s)
{
	unsigned int released = 0;

	/* A trip's detach releases every waiter, degraded or not. */
	vigil_shim_degraded = false;
	if (s && vigil_shim_attached) {
		released = vigil_shim_detach(s);
		vigil_shim_notify(s);
	}
	vigil_watchdog_plan_auto_rearm();
	return released;
}

/* Degraded: release the waiters; AUTH events stop asking.  Return: released. */
static unsigned int vigil_shim_apply_degrade(struct vigil_session *s)
{
	unsigned int released = 0;

	if (vigil_shim_degraded)
		return 0;
	vigil_shim_degraded = true;
	if (s) {
		released = vigil_shim_release_waiters(s);
		vigil_shim_notify(s);
	}
	return released;
}

/* Armed again after a degrade: AUTH events may wait for the broker again. */
static void vigil_shim_apply_recovery(struct vigil_session *s)
{
	if (!vigil_shim_degraded)
		return;
	vigil_shim_degraded = false;
	if (s) {
		vigil_pending_reopen(&s->pending);
		vigil_shim_notify(s);
	}
}

/*
 * Apply the state the watchdog is in, and log each change once.  Process
 * context: fault.c's work, after a degrade, a trip or a recovery.
 */
void vigil_shim_apply(void)
{
	struct vigil_watchdog_status st = {};
	unsigned int released = 0;
	struct vigil_session *s;
	bool attached;
	u32 changes;

	mutex_lock(&vigil_shim_lock);
	s = vigil_shim_session;
	attached = s && vigil_shim_attached;
	vigil_watchdog_read(&st);
	if (st.state == VIGIL_WATCHDOG_TRIPPED)
		released = vigil_shim_apply_trip(s);
	else if (st.state == VIGIL_WATCHDOG_DEGRADED)
		released = vigil_shim_apply_degrade(s);
	else
		vigil_shim_apply_recovery(s);
	changes = vigil_watchdog_changes();
	if (changes != vigil_shim_logged_changes) {
		vigil_shim_logged_changes = changes;
		vigil_shim_log_change(&st, released, attached);
	}
	mutex_unlock(&vigil_shim_lock);
}

/*
 * The watchdog was just armed (by hand or by itself), the hooks attached
 * for @s if any: AUTH events may wait again; tell the broker.  Caller
 * holds vigil_shim_lock.
 */
static void vigil_shim_armed(struct vigil_session *s)
{
	/* The re-arm's own line says so: nothing for vigil_shim_apply() to log. */
	vigil_shim_logged_changes = vigil_watchdog_changes();
	if (s && vigil_shim_degraded)
		vigil_pending_reopen(&s->pending);
	vigil_shim_degraded = false;
	if (s)
		vigil_shim_notify(s);
}

/* Attach the hooks for @s, if connected and detached; caller holds the lock. */
static int vigil_shim_attach_for_rearm(struct vigil_session *s)
{
	if (!s || vigil_shim_attached)
		return 0;
	return vigil_shim_attach(s);
}

/**
 * vigil_shim_rearm() - re-arm a tripped or degraded shim: a person's word
 *
 * The hooks are attached again for the connected broker, if any, with its
 * subscriptions, mutes and watches, and the broker is told.  They are
 * attached before the watchdog is armed, so that a failure leaves it as
 * it was: tripped, with its backoff unchanged.
 *
 * Context: process context; the caller checked the privilege.
 * Return: 0; -EALREADY if armed; -EAGAIN during the backoff; the error of
 * a hook that could not be attached, after which the shim stays tripped.
 */
int vigil_shim_rearm(void)
{
	struct vigil_session *s;
	int err;

	mutex_lock(&vigil_shim_lock);
	err = vigil_watchdog_may_rearm();
	if (err)
		goto out_unlock;
	s = vigil_shim_session;
	err = vigil_shim_attach_for_rearm(s);
	if (err) {
		pr_err("re-arming failed: a hook could not be attached (%d); the shim stays tripped\n",
		       err);
		goto out_unlock;
	}
	err = vigil_watchdog_rearm();
	/*
	 * A degraded shim the heartbeat found healthy meanwhile: its recovery
	 * (vigil_fault_broker_healthy()) does not take vigil_shim_lock.  It
	 * is armed, with the hooks a degraded shim keeps: as asked.
	 */
	if (err == -EALREADY)
		goto out_unlock;
	/* Nothing else arms a tripped shim but a re-arm, under vigil_shim_lock. */
	if (VIGIL_BUG_ON(err)) {
		if (s)
			vigil_shim_detach(s);
		goto out_unlock;
	}
	pr_info("watchdog re-armed by %s[%d]%s\n", current->comm,
		task_tgid_nr(current),
		s ? ": hooks attached" : "; no broker connected");
	vigil_shim_armed(s);
out_unlock:
	mutex_unlock(&vigil_shim_lock);
	return err;
}

/*
 * Re-arm a tripped shim by itself, when its time has come: fault.c's
 * delayed work.  A hook that cannot be attached leaves it tripped, for an
 * administrator.
 */
void vigil_shim_auto_rearm(void)
{
	struct vigil_watchdog_status st = {};
	struct vigil_session *s;
	int err;

	mutex_lock(&vigil_shim_lock);
	if (!vigil_watchdog_auto_rearm_due())
		goto out_unlock;
	s = vigil_shim_session;
	err = vigil_shim_attach_for_rearm(s);
	if (err) {
		pr_err("re-arming by itself failed: a hook could not be attached (%d); the shim stays tripped until an administrator re-arms it\n",
		       err);
		goto out_unlock;
	}
	/* Cannot fail: it was due, and we hold vigil_shim_lock. */
	if (VIGIL_BUG_ON(vigil_watchdog_auto_rearm())) {
		if (s)
			vigil_shim_detach(s);
		goto out_unlock;
	}
	vigil_watchdog_read(&st);
	pr_info("watchdog re-armed by itself (%u of %u)%s\n", st.auto_rearms,
		st.max_auto_rearms, s ? ": hooks attached" : "; no broker connected");
	vigil_shim_armed(s);
out_unlock:
	mutex_unlock(&vigil_shim_lock);
}

/**
 * vigil_shim_subscribe() - change what a connected session subscribes to
 * @s: the session
 * @events: VIGIL_EVENT_BIT()s, checked by the caller
 *
 * The catalogue's hooks follow: those newly wanted are attached before the
 * events are delivered, those no longer wanted detached after.  While the
 * shim is tripped only the subscription changes; a re-arm attaches what
 * it wants.  A broker of 1.4 that unsubscribes from everything gets every
 * source's final report (VIGIL_EVENT_SOURCE) before this returns.
 *
 * Return: 0; or the error of a hook that could not be attached, after
 * which the subscriptions and the hooks are as they were.
 */
int vigil_shim_subscribe(struct vigil_session *s, u64 events)
{
	int err = 0;

	mutex_lock(&vigil_shim_lock);
	/* Attach the union first: no event wanted goes unhooked meanwhile. */
	if (vigil_shim_session == s && vigil_shim_attached)
		err = vigil_hooks_update(READ_ONCE(s->events) | events);
	if (!err) {
		/* Read locklessly by the hooks (vigil_emit_begin()). */
		WRITE_ONCE(s->events, events);
		if (vigil_shim_session == s && vigil_shim_attached)
			err = vigil_hooks_update(events);
	}
	mutex_unlock(&vigil_shim_lock);
	/* A broker that stops wanting anything gets the final numbers. */
	if (!err && !events && s->auth_lane)
		vigil_sources_report_now(&s->sources);
	return err;
}

/* The whole status, as VIGIL_IOC_WATCHDOG returns it. */
void vigil_shim_status(struct vigil_watchdog_status *st)
{
	memset(st, 0, sizeof(*st));
	vigil_watchdog_read(st);
	st->hooks_attached = READ_ONCE(vigil_shim_attached);
	st->broker_connected = READ_ONCE(vigil_shim_session) != NULL;
}
