/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels vigil supports (Debian 12's 6.1 and
 * 6.12).  This is the only file that may test the kernel version: core
 * files use the newest kernel's API, and this header supplies it on older
 * kernels.
 */
#ifndef _VIGIL_COMPAT_H
#define _VIGIL_COMPAT_H

#include <linux/mm.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "vigil supports Linux 6.1 and later"
#endif

/* vm_flags became read-only, behind helpers, in 6.3. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

#endif /* _VIGIL_COMPAT_H */
