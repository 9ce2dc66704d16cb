/* SPDX-License-Identifier: GPL-2.0 */
/* Module parameters: validated when set, read through these accessors. */
#ifndef _VIGIL_PARAMS_H
#define _VIGIL_PARAMS_H

#include <linux/types.h>

unsigned long vigil_param_ring_size(void);
u32 vigil_param_deadline_ms(u32 type);
u32 vigil_param_miss_verdict(u32 type);
unsigned int vigil_param_max_waiters(void);
unsigned int vigil_param_cache_size(void);

#endif /* _VIGIL_PARAMS_H */
