/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook clock: the clock a hook's budget (watchdog_hook_budget_ms) is
 * measured on.  It counts the hook's own work, not time its CPU was taken
 * away.
 *
 * It reads the time the scheduler's tick has accounted to this CPU as
 * system time: the kernel, in process context, where hooks build their
 * records (emit.c refuses any other context).  Each tick adds one tick's
 * worth to the bucket of the context it interrupted, less the steal a
 * hypervisor reports (account_process_tick()).  A hook runs with
 * preemption off, so the system time between two reads is its own work:
 *
 *   - a vCPU that the host deschedules takes no tick while it is off, and
 *     one when it comes back (QEMU under TCG, a host that reports no
 *     steal); a hypervisor that reports steal has it subtracted;
 *   - hardware interrupts are counted in their own bucket (CPUTIME_IRQ),
 *     and a softirq run on the hook's way out of one in CPUTIME_SOFTIRQ.
 *
 * Its resolution is one tick (4 ms at Debian's HZ=250): a budget is
 * hundreds of ticks' worth.  Where the tick does not account time, the
 * clock is the wall clock, which stolen time still lengthens: on a
 * nohz_full CPU, vtime accounts time at kernel entry and exit instead.
 */
#ifndef _VIGIL_HOOK_CLOCK_H
#define _VIGIL_HOOK_CLOCK_H

#include <linux/kernel_stat.h>
#include <linux/timekeeping.h>
#include <linux/vtime.h>

/*
 * Nanoseconds of this CPU's system time.  Only the difference of two
 * reads on one CPU means anything.
 * Context: process, preemption disabled.
 */
static inline u64 vigil_hook_clock_ns(void)
{
	if (vtime_accounting_enabled_this_cpu())
		return ktime_get_ns();
	/* Written by this CPU's tick only: a u64 read does not tear on 64 bits. */
	return READ_ONCE(kcpustat_this_cpu->cpustat[CPUTIME_SYSTEM]);
}

#endif /* _VIGIL_HOOK_CLOCK_H */
