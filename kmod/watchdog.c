// SPDX-License-Identifier: GPL-2.0
/*
 * The watchdog's state machine.
 *
 *            broker faults                      shim faults
 *   ARMED ------------------> DEGRADED ------------------------+
 *     ^  <------------------     |                             |
 *     |   the broker healthy,    | shim faults                 v
 *     |   after the backoff      +--------------------->   TRIPPED
 *     |                                                        |
 *     +--------------------------------------------------------+
 *        re-armed: by itself after its backoff (watchdog_auto_rearms
 *        times per load), or by an administrator
 *
 * Each grade of fault (vigil_wd_grade()) has its window: max_faults of
 * one grade within window_ns act.  Broker faults degrade an armed shim;
 * a degraded one counts them and waits for the broker to be healthy.
 * Shim faults trip an armed or degraded one.  Every state change, and
 * every change of the configuration, starts the counting afresh: faults
 * counted under one state or one threshold say nothing about the next.
 *
 * Backoffs, each doubling up to VIGIL_WD_BACKOFF_MAX_NS:
 *   - recovering from a degrade that came less than a window after the
 *     state last changed waits backoff_ns, then 2x, 4x... (the first
 *     degrade of a streak waits for nothing but a healthy broker);
 *   - re-arming by hand after a trip in such a streak likewise;
 *   - the n-th automatic re-arm waits backoff_ns << (n - 1).
 *
 * The caller serializes every call and supplies the clock.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "watchdog.h"

/* Who causes each fault class.  Classes not listed are never acted on. */
static const u8 vigil_wd_grades[VIGIL_FAULT_SLOTS] = {
	[VIGIL_FAULT_BROKER_GONE] = VIGIL_WD_GRADE_BROKER,
	[VIGIL_FAULT_BROKER_HUNG] = VIGIL_WD_GRADE_BROKER,
	[VIGIL_FAULT_DEADLINE_MISSED] = VIGIL_WD_GRADE_BROKER,
	[VIGIL_FAULT_INTERNAL_ERROR] = VIGIL_WD_GRADE_SHIM,
	[VIGIL_FAULT_SLOW_HOOK] = VIGIL_WD_GRADE_SHIM,
};

enum vigil_wd_grade vigil_wd_grade(u32 class)
{
	return class < VIGIL_FAULT_SLOTS ? vigil_wd_grades[class] :
					   VIGIL_WD_GRADE_NONE;
}

static void vigil_wd_forget(struct vigil_watchdog *wd)
{
	memset(wd->window, 0, sizeof(wd->window));
}

/* Every state change: counting starts afresh. */
static void vigil_wd_enter(struct vigil_watchdog *wd, u32 state, u64 now_ns)
{
	wd->state = state;
	wd->changes++;
	wd->changed_ns = now_ns;
	vigil_wd_forget(wd);
}

static void vigil_wd_arm(struct vigil_watchdog *wd, u64 now_ns)
{
	vigil_wd_enter(wd, VIGIL_WATCHDOG_ARMED, now_ns);
	wd->rearm_after_ns = 0;
	wd->auto_rearm_ns = 0;
	wd->recover_after_ns = 0;
}

void vigil_wd_init(struct vigil_watchdog *wd, u64 now_ns)
{
	memset(wd, 0, sizeof(*wd));
	vigil_wd_arm(wd, now_ns);
	wd->changes = 0;
}

/* The wait after event number @streak of a streak: none for the first. */
u64 vigil_wd_backoff(const struct vigil_wd_config *cfg, u32 streak)
{
	u64 wait = cfg->backoff_ns;

	if (streak < 2 || !wait)
		return 0;
	for (; streak > 2 && wait < VIGIL_WD_BACKOFF_MAX_NS; streak--)
		wait *= 2;
	return min_t(u64, wait, VIGIL_WD_BACKOFF_MAX_NS);
}

/* A degrade or trip soon after the last arming extends its streak. */
static u32 vigil_wd_streak(const struct vigil_watchdog *wd,
			   const struct vigil_wd_config *cfg, u32 streak,
			   u32 count, u64 now_ns)
{
	if (count && now_ns - wd->changed_ns < cfg->window_ns)
		return streak + 1;
	return 1;
}

/* The time of the @n-th latest fault (n >= 1) of @w, which must be held. */
static u64 vigil_wd_recent(const struct vigil_wd_window *w, u32 n)
{
	return w->recent[(w->next + VIGIL_WD_MAX_FAULTS - n) % VIGIL_WD_MAX_FAULTS];
}

/* Faults of @w within the window ending at @now_ns. */
static u32 vigil_wd_window_count(const struct vigil_wd_window *w, u64 window_ns,
				 u64 now_ns)
{
	u32 n;

	for (n = 0; n < w->count; n++)
		if (now_ns - vigil_wd_recent(w, n + 1) > window_ns)
			break;
	return n;
}

/* Note a fault in @w.  Return: true if @max of them now fall in the window. */
static bool vigil_wd_window_add(struct vigil_wd_window *w, u32 max,
				u64 window_ns, u64 now_ns)
{
	w->recent[w->next] = now_ns;
	w->next = (w->next + 1) % VIGIL_WD_MAX_FAULTS;
	if (w->count < VIGIL_WD_MAX_FAULTS)
		w->count++;
	return w->count >= max && now_ns - vigil_wd_recent(w, max) <= window_ns;
}

/*
 * Faults within the window ending at @now_ns, of the grade nearest to
 * acting: the larger count of those that can still act in this state.
 */
u32 vigil_wd_window_faults(const struct vigil_watchdog *wd,
			   const struct vigil_wd_config *cfg, u64 now_ns)
{
	u32 shim, broker;

	if (wd->state == VIGIL_WATCHDOG_TRIPPED ||
	    cfg->max_faults != wd->counted.max_faults ||
	    cfg->window_ns != wd->counted.window_ns)
		return 0;
	shim = vigil_wd_window_count(&wd->window[VIGIL_WD_GRADE_SHIM],
				     cfg->window_ns, now_ns);
	if (wd->state != VIGIL_WATCHDOG_ARMED)
		return shim;
	broker = vigil_wd_window_count(&wd->window[VIGIL_WD_GRADE_BROKER],
				       cfg->window_ns, now_ns);
	return max(shim, broker);
}

/* When the next automatic re-arm comes, if one is left: else 0. */
static u64 vigil_wd_auto_rearm_time(const struct vigil_watchdog *wd,
				    const struct vigil_wd_config *cfg, u64 now_ns)
{
	u64 wait = cfg->backoff_ns;
	u32 i;

	if (wd->auto_rearms >= cfg->auto_rearms)
		return 0;
	for (i = 0; i < wd->auto_rearms && wait < VIGIL_WD_BACKOFF_MAX_NS; i++)
		wait *= 2;
	wait = min_t(u64, wait, VIGIL_WD_BACKOFF_MAX_NS);
	/* Never sooner than a re-arm by hand may come; never 0, "none". */
	return max3(now_ns + wait, wd->rearm_after_ns, 1ULL);
}

/* Trip now, for @reason: a shim fault. */
void vigil_wd_trip(struct vigil_watchdog *wd, const struct vigil_wd_config *cfg,
		   u32 reason, u64 now_ns)
{
	wd->trip_streak = vigil_wd_streak(wd, cfg, wd->trip_streak, wd->trips,
					  now_ns);
	vigil_wd_enter(wd, VIGIL_WATCHDOG_TRIPPED, now_ns);
	wd->reason = reason;
	wd->trips++;
	wd->trip_time_ns = now_ns;
	wd->recover_after_ns = 0;
	wd->rearm_after_ns = now_ns + vigil_wd_backoff(cfg, wd->trip_streak);
	wd->auto_rearm_ns = vigil_wd_auto_rearm_time(wd, cfg, now_ns);
}

/* Degrade now, for @reason: a broker fault. */
void vigil_wd_degrade(struct vigil_watchdog *wd,
		      const struct vigil_wd_config *cfg, u32 reason, u64 now_ns)
{
	wd->degrade_streak = vigil_wd_streak(wd, cfg, wd->degrade_streak,
					     wd->degrades, now_ns);
	vigil_wd_enter(wd, VIGIL_WATCHDOG_DEGRADED, now_ns);
	wd->reason = reason;
	wd->degrades++;
	wd->degrade_time_ns = now_ns;
	wd->recover_after_ns = now_ns + vigil_wd_backoff(cfg, wd->degrade_streak);
}

/**
 * vigil_wd_fault() - count a fault
 * @wd: the watchdog
 * @cfg: its configuration now
 * @class: VIGIL_FAULT_*; one out of range counts as an internal error
 * @now_ns: the time
 *
 * Return: VIGIL_WD_DEGRADED or VIGIL_WD_TRIPPED if this fault changed the
 * state so, else VIGIL_WD_NONE.
 */
enum vigil_wd_change vigil_wd_fault(struct vigil_watchdog *wd,
				    const struct vigil_wd_config *cfg,
				    u32 class, u64 now_ns)
{
	u32 max = clamp_t(u32, cfg->max_faults, 1, VIGIL_WD_MAX_FAULTS);
	enum vigil_wd_grade grade;

	if (class >= VIGIL_FAULT_SLOTS)
		class = VIGIL_FAULT_INTERNAL_ERROR;
	wd->faults[class]++;
	if (cfg->max_faults != wd->counted.max_faults ||
	    cfg->window_ns != wd->counted.window_ns) {
		vigil_wd_forget(wd);
		wd->counted = *cfg;
	}
	grade = vigil_wd_grade(class);
	if (grade == VIGIL_WD_GRADE_NONE || wd->state == VIGIL_WATCHDOG_TRIPPED ||
	    (grade == VIGIL_WD_GRADE_BROKER && wd->state != VIGIL_WATCHDOG_ARMED))
		return VIGIL_WD_NONE;
	if (!vigil_wd_window_add(&wd->window[grade], max, cfg->window_ns, now_ns))
		return VIGIL_WD_NONE;
	if (grade == VIGIL_WD_GRADE_SHIM) {
		vigil_wd_trip(wd, cfg, class, now_ns);
		return VIGIL_WD_TRIPPED;
	}
	vigil_wd_degrade(wd, cfg, class, now_ns);
	return VIGIL_WD_DEGRADED;
}

/**
 * vigil_wd_healthy() - the broker was seen healthy: recover if degraded
 * @wd: the watchdog
 * @now_ns: the time
 *
 * Return: VIGIL_WD_ARMED if it recovered, else VIGIL_WD_NONE (not
 * degraded, or the backoff lasts).
 */
enum vigil_wd_change vigil_wd_healthy(struct vigil_watchdog *wd, u64 now_ns)
{
	if (wd->state != VIGIL_WATCHDOG_DEGRADED || now_ns < wd->recover_after_ns)
		return VIGIL_WD_NONE;
	vigil_wd_arm(wd, now_ns);
	return VIGIL_WD_ARMED;
}

/*
 * Re-arm a tripped watchdog by itself, if its automatic re-arm is due.
 * Return: VIGIL_WD_ARMED if it did, else VIGIL_WD_NONE.
 */
enum vigil_wd_change vigil_wd_auto_rearm(struct vigil_watchdog *wd, u64 now_ns)
{
	if (wd->state != VIGIL_WATCHDOG_TRIPPED || !wd->auto_rearm_ns ||
	    now_ns < wd->auto_rearm_ns)
		return VIGIL_WD_NONE;
	wd->auto_rearms++;
	vigil_wd_arm(wd, now_ns);
	return VIGIL_WD_ARMED;
}

/* Return: 0 if vigil_wd_rearm() would succeed now, or its error. */
int vigil_wd_may_rearm(const struct vigil_watchdog *wd, u64 now_ns)
{
	if (vigil_wd_armed(wd))
		return -EALREADY;
	if (wd->state == VIGIL_WATCHDOG_TRIPPED && now_ns < wd->rearm_after_ns)
		return -EAGAIN;
	return 0;
}

/**
 * vigil_wd_rearm() - arm the watchdog by hand: an administrator's word
 * @wd: the watchdog
 * @now_ns: the time
 *
 * A degraded watchdog is armed at once; a tripped one once its backoff
 * is over.
 *
 * Return: 0; -EALREADY if armed; -EAGAIN before wd->rearm_after_ns.
 */
int vigil_wd_rearm(struct vigil_watchdog *wd, u64 now_ns)
{
	int err = vigil_wd_may_rearm(wd, now_ns);

	if (err)
		return err;
	vigil_wd_arm(wd, now_ns);
	return 0;
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "watchdog_test.c"
#endif
