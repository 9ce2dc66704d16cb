/* SPDX-License-Identifier: GPL-2.0 */
/* /sys/kernel/vigil/: the watchdog's state, and its re-arm switch. */
#ifndef _VIGIL_SYSFS_H
#define _VIGIL_SYSFS_H

int vigil_sysfs_init(void);
void vigil_sysfs_uninit(void);

#endif /* _VIGIL_SYSFS_H */
