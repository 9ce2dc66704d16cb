// SPDX-License-Identifier: GPL-2.0
/* Combining the clients' verdicts on one AUTH event. */
#include <string.h>
#include <linux/vigil.h>

#include "verdict.h"

void verdict_combo_init(struct verdict_combo *c, uint32_t asked)
{
	memset(c, 0, sizeof(*c));
	c->asked = asked;
	c->all_cached = 1;
}

void verdict_combo_answer(struct verdict_combo *c, uint32_t verdict,
			  uint32_t flags)
{
	c->answered++;
	if (verdict == VIGIL_VERDICT_DENY) {
		/* The first deny decides; later answers change nothing. */
		if (!c->denied) {
			c->denied = 1;
			c->deny_flags = flags & VIGIL_VERDICT_F_CACHE;
		}
		return;
	}
	if (!(flags & VIGIL_VERDICT_F_CACHE))
		c->all_cached = 0;
}

void verdict_combo_miss(struct verdict_combo *c)
{
	c->missed++;
}

int verdict_combo_done(const struct verdict_combo *c)
{
	return c->denied || c->answered + c->missed >= c->asked;
}

struct verdict_final verdict_combo_result(const struct verdict_combo *c,
					  uint32_t missing_verdict)
{
	struct verdict_final f = { .verdict = VIGIL_VERDICT_ALLOW };

	if (c->denied) {
		f.verdict = VIGIL_VERDICT_DENY;
		f.flags = c->deny_flags;
	} else if (c->missed || c->answered < c->asked || !c->asked) {
		/* Someone did not answer: policy, and never remembered. */
		f.verdict = missing_verdict;
	} else if (c->all_cached) {
		f.flags = VIGIL_VERDICT_F_CACHE;
	}
	return f;
}

uint64_t verdict_client_deadline(uint64_t arrived_ns, uint64_t kernel_deadline_ns,
				 uint32_t client_deadline_ms)
{
	uint64_t own = arrived_ns + (uint64_t)client_deadline_ms * 1000000ULL;
	uint64_t latest = kernel_deadline_ns > VERDICT_MARGIN_NS ?
			  kernel_deadline_ns - VERDICT_MARGIN_NS : 0;

	if (latest < arrived_ns)
		return arrived_ns;
	return own < latest ? own : latest;
}
