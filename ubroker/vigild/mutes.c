// SPDX-License-Identifier: GPL-2.0
/* One client's mutes in vigild: see mutes.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mutes.h"
#include "rules.h"

/* The list of @kind, and its length. */
static struct mute_entry *list_of(struct mute_set *m, uint32_t kind,
				  unsigned int **nr)
{
	switch (kind) {
	case VIGIL_MUTE_PROCESS:
		*nr = &m->nr_tgid;
		return m->tgid;
	case VIGIL_MUTE_EXE:
		*nr = &m->nr_exe;
		return m->exe;
	case VIGIL_MUTE_PATH:
		*nr = &m->nr_path;
		return m->path;
	}
	return NULL;
}

static int same_key(const struct mute_entry *e, uint32_t kind, uint32_t tgid,
		    const char *path)
{
	return kind == VIGIL_MUTE_PROCESS ? e->tgid == tgid : !strcmp(e->path, path);
}

static struct mute_entry *find(struct mute_entry *list, unsigned int nr,
			       uint32_t kind, uint32_t tgid, const char *path)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (same_key(&list[i], kind, tgid, path))
			return &list[i];
	return NULL;
}

int mute_set_add(struct mute_set *m, uint32_t kind, uint32_t tgid,
		 const char *path, uint64_t events)
{
	unsigned int *nr;
	struct mute_entry *list = list_of(m, kind, &nr), *e;

	if (!list)
		return -EINVAL;
	if (find(list, *nr, kind, tgid, path))
		return -EEXIST;
	if (*nr == VIGILD_MUTES_MAX)
		return -ENOSPC;
	e = &list[*nr];
	memset(e, 0, sizeof(*e));
	if (kind != VIGIL_MUTE_PROCESS) {
		e->path = strdup(path);
		if (!e->path)
			return -ENOMEM;
	}
	e->tgid = tgid;
	e->events = events;
	(*nr)++;
	return 0;
}

int mute_set_remove(struct mute_set *m, uint32_t kind, uint32_t tgid,
		    const char *path)
{
	unsigned int *nr;
	struct mute_entry *list = list_of(m, kind, &nr), *e;

	if (!list)
		return -EINVAL;
	e = find(list, *nr, kind, tgid, path);
	if (!e)
		return -ENOENT;
	free(e->path);
	*e = list[--(*nr)];
	return 0;
}

uint32_t vigild_event_tgid(const struct vigil_event_view *v)
{
	const struct vigil_proc *p = vigil_event_proc(v);

	return p ? p->tgid : 0;
}

/* Does @e cover events of @type? */
static int covers(const struct mute_entry *e, uint32_t type)
{
	return !e->events || (type < 64 && (e->events & VIGIL_EVENT_BIT(type)));
}

int mute_set_match(const struct mute_set *m, const struct vigil_event_view *v)
{
	/* The file an open, a file record or a mount is about; else the exe. */
	const char *path = v->path.data ? v->path.data : v->exe.data;
	uint32_t tgid = vigild_event_tgid(v);
	unsigned int i;

	for (i = 0; tgid && i < m->nr_tgid; i++)
		if (m->tgid[i].tgid == tgid && covers(&m->tgid[i], v->type))
			return 1;
	for (i = 0; v->exe.data && i < m->nr_exe; i++)
		if (!strcmp(v->exe.data, m->exe[i].path) && covers(&m->exe[i], v->type))
			return 1;
	for (i = 0; path && i < m->nr_path; i++)
		if (vigild_path_under(path, m->path[i].path) &&
		    covers(&m->path[i], v->type))
			return 1;
	return 0;
}

unsigned int mute_set_count(const struct mute_set *m)
{
	return m->nr_tgid + m->nr_exe + m->nr_path;
}

void mute_set_clear(struct mute_set *m)
{
	unsigned int i;

	for (i = 0; i < m->nr_exe; i++)
		free(m->exe[i].path);
	for (i = 0; i < m->nr_path; i++)
		free(m->path[i].path);
	memset(m, 0, sizeof(*m));
}
