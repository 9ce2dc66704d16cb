/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vigild delivered per source (a real uid), to set beside the shim's
 * VIGIL_EVENT_SOURCE reports: delivered + dropped == produced, per source.
 * Pure logic, unit-tested.
 */
#ifndef VIGILD_SOURCES_H
#define VIGILD_SOURCES_H

#include <stdint.h>
#include <stdio.h>

#include "event.h"

/* Uids kept apart; the rest are counted together, as the shim does. */
#define VIGILD_SOURCES	256

/* What vigild knows of one source. */
struct vigild_source {
	uint64_t delivered;		/* records about its processes */
	uint64_t fallbacks;		/* AUTH decisions of its not the broker's */
	int reported;			/* the shim's report below is set */
	struct vigil_source_event report;	/* the shim's last */
};

struct vigild_sources {
	uint32_t key[VIGILD_SOURCES];		/* uid + 1; 0: free */
	struct vigild_source src[VIGILD_SOURCES];
	struct vigild_source others;		/* uids past the table */
};

/*
 * Count a record delivered, if it is about a source's process; note the
 * shim's reports (VIGIL_EVENT_SOURCE) and its AUTH fallbacks.
 */
void vigild_sources_count(struct vigild_sources *t, const struct vigil_event_view *v);

/*
 * One line per source the shim reported: what it produced, what vigild
 * delivered, what was dropped and why, and the AUTH decisions of its that
 * were not the broker's.
 */
void vigild_sources_print(FILE *out, const struct vigild_sources *t);

/* Whether a VIGIL_EVENT_SOURCE record says its source lost any record. */
int vigild_source_lost(const struct vigil_event_view *v);

/* Records delivered about @uid's processes (VIGIL_SOURCE_UID_OTHERS: the rest). */
uint64_t vigild_sources_delivered(const struct vigild_sources *t, uint32_t uid);

#endif /* VIGILD_SOURCES_H */
