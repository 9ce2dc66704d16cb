// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: any bytes as a stream of client protocol frames, as
 * vigild reads them.  A frame the checker accepts must build back to the
 * same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

static struct vigil_msg msg;
static unsigned char back[VIGIL_FRAME_MAX];

static void round_trip(const uint8_t *frame, size_t len)
{
	ssize_t n = vigil_frame_build(back, sizeof(back), msg.type, msg.seq,
				      msg.payload, msg.len);

	if (n != (ssize_t)len || memcmp(back, frame, len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	while (size) {
		ssize_t len = vigil_frame_parse(data, size);

		if (len <= 0)
			break;
		if (!vigil_msg_check(data, (size_t)len, &msg))
			round_trip(data, (size_t)len);
		data += len;
		size -= (size_t)len;
	}
	return 0;
}
