/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The watchdog commands, on a broker's session or on a control handle
 * (/dev/vigil opened O_RDONLY, which any number of tools may hold).
 */
#ifndef VIGIL_CONTROL_H
#define VIGIL_CONTROL_H

#include <linux/vigil.h>

/* Open a control handle: a descriptor, or -errno. */
int vigil_control_open(const char *device);

/* VIGIL_IOC_WATCHDOG: 0 or -errno. */
int vigil_watchdog_status(int fd, struct vigil_watchdog_status *st);

/* VIGIL_IOC_REARM: 0 or -errno (-EPERM, -EALREADY, -EAGAIN...). */
int vigil_watchdog_rearm(int fd);

#endif /* VIGIL_CONTROL_H */
