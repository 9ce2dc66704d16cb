/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One client's mutes in vigild: events it does not want to see, by the
 * process they are about (tgid), by the executable running (its path),
 * or by a path prefix (an AUTH open's path; other records' executable).
 * Each mute covers some event types, or all of them.  Up to
 * VIGILD_MUTES_MAX of each kind; pure logic, unit-tested.
 */
#ifndef VIGILD_MUTES_H
#define VIGILD_MUTES_H

#include <stdint.h>

#include "event.h"

#define VIGILD_MUTES_MAX	32	/* of each kind */

struct mute_entry {
	uint32_t tgid;		/* VIGIL_MUTE_PROCESS */
	char *path;		/* VIGIL_MUTE_EXE, VIGIL_MUTE_PATH */
	uint64_t events;	/* VIGIL_EVENT_BIT()s muted; 0: all */
};

struct mute_set {
	struct mute_entry tgid[VIGILD_MUTES_MAX];
	unsigned int nr_tgid;
	struct mute_entry exe[VIGILD_MUTES_MAX];
	unsigned int nr_exe;
	struct mute_entry path[VIGILD_MUTES_MAX];
	unsigned int nr_path;
};

/*
 * Mute @events (0: every type) of @kind: the process @tgid, or the
 * executable or prefix @path (absolute, checked by the caller).
 * Return: 0; -EEXIST if that process or path is muted already (unmute it
 * first to change its types); -ENOSPC with VIGILD_MUTES_MAX of the kind;
 * -ENOMEM; -EINVAL for an unknown kind.
 */
int mute_set_add(struct mute_set *m, uint32_t kind, uint32_t tgid,
		 const char *path, uint64_t events);

/* Unmute the process or path, whatever its types.  0, -ENOENT, -EINVAL. */
int mute_set_remove(struct mute_set *m, uint32_t kind, uint32_t tgid,
		    const char *path);

/* Whether an event @v is muted: its type, its process, its paths. */
int mute_set_match(const struct mute_set *m, const struct vigil_event_view *v);

/* Mutes of every kind. */
unsigned int mute_set_count(const struct mute_set *m);

/* Forget them all. */
void mute_set_clear(struct mute_set *m);

/* The process an event is about: the parent of a fork; 0 if none. */
uint32_t vigild_event_tgid(const struct vigil_event_view *v);

#endif /* VIGILD_MUTES_H */
