// SPDX-License-Identifier: GPL-2.0
/*
 * The client protocol's frames and messages: find a frame in a stream of
 * bytes, check a message whole, build a frame.  Each message type has a
 * row in one table: its name, who may send it, its size rule and the
 * check of its fields.
 */
#include <errno.h>
#include <string.h>

#include "proto.h"

struct vigil_msg_rule {
	const char *name;
	int request;		/* a client sends it; else the broker does */
	size_t size;		/* exact size, or the fixed part's if @tail */
	size_t tail;		/* size of each element of a variable tail */
	int (*check)(const void *payload, size_t len);
};

/* 1 to 31 printable ASCII characters, then NULs to the end. */
static int name_valid(const char name[VIGIL_CLIENT_NAME_MAX])
{
	size_t n = strnlen(name, VIGIL_CLIENT_NAME_MAX);
	size_t i;

	if (n == 0 || n == VIGIL_CLIENT_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (name[i] < 0x20 || name[i] > 0x7e)
			return 0;
	for (; i < VIGIL_CLIENT_NAME_MAX; i++)
		if (name[i])
			return 0;
	return 1;
}

static int check_hello(const void *payload, size_t len)
{
	const struct vigil_msg_hello *m = payload;

	(void)len;
	if (m->version == 0 || (m->flags & ~VIGIL_HELLO_F_LANE) || !name_valid(m->name))
		return -EINVAL;
	return 0;
}

static int check_welcome(const void *payload, size_t len)
{
	const struct vigil_msg_welcome *m = payload;

	(void)len;
	if (!m->client_id || !m->deadline_ms || !m->ring_size ||
	    (m->ring_size & (m->ring_size - 1)))
		return -EINVAL;
	return 0;
}

static int check_subscribe(const void *payload, size_t len)
{
	const struct vigil_msg_subscribe *m = payload;

	(void)len;
	return m->events & ~VIGIL_PROTO_EVENTS ? -EINVAL : 0;
}

static int verdict_valid(const struct vigil_msg_verdict *v)
{
	return (v->verdict == VIGIL_VERDICT_ALLOW ||
		v->verdict == VIGIL_VERDICT_DENY) &&
	       !(v->flags & ~VIGIL_VERDICT_F_CACHE);
}

static int check_respond(const void *payload, size_t len)
{
	const struct vigil_msg_respond *m = payload;
	uint32_t i;

	if (m->count == 0 || m->count > VIGIL_RESPOND_MAX || m->reserved ||
	    len != sizeof(*m) + m->count * sizeof(m->v[0]))
		return -EINVAL;
	for (i = 0; i < m->count; i++)
		if (!verdict_valid(&m->v[i]))
			return -EINVAL;
	return 0;
}

/* An absolute path of @len bytes, its last the only NUL. */
static int path_valid(const char *path, size_t len)
{
	return len >= 2 && len <= VIGIL_MUTE_PATH_MAX && path[0] == '/' &&
	       strnlen(path, len) == len - 1;
}

static int check_mute(const void *payload, size_t len)
{
	const struct vigil_msg_mute *m = payload;

	if ((m->flags & ~VIGIL_MUTE_F_REMOVE) ||
	    (m->events & ~VIGIL_PROTO_EVENTS) ||
	    len != sizeof(*m) + m->path_len)
		return -EINVAL;
	switch (m->kind) {
	case VIGIL_MUTE_PROCESS:
		return m->tgid && !m->path_len ? 0 : -EINVAL;
	case VIGIL_MUTE_EXE:
	case VIGIL_MUTE_PATH:
		return !m->tgid && path_valid(m->path, m->path_len) ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

static int check_result(const void *payload, size_t len)
{
	const struct vigil_msg_result *m = payload;

	(void)len;
	return m->error > 0 || m->error < -4095 ? -EINVAL : 0;
}

static int check_stats(const void *payload, size_t len)
{
	const struct vigil_msg_stats *m = payload;

	(void)len;
	return m->reserved ? -EINVAL : 0;
}

static int check_cut_off(const void *payload, size_t len)
{
	const struct vigil_msg_cut_off *m = payload;

	(void)len;
	if (m->reason < VIGIL_CUT_OFF_MISSES || m->reason > VIGIL_CUT_OFF_PROTOCOL ||
	    !m->client_id || !name_valid(m->name))
		return -EINVAL;
	return 0;
}

static int check_broker_status(const void *payload, size_t len)
{
	const struct vigil_msg_broker_status *m = payload;

	(void)len;
	return m->clients > m->max_clients ? -EINVAL : 0;
}

static int check_clients_req(const void *payload, size_t len)
{
	const struct vigil_msg_clients_req *m = payload;

	(void)len;
	return m->reserved ? -EINVAL : 0;
}

/* A name as in hello, or all NULs: a connection that has not said hello. */
static int info_valid(const struct vigil_msg_client_info *ci)
{
	static const char none[VIGIL_CLIENT_NAME_MAX];

	if (!ci->client_id || (ci->flags & ~VIGIL_CLIENT_INFO_F_READY) ||
	    ci->st.reserved)
		return 0;
	if (!(ci->flags & VIGIL_CLIENT_INFO_F_READY))
		return !memcmp(ci->name, none, sizeof(none));
	return name_valid(ci->name);
}

static int check_clients(const void *payload, size_t len)
{
	const struct vigil_msg_clients *m = payload;
	uint32_t i;

	if (m->count > VIGIL_CLIENTS_PER_REPLY || m->count > m->total ||
	    len != sizeof(*m) + m->count * sizeof(m->c[0]))
		return -EINVAL;
	for (i = 0; i < m->count; i++)
		if (!info_valid(&m->c[i]))
			return -EINVAL;
	return 0;
}

static const struct vigil_msg_rule vigil_msg_rules[] = {
	[VIGIL_MSG_HELLO] = { "hello", 1, sizeof(struct vigil_msg_hello), 0,
			      check_hello },
	[VIGIL_MSG_SUBSCRIBE] = { "subscribe", 1,
				  sizeof(struct vigil_msg_subscribe), 0,
				  check_subscribe },
	[VIGIL_MSG_RESPOND] = { "respond", 1, sizeof(struct vigil_msg_respond),
				sizeof(struct vigil_msg_verdict), check_respond },
	[VIGIL_MSG_MUTE] = { "mute", 1, sizeof(struct vigil_msg_mute), 1,
			     check_mute },
	[VIGIL_MSG_STATS] = { "stats", 1, 0, 0, NULL },
	[VIGIL_MSG_BROKER_STATUS] = { "broker_status", 1, 0, 0, NULL },
	[VIGIL_MSG_CLIENTS] = { "clients", 1, sizeof(struct vigil_msg_clients_req),
				0, check_clients_req },
	[VIGIL_MSG_WELCOME] = { "welcome", 0, sizeof(struct vigil_msg_welcome),
				0, check_welcome },
	[VIGIL_MSG_RESULT] = { "result", 0, sizeof(struct vigil_msg_result), 0,
			       check_result },
	[VIGIL_MSG_STATS_REPLY] = { "stats_reply", 0,
				    sizeof(struct vigil_msg_stats), 0,
				    check_stats },
	[VIGIL_MSG_CUT_OFF] = { "cut_off", 0, sizeof(struct vigil_msg_cut_off),
				0, check_cut_off },
	[VIGIL_MSG_BROKER_STATUS_REPLY] = { "broker_status_reply", 0,
					    sizeof(struct vigil_msg_broker_status),
					    0, check_broker_status },
	[VIGIL_MSG_CLIENTS_REPLY] = { "clients_reply", 0,
				      sizeof(struct vigil_msg_clients),
				      sizeof(struct vigil_msg_client_info),
				      check_clients },
};

static const struct vigil_msg_rule *rule_of(uint16_t type)
{
	if (type >= sizeof(vigil_msg_rules) / sizeof(vigil_msg_rules[0]) ||
	    !vigil_msg_rules[type].name)
		return NULL;
	return &vigil_msg_rules[type];
}

const char *vigil_msg_name(uint16_t type)
{
	const struct vigil_msg_rule *rule = rule_of(type);

	return rule ? rule->name : NULL;
}

int vigil_msg_is_request(uint16_t type)
{
	const struct vigil_msg_rule *rule = rule_of(type);

	return rule && rule->request;
}

ssize_t vigil_frame_parse(const void *buf, size_t avail)
{
	struct vigil_frame_hdr hdr;

	if (avail < sizeof(hdr))
		return 0;
	memcpy(&hdr, buf, sizeof(hdr));
	if (hdr.len < sizeof(hdr))
		return -EBADMSG;
	if (hdr.len > VIGIL_FRAME_MAX)
		return -EMSGSIZE;
	if (hdr.version != VIGIL_PROTO_VERSION)
		return -EPROTONOSUPPORT;
	if (hdr.reserved)
		return -EPROTO;
	return avail < hdr.len ? 0 : (ssize_t)hdr.len;
}

static int size_valid(const struct vigil_msg_rule *rule, size_t len)
{
	if (!rule->tail)
		return len == rule->size;
	return len >= rule->size && (len - rule->size) % rule->tail == 0;
}

int vigil_msg_check(const void *buf, size_t len, struct vigil_msg *msg)
{
	const struct vigil_msg_rule *rule;
	struct vigil_frame_hdr hdr;
	ssize_t framed = vigil_frame_parse(buf, len);

	if (framed <= 0)
		return framed ? (int)framed : -EBADMSG;
	if ((size_t)framed != len)
		return -EBADMSG;
	memcpy(&hdr, buf, sizeof(hdr));
	/* Known even for a message refused: its reply repeats the seq. */
	msg->type = hdr.type;
	msg->seq = hdr.seq;
	msg->len = 0;
	rule = rule_of(hdr.type);
	if (!rule)
		return -EOPNOTSUPP;
	msg->len = len - sizeof(hdr);
	if (!size_valid(rule, msg->len))
		return -EBADMSG;
	memcpy(msg->payload, (const unsigned char *)buf + sizeof(hdr), msg->len);
	return rule->check ? rule->check(msg->payload, msg->len) : 0;
}

ssize_t vigil_frame_build(void *buf, size_t cap, uint16_t type, uint32_t seq,
			  const void *payload, size_t payload_len)
{
	struct vigil_frame_hdr hdr = {
		.version = VIGIL_PROTO_VERSION,
		.type = type,
		.seq = seq,
	};
	size_t len = sizeof(hdr) + payload_len;

	if (len > cap || len > VIGIL_FRAME_MAX)
		return -EMSGSIZE;
	hdr.len = (uint32_t)len;
	memcpy(buf, &hdr, sizeof(hdr));
	if (payload_len)
		memcpy((unsigned char *)buf + sizeof(hdr), payload, payload_len);
	return (ssize_t)len;
}
