/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vigild's configuration file (/etc/vigil/vigild.conf): how long clients
 * have for a verdict, when a client is cut off, what the broker answers
 * for a client that did not, the limits on clients, and the shim's rate
 * limits per event type.  Every key, its
 * default and its range are in vigild(8) and Documentation/vigild.rst.
 */
#ifndef VIGILD_CONFIG_H
#define VIGILD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define VIGILD_CONFIG_PATH	"/etc/vigil/vigild.conf"
#define VIGILD_PATH_MAX		256
#define VIGILD_MAX_CLIENTS	256	/* the most max_clients may be */
#define VIGILD_RATE_LIMIT_MAX	1000000	/* records per second, at most */
#define VIGILD_RATE_TYPES	32	/* event types a limit may apply to */

struct vigild_config {
	uint32_t client_deadline_ms;	/* a client's time for a verdict */
	uint32_t cut_off_misses;	/* missed in a row: cut off */
	uint32_t stall_ms;		/* not reading this long: cut off */
	uint32_t max_clients;
	uint64_t client_ring_size;	/* bytes of each client's event ring */
	uint32_t missing_verdict;	/* VIGIL_VERDICT_* for a client that did
					 * not answer in time */
	char allowlist[VIGILD_PATH_MAX];	/* who may connect */
	/* rate_limit: records per second of each type; 0 for none. */
	uint32_t rate_limit[VIGILD_RATE_TYPES];
};

void vigild_config_defaults(struct vigild_config *cfg);

/*
 * Parse @len bytes at @text over the defaults.  Return: 0 with @cfg set;
 * or -EINVAL, @cfg unchanged and the reason in @err ("line N: ..."): an
 * unknown or repeated key, a line that is not "key = value", a value out
 * of its range, a rate_limit of a type that is not NOTIFY or given twice.
 */
int vigild_config_parse(const char *text, size_t len, struct vigild_config *cfg,
			char *err, size_t errlen);

#endif /* VIGILD_CONFIG_H */
