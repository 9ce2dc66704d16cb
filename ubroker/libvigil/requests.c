// SPDX-License-Identifier: GPL-2.0
/*
 * libvigil's requests and the broker's frames: a request is sent whole
 * and waits for the reply with its seq, up to request_timeout_ms; frames
 * that come meanwhile are handled as they would be by the loop (notices
 * are queued, acknowledgements of verdicts counted).  Verdicts do not
 * wait: their acknowledgements come later.  Everything is checked here
 * first, so that a bad argument never reaches the broker.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define STATS_SIZE_V1	(offsetof(struct vigil_client_stats, notices_dropped) + \
			 sizeof(uint64_t))

/* The broker broke the protocol or went away: lose the connection. */
static int lose(struct vigil_client *c, int err)
{
	conn_lost(c, 0);
	return err;
}

/* A frame nobody waits for: a notice, or the acknowledgement of a verdict. */
static int handle_frame(struct vigil_client *c, const struct vigil_msg *m, int err)
{
	const struct vigil_msg_result *r = (const void *)m->payload;
	const struct vigil_msg_cut_off *co = (const void *)m->payload;

	if (err)
		return lose(c, -EPROTO);
	switch (m->type) {
	case VIGIL_MSG_RESULT:
		/* A verdict's acknowledgement, or the reply to a request given up. */
		if (m->seq != c->abandoned_seq && !r->error && !r->count)
			c->st.responses_late++;
		return 0;
	case VIGIL_MSG_CUT_OFF:
		if (co->client_id == c->welcome.client_id) {
			c->cut_reason = co->reason;	/* the end follows */
			return 0;
		}
		client_queue_notice(c, VIGIL_NOTICE_PEER_CUT_OFF, co->reason,
				    co->client_id, 0, co->name);
		return 0;
	case VIGIL_MSG_STATS_REPLY:
		return 0;		/* of a request that timed out */
	}
	return lose(c, -EPROTO);
}

/* Handle the frames in the buffer; stop at one with @seq, if any: 1. */
static int handle_buffered(struct vigil_client *c, uint32_t seq,
			   struct vigil_msg *m, int *msg_err)
{
	for (;;) {
		int got = vigil_frame_next(&c->rd, m, msg_err);

		if (got < 0)
			return lose(c, -EPROTO);
		if (!got)
			return 0;
		if (seq && m->seq == seq)
			return 1;
		if (handle_frame(c, m, *msg_err))
			return -EPROTO;
	}
}

uint32_t req_last_words(struct vigil_client *c)
{
	static __thread struct vigil_msg m;
	int msg_err = 0, got;

	/* What came before the end: the reason it was cut off, and notices. */
	while (vigil_frame_reader_fill(&c->rd, c->sock) > 0 ||
	       vigil_frame_parse(c->rd.buf, c->rd.len) > 0) {
		got = vigil_frame_next(&c->rd, &m, &msg_err);
		if (got <= 0)
			break;
		if (!msg_err && m.type == VIGIL_MSG_CUT_OFF)
			handle_frame(c, &m, 0);
	}
	return c->cut_reason;
}

int req_read_socket(struct vigil_client *c)
{
	static __thread struct vigil_msg m;
	int msg_err = 0;

	while (c->sock >= 0) {
		/* What a request left in the buffer first: it may be full. */
		int err = handle_buffered(c, 0, &m, &msg_err);
		ssize_t n;

		if (err < 0)
			return err;
		n = vigil_frame_reader_fill(&c->rd, c->sock);
		if (n == -EAGAIN)
			return 0;
		if (n <= 0)
			return lose(c, -ECONNRESET);
	}
	return -ENOTCONN;
}

static int wait_readable(int fd, uint64_t end_ns)
{
	uint64_t now = client_now_ns();
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	if (now >= end_ns)
		return -ETIMEDOUT;
	n = poll(&p, 1, (int)((end_ns - now + 999999) / 1000000));
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	return n ? 0 : -ETIMEDOUT;
}

int req_wait(struct vigil_client *c, uint16_t type, uint32_t seq,
	     struct vigil_msg *reply)
{
	uint64_t end = client_now_ns() + (uint64_t)c->request_timeout_ms * 1000000ULL;

	while (c->sock >= 0) {
		int msg_err = 0, got = handle_buffered(c, seq, reply, &msg_err);
		ssize_t n;

		if (got < 0)
			return got;
		if (got) {
			int32_t error = ((const struct vigil_msg_result *)reply->payload)->error;

			if (msg_err)
				return lose(c, -EPROTO);
			if (reply->type == type)
				return type == VIGIL_MSG_RESULT ? error : 0;
			/* Refused with an error; a success must be the reply asked for. */
			if (reply->type == VIGIL_MSG_RESULT && error < 0)
				return error;
			return lose(c, -EPROTO);
		}
		n = vigil_frame_reader_fill(&c->rd, c->sock);
		if (n == 0 || (n < 0 && n != -EAGAIN))
			return lose(c, -ECONNRESET);
		if (n == -EAGAIN) {
			int err = wait_readable(c->sock, end);

			if (err) {
				c->abandoned_seq = seq;	/* its reply may come later */
				return err;
			}
		}
	}
	return -ECONNRESET;
}

/* Send a request, numbered c->seq: 0, or -errno (the connection is lost then). */
static int send_request(struct vigil_client *c, uint16_t type,
			const void *payload, size_t len)
{
	uint32_t seq;
	int err;

	if (c->sock < 0)
		return -ENOTCONN;
	seq = ++c->seq;
	if (!seq)
		seq = ++c->seq;		/* 0 is the broker's, for refusals */
	err = vigil_frame_send(c->sock, type, seq, payload, len, NULL, 0,
			       c->request_timeout_ms);
	if (err)
		return lose(c, err == -EPIPE ? -ECONNRESET : err);
	return 0;
}

int req_simple(struct vigil_client *c, uint16_t type, const void *payload,
	       size_t len)
{
	static __thread struct vigil_msg reply;
	int err = send_request(c, type, payload, len);

	return err ? err : req_wait(c, VIGIL_MSG_RESULT, c->seq, &reply);
}

/* ---- subscriptions ------------------------------------------------------- */

int req_subscribe(struct vigil_client *c, uint64_t events)
{
	struct vigil_msg_subscribe s = { .events = events };

	return req_simple(c, VIGIL_MSG_SUBSCRIBE, &s, sizeof(s));
}

static int set_events(struct vigil_client *c, uint64_t events)
{
	int err;

	if (!c)
		return -EINVAL;
	err = req_subscribe(c, events);
	if (!err)
		c->events = events;
	return err;
}

int vigil_subscribe(struct vigil_client *c, uint64_t events)
{
	if (events & ~VIGIL_PROTO_EVENTS)
		return -EINVAL;
	return c ? set_events(c, c->events | events) : -EINVAL;
}

int vigil_unsubscribe(struct vigil_client *c, uint64_t events)
{
	if (events & ~VIGIL_PROTO_EVENTS)
		return -EINVAL;
	return c ? set_events(c, c->events & ~events) : -EINVAL;
}

/* ---- mutes --------------------------------------------------------------- */

int req_mute(struct vigil_client *c, const struct lib_mute *mu, int remove)
{
	static __thread union {
		struct vigil_msg_mute m;
		unsigned char bytes[sizeof(struct vigil_msg_mute) + VIGIL_MUTE_PATH_MAX];
	} buf;
	size_t path_len = mu->path ? strlen(mu->path) + 1 : 0;

	memset(&buf.m, 0, sizeof(buf.m));
	buf.m.kind = mu->kind;
	buf.m.flags = remove ? VIGIL_MUTE_F_REMOVE : 0;
	buf.m.events = remove ? 0 : mu->events;
	buf.m.tgid = mu->tgid;
	buf.m.path_len = (uint32_t)path_len;
	memcpy(buf.m.path, mu->path ? mu->path : "", path_len);
	return req_simple(c, VIGIL_MSG_MUTE, &buf, sizeof(buf.m) + path_len);
}

/* What the broker's own checks would refuse, refused here first. */
static int mute_valid(const struct lib_mute *mu)
{
	if (mu->events & ~VIGIL_PROTO_EVENTS)
		return -EINVAL;
	if (mu->kind == VIGIL_MUTE_PROCESS)
		return mu->tgid ? 0 : -EINVAL;
	if (!mu->path || mu->path[0] != '/')
		return -EINVAL;
	return strlen(mu->path) + 1 > VIGIL_MUTE_PATH_MAX ? -ENAMETOOLONG : 0;
}

static struct lib_mute *find_mute(struct vigil_client *c, const struct lib_mute *mu)
{
	unsigned int i;

	for (i = 0; i < c->nr_mutes; i++) {
		struct lib_mute *m = &c->mutes[i];

		if (m->kind == mu->kind && m->tgid == mu->tgid &&
		    (!mu->path || !strcmp(m->path, mu->path)))
			return m;
	}
	return NULL;
}

static void forget_mute(struct vigil_client *c, struct lib_mute *m)
{
	free(m->path);
	*m = c->mutes[--c->nr_mutes];
}

/*
 * Note a mute the broker took, to restore it after a reconnect.  The
 * list follows the broker's answers; an entry already there (the broker
 * took an unmute whose reply never came) is updated in place.
 */
static int remember_mute(struct vigil_client *c, const struct lib_mute *mu)
{
	struct lib_mute *m = find_mute(c, mu);
	char *path = NULL;

	if (mu->path) {
		path = strdup(mu->path);
		if (!path)
			return -ENOMEM;
	}
	if (!m)
		m = &c->mutes[c->nr_mutes++];	/* room checked before asking */
	else
		free(m->path);
	*m = *mu;
	m->path = path;
	return 0;
}

static int mute(struct vigil_client *c, struct lib_mute mu, int remove)
{
	struct lib_mute *m;
	int err;

	if (!c)
		return -EINVAL;
	err = mute_valid(&mu);
	if (err)
		return err;
	if (!remove && c->nr_mutes == MUTES_MAX)
		return -ENOSPC;
	err = req_mute(c, &mu, remove);
	if (err)
		return err;
	if (remove) {
		m = find_mute(c, &mu);
		if (m)
			forget_mute(c, m);
		return 0;
	}
	err = remember_mute(c, &mu);
	if (err)
		req_mute(c, &mu, 1);	/* not to be restored: undo it */
	return err;
}

int vigil_mute_process(struct vigil_client *c, uint32_t tgid, uint64_t events)
{
	return mute(c, (struct lib_mute){ VIGIL_MUTE_PROCESS, tgid, events, NULL }, 0);
}

int vigil_unmute_process(struct vigil_client *c, uint32_t tgid)
{
	return mute(c, (struct lib_mute){ VIGIL_MUTE_PROCESS, tgid, 0, NULL }, 1);
}

int vigil_mute_exe(struct vigil_client *c, const char *path, uint64_t events)
{
	return mute(c, (struct lib_mute){ VIGIL_MUTE_EXE, 0, events, (char *)path }, 0);
}

int vigil_unmute_exe(struct vigil_client *c, const char *path)
{
	return mute(c, (struct lib_mute){ VIGIL_MUTE_EXE, 0, 0, (char *)path }, 1);
}

int vigil_mute_path(struct vigil_client *c, const char *prefix, uint64_t events)
{
	return mute(c, (struct lib_mute){ VIGIL_MUTE_PATH, 0, events, (char *)prefix }, 0);
}

int vigil_unmute_path(struct vigil_client *c, const char *prefix)
{
	return mute(c, (struct lib_mute){ VIGIL_MUTE_PATH, 0, 0, (char *)prefix }, 1);
}

/* ---- stats --------------------------------------------------------------- */

static int broker_stats(struct vigil_client *c, struct vigil_msg_stats *out)
{
	static __thread struct vigil_msg reply;
	int err = send_request(c, VIGIL_MSG_STATS, NULL, 0);

	if (!err)
		err = req_wait(c, VIGIL_MSG_STATS_REPLY, c->seq, &reply);
	if (!err)
		memcpy(out, reply.payload, sizeof(*out));
	return err;
}

int vigil_client_stats(struct vigil_client *c, struct vigil_client_stats *stats)
{
	struct vigil_client_stats out;
	struct vigil_msg_stats b = { 0 };
	int err;

	if (!c || !stats || stats->sz < STATS_SIZE_V1)
		return -EINVAL;
	err = c->sock >= 0 ? broker_stats(c, &b) : -ENOTCONN;
	if (err && err != -ENOTCONN && err != -ETIMEDOUT && err != -ECONNRESET)
		return err;
	out = c->st;
	out.sz = sizeof(out);
	if (!err) {
		out.events = b.events;
		out.dropped = b.dropped;
		out.auth_asked = b.auth_asked;
		out.auth_answered = b.auth_answered;
		out.auth_late = b.auth_late;
		out.auth_missed = b.auth_missed;
		out.misses_in_row = b.misses_in_row;
	}
	client_fill_out(stats, stats->sz, &out, sizeof(out));
	return err;
}

/* ---- verdicts ------------------------------------------------------------ */

int vigil_respond(struct vigil_client *c, const struct vigil_message *msg,
		  uint32_t verdict, uint32_t flags)
{
	struct vigil_msg_respond r = { .count = 1 };
	struct vigil_msg_verdict v = { .verdict = verdict, .flags = flags };
	unsigned char m[sizeof(r) + sizeof(v)];
	int err;

	if (!c || !msg || !vigil_message_is_auth(msg) ||
	    (verdict != VIGIL_VERDICT_ALLOW && verdict != VIGIL_VERDICT_DENY) ||
	    (flags & ~VIGIL_VERDICT_F_CACHE))
		return -EINVAL;
	if (msg->responded)
		return -EALREADY;
	if (c->sock < 0)
		return -ENOTCONN;
	if (msg->conn != c->conn)
		return -ESTALE;
	v.id = vigil_message_auth_id(msg);
	memcpy(m, &r, sizeof(r));
	memcpy(m + sizeof(r), &v, sizeof(v));
	err = send_request(c, VIGIL_MSG_RESPOND, m, sizeof(m));
	if (err)
		return err;
	/* The library's own message, handed out const: note the answer. */
	((struct vigil_message *)msg)->responded = 1;
	c->st.responses++;
	/*
	 * Take the acknowledgements that came: a client answering a burst
	 * inside one process() would otherwise fill the broker's socket with
	 * them, and be cut off for not reading.
	 */
	req_read_socket(c);
	return 0;
}
