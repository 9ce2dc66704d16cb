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
#include <linux/ptrace.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "vigil supports Linux 6.1 and later"
#endif

/*
 * Hooks build records with preemption disabled, and d_path() may take
 * sleeping locks on PREEMPT_RT.
 */
#ifdef CONFIG_PREEMPT_RT
#error "vigil does not support PREEMPT_RT kernels"
#endif

/* vm_flags became read-only, behind helpers, in 6.3. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}

static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}
#endif

/*
 * The n-th argument of a probed function, in a kprobe pre-handler.  UML,
 * where only the KUnit suites run, has no kprobes and no such accessor.
 */
#ifdef CONFIG_HAVE_REGS_AND_STACK_ACCESS_API
#define vigil_kprobe_arg(regs, n)	regs_get_kernel_argument(regs, n)
#else
#define vigil_kprobe_arg(regs, n)	((void)(regs), (void)(n), 0UL)
#endif

/*
 * fsnotify: the priority a group needs for permission events (a number
 * on 6.1, an enum by 6.12), and marks on a superblock: since 6.9,
 * fsnotify_add_mark() takes the object itself, before, its list head.
 * (Checked on 6.1 and 6.12 only.)
 */
#include <linux/fsnotify_backend.h>

#ifdef FS_PRIO_1
#define VIGIL_FSNOTIFY_PRIO_CONTENT	FS_PRIO_1
#else
#define VIGIL_FSNOTIFY_PRIO_CONTENT	FSNOTIFY_PRIO_CONTENT
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
static inline int vigil_fsnotify_add_sb_mark(struct fsnotify_mark *mark,
					     struct super_block *sb)
{
	return fsnotify_add_mark(mark, &sb->s_fsnotify_marks,
				 FSNOTIFY_OBJ_TYPE_SB, 0, NULL);
}
#else
static inline int vigil_fsnotify_add_sb_mark(struct fsnotify_mark *mark,
					     struct super_block *sb)
{
	return fsnotify_add_mark(mark, sb, FSNOTIFY_OBJ_TYPE_SB, 0);
}
#endif

/* get_user_pages_remote() lost its vmas argument in 6.5. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define vigil_get_user_page_remote(mm, addr, page) \
	get_user_pages_remote(mm, addr, 1, 0, page, NULL, NULL)
#else
#define vigil_get_user_page_remote(mm, addr, page) \
	get_user_pages_remote(mm, addr, 1, 0, page, NULL)
#endif

/* A capability set as 64 bits: kernel_cap_t became one u64 in 6.3. */
#include <linux/capability.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline u64 vigil_cap_u64(kernel_cap_t cap)
{
	return (u64)cap.cap[1] << 32 | cap.cap[0];
}
#else
static inline u64 vigil_cap_u64(kernel_cap_t cap)
{
	return cap.val;
}
#endif

/*
 * A reference to @mm's executable, or NULL.  get_mm_exe_file() is not
 * exported; get_file_rcu() is, and since 6.7 it takes the pointer's
 * address, so as to recheck it against files reused under RCU.
 */
#include <linux/file.h>
#include <linux/mm_types.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 7, 0)
static inline struct file *vigil_mm_exe_file(struct mm_struct *mm)
{
	struct file *exe;

	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
	rcu_read_unlock();
	return exe;
}
#else
static inline struct file *vigil_mm_exe_file(struct mm_struct *mm)
{
	struct file *exe;

	rcu_read_lock();
	exe = get_file_rcu(&mm->exe_file);
	rcu_read_unlock();
	return exe;
}
#endif

/*
 * ftruncate(2) and O_TRUNC opens go through security_file_truncate()
 * since 6.2; before, through security_path_truncate() like truncate(2).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define VIGIL_HAVE_FILE_TRUNCATE_HOOK	1
#else
#define VIGIL_HAVE_FILE_TRUNCATE_HOOK	0
#endif

#endif /* _VIGIL_COMPAT_H */
