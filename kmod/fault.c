// SPDX-License-Identifier: GPL-2.0
/*
 * Faults: the intake of the watchdog (watchdog.c).
 *
 * vigil_fault() may be called from any context but NMI, hooks in atomic
 * context included: it only updates the watchdog under a raw spinlock,
 * and if the state changed queues an irq_work, which queues the work
 * that logs and applies the new state (vigil_shim_apply()).  Nothing here
 * prints or sleeps in the caller's context.  The heartbeat reports a
 * healthy broker here too (vigil_fault_broker_healthy()), and a delayed
 * work re-arms a tripped shim by itself when its time comes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vigil.h>
#include <linux/workqueue.h>

#include "fault.h"
#include "params.h"
#include "shim.h"
#include "watchdog.h"

/* What the work logs: details of faults since it last ran. */
struct vigil_fault_notes {
	const char *internal_where;	/* the last internal error's function */
	u32 internal;			/* internal errors since */
	u32 slow_event;			/* the slowest hook's VIGIL_EVENT_* */
	u64 slow_ns;			/* its time */
	u32 slow;			/* slow hooks since */
};

/* Protects the three below; taken in any context, never for long. */
static DEFINE_RAW_SPINLOCK(vigil_fault_lock);
static struct vigil_watchdog vigil_wd;
static struct vigil_fault_notes vigil_notes;
/* vigil_wd.state, for readers that take no lock; written under it. */
static u32 vigil_wd_state;

static void vigil_fault_config(struct vigil_wd_config *cfg)
{
	cfg->max_faults = vigil_param_watchdog_faults();
	cfg->window_ns = (u64)vigil_param_watchdog_window_ms() * NSEC_PER_MSEC;
	cfg->backoff_ns = (u64)vigil_param_watchdog_backoff_ms() * NSEC_PER_MSEC;
	cfg->auto_rearms = vigil_param_watchdog_auto_rearms();
}

/* The lock is held: publish the state for the lockless readers. */
static void vigil_fault_publish_locked(void)
{
	/* Pairs with READ_ONCE() in vigil_watchdog_state(). */
	WRITE_ONCE(vigil_wd_state, vigil_wd.state);
}

static void vigil_fault_log_notes(void)
{
	struct vigil_fault_notes n;
	unsigned long flags;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	n = vigil_notes;
	memset(&vigil_notes, 0, sizeof(vigil_notes));
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);

	if (n.internal)
		pr_err_ratelimited("internal error in %s (%u since the last report): counted as a fault\n",
				   n.internal_where, n.internal);
	if (n.slow)
		pr_warn_ratelimited("a hook of event type %u ran %llu ms, past its budget of %u ms (%u such since the last report)\n",
				    n.slow_event, n.slow_ns / NSEC_PER_MSEC,
				    vigil_param_watchdog_hook_budget_ms(), n.slow);
}

static void vigil_fault_work_fn(struct work_struct *work)
{
	vigil_fault_log_notes();
	vigil_shim_apply();
}

static void vigil_fault_rearm_work_fn(struct work_struct *work)
{
	vigil_shim_auto_rearm();
}

static const char *const vigil_fault_names[VIGIL_FAULT_SLOTS] = {
	[VIGIL_FAULT_BROKER_GONE] = "broker_gone",
	[VIGIL_FAULT_BROKER_HUNG] = "broker_hung",
	[VIGIL_FAULT_DEADLINE_MISSED] = "deadline_missed",
	[VIGIL_FAULT_RING_OVERFLOW] = "ring_overflow",
	[VIGIL_FAULT_INTERNAL_ERROR] = "internal_error",
	[VIGIL_FAULT_SLOW_HOOK] = "slow_hook",
};

static const char *const vigil_state_names[] = {
	[VIGIL_WATCHDOG_ARMED] = "armed",
	[VIGIL_WATCHDOG_TRIPPED] = "tripped",
	[VIGIL_WATCHDOG_DEGRADED] = "degraded",
};

/* The name of watchdog state @state, as sysfs gives it. */
const char *vigil_watchdog_state_name(u32 state)
{
	if (state < ARRAY_SIZE(vigil_state_names) && vigil_state_names[state])
		return vigil_state_names[state];
	return "unknown";
}

/* The name of fault @class, as sysfs and the log give it; "none" for 0. */
const char *vigil_fault_name(u32 class)
{
	if (class < VIGIL_FAULT_SLOTS && vigil_fault_names[class])
		return vigil_fault_names[class];
	return "none";
}

static DECLARE_WORK(vigil_fault_work, vigil_fault_work_fn);
static DECLARE_DELAYED_WORK(vigil_fault_rearm_work, vigil_fault_rearm_work_fn);

/* Runs in hard interrupt context: only hand over to the work. */
static void vigil_fault_irq_work_fn(struct irq_work *work)
{
	schedule_work(&vigil_fault_work);
}

static DEFINE_IRQ_WORK(vigil_fault_irq_work, vigil_fault_irq_work_fn);

void vigil_fault_init(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	vigil_wd_init(&vigil_wd, ktime_get_ns());
	vigil_fault_publish_locked();
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
}

/* On return, no fault's work is pending or running. */
void vigil_fault_uninit(void)
{
	irq_work_sync(&vigil_fault_irq_work);
	cancel_work_sync(&vigil_fault_work);
	cancel_delayed_work_sync(&vigil_fault_rearm_work);
}

/* Count a fault of @class; the lock is held.  Return: the state changed. */
static bool vigil_fault_count_locked(u32 class)
{
	struct vigil_wd_config cfg;
	enum vigil_wd_change change;

	vigil_fault_config(&cfg);
	/* The clock is read under the lock: the faults' times stay ordered. */
	change = vigil_wd_fault(&vigil_wd, &cfg, class, ktime_get_ns());
	vigil_fault_publish_locked();
	return change != VIGIL_WD_NONE;
}

/**
 * vigil_fault() - count a fault
 * @class: VIGIL_FAULT_*
 *
 * Context: any but NMI.
 */
void vigil_fault(u32 class)
{
	unsigned long flags;
	bool changed;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	changed = vigil_fault_count_locked(class);
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
	if (changed)
		irq_work_queue(&vigil_fault_irq_work);
}

/**
 * vigil_fault_internal() - count an internal error, to be logged later
 * @where: the function it happened in
 *
 * Context: any but NMI.
 */
void vigil_fault_internal(const char *where)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	vigil_fault_count_locked(VIGIL_FAULT_INTERNAL_ERROR);
	vigil_notes.internal_where = where;
	vigil_notes.internal++;
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
	irq_work_queue(&vigil_fault_irq_work);
}

/**
 * vigil_fault_slow_hook() - count a hook that ran past its budget
 * @event: the VIGIL_EVENT_* it was producing
 * @ns: how long it ran, on the hook clock (hook_clock.h)
 *
 * Context: any but NMI.
 */
void vigil_fault_slow_hook(u32 event, u64 ns)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	vigil_fault_count_locked(VIGIL_FAULT_SLOW_HOOK);
	if (ns > vigil_notes.slow_ns) {
		vigil_notes.slow_ns = ns;
		vigil_notes.slow_event = event;
	}
	vigil_notes.slow++;
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
	irq_work_queue(&vigil_fault_irq_work);
}

/**
 * vigil_fault_broker_healthy() - the heartbeat found the broker healthy
 *
 * A degraded shim whose backoff is over recovers: the work applies it.
 *
 * Context: process context (the heartbeat's work).
 */
void vigil_fault_broker_healthy(void)
{
	unsigned long flags;
	bool recovered;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	recovered = vigil_wd_healthy(&vigil_wd, ktime_get_ns()) != VIGIL_WD_NONE;
	vigil_fault_publish_locked();
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
	if (recovered)
		schedule_work(&vigil_fault_work);
}

/* VIGIL_WATCHDOG_*, without a lock: for the AUTH path, which only looks. */
u32 vigil_watchdog_state(void)
{
	/* Pairs with WRITE_ONCE() in vigil_fault_publish_locked(). */
	return READ_ONCE(vigil_wd_state);
}

/* State changes since the module was loaded: shim.c logs each once. */
u32 vigil_watchdog_changes(void)
{
	unsigned long flags;
	u32 changes;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	changes = vigil_wd.changes;
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
	return changes;
}

/* Whether a re-arm by hand would succeed now: 0, -EALREADY or -EAGAIN. */
int vigil_watchdog_may_rearm(void)
{
	unsigned long flags;
	int err;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	err = vigil_wd_may_rearm(&vigil_wd, ktime_get_ns());
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
	return err;
}

/* Return: 0, -EALREADY if armed, -EAGAIN during the backoff. */
int vigil_watchdog_rearm(void)
{
	unsigned long flags;
	int err;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	err = vigil_wd_rearm(&vigil_wd, ktime_get_ns());
	vigil_fault_publish_locked();
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
	return err;
}

/* Whether the automatic re-arm is due now: tripped, with one left. */
bool vigil_watchdog_auto_rearm_due(void)
{
	unsigned long flags;
	bool due;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	due = vigil_wd.state == VIGIL_WATCHDOG_TRIPPED && vigil_wd.auto_rearm_ns &&
	      ktime_get_ns() >= vigil_wd.auto_rearm_ns;
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
	return due;
}

/* Re-arm by itself, if due.  Return: 0, or -EAGAIN if not due. */
int vigil_watchdog_auto_rearm(void)
{
	unsigned long flags;
	bool armed;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	armed = vigil_wd_auto_rearm(&vigil_wd, ktime_get_ns()) != VIGIL_WD_NONE;
	vigil_fault_publish_locked();
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
	return armed ? 0 : -EAGAIN;
}

/* Have the delayed work re-arm the shim when its time comes, if ever. */
void vigil_watchdog_plan_auto_rearm(void)
{
	unsigned long flags;
	u64 when, now;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	when = vigil_wd.state == VIGIL_WATCHDOG_TRIPPED ? vigil_wd.auto_rearm_ns : 0;
	now = ktime_get_ns();
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
	if (!when)
		return;
	/* Rounded up a jiffy: the work never comes before it is due. */
	mod_delayed_work(system_wq, &vigil_fault_rearm_work,
			 when > now ? nsecs_to_jiffies(when - now) + 1 : 0);
}

/* Fill the watchdog's part of @st: all but the hooks and broker fields. */
void vigil_watchdog_read(struct vigil_watchdog_status *st)
{
	struct vigil_wd_config cfg;
	unsigned long flags;
	u64 now;

	raw_spin_lock_irqsave(&vigil_fault_lock, flags);
	vigil_fault_config(&cfg);
	now = ktime_get_ns();
	st->state = vigil_wd.state;
	st->reason = vigil_wd.reason;
	st->trips = vigil_wd.trips;
	st->trip_time_ns = vigil_wd.trip_time_ns;
	/* 0 when a re-arm would not have to wait. */
	st->rearm_after_ns = vigil_wd.state == VIGIL_WATCHDOG_TRIPPED &&
			     vigil_wd.rearm_after_ns > now ? vigil_wd.rearm_after_ns : 0;
	st->window_faults = vigil_wd_window_faults(&vigil_wd, &cfg, now);
	memcpy(st->faults, vigil_wd.faults, sizeof(st->faults));
	st->degrades = vigil_wd.degrades;
	st->auto_rearms = vigil_wd.auto_rearms;
	st->degrade_time_ns = vigil_wd.degrade_time_ns;
	st->recover_after_ns = vigil_wd.state == VIGIL_WATCHDOG_DEGRADED ?
			       vigil_wd.recover_after_ns : 0;
	st->auto_rearm_ns = vigil_wd.state == VIGIL_WATCHDOG_TRIPPED ?
			    vigil_wd.auto_rearm_ns : 0;
	raw_spin_unlock_irqrestore(&vigil_fault_lock, flags);
	st->max_faults = cfg.max_faults;
	st->max_auto_rearms = cfg.auto_rearms;
	st->window_ms = vigil_param_watchdog_window_ms();
	st->heartbeat_ms = vigil_param_watchdog_heartbeat_ms();
}
