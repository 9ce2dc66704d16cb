/* SPDX-License-Identifier: GPL-2.0 */
/* The kprobe hook mechanism. */
#ifndef _VIGIL_KPROBE_H
#define _VIGIL_KPROBE_H

#include "hooks.h"

extern const struct vigil_hook_ops vigil_kprobe_ops;

#endif /* _VIGIL_KPROBE_H */
