// SPDX-License-Identifier: GPL-2.0
/*
 * Rate limits per event type.
 *
 * A window is a second of the clock: the first event of a new second
 * resets the count.  Two CPUs crossing into a new second at once may let
 * a few more through than the limit; the count of what is skipped is
 * exact.
 */

#include <linux/kernel.h>
#include <linux/time64.h>

#include "limit.h"

void vigil_limits_init(struct vigil_limits *l)
{
	unsigned int i;

	/* Before the session is published: no hook sees these yet. */
	for (i = 0; i < VIGIL_LIMIT_TYPES; i++) {
		l->slot[i].per_second = 0;
		atomic_set(&l->slot[i].count, 0);
		atomic64_set(&l->slot[i].window, 0);
		atomic64_set(&l->slot[i].skipped, 0);
	}
}

void vigil_limit_set(struct vigil_limits *l, u32 type, u32 per_second)
{
	/* A new limit starts a new window at the next event. */
	atomic64_set(&l->slot[type].window, 0);
	/* Read without a lock by vigil_limit_allow(). */
	WRITE_ONCE(l->slot[type].per_second, per_second);
}

u32 vigil_limit_get(struct vigil_limits *l, u32 type)
{
	/* Pairs with the WRITE_ONCE() in vigil_limit_set(). */
	return READ_ONCE(l->slot[type].per_second);
}

u64 vigil_limit_skipped(struct vigil_limits *l, u32 type)
{
	/* A counter only: no ordering with anything else. */
	return atomic64_read(&l->slot[type].skipped);
}

bool vigil_limit_allow_slow(struct vigil_limit_slot *slot, u64 now_ns)
{
	s64 window = div_u64(now_ns, NSEC_PER_SEC) + 1;	/* never 0 */
	/* Relaxed: a stale window only makes the cmpxchg below fail. */
	s64 seen = atomic64_read(&slot->window);

	/*
	 * Only the CPU whose cmpxchg moves the window on resets the count;
	 * others racing it count into either window (see the top).
	 */
	if (seen != window && atomic64_cmpxchg(&slot->window, seen, window) == seen)
		atomic_set(&slot->count, 0);
	/* Pairs with the WRITE_ONCE() in vigil_limit_set(). */
	if (atomic_inc_return(&slot->count) <= READ_ONCE(slot->per_second))
		return true;
	/* Exact, read by vigil_limit_skipped(). */
	atomic64_inc(&slot->skipped);
	return false;
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "limit_test.c"
#endif
