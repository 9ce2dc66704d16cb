/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate limits per event type (VIGIL_IOC_LIMIT): so many records of a type
 * per second, in fixed one-second windows; what is skipped is counted.
 * Lock-free: hooks check it on any CPU.
 */
#ifndef _VIGIL_LIMIT_H
#define _VIGIL_LIMIT_H

#include <linux/atomic.h>
#include <linux/types.h>

#define VIGIL_LIMIT_TYPES	32	/* event types a limit may apply to */

struct vigil_limit_slot {
	u32 per_second;		/* 0: no limit */
	atomic_t count;		/* records let through in this window */
	atomic64_t window;	/* the window's number: seconds of the clock */
	atomic64_t skipped;
};

struct vigil_limits {
	struct vigil_limit_slot slot[VIGIL_LIMIT_TYPES];
};

void vigil_limits_init(struct vigil_limits *l);

/* Set @type's limit (0: none); the skipped count stays. */
void vigil_limit_set(struct vigil_limits *l, u32 type, u32 per_second);
u32 vigil_limit_get(struct vigil_limits *l, u32 type);
u64 vigil_limit_skipped(struct vigil_limits *l, u32 type);

bool vigil_limit_allow_slow(struct vigil_limit_slot *slot, u64 now_ns);

/*
 * May an event of @type go through at @now_ns?  One load and a branch
 * for a type without a limit.  Context: any.
 */
static inline bool vigil_limit_allow(struct vigil_limits *l, u32 type, u64 now_ns)
{
	struct vigil_limit_slot *slot;

	if (type >= VIGIL_LIMIT_TYPES)
		return true;
	slot = &l->slot[type];
	/* Pairs with the WRITE_ONCE() in vigil_limit_set(). */
	if (likely(!READ_ONCE(slot->per_second)))
		return true;
	return vigil_limit_allow_slow(slot, now_ns);
}

#endif /* _VIGIL_LIMIT_H */
