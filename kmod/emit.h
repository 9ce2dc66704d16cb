/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emitting events: how a hook turns what it saw into a record in the ring
 * of the connected broker, if there is one.
 */
#ifndef _VIGIL_EMIT_H
#define _VIGIL_EMIT_H

#include "record.h"

struct vigil_session;

/* The state of one event being emitted; it lives on the hook's stack. */
struct vigil_emit {
	struct vigil_session *session;	/* the connected broker's */
	struct vigil_rec rec;
};

int vigil_emit_init(void);
void vigil_emit_uninit(void);

void vigil_emit_start(struct vigil_session *s);
void vigil_emit_stop(void);

void *vigil_emit_begin(struct vigil_emit *em, u32 type, u32 fixed_len);
void vigil_emit_end(struct vigil_emit *em);

int vigil_emit_put_path(struct vigil_emit *em, u16 type,
			const struct path *path);

#endif /* _VIGIL_EMIT_H */
