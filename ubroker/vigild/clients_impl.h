/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside vigild's clients: what clients.c (connections and requests) and
 * fanout.c (records to clients, AUTH events waiting for their answers)
 * share.  Not for the rest of vigild, which uses clients.h.
 */
#ifndef VIGILD_CLIENTS_IMPL_H
#define VIGILD_CLIENTS_IMPL_H

#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "client_ring.h"
#include "clients.h"
#include "frame_io.h"
#include "mutes.h"
#include "proto.h"
#include "verdict.h"

#define MAX_PENDING	VIGIL_VERDICT_BATCH_MAX	/* the shim's own bound */

/* One of a client's rings, as the broker fills it. */
struct client_ring {
	struct vigil_cring r;
	uint64_t full_since_ns;		/* full since, or 0 */
};

struct client {
	int fd;				/* -1: a free slot */
	uint32_t id;
	int ready;			/* said hello, got its ring */
	int root;			/* connected as uid 0 */
	uint32_t pid, uid;		/* SO_PEERCRED when it connected */
	uint64_t connected_ns;
	char name[VIGIL_CLIENT_NAME_MAX];
	uint64_t events;		/* subscribed to */
	struct vigil_frame_reader rd;
	void *map;			/* the memfd's map_len bytes */
	size_t map_len;
	struct client_ring ring;	/* every record but the lane's */
	struct client_ring lane;	/* with has_lane: AUTH and watchdog */
	int has_lane;			/* its hello said VIGIL_HELLO_F_LANE */
	int evfd;
	int woken;			/* records since the last wake-up */
	struct vigil_msg_stats st;
	struct mute_set mutes;
};

struct pending {
	uint64_t id;			/* the AUTH event's; 0: free */
	uint32_t gen;			/* tells stale deadlines apart */
	uint64_t kernel_deadline_ns;
	struct verdict_combo combo;
	int filling;			/* still asking: not to be decided yet */
	uint8_t *waiting;		/* per client slot: asked, no answer yet */
};

struct vigild_clients {
	int listen_fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct vigild_config cfg;
	uint32_t slots;			/* max_clients + VIGILD_ADMIN_SLOTS */
	struct allowlist allow;
	uint32_t abi_major, abi_minor;
	struct vigild_clients_ops ops;
	uint32_t next_id;
	struct client *c;		/* @slots of them */
	struct pending pending[MAX_PENDING];
	struct deadline_queue deadlines;
	uint64_t events;		/* the union of subscriptions */
	uint64_t refused;		/* connections refused */
	uint64_t cut_offs[4];		/* per VIGIL_CUT_OFF_* */
	uint64_t decided;		/* AUTH events the clients decided */
};

uint64_t clients_now_ns(void);

/* Cut @c off for @reason: tell it and the others, log it, drop it. */
void clients_cut_off(struct vigild_clients *cl, struct client *c, uint32_t reason);

/* Send @c a frame at once, or -EAGAIN: it is not reading. */
int clients_send(struct client *c, uint16_t type, uint32_t seq,
		 const void *payload, size_t len);

/* fanout.c: client @slot is gone; its waiting answers are missing. */
void fanout_client_gone(struct vigild_clients *cl, uint32_t slot);

/* fanout.c: take one answer from @c; 1 if it was awaited, 0 if not. */
int fanout_answer(struct vigild_clients *cl, struct client *c,
		  const struct vigil_msg_verdict *v);

/* fanout.c: deadlines that are due: the clients asked missed them. */
void fanout_expire(struct vigild_clients *cl, uint64_t now_ns);

#endif /* VIGILD_CLIENTS_IMPL_H */
