// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "event.h"

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

static const char *const catalogue_names[] = {
	[VIGIL_EVENT_CRED] = "cred",
	[VIGIL_EVENT_SIGNAL] = "signal",
	[VIGIL_EVENT_PTRACE] = "ptrace",
	[VIGIL_EVENT_MODULE_LOAD] = "module_load",
	[VIGIL_EVENT_MODULE_UNLOAD] = "module_unload",
	[VIGIL_EVENT_MOUNT] = "mount",
	[VIGIL_EVENT_UMOUNT] = "umount",
	[VIGIL_EVENT_NET_CONNECT] = "net_connect",
	[VIGIL_EVENT_NET_BIND] = "net_bind",
	[VIGIL_EVENT_NET_LISTEN] = "net_listen",
	[VIGIL_EVENT_NET_ACCEPT] = "net_accept",
	[VIGIL_EVENT_FILE_OPEN] = "file_open",
	[VIGIL_EVENT_FILE_CLOSE_WRITE] = "file_close_write",
	[VIGIL_EVENT_FILE_CREATE] = "file_create",
	[VIGIL_EVENT_FILE_UNLINK] = "file_unlink",
	[VIGIL_EVENT_FILE_RENAME] = "file_rename",
	[VIGIL_EVENT_FILE_ATTR] = "file_attr",
	[VIGIL_EVENT_FILE_LINK] = "file_link",
	[VIGIL_EVENT_FILE_TRUNCATE] = "file_truncate",
};

int vigil_event_is_catalogue(uint32_t type)
{
	return type >= VIGIL_EVENT_CRED && type <= VIGIL_EVENT_FILE_TRUNCATE;
}

static const char *vigil_catalogue_name(uint32_t type)
{
	return vigil_event_is_catalogue(type) ? catalogue_names[type] : NULL;
}

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
	case VIGIL_EVENT_AUTH_FALLBACK:
		return "auth_fallback";
	case VIGIL_EVENT_SOURCE:
		return "source";
	}
	return vigil_catalogue_name(type);
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
	case VIGIL_WATCHDOG_DEGRADED:
		return "degraded";
	}
	return NULL;
}

const char *vigil_fallback_cause_name(uint32_t cause)
{
	static const char *const names[] = {
		[VIGIL_FALLBACK_MISSED] = "missed",
		[VIGIL_FALLBACK_OVERFLOW] = "overflow",
		[VIGIL_FALLBACK_UNDELIVERED] = "undelivered",
		[VIGIL_FALLBACK_RELEASED] = "released",
		[VIGIL_FALLBACK_DEGRADED] = "degraded",
	};

	return cause < sizeof(names) / sizeof(names[0]) ? names[cause] : NULL;
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

const struct vigil_actor *vigil_event_actor(const struct vigil_event_view *view)
{
	if (!view->known)
		return NULL;
	if (view->type == VIGIL_EVENT_AUTH_FALLBACK)
		return &view->fixed.auth_fallback.actor;
	if (!vigil_event_is_catalogue(view->type))
		return NULL;
	/* Every catalogue record starts with its header, then the actor. */
	return &view->fixed.file.actor;
}

const struct vigil_proc *vigil_event_proc(const struct vigil_event_view *v)
{
	const struct vigil_actor *actor = vigil_event_actor(v);

	if (actor)
		return &actor->proc;
	if (!v->known)
		return NULL;
	switch (v->type) {
	case VIGIL_EVENT_FORK:
		return &v->fixed.fork.parent;
	case VIGIL_EVENT_EXEC:
		return &v->fixed.exec.proc;
	case VIGIL_EVENT_EXIT:
		return &v->fixed.exit.proc;
	case VIGIL_EVENT_AUTH_EXEC:
		return &v->fixed.auth_exec.proc;
	case VIGIL_EVENT_AUTH_OPEN:
		return &v->fixed.auth_open.proc;
	}
	return NULL;
}

static size_t catalogue_size(uint32_t type)
{
	switch (type) {
	case VIGIL_EVENT_CRED:
		return sizeof(struct vigil_cred_event);
	case VIGIL_EVENT_SIGNAL:
		return sizeof(struct vigil_signal_event);
	case VIGIL_EVENT_PTRACE:
		return sizeof(struct vigil_ptrace_event);
	case VIGIL_EVENT_MODULE_LOAD:
	case VIGIL_EVENT_MODULE_UNLOAD:
		return sizeof(struct vigil_module_event);
	case VIGIL_EVENT_MOUNT:
	case VIGIL_EVENT_UMOUNT:
		return sizeof(struct vigil_mount_event);
	}
	if (type >= VIGIL_EVENT_NET_CONNECT && type <= VIGIL_EVENT_NET_ACCEPT)
		return sizeof(struct vigil_net_event);
	if (type >= VIGIL_EVENT_FILE_OPEN && type <= VIGIL_EVENT_FILE_TRUNCATE)
		return sizeof(struct vigil_file_event);
	return 0;
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
	case VIGIL_EVENT_AUTH_FALLBACK:
		return sizeof(struct vigil_auth_fallback_event);
	case VIGIL_EVENT_SOURCE:
		return sizeof(struct vigil_source_event);
	}
	return catalogue_size(type);
}

static int is_file(uint32_t t)
{
	return t >= VIGIL_EVENT_FILE_OPEN && t <= VIGIL_EVENT_FILE_TRUNCATE;
}

static int is_mount(uint32_t t)
{
	return t == VIGIL_EVENT_MOUNT || t == VIGIL_EVENT_UMOUNT;
}

static int is_net(uint32_t t)
{
	return t >= VIGIL_EVENT_NET_CONNECT && t <= VIGIL_EVENT_NET_ACCEPT;
}

/* Whether records of type @t carry fields of type @field. */
static int field_allowed(uint32_t t, uint16_t field)
{
	int exec = t == VIGIL_EVENT_EXEC || t == VIGIL_EVENT_AUTH_EXEC;
	int fallback = t == VIGIL_EVENT_AUTH_FALLBACK;

	switch (field) {
	case VIGIL_FIELD_EXE:
		return exec || fallback || vigil_event_is_catalogue(t);
	case VIGIL_FIELD_FILENAME:
	case VIGIL_FIELD_ARGV:
		return exec;
	case VIGIL_FIELD_PATH:
		return t == VIGIL_EVENT_AUTH_OPEN || fallback || is_file(t) || is_mount(t);
	case VIGIL_FIELD_NEW_PATH:
		return t == VIGIL_EVENT_FILE_RENAME || t == VIGIL_EVENT_FILE_LINK;
	case VIGIL_FIELD_TARGET:
		return t == VIGIL_EVENT_FILE_LINK;
	case VIGIL_FIELD_NAME:
		return t == VIGIL_EVENT_MODULE_LOAD || t == VIGIL_EVENT_MODULE_UNLOAD;
	case VIGIL_FIELD_SOURCE:
		return t == VIGIL_EVENT_MOUNT;
	case VIGIL_FIELD_FSTYPE:
		return is_mount(t);
	case VIGIL_FIELD_LOCAL_PATH:
	case VIGIL_FIELD_PEER_PATH:
		return is_net(t);
	}
	return 0;
}

/* Where a field of @type goes, for the record types that have it. */
static struct vigil_field_view *field_slot(struct vigil_event_view *view,
					   uint16_t type)
{
	struct vigil_field_view *slots[] = {
		[VIGIL_FIELD_EXE] = &view->exe,
		[VIGIL_FIELD_FILENAME] = &view->filename,
		[VIGIL_FIELD_ARGV] = &view->argv,
		[VIGIL_FIELD_PATH] = &view->path,
		[VIGIL_FIELD_NEW_PATH] = &view->new_path,
		[VIGIL_FIELD_TARGET] = &view->target,
		[VIGIL_FIELD_NAME] = &view->name,
		[VIGIL_FIELD_SOURCE] = &view->source,
		[VIGIL_FIELD_FSTYPE] = &view->fstype,
		[VIGIL_FIELD_LOCAL_PATH] = &view->local_path,
		[VIGIL_FIELD_PEER_PATH] = &view->peer_path,
	};

	if (type >= sizeof(slots) / sizeof(slots[0]) || !field_allowed(view->type, type))
		return NULL;
	return slots[type];
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
