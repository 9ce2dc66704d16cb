/* SPDX-License-Identifier: GPL-2.0 */
/* The broker's side of a /dev/vigil session: open, handshake, map. */
#ifndef VIGILD_SHIM_H
#define VIGILD_SHIM_H

#include <stddef.h>
#include <linux/vigil.h>

#include "ring_reader.h"

struct vigil_shim {
	int fd;
	struct vigil_handshake hs;	/* the shim's answer */
	void *consumer_map;
	void *producer_map;
	size_t producer_len;
	const struct vigil_ring_producer *producer;
	struct vigil_ring_view ring;
};

/*
 * Open @path and complete the handshake as a client of ABI
 * @major.@minor, then map the ring.  Returns 0, or a negative errno with
 * a sentence for the user in @msg: -EPROTONOSUPPORT means the shim speaks
 * another major version.
 */
int vigil_shim_open(struct vigil_shim *shim, const char *path,
		    unsigned int major, unsigned int minor,
		    char *msg, size_t msglen);
void vigil_shim_close(struct vigil_shim *shim);

#endif /* VIGILD_SHIM_H */
