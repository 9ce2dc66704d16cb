/* SPDX-License-Identifier: GPL-2.0 */
/* The tracepoint hook mechanism. */
#ifndef _VIGIL_TRACEPOINT_H
#define _VIGIL_TRACEPOINT_H

#include "hooks.h"

extern const struct vigil_hook_ops vigil_tracepoint_ops;

#endif /* _VIGIL_TRACEPOINT_H */
