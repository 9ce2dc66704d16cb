/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The executable-path cache: the last VIGIL_FIELD_EXE built on each CPU,
 * reused while nothing its path depends on has changed (see exe_cache.c).
 */
#ifndef _VIGIL_EXE_CACHE_H
#define _VIGIL_EXE_CACHE_H

#include <linux/types.h>

struct file;
struct path;
struct vigil_rec;

/* How long an entry may be reused: bounds what a mount move leaves stale. */
#define VIGIL_EXE_CACHE_TTL_NS	(10 * NSEC_PER_MSEC)

int vigil_exe_cache_init(void);
void vigil_exe_cache_uninit(void);
void vigil_exe_cache_put(struct vigil_rec *rec, struct file *exe,
			 const struct path *view, u64 now);

#endif /* _VIGIL_EXE_CACHE_H */
