/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sources: who each record and each AUTH waiter is charged to, so that
 * load is shed per source.  A source is a real uid.  Each has a share of
 * each ring (ring.c keeps the bytes in flight per source) and of the AUTH
 * waiters, and counters of what was produced for it and what was lost, by
 * cause, which the broker gets in VIGIL_EVENT_SOURCE records.
 */
#ifndef _VIGIL_SOURCE_H
#define _VIGIL_SOURCE_H

#include <linux/atomic.h>
#include <linux/irq_work.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/vigil.h>

#include "ring.h"

/* Slots of a session's table; ring.c sizes its per-source bytes by it. */
#define VIGIL_SOURCES		VIGIL_RING_TAGS
/* The shim's own records (watchdog, reports): never budgeted. */
#define VIGIL_SOURCE_SHIM	0
/* Every uid that finds the table full: they share one budget. */
#define VIGIL_SOURCE_OTHERS	1
#define VIGIL_SOURCE_FIRST	2

/* vigil_source.key of a slot nobody has taken. */
#define VIGIL_SOURCE_FREE	0

struct vigil_session;

struct vigil_source {
	u32 key;			/* uid + 1, set once; FREE until then */
	atomic_t waiters;		/* AUTH events of it waiting */
	wait_queue_head_t freed;	/* its events waiting for a place */
	u64 full_ns;			/* when it last had every place taken */
	atomic64_t produced;		/* records produced for it */
	atomic64_t dropped[VIGIL_DROP_CAUSES];
	u64 reported;			/* counters' sum at its last report */
};

struct vigil_sources {
	struct vigil_source slot[VIGIL_SOURCES];
	struct irq_work kick;		/* schedules the report, from a hook */
	struct mutex report_lock;	/* one report at a time: reported */
	struct delayed_work report;	/* sends the reports of new drops */
	struct vigil_session *session;
};

/* How soon after a drop the broker is told whose it was. */
#define VIGIL_SOURCE_REPORT_MS	100

void vigil_sources_init(struct vigil_sources *srcs, struct vigil_session *s);
void vigil_sources_stop(struct vigil_sources *srcs);
void vigil_sources_report(struct vigil_sources *srcs);
void vigil_sources_report_now(struct vigil_sources *srcs);
u32 vigil_source_of(struct vigil_sources *srcs, kuid_t uid);
u32 vigil_source_current(struct vigil_sources *srcs);
void vigil_source_produced(struct vigil_sources *srcs, u32 slot);
void vigil_source_dropped(struct vigil_sources *srcs, u32 slot,
			  unsigned int cause);
bool vigil_source_waiter_get(struct vigil_sources *srcs, u32 slot, u32 max);
void vigil_source_waiter_put(struct vigil_sources *srcs, u32 slot);
bool vigil_source_crowded(struct vigil_sources *srcs, u32 slot, u64 within_ns);
void vigil_sources_wake_all(struct vigil_sources *srcs);
int vigil_source_waiter_wait(struct vigil_sources *srcs, u32 slot, u32 max,
			     unsigned long timeout);
u32 vigil_source_uid(const struct vigil_sources *srcs, u32 slot);
void vigil_source_charge(struct vigil_ring *ring, u32 slot,
			 struct vigil_ring_charge *charge);

#endif /* _VIGIL_SOURCE_H */
