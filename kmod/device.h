/* SPDX-License-Identifier: GPL-2.0 */
/* The /dev/vigil misc device. */
#ifndef _VIGIL_DEVICE_H
#define _VIGIL_DEVICE_H

int vigil_device_init(void);
void vigil_device_uninit(void);

#endif /* _VIGIL_DEVICE_H */
