// SPDX-License-Identifier: GPL-2.0
/*
 * The consumer side of the ring protocol.  Memory ordering follows the
 * shim (kmod/ring.c): positions and record lengths are loaded with acquire
 * semantics, the consumer position is stored with release semantics.
 */
#include <errno.h>
#include <limits.h>
#include <linux/vigil.h>

#include "ring_reader.h"

void vigil_ring_counters(const struct vigil_ring_producer *live,
			 struct vigil_ring_producer *snapshot)
{
	unsigned int i;

	/*
	 * An event takes its number (produced) before it reaches the ring or
	 * is counted as dropped.  Loading produced last, after acquire loads
	 * of the others, keeps a snapshot from showing more records or drops
	 * than produced, whatever the shim is doing meanwhile.
	 */
	snapshot->pos = __atomic_load_n(&live->pos, __ATOMIC_ACQUIRE);
	for (i = 0; i < VIGIL_DROP_SLOTS; i++)
		snapshot->dropped[i] = __atomic_load_n(&live->dropped[i],
						       __ATOMIC_ACQUIRE);
	snapshot->produced = __atomic_load_n(&live->produced, __ATOMIC_ACQUIRE);
}

uint64_t vigil_ring_dropped(const struct vigil_ring_producer *snapshot)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < VIGIL_DROP_SLOTS; i++)
		sum += snapshot->dropped[i];
	return sum;
}

int vigil_ring_pending(const struct vigil_ring_view *ring)
{
	/* Pairs with the shim's store-release of the producer position. */
	uint64_t prod = __atomic_load_n(ring->producer_pos, __ATOMIC_ACQUIRE);

	return prod != *ring->consumer_pos;
}

long vigil_ring_consume(struct vigil_ring_view *ring, vigil_record_fn fn,
			void *ctx)
{
	return vigil_ring_consume_max(ring, LONG_MAX, fn, ctx);
}

long vigil_ring_consume_max(struct vigil_ring_view *ring, long max,
			    vigil_record_fn fn, void *ctx)
{
	uint64_t cons, mask = ring->size - 1;
	uint64_t prod;
	long handled = 0;

	if (!ring->size)
		return 0;	/* a ring the shim does not have */
	cons = *ring->consumer_pos;
	/* Pairs with the shim's store-release of the producer position. */
	prod = __atomic_load_n(ring->producer_pos, __ATOMIC_ACQUIRE);
	if (prod - cons > ring->size || (prod & 7) || (cons & 7))
		return -EPROTO;

	while (cons < prod && handled < max) {
		const uint32_t *hdr = (const void *)(ring->data + (cons & mask));
		/* Pairs with the shim's xchg() that commits the record. */
		uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
		uint32_t size = VIGIL_RING_RECORD_SIZE(len);
		int err;

		if (len & VIGIL_RING_BUSY)
			break;
		if (size > prod - cons)
			return -EPROTO;
		if (!(len & VIGIL_RING_DISCARD)) {
			err = fn(hdr + 2, len & VIGIL_RING_LEN_MASK, ctx);
			if (err)
				return err < 0 ? err : -ECANCELED;
			handled++;
		}
		cons += size;
		/* Hands the space back to the shim once the record is read. */
		__atomic_store_n(ring->consumer_pos, cons, __ATOMIC_RELEASE);
	}
	return handled;
}
