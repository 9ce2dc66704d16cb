/* SPDX-License-Identifier: GPL-2.0 */
/* The ioctl commands of /dev/vigil, dispatched through one table. */
#ifndef _VIGIL_IOCTL_H
#define _VIGIL_IOCTL_H

struct vigil_session;

long vigil_ioctl_dispatch(struct vigil_session *s, unsigned int cmd,
			  unsigned long arg);

#endif /* _VIGIL_IOCTL_H */
