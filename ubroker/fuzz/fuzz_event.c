// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: any bytes as a record, through the decoder and, when
 * it accepts them, both output formats.
 */
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct vigil_event_view v;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (vigil_event_decode(data, size, &v) == 0) {
		vigild_print_event(sink, VIGILD_FORMAT_JSON, &v, "allow");
		vigild_print_event(sink, VIGILD_FORMAT_TEXT, &v, NULL);
	}
	return 0;
}
