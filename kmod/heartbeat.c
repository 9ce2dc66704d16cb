// SPDX-License-Identifier: GPL-2.0
/*
 * The heartbeat.
 *
 * Every watchdog_heartbeat_ms, while the hooks are attached, the session
 * is looked at.  If the broker had work waiting at the last look (records
 * in a ring, or AUTH events waiting for a verdict) and has since neither
 * consumed a record nor made an ioctl, it is hung: one fault per period it
 * stays so.  An idle broker is never hung: there is nothing it should have
 * done.  A broker that is not hung is healthy, which brings a degraded
 * watchdog back once its backoff is over.  A full ring is not a fault: it is load, which the ring sheds
 * and counts (dropped[VIGIL_DROP_RING_FULL]); a fault there would let
 * whoever makes the load switch the sensor off.
 */

#include <linux/jiffies.h>
#include <linux/vigil.h>

#include "fault.h"
#include "heartbeat.h"
#include "params.h"
#include "pending.h"
#include "ring.h"
#include "session.h"
#include "source.h"

/* The faults that the change from @last to @now shows. */
struct vigil_heartbeat_verdict
vigil_heartbeat_judge(const struct vigil_heartbeat_look *last,
		      const struct vigil_heartbeat_look *now)
{
	struct vigil_heartbeat_verdict v;
	bool had_work = last->produced != last->consumed || last->waiting;

	v.hung = had_work && now->consumed == last->consumed &&
		 now->activity == last->activity;
	return v;
}

static void vigil_heartbeat_take(struct vigil_session *s,
				 struct vigil_heartbeat_look *look)
{
	u64 lane_consumed, lane_produced;

	vigil_ring_positions(s->ring, &look->consumed, &look->produced);
	vigil_ring_positions(s->auth_ring, &lane_consumed, &lane_produced);
	/* Sums: each position only grows, so the sums change when either does. */
	look->consumed += lane_consumed;
	look->produced += lane_produced;
	look->activity = atomic_long_read(&s->activity);
	look->waiting = vigil_pending_count(&s->pending);
}

static void vigil_heartbeat_schedule(struct vigil_heartbeat *hb)
{
	schedule_delayed_work(&hb->work,
			      msecs_to_jiffies(vigil_param_watchdog_heartbeat_ms()));
}

static void vigil_heartbeat_fn(struct work_struct *work)
{
	struct vigil_heartbeat *hb = container_of(to_delayed_work(work),
						  struct vigil_heartbeat, work);
	struct vigil_heartbeat_verdict v;
	struct vigil_heartbeat_look now;

	vigil_heartbeat_take(hb->session, &now);
	vigil_sources_report(&hb->session->sources);
	v = vigil_heartbeat_judge(&hb->last, &now);
	hb->last = now;
	if (v.hung)
		vigil_fault(VIGIL_FAULT_BROKER_HUNG);
	else
		vigil_fault_broker_healthy();
	vigil_heartbeat_schedule(hb);
}

void vigil_heartbeat_init(struct vigil_heartbeat *hb, struct vigil_session *s)
{
	INIT_DELAYED_WORK(&hb->work, vigil_heartbeat_fn);
	hb->session = s;
}

/* Start looking, a period from now. */
void vigil_heartbeat_start(struct vigil_heartbeat *hb)
{
	vigil_heartbeat_take(hb->session, &hb->last);
	vigil_heartbeat_schedule(hb);
}

/* On return, no look is scheduled or running. */
void vigil_heartbeat_stop(struct vigil_heartbeat *hb)
{
	cancel_delayed_work_sync(&hb->work);
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "heartbeat_test.c"
#endif
