// SPDX-License-Identifier: GPL-2.0
/*
 * The pending-request table.
 *
 * A waiter inserts its request (getting an id), sends the record, sleeps
 * until vigil_request_done() or its deadline, and removes the request,
 * learning under the lock whether an answer came.  An answer finds the
 * request by id and marks it answered, once: a second answer, or one for
 * a request already removed (expired), finds nothing and changes nothing.
 */

#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/sched.h>

#include "pending.h"

void vigil_pending_init(struct vigil_pending *p, unsigned int max)
{
	unsigned int i;

	spin_lock_init(&p->lock);
	for (i = 0; i < VIGIL_PENDING_BUCKETS; i++)
		INIT_HLIST_HEAD(&p->buckets[i]);
	p->count = 0;
	p->max = max;
	p->last_id = 0;
	p->closed = false;
	init_waitqueue_head(&p->drained);
}

static struct hlist_head *vigil_pending_bucket(struct vigil_pending *p, u64 id)
{
	return &p->buckets[hash_64(id, ilog2(VIGIL_PENDING_BUCKETS))];
}

/**
 * vigil_pending_insert() - add a request, giving it an id
 * @p: the table
 * @req: the request; its fields are set here
 * @deadline_ns: when its waiter stops waiting
 *
 * Return: 0; -ENOSPC if the table is full; -ESHUTDOWN if it is closed.
 */
int vigil_pending_insert(struct vigil_pending *p, struct vigil_request *req,
			 u64 deadline_ns)
{
	int err = 0;

	init_waitqueue_head(&req->wq);
	req->state = VIGIL_REQ_PENDING;
	req->verdict = 0;
	req->flags = 0;
	req->deadline_ns = deadline_ns;
	spin_lock(&p->lock);
	if (p->closed) {
		err = -ESHUTDOWN;
	} else if (p->count >= p->max) {
		err = -ENOSPC;
	} else {
		req->id = ++p->last_id;
		hlist_add_head(&req->node, vigil_pending_bucket(p, req->id));
		p->count++;
	}
	spin_unlock(&p->lock);
	return err;
}

static struct vigil_request *vigil_pending_find(struct vigil_pending *p,
						u64 id)
{
	struct vigil_request *req;

	hlist_for_each_entry(req, vigil_pending_bucket(p, id), node)
		if (req->id == id)
			return req;
	return NULL;
}

/**
 * vigil_pending_answer() - give a waiting request its verdict
 * @p: the table
 * @id: the request's id
 * @verdict: VIGIL_VERDICT_*
 * @flags: VIGIL_VERDICT_F_*
 * @now_ns: the time of the answer
 *
 * Return: 0, or -ENOENT if no request with @id waits for a verdict.
 */
int vigil_pending_answer(struct vigil_pending *p, u64 id, u32 verdict,
			 u32 flags, u64 now_ns)
{
	struct vigil_request *req;
	int err = -ENOENT;

	spin_lock(&p->lock);
	req = vigil_pending_find(p, id);
	if (req && req->state == VIGIL_REQ_PENDING) {
		req->verdict = verdict;
		req->flags = flags;
		req->answered_ns = now_ns;
		/* Pairs with READ_ONCE() in vigil_request_done(). */
		WRITE_ONCE(req->state, VIGIL_REQ_ANSWERED);
		wake_up(&req->wq);
		err = 0;
	}
	spin_unlock(&p->lock);
	return err;
}

/* The waiter's wake-up condition: answered or released. */
bool vigil_request_done(const struct vigil_request *req)
{
	return READ_ONCE(req->state) != VIGIL_REQ_PENDING;
}

/**
 * vigil_pending_remove() - take a request out of the table
 * @p: the table
 * @req: the request, inserted before
 *
 * Return: its final state: still VIGIL_REQ_PENDING if no answer came.
 */
u32 vigil_pending_remove(struct vigil_pending *p, struct vigil_request *req)
{
	u32 state;

	spin_lock(&p->lock);
	hlist_del(&req->node);
	state = req->state;
	if (!--p->count && p->closed)
		wake_up(&p->drained);
	spin_unlock(&p->lock);
	return state;
}

/*
 * Close the table: refuse new requests, release every waiter now.
 * Return: the waiters released.
 */
unsigned int vigil_pending_release_all(struct vigil_pending *p)
{
	struct vigil_request *req;
	unsigned int i, released = 0;

	spin_lock(&p->lock);
	/* Read locklessly by vigil_pending_closed(). */
	WRITE_ONCE(p->closed, true);
	for (i = 0; i < VIGIL_PENDING_BUCKETS; i++) {
		hlist_for_each_entry(req, &p->buckets[i], node) {
			if (req->state != VIGIL_REQ_PENDING)
				continue;
			/* Pairs with READ_ONCE() in vigil_request_done(). */
			WRITE_ONCE(req->state, VIGIL_REQ_RELEASED);
			wake_up(&req->wq);
			released++;
		}
	}
	spin_unlock(&p->lock);
	return released;
}

/* Whether the table refuses requests: released, not yet reopened. */
bool vigil_pending_closed(struct vigil_pending *p)
{
	/* Only looked at between waits: a stale value costs one more look. */
	return READ_ONCE(p->closed);
}

/* Accept requests again after vigil_pending_release_all(). */
void vigil_pending_reopen(struct vigil_pending *p)
{
	spin_lock(&p->lock);
	WRITE_ONCE(p->closed, false);
	spin_unlock(&p->lock);
}

/* Requests in the table now; for the heartbeat, which only compares. */
unsigned int vigil_pending_count(struct vigil_pending *p)
{
	return READ_ONCE(p->count);
}

/* After vigil_pending_release_all(): wait until every waiter has left. */
void vigil_pending_wait_drained(struct vigil_pending *p)
{
	/* Pairs with the wake-up in vigil_pending_remove(). */
	wait_event(p->drained, !READ_ONCE(p->count));
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "pending_test.c"
#endif
