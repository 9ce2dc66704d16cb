// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: any bytes as the shared memory of a client's ring
 * (control page and data), read as libvigil reads it: entries, then each
 * record decoded.  A broken ring must be reported, never read past.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client_ring.h"
#include "event.h"

#define SIZE	65536

static _Alignas(4096) unsigned char map[VIGIL_CRING_CTRL_SIZE + SIZE];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vigil_cring r;
	struct vigil_ctrl_seed { uint64_t producer, start; } seed = { 0, 0 };
	unsigned int n;

	memset(map, 0, sizeof(map));
	if (size >= sizeof(seed)) {
		memcpy(&seed, data, sizeof(seed));
		data += sizeof(seed);
		size -= sizeof(seed);
	}
	memcpy(map + VIGIL_CRING_CTRL_SIZE, data, size < SIZE ? size : SIZE);
	vigil_cring_init(&r, map, SIZE);
	/* Start anywhere a reader can be: on an entry's 8-byte boundary. */
	seed.start &= ~7ULL;
	r.pos = seed.start;
	r.ctrl->consumer = seed.start;
	r.ctrl->producer = seed.producer;
	for (n = 0; n < 4096; n++) {
		struct vigil_event_view v;
		const void *rec;
		int64_t len = vigil_cring_peek(&r, &rec);

		if (len <= 0)
			break;
		if ((const unsigned char *)rec < map + VIGIL_CRING_CTRL_SIZE ||
		    (const unsigned char *)rec + len > map + sizeof(map))
			abort();
		vigil_event_decode(rec, (uint32_t)len, &v);
		vigil_cring_consume(&r);
	}
	return 0;
}
