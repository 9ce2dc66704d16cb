/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Faults: the one place where every fault of the shim and its broker is
 * counted, into the shim's watchdog (watchdog.c).  A fault that changes
 * its state (degraded, tripped) schedules the change itself (shim.c) in
 * process context; so does a recovery, and an automatic re-arm.
 */
#ifndef _VIGIL_FAULT_H
#define _VIGIL_FAULT_H

#include <linux/compiler.h>
#include <linux/types.h>

struct vigil_watchdog_status;

void vigil_fault_init(void);
void vigil_fault_uninit(void);

void vigil_fault(u32 class);
void vigil_fault_internal(const char *where);
void vigil_fault_slow_hook(u32 event, u64 ns);
void vigil_fault_broker_healthy(void);

/*
 * A condition that must never hold in the shim.  If it does, it is an
 * internal-error fault: logged and counted, never a WARN, which on a
 * machine with panic_on_warn would take the system down.
 */
#define VIGIL_BUG_ON(cond) ({					\
	bool __vigil_bad = unlikely(!!(cond));			\
	if (__vigil_bad)					\
		vigil_fault_internal(__func__);			\
	__vigil_bad;						\
})

u32 vigil_watchdog_state(void);
u32 vigil_watchdog_changes(void);
int vigil_watchdog_may_rearm(void);
int vigil_watchdog_rearm(void);
bool vigil_watchdog_auto_rearm_due(void);
int vigil_watchdog_auto_rearm(void);
void vigil_watchdog_plan_auto_rearm(void);
void vigil_watchdog_read(struct vigil_watchdog_status *st);
const char *vigil_fault_name(u32 class);
const char *vigil_watchdog_state_name(u32 state);

#endif /* _VIGIL_FAULT_H */
