// SPDX-License-Identifier: GPL-2.0
/*
 * The broker session: its objects, from open to release.  Connecting it
 * to the hooks, and disconnecting it, is shim.c's.
 */

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "params.h"
#include "ring.h"
#include "session.h"
#include "shim.h"

/* 1 while a session exists: /dev/vigil has one opener at a time. */
static atomic_t vigil_session_taken = ATOMIC_INIT(0);

static void vigil_session_free(struct vigil_session *s)
{
	put_pid(s->broker);
	free_percpu(s->stats);
	vigil_vcache_uninit(&s->cache);
	vigil_mute_set_uninit(&s->mutes);
	vigil_ring_destroy(s->auth_ring);
	vigil_ring_destroy(s->ring);
	kfree(s);
}

/**
 * vigil_session_open() - create the session, if there is none
 * @file: the file it belongs to
 *
 * Return: the session, or ERR_PTR(-EBUSY) if another one exists,
 * ERR_PTR(-ENOMEM).
 */
struct vigil_session *vigil_session_open(struct file *file)
{
	struct vigil_session *s;
	int err;

	/* Full barrier; pairs with the release in vigil_session_close(). */
	if (atomic_cmpxchg(&vigil_session_taken, 0, 1))
		return ERR_PTR(-EBUSY);

	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s) {
		err = -ENOMEM;
		goto err_release;
	}
	s->file = file;
	s->broker = get_pid(task_tgid(current));
	s->events = VIGIL_DEFAULT_EVENTS;
	atomic_long_set(&s->activity, 0);
	vigil_heartbeat_init(&s->heartbeat, s);
	vigil_pending_init(&s->pending, vigil_param_max_waiters());
	vigil_mute_set_init(&s->mutes);
	vigil_limits_init(&s->limits);
	vigil_sources_init(&s->sources, s);
	err = vigil_vcache_init(&s->cache, vigil_param_cache_size());
	if (err)
		goto err_free;
	s->stats = vigil_auth_counters_alloc();
	if (!s->stats) {
		err = -ENOMEM;
		goto err_free;
	}
	s->ring = vigil_ring_create(vigil_param_ring_size());
	if (IS_ERR(s->ring)) {
		err = PTR_ERR(s->ring);
		s->ring = NULL;
		goto err_free;
	}
	s->auth_ring = vigil_ring_create(VIGIL_AUTH_RING_SIZE);
	if (IS_ERR(s->auth_ring)) {
		err = PTR_ERR(s->auth_ring);
		s->auth_ring = NULL;
		goto err_free;
	}
	return s;

err_free:
	vigil_session_free(s);
err_release:
	atomic_set_release(&vigil_session_taken, 0);
	return ERR_PTR(err);
}

/*
 * Disconnect (releasing every AUTH waiter with its miss verdict and
 * detaching the hooks), wait for the waiters to leave, free the session
 * and let the next broker in.
 */
void vigil_session_close(struct vigil_session *s)
{
	vigil_shim_disconnect(s);
	vigil_pending_wait_drained(&s->pending);
	/* No hook, and no waiter, counts any more: stop the reports. */
	vigil_sources_stop(&s->sources);
	vigil_session_free(s);
	/* Everything above is done before the next open can succeed. */
	atomic_set_release(&vigil_session_taken, 0);
}

/**
 * vigil_session_connect() - start the flow of events into the rings
 * @s: the session
 * @auth_lane: whether the broker reads the AUTH lane (1.4 or later)
 *
 * Return: see vigil_shim_connect().
 */
int vigil_session_connect(struct vigil_session *s, bool auth_lane)
{
	return vigil_shim_connect(s, auth_lane);
}

/* Lockless, for paths such as mmap that must not take the shim's lock. */
bool vigil_session_connected(struct vigil_session *s)
{
	/* Pairs with the release in vigil_shim_connect(). */
	return smp_load_acquire(&s->connected);
}
