/* SPDX-License-Identifier: GPL-2.0 */
/* Module parameters: validated when set, read through these accessors. */
#ifndef _VIGIL_PARAMS_H
#define _VIGIL_PARAMS_H

#include <linux/moduleparam.h>
#include <linux/types.h>

/* An unsigned parameter with a range, checked when it is set. */
struct vigil_uint_param {
	unsigned int val;
	unsigned int min;
	unsigned int max;
	const char *name;
};

extern const struct kernel_param_ops vigil_uint_ops;

#define VIGIL_UINT_PARAM(pname, def, lo, hi, desc)			\
	static struct vigil_uint_param vigil_uparam_##pname = {		\
		.val = def, .min = lo, .max = hi, .name = #pname,	\
	};								\
	module_param_cb(pname, &vigil_uint_ops, &vigil_uparam_##pname, 0644); \
	MODULE_PARM_DESC(pname, desc)

unsigned long vigil_param_ring_size(void);
u32 vigil_param_deadline_ms(u32 type);
u32 vigil_param_miss_verdict(u32 type);
unsigned int vigil_param_max_waiters(void);
unsigned int vigil_param_cache_size(void);
unsigned int vigil_param_watchdog_faults(void);
unsigned int vigil_param_watchdog_window_ms(void);
unsigned int vigil_param_watchdog_heartbeat_ms(void);
unsigned int vigil_param_watchdog_hook_budget_ms(void);
unsigned int vigil_param_watchdog_backoff_ms(void);
unsigned int vigil_param_watchdog_auto_rearms(void);
unsigned int vigil_param_source_ring_share(void);
unsigned int vigil_param_source_max_waiters(void);

#endif /* _VIGIL_PARAMS_H */
