/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ring between vigild and one client: shared memory (a memfd the
 * broker creates and passes in the welcome message), one producer (the
 * broker), one consumer (the client).  It holds the shim's records as
 * they came, each in an entry of an 8-byte header and the record, padded
 * to 8 bytes.
 *
 * Layout: a control page, then the data area (a power of two of bytes):
 *
 *   offset 0     producer position (written by the broker only)
 *   offset 64    consumer position (written by the client only)
 *   offset 128   entries dropped for a full ring (broker)
 *   4096         data
 *
 * Positions count bytes from the start and never wrap; an entry starts at
 * position % size.  An entry that would run past the end of the area is
 * preceded by a pad entry (VIGIL_CRING_PAD) filling the rest.
 *
 * The broker never trusts the shared memory: it keeps its own producer
 * position, and a consumer position that is not between the producer's
 * minus the size and the producer's is a broken client (-EPROTO).
 */
#ifndef VIGIL_CLIENT_RING_H
#define VIGIL_CLIENT_RING_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vigil.h>

#define VIGIL_CRING_CTRL_SIZE	4096
#define VIGIL_CRING_PAD		(1U << 31)	/* entry.len: skip to the end */

struct vigil_cring_ctrl {
	uint64_t producer;
	uint64_t pad1[7];
	uint64_t consumer;
	uint64_t pad2[7];
	uint64_t dropped;
};

struct vigil_cring_entry {
	uint32_t len;		/* of the record, or VIGIL_CRING_PAD | bytes */
	uint32_t reserved;
};

/* One end of a ring: the mapping, and what this end knows. */
struct vigil_cring {
	struct vigil_cring_ctrl *ctrl;
	unsigned char *data;
	uint64_t size;		/* of the data area */
	uint64_t pos;		/* producer: where the next entry goes;
				 * consumer: the next entry to read */
	uint64_t next;		/* consumer: after the entry peeked */
};

/* Bytes to map for a ring of @size data bytes. */
static inline size_t vigil_cring_map_size(uint64_t size)
{
	return VIGIL_CRING_CTRL_SIZE + (size_t)size;
}

/*
 * The AUTH lane, for a client whose hello says VIGIL_HELLO_F_LANE: a
 * second ring in the same memfd, right after the first, of
 * VIGIL_CRING_LANE_SIZE data bytes.  It carries the records of
 * VIGIL_LANE_EVENTS (AUTH events and the watchdog's), as the shim's lane
 * does, and the client reads it first: a permission question never waits
 * behind the notifications the client has not read yet.
 */
#define VIGIL_CRING_LANE_SIZE	(256 * 1024)

/* Bytes of the memfd: the ring of @size data bytes, and the lane if @lane. */
static inline size_t vigil_cring_memfd_size(uint64_t size, int lane)
{
	return vigil_cring_map_size(size) +
	       (lane ? vigil_cring_map_size(VIGIL_CRING_LANE_SIZE) : 0);
}

/* Whether a record of @type travels in the lane, where there is one. */
static inline int vigil_cring_in_lane(uint32_t type)
{
	return type < 64 && (VIGIL_EVENT_BIT(type) & VIGIL_LANE_EVENTS);
}

/* Either end: the ring in @map (vigil_cring_map_size(@size) bytes). */
void vigil_cring_init(struct vigil_cring *r, void *map, uint64_t size);

/*
 * Producer: append the record @rec of @len bytes (1 to size / 2).
 * Return: 0; -ENOSPC if the consumer has not made room (the entry is
 * counted as dropped); -EPROTO if the consumer's position is impossible.
 */
int vigil_cring_push(struct vigil_cring *r, const void *rec, uint32_t len);

/*
 * Consumer: the next record, without consuming it.
 * Return: its length with *@rec pointing at it; 0 if the ring is empty;
 * -EPROTO if the ring's contents are impossible.
 */
int64_t vigil_cring_peek(struct vigil_cring *r, const void **rec);

/* Consumer: done with the record vigil_cring_peek() returned. */
void vigil_cring_consume(struct vigil_cring *r);

#endif /* VIGIL_CLIENT_RING_H */
