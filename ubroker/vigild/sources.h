/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vigild delivered per source (a real uid), to set beside the shim's
 * VIGIL_EVENT_SOURCE reports: delivered + dropped == produced, per source.
 * Pure logic, unit-tested.
 */
#ifndef VIGILD_SOURCES_H
#define VIGILD_SOURCES_H

#include <stdint.h>

#include "event.h"

/* Uids kept apart; the rest are counted together, as the shim does. */
#define VIGILD_SOURCES	256

struct vigild_sources {
	uint32_t key[VIGILD_SOURCES];		/* uid + 1; 0: free */
	uint64_t delivered[VIGILD_SOURCES];
	uint64_t others;			/* uids past the table */
};

/* Count a record delivered, if it is about a source's process. */
void vigild_sources_count(struct vigild_sources *t, const struct vigil_event_view *v);

/* Records delivered about @uid's processes (VIGIL_SOURCE_UID_OTHERS: the rest). */
uint64_t vigild_sources_delivered(const struct vigild_sources *t, uint32_t uid);

#endif /* VIGILD_SOURCES_H */
