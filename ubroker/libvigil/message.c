// SPDX-License-Identifier: GPL-2.0
/*
 * libvigil's messages: a record of the shim, decoded once (by the same
 * decoder vigild uses, which trusts nothing), and typed accessors on it.
 * A message points into the client's ring until it is copied.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "verdict.h"

/* This client's deadline for an AUTH event, never later than the broker's. */
static uint64_t client_deadline(const struct vigil_message *m, uint32_t deadline_ms)
{
	const struct vigil_auth *auth = vigil_event_auth(&m->v);

	if (!auth)
		return 0;
	/* The event's own time is before the broker had it: conservative. */
	return verdict_client_deadline(m->v.time_ns, auth->deadline_ns, deadline_ms);
}

int message_init(struct vigil_message *m, const struct vigil_client *c,
		 const void *rec, uint32_t len)
{
	memset(m, 0, sizeof(*m));
	if (vigil_event_decode(rec, len, &m->v))
		return -EBADMSG;
	m->rec = rec;
	m->len = len;
	m->conn = c ? c->conn : 0;
	m->deadline_ns = client_deadline(m, c ? c->welcome.deadline_ms : 0);
	return 0;
}

struct vigil_message *vigil_message_copy(const struct vigil_message *msg)
{
	struct vigil_message *m;
	unsigned char *data;

	if (!msg)
		return NULL;
	m = malloc(sizeof(*m) + msg->len);
	if (!m)
		return NULL;
	data = (unsigned char *)(m + 1);
	memcpy(data, msg->rec, msg->len);
	*m = *msg;
	/* The same bytes decode the same way, now pointing into the copy. */
	vigil_event_decode(data, msg->len, &m->v);
	m->rec = data;
	m->copy = 1;
	return m;
}

void vigil_message_free(struct vigil_message *msg)
{
	if (msg && msg->copy)
		free(msg);
}

uint32_t vigil_message_type(const struct vigil_message *msg)
{
	return msg ? msg->v.type : 0;
}

uint32_t vigil_message_version(const struct vigil_message *msg)
{
	struct vigil_event ev;

	if (!msg)
		return 0;
	memcpy(&ev, msg->rec, sizeof(ev));
	return ev.version;
}

uint64_t vigil_message_seq(const struct vigil_message *msg)
{
	return msg ? msg->v.seq : 0;
}

uint64_t vigil_message_time_ns(const struct vigil_message *msg)
{
	return msg ? msg->v.time_ns : 0;
}

uint32_t vigil_message_flags(const struct vigil_message *msg)
{
	return msg ? msg->v.flags : 0;
}

int vigil_message_known(const struct vigil_message *msg)
{
	return msg && msg->v.known;
}

/* The fixed part, if the message is of @type. */
static const void *fixed_of(const struct vigil_message *msg, uint32_t type)
{
	return msg && msg->v.known && msg->v.type == type ? &msg->v.fixed : NULL;
}

const struct vigil_fork_event *vigil_message_fork(const struct vigil_message *msg)
{
	return fixed_of(msg, VIGIL_EVENT_FORK);
}

const struct vigil_exec_event *vigil_message_exec(const struct vigil_message *msg)
{
	return fixed_of(msg, VIGIL_EVENT_EXEC);
}

const struct vigil_exit_event *vigil_message_exit(const struct vigil_message *msg)
{
	return fixed_of(msg, VIGIL_EVENT_EXIT);
}

const struct vigil_auth_exec_event *
vigil_message_auth_exec(const struct vigil_message *msg)
{
	return fixed_of(msg, VIGIL_EVENT_AUTH_EXEC);
}

const struct vigil_auth_open_event *
vigil_message_auth_open(const struct vigil_message *msg)
{
	return fixed_of(msg, VIGIL_EVENT_AUTH_OPEN);
}

const struct vigil_watchdog_event *
vigil_message_watchdog(const struct vigil_message *msg)
{
	return fixed_of(msg, VIGIL_EVENT_WATCHDOG);
}

const struct vigil_proc *vigil_message_process(const struct vigil_message *msg)
{
	return msg ? vigil_event_proc(&msg->v) : NULL;
}

const struct vigil_actor *vigil_message_actor(const struct vigil_message *msg)
{
	return msg ? vigil_event_actor(&msg->v) : NULL;
}

const struct vigil_cred_event *vigil_message_cred(const struct vigil_message *msg)
{
	return fixed_of(msg, VIGIL_EVENT_CRED);
}

const struct vigil_signal_event *vigil_message_signal(const struct vigil_message *msg)
{
	return fixed_of(msg, VIGIL_EVENT_SIGNAL);
}

const struct vigil_ptrace_event *vigil_message_ptrace(const struct vigil_message *msg)
{
	return fixed_of(msg, VIGIL_EVENT_PTRACE);
}

/* The fixed part if the message's type is from @first to @last. */
static const void *fixed_in(const struct vigil_message *msg, uint32_t first,
			    uint32_t last)
{
	if (!msg || !msg->v.known || msg->v.type < first || msg->v.type > last)
		return NULL;
	return &msg->v.fixed;
}

const struct vigil_module_event *vigil_message_module(const struct vigil_message *msg)
{
	return fixed_in(msg, VIGIL_EVENT_MODULE_LOAD, VIGIL_EVENT_MODULE_UNLOAD);
}

const struct vigil_mount_event *vigil_message_mount(const struct vigil_message *msg)
{
	return fixed_in(msg, VIGIL_EVENT_MOUNT, VIGIL_EVENT_UMOUNT);
}

const struct vigil_net_event *vigil_message_net(const struct vigil_message *msg)
{
	return fixed_in(msg, VIGIL_EVENT_NET_CONNECT, VIGIL_EVENT_NET_ACCEPT);
}

const struct vigil_file_event *vigil_message_file(const struct vigil_message *msg)
{
	return fixed_in(msg, VIGIL_EVENT_FILE_OPEN, VIGIL_EVENT_FILE_TRUNCATE);
}

int vigil_message_is_auth(const struct vigil_message *msg)
{
	return msg && vigil_event_auth(&msg->v) != NULL;
}

uint64_t vigil_message_auth_id(const struct vigil_message *msg)
{
	const struct vigil_auth *auth = msg ? vigil_event_auth(&msg->v) : NULL;

	return auth ? auth->id : 0;
}

uint64_t vigil_message_deadline_ns(const struct vigil_message *msg)
{
	return msg ? msg->deadline_ns : 0;
}

static const struct vigil_field_view *field_of(const struct vigil_message *msg,
					       uint32_t field)
{
	if (!msg)
		return NULL;
	switch (field) {
	case VIGIL_FIELD_EXE:
		return &msg->v.exe;
	case VIGIL_FIELD_FILENAME:
		return &msg->v.filename;
	case VIGIL_FIELD_ARGV:
		return &msg->v.argv;
	case VIGIL_FIELD_PATH:
		return &msg->v.path;
	case VIGIL_FIELD_NEW_PATH:
		return &msg->v.new_path;
	case VIGIL_FIELD_TARGET:
		return &msg->v.target;
	case VIGIL_FIELD_NAME:
		return &msg->v.name;
	case VIGIL_FIELD_SOURCE:
		return &msg->v.source;
	case VIGIL_FIELD_FSTYPE:
		return &msg->v.fstype;
	case VIGIL_FIELD_LOCAL_PATH:
		return &msg->v.local_path;
	case VIGIL_FIELD_PEER_PATH:
		return &msg->v.peer_path;
	}
	return NULL;
}

/* A string field: data ends in its NUL, the decoder checked. */
static const char *string_of(const struct vigil_message *msg, uint32_t field)
{
	const struct vigil_field_view *f = field_of(msg, field);

	return f ? f->data : NULL;
}

const char *vigil_message_exe(const struct vigil_message *msg)
{
	return string_of(msg, VIGIL_FIELD_EXE);
}

const char *vigil_message_filename(const struct vigil_message *msg)
{
	return string_of(msg, VIGIL_FIELD_FILENAME);
}

const char *vigil_message_path(const struct vigil_message *msg)
{
	return string_of(msg, VIGIL_FIELD_PATH);
}

const char *vigil_message_string(const struct vigil_message *msg, uint32_t field)
{
	return string_of(msg, field);
}

uint32_t vigil_message_field_flags(const struct vigil_message *msg, uint32_t field)
{
	const struct vigil_field_view *f = field_of(msg, field);

	return f && f->data ? f->flags : 0;
}

/* The argc of the fixed part, which the argv field may hold fewer of. */
static uint32_t argc_of(const struct vigil_message *msg)
{
	if (!msg->v.known)
		return 0;
	if (msg->v.type == VIGIL_EVENT_EXEC)
		return msg->v.fixed.exec.argc;
	if (msg->v.type == VIGIL_EVENT_AUTH_EXEC)
		return msg->v.fixed.auth_exec.argc;
	return 0;
}

const char *vigil_message_arg(const struct vigil_message *msg, unsigned int i)
{
	const char *p, *end;
	unsigned int n;

	if (!msg || !msg->v.argv.data || i >= argc_of(msg))
		return NULL;
	p = msg->v.argv.data;
	end = p + msg->v.argv.len;	/* the last byte is a NUL */
	for (n = 0; p < end; n++) {
		if (n == i)
			return p;
		p += strlen(p) + 1;
	}
	return NULL;
}

unsigned int vigil_message_arg_count(const struct vigil_message *msg)
{
	unsigned int n = 0;

	while (vigil_message_arg(msg, n))
		n++;
	return n;
}

const void *vigil_message_record(const struct vigil_message *msg, size_t *len)
{
	if (!msg)
		return NULL;
	if (len)
		*len = msg->len;
	return msg->rec;
}
