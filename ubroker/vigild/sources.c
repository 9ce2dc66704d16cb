// SPDX-License-Identifier: GPL-2.0
/*
 * vigild's count of what it delivered per source.  The shim charges each
 * record to the real uid of the process it is about, except its own
 * records (the watchdog's, its source reports and its AUTH fallback
 * reports); so does this count.
 */
#include <linux/vigil.h>

#include "sources.h"

/* Records the shim makes of its own, charged to no source. */
static int vigild_sources_own(uint32_t type)
{
	return type == VIGIL_EVENT_WATCHDOG || type == VIGIL_EVENT_SOURCE ||
	       type == VIGIL_EVENT_AUTH_FALLBACK;
}

static uint64_t *vigild_sources_slot(struct vigild_sources *t, uint32_t uid)
{
	uint32_t key = uid + 1, i;

	for (i = 0; key && i < VIGILD_SOURCES; i++) {
		uint32_t at = (uid * 2654435761U + i) % VIGILD_SOURCES;

		if (!t->key[at])
			t->key[at] = key;
		if (t->key[at] == key)
			return &t->delivered[at];
	}
	return &t->others;
}

void vigild_sources_count(struct vigild_sources *t, const struct vigil_event_view *v)
{
	const struct vigil_proc *p = vigil_event_proc(v);

	if (p && !vigild_sources_own(v->type))
		(*vigild_sources_slot(t, p->uid))++;
}

uint64_t vigild_sources_delivered(const struct vigild_sources *t, uint32_t uid)
{
	uint32_t key = uid + 1, i;

	if (uid == VIGIL_SOURCE_UID_OTHERS)
		return t->others;
	for (i = 0; i < VIGILD_SOURCES; i++) {
		uint32_t at = (uid * 2654435761U + i) % VIGILD_SOURCES;

		if (t->key[at] == key)
			return t->delivered[at];
		if (!t->key[at])
			break;
	}
	return 0;
}
