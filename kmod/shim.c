// SPDX-License-Identifier: GPL-2.0
/*
 * The shim's state.
 *
 * Connecting a broker attaches the hooks if the watchdog is armed; if it
 * is tripped, the broker is told so in its first record, and nothing is
 * attached.  A trip (vigil_shim_trip(), from fault.c's work) releases the
 * session's AUTH waiters with their miss verdict, detaches every hook and
 * stops the heartbeat, but keeps the session: its subscriptions, mutes
 * and watches come back when an administrator re-arms the shim.  The
 * broker closing the device detaches everything for good, and counts as
 * a fault if it was subscribed to AUTH events.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs_struct.h>
#include <linux/kernel.h>
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
/* Protected by vigil_shim_lock: the trips already logged. */
static u32 vigil_shim_logged_trips;

/* Tell @s's broker the watchdog's state, in a record of its ring. */
static void vigil_shim_notify(struct vigil_session *s)
{
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
	vigil_ring_output_wake(ring, &ev, vigil_rec_finish(&rec));
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
		vigil_pending_release_all(&s->pending);
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
	released = vigil_pending_release_all(&s->pending);
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
	if (vigil_watchdog_armed()) {
		err = vigil_shim_attach(s);
	} else {
		vigil_pending_release_all(&s->pending);
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
		vigil_pending_release_all(&s->pending);
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

/* What the trip did, for its log line. */
enum vigil_trip_outcome {
	VIGIL_TRIP_DETACHED,		/* hooks detached, waiters released */
	VIGIL_TRIP_NO_BROKER,		/* nothing was attached */
	VIGIL_TRIP_REARMED,		/* re-armed before the work ran */
};

static void vigil_shim_log_trip(enum vigil_trip_outcome outcome,
				unsigned int released)
{
	struct vigil_watchdog_status st = {};
	char what[80];

	vigil_watchdog_read(&st);
	if (outcome == VIGIL_TRIP_REARMED) {
		pr_warn("watchdog tripped: %u faults within %u ms, the last %s; re-armed before the hooks were detached\n",
			st.max_faults, st.window_ms,
			vigil_fault_name(st.reason));
		return;
	}
	if (outcome == VIGIL_TRIP_DETACHED)
		snprintf(what, sizeof(what),
			 "hooks detached, %u AUTH waiters released", released);
	else
		strscpy(what, "no broker is connected", sizeof(what));
	pr_warn("watchdog tripped: %u faults within %u ms, the last %s; %s; events stop until re-armed: 'vigilctl rearm', or 'echo 1 >/sys/kernel/vigil/watchdog/rearm'\n",
		st.max_faults, st.window_ms, vigil_fault_name(st.reason), what);
}

/*
 * Apply the trip the watchdog decided, if it still stands, and log it
 * once.  Process context: fault.c's work.
 */
void vigil_shim_trip(void)
{
	enum vigil_trip_outcome outcome = VIGIL_TRIP_NO_BROKER;
	struct vigil_session *s;
	unsigned int released = 0;
	u32 trips;

	mutex_lock(&vigil_shim_lock);
	s = vigil_shim_session;
	if (vigil_watchdog_armed()) {
		outcome = VIGIL_TRIP_REARMED;
	} else if (s && vigil_shim_attached) {
		released = vigil_shim_detach(s);
		vigil_shim_notify(s);
		outcome = VIGIL_TRIP_DETACHED;
	}
	trips = vigil_watchdog_trips();
	if (trips != vigil_shim_logged_trips) {
		vigil_shim_logged_trips = trips;
		vigil_shim_log_trip(outcome, released);
	}
	mutex_unlock(&vigil_shim_lock);
}

/**
 * vigil_shim_rearm() - re-arm a tripped shim
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
	if (s && !vigil_shim_attached) {
		err = vigil_shim_attach(s);
		if (err) {
			pr_err("re-arming failed: a hook could not be attached (%d); the shim stays tripped\n",
			       err);
			goto out_unlock;
		}
	}
	/* Cannot fail: only a re-arm arms it, and we hold vigil_shim_lock. */
	err = vigil_watchdog_rearm();
	if (VIGIL_BUG_ON(err)) {
		if (s)
			vigil_shim_detach(s);
		goto out_unlock;
	}
	pr_info("watchdog re-armed by %s[%d]%s\n", current->comm,
		task_tgid_nr(current),
		s ? ": hooks attached" : "; no broker connected");
	if (s)
		vigil_shim_notify(s);
out_unlock:
	mutex_unlock(&vigil_shim_lock);
	return err;
}

/**
 * vigil_shim_subscribe() - change what a connected session subscribes to
 * @s: the session
 * @events: VIGIL_EVENT_BIT()s, checked by the caller
 *
 * The catalogue's hooks follow: those newly wanted are attached before the
 * events are delivered, those no longer wanted detached after.  While the
 * shim is tripped only the subscription changes; a re-arm attaches what
 * it wants.
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
