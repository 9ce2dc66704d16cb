// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters.  Each is validated when it is set, at load time or
 * through /sys/module/vigil/parameters/; a bad value is refused with
 * -EINVAL and a log line, and the old value stays.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>

#include "params.h"
#include "ring.h"

/* Size of the ring's data area; read when a broker opens the device. */
static unsigned long vigil_ring_size = 4UL << 20;

static int vigil_ring_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned long size;
	char *end;

	size = memparse(val, &end);
	if (*end == '\n')
		end++;
	if (end == val || *end || !vigil_ring_size_valid(size)) {
		pr_err("ring_size: '%s' is not a power of two from %lu to %lu bytes\n",
		       val, VIGIL_RING_MIN_SIZE, VIGIL_RING_MAX_SIZE);
		return -EINVAL;
	}
	WRITE_ONCE(*(unsigned long *)kp->arg, size);
	return 0;
}

static const struct kernel_param_ops vigil_ring_size_ops = {
	.set = vigil_ring_size_set,
	.get = param_get_ulong,
};

module_param_cb(ring_size, &vigil_ring_size_ops, &vigil_ring_size, 0644);
MODULE_PARM_DESC(ring_size,
		 "Bytes in the event ring of the next broker session: a power of two, 64K to 64M (default 4M)");

unsigned long vigil_param_ring_size(void)
{
	return READ_ONCE(vigil_ring_size);
}
