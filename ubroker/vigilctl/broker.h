/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vigilctl and the broker: the status and the clients that vigild gives
 * root over its client socket (Documentation/broker-protocol.rst), and
 * printing them for people or as JSON.
 */
#ifndef VIGILCTL_BROKER_H
#define VIGILCTL_BROKER_H

#include <stdint.h>
#include <stdio.h>

#include "proto.h"

/* The socket: @given, else $VIGIL_SOCKET, else /run/vigil/vigild.sock. */
const char *vigilctl_socket_path(const char *given);

/*
 * Ask the broker at @path for its status.  Return: 0; -ENOENT (no socket
 * there: not running), -ECONNREFUSED (nobody listening), -EACCES (not on
 * its allowlist), -EPERM (not root), -ETIMEDOUT, -EPROTO, -ENAMETOOLONG.
 */
int vigilctl_broker_status(const char *path, struct vigil_msg_broker_status *st);

/*
 * The broker's connections, all of them, in *@out (to be freed) and their
 * number in *@n.  Return: 0, or an error as above, or -ENOMEM.
 */
int vigilctl_broker_clients(const char *path, struct vigil_msg_client_info **out,
			    uint32_t *n);

/* Why the broker could not be asked, for people. */
const char *vigilctl_broker_error(int err);

/* The broker's part of vigilctl status: lines, or a JSON object. */
void vigilctl_print_broker(FILE *out, const struct vigil_msg_broker_status *b,
			   int json);

/* vigilctl clients: a table, or a JSON object {"clients":[...]}. */
void vigilctl_print_clients(FILE *out, const struct vigil_msg_client_info *c,
			    uint32_t n, int json);

#endif /* VIGILCTL_BROKER_H */
