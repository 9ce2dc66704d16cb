// SPDX-License-Identifier: GPL-2.0
/* vigilctl asking vigild: see broker.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "broker.h"
#include "frame_io.h"

#define TIMEOUT_MS	3000
#define DEFAULT_SOCKET	"/run/vigil/vigild.sock"

const char *vigilctl_socket_path(const char *given)
{
	const char *env = getenv("VIGIL_SOCKET");

	if (given)
		return given;
	return env && env[0] ? env : DEFAULT_SOCKET;
}

const char *vigilctl_broker_error(int err)
{
	switch (err) {
	case -ENOENT:
		return "not running (no socket there)";
	case -ECONNREFUSED:
		return "not running (nobody listens on its socket)";
	case -EACCES:
		return "refused: not on its allowlist (run as root)";
	case -EPERM:
		return "refused: only root may ask (run as root)";
	case -ETIMEDOUT:
		return "no answer in time (is it hung?)";
	case -EPROTO:
		return "its answer broke the protocol (another version?)";
	}
	return strerror(-err);
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/*
 * One request and its reply of @type into @reply: 0, the error of the
 * result the broker sent instead, or -errno.
 */
static int ask(int fd, struct vigil_frame_reader *rd, uint16_t req, uint32_t seq,
	       const void *payload, size_t len, uint16_t type, struct vigil_msg *reply)
{
	int err = vigil_frame_send(fd, req, seq, payload, len, NULL, 0, TIMEOUT_MS);

	/* A refusal comes before the broker closes: read it even so. */
	if (err && err != -EPIPE && err != -ECONNRESET)
		return err;
	err = vigil_frame_recv(rd, fd, reply, TIMEOUT_MS);
	if (err)
		return err == -ETIMEDOUT || err == -ECONNRESET ? err : -EPROTO;
	if (reply->type == VIGIL_MSG_RESULT) {
		err = ((const struct vigil_msg_result *)reply->payload)->error;
		return err < 0 ? err : -EPROTO;
	}
	return reply->type == type && reply->seq == seq ? 0 : -EPROTO;
}

int vigilctl_broker_status(const char *path, struct vigil_msg_broker_status *st)
{
	static struct vigil_msg reply;
	struct vigil_frame_reader rd;
	int fd = connect_to(path), err;

	if (fd < 0)
		return fd;
	vigil_frame_reader_init(&rd, 0);
	err = ask(fd, &rd, VIGIL_MSG_BROKER_STATUS, 1, NULL, 0,
		  VIGIL_MSG_BROKER_STATUS_REPLY, &reply);
	if (!err)
		memcpy(st, reply.payload, sizeof(*st));
	close(fd);
	return err;
}

/* Add the page in @reply to *@out; 0 or -ENOMEM. */
static int take_page(const struct vigil_msg_clients *page,
		     struct vigil_msg_client_info **out, uint32_t *n)
{
	struct vigil_msg_client_info *grown;

	if (!page->count)
		return 0;
	grown = realloc(*out, (*n + page->count) * sizeof(**out));
	if (!grown)
		return -ENOMEM;
	memcpy(grown + *n, page->c, page->count * sizeof(page->c[0]));
	*out = grown;
	*n += page->count;
	return 0;
}

int vigilctl_broker_clients(const char *path, struct vigil_msg_client_info **out,
			    uint32_t *n)
{
	static struct vigil_msg reply;
	const struct vigil_msg_clients *page = (const void *)reply.payload;
	struct vigil_frame_reader rd;
	int fd = connect_to(path), err = 0;
	uint32_t seq = 0;

	*out = NULL;
	*n = 0;
	if (fd < 0)
		return fd;
	vigil_frame_reader_init(&rd, 0);
	/* Pages until the list is whole; it may change meanwhile: stop at an empty one. */
	do {
		struct vigil_msg_clients_req req = { .offset = *n };

		err = ask(fd, &rd, VIGIL_MSG_CLIENTS, ++seq, &req, sizeof(req),
			  VIGIL_MSG_CLIENTS_REPLY, &reply);
		if (!err)
			err = take_page(page, out, n);
	} while (!err && page->count && *n < page->total);
	close(fd);
	if (err) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return err;
}
