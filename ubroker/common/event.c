// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "event.h"

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

const char *vigil_event_type_name(uint32_t type)
{
	switch (type) {
	case VIGIL_EVENT_FORK:
		return "fork";
	case VIGIL_EVENT_EXEC:
		return "exec";
	case VIGIL_EVENT_EXIT:
		return "exit";
	case VIGIL_EVENT_AUTH_EXEC:
		return "auth_exec";
	case VIGIL_EVENT_AUTH_OPEN:
		return "auth_open";
	case VIGIL_EVENT_WATCHDOG:
		return "watchdog";
	}
	return NULL;
}

const char *vigil_fault_name(uint32_t fault)
{
	static const char *const names[VIGIL_FAULT_SLOTS] = {
		[0] = "none",
		[VIGIL_FAULT_BROKER_GONE] = "broker_gone",
		[VIGIL_FAULT_BROKER_HUNG] = "broker_hung",
		[VIGIL_FAULT_DEADLINE_MISSED] = "deadline_missed",
		[VIGIL_FAULT_RING_OVERFLOW] = "ring_overflow",
		[VIGIL_FAULT_INTERNAL_ERROR] = "internal_error",
		[VIGIL_FAULT_SLOW_HOOK] = "slow_hook",
	};

	return fault < VIGIL_FAULT_SLOTS ? names[fault] : NULL;
}

const char *vigil_watchdog_state_name(uint32_t state)
{
	switch (state) {
	case VIGIL_WATCHDOG_ARMED:
		return "armed";
	case VIGIL_WATCHDOG_TRIPPED:
		return "tripped";
	}
	return NULL;
}

const struct vigil_auth *vigil_event_auth(const struct vigil_event_view *view)
{
	if (!view->known)
		return NULL;
	if (view->type == VIGIL_EVENT_AUTH_EXEC)
		return &view->fixed.auth_exec.auth;
	if (view->type == VIGIL_EVENT_AUTH_OPEN)
		return &view->fixed.auth_open.auth;
	return NULL;
}

static size_t fixed_size(uint32_t type)
{
	switch (type) {
	case VIGIL_EVENT_FORK:
		return sizeof(struct vigil_fork_event);
	case VIGIL_EVENT_EXEC:
		return sizeof(struct vigil_exec_event);
	case VIGIL_EVENT_EXIT:
		return sizeof(struct vigil_exit_event);
	case VIGIL_EVENT_AUTH_EXEC:
		return sizeof(struct vigil_auth_exec_event);
	case VIGIL_EVENT_AUTH_OPEN:
		return sizeof(struct vigil_auth_open_event);
	case VIGIL_EVENT_WATCHDOG:
		return sizeof(struct vigil_watchdog_event);
	}
	return 0;
}

/* Where a field of @type goes, for the record types that have it. */
static struct vigil_field_view *field_slot(struct vigil_event_view *view,
					   uint16_t type)
{
	int exec = view->type == VIGIL_EVENT_EXEC ||
		   view->type == VIGIL_EVENT_AUTH_EXEC;

	switch (type) {
	case VIGIL_FIELD_EXE:
		return exec ? &view->exe : NULL;
	case VIGIL_FIELD_FILENAME:
		return exec ? &view->filename : NULL;
	case VIGIL_FIELD_ARGV:
		return exec ? &view->argv : NULL;
	case VIGIL_FIELD_PATH:
		return view->type == VIGIL_EVENT_AUTH_OPEN ? &view->path : NULL;
	}
	return NULL;
}

/* Strings end in their NUL; argv may be empty, or ends in a NUL. */
static int field_well_formed(uint16_t type, const char *data, uint32_t len)
{
	if (type == VIGIL_FIELD_ARGV && len == 0)
		return 1;
	return len > 0 && data[len - 1] == '\0';
}

static int decode_field(struct vigil_event_view *view, const unsigned char *f,
			uint32_t flen)
{
	struct vigil_field fh;
	struct vigil_field_view *slot;
	const char *data = (const char *)f + sizeof(fh);
	uint32_t dlen = flen - sizeof(fh);

	memcpy(&fh, f, sizeof(fh));
	slot = field_slot(view, fh.type);
	if (!slot)
		return 0;		/* not ours to know: skip */
	if (slot->data || !field_well_formed(fh.type, data, dlen))
		return -EBADMSG;
	slot->data = data;
	slot->len = dlen;
	slot->flags = fh.flags;
	return 0;
}

static int decode_fields(struct vigil_event_view *view,
			 const unsigned char *rec, size_t len, size_t pos)
{
	while (pos < len) {
		struct vigil_field fh;
		int err;

		if (len - pos < sizeof(fh))
			return -EBADMSG;
		memcpy(&fh, rec + pos, sizeof(fh));
		if (fh.len < sizeof(fh) || fh.len > len - pos)
			return -EBADMSG;
		err = decode_field(view, rec + pos, fh.len);
		if (err)
			return err;
		pos += ALIGN8(fh.len);
	}
	return pos == len ? 0 : -EBADMSG;
}

int vigil_event_decode(const void *buf, size_t len,
		       struct vigil_event_view *view)
{
	const unsigned char *rec = buf;
	struct vigil_event ev;
	size_t need;

	memset(view, 0, sizeof(*view));
	if (len < sizeof(ev))
		return -EBADMSG;
	memcpy(&ev, rec, sizeof(ev));
	if (!VIGIL_EVENT_OK(&ev, len))
		return -EBADMSG;

	view->type = ev.type;
	view->flags = ev.flags;
	view->seq = ev.seq;
	view->time_ns = ev.time_ns;
	need = fixed_size(ev.type);
	if (!need)
		return 0;
	if (ev.hdr_len < need)
		return -EBADMSG;
	memcpy(&view->fixed, rec, need);
	view->known = 1;
	return decode_fields(view, rec, ev.len, ALIGN8(ev.hdr_len));
}
