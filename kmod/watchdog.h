/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The watchdog's state machine: armed, degraded, tripped.  Faults are
 * graded by who caused them: the broker's (gone, hung, deadlines missed)
 * degrade the shim, which stops asking permission events and recovers by
 * itself once the broker is healthy; the shim's own (internal errors,
 * slow hooks) trip it, every hook detached, and it re-arms by itself a
 * few times, then waits for an administrator.  Each grade counts its
 * faults in a sliding window of its own.  Pure logic on a caller-given
 * clock, so that KUnit can drive it with a fake one; fault.c holds the
 * shim's one instance, shim.c applies its states.
 */
#ifndef _VIGIL_WATCHDOG_H
#define _VIGIL_WATCHDOG_H

#include <linux/time64.h>
#include <linux/types.h>
#include <linux/vigil.h>

/* Largest number of faults in a window that may be asked to trip it. */
#define VIGIL_WD_MAX_FAULTS	64

/* Longest wait a backoff imposes. */
#define VIGIL_WD_BACKOFF_MAX_NS	(3600ULL * NSEC_PER_SEC)

struct vigil_wd_config {
	u32 max_faults;		/* faults of one grade within the window */
	u64 window_ns;		/* the window */
	u64 backoff_ns;		/* the base of every backoff */
	u32 auto_rearms;	/* automatic re-arms after trips, per load */
};

/* Who caused a fault, and so what it may lead to. */
enum vigil_wd_grade {
	VIGIL_WD_GRADE_NONE,	/* counted, never acted on (retired classes) */
	VIGIL_WD_GRADE_BROKER,	/* degrades the shim */
	VIGIL_WD_GRADE_SHIM,	/* trips it */
	VIGIL_WD_GRADES
};

/* What a call changed; fault.c hands anything but NONE to shim.c. */
enum vigil_wd_change {
	VIGIL_WD_NONE,
	VIGIL_WD_DEGRADED,
	VIGIL_WD_TRIPPED,
	VIGIL_WD_ARMED,
};

/* The times of the latest faults of one grade. */
struct vigil_wd_window {
	u64 recent[VIGIL_WD_MAX_FAULTS];
	u32 next;		/* where the next fault's time goes */
	u32 count;		/* times held */
};

struct vigil_watchdog {
	u32 state;		/* VIGIL_WATCHDOG_* */
	u32 reason;		/* VIGIL_FAULT_* of the last degrade or trip */
	u32 trips;		/* since init */
	u32 degrades;		/* since init */
	u32 auto_rearms;	/* automatic re-arms since init */
	u32 trip_streak;	/* trips in a row, each soon after a re-arm */
	u32 degrade_streak;	/* degrades in a row, each soon after recovery */
	u32 changes;		/* state changes since init */
	u64 changed_ns;		/* time of the last state change, or init */
	u64 trip_time_ns;	/* of the last trip, or 0 */
	u64 degrade_time_ns;	/* of the last degrade, or 0 */
	u64 rearm_after_ns;	/* tripped: no re-arm by hand before */
	u64 auto_rearm_ns;	/* tripped: the automatic re-arm; 0 if none */
	u64 recover_after_ns;	/* degraded: no recovery before */
	u64 faults[VIGIL_FAULT_SLOTS];	/* per class, since init */
	struct vigil_wd_window window[VIGIL_WD_GRADES];
	struct vigil_wd_config counted;	/* what the windows were counted under */
};

void vigil_wd_init(struct vigil_watchdog *wd, u64 now_ns);
enum vigil_wd_grade vigil_wd_grade(u32 class);
enum vigil_wd_change vigil_wd_fault(struct vigil_watchdog *wd,
				    const struct vigil_wd_config *cfg,
				    u32 class, u64 now_ns);
void vigil_wd_trip(struct vigil_watchdog *wd, const struct vigil_wd_config *cfg,
		   u32 reason, u64 now_ns);
void vigil_wd_degrade(struct vigil_watchdog *wd,
		      const struct vigil_wd_config *cfg, u32 reason, u64 now_ns);
enum vigil_wd_change vigil_wd_healthy(struct vigil_watchdog *wd, u64 now_ns);
enum vigil_wd_change vigil_wd_auto_rearm(struct vigil_watchdog *wd, u64 now_ns);
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
