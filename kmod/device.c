// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/vigil misc device.
 *
 * An open file for reading and writing is a broker session; one for
 * reading only is a control handle, with no session (private_data is
 * NULL), for the watchdog commands.  The file operations hold a reference
 * on the module (.owner), so the module cannot be unloaded while a broker
 * or a tool has the device open or mapped: delete_module() then fails
 * with EAGAIN.
 */

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>

#include "device.h"
#include "ioctl.h"
#include "ring.h"
#include "session.h"

static int vigil_dev_open(struct inode *inode, struct file *file)
{
	fmode_t mode = file->f_mode & (FMODE_READ | FMODE_WRITE);
	struct vigil_session *s;

	if (mode == FMODE_READ) {
		file->private_data = NULL;
		return 0;
	}
	/* The broker reads the ring and writes its consumer page. */
	if (mode != (FMODE_READ | FMODE_WRITE))
		return -EINVAL;
	s = vigil_session_open(file);
	if (IS_ERR(s))
		return PTR_ERR(s);
	file->private_data = s;
	return 0;
}

static int vigil_dev_release(struct inode *inode, struct file *file)
{
	if (file->private_data)
		vigil_session_close(file->private_data);
	return 0;
}

static long vigil_dev_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	return vigil_ioctl_dispatch(file->private_data, cmd, arg);
}

static int vigil_dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vigil_session *s = file->private_data;

	if (!s)
		return -EBADF;
	if (!vigil_session_connected(s))
		return -EPROTO;
	if (vma->vm_pgoff < VIGIL_RING_PGOFF_LANE)
		return vigil_ring_mmap(s->ring, vma, vma->vm_pgoff);
	/* A broker of an older minor has no AUTH lane to map. */
	if (!s->auth_lane)
		return -EINVAL;
	return vigil_ring_mmap(s->auth_ring, vma,
			       vma->vm_pgoff - VIGIL_RING_PGOFF_LANE);
}

/*
 * The wait queue is registered even before the handshake: an epoll set up
 * then must still be woken by the records that come after it.
 */
static __poll_t vigil_dev_poll(struct file *file, poll_table *wait)
{
	struct vigil_session *s = file->private_data;
	__poll_t mask;

	if (!s)
		return EPOLLERR;
	mask = vigil_ring_poll(s->ring, file, wait);
	mask |= vigil_ring_poll(s->auth_ring, file, wait);
	return vigil_session_connected(s) ? mask : EPOLLERR;
}

static const struct file_operations vigil_fops = {
	.owner = THIS_MODULE,
	.open = vigil_dev_open,
	.release = vigil_dev_release,
	.unlocked_ioctl = vigil_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = vigil_dev_mmap,
	.poll = vigil_dev_poll,
	.llseek = noop_llseek,
};

static struct miscdevice vigil_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "vigil",
	.fops = &vigil_fops,
	.mode = 0600,
};

int vigil_device_init(void)
{
	return misc_register(&vigil_miscdev);
}

void vigil_device_uninit(void)
{
	misc_deregister(&vigil_miscdev);
}
