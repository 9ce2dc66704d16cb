/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mutes: events the broker does not want, dropped before they cost a
 * record.  By process, by executable (file identity) and by path prefix.
 */
#ifndef _VIGIL_MUTE_H
#define _VIGIL_MUTE_H

#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct inode;
struct pid;

/* One mute, as the broker asked for it (the kind is VIGIL_MUTE_*). */
struct vigil_mute_spec {
	u32 kind;
	u64 events;		/* VIGIL_EVENT_BIT()s; never 0 here */
	struct pid *pid;	/* VIGIL_MUTE_PROCESS: the process */
	struct path exe;	/* VIGIL_MUTE_EXE: the file */
	const char *prefix;	/* VIGIL_MUTE_PATH: absolute, no trailing / */
	u32 len;		/* strlen(prefix) */
};

/*
 * The mutes in force: replaced whole on every change, read under RCU.  It
 * holds a reference on each process and file it names, so that neither a
 * pid nor an inode can be reused under a mute.
 */
struct vigil_mutes {
	unsigned int nr;
	struct vigil_mute_spec spec[];	/* prefixes live after the array */
};

struct vigil_mute_set {
	struct mutex lock;		/* serializes changes */
	struct vigil_mutes __rcu *cur;	/* NULL: nothing muted */
};

void vigil_mute_set_init(struct vigil_mute_set *set);
void vigil_mute_set_uninit(struct vigil_mute_set *set);
int vigil_mute_set_add(struct vigil_mute_set *set,
		       const struct vigil_mute_spec *spec);
int vigil_mute_set_remove(struct vigil_mute_set *set,
			  const struct vigil_mute_spec *spec);

bool vigil_mutes_process(const struct vigil_mutes *m, u32 type,
			 const struct pid *tgid, const struct inode *exe);
bool vigil_mutes_path(const struct vigil_mutes *m, u32 type,
		      const char *path, u32 len);

#endif /* _VIGIL_MUTE_H */
