/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Watched filesystems: an fsnotify group of the shim's own, with a mark
 * on each superblock the broker watches, for AUTH_OPEN.  The watches
 * outlive the hook's detaching, so that re-arming restores them, and end
 * when their filesystem is unmounted.
 */
#ifndef _VIGIL_FS_WATCH_H
#define _VIGIL_FS_WATCH_H

#include <linux/compiler_types.h>

#include "hooks.h"

extern const struct vigil_hook_ops vigil_fsnotify_ops;

int vigil_watch_add(const char __user *path);
int vigil_watch_remove(const char __user *path);
void vigil_watch_forget_all(void);
void vigil_watch_exit(void);

#endif /* _VIGIL_FS_WATCH_H */
