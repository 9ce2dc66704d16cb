/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The broker's deadlines: a bounded min-heap of (time, key) pairs, the
 * earliest first, so that one poll() timeout covers every waiting AUTH
 * event.  Entries are never removed early: when the one on top is due,
 * the caller looks its key up and ignores it if it was settled meanwhile.
 */
#ifndef VIGILD_DEADLINE_H
#define VIGILD_DEADLINE_H

#include <stddef.h>
#include <stdint.h>

struct deadline {
	uint64_t when_ns;
	uint64_t key;		/* the caller's: an event and a client, say */
};

struct deadline_queue {
	struct deadline *heap;
	size_t len;
	size_t cap;
};

/* Room for @cap deadlines.  0, or -ENOMEM. */
int deadline_queue_init(struct deadline_queue *q, size_t cap);
void deadline_queue_free(struct deadline_queue *q);

/* Add one.  0, or -ENOSPC when @cap are queued. */
int deadline_push(struct deadline_queue *q, uint64_t when_ns, uint64_t key);

/*
 * Drop the deadlines @stale says are settled, keeping the heap in order;
 * the number dropped.  For a full queue: what is settled need not wait
 * to be popped.
 */
size_t deadline_prune(struct deadline_queue *q,
		      int (*stale)(const struct deadline *d, void *ctx), void *ctx);

/* Take the earliest into *@d if it is due at @now_ns: 1, or 0. */
int deadline_pop_due(struct deadline_queue *q, uint64_t now_ns,
		     struct deadline *d);

/*
 * A poll() timeout until the earliest deadline, from @now_ns: -1 if none,
 * 0 if due, otherwise milliseconds rounded up (so as not to wake early).
 */
int deadline_timeout_ms(const struct deadline_queue *q, uint64_t now_ns);

#endif /* VIGILD_DEADLINE_H */
