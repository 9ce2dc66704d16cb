/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vigild's output: one line per event, JSON (the default, documented in
 * Documentation/vigild.rst) or text for people.
 */
#ifndef VIGILD_FORMAT_H
#define VIGILD_FORMAT_H

#include <stdint.h>
#include <stdio.h>
#include <linux/vigil.h>

#include "event.h"

enum vigild_format { VIGILD_FORMAT_JSON, VIGILD_FORMAT_TEXT };

/* @verdict: for an AUTH event, the verdict vigild gave, or NULL. */
void vigild_print_event(FILE *out, enum vigild_format fmt,
			const struct vigil_event_view *view,
			const char *verdict);

/* The AUTH counters of one event type, as an "auth_stats" line. */
void vigild_print_auth_stats(FILE *out, enum vigild_format fmt,
			     const struct vigil_auth_stats *st);

/* The ring's counters, as a "drops" line. */
void vigild_print_drops(FILE *out, enum vigild_format fmt,
			uint64_t delivered,
			const struct vigil_ring_producer *counters);

/* Inside vigild's output, shared with format_catalogue.c. */
void vigild_json_proc(FILE *out, const struct vigil_proc *p);
void vigild_json_string_field(FILE *out, const char *name,
			      const struct vigil_field_view *f);
void vigild_text_str(FILE *out, const char *s, size_t len);

/* The catalogue's records (ABI 1.3): their keys, and their text lines. */
void vigild_json_catalogue(FILE *out, const struct vigil_event_view *v);
void vigild_print_source(FILE *out, enum vigild_format fmt,
			 const struct vigil_event_view *v, uint64_t delivered);
void vigild_json_auth_fallback(FILE *out, const struct vigil_event_view *v);
void vigild_text_auth_fallback(FILE *out, const struct vigil_event_view *v);
void vigild_text_catalogue(FILE *out, const struct vigil_event_view *v);

#endif /* VIGILD_FORMAT_H */
