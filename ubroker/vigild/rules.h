/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vigild's small rule set for AUTH events: deny executing, or opening,
 * files under given directories.  Everything else is allowed.
 */
#ifndef VIGILD_RULES_H
#define VIGILD_RULES_H

#include <stdint.h>

#include "event.h"

#define VIGILD_MAX_RULES 64

struct vigild_rules {
	const char *deny_exec[VIGILD_MAX_RULES];
	unsigned int nr_deny_exec;
	const char *deny_open[VIGILD_MAX_RULES];
	unsigned int nr_deny_open;
};

/* Add a prefix; 0, or -EINVAL if not absolute, -ENOSPC if too many. */
int vigild_rules_add(const char **list, unsigned int *nr, const char *prefix);

/* Is @path @prefix, or under the directory @prefix? */
int vigild_path_under(const char *path, const char *prefix);

/* VIGIL_VERDICT_ALLOW or VIGIL_VERDICT_DENY for an AUTH event. */
uint32_t vigild_rules_verdict(const struct vigild_rules *rules,
			      const struct vigil_event_view *view);

#endif /* VIGILD_RULES_H */
