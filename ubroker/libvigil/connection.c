// SPDX-License-Identifier: GPL-2.0
/*
 * libvigil's connection to the broker: connect and say hello, map the
 * ring the welcome brings, lose the broker and connect again with a
 * backoff, restoring the subscriptions and mutes.
 *
 * The broker is trusted to be the broker (the socket is root's to place),
 * not to be bug-free: the ring's memfd must be sealed against shrinking
 * and as large as announced, or mapping it could fault later.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "internal.h"

static int open_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -errno;
	strcpy(sa.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = errno == EAGAIN ? -ECONNREFUSED : -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Hello, and the welcome or the refusal: 0 with the welcome, or -errno. */
static int greet(struct vigil_client *c, struct vigil_msg_welcome *w)
{
	static __thread struct vigil_msg m;
	struct vigil_msg_hello h = {
		.version = VIGIL_PROTO_VERSION, .flags = VIGIL_HELLO_F_LANE,
	};
	uint32_t seq = ++c->seq;
	int err;

	strcpy(h.name, c->name);
	err = vigil_frame_send(c->sock, VIGIL_MSG_HELLO, seq, &h, sizeof(h), NULL, 0,
			       c->request_timeout_ms);
	/* A broker that refused us may have closed already: read why. */
	if (err && err != -EPIPE && err != -ECONNRESET)
		return err;
	err = vigil_frame_recv(&c->rd, c->sock, &m, c->request_timeout_ms);
	if (err == -ETIMEDOUT || err == -ECONNRESET || err == -EPROTONOSUPPORT)
		return err;	/* EPROTONOSUPPORT: frames of another version */
	if (err)
		return -EPROTO;
	if (m.type == VIGIL_MSG_RESULT) {
		/* Refused: not on the allowlist, too many clients, or the version. */
		err = ((const struct vigil_msg_result *)m.payload)->error;
		return err < 0 ? err : -EPROTO;
	}
	if (m.type != VIGIL_MSG_WELCOME || m.seq != seq)
		return -EPROTO;
	memcpy(w, m.payload, sizeof(*w));
	return 0;
}

/* The memfd must hold the whole ring and lane, and stay that size. */
static int ring_fd_ok(int fd, size_t len)
{
	struct stat st;
	int seals = fcntl(fd, F_GET_SEALS);

	return !fstat(fd, &st) && (size_t)st.st_size == len && seals >= 0 &&
	       (seals & F_SEAL_SHRINK);
}

static int map_ring(struct vigil_client *c, const struct vigil_msg_welcome *w)
{
	int fds[2] = { -1, -1 }, n = vigil_frame_take_fds(&c->rd, fds, 2);
	size_t len = vigil_cring_memfd_size(w->ring_size, 1);
	int err = 0;

	if (n != 2 || w->ring_size > (1ULL << 30) || !ring_fd_ok(fds[0], len)) {
		/* Descriptors sent but not received: this process has too many. */
		err = n != 2 && c->rd.truncated ? -EMFILE : -EPROTO;
		goto out;
	}
	c->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		err = -errno;
		goto out;
	}
	c->map_len = len;
	vigil_cring_init(&c->ring, c->map, w->ring_size);
	vigil_cring_init(&c->lane, (char *)c->map + vigil_cring_map_size(w->ring_size),
			 VIGIL_CRING_LANE_SIZE);
	c->evfd = fds[1];
	fds[1] = -1;
out:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	return err;
}

static int watch(struct vigil_client *c, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

/* Subscriptions and mutes as they were, on a new connection. */
static int restore(struct vigil_client *c)
{
	unsigned int i;
	int err = c->events ? req_subscribe(c, c->events) : 0;

	for (i = 0; !err && i < c->nr_mutes; i++) {
		err = req_mute(c, &c->mutes[i], 0);
		if (err == -EEXIST)
			err = 0;	/* what is wanted */
	}
	return err;
}

int conn_connect(struct vigil_client *c)
{
	struct vigil_msg_welcome w;
	int err;

	if (c->map) {		/* what a lost connection left: read already */
		munmap(c->map, c->map_len);
		c->map = NULL;
	}
	c->sock = open_socket(c->socket_path);
	if (c->sock < 0) {
		err = c->sock;
		c->sock = -1;
		return err;
	}
	vigil_frame_reader_reset(&c->rd);
	c->cut_reason = 0;
	c->abandoned_seq = 0;
	c->connecting = 1;
	err = greet(c, &w);
	if (!err)
		err = map_ring(c, &w);
	if (!err)
		err = watch(c, c->sock);
	if (!err)
		err = watch(c, c->evfd);
	if (!err) {
		c->welcome = w;
		c->conn++;
		err = restore(c);
	}
	c->connecting = 0;
	if (err)
		conn_close(c);
	return err;
}

/* Close the connection's descriptors; the ring stays mapped to be read. */
void conn_close(struct vigil_client *c)
{
	if (c->sock >= 0) {
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->sock, NULL);
		close(c->sock);
		c->sock = -1;
	}
	if (c->evfd >= 0) {
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->evfd, NULL);
		close(c->evfd);
		c->evfd = -1;
	}
	vigil_frame_reader_reset(&c->rd);
}

static void arm_timer(struct vigil_client *c, unsigned int ms)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 },
	};

	timerfd_settime(c->timerfd, 0, &its, NULL);
}

void conn_lost(struct vigil_client *c, uint32_t reason)
{
	int again;

	if (c->sock < 0)
		return;
	if (c->connecting) {
		conn_close(c);	/* conn_connect() fails: no notice, its backoff */
		return;
	}
	if (!reason)
		reason = req_last_words(c);	/* said so before it closed? */
	conn_close(c);
	again = !(c->flags & VIGIL_CLIENT_F_NO_RECONNECT) &&
		reason != VIGIL_CUT_OFF_PROTOCOL;
	client_queue_notice(c, VIGIL_NOTICE_DISCONNECTED, reason, 0, again, NULL);
	if (!again) {
		c->lost = reason == VIGIL_CUT_OFF_PROTOCOL ? -EPROTO : -ECONNRESET;
		return;
	}
	c->backoff_ms = RECONNECT_FIRST_MS;
	arm_timer(c, c->backoff_ms);
}

int conn_reconnect_due(struct vigil_client *c)
{
	int err;

	if (c->sock >= 0 || c->lost)
		return 0;
	err = conn_connect(c);
	if (err) {
		c->backoff_ms = c->backoff_ms * 2 > c->reconnect_max_ms ?
				c->reconnect_max_ms : c->backoff_ms * 2;
		arm_timer(c, c->backoff_ms);
		return err;
	}
	c->st.reconnects++;
	client_queue_notice(c, VIGIL_NOTICE_CONNECTED, 0, c->welcome.client_id, 0, NULL);
	return 0;
}

/* Records of the ring read between two looks at the lane. */
#define RING_BATCH	64

/*
 * Deliver up to @max records of @r; *@taken counts those consumed,
 * malformed ones included.  Return: the number delivered, or -EPROTO.
 */
static int drain(struct vigil_client *c, struct vigil_cring *r, unsigned int max,
		 unsigned int *taken)
{
	unsigned int n = 0;

	for (*taken = 0; *taken < max && c->map; (*taken)++) {
		struct vigil_message m;
		const void *rec;
		int64_t len = vigil_cring_peek(r, &rec);

		if (len < 0)
			return -EPROTO;
		if (len == 0)
			break;
		if (message_init(&m, c, rec, (uint32_t)len)) {
			c->st.malformed++;
		} else {
			c->st.messages++;
			n++;
			c->on_message(c, &m, c->ctx);
		}
		vigil_cring_consume(r);
	}
	return (int)n;
}

/*
 * The lane whole, then a batch of the ring, until both are empty or @max
 * records went out: an AUTH question waits for RING_BATCH records at most.
 */
int conn_drain_ring(struct vigil_client *c, unsigned int max)
{
	unsigned int n = 0, lane_taken, ring_taken;
	uint64_t count;
	int got;

	if (!c->map)
		return 0;
	if (c->evfd >= 0 && read(c->evfd, &count, sizeof(count)) < 0) {
		/* -EAGAIN: no wake-up pending; the rings are read anyway. */
	}
	do {
		got = drain(c, &c->lane, max - n, &lane_taken);
		if (got < 0)
			return got;
		n += (unsigned int)got;
		got = drain(c, &c->ring, max - n < RING_BATCH ? max - n : RING_BATCH,
			    &ring_taken);
		if (got < 0)
			return got;
		n += (unsigned int)got;
	} while (n < max && c->map && (lane_taken || ring_taken));
	return (int)n;
}
