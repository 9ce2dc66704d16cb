// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: any bytes as vigild's configuration file and as its
 * client allowlist.  Whatever is accepted must be within its ranges.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vigil.h>

#include "allowlist.h"
#include "config.h"

static int resolve(int group, const char *name, uint32_t *id)
{
	*id = (uint32_t)strlen(name) + (group ? 1000 : 0);
	return name[0] == 'x' ? -ENOENT : 0;
}

/* Rate limits only for NOTIFY types, each within its range. */
static void check_rate_limits(const struct vigild_config *c)
{
	unsigned int t;

	for (t = 0; t < VIGILD_RATE_TYPES; t++)
		if (c->rate_limit[t] > VIGILD_RATE_LIMIT_MAX ||
		    (c->rate_limit[t] && (t == 0 || t == VIGIL_EVENT_AUTH_EXEC ||
					  t == VIGIL_EVENT_AUTH_OPEN ||
					  t == VIGIL_EVENT_WATCHDOG ||
					  t > VIGIL_EVENT_FILE_TRUNCATE)))
			abort();
}

static void check_config(const struct vigild_config *c)
{
	check_rate_limits(c);
	if (c->client_deadline_ms < 10 || c->client_deadline_ms > 29000 ||
	    c->cut_off_misses < 1 || c->max_clients < 1 || c->max_clients > 256 ||
	    c->client_ring_size < 65536 || (c->client_ring_size & (c->client_ring_size - 1)) ||
	    (c->missing_verdict != VIGIL_VERDICT_ALLOW &&
	     c->missing_verdict != VIGIL_VERDICT_DENY) ||
	    c->allowlist[0] != '/' || !memchr(c->allowlist, '\0', sizeof(c->allowlist)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct allowlist list;
	struct vigild_config cfg;
	char err[256];

	vigild_config_defaults(&cfg);
	if (!vigild_config_parse((const char *)data, size, &cfg, err, sizeof(err)))
		check_config(&cfg);
	if (!allowlist_parse((const char *)data, size, resolve, &list, err, sizeof(err)) &&
	    (list.n_users > ALLOWLIST_MAX || list.n_groups > ALLOWLIST_MAX))
		abort();
	if (!memchr(err, '\0', sizeof(err)))
		abort();
	return 0;
}
