// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the ring reader over a ring in any state.  The input
 * is the consumer and producer positions, then the data area, which is
 * laid out twice in a row as the shim maps it.
 */
#include <stdint.h>
#include <string.h>

#include "event.h"
#include "ring_reader.h"

#define SIZE 4096

static int decode(const void *rec, uint32_t len, void *ctx)
{
	struct vigil_event_view v;

	(void)ctx;
	vigil_event_decode(rec, len, &v);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char area[2 * SIZE] __attribute__((aligned(8)));
	__u64 cons, prod;
	struct vigil_ring_view ring = {
		.consumer_pos = &cons, .producer_pos = &prod,
		.data = area, .size = SIZE,
	};

	if (size < 16)
		return 0;
	memcpy(&cons, data, 8);
	memcpy(&prod, data + 8, 8);
	size -= 16;
	memset(area, 0, SIZE);
	memcpy(area, data + 16, size < SIZE ? size : SIZE);
	memcpy(area + SIZE, area, SIZE);
	vigil_ring_consume(&ring, decode, NULL);
	return 0;
}
