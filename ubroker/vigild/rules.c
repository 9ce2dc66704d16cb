// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "rules.h"

int vigild_rules_add(const char **list, unsigned int *nr, const char *prefix)
{
	if (prefix[0] != '/')
		return -EINVAL;
	if (*nr >= VIGILD_MAX_RULES)
		return -ENOSPC;
	list[(*nr)++] = prefix;
	return 0;
}

/* By whole components: "/tmp" holds "/tmp/x", not "/tmpx". */
int vigild_path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	while (n > 1 && prefix[n - 1] == '/')
		n--;
	if (strncmp(path, prefix, n))
		return 0;
	return n == 1 || path[n] == '\0' || path[n] == '/';
}

static int under_any(const char *const *list, unsigned int nr,
		     const struct vigil_field_view *f)
{
	unsigned int i;

	if (!f->data)
		return 0;
	for (i = 0; i < nr; i++)
		if (vigild_path_under(f->data, list[i]))
			return 1;
	return 0;
}

uint32_t vigild_rules_verdict(const struct vigild_rules *rules,
			      const struct vigil_event_view *view)
{
	if (view->type == VIGIL_EVENT_AUTH_EXEC &&
	    under_any(rules->deny_exec, rules->nr_deny_exec, &view->exe))
		return VIGIL_VERDICT_DENY;
	if (view->type == VIGIL_EVENT_AUTH_OPEN &&
	    under_any(rules->deny_open, rules->nr_deny_open, &view->path))
		return VIGIL_VERDICT_DENY;
	return VIGIL_VERDICT_ALLOW;
}
