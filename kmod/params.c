// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters.  Each is validated when it is set, at load time or
 * through /sys/module/vigil/parameters/; a bad value is refused with
 * -EINVAL and a log line, and the old value stays.  Documentation/abi.rst
 * lists them with their defaults and ranges.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vigil.h>

#include "params.h"
#include "ring.h"
#include "watchdog.h"

/* Size of the ring's data area; read when a broker opens the device. */
static unsigned long vigil_ring_size = 4UL << 20;

static int vigil_ring_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned long size;
	char *end;

	size = memparse(val, &end);
	if (*end == '\n')
		end++;
	if (end == val || *end || !vigil_ring_size_valid(size)) {
		pr_err("ring_size: '%s' is not a power of two from %lu to %lu bytes\n",
		       val, VIGIL_RING_MIN_SIZE, VIGIL_RING_MAX_SIZE);
		return -EINVAL;
	}
	WRITE_ONCE(*(unsigned long *)kp->arg, size);
	return 0;
}

static const struct kernel_param_ops vigil_ring_size_ops = {
	.set = vigil_ring_size_set,
	.get = param_get_ulong,
};

module_param_cb(ring_size, &vigil_ring_size_ops, &vigil_ring_size, 0644);
MODULE_PARM_DESC(ring_size,
		 "Bytes in the event ring of the next broker session: a power of two, 64K to 64M (default 4M)");

static int vigil_uint_set(const char *val, const struct kernel_param *kp)
{
	struct vigil_uint_param *p = kp->arg;
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v < p->min || v > p->max) {
		pr_err("%s: '%s' is not a number from %u to %u\n", p->name,
		       val, p->min, p->max);
		return -EINVAL;
	}
	WRITE_ONCE(p->val, v);
	return 0;
}

static int vigil_uint_get(char *buf, const struct kernel_param *kp)
{
	const struct vigil_uint_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(p->val));
}

const struct kernel_param_ops vigil_uint_ops = {
	.set = vigil_uint_set,
	.get = vigil_uint_get,
};

VIGIL_UINT_PARAM(auth_exec_deadline_ms, 1000, 1, 30000,
		 "Milliseconds an exec waits for the broker's verdict: 1 to 30000 (default 1000)");
VIGIL_UINT_PARAM(auth_open_deadline_ms, 500, 1, 30000,
		 "Milliseconds an open waits for the broker's verdict: 1 to 30000 (default 500)");
VIGIL_UINT_PARAM(auth_max_waiters, 256, 1, 4096,
		 "AUTH events of one session waiting at once, past which the miss verdict applies at once: 1 to 4096 (default 256)");
VIGIL_UINT_PARAM(source_max_waiters, 64, 1, 4096,
		 "AUTH events of one source (a uid) waiting at once; more wait for a place, and are denied if none comes by their deadline: 1 to 4096 (default 64)");
VIGIL_UINT_PARAM(source_ring_share, 50, 1, 100,
		 "Percent of a ring the records of one source (a uid) may hold; past it, its records are dropped: 1 to 100 (default 50)");
VIGIL_UINT_PARAM(cache_size, 4096, 0, 65536,
		 "Verdicts the kernel cache of a session holds; 0 turns it off: 0 to 65536 (default 4096)");

/* The watchdog: see Documentation/watchdog.rst. */
VIGIL_UINT_PARAM(watchdog_faults, 5, 1, VIGIL_WD_MAX_FAULTS,
		 "Faults of one grade within the window that degrade (the broker's) or trip (the shim's) the watchdog: 1 to 64 (default 5)");
VIGIL_UINT_PARAM(watchdog_window_ms, 60000, 1000, 3600000,
		 "The watchdog's window, in milliseconds: 1000 to 3600000 (default 60000)");
VIGIL_UINT_PARAM(watchdog_heartbeat_ms, 5000, 100, 600000,
		 "A broker that leaves work waiting this many milliseconds is hung: 100 to 600000 (default 5000)");
VIGIL_UINT_PARAM(watchdog_hook_budget_ms, 200, 1, 10000,
		 "Milliseconds of its own work a hook may do before it counts as a slow-hook fault: 1 to 10000 (default 200)");
VIGIL_UINT_PARAM(watchdog_backoff_ms, 10000, 0, 3600000,
		 "Milliseconds a recovery or re-arm waits after the second degrade or trip in a row, and before the first automatic re-arm, doubled after each further one: 0 to 3600000 (default 10000)");
VIGIL_UINT_PARAM(watchdog_auto_rearms, 3, 0, 100,
		 "Times the shim re-arms itself after a trip, per load, before it waits for an administrator: 0 to 100 (default 3)");

/* A verdict: "allow" or "deny". */
static int vigil_verdict_set(const char *val, const struct kernel_param *kp)
{
	u32 v;

	if (sysfs_streq(val, "allow")) {
		v = VIGIL_VERDICT_ALLOW;
	} else if (sysfs_streq(val, "deny")) {
		v = VIGIL_VERDICT_DENY;
	} else {
		pr_err("%s: '%s' is neither allow nor deny\n", kp->name, val);
		return -EINVAL;
	}
	WRITE_ONCE(*(u32 *)kp->arg, v);
	return 0;
}

static int vigil_verdict_get(char *buf, const struct kernel_param *kp)
{
	u32 v = READ_ONCE(*(u32 *)kp->arg);

	return sysfs_emit(buf, "%s\n", v == VIGIL_VERDICT_DENY ? "deny" : "allow");
}

static const struct kernel_param_ops vigil_verdict_ops = {
	.set = vigil_verdict_set,
	.get = vigil_verdict_get,
};

static u32 vigil_auth_exec_miss = VIGIL_VERDICT_ALLOW;
static u32 vigil_auth_open_miss = VIGIL_VERDICT_ALLOW;

module_param_cb(auth_exec_miss, &vigil_verdict_ops, &vigil_auth_exec_miss, 0644);
MODULE_PARM_DESC(auth_exec_miss,
		 "Verdict when an exec's deadline passes: allow (default) or deny");
module_param_cb(auth_open_miss, &vigil_verdict_ops, &vigil_auth_open_miss, 0644);
MODULE_PARM_DESC(auth_open_miss,
		 "Verdict when an open's deadline passes: allow (default) or deny");

unsigned long vigil_param_ring_size(void)
{
	return READ_ONCE(vigil_ring_size);
}

u32 vigil_param_deadline_ms(u32 type)
{
	if (type == VIGIL_EVENT_AUTH_EXEC)
		return READ_ONCE(vigil_uparam_auth_exec_deadline_ms.val);
	return READ_ONCE(vigil_uparam_auth_open_deadline_ms.val);
}

u32 vigil_param_miss_verdict(u32 type)
{
	if (type == VIGIL_EVENT_AUTH_EXEC)
		return READ_ONCE(vigil_auth_exec_miss);
	return READ_ONCE(vigil_auth_open_miss);
}

unsigned int vigil_param_max_waiters(void)
{
	return READ_ONCE(vigil_uparam_auth_max_waiters.val);
}

unsigned int vigil_param_cache_size(void)
{
	return READ_ONCE(vigil_uparam_cache_size.val);
}

#define VIGIL_UINT_GETTER(pname)					\
	unsigned int vigil_param_##pname(void)				\
	{								\
		return READ_ONCE(vigil_uparam_##pname.val);		\
	}

VIGIL_UINT_GETTER(watchdog_faults)
VIGIL_UINT_GETTER(watchdog_window_ms)
VIGIL_UINT_GETTER(watchdog_heartbeat_ms)
VIGIL_UINT_GETTER(watchdog_hook_budget_ms)
VIGIL_UINT_GETTER(watchdog_backoff_ms)
VIGIL_UINT_GETTER(watchdog_auto_rearms)
VIGIL_UINT_GETTER(source_ring_share)
VIGIL_UINT_GETTER(source_max_waiters)
