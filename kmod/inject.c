// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection (CONFIG_VIGIL_FAULT_INJECTION).  Never in a build that
 * ships: Documentation/watchdog.rst says how the tests build it.
 *
 *   inject_internal_errors=N  the next N events the shim would emit fail
 *                             with an internal error instead
 *   inject_slow_hooks=N       the next N events take inject_hook_delay_ms
 *                             more of their CPU's work in their hook, with
 *                             preemption off (hook_clock.h)
 *   inject_crash_on_load=1    panic while the module loads (read-only:
 *                             give it to insmod or modprobe)
 *
 * The counters go down as events consume them; reading them shows what is
 * left.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/panic.h>
#include <linux/processor.h>
#include <linux/sysfs.h>
#include <linux/timekeeping.h>

#include "hook_clock.h"
#include "inject.h"
#include "params.h"

static int vigil_counter_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n > INT_MAX) {
		pr_err("%s: '%s' is not a count from 0 to %d\n", kp->name, val,
		       INT_MAX);
		return -EINVAL;
	}
	atomic_set(kp->arg, n);
	return 0;
}

static int vigil_counter_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops vigil_counter_ops = {
	.set = vigil_counter_set,
	.get = vigil_counter_get,
};

static atomic_t vigil_inject_errors = ATOMIC_INIT(0);
static atomic_t vigil_inject_slow = ATOMIC_INIT(0);

module_param_cb(inject_internal_errors, &vigil_counter_ops,
		&vigil_inject_errors, 0644);
MODULE_PARM_DESC(inject_internal_errors,
		 "Test builds: the next N events fail with an internal error");
module_param_cb(inject_slow_hooks, &vigil_counter_ops, &vigil_inject_slow, 0644);
MODULE_PARM_DESC(inject_slow_hooks,
		 "Test builds: the next N events take inject_hook_delay_ms longer in their hook");

VIGIL_UINT_PARAM(inject_hook_delay_ms, 300, 1, 10000,
		 "Test builds: how much longer a slowed hook takes: 1 to 10000 (default 300)");

static bool vigil_inject_crash;
module_param_named(inject_crash_on_load, vigil_inject_crash, bool, 0444);
MODULE_PARM_DESC(inject_crash_on_load,
		 "Test builds: panic while loading, as a broken shim would");

/* Should this event fail with an internal error?  Any context. */
bool vigil_inject_internal_error(void)
{
	/* Fully ordered; each injected error is consumed exactly once. */
	return atomic_dec_if_positive(&vigil_inject_errors) >= 0;
}

/*
 * Slow this hook down, if asked to: it busy-waits until the hook clock,
 * which the hook budget is measured on, has advanced by the delay: the
 * hook's own work, however long the host keeps the vCPU away meanwhile.
 * (mdelay()'s calibrated loop runs short under emulation.)  Ten times the
 * delay on the wall clock ends the wait all the same.
 * Context: process, preemption disabled (an emitting hook).
 */
void vigil_inject_hook_delay(void)
{
	u64 delay, start, wall_end;

	/* Fully ordered; each injected delay is consumed exactly once. */
	if (atomic_dec_if_positive(&vigil_inject_slow) < 0)
		return;
	delay = (u64)READ_ONCE(vigil_uparam_inject_hook_delay_ms.val) * NSEC_PER_MSEC;
	start = vigil_hook_clock_ns();
	wall_end = ktime_get_ns() + 10 * delay;
	while (vigil_hook_clock_ns() - start <= delay && ktime_get_ns() < wall_end)
		cpu_relax();
}

void vigil_inject_crash_on_load(void)
{
	if (vigil_inject_crash)
		panic("vigil: crash injected during load (inject_crash_on_load=1)");
}
