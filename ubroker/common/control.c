// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>

#include "control.h"

int vigil_control_open(const char *device)
{
	int fd = open(device, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int vigil_watchdog_status(int fd, struct vigil_watchdog_status *st)
{
	memset(st, 0, sizeof(*st));
	return ioctl(fd, VIGIL_IOC_WATCHDOG, st) ? -errno : 0;
}

int vigil_watchdog_rearm(int fd)
{
	struct vigil_rearm r = { 0 };

	return ioctl(fd, VIGIL_IOC_REARM, &r) ? -errno : 0;
}
