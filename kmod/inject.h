/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection, for tests: module parameters, in builds with
 * CONFIG_VIGIL_FAULT_INJECTION only, that make the shim's own code fail
 * or run slow on demand, so that every fault class can be produced.
 * Without that option these are no-ops the compiler removes.
 */
#ifndef _VIGIL_INJECT_H
#define _VIGIL_INJECT_H

#include <linux/types.h>

#ifdef CONFIG_VIGIL_FAULT_INJECTION
bool vigil_inject_internal_error(void);
void vigil_inject_hook_delay(void);
void vigil_inject_crash_on_load(void);
#else
static inline bool vigil_inject_internal_error(void)
{
	return false;
}

static inline void vigil_inject_hook_delay(void)
{
}

static inline void vigil_inject_crash_on_load(void)
{
}
#endif

#endif /* _VIGIL_INJECT_H */
