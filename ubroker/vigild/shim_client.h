/* SPDX-License-Identifier: GPL-2.0 */
/* The broker's side of a /dev/vigil session: open, handshake, map. */
#ifndef VIGILD_SHIM_CLIENT_H
#define VIGILD_SHIM_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vigil.h>

#include "ring_reader.h"

/* One of the shim's rings, as mapped. */
struct vigil_shim_ring {
	void *consumer_map;
	void *producer_map;
	size_t producer_len;
	const struct vigil_ring_producer *producer;
	struct vigil_ring_view view;	/* size 0 if the shim has no such ring */
};

struct vigil_shim {
	int fd;
	struct vigil_handshake hs;	/* the shim's answer */
	struct vigil_shim_ring main;	/* every record but the lane's */
	struct vigil_shim_ring lane;	/* the AUTH lane (shims of 1.4 on) */
};

/*
 * Open @path and complete the handshake as a client of ABI
 * @major.@minor, then map the ring, and the AUTH lane if the shim has
 * one.  Returns 0, or a negative errno with a sentence for the user in
 * @msg: -EPROTONOSUPPORT means the shim speaks another major version.
 */
int vigil_shim_open(struct vigil_shim *shim, const char *path,
		    unsigned int major, unsigned int minor,
		    char *msg, size_t msglen);

/*
 * Unsubscribe from every event, so that the close is not a watchdog
 * fault, then unmap and close.
 */
void vigil_shim_close(struct vigil_shim *shim);

/* Records read from the lane before the ring's, and between its batches. */
#define VIGIL_SHIM_BATCH	256

/*
 * Hand every committed record to @fn: the AUTH lane's first, then the
 * ring's in batches of VIGIL_SHIM_BATCH, calling @between (if not NULL)
 * after the lane was read and reading the lane again after each batch,
 * so that a permission event never waits behind more than one batch of
 * notifications.  Returns the records handed to @fn, or what
 * vigil_ring_consume() returns on an error.
 */
long vigil_shim_consume(struct vigil_shim *shim, vigil_record_fn fn,
			void (*between)(void *ctx), void *ctx);

/*
 * The counters of both rings, added up into @snap (its pos is the main
 * ring's): delivered + dropped == produced holds for the sums too.
 */
void vigil_shim_counters(const struct vigil_shim *shim,
			 struct vigil_ring_producer *snap);

/* The commands of a connected session; each returns 0 or -errno. */
int vigil_shim_subscribe(struct vigil_shim *shim, uint64_t events);
int vigil_shim_watch(struct vigil_shim *shim, const char *path, int remove);
int vigil_shim_mute(struct vigil_shim *shim, const struct vigil_mute *mute);
int vigil_shim_cache_flush(struct vigil_shim *shim);
int vigil_shim_auth_stats(struct vigil_shim *shim, uint32_t type,
			  struct vigil_auth_stats *out);
/*
 * Limit records of NOTIFY @type to @per_second (0: none); or with @get
 * only read the limit into *@per_second.  *@skipped: how many the limit
 * skipped so far.
 */
int vigil_shim_limit(struct vigil_shim *shim, uint32_t type, uint32_t *per_second,
		     int get, uint64_t *skipped);
/* Send @count verdicts; each entry's error says whether it applied. */
int vigil_shim_verdicts(struct vigil_shim *shim, struct vigil_verdict *v,
			uint32_t count, uint32_t *applied);

#endif /* VIGILD_SHIM_CLIENT_H */
