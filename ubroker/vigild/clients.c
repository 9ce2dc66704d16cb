// SPDX-License-Identifier: GPL-2.0
/*
 * vigild's vendor clients: see clients.h and broker-protocol.rst.
 *
 * Everything here is non-blocking.  A client's replies are written at
 * once; one whose socket will not take a reply is not reading it, and is
 * cut off.  Its records go into its own ring; one whose ring stays full
 * for stall_ms is cut off.  An AUTH event waits for each client asked
 * until that client's deadline (a heap of deadlines gives poll() its
 * timeout); a client cut off or gone counts as a missing answer at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "client_ring.h"
#include "clients.h"
#include "proto.h"
#include "rules.h"
#include "verdict.h"

#define MAX_MUTES	32		/* of each kind, per client */
#define MAX_PENDING	VIGIL_VERDICT_BATCH_MAX	/* the shim's own bound */

struct client {
	int fd;				/* -1: a free slot */
	uint32_t id;
	int ready;			/* said hello, got its ring */
	char name[VIGIL_CLIENT_NAME_MAX];
	uint64_t events;		/* subscribed to */
	unsigned char in[VIGIL_FRAME_MAX];
	size_t in_len;
	void *map;
	struct vigil_cring ring;
	int evfd;
	int woken;			/* records since the last wake-up */
	uint64_t full_since_ns;		/* its ring has been full since, or 0 */
	struct vigil_msg_stats st;
	uint32_t mute_tgid[MAX_MUTES];
	unsigned int nr_mute_tgid;
	char *mute_path[MAX_MUTES];	/* prefixes */
	unsigned int nr_mute_path;
	char *mute_exe[MAX_MUTES];	/* executables, by path */
	unsigned int nr_mute_exe;
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
	struct allowlist allow;
	uint32_t abi_major, abi_minor;
	struct vigild_clients_ops ops;
	uint32_t next_id;
	struct client *c;		/* cfg.max_clients slots */
	struct pending pending[MAX_PENDING];
	struct deadline_queue deadlines;
	uint64_t events;		/* the union of subscriptions */
};

static uint64_t now_ns(void)
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

/* ---- sending ---------------------------------------------------------- */

/* Send a frame at once, or say the client is not reading: -EAGAIN. */
static int send_frame(struct client *c, uint16_t type, uint32_t seq,
		      const void *payload, size_t len)
{
	unsigned char buf[VIGIL_FRAME_MAX];
	ssize_t n = vigil_frame_build(buf, sizeof(buf), type, seq, payload, len);

	if (n < 0)
		return (int)n;
	if (send(c->fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) != n)
		return -EAGAIN;
	return 0;
}

static void recompute_events(struct vigild_clients *cl)
{
	uint64_t events = 0;
	uint32_t i;

	for (i = 0; i < cl->cfg.max_clients; i++)
		if (cl->c[i].fd >= 0 && cl->c[i].ready)
			events |= cl->c[i].events;
	if (events != cl->events) {
		cl->events = events;
		cl->ops.resubscribe(cl->ops.ctx);
	}
}

/* ---- AUTH events waiting for clients ------------------------------------- */

static void pending_decide(struct vigild_clients *cl, struct pending *p)
{
	struct verdict_final f = verdict_combo_result(&p->combo,
						      cl->cfg.missing_verdict);

	cl->ops.verdict(cl->ops.ctx, p->id, f.verdict, f.flags);
	memset(p->waiting, 0, cl->cfg.max_clients);
	p->id = 0;
}

/* Client @slot will not answer @p: it missed, left, or was cut off. */
static void pending_miss(struct vigild_clients *cl, struct pending *p,
			 uint32_t slot)
{
	p->waiting[slot] = 0;
	verdict_combo_miss(&p->combo);
	if (!p->filling && verdict_combo_done(&p->combo))
		pending_decide(cl, p);
}

static struct pending *pending_find(struct vigild_clients *cl, uint64_t id)
{
	unsigned int i;

	for (i = 0; id && i < MAX_PENDING; i++)
		if (cl->pending[i].id == id)
			return &cl->pending[i];
	return NULL;
}

static void cut_off(struct vigild_clients *cl, struct client *c, uint32_t reason);

/* Drop client @c: its waiting answers are missing; free its slot. */
static void client_drop(struct vigild_clients *cl, struct client *c)
{
	uint32_t slot = (uint32_t)(c - cl->c);
	unsigned int i;

	for (i = 0; i < MAX_PENDING; i++)
		if (cl->pending[i].id && cl->pending[i].waiting[slot])
			pending_miss(cl, &cl->pending[i], slot);
	close(c->fd);
	if (c->map)
		munmap(c->map, vigil_cring_map_size(cl->cfg.client_ring_size));
	if (c->evfd >= 0)
		close(c->evfd);
	for (i = 0; i < c->nr_mute_path; i++)
		free(c->mute_path[i]);
	for (i = 0; i < c->nr_mute_exe; i++)
		free(c->mute_exe[i]);
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
	for (i = 0; i < cl->cfg.max_clients; i++) {
		struct client *o = &cl->c[i];

		if (o != c && o->fd >= 0 && o->ready &&
		    send_frame(o, VIGIL_MSG_CUT_OFF, 0, &m, sizeof(m)))
			cut_off(cl, o, VIGIL_CUT_OFF_STALLED);
	}
}

static void cut_off(struct vigild_clients *cl, struct client *c, uint32_t reason)
{
	struct vigil_msg_cut_off m = { .client_id = c->id, .reason = reason };
	int was_ready = c->ready;

	if (c->fd < 0)
		return;
	if (!c->name[0])
		strcpy(c->name, "unnamed");	/* cut off before its hello */
	fprintf(stderr, "vigild: client %u (%s) cut off: it %s\n", c->id,
		c->name, cut_off_reasons[reason]);
	memcpy(m.name, c->name, sizeof(m.name));
	if (was_ready)
		send_frame(c, VIGIL_MSG_CUT_OFF, 0, &m, sizeof(m));
	c->ready = 0;		/* no notices to it while telling the others */
	if (was_ready)
		tell_others(cl, c, reason);
	client_drop(cl, c);
}

/* A deadline is due: the client it was for missed the event. */
static void deadline_due(struct vigild_clients *cl, const struct deadline *d)
{
	uint32_t slot = (uint32_t)(d->key & 0xffff);
	uint32_t idx = (uint32_t)((d->key >> 16) & 0xffff);
	struct pending *p = &cl->pending[idx];
	struct client *c = &cl->c[slot];

	if (!p->id || p->gen != (uint32_t)(d->key >> 32) || !p->waiting[slot])
		return;		/* answered, or another event's by now */
	c->st.auth_missed++;
	c->st.misses_in_row++;
	pending_miss(cl, p, slot);
	if (c->st.misses_in_row >= cl->cfg.cut_off_misses)
		cut_off(cl, c, VIGIL_CUT_OFF_MISSES);
}

static void expire(struct vigild_clients *cl)
{
	uint64_t now = now_ns();
	struct deadline d;

	while (deadline_pop_due(&cl->deadlines, now, &d))
		deadline_due(cl, &d);
}

/* ---- records ------------------------------------------------------------- */

static uint32_t event_tgid(const struct vigil_event_view *v)
{
	switch (v->type) {
	case VIGIL_EVENT_FORK:
		return v->fixed.fork.parent.tgid;
	case VIGIL_EVENT_EXEC:
		return v->fixed.exec.proc.tgid;
	case VIGIL_EVENT_EXIT:
		return v->fixed.exit.proc.tgid;
	case VIGIL_EVENT_AUTH_EXEC:
		return v->fixed.auth_exec.proc.tgid;
	case VIGIL_EVENT_AUTH_OPEN:
		return v->fixed.auth_open.proc.tgid;
	}
	return 0;
}

static int muted(const struct client *c, const struct vigil_event_view *v)
{
	const char *path = v->type == VIGIL_EVENT_AUTH_OPEN ? v->path.data : v->exe.data;
	uint32_t tgid = event_tgid(v);
	unsigned int i;

	for (i = 0; i < c->nr_mute_tgid; i++)
		if (tgid && c->mute_tgid[i] == tgid)
			return 1;
	for (i = 0; path && i < c->nr_mute_path; i++)
		if (vigild_path_under(path, c->mute_path[i]))
			return 1;
	for (i = 0; v->exe.data && i < c->nr_mute_exe; i++)
		if (!strcmp(v->exe.data, c->mute_exe[i]))
			return 1;
	return 0;
}

/* Put a record in @c's ring; 0, or -ENOSPC if it did not fit. */
static int deliver(struct vigild_clients *cl, struct client *c,
		   const void *rec, uint32_t len)
{
	int err = vigil_cring_push(&c->ring, rec, len);

	if (err == -EPROTO) {
		cut_off(cl, c, VIGIL_CUT_OFF_PROTOCOL);
		return err;
	}
	if (err) {
		uint64_t now = now_ns();

		c->st.dropped++;
		if (!c->full_since_ns)
			c->full_since_ns = now;
		else if (now - c->full_since_ns >= (uint64_t)cl->cfg.stall_ms * 1000000ULL)
			cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
		return err;
	}
	c->full_since_ns = 0;
	c->st.events++;
	c->woken = 1;
	return 0;
}

static struct pending *pending_new(struct vigild_clients *cl,
				   const struct vigil_auth *auth)
{
	unsigned int i;

	for (i = 0; i < MAX_PENDING; i++) {
		struct pending *p = &cl->pending[i];

		if (!p->id) {
			p->id = auth->id;
			p->gen++;
			p->kernel_deadline_ns = auth->deadline_ns;
			verdict_combo_init(&p->combo, 0);
			p->filling = 1;
			return p;
		}
	}
	return NULL;
}

/* Ask @c about @p: its deadline goes on the heap. */
static int ask(struct vigild_clients *cl, struct pending *p, uint32_t slot)
{
	uint64_t when = verdict_client_deadline(now_ns(), p->kernel_deadline_ns,
						cl->cfg.client_deadline_ms);
	uint64_t key = ((uint64_t)p->gen << 32) |
		       ((uint64_t)(p - cl->pending) << 16) | slot;

	if (deadline_push(&cl->deadlines, when, key))
		return -ENOSPC;
	p->waiting[slot] = 1;
	p->combo.asked++;
	cl->c[slot].st.auth_asked++;
	return 0;
}

int vigild_clients_record(struct vigild_clients *cl, const void *rec,
			  uint32_t len, const struct vigil_event_view *v, int decide)
{
	const struct vigil_auth *auth = decide ? vigil_event_auth(v) : NULL;
	struct pending *p = auth ? pending_new(cl, auth) : NULL;
	uint32_t i;
	int asked;

	for (i = 0; i < cl->cfg.max_clients; i++) {
		struct client *c = &cl->c[i];

		if (c->fd < 0 || !c->ready || v->type >= 64 ||
		    !(c->events & VIGIL_EVENT_BIT(v->type)) || muted(c, v))
			continue;
		if (deliver(cl, c, rec, len))
			continue;	/* dropped, or cut off: not asked */
		if (p && ask(cl, p, i))
			c->st.auth_missed++;	/* no room to wait: missing */
	}
	if (!p)
		return 0;
	/*
	 * Clients cut off while it was being handed out (a notice that did
	 * not fit) already count as missing: decide now if nobody is left.
	 */
	p->filling = 0;
	asked = (int)p->combo.asked;
	if (!asked)
		p->id = 0;
	else if (verdict_combo_done(&p->combo))
		pending_decide(cl, p);
	return asked;
}

void vigild_clients_wake(struct vigild_clients *cl)
{
	uint64_t one = 1;
	uint32_t i;

	for (i = 0; i < cl->cfg.max_clients; i++) {
		struct client *c = &cl->c[i];

		if (c->fd >= 0 && c->woken) {
			c->woken = 0;
			if (write(c->evfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
				cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
		}
	}
}

/* ---- requests ------------------------------------------------------------ */

static int reply(struct vigild_clients *cl, struct client *c, uint32_t seq,
		 int32_t error, uint32_t count)
{
	struct vigil_msg_result r = { .error = error, .count = count };

	if (send_frame(c, VIGIL_MSG_RESULT, seq, &r, sizeof(r))) {
		cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
		return -1;
	}
	return 0;
}

/* A sealed memfd for the ring: the client can neither shrink nor grow it. */
static int make_ring(struct vigild_clients *cl, struct client *c)
{
	size_t size = vigil_cring_map_size(cl->cfg.client_ring_size);
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
	vigil_cring_init(&c->ring, c->map, cl->cfg.client_ring_size);
	c->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->evfd < 0)
		goto err;
	return fd;
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
	unsigned char buf[sizeof(struct vigil_frame_hdr) + sizeof(w)];
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	int fds[2] = { memfd, c->evfd };

	vigil_frame_build(buf, sizeof(buf), VIGIL_MSG_WELCOME, seq, &w, sizeof(w));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	return sendmsg(c->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof(buf) ?
	       0 : -EAGAIN;
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
	memcpy(c->name, h->name, sizeof(c->name));
	memfd = make_ring(cl, c);
	if (memfd < 0) {
		reply(cl, c, m->seq, memfd, 0);
		return;
	}
	if (send_welcome(cl, c, m->seq, memfd)) {
		close(memfd);
		cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
		return;
	}
	close(memfd);
	c->ready = 1;
	fprintf(stderr, "vigild: client %u (%s) connected\n", c->id, c->name);
}

static void on_subscribe(struct vigild_clients *cl, struct client *c,
			 const struct vigil_msg *m)
{
	const struct vigil_msg_subscribe *s = (const void *)m->payload;

	c->events = s->events;
	if (reply(cl, c, m->seq, 0, 0) == 0)
		recompute_events(cl);
}

/* Take one answer: 1 if it was awaited, 0 if late or unknown. */
static int take_answer(struct vigild_clients *cl, struct client *c,
		       const struct vigil_msg_verdict *v)
{
	uint32_t slot = (uint32_t)(c - cl->c);
	struct pending *p = pending_find(cl, v->id);

	if (!p || !p->waiting[slot]) {
		c->st.auth_late++;
		return 0;
	}
	p->waiting[slot] = 0;
	c->st.auth_answered++;
	c->st.misses_in_row = 0;
	verdict_combo_answer(&p->combo, v->verdict, v->flags);
	if (verdict_combo_done(&p->combo))
		pending_decide(cl, p);
	return 1;
}

static void on_respond(struct vigild_clients *cl, struct client *c,
		       const struct vigil_msg *m)
{
	const struct vigil_msg_respond *r = (const void *)m->payload;
	uint32_t i, taken = 0;

	for (i = 0; i < r->count; i++)
		taken += (uint32_t)take_answer(cl, c, &r->v[i]);
	reply(cl, c, m->seq, 0, taken);
}

static int mute_add(char **list, unsigned int *nr, const char *path)
{
	unsigned int i;

	for (i = 0; i < *nr; i++)
		if (!strcmp(list[i], path))
			return -EEXIST;
	if (*nr == MAX_MUTES)
		return -ENOSPC;
	list[*nr] = strdup(path);
	if (!list[*nr])
		return -ENOMEM;
	(*nr)++;
	return 0;
}

static int mute_remove(char **list, unsigned int *nr, const char *path)
{
	unsigned int i;

	for (i = 0; i < *nr; i++)
		if (!strcmp(list[i], path)) {
			free(list[i]);
			list[i] = list[--(*nr)];
			return 0;
		}
	return -ENOENT;
}

static int mute_tgid(struct client *c, uint32_t tgid, int remove)
{
	unsigned int i;

	for (i = 0; i < c->nr_mute_tgid; i++)
		if (c->mute_tgid[i] == tgid) {
			if (!remove)
				return -EEXIST;
			c->mute_tgid[i] = c->mute_tgid[--c->nr_mute_tgid];
			return 0;
		}
	if (remove)
		return -ENOENT;
	if (c->nr_mute_tgid == MAX_MUTES)
		return -ENOSPC;
	c->mute_tgid[c->nr_mute_tgid++] = tgid;
	return 0;
}

static void on_mute(struct vigild_clients *cl, struct client *c,
		    const struct vigil_msg *m)
{
	const struct vigil_msg_mute *mu = (const void *)m->payload;
	int remove = mu->flags & VIGIL_MUTE_F_REMOVE;
	int err;

	if (mu->kind == VIGIL_MUTE_PROCESS)
		err = mute_tgid(c, mu->tgid, remove);
	else if (mu->kind == VIGIL_MUTE_PATH)
		err = remove ? mute_remove(c->mute_path, &c->nr_mute_path, mu->path) :
			       mute_add(c->mute_path, &c->nr_mute_path, mu->path);
	else
		err = remove ? mute_remove(c->mute_exe, &c->nr_mute_exe, mu->path) :
			       mute_add(c->mute_exe, &c->nr_mute_exe, mu->path);
	reply(cl, c, m->seq, err, 0);
}

static void on_stats(struct vigild_clients *cl, struct client *c,
		     const struct vigil_msg *m)
{
	if (send_frame(c, VIGIL_MSG_STATS_REPLY, m->seq, &c->st, sizeof(c->st)))
		cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
}

typedef void (*request_fn)(struct vigild_clients *, struct client *,
			   const struct vigil_msg *);

/* What a client may ask, by message type; only hello before its hello. */
static const request_fn requests[] = {
	[VIGIL_MSG_HELLO] = on_hello,
	[VIGIL_MSG_SUBSCRIBE] = on_subscribe,
	[VIGIL_MSG_RESPOND] = on_respond,
	[VIGIL_MSG_MUTE] = on_mute,
	[VIGIL_MSG_STATS] = on_stats,
};

static void dispatch(struct vigild_clients *cl, struct client *c,
		     const void *frame, size_t len)
{
	static struct vigil_msg m;	/* 8 KiB; vigild is single-threaded */
	int err = vigil_msg_check(frame, len, &m);

	if (err == -EOPNOTSUPP || (!err && !vigil_msg_is_request(m.type))) {
		reply(cl, c, m.seq, -EOPNOTSUPP, 0);
		return;
	}
	if (err) {
		/* A frame whose fields are wrong: the rest is still framed. */
		reply(cl, c, m.seq, err, 0);
		return;
	}
	if (!c->ready && m.type != VIGIL_MSG_HELLO) {
		reply(cl, c, m.seq, -ENOTCONN, 0);
		return;
	}
	requests[m.type](cl, c, &m);
}

/* Read what the client sent and act on each whole frame in it. */
static void client_readable(struct vigild_clients *cl, struct client *c)
{
	ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len,
			 MSG_DONTWAIT);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		if (c->ready)
			fprintf(stderr, "vigild: client %u (%s) left\n", c->id, c->name);
		client_drop(cl, c);
		return;
	}
	if (n < 0)
		return;
	c->in_len += (size_t)n;
	while (c->fd >= 0) {
		ssize_t len = vigil_frame_parse(c->in, c->in_len);

		if (len < 0) {
			cut_off(cl, c, VIGIL_CUT_OFF_PROTOCOL);
			return;
		}
		if (len == 0)
			return;
		dispatch(cl, c, c->in, (size_t)len);
		if (c->fd < 0)
			return;
		c->in_len -= (size_t)len;
		memmove(c->in, c->in + len, c->in_len);
	}
}

/* ---- the socket ---------------------------------------------------------- */

static int peer_allowed(const struct vigild_clients *cl, int fd, uid_t *uid)
{
	gid_t groups[64];
	struct ucred cred;
	socklen_t len = sizeof(cred);
	size_t ngroups;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return 0;
	*uid = cred.uid;
	len = sizeof(groups);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len))
		len = 0;
	ngroups = len / sizeof(gid_t);
	if (ngroups < 64)
		groups[ngroups++] = cred.gid;
	return allowlist_allows(&cl->allow, cred.uid, groups, ngroups);
}

static void accept_client(struct vigild_clients *cl)
{
	int fd = accept4(cl->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	uid_t uid = (uid_t)-1;
	uint32_t i;

	if (fd < 0)
		return;
	if (!peer_allowed(cl, fd, &uid)) {
		fprintf(stderr, "vigild: refused a client: uid %d is not on the allowlist\n",
			(int)uid);
		close(fd);
		return;
	}
	for (i = 0; i < cl->cfg.max_clients && cl->c[i].fd >= 0; i++)
		;
	if (i == cl->cfg.max_clients) {
		fprintf(stderr, "vigild: refused a client: %u clients already\n",
			cl->cfg.max_clients);
		close(fd);
		return;
	}
	cl->c[i].fd = fd;
	cl->c[i].id = ++cl->next_id;
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
	cl->cfg = *cfg;
	cl->allow = *allow;
	cl->abi_major = abi_major;
	cl->abi_minor = abi_minor;
	cl->ops = *ops;
	cl->c = calloc(cfg->max_clients, sizeof(*cl->c));
	if (!cl->c || deadline_queue_init(&cl->deadlines,
					  (size_t)MAX_PENDING * cfg->max_clients))
		goto err_nomem;
	for (i = 0; i < cfg->max_clients; i++)
		cl->c[i].fd = cl->c[i].evfd = -1;
	for (i = 0; i < MAX_PENDING; i++) {
		cl->pending[i].waiting = calloc(cfg->max_clients, 1);
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
	for (i = 0; cl->c && i < cl->cfg.max_clients; i++)
		if (cl->c[i].fd >= 0)
			client_drop(cl, &cl->c[i]);
	for (i = 0; i < MAX_PENDING; i++)
		free(cl->pending[i].waiting);
	if (cl->listen_fd > 0)
		close(cl->listen_fd);
	deadline_queue_free(&cl->deadlines);
	free(cl->c);
	free(cl);
}

uint64_t vigild_clients_events(const struct vigild_clients *cl)
{
	return cl ? cl->events : 0;
}

int vigild_clients_pollfds(const struct vigild_clients *cl, struct pollfd *pfd,
			   int max)
{
	uint32_t i;
	int n = 0;

	if (!cl || max < 1)
		return 0;
	pfd[n++] = (struct pollfd){ .fd = cl->listen_fd, .events = POLLIN };
	for (i = 0; i < cl->cfg.max_clients && n < max; i++)
		if (cl->c[i].fd >= 0)
			pfd[n++] = (struct pollfd){ .fd = cl->c[i].fd, .events = POLLIN };
	return n;
}

static struct client *client_of_fd(struct vigild_clients *cl, int fd)
{
	uint32_t i;

	for (i = 0; i < cl->cfg.max_clients; i++)
		if (cl->c[i].fd == fd)
			return &cl->c[i];
	return NULL;
}

void vigild_clients_poll(struct vigild_clients *cl, const struct pollfd *pfd,
			 int n)
{
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
	expire(cl);
}

int vigild_clients_timeout_ms(const struct vigild_clients *cl)
{
	return cl ? deadline_timeout_ms(&cl->deadlines, now_ns()) : -1;
}
