// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: any bytes as a boot guard state file, and as a
 * kernel command line.  A state the parser accepts must survive being
 * written back and parsed again unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bootstate.h"

static void round_trip(const struct boot_state *st)
{
	struct boot_state back;
	char buf[512], err[128];
	int len = boot_state_format(st, buf, sizeof(buf));

	if (len < 0 || boot_state_parse(buf, len, &back, err, sizeof(err)) ||
	    back.unblessed != st->unblessed || back.limit != st->limit ||
	    back.last != st->last || strcmp(back.boot_id, st->boot_id))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_state st;
	char err[128], *cmdline;

	if (!boot_state_parse((const char *)data, size, &st, err, sizeof(err)))
		round_trip(&st);
	cmdline = malloc(size + 1);
	if (!cmdline)
		return 0;
	memcpy(cmdline, data, size);
	cmdline[size] = '\0';
	boot_cmdline_disabled(cmdline);
	free(cmdline);
	return 0;
}
