/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The heartbeat: a periodic look at the connected broker, while the hooks
 * are attached, for the fault that shows only over time: a broker that
 * leaves its work waiting (hung).
 */
#ifndef _VIGIL_HEARTBEAT_H
#define _VIGIL_HEARTBEAT_H

#include <linux/types.h>
#include <linux/workqueue.h>

struct vigil_session;

/* What the broker had and did, as of one look. */
struct vigil_heartbeat_look {
	u64 consumed;		/* the consumer positions of both rings, */
	u64 produced;		/* and the producer positions, added up */
	unsigned long activity;	/* the session's ioctl count */
	unsigned int waiting;	/* AUTH events waiting for a verdict */
};

struct vigil_heartbeat {
	struct delayed_work work;
	struct vigil_session *session;
	struct vigil_heartbeat_look last;
};

/* What one look found: the faults to count. */
struct vigil_heartbeat_verdict {
	bool hung;
};

void vigil_heartbeat_init(struct vigil_heartbeat *hb, struct vigil_session *s);
void vigil_heartbeat_start(struct vigil_heartbeat *hb);
void vigil_heartbeat_stop(struct vigil_heartbeat *hb);

struct vigil_heartbeat_verdict
vigil_heartbeat_judge(const struct vigil_heartbeat_look *last,
		      const struct vigil_heartbeat_look *now);

#endif /* _VIGIL_HEARTBEAT_H */
