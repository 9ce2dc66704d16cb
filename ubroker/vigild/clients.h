/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vigild's vendor clients (Documentation/broker-protocol.rst): the unix
 * socket they connect to, checked against the allowlist; each client's
 * ring and AUTH lane (a sealed memfd) and wake-up eventfd; every record
 * copied to each client subscribed to its type; AUTH events waiting for
 * every client asked, up to each one's deadline; clients cut off when
 * they miss too many deadlines, stop reading, or break the protocol.  No
 * client can slow another, or the broker, by more than its own deadline.
 * root may also ask for the broker's status and its list of clients
 * (vigilctl).
 *
 * clients.c holds the connections and their requests; fanout.c the
 * records handed out and the AUTH events waiting for answers.
 */
#ifndef VIGILD_CLIENTS_H
#define VIGILD_CLIENTS_H

#include <poll.h>
#include <stdint.h>

#include "allowlist.h"
#include "config.h"
#include "deadline.h"
#include "event.h"
#include "proto.h"

struct vigild_clients;

/*
 * Connections root may make past max_clients, so that vigilctl can see a
 * broker whose clients took every slot.
 */
#define VIGILD_ADMIN_SLOTS	2

/* What the clients need from the rest of vigild. */
struct vigild_clients_ops {
	/* The event @id is decided: send the shim this verdict. */
	void (*verdict)(void *ctx, uint64_t id, uint32_t verdict, uint32_t flags);
	/*
	 * The union of the clients' subscriptions changed: subscribe the
	 * shim to it.  0, or the shim's error, which the client is told.
	 */
	int (*resubscribe)(void *ctx);
	/*
	 * vigilctl asked for the broker's status: fill in what the rest of
	 * vigild knows (the shim's counters, its own); the clients' part is
	 * filled in after.
	 */
	void (*status)(void *ctx, struct vigil_msg_broker_status *st);
	void *ctx;
};

/*
 * Listen on @path (a stale socket there is replaced), for up to
 * @cfg->max_clients clients whom @allow admits.  Call before the sandbox.
 * Return: the clients, or NULL with the reason in @err.
 */
struct vigild_clients *vigild_clients_new(const char *path,
					  const struct vigild_config *cfg,
					  const struct allowlist *allow,
					  uint32_t abi_major, uint32_t abi_minor,
					  const struct vigild_clients_ops *ops,
					  char *err, size_t errlen);
void vigild_clients_free(struct vigild_clients *cl);

/* The event types some client subscribed to. */
uint64_t vigild_clients_events(const struct vigild_clients *cl);

/* Pollfds needed at most: the socket and every slot. */
int vigild_clients_max_pollfds(const struct vigild_config *cfg);

/* Fill up to @max pollfds (the socket and each client); the count. */
int vigild_clients_pollfds(const struct vigild_clients *cl, struct pollfd *pfd,
			   int max);

/* After poll(): accept, read and answer requests, expire deadlines. */
void vigild_clients_poll(struct vigild_clients *cl, const struct pollfd *pfd,
			 int n);

/* The poll() timeout the clients' deadlines need: -1, or milliseconds. */
int vigild_clients_timeout_ms(const struct vigild_clients *cl);

/*
 * A record from the shim: copy it to every client subscribed to its type
 * and not muting it.  For an AUTH event with @decide, the clients asked
 * decide it (through ops->verdict, later); returns the number asked, 0 if
 * none (the caller decides then).  Without @decide the clients only see
 * it: vigild's own rules decided already.
 */
int vigild_clients_record(struct vigild_clients *cl, const void *rec,
			  uint32_t len, const struct vigil_event_view *v,
			  int decide);

/* After a batch of records: wake the clients that got some. */
void vigild_clients_wake(struct vigild_clients *cl);

#endif /* VIGILD_CLIENTS_H */
