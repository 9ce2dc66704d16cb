// SPDX-License-Identifier: GPL-2.0
/* The ring between vigild and one client: see client_ring.h. */
#include <errno.h>
#include <string.h>

#include "client_ring.h"

#define ENTRY_HDR	sizeof(struct vigil_cring_entry)

static uint64_t entry_size(uint32_t len)
{
	return ENTRY_HDR + (((uint64_t)len + 7) & ~7ULL);
}

void vigil_cring_init(struct vigil_cring *r, void *map, uint64_t size)
{
	r->ctrl = map;
	r->data = (unsigned char *)map + VIGIL_CRING_CTRL_SIZE;
	r->size = size;
	r->pos = 0;
	r->next = 0;
}

static void put_entry(struct vigil_cring *r, uint64_t pos, uint32_t len)
{
	struct vigil_cring_entry e = { .len = len };

	memcpy(r->data + pos % r->size, &e, sizeof(e));
}

static int drop(struct vigil_cring *r, int err)
{
	r->ctrl->dropped++;
	return err;
}

int vigil_cring_push(struct vigil_cring *r, const void *rec, uint32_t len)
{
	/* Pairs with the consumer's release store in vigil_cring_consume(). */
	uint64_t consumer = __atomic_load_n(&r->ctrl->consumer, __ATOMIC_ACQUIRE);
	uint64_t need = entry_size(len), tail = r->size - r->pos % r->size;

	if (consumer > r->pos || r->pos - consumer > r->size)
		return drop(r, -EPROTO);
	if (need > tail)
		need += tail;		/* a pad entry first */
	if (!len || entry_size(len) > r->size / 2 || need > r->size - (r->pos - consumer))
		return drop(r, -ENOSPC);
	if (need > entry_size(len)) {
		put_entry(r, r->pos, VIGIL_CRING_PAD | (uint32_t)tail);
		r->pos += tail;
	}
	put_entry(r, r->pos, len);
	memcpy(r->data + r->pos % r->size + ENTRY_HDR, rec, len);
	r->pos += entry_size(len);
	/* The entry is written before the position says so: pairs with peek. */
	__atomic_store_n(&r->ctrl->producer, r->pos, __ATOMIC_RELEASE);
	return 0;
}

static void consume_to(struct vigil_cring *r, uint64_t pos)
{
	r->pos = pos;
	/* Done reading before the broker may reuse it: pairs with push. */
	__atomic_store_n(&r->ctrl->consumer, pos, __ATOMIC_RELEASE);
}

int64_t vigil_cring_peek(struct vigil_cring *r, const void **rec)
{
	for (;;) {
		/* Pairs with the release store at the end of vigil_cring_push(). */
		uint64_t producer = __atomic_load_n(&r->ctrl->producer, __ATOMIC_ACQUIRE);
		uint64_t off = r->pos % r->size, tail = r->size - off;
		struct vigil_cring_entry e;

		if (producer < r->pos || producer - r->pos > r->size)
			return -EPROTO;
		if (producer == r->pos)
			return 0;
		if (producer - r->pos < ENTRY_HDR)
			return -EPROTO;
		memcpy(&e, r->data + off, sizeof(e));
		if (e.len & VIGIL_CRING_PAD) {
			if ((e.len & ~VIGIL_CRING_PAD) != tail || producer - r->pos < tail)
				return -EPROTO;
			consume_to(r, r->pos + tail);
			continue;
		}
		if (!e.len || entry_size(e.len) > tail ||
		    entry_size(e.len) > producer - r->pos)
			return -EPROTO;
		*rec = r->data + off + ENTRY_HDR;
		r->next = r->pos + entry_size(e.len);
		return e.len;
	}
}

void vigil_cring_consume(struct vigil_cring *r)
{
	if (r->next > r->pos)
		consume_to(r, r->next);
}
