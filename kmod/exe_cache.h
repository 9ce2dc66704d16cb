/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The executable-path cache: the last VIGIL_FIELD_EXE built on each CPU,
 * reused while nothing its path depends on has changed (see exe_cache.c).
 */
#ifndef _VIGIL_EXE_CACHE_H
#define _VIGIL_EXE_CACHE_H

#include <linux/types.h>
#include <linux/vigil.h>

struct file;
struct path;
struct vigil_rec;

/* How long an entry may be reused: bounds what a mount move leaves stale. */
#define VIGIL_EXE_CACHE_TTL_NS	(10 * NSEC_PER_MSEC)

/*
 * What an executable's path was built from.  Pointers are only compared,
 * never followed.
 */
struct vigil_exe_key {
	const struct file *file;	/* mm->exe_file */
	const void *mnt;		/* its f_path */
	const void *dentry;
	const void *root_mnt;		/* current's root directory */
	const void *root_dentry;
	u64 start_ns;			/* the process: its leader's start */
	u64 exec_id;			/* and how many execs it is at */
	pid_t tgid;
	unsigned int rename_seq;	/* rename_lock's, even */
};

struct vigil_exe_entry {
	struct vigil_exe_key key;
	u64 built_ns;			/* when the path was built */
	u32 len;			/* bytes of @path, its NUL included; 0: none */
	u16 flags;			/* VIGIL_FIELD_F_* but OTHER_ROOT */
	char path[VIGIL_PATH_MAX];
};

int vigil_exe_cache_init(void);
void vigil_exe_cache_uninit(void);
void vigil_exe_cache_put(struct vigil_rec *rec, struct file *exe,
			 const struct path *view, u64 now);

/* The pure part, for the tests. */
bool vigil_exe_entry_valid(const struct vigil_exe_entry *e,
			   const struct vigil_exe_key *key, u64 now);
void vigil_exe_entry_store(struct vigil_exe_entry *e,
			   const struct vigil_exe_key *key, const char *path,
			   u32 len, u16 flags, u64 now);

#endif /* _VIGIL_EXE_CACHE_H */
