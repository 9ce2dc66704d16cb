/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the shim's event ring (the consumer side of the protocol in
 * <linux/vigil.h>).  Independent of the device: it works on any memory laid
 * out as the ABI says, which is what the unit tests give it.
 */
#ifndef VIGIL_RING_READER_H
#define VIGIL_RING_READER_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

struct vigil_ring_view {
	__u64 *consumer_pos;		/* in the consumer page */
	const __u64 *producer_pos;	/* in the producer page */
	const unsigned char *data;	/* data area, mapped twice */
	uint64_t size;			/* bytes in the data area */
};

/* Called for each committed record; a non-zero return stops the walk. */
typedef int (*vigil_record_fn)(const void *rec, uint32_t len, void *ctx);

/*
 * Hand every committed record to @fn, in order, advancing the consumer
 * position past each one handled (and past discarded ones).  Stops at a
 * record still being written.  Returns the number of records handed to
 * @fn, or the negative value @fn returned, or -EPROTO if the producer
 * position or a record header is impossible.
 */
long vigil_ring_consume(struct vigil_ring_view *ring, vigil_record_fn fn,
			void *ctx);

/*
 * The same, handing at most @max records to @fn: a reader that has
 * another ring to look at in between (the AUTH lane) reads in batches.
 * A view of size 0 (a ring the shim does not have) holds nothing.
 */
long vigil_ring_consume_max(struct vigil_ring_view *ring, long max,
			    vigil_record_fn fn, void *ctx);

struct vigil_ring_producer;

/*
 * Copy the producer page's counters, which the shim updates atomically.
 * In the copy, produced is never less than the drops it counts.
 */
void vigil_ring_counters(const struct vigil_ring_producer *live,
			 struct vigil_ring_producer *snapshot);

/* Sum of the drop counters of a snapshot. */
uint64_t vigil_ring_dropped(const struct vigil_ring_producer *snapshot);

/* True if records are waiting (committed or not). */
int vigil_ring_pending(const struct vigil_ring_view *ring);

#endif /* VIGIL_RING_READER_H */
