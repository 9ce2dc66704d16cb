/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The broker session: the one open file of /dev/vigil, its ring, and
 * whether the broker has connected (completed the handshake).
 */
#ifndef _VIGIL_SESSION_H
#define _VIGIL_SESSION_H

#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/types.h>

struct vigil_ring;

struct vigil_session {
	struct mutex lock;		/* serializes connecting */
	struct vigil_ring *ring;	/* fixed from open to close */
	bool connected;			/* hooks attached, events flow */
	struct path root;		/* the broker's root, while connected */
};

struct vigil_session *vigil_session_open(void);
void vigil_session_close(struct vigil_session *s);
int vigil_session_connect(struct vigil_session *s);
bool vigil_session_connected(struct vigil_session *s);

#endif /* _VIGIL_SESSION_H */
