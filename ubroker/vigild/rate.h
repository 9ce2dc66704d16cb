/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event and drop rates for vigilctl status: samples of two counters, at
 * most one a second, and the window over the last RATE_WINDOW_NS from
 * which a rate is taken.  Pure logic on given times, unit-tested.
 */
#ifndef VIGILD_RATE_H
#define VIGILD_RATE_H

#include <stdint.h>

#define RATE_SAMPLES		16
#define RATE_PERIOD_NS		1000000000ULL	/* between samples, at least */
#define RATE_WINDOW_NS		10000000000ULL	/* what a rate covers */

struct rate_sample {
	uint64_t when_ns;
	uint64_t events;
	uint64_t drops;
};

struct rate {
	struct rate_sample s[RATE_SAMPLES];
	unsigned int next;	/* the slot to write next */
	unsigned int n;		/* samples kept */
};

/* Note the counters at @now_ns, if the last sample is a period old. */
void rate_sample(struct rate *r, uint64_t now_ns, uint64_t events, uint64_t drops);

/*
 * The window ending at @now_ns, where the counters are @events and
 * @drops: from the oldest sample within RATE_WINDOW_NS, or failing that
 * the newest one.  Sets the span and the counts within it; all 0 if
 * there is no sample yet.
 */
void rate_window(const struct rate *r, uint64_t now_ns, uint64_t events,
		 uint64_t drops, uint64_t *span_ns, uint64_t *d_events,
		 uint64_t *d_drops);

#endif /* VIGILD_RATE_H */
