// SPDX-License-Identifier: GPL-2.0
/*
 * The watchdog's state machine.
 *
 * Armed, it keeps the times of the latest faults; a fault that makes
 * max_faults of them fall within the window trips it.  Tripped, it counts
 * faults but does not look at their times, and it refuses to be re-armed
 * before rearm_after_ns.  A trip that comes less than a window after the
 * re-arm before it extends the streak of trips; from the second trip of a
 * streak on, re-arming waits backoff_ns, doubled with each further trip,
 * up to VIGIL_WD_BACKOFF_MAX_NS.  Re-arming forgets the faults' times.
 *
 * The caller serializes every call and supplies the clock.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "watchdog.h"

void vigil_wd_init(struct vigil_watchdog *wd, u64 now_ns)
{
	memset(wd, 0, sizeof(*wd));
	wd->state = VIGIL_WATCHDOG_ARMED;
	wd->armed_time_ns = now_ns;
}

/* The wait before re-arming after trip number @streak of a streak. */
u64 vigil_wd_backoff(const struct vigil_wd_config *cfg, u32 streak)
{
	u64 wait = cfg->backoff_ns;

	if (streak < 2 || !wait)
		return 0;
	for (; streak > 2 && wait < VIGIL_WD_BACKOFF_MAX_NS; streak--)
		wait *= 2;
	return min_t(u64, wait, VIGIL_WD_BACKOFF_MAX_NS);
}

/* The time of the @n-th latest fault (n >= 1), which must be held. */
static u64 vigil_wd_recent(const struct vigil_watchdog *wd, u32 n)
{
	return wd->recent[(wd->recent_next + VIGIL_WD_MAX_FAULTS - n) %
			  VIGIL_WD_MAX_FAULTS];
}

/* Faults within the window ending at @now_ns (armed: else 0). */
u32 vigil_wd_window_faults(const struct vigil_watchdog *wd,
			   const struct vigil_wd_config *cfg, u64 now_ns)
{
	u32 n;

	if (!vigil_wd_armed(wd))
		return 0;
	for (n = 0; n < wd->recent_count; n++)
		if (now_ns - vigil_wd_recent(wd, n + 1) > cfg->window_ns)
			break;
	return n;
}

/* Trip now, for @reason, whatever the faults counted. */
void vigil_wd_trip(struct vigil_watchdog *wd, const struct vigil_wd_config *cfg,
		   u32 reason, u64 now_ns)
{
	if (wd->trips && now_ns - wd->armed_time_ns < cfg->window_ns)
		wd->streak++;
	else
		wd->streak = 1;
	wd->state = VIGIL_WATCHDOG_TRIPPED;
	wd->reason = reason;
	wd->trips++;
	wd->trip_time_ns = now_ns;
	wd->rearm_after_ns = now_ns + vigil_wd_backoff(cfg, wd->streak);
}

/**
 * vigil_wd_fault() - count a fault
 * @wd: the watchdog
 * @cfg: its configuration now
 * @class: VIGIL_FAULT_*
 * @now_ns: the time
 *
 * Return: true if this fault tripped the watchdog.
 */
bool vigil_wd_fault(struct vigil_watchdog *wd, const struct vigil_wd_config *cfg,
		    u32 class, u64 now_ns)
{
	u32 n = clamp_t(u32, cfg->max_faults, 1, VIGIL_WD_MAX_FAULTS);

	if (class >= VIGIL_FAULT_SLOTS)
		class = VIGIL_FAULT_INTERNAL_ERROR;
	wd->faults[class]++;
	if (!vigil_wd_armed(wd))
		return false;
	wd->recent[wd->recent_next] = now_ns;
	wd->recent_next = (wd->recent_next + 1) % VIGIL_WD_MAX_FAULTS;
	if (wd->recent_count < VIGIL_WD_MAX_FAULTS)
		wd->recent_count++;
	if (wd->recent_count < n || now_ns - vigil_wd_recent(wd, n) > cfg->window_ns)
		return false;
	vigil_wd_trip(wd, cfg, class, now_ns);
	return true;
}

/* Return: 0 if vigil_wd_rearm() would succeed now, or its error. */
int vigil_wd_may_rearm(const struct vigil_watchdog *wd, u64 now_ns)
{
	if (vigil_wd_armed(wd))
		return -EALREADY;
	if (now_ns < wd->rearm_after_ns)
		return -EAGAIN;
	return 0;
}

/**
 * vigil_wd_rearm() - arm a tripped watchdog again
 * @wd: the watchdog
 * @now_ns: the time
 *
 * Return: 0; -EALREADY if armed; -EAGAIN before wd->rearm_after_ns.
 */
int vigil_wd_rearm(struct vigil_watchdog *wd, u64 now_ns)
{
	int err = vigil_wd_may_rearm(wd, now_ns);

	if (err)
		return err;
	wd->state = VIGIL_WATCHDOG_ARMED;
	wd->armed_time_ns = now_ns;
	wd->rearm_after_ns = 0;
	wd->recent_next = 0;
	wd->recent_count = 0;
	return 0;
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "watchdog_test.c"
#endif
