/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AUTH events: ask the broker whether an operation may go on, and wait
 * for its verdict no longer than the event type's deadline.
 */
#ifndef _VIGIL_AUTH_H
#define _VIGIL_AUTH_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/vigil.h>

struct inode;
struct vigil_emit;
struct vigil_session;

/* AUTH event types, indexes of per-type state: VIGIL_EVENT_AUTH_* - 4. */
#define VIGIL_AUTH_TYPES	2

/* How an AUTH event was decided; see struct vigil_auth_stats. */
enum vigil_auth_outcome {
	VIGIL_AUTH_ANSWERED,
	VIGIL_AUTH_MISSED,
	VIGIL_AUTH_OVERFLOW,
	VIGIL_AUTH_UNDELIVERED,
	VIGIL_AUTH_RELEASED,
	VIGIL_AUTH_KILLED,
	VIGIL_AUTH_CACHE_HIT,
	VIGIL_AUTH_MUTED,
	VIGIL_AUTH_SELF,
	VIGIL_AUTH_DEGRADED,
	VIGIL_AUTH_OVER_BUDGET,
	VIGIL_AUTH_OUTCOMES
};

/* One CPU's counters of one AUTH event type; summed when read. */
struct vigil_auth_counters {
	u64 outcome[VIGIL_AUTH_OUTCOMES];
	u64 allowed;
	u64 denied;
	u64 cache_misses;
	u64 latency[VIGIL_LATENCY_BUCKETS];
};

/* One AUTH event to decide, as its hook describes it. */
struct vigil_auth_call {
	u32 type;			/* VIGIL_EVENT_AUTH_* */
	u32 fixed_len;			/* its struct vigil_auth_*_event */
	struct inode *inode;		/* the file, for the verdict cache */
	const struct path *path;	/* and for a fallback's record */
	u32 access;			/* VIGIL_ACCESS_*, for the cache key */
	/* Sleepable work before the record is built; 0 or -errno. */
	int (*prepare)(void *arg);
	/*
	 * Fill the fixed part after its vigil_auth block, and the fields,
	 * in atomic context; return true if the event turns out muted.
	 */
	bool (*fill)(struct vigil_emit *em, void *ev, void *arg);
	void *arg;
};

int vigil_auth_decide(const struct vigil_auth_call *call);

void vigil_auth_start(struct vigil_session *s);
void vigil_auth_stop(void);

struct vigil_auth_counters __percpu *vigil_auth_counters_alloc(void);
void vigil_auth_stats_read(struct vigil_session *s, u32 type,
			   struct vigil_auth_stats *out);

u64 vigil_deadline_after(u64 now_ns, u32 ms);
unsigned long vigil_deadline_jiffies(u64 deadline_ns, u64 now_ns);
unsigned int vigil_latency_bucket(u64 ns);

#endif /* _VIGIL_AUTH_H */
