/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Combining the clients' verdicts on one AUTH event, and when to stop
 * waiting for each.  Pure logic on given times; the broker's event loop
 * acts on it.
 *
 * Every client subscribed to the event's type is asked.  Any deny wins at
 * once.  Otherwise the event is decided when every client has answered or
 * missed its deadline; a client that missed (or was cut off) counts as
 * the configured missing verdict.  A verdict is cached in the kernel only
 * if every answer that decided it asked for that: all allows cached, or
 * the deciding deny cached.  A missing answer is never cached.
 */
#ifndef VIGILD_VERDICT_H
#define VIGILD_VERDICT_H

#include <stdint.h>

/* Time left to send the verdict to the shim before its own deadline. */
#define VERDICT_MARGIN_NS	(20ULL * 1000 * 1000)

struct verdict_combo {
	uint32_t asked;		/* clients asked */
	uint32_t answered;	/* answers in time */
	uint32_t missed;	/* deadlines missed, clients cut off */
	int denied;		/* a deny came */
	uint32_t deny_flags;	/* the first deny's VIGIL_VERDICT_F_* */
	int all_cached;		/* every allow so far asked to be cached */
};

struct verdict_final {
	uint32_t verdict;	/* VIGIL_VERDICT_ALLOW or _DENY */
	uint32_t flags;		/* VIGIL_VERDICT_F_CACHE or 0 */
};

void verdict_combo_init(struct verdict_combo *c, uint32_t asked);

/* A client answered in time with @verdict and @flags (already checked). */
void verdict_combo_answer(struct verdict_combo *c, uint32_t verdict,
			  uint32_t flags);

/* A client missed its deadline, or was cut off, before answering. */
void verdict_combo_miss(struct verdict_combo *c);

/* Whether the event is decided: a deny came, or nobody is left to wait for. */
int verdict_combo_done(const struct verdict_combo *c);

/* The verdict, once done; @missing_verdict stands in for absent answers. */
struct verdict_final verdict_combo_result(const struct verdict_combo *c,
					  uint32_t missing_verdict);

/*
 * When the broker stops waiting for one client's answer to an event that
 * came at @arrived_ns with the shim's deadline @kernel_deadline_ns: the
 * client's own deadline, but never later than VERDICT_MARGIN_NS before
 * the shim's, nor earlier than @arrived_ns.
 */
uint64_t verdict_client_deadline(uint64_t arrived_ns, uint64_t kernel_deadline_ns,
				 uint32_t client_deadline_ms);

#endif /* VIGILD_VERDICT_H */
