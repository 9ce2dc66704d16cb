/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The broker session: the one open file of /dev/vigil, its ring, whether
 * the broker has connected (completed the handshake), what it subscribed
 * to, and its AUTH state: waiting requests, verdict cache, mutes, stats.
 */
#ifndef _VIGIL_SESSION_H
#define _VIGIL_SESSION_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/path.h>
#include <linux/types.h>
#include <linux/vigil.h>

#include "auth.h"
#include "heartbeat.h"
#include "limit.h"
#include "mute.h"
#include "pending.h"
#include "source.h"
#include "vcache.h"

struct file;
struct vigil_ring;

struct vigil_session {
	struct vigil_ring *ring;	/* fixed from open to close */
	struct vigil_ring *auth_ring;	/* the AUTH lane: likewise */
	bool auth_lane;			/* set at the handshake: 1.4 or later */
	struct file *file;		/* the session's file */
	struct pid *broker;		/* the opener: its events are muted */
	bool connected;			/* past the handshake (see shim.c) */
	struct path root;		/* the broker's root, while connected */
	u64 events;			/* VIGIL_EVENT_BIT()s subscribed */
	atomic_long_t activity;		/* ioctls made: signs of life */
	struct vigil_heartbeat heartbeat;
	struct vigil_pending pending;	/* AUTH events waiting */
	struct vigil_vcache cache;	/* cached verdicts */
	struct vigil_mute_set mutes;
	struct vigil_limits limits;	/* rate limits per event type */
	struct vigil_sources sources;	/* who records are charged to */
	struct vigil_auth_counters __percpu *stats; /* [VIGIL_AUTH_TYPES] */
};

/* Event types delivered after the handshake, as in ABI 1.0. */
#define VIGIL_DEFAULT_EVENTS	(VIGIL_EVENT_BIT(VIGIL_EVENT_FORK) |	\
				 VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC) |	\
				 VIGIL_EVENT_BIT(VIGIL_EVENT_EXIT))

/* The permission events, whose callers wait on the broker. */
#define VIGIL_AUTH_EVENTS	(VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC) | \
				 VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_OPEN))

/* The catalogue (ABI 1.3): hooks attached only while subscribed. */
#define VIGIL_CATALOGUE_EVENTS	(GENMASK_ULL(VIGIL_EVENT_FILE_TRUNCATE, VIGIL_EVENT_CRED))

/* Every event type a broker may subscribe to. */
#define VIGIL_KNOWN_EVENTS	(VIGIL_DEFAULT_EVENTS | VIGIL_AUTH_EVENTS | \
				 VIGIL_CATALOGUE_EVENTS)

/*
 * The ring a record of @type goes to: the AUTH lane's records to the lane,
 * for a broker that reads it; everything else to the ring.  auth_lane is
 * set before the session is published to the hooks (vigil_shim_connect()).
 */
static inline struct vigil_ring *vigil_session_ring(const struct vigil_session *s,
						    u32 type)
{
	if (s->auth_lane && type < 64 && (VIGIL_LANE_EVENTS & VIGIL_EVENT_BIT(type)))
		return s->auth_ring;
	return s->ring;
}

struct vigil_session *vigil_session_open(struct file *file);
void vigil_session_close(struct vigil_session *s);
int vigil_session_connect(struct vigil_session *s, bool auth_lane);
bool vigil_session_connected(struct vigil_session *s);

#endif /* _VIGIL_SESSION_H */
