/* SPDX-License-Identifier: GPL-2.0 */
/* Module parameters: validated when set, read through these accessors. */
#ifndef _VIGIL_PARAMS_H
#define _VIGIL_PARAMS_H

unsigned long vigil_param_ring_size(void);

#endif /* _VIGIL_PARAMS_H */
