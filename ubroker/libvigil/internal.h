/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside libvigil: the client, shared by
 *
 *   client.c      options, the pollable descriptor, the event loop
 *   connection.c  connecting, the welcome and the ring, losing the broker
 *                 and connecting again with the state restored
 *   requests.c    requests and their replies: subscribe, mute, stats,
 *                 respond; the broker's frames as they come
 *   message.c     records as messages: the accessors, copies
 *
 * Nothing here is exported (libvigil.map lists what is).
 */
#ifndef LIBVIGIL_INTERNAL_H
#define LIBVIGIL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

#include <vigil/vigil.h>

#include "client_ring.h"
#include "event.h"
#include "frame_io.h"
#include "proto.h"

#define DEFAULT_REQUEST_TIMEOUT_MS	2000
#define DEFAULT_RECONNECT_MAX_MS	5000
#define RECONNECT_FIRST_MS		100
#define NOTICES_MAX			16	/* queued between two process() */
#define MUTES_MAX			(3 * 32)	/* the broker's, of all kinds */

struct vigil_message {
	struct vigil_event_view v;
	const void *rec;
	uint32_t len;
	uint64_t conn;		/* the connection it came on */
	uint64_t deadline_ns;	/* AUTH: this client's, estimated */
	int responded;
	int copy;		/* heap copy: rec follows the struct */
};

/* A mute to restore after a reconnect. */
struct lib_mute {
	uint32_t kind;		/* VIGIL_MUTE_* */
	uint32_t tgid;
	uint64_t events;
	char *path;
};

struct queued_notice {
	struct vigil_notice n;
	char name[VIGIL_NAME_MAX];
};

struct vigil_client {
	/* What the caller asked for. */
	char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char name[VIGIL_NAME_MAX];
	vigil_message_fn on_message;
	vigil_notice_fn on_notice;
	void *ctx;
	uint32_t flags;
	int request_timeout_ms;
	unsigned int reconnect_max_ms;

	/* The pollable descriptor: an epoll set of the ones below. */
	int epfd;
	int timerfd;		/* the next reconnect attempt */
	int kickfd;		/* an eventfd: work is left for process() */

	/* The connection; sock is -1 while there is none. */
	int sock;
	int evfd;		/* the broker's: records were added */
	void *map;
	size_t map_len;
	struct vigil_cring ring;	/* every record but the lane's */
	struct vigil_cring lane;	/* AUTH and watchdog records: first */
	struct vigil_frame_reader rd;
	uint32_t seq;
	uint64_t conn;		/* connections made, this one's number */
	struct vigil_msg_welcome welcome;
	uint32_t cut_reason;	/* the broker said it cut us off */
	uint32_t abandoned_seq;	/* a request that timed out: not a verdict's */
	int connecting;		/* in conn_connect(): a loss is its failure */

	/* What is restored after a reconnect. */
	uint64_t events;
	struct lib_mute mutes[MUTES_MAX];
	unsigned int nr_mutes;

	/* The loop. */
	int lost;		/* -ECONNRESET or -EPROTO: no reconnecting */
	int stopped;
	int in_process;		/* in vigil_client_process(): no recursion */
	unsigned int backoff_ms;
	struct queued_notice notices[NOTICES_MAX];
	unsigned int nr_notices;
	struct vigil_client_stats st;	/* the library's counters */
};

/* client.c */
void client_queue_notice(struct vigil_client *c, uint32_t kind, uint32_t reason,
			 uint32_t client_id, int reconnecting, const char *name);
void client_kick(struct vigil_client *c);
uint64_t client_now_ns(void);
/* Copy @src (@known bytes) to the caller's @dst of @size: zeroes past it. */
void client_fill_out(void *dst, size_t size, const void *src, size_t known);

/* connection.c */
int conn_connect(struct vigil_client *c);
void conn_lost(struct vigil_client *c, uint32_t reason);
int conn_reconnect_due(struct vigil_client *c);
void conn_close(struct vigil_client *c);
/*
 * Deliver what the rings hold, the lane's first; the number delivered,
 * or -EPROTO.
 */
int conn_drain_ring(struct vigil_client *c, unsigned int max);

/* requests.c */
int req_wait(struct vigil_client *c, uint16_t type, uint32_t seq,
	     struct vigil_msg *reply);
int req_simple(struct vigil_client *c, uint16_t type, const void *payload,
	       size_t len);
int req_read_socket(struct vigil_client *c);
/* Before closing: read what is left; the reason the broker cut us off, or 0. */
uint32_t req_last_words(struct vigil_client *c);
int req_subscribe(struct vigil_client *c, uint64_t events);
int req_mute(struct vigil_client *c, const struct lib_mute *m, int remove);

/* message.c */
/* Decode a record as a message of @c's connection; 0 or -EBADMSG. */
int message_init(struct vigil_message *m, const struct vigil_client *c,
		 const void *rec, uint32_t len);

#endif /* LIBVIGIL_INTERNAL_H */
