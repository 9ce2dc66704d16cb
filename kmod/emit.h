/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emitting events: how a hook turns what it saw into a record in the ring
 * of the connected broker, if there is one and it wants the event.
 */
#ifndef _VIGIL_EMIT_H
#define _VIGIL_EMIT_H

#include "record.h"

struct path;
struct vigil_session;

enum vigil_emit_status {
	VIGIL_EMIT_OK,		/* a record is being built */
	VIGIL_EMIT_UNWANTED,	/* no broker, or it did not subscribe */
	VIGIL_EMIT_MUTED,	/* muted, or from the broker itself */
	VIGIL_EMIT_DROPPED,	/* dropped, and counted */
};

/* The state of one event being emitted; it lives on the hook's stack. */
struct vigil_emit {
	struct vigil_session *session;	/* the connected broker's */
	struct vigil_rec rec;
	enum vigil_emit_status status;
	bool wake_now;			/* wake the broker without irq_work */
	int level;			/* its scratch level: 0 outermost */
	u32 source;			/* whom it is charged to (source.c) */
	u64 hook_start_ns;		/* on the hook clock (hook_clock.h) */
};

int vigil_emit_init(void);
void vigil_emit_uninit(void);

void vigil_emit_start(struct vigil_session *s);
void vigil_emit_stop(void);

void *vigil_emit_begin(struct vigil_emit *em, u32 type, u32 fixed_len);
int vigil_emit_end(struct vigil_emit *em);
void vigil_emit_cancel(struct vigil_emit *em);

int vigil_emit_put_path(struct vigil_emit *em, u16 type,
			const struct path *path);
int vigil_emit_put_child_path(struct vigil_emit *em, u16 type,
			      const struct path *dir, struct dentry *dentry);
bool vigil_emit_path_muted(struct vigil_emit *em);
void vigil_emit_put_actor(struct vigil_emit *em, struct vigil_actor *actor);
void vigil_emit_warm_exe(u32 type);

bool vigil_emit_process_muted(struct vigil_session *s, u32 type);

#endif /* _VIGIL_EMIT_H */
