/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The watchdog's state machine: faults counted in a sliding window, the
 * trip when too many fall in it, re-arming with a backoff after repeated
 * trips.  Pure logic on a caller-given clock, so that KUnit can drive it
 * with a fake one; fault.c holds the shim's one instance and acts on it.
 */
#ifndef _VIGIL_WATCHDOG_H
#define _VIGIL_WATCHDOG_H

#include <linux/time64.h>
#include <linux/types.h>
#include <linux/vigil.h>

/* Largest number of faults in a window that may be asked to trip it. */
#define VIGIL_WD_MAX_FAULTS	64

/* Longest wait the backoff imposes before a re-arm. */
#define VIGIL_WD_BACKOFF_MAX_NS	(3600ULL * NSEC_PER_SEC)

struct vigil_wd_config {
	u32 max_faults;		/* faults within the window that trip */
	u64 window_ns;		/* the window */
	u64 backoff_ns;		/* wait after the second trip in a row */
};

struct vigil_watchdog {
	u32 state;		/* VIGIL_WATCHDOG_ARMED or _TRIPPED */
	u32 reason;		/* VIGIL_FAULT_* of the last trip, or 0 */
	u32 trips;		/* since init */
	u32 streak;		/* trips in a row, each soon after a re-arm */
	u64 trip_time_ns;	/* of the last trip, or 0 */
	u64 armed_time_ns;	/* of the last init or re-arm */
	u64 rearm_after_ns;	/* while tripped: no re-arm before */
	u64 faults[VIGIL_FAULT_SLOTS];	/* per class, since init */
	u64 recent[VIGIL_WD_MAX_FAULTS];	/* times of the latest faults */
	u32 recent_next;	/* where the next fault's time goes */
	u32 recent_count;	/* times held in recent[] */
};

void vigil_wd_init(struct vigil_watchdog *wd, u64 now_ns);
bool vigil_wd_fault(struct vigil_watchdog *wd, const struct vigil_wd_config *cfg,
		    u32 class, u64 now_ns);
void vigil_wd_trip(struct vigil_watchdog *wd, const struct vigil_wd_config *cfg,
		   u32 reason, u64 now_ns);
int vigil_wd_may_rearm(const struct vigil_watchdog *wd, u64 now_ns);
int vigil_wd_rearm(struct vigil_watchdog *wd, u64 now_ns);
u32 vigil_wd_window_faults(const struct vigil_watchdog *wd,
			   const struct vigil_wd_config *cfg, u64 now_ns);
u64 vigil_wd_backoff(const struct vigil_wd_config *cfg, u32 streak);

static inline bool vigil_wd_armed(const struct vigil_watchdog *wd)
{
	return wd->state == VIGIL_WATCHDOG_ARMED;
}

#endif /* _VIGIL_WATCHDOG_H */
