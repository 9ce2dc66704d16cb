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

/* The entry of @uid, taken if need be; the others' if the table is full. */
static struct vigild_source *vigild_sources_slot(struct vigild_sources *t,
						 uint32_t uid)
{
	uint32_t key = uid + 1, i;

	for (i = 0; key && i < VIGILD_SOURCES; i++) {
		uint32_t at = (uid * 2654435761U + i) % VIGILD_SOURCES;

		if (!t->key[at])
			t->key[at] = key;
		if (t->key[at] == key)
			return &t->src[at];
	}
	return &t->others;
}

/* The entry of @uid if it has one, else NULL. */
static const struct vigild_source *vigild_sources_find(const struct vigild_sources *t,
						       uint32_t uid)
{
	uint32_t key = uid + 1, i;

	if (uid == VIGIL_SOURCE_UID_OTHERS)
		return &t->others;
	for (i = 0; i < VIGILD_SOURCES; i++) {
		uint32_t at = (uid * 2654435761U + i) % VIGILD_SOURCES;

		if (t->key[at] == key)
			return &t->src[at];
		if (!t->key[at])
			break;
	}
	return NULL;
}

void vigild_sources_count(struct vigild_sources *t, const struct vigil_event_view *v)
{
	const struct vigil_proc *p = vigil_event_proc(v);
	struct vigild_source *src;

	if (v->known && v->type == VIGIL_EVENT_SOURCE) {
		src = v->fixed.source.uid == VIGIL_SOURCE_UID_OTHERS ? &t->others :
		      vigild_sources_slot(t, v->fixed.source.uid);
		src->report = v->fixed.source;
		src->reported = 1;
		return;
	}
	if (!p)
		return;
	src = vigild_sources_slot(t, p->uid);
	if (v->type == VIGIL_EVENT_AUTH_FALLBACK)
		src->fallbacks++;
	else if (!vigild_sources_own(v->type))
		src->delivered++;
}

uint64_t vigild_sources_delivered(const struct vigild_sources *t, uint32_t uid)
{
	const struct vigild_source *src = vigild_sources_find(t, uid);

	return src ? src->delivered : 0;
}

int vigild_source_lost(const struct vigil_event_view *v)
{
	unsigned int i;

	for (i = 0; v->known && i < VIGIL_DROP_SLOTS; i++)
		if (v->fixed.source.dropped[i])
			return 1;
	return 0;
}

static void vigild_source_print(FILE *out, const struct vigild_source *src)
{
	const struct vigil_source_event *r = &src->report;
	uint64_t dropped = 0;
	unsigned int i;

	for (i = 0; i < VIGIL_DROP_SLOTS; i++)
		dropped += r->dropped[i];
	if (r->uid == VIGIL_SOURCE_UID_OTHERS)
		fputs("vigild: source others", out);
	else
		fprintf(out, "vigild: source uid=%u", r->uid);
	fprintf(out, ": %llu produced, %llu delivered, %llu dropped (ring_full=%llu "
		"source_budget=%llu), %llu AUTH decisions not the broker's\n",
		(unsigned long long)r->produced, (unsigned long long)src->delivered,
		(unsigned long long)dropped,
		(unsigned long long)r->dropped[VIGIL_DROP_RING_FULL],
		(unsigned long long)r->dropped[VIGIL_DROP_SOURCE_BUDGET],
		(unsigned long long)src->fallbacks);
}

void vigild_sources_print(FILE *out, const struct vigild_sources *t)
{
	unsigned int i;

	for (i = 0; i < VIGILD_SOURCES; i++)
		if (t->src[i].reported)
			vigild_source_print(out, &t->src[i]);
	if (t->others.reported)
		vigild_source_print(out, &t->others);
}
