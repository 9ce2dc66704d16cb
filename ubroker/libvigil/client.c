// SPDX-License-Identifier: GPL-2.0
/*
 * libvigil's client: its options, the one descriptor to poll, and the
 * event loop that delivers messages and notices.  See <vigil/vigil.h>.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* Records delivered by one vigil_client_process() at most: others wait. */
#define DRAIN_MAX	4096

#define OPTS_SIZE_V1	(offsetof(struct vigil_client_opts, reconnect_max_ms) + \
			 sizeof(uint32_t))
#define INFO_SIZE_V1	(offsetof(struct vigil_client_info, events) + sizeof(uint64_t))

_Static_assert(VIGIL_NAME_MAX == VIGIL_CLIENT_NAME_MAX, "one name limit");
_Static_assert(VIGIL_REASON_MISSES == VIGIL_CUT_OFF_MISSES &&
	       VIGIL_REASON_STALLED == VIGIL_CUT_OFF_STALLED &&
	       VIGIL_REASON_PROTOCOL == VIGIL_CUT_OFF_PROTOCOL,
	       "the protocol's reasons, as the SDK names them");

uint64_t client_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void client_kick(struct vigil_client *c)
{
	uint64_t one = 1;

	/* Async-signal-safe: vigil_client_stop() may run in a handler. */
	if (write(c->kickfd, &one, sizeof(one)) < 0) {
		/* The counter is full: it is readable anyway. */
	}
}

void client_queue_notice(struct vigil_client *c, uint32_t kind, uint32_t reason,
			 uint32_t client_id, int reconnecting, const char *name)
{
	struct queued_notice *q;

	if (c->nr_notices == NOTICES_MAX) {
		c->st.notices_dropped++;
		return;
	}
	q = &c->notices[c->nr_notices++];
	memset(q, 0, sizeof(*q));
	q->n.kind = kind;
	q->n.reason = reason;
	q->n.client_id = client_id;
	q->n.reconnecting = reconnecting;
	if (name)
		strncpy(q->name, name, sizeof(q->name) - 1);
	client_kick(c);
}

void client_fill_out(void *dst, size_t size, const void *src, size_t known)
{
	size_t sz = size;

	memcpy(dst, src, size < known ? size : known);
	if (size > known)
		memset((unsigned char *)dst + known, 0, size - known);
	memcpy(dst, &sz, sizeof(sz));	/* sz stays the caller's */
}

/*
 * The caller's struct of @size bytes, of which this library knows @known:
 * 0; -EINVAL below @min; -E2BIG for non-zero bytes past @known.
 */
static int check_size(const void *s, size_t size, size_t min, size_t known)
{
	const unsigned char *p = s;
	size_t i;

	if (size < min)
		return -EINVAL;
	for (i = known; i < size; i++)
		if (p[i])
			return -E2BIG;
	return 0;
}

static int name_ok(const char *name)
{
	size_t i, n;

	if (!name)
		return 0;
	n = strlen(name);
	if (n == 0 || n >= VIGIL_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (name[i] < 0x20 || name[i] > 0x7e)
			return 0;
	return 1;
}

static int take_opts(struct vigil_client *c, const struct vigil_client_opts *in)
{
	struct vigil_client_opts o = { 0 };
	const char *path;
	int err;

	err = check_size(in, in->sz, OPTS_SIZE_V1, sizeof(o));
	if (err)
		return err;
	memcpy(&o, in, in->sz < sizeof(o) ? in->sz : sizeof(o));
	if (!o.on_message || !name_ok(o.name) || (o.flags & ~VIGIL_CLIENT_F_NO_RECONNECT))
		return -EINVAL;
	path = o.socket_path ? o.socket_path : getenv("VIGIL_SOCKET");
	if (!path || !path[0])
		path = VIGIL_SOCKET_PATH;
	if (strlen(path) >= sizeof(c->socket_path))
		return -ENAMETOOLONG;
	strcpy(c->socket_path, path);
	strcpy(c->name, o.name);
	c->on_message = o.on_message;
	c->on_notice = o.on_notice;
	c->ctx = o.ctx;
	c->flags = o.flags;
	c->request_timeout_ms = o.request_timeout_ms ? (int)o.request_timeout_ms :
						       DEFAULT_REQUEST_TIMEOUT_MS;
	if (c->request_timeout_ms < 0)
		c->request_timeout_ms = DEFAULT_REQUEST_TIMEOUT_MS;
	c->reconnect_max_ms = o.reconnect_max_ms ? o.reconnect_max_ms :
						   DEFAULT_RECONNECT_MAX_MS;
	return 0;
}

static int watch(struct vigil_client *c, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

/* The epoll set, with the reconnect timer and the kick in it. */
static int make_loop(struct vigil_client *c)
{
	int err;

	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	c->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	c->kickfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->epfd < 0 || c->timerfd < 0 || c->kickfd < 0)
		return -errno;
	err = watch(c, c->timerfd);
	return err ? err : watch(c, c->kickfd);
}

static void free_client(struct vigil_client *c)
{
	unsigned int i;

	conn_close(c);
	if (c->map)
		munmap(c->map, c->map_len);
	for (i = 0; i < c->nr_mutes; i++)
		free(c->mutes[i].path);
	if (c->epfd >= 0)
		close(c->epfd);
	if (c->timerfd >= 0)
		close(c->timerfd);
	if (c->kickfd >= 0)
		close(c->kickfd);
	free(c);
}

int vigil_client_open(const struct vigil_client_opts *opts,
		      struct vigil_client **client)
{
	struct vigil_client *c;
	int err;

	if (!opts || !client)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->epfd = c->timerfd = c->kickfd = c->sock = c->evfd = -1;
	vigil_frame_reader_init(&c->rd, VIGIL_FRAME_FDS_MAX);
	c->st.sz = sizeof(c->st);
	err = take_opts(c, opts);
	if (!err)
		err = make_loop(c);
	if (!err)
		err = conn_connect(c);
	if (err) {
		free_client(c);
		return err;
	}
	*client = c;
	return 0;
}

void vigil_client_close(struct vigil_client *c)
{
	if (c)
		free_client(c);
}

int vigil_client_fd(const struct vigil_client *c)
{
	return c ? c->epfd : -EINVAL;
}

static void drain_kick(struct vigil_client *c)
{
	uint64_t n;

	if (read(c->kickfd, &n, sizeof(n)) < 0) {
		/* -EAGAIN: no kick pending. */
	}
}

/* Deliver the notices queued, those queued by their callbacks too. */
static void deliver_notices(struct vigil_client *c)
{
	unsigned int i, rounds;

	for (rounds = 0; c->nr_notices && rounds < 4; rounds++) {
		struct queued_notice q[NOTICES_MAX];
		unsigned int n = c->nr_notices;

		memcpy(q, c->notices, n * sizeof(q[0]));
		c->nr_notices = 0;
		for (i = 0; i < n; i++) {
			q[i].n.name = q[i].name;
			if (c->on_notice)
				c->on_notice(c, &q[i].n, c->ctx);
		}
	}
	if (c->nr_notices)
		client_kick(c);
}

static int timer_due(struct vigil_client *c)
{
	uint64_t n;

	return read(c->timerfd, &n, sizeof(n)) == sizeof(n) && n;
}

int vigil_client_process(struct vigil_client *c)
{
	int delivered;

	if (!c)
		return -EINVAL;
	if (c->in_process)
		return -EBUSY;
	c->in_process = 1;
	drain_kick(c);
	if (c->sock >= 0)
		req_read_socket(c);
	delivered = conn_drain_ring(c, DRAIN_MAX);
	if (delivered < 0) {
		conn_lost(c, 0);	/* the broker's ring is broken */
		delivered = 0;
	} else if (delivered == DRAIN_MAX) {
		client_kick(c);		/* more next time */
	}
	/* A lost connection's ring, once read to the end. */
	if (c->sock < 0 && c->map && delivered < DRAIN_MAX) {
		munmap(c->map, c->map_len);
		c->map = NULL;
	}
	if (timer_due(c))
		conn_reconnect_due(c);
	deliver_notices(c);
	c->in_process = 0;
	return c->lost ? c->lost : delivered;
}

int vigil_client_poll(struct vigil_client *c, int timeout_ms)
{
	struct epoll_event ev[4];

	if (!c)
		return -EINVAL;
	/* Lost for good: nothing will ever make the descriptor readable. */
	if (!c->lost && epoll_wait(c->epfd, ev, 4, timeout_ms) < 0)
		return -errno;
	return vigil_client_process(c);
}

int vigil_client_run(struct vigil_client *c)
{
	if (!c)
		return -EINVAL;
	c->stopped = 0;
	while (!c->stopped) {
		int n = vigil_client_poll(c, -1);

		if (n < 0 && n != -EINTR)
			return n;
	}
	return 0;
}

void vigil_client_stop(struct vigil_client *c)
{
	if (c) {
		c->stopped = 1;
		client_kick(c);
	}
}

int vigil_client_info(const struct vigil_client *c, struct vigil_client_info *info)
{
	struct vigil_client_info out = { .sz = sizeof(out) };

	if (!c || !info || info->sz < INFO_SIZE_V1)
		return -EINVAL;
	out.connected = c->sock >= 0;
	out.client_id = c->welcome.client_id;
	out.deadline_ms = c->welcome.deadline_ms;
	out.ring_size = c->welcome.ring_size;
	out.abi_major = c->welcome.abi_major;
	out.abi_minor = c->welcome.abi_minor;
	out.events = c->events;
	client_fill_out(info, info->sz, &out, sizeof(out));
	return 0;
}

const char *vigil_event_name(uint32_t type)
{
	return vigil_event_type_name(type);
}

uint32_t vigil_event_from_name(const char *name)
{
	uint32_t t;

	for (t = 1; name && t < 64; t++)
		if (vigil_event_type_name(t) && !strcmp(vigil_event_type_name(t), name))
			return t;
	return 0;
}

const char *vigil_reason_name(uint32_t reason)
{
	switch (reason) {
	case VIGIL_REASON_MISSES:
		return "misses";
	case VIGIL_REASON_STALLED:
		return "stalled";
	case VIGIL_REASON_PROTOCOL:
		return "protocol";
	}
	return NULL;
}
