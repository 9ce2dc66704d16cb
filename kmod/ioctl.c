// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl commands of /dev/vigil.
 *
 * Each command is one row of vigil_ioctls: its number, the smallest
 * struct size it accepts and whether it may run before the handshake.
 * Arguments are versioned structs, read with copy_struct_from_user(): a
 * client may pass a newer, longer struct as long as the bytes the shim
 * does not know are zero.  Every value is checked before anything is done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/vigil.h>

#include "ioctl.h"
#include "record.h"
#include "ring.h"
#include "session.h"

typedef long (*vigil_ioctl_fn)(struct vigil_session *s, void __user *arg,
			       u32 usize);

struct vigil_ioctl {
	unsigned int cmd;	/* the command, with the current struct size */
	u32 min_size;		/* size of the struct's first version */
	bool before_handshake;	/* allowed before the handshake */
	vigil_ioctl_fn fn;
};

static void vigil_handshake_fill(struct vigil_session *s,
				 struct vigil_handshake *hs)
{
	hs->abi_major = VIGIL_ABI_MAJOR;
	hs->abi_minor = VIGIL_ABI_MINOR;
	hs->features = VIGIL_FEATURE_PROC_EVENTS;
	hs->ring_data_size = vigil_ring_data_size(s->ring);
	hs->ring_consumer_off = VIGIL_RING_PGOFF_CONSUMER * PAGE_SIZE;
	hs->ring_producer_off = VIGIL_RING_PGOFF_PRODUCER * PAGE_SIZE;
	hs->ring_page_size = PAGE_SIZE;
	hs->max_record_size = VIGIL_RECORD_MAX;
}

/*
 * The answer is written back before the version check, so that a client
 * of another major version learns which one the shim speaks.
 */
static long vigil_ioctl_handshake(struct vigil_session *s, void __user *arg,
				  u32 usize)
{
	struct vigil_handshake hs;
	int err;

	err = copy_struct_from_user(&hs, sizeof(hs), arg, usize);
	if (err)
		return err;
	if (hs.flags)
		return -EINVAL;

	vigil_handshake_fill(s, &hs);
	if (copy_to_user(arg, &hs, min_t(u32, usize, sizeof(hs))))
		return -EFAULT;
	if (hs.client_major != VIGIL_ABI_MAJOR) {
		pr_warn_ratelimited("broker built for ABI %u.%u refused: this shim speaks ABI %u.%u\n",
				    hs.client_major, hs.client_minor,
				    VIGIL_ABI_MAJOR, VIGIL_ABI_MINOR);
		return -EPROTONOSUPPORT;
	}
	return vigil_session_connect(s);
}

static const struct vigil_ioctl vigil_ioctls[] = {
	{
		.cmd = VIGIL_IOC_HANDSHAKE,
		.min_size = VIGIL_HANDSHAKE_SIZE_VER1,
		.before_handshake = true,
		.fn = vigil_ioctl_handshake,
	},
};

/* The row of @cmd: same type, number and direction; any size. */
static const struct vigil_ioctl *vigil_ioctl_find(unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vigil_ioctls); i++) {
		unsigned int known = vigil_ioctls[i].cmd;

		if (_IOC_TYPE(cmd) == _IOC_TYPE(known) &&
		    _IOC_NR(cmd) == _IOC_NR(known) &&
		    _IOC_DIR(cmd) == _IOC_DIR(known))
			return &vigil_ioctls[i];
	}
	return NULL;
}

/**
 * vigil_ioctl_dispatch() - run an ioctl command of a session
 * @s: the session
 * @cmd: the command
 * @arg: its argument, a user pointer
 *
 * Return: the command's result; -ENOTTY for an unknown command, -EINVAL
 * for a struct smaller than the command's first version, -E2BIG for one
 * larger than a page, -EPROTO before the handshake.
 */
long vigil_ioctl_dispatch(struct vigil_session *s, unsigned int cmd,
			  unsigned long arg)
{
	const struct vigil_ioctl *ioc = vigil_ioctl_find(cmd);
	u32 usize = _IOC_SIZE(cmd);

	if (!ioc)
		return -ENOTTY;
	if (usize < ioc->min_size)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (!ioc->before_handshake && !vigil_session_connected(s))
		return -EPROTO;
	return ioc->fn(s, (void __user *)arg, usize);
}
