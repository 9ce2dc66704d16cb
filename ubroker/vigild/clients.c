// SPDX-License-Identifier: GPL-2.0
/*
 * vigild's vendor clients, their connections and requests: see clients.h
 * and broker-protocol.rst.
 *
 * Everything here is non-blocking.  A client's replies are written at
 * once; one whose socket will not take a reply is not reading it, and is
 * cut off, as is one that has not said hello within stall_ms.  Requests
 * go through one table, which says which need a hello first and which
 * only root may make.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clients_impl.h"

uint64_t clients_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static const char *const cut_off_reasons[] = {
	[VIGIL_CUT_OFF_MISSES] = "missed its deadline too many times in a row",
	[VIGIL_CUT_OFF_STALLED] = "stopped reading",
	[VIGIL_CUT_OFF_PROTOCOL] = "broke the protocol",
};

int clients_send(struct client *c, uint16_t type, uint32_t seq,
		 const void *payload, size_t len)
{
	return vigil_frame_send(c->fd, type, seq, payload, len, NULL, 0, 0);
}

/*
 * Subscribe the shim to what the clients want now.  Return 0, or the
 * shim's error (the clients' union is left as it was).
 */
static int recompute_events(struct vigild_clients *cl)
{
	uint64_t events = 0, old = cl->events;
	uint32_t i;
	int err;

	for (i = 0; i < cl->slots; i++)
		if (cl->c[i].fd >= 0 && cl->c[i].ready)
			events |= cl->c[i].events;
	if (events == old)
		return 0;
	cl->events = events;
	err = cl->ops.resubscribe(cl->ops.ctx);
	if (err)
		cl->events = old;
	return err;
}

/* Drop client @c: its waiting answers are missing; free its slot. */
static void client_drop(struct vigild_clients *cl, struct client *c)
{
	fanout_client_gone(cl, (uint32_t)(c - cl->c));
	close(c->fd);
	vigil_frame_reader_reset(&c->rd);
	if (c->map)
		munmap(c->map, c->map_len);
	if (c->evfd >= 0)
		close(c->evfd);
	mute_set_clear(&c->mutes);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->evfd = -1;
	recompute_events(cl);
}

/* Tell every other client that @c was cut off, and why. */
static void tell_others(struct vigild_clients *cl, const struct client *c,
			uint32_t reason)
{
	struct vigil_msg_cut_off m = { .client_id = c->id, .reason = reason };
	uint32_t i;

	memcpy(m.name, c->name, sizeof(m.name));
	for (i = 0; i < cl->slots; i++) {
		struct client *o = &cl->c[i];

		if (o != c && o->fd >= 0 && o->ready &&
		    clients_send(o, VIGIL_MSG_CUT_OFF, 0, &m, sizeof(m)))
			clients_cut_off(cl, o, VIGIL_CUT_OFF_STALLED);
	}
}

void clients_cut_off(struct vigild_clients *cl, struct client *c, uint32_t reason)
{
	struct vigil_msg_cut_off m = { .client_id = c->id, .reason = reason };
	int was_ready = c->ready;

	if (c->fd < 0)
		return;
	cl->cut_offs[reason]++;
	if (!was_ready) {
		fprintf(stderr, "vigild: connection %u (uid %u) closed before its hello: it %s\n",
			c->id, c->uid, cut_off_reasons[reason]);
		client_drop(cl, c);
		return;
	}
	fprintf(stderr, "vigild: client %u (%s) cut off: it %s\n", c->id,
		c->name, cut_off_reasons[reason]);
	memcpy(m.name, c->name, sizeof(m.name));
	clients_send(c, VIGIL_MSG_CUT_OFF, 0, &m, sizeof(m));
	c->ready = 0;		/* no notices to it while telling the others */
	tell_others(cl, c, reason);
	client_drop(cl, c);
}

/* ---- requests ------------------------------------------------------------ */

static int reply(struct vigild_clients *cl, struct client *c, uint32_t seq,
		 int32_t error, uint32_t count)
{
	struct vigil_msg_result r = { .error = error, .count = count };

	if (clients_send(c, VIGIL_MSG_RESULT, seq, &r, sizeof(r))) {
		clients_cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
		return -1;
	}
	return 0;
}

/*
 * A sealed memfd for the ring, and the lane after it if @lane: the client
 * can neither shrink nor grow it.
 */
static int make_ring(struct vigild_clients *cl, struct client *c, int lane)
{
	uint64_t ring_size = cl->cfg.client_ring_size;
	size_t size = vigil_cring_memfd_size(ring_size, lane);
	int fd = memfd_create("vigil-client-ring", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL))
		goto err;
	c->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		goto err;
	}
	c->map_len = size;
	vigil_cring_init(&c->ring.r, c->map, ring_size);
	if (lane)
		vigil_cring_init(&c->lane.r, (char *)c->map + vigil_cring_map_size(ring_size),
				 VIGIL_CRING_LANE_SIZE);
	c->has_lane = lane;
	c->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->evfd < 0)
		goto err_unmap;
	return fd;
err_unmap:
	munmap(c->map, size);
	c->map = NULL;
err:
	close(fd);
	return -ENOMEM;
}

static int send_welcome(struct vigild_clients *cl, struct client *c,
			uint32_t seq, int memfd)
{
	struct vigil_msg_welcome w = {
		.client_id = c->id,
		.deadline_ms = cl->cfg.client_deadline_ms,
		.ring_size = cl->cfg.client_ring_size,
		.abi_major = cl->abi_major,
		.abi_minor = cl->abi_minor,
	};
	int fds[2] = { memfd, c->evfd };

	return vigil_frame_send(c->fd, VIGIL_MSG_WELCOME, seq, &w, sizeof(w),
				fds, 2, 0);
}

static uint32_t count_ready(const struct vigild_clients *cl)
{
	uint32_t i, n = 0;

	for (i = 0; i < cl->slots; i++)
		n += cl->c[i].fd >= 0 && cl->c[i].ready;
	return n;
}

static void on_hello(struct vigild_clients *cl, struct client *c,
		     const struct vigil_msg *m)
{
	const struct vigil_msg_hello *h = (const void *)m->payload;
	int memfd;

	if (c->ready) {
		reply(cl, c, m->seq, -EALREADY, 0);
		return;
	}
	if (h->version != VIGIL_PROTO_VERSION) {
		reply(cl, c, m->seq, -EPROTONOSUPPORT, 0);
		return;
	}
	/* The admin slots are for vigilctl, which says no hello. */
	if (count_ready(cl) >= cl->cfg.max_clients) {
		fprintf(stderr, "vigild: refused a hello (uid %u): max_clients (%u) said hello already\n",
			c->uid, cl->cfg.max_clients);
		reply(cl, c, m->seq, -EUSERS, 0);
		return;
	}
	memfd = make_ring(cl, c, !!(h->flags & VIGIL_HELLO_F_LANE));
	if (memfd < 0) {
		reply(cl, c, m->seq, memfd, 0);
		return;
	}
	memcpy(c->name, h->name, sizeof(c->name));
	if (send_welcome(cl, c, m->seq, memfd)) {
		close(memfd);
		clients_cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
		return;
	}
	close(memfd);
	c->ready = 1;
	fprintf(stderr, "vigild: client %u (%s) connected: pid %u, uid %u\n",
		c->id, c->name, c->pid, c->uid);
}

static void on_subscribe(struct vigild_clients *cl, struct client *c,
			 const struct vigil_msg *m)
{
	const struct vigil_msg_subscribe *s = (const void *)m->payload;
	uint64_t old = c->events;
	int err;

	c->events = s->events;
	/* The shim first: when the client hears back, its events flow. */
	err = recompute_events(cl);
	if (err)
		c->events = old;	/* refused: nothing changes */
	reply(cl, c, m->seq, err, 0);
}

static void on_respond(struct vigild_clients *cl, struct client *c,
		       const struct vigil_msg *m)
{
	const struct vigil_msg_respond *r = (const void *)m->payload;
	uint32_t i, taken = 0;

	for (i = 0; i < r->count; i++)
		taken += (uint32_t)fanout_answer(cl, c, &r->v[i]);
	reply(cl, c, m->seq, 0, taken);
}

static void on_mute(struct vigild_clients *cl, struct client *c,
		    const struct vigil_msg *m)
{
	const struct vigil_msg_mute *mu = (const void *)m->payload;
	const char *path = mu->path_len ? mu->path : NULL;
	int err;

	if (mu->flags & VIGIL_MUTE_F_REMOVE)
		err = mute_set_remove(&c->mutes, mu->kind, mu->tgid, path);
	else
		err = mute_set_add(&c->mutes, mu->kind, mu->tgid, path, mu->events);
	reply(cl, c, m->seq, err, 0);
}

static void on_stats(struct vigild_clients *cl, struct client *c,
		     const struct vigil_msg *m)
{
	if (clients_send(c, VIGIL_MSG_STATS_REPLY, m->seq, &c->st, sizeof(c->st)))
		clients_cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
}

static void on_broker_status(struct vigild_clients *cl, struct client *c,
			     const struct vigil_msg *m)
{
	struct vigil_msg_broker_status st;

	memset(&st, 0, sizeof(st));
	cl->ops.status(cl->ops.ctx, &st);
	st.clients = count_ready(cl);
	st.max_clients = cl->cfg.max_clients;
	st.refused = cl->refused;
	memcpy(st.cut_off, cl->cut_offs, sizeof(st.cut_off));
	st.auth_by_clients = cl->decided;
	if (clients_send(c, VIGIL_MSG_BROKER_STATUS_REPLY, m->seq, &st, sizeof(st)))
		clients_cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
}

static void client_info(const struct client *c, uint32_t deadline_ms,
			uint64_t now, struct vigil_msg_client_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->client_id = c->id;
	ci->pid = c->pid;
	ci->uid = c->uid;
	ci->flags = c->ready ? VIGIL_CLIENT_INFO_F_READY : 0;
	ci->events = c->events;
	ci->age_ns = now - c->connected_ns;
	ci->mutes = mute_set_count(&c->mutes);
	ci->deadline_ms = deadline_ms;
	if (c->ready)
		memcpy(ci->name, c->name, sizeof(ci->name));
	ci->st = c->st;
}

static void on_clients(struct vigild_clients *cl, struct client *c,
		       const struct vigil_msg *m)
{
	static union {
		struct vigil_msg_clients r;
		unsigned char bytes[sizeof(struct vigil_msg_clients) +
				    VIGIL_CLIENTS_PER_REPLY *
				    sizeof(struct vigil_msg_client_info)];
	} out;
	const struct vigil_msg_clients_req *req = (const void *)m->payload;
	uint64_t now = clients_now_ns();
	uint32_t i, index = 0;

	memset(&out, 0, sizeof(out));
	for (i = 0; i < cl->slots; i++) {
		const struct client *o = &cl->c[i];

		if (o->fd < 0 || o == c)	/* not the one asking */
			continue;
		if (index++ >= req->offset && out.r.count < VIGIL_CLIENTS_PER_REPLY)
			client_info(o, cl->cfg.client_deadline_ms, now,
				    &out.r.c[out.r.count++]);
	}
	out.r.total = index;
	if (clients_send(c, VIGIL_MSG_CLIENTS_REPLY, m->seq, &out,
			 sizeof(out.r) + out.r.count * sizeof(out.r.c[0])))
		clients_cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
}

typedef void (*request_fn)(struct vigild_clients *, struct client *,
			   const struct vigil_msg *);

#define NEEDS_HELLO	(1U << 0)	/* ENOTCONN before hello */
#define ROOT_ONLY	(1U << 1)	/* EPERM for anyone but uid 0 */

/* What a client may ask, by message type, and under which conditions. */
static const struct {
	request_fn fn;
	unsigned int rules;
} requests[] = {
	[VIGIL_MSG_HELLO] = { on_hello, 0 },
	[VIGIL_MSG_SUBSCRIBE] = { on_subscribe, NEEDS_HELLO },
	[VIGIL_MSG_RESPOND] = { on_respond, NEEDS_HELLO },
	[VIGIL_MSG_MUTE] = { on_mute, NEEDS_HELLO },
	[VIGIL_MSG_STATS] = { on_stats, NEEDS_HELLO },
	[VIGIL_MSG_BROKER_STATUS] = { on_broker_status, ROOT_ONLY },
	[VIGIL_MSG_CLIENTS] = { on_clients, ROOT_ONLY },
};

static void dispatch(struct vigild_clients *cl, struct client *c,
		     const struct vigil_msg *m, int err)
{
	unsigned int rules;

	if (err == -EOPNOTSUPP || (!err && !vigil_msg_is_request(m->type))) {
		reply(cl, c, m->seq, -EOPNOTSUPP, 0);
		return;
	}
	if (err) {
		/* A frame whose fields are wrong: the rest is still framed. */
		reply(cl, c, m->seq, err, 0);
		return;
	}
	rules = requests[m->type].rules;
	if ((rules & ROOT_ONLY) && !c->root) {
		reply(cl, c, m->seq, -EPERM, 0);
		return;
	}
	if ((rules & NEEDS_HELLO) && !c->ready) {
		reply(cl, c, m->seq, -ENOTCONN, 0);
		return;
	}
	requests[m->type].fn(cl, c, m);
}

/* Read what the client sent and act on each whole frame in it. */
static void client_readable(struct vigild_clients *cl, struct client *c)
{
	static struct vigil_msg m;	/* 8 KiB; vigild is single-threaded */
	ssize_t n = vigil_frame_reader_fill(&c->rd, c->fd);

	/* Descriptors are the broker's to pass, never a client's. */
	if (c->rd.refused_fds) {
		clients_cut_off(cl, c, VIGIL_CUT_OFF_PROTOCOL);
		return;
	}
	if (n == 0 || (n < 0 && n != -EAGAIN)) {
		if (c->ready)
			fprintf(stderr, "vigild: client %u (%s) left\n", c->id, c->name);
		client_drop(cl, c);
		return;
	}
	while (c->fd >= 0) {
		int err, got = vigil_frame_next(&c->rd, &m, &err);

		if (got < 0) {
			clients_cut_off(cl, c, VIGIL_CUT_OFF_PROTOCOL);
			return;
		}
		if (!got)
			return;
		dispatch(cl, c, &m, err);
	}
}

/* Close connections that have not said hello within stall_ms. */
static void expire_silent(struct vigild_clients *cl, uint64_t now)
{
	uint64_t limit = (uint64_t)cl->cfg.stall_ms * 1000000ULL;
	uint32_t i;

	for (i = 0; i < cl->slots; i++) {
		struct client *c = &cl->c[i];

		if (c->fd < 0 || c->ready || now - c->connected_ns < limit)
			continue;
		fprintf(stderr, "vigild: connection %u (uid %u) closed: no hello within %u ms\n",
			c->id, c->uid, cl->cfg.stall_ms);
		cl->cut_offs[VIGIL_CUT_OFF_STALLED]++;
		client_drop(cl, c);
	}
}

/* ---- the socket ---------------------------------------------------------- */

static int peer_allowed(const struct vigild_clients *cl, int fd,
			struct ucred *cred)
{
	gid_t groups[64];
	socklen_t len = sizeof(*cred);
	size_t ngroups;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cred, &len))
		return 0;
	len = sizeof(groups);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len))
		len = 0;
	ngroups = len / sizeof(gid_t);
	if (ngroups < 64)
		groups[ngroups++] = cred->gid;
	return allowlist_allows(&cl->allow, cred->uid, groups, ngroups);
}

/*
 * A free slot for a peer, or NULL: max_clients connections, and root two
 * more (which cannot say hello past max_clients: see on_hello()).
 */
static struct client *free_slot(struct vigild_clients *cl, uid_t uid)
{
	struct client *slot = NULL;
	uint32_t i, used = 0;

	for (i = 0; i < cl->slots; i++) {
		if (cl->c[i].fd >= 0)
			used++;
		else if (!slot)
			slot = &cl->c[i];
	}
	if (uid != 0 && used >= cl->cfg.max_clients)
		return NULL;
	return slot;
}

/* Say why, then close: the peer learns it from a result with seq 0. */
static void refuse(struct vigild_clients *cl, int fd, int32_t error)
{
	struct vigil_msg_result r = { .error = error };

	vigil_frame_send(fd, VIGIL_MSG_RESULT, 0, &r, sizeof(r), NULL, 0, 0);
	close(fd);
	cl->refused++;
}

static void accept_client(struct vigild_clients *cl)
{
	int fd = accept4(cl->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct ucred cred = { .pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1 };
	struct client *c;

	if (fd < 0)
		return;
	if (!peer_allowed(cl, fd, &cred)) {
		fprintf(stderr, "vigild: refused a client: uid %d is not on the allowlist\n",
			(int)cred.uid);
		refuse(cl, fd, -EACCES);
		return;
	}
	c = free_slot(cl, cred.uid);
	if (!c) {
		fprintf(stderr, "vigild: refused a client (uid %d): no free slot (max_clients %u)\n",
			(int)cred.uid, cl->cfg.max_clients);
		refuse(cl, fd, -EUSERS);
		return;
	}
	c->fd = fd;
	c->id = ++cl->next_id;
	c->pid = (uint32_t)cred.pid;
	c->uid = (uint32_t)cred.uid;
	c->root = cred.uid == 0;
	c->connected_ns = clients_now_ns();
	vigil_frame_reader_init(&c->rd, 0);	/* clients pass no fds */
}

static int listen_on(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	/* A socket left by a broker that died; never anything else. */
	if (!lstat(path, &st) && S_ISSOCK(st.st_mode))
		unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(path, 0666) || listen(fd, 16)) {
		snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

struct vigild_clients *vigild_clients_new(const char *path,
					  const struct vigild_config *cfg,
					  const struct allowlist *allow,
					  uint32_t abi_major, uint32_t abi_minor,
					  const struct vigild_clients_ops *ops,
					  char *err, size_t errlen)
{
	struct vigild_clients *cl = calloc(1, sizeof(*cl));
	uint32_t i;

	if (!cl)
		goto err_nomem;
	cl->listen_fd = -1;
	cl->cfg = *cfg;
	cl->slots = cfg->max_clients + VIGILD_ADMIN_SLOTS;
	cl->allow = *allow;
	cl->abi_major = abi_major;
	cl->abi_minor = abi_minor;
	cl->ops = *ops;
	cl->c = calloc(cl->slots, sizeof(*cl->c));
	if (!cl->c || deadline_queue_init(&cl->deadlines,
					  (size_t)MAX_PENDING * cl->slots))
		goto err_nomem;
	for (i = 0; i < cl->slots; i++)
		cl->c[i].fd = cl->c[i].evfd = -1;
	for (i = 0; i < MAX_PENDING; i++) {
		cl->pending[i].waiting = calloc(cl->slots, 1);
		if (!cl->pending[i].waiting)
			goto err_nomem;
	}
	cl->listen_fd = listen_on(path, err, errlen);
	if (cl->listen_fd < 0) {
		vigild_clients_free(cl);
		return NULL;
	}
	strcpy(cl->path, path);
	return cl;

err_nomem:
	snprintf(err, errlen, "out of memory for clients");
	vigild_clients_free(cl);
	return NULL;
}

void vigild_clients_free(struct vigild_clients *cl)
{
	uint32_t i;

	if (!cl)
		return;
	for (i = 0; cl->c && i < cl->slots; i++)
		if (cl->c[i].fd >= 0)
			client_drop(cl, &cl->c[i]);
	for (i = 0; i < MAX_PENDING; i++)
		free(cl->pending[i].waiting);
	if (cl->listen_fd >= 0)
		close(cl->listen_fd);
	deadline_queue_free(&cl->deadlines);
	free(cl->c);
	free(cl);
}

uint64_t vigild_clients_events(const struct vigild_clients *cl)
{
	return cl ? cl->events : 0;
}

int vigild_clients_max_pollfds(const struct vigild_config *cfg)
{
	return 1 + (int)cfg->max_clients + VIGILD_ADMIN_SLOTS;
}

int vigild_clients_pollfds(const struct vigild_clients *cl, struct pollfd *pfd,
			   int max)
{
	uint32_t i;
	int n = 0;

	if (!cl || max < 1)
		return 0;
	pfd[n++] = (struct pollfd){ .fd = cl->listen_fd, .events = POLLIN };
	for (i = 0; i < cl->slots && n < max; i++)
		if (cl->c[i].fd >= 0)
			pfd[n++] = (struct pollfd){ .fd = cl->c[i].fd, .events = POLLIN };
	return n;
}

static struct client *client_of_fd(struct vigild_clients *cl, int fd)
{
	uint32_t i;

	for (i = 0; i < cl->slots; i++)
		if (cl->c[i].fd == fd)
			return &cl->c[i];
	return NULL;
}

void vigild_clients_poll(struct vigild_clients *cl, const struct pollfd *pfd,
			 int n)
{
	uint64_t now;
	int i;

	if (!cl)
		return;
	for (i = 1; i < n; i++) {
		struct client *c = client_of_fd(cl, pfd[i].fd);

		if (c && pfd[i].revents)
			client_readable(cl, c);
	}
	if (n && (pfd[0].revents & POLLIN))
		accept_client(cl);
	now = clients_now_ns();
	fanout_expire(cl, now);
	expire_silent(cl, now);
}

int vigild_clients_timeout_ms(const struct vigild_clients *cl)
{
	uint64_t now, limit;
	int ms;
	uint32_t i;

	if (!cl)
		return -1;
	now = clients_now_ns();
	limit = (uint64_t)cl->cfg.stall_ms * 1000000ULL;
	ms = deadline_timeout_ms(&cl->deadlines, now);
	for (i = 0; i < cl->slots; i++) {
		const struct client *c = &cl->c[i];
		uint64_t left;
		int left_ms;

		if (c->fd < 0 || c->ready)
			continue;
		left = c->connected_ns + limit > now ? c->connected_ns + limit - now : 0;
		left_ms = (int)((left + 999999) / 1000000);
		if (ms < 0 || left_ms < ms)
			ms = left_ms;
	}
	return ms;
}
