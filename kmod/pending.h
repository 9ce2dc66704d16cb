/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pending-request table: the AUTH events waiting for a verdict, by id.
 * Bounded; closing it releases every waiter at once.
 */
#ifndef _VIGIL_PENDING_H
#define _VIGIL_PENDING_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#define VIGIL_PENDING_BUCKETS	64

enum vigil_request_state {
	VIGIL_REQ_PENDING,	/* waiting for a verdict */
	VIGIL_REQ_ANSWERED,	/* the broker answered: see verdict */
	VIGIL_REQ_RELEASED,	/* the table closed: no verdict will come */
};

/*
 * One waiting AUTH event.  It lives on the waiter's stack: the waiter
 * removes it from the table before returning.
 */
struct vigil_request {
	struct hlist_node node;		/* in vigil_pending.buckets */
	wait_queue_head_t wq;		/* the waiter sleeps here */
	u64 id;
	u64 deadline_ns;
	u32 state;			/* enum vigil_request_state */
	u32 verdict;			/* VIGIL_VERDICT_*, once answered */
	u32 flags;			/* VIGIL_VERDICT_F_*, once answered */
	u64 answered_ns;		/* when the verdict came */
};

struct vigil_pending {
	spinlock_t lock;		/* protects all below, and requests' state */
	struct hlist_head buckets[VIGIL_PENDING_BUCKETS];
	unsigned int count;		/* requests in the table */
	unsigned int max;		/* bound of count */
	u64 last_id;			/* ids start at 1 and never repeat */
	bool closed;			/* no more requests; all released */
	wait_queue_head_t drained;	/* closing waits here for count == 0 */
};

void vigil_pending_init(struct vigil_pending *p, unsigned int max);
int vigil_pending_insert(struct vigil_pending *p, struct vigil_request *req,
			 u64 deadline_ns);
int vigil_pending_answer(struct vigil_pending *p, u64 id, u32 verdict,
			 u32 flags, u64 now_ns);
bool vigil_request_done(const struct vigil_request *req);
u32 vigil_pending_remove(struct vigil_pending *p, struct vigil_request *req);
unsigned int vigil_pending_release_all(struct vigil_pending *p);
bool vigil_pending_closed(struct vigil_pending *p);
void vigil_pending_reopen(struct vigil_pending *p);
unsigned int vigil_pending_count(struct vigil_pending *p);
void vigil_pending_wait_drained(struct vigil_pending *p);

#endif /* _VIGIL_PENDING_H */
