// SPDX-License-Identifier: GPL-2.0
/* Event and drop rates: see rate.h. */
#include <string.h>

#include "rate.h"

static const struct rate_sample *sample_at(const struct rate *r, unsigned int age)
{
	return &r->s[(r->next + RATE_SAMPLES - 1 - age) % RATE_SAMPLES];
}

void rate_sample(struct rate *r, uint64_t now_ns, uint64_t events, uint64_t drops)
{
	if (r->n && now_ns - sample_at(r, 0)->when_ns < RATE_PERIOD_NS)
		return;
	r->s[r->next] = (struct rate_sample){ now_ns, events, drops };
	r->next = (r->next + 1) % RATE_SAMPLES;
	if (r->n < RATE_SAMPLES)
		r->n++;
}

void rate_window(const struct rate *r, uint64_t now_ns, uint64_t events,
		 uint64_t drops, uint64_t *span_ns, uint64_t *d_events,
		 uint64_t *d_drops)
{
	const struct rate_sample *from = NULL;
	unsigned int age;

	*span_ns = *d_events = *d_drops = 0;
	if (!r->n)
		return;
	from = sample_at(r, 0);
	for (age = 1; age < r->n; age++) {
		const struct rate_sample *s = sample_at(r, age);

		if (now_ns - s->when_ns > RATE_WINDOW_NS)
			break;
		from = s;
	}
	if (now_ns <= from->when_ns)
		return;
	*span_ns = now_ns - from->when_ns;
	*d_events = events - from->events;
	*d_drops = drops - from->drops;
}
