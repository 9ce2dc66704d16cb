// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "format.h"
#include "json.h"

/* Names of the drop causes, by VIGIL_DROP_* index. */
static const char *const drop_names[] = {
	[VIGIL_DROP_RING_FULL] = "ring_full",
	[VIGIL_DROP_NESTED] = "nested",
	[VIGIL_DROP_DISCARDED] = "discarded",
	[VIGIL_DROP_INTERNAL] = "internal",
	[VIGIL_DROP_RATE_LIMIT] = "rate_limit",
	[VIGIL_DROP_SOURCE_BUDGET] = "source_budget",
};
#define NR_DROP_NAMES (sizeof(drop_names) / sizeof(drop_names[0]))

void vigild_json_proc(FILE *out, const struct vigil_proc *p)
{
	fprintf(out, ",\"pid\":%u,\"tgid\":%u,\"ppid\":%u,\"uid\":%u,\"gid\":%u,"
		"\"euid\":%u,\"egid\":%u,\"start_ns\":%" PRIu64,
		p->pid, p->tgid, p->ppid, p->uid, p->gid, p->euid, p->egid,
		(uint64_t)p->start_ns);
}

static void json_field_flags(FILE *out, const char *name,
			     const struct vigil_field_view *f)
{
	if (!f->data || (f->flags & VIGIL_FIELD_F_UNAVAILABLE))
		fprintf(out, ",\"%s_unavailable\":true", name);
	if (f->flags & VIGIL_FIELD_F_TRUNCATED)
		fprintf(out, ",\"%s_truncated\":true", name);
	if (f->flags & VIGIL_FIELD_F_OTHER_ROOT)
		fprintf(out, ",\"%s_other_root\":true", name);
}

void vigild_json_string_field(FILE *out, const char *name,
			      const struct vigil_field_view *f)
{
	fprintf(out, ",\"%s\":", name);
	if (f->data)
		json_write_str(out, f->data, f->len - 1);
	else
		fputs("null", out);
	json_field_flags(out, name, f);
}

static void json_argv(FILE *out, const struct vigil_field_view *f)
{
	uint32_t i = 0;
	int first = 1;

	fputs(",\"argv\":[", out);
	while (f->data && i < f->len) {
		size_t n = strlen(f->data + i);

		if (!first)
			fputc(',', out);
		json_write_str(out, f->data + i, n);
		first = 0;
		i += n + 1;
	}
	fputc(']', out);
	json_field_flags(out, "argv", f);
}

static void json_exit_code(FILE *out, uint32_t code)
{
	fprintf(out, ",\"exit_code\":%u", code);
	if ((code & 0x7f) == 0)
		fprintf(out, ",\"status\":%u", (code >> 8) & 0xff);
	else
		fprintf(out, ",\"signal\":%u", code & 0x7f);
	if (code & 0x80)
		fputs(",\"core_dumped\":true", out);
}

static void json_access(FILE *out, uint32_t access)
{
	static const char *const names[] = { "read", "write", "exec" };
	unsigned int i;
	int first = 1;

	fputs(",\"access\":[", out);
	for (i = 0; i < 3; i++) {
		if (!(access & (1U << i)))
			continue;
		fprintf(out, "%s\"%s\"", first ? "" : ",", names[i]);
		first = 0;
	}
	fputc(']', out);
}

static void json_auth(FILE *out, const struct vigil_auth *auth)
{
	fprintf(out, ",\"id\":%" PRIu64 ",\"deadline_ns\":%" PRIu64,
		(uint64_t)auth->id, (uint64_t)auth->deadline_ns);
}

static void json_auth_exec(FILE *out, const struct vigil_event_view *v)
{
	const struct vigil_auth_exec_event *ev = &v->fixed.auth_exec;

	json_auth(out, &ev->auth);
	vigild_json_proc(out, &ev->proc);
	fprintf(out, ",\"argc\":%u,\"interpreter\":%s,\"exe_dev\":%u,"
		"\"exe_ino\":%" PRIu64, ev->argc,
		ev->flags & VIGIL_AUTH_EXEC_F_INTERPRETER ? "true" : "false",
		ev->exe_dev, (uint64_t)ev->exe_ino);
	vigild_json_string_field(out, "exe", &v->exe);
	vigild_json_string_field(out, "filename", &v->filename);
	json_argv(out, &v->argv);
}

static void json_auth_open(FILE *out, const struct vigil_event_view *v)
{
	const struct vigil_auth_open_event *ev = &v->fixed.auth_open;

	json_auth(out, &ev->auth);
	vigild_json_proc(out, &ev->proc);
	fprintf(out, ",\"open_flags\":%u", ev->open_flags);
	json_access(out, ev->access);
	fprintf(out, ",\"dev\":%u,\"ino\":%" PRIu64, ev->dev,
		(uint64_t)ev->ino);
	vigild_json_string_field(out, "path", &v->path);
}

/* A name from one of event.h's tables, or the number if it has none. */
static void json_name(FILE *out, const char *key, const char *name,
		      uint32_t value)
{
	if (name)
		fprintf(out, ",\"%s\":\"%s\"", key, name);
	else
		fprintf(out, ",\"%s\":%u", key, value);
}

static void json_watchdog(FILE *out, const struct vigil_watchdog_event *ev)
{
	json_name(out, "state", vigil_watchdog_state_name(ev->state), ev->state);
	json_name(out, "reason", vigil_fault_name(ev->reason), ev->reason);
	fprintf(out, ",\"trips\":%u,\"trip_time_ns\":%" PRIu64, ev->trips,
		(uint64_t)ev->trip_time_ns);
}

static void print_json(FILE *out, const struct vigil_event_view *v,
		       const char *verdict)
{
	const char *name = vigil_event_type_name(v->type);

	fprintf(out, "{\"seq\":%" PRIu64 ",\"time_ns\":%" PRIu64, v->seq,
		v->time_ns);
	if (name)
		fprintf(out, ",\"event\":\"%s\"", name);
	else
		fprintf(out, ",\"event\":\"unknown\",\"type\":%u", v->type);
	if (v->flags & VIGIL_EVENT_F_TRUNCATED)
		fputs(",\"truncated\":true", out);

	switch (v->known ? v->type : 0) {
	case VIGIL_EVENT_FORK:
		vigild_json_proc(out, &v->fixed.fork.parent);
		fprintf(out, ",\"child_pid\":%u,\"child_tgid\":%u",
			v->fixed.fork.child_pid, v->fixed.fork.child_tgid);
		break;
	case VIGIL_EVENT_EXEC:
		vigild_json_proc(out, &v->fixed.exec.proc);
		fprintf(out, ",\"old_pid\":%u,\"argc\":%u,\"exe_dev\":%u,"
			"\"exe_ino\":%" PRIu64, v->fixed.exec.old_pid,
			v->fixed.exec.argc, v->fixed.exec.exe_dev,
			(uint64_t)v->fixed.exec.exe_ino);
		vigild_json_string_field(out, "exe", &v->exe);
		vigild_json_string_field(out, "filename", &v->filename);
		json_argv(out, &v->argv);
		break;
	case VIGIL_EVENT_EXIT:
		vigild_json_proc(out, &v->fixed.exit.proc);
		json_exit_code(out, v->fixed.exit.exit_code);
		fprintf(out, ",\"process_exit\":%s",
			v->fixed.exit.flags & VIGIL_EXIT_F_PROCESS ? "true" : "false");
		break;
	case VIGIL_EVENT_AUTH_EXEC:
		json_auth_exec(out, v);
		break;
	case VIGIL_EVENT_AUTH_OPEN:
		json_auth_open(out, v);
		break;
	case VIGIL_EVENT_WATCHDOG:
		json_watchdog(out, &v->fixed.watchdog);
		break;
	case VIGIL_EVENT_AUTH_FALLBACK:
		vigild_json_auth_fallback(out, v);
		break;
	default:
		if (v->known && vigil_event_is_catalogue(v->type))
			vigild_json_catalogue(out, v);
	}
	if (verdict)
		fprintf(out, ",\"verdict\":\"%s\"", verdict);
	fputs("}\n", out);
}

/* Printable text: control characters become '?'. */
void vigild_text_str(FILE *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fputc((unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i], out);
}

static void text_argv(FILE *out, const struct vigil_field_view *f)
{
	uint32_t i = 0;

	while (f->data && i < f->len) {
		size_t n = strlen(f->data + i);

		fputc(' ', out);
		vigild_text_str(out, f->data + i, n);
		i += n + 1;
	}
	if (f->flags & VIGIL_FIELD_F_TRUNCATED)
		fputs(" ...", out);
}

static void text_access(FILE *out, uint32_t access)
{
	fputc(access & VIGIL_ACCESS_READ ? 'r' : '-', out);
	fputc(access & VIGIL_ACCESS_WRITE ? 'w' : '-', out);
	fputc(access & VIGIL_ACCESS_EXEC ? 'x' : '-', out);
}

static void text_watchdog(FILE *out, const struct vigil_watchdog_event *ev)
{
	const char *state = vigil_watchdog_state_name(ev->state);
	const char *reason = vigil_fault_name(ev->reason);

	fputs("WATCHDOG ", out);
	if (state)
		fputs(state, out);
	else
		fprintf(out, "state=%u", ev->state);
	if (reason)
		fprintf(out, " reason=%s", reason);
	else
		fprintf(out, " reason=%u", ev->reason);
	fprintf(out, " trips=%u\n", ev->trips);
}

static void print_text(FILE *out, const struct vigil_event_view *v,
		       const char *verdict)
{
	const struct vigil_proc *p;

	switch (v->known ? v->type : 0) {
	case VIGIL_EVENT_FORK:
		p = &v->fixed.fork.parent;
		fprintf(out, "fork  pid=%-6u uid=%-5u -> child pid=%u%s\n",
			p->tgid, p->uid, v->fixed.fork.child_pid,
			v->fixed.fork.child_tgid == p->tgid ? " (thread)" : "");
		return;
	case VIGIL_EVENT_EXEC:
		p = &v->fixed.exec.proc;
		fprintf(out, "exec  pid=%-6u uid=%-5u ppid=%-6u ", p->tgid,
			p->uid, p->ppid);
		if (v->exe.data)
			vigild_text_str(out, v->exe.data, v->exe.len - 1);
		fputs(" :", out);
		text_argv(out, &v->argv);
		fputc('\n', out);
		return;
	case VIGIL_EVENT_EXIT:
		p = &v->fixed.exit.proc;
		if (!(v->fixed.exit.flags & VIGIL_EXIT_F_PROCESS))
			return;		/* threads' exits are noise to people */
		fprintf(out, "exit  pid=%-6u uid=%-5u ", p->tgid, p->uid);
		if (v->fixed.exit.exit_code & 0x7f)
			fprintf(out, "signal=%u\n", v->fixed.exit.exit_code & 0x7f);
		else
			fprintf(out, "status=%u\n", (v->fixed.exit.exit_code >> 8) & 0xff);
		return;
	case VIGIL_EVENT_AUTH_EXEC:
		p = &v->fixed.auth_exec.proc;
		fprintf(out, "AUTH  exec pid=%-6u uid=%-5u ", p->tgid, p->uid);
		if (v->exe.data)
			vigild_text_str(out, v->exe.data, v->exe.len - 1);
		fputs(" :", out);
		text_argv(out, &v->argv);
		fprintf(out, " -> %s\n", verdict ? verdict : "?");
		return;
	case VIGIL_EVENT_AUTH_OPEN:
		p = &v->fixed.auth_open.proc;
		fprintf(out, "AUTH  open pid=%-6u uid=%-5u ", p->tgid, p->uid);
		text_access(out, v->fixed.auth_open.access);
		fputc(' ', out);
		if (v->path.data)
			vigild_text_str(out, v->path.data, v->path.len - 1);
		fprintf(out, " -> %s\n", verdict ? verdict : "?");
		return;
	case VIGIL_EVENT_WATCHDOG:
		text_watchdog(out, &v->fixed.watchdog);
		return;
	case VIGIL_EVENT_AUTH_FALLBACK:
		vigild_text_auth_fallback(out, v);
		return;
	}
	if (v->known && vigil_event_is_catalogue(v->type)) {
		vigild_text_catalogue(out, v);
		return;
	}
	fprintf(out, "event type=%u seq=%" PRIu64 "\n", v->type, v->seq);
}

void vigild_print_event(FILE *out, enum vigild_format fmt,
			const struct vigil_event_view *view,
			const char *verdict)
{
	if (fmt == VIGILD_FORMAT_TEXT)
		print_text(out, view, verdict);
	else
		print_json(out, view, verdict);
}

/* The counters of struct vigil_auth_stats, in order, by name. */
#define AUTH_COUNTER(name) { #name, offsetof(struct vigil_auth_stats, name) }
static const struct {
	const char *name;
	size_t offset;
} auth_counters[] = {
	AUTH_COUNTER(requests), AUTH_COUNTER(allowed), AUTH_COUNTER(denied),
	AUTH_COUNTER(answered), AUTH_COUNTER(missed), AUTH_COUNTER(overflow),
	AUTH_COUNTER(undelivered), AUTH_COUNTER(released), AUTH_COUNTER(killed),
	AUTH_COUNTER(cache_hits), AUTH_COUNTER(cache_misses), AUTH_COUNTER(muted),
	AUTH_COUNTER(self), AUTH_COUNTER(degraded),
};
#define NR_AUTH_COUNTERS (sizeof(auth_counters) / sizeof(auth_counters[0]))

void vigild_print_auth_stats(FILE *out, enum vigild_format fmt,
			     const struct vigil_auth_stats *st)
{
	int text = fmt == VIGILD_FORMAT_TEXT;
	size_t i;

	fprintf(out, text ? "auth_stats %s" : "{\"event\":\"auth_stats\",\"type\":\"%s\"",
		vigil_event_type_name(st->type));
	for (i = 0; i < NR_AUTH_COUNTERS; i++) {
		uint64_t n;

		memcpy(&n, (const char *)st + auth_counters[i].offset, sizeof(n));
		fprintf(out, text ? " %s=%" PRIu64 : ",\"%s\":%" PRIu64,
			auth_counters[i].name, n);
	}
	fputs(text ? " latency" : ",\"latency\":[", out);
	for (i = 0; i < VIGIL_LATENCY_BUCKETS; i++)
		fprintf(out, "%s%" PRIu64, text ? (i ? "/" : "=") : (i ? "," : ""),
			(uint64_t)st->latency[i]);
	fputs(text ? "\n" : "]}\n", out);
}

/*
 * A source's report (ABI 1.4), with what vigild delivered of it beside
 * what the shim produced and dropped.
 */
void vigild_print_source(FILE *out, enum vigild_format fmt,
			 const struct vigil_event_view *v, uint64_t delivered)
{
	const struct vigil_source_event *ev = &v->fixed.source;
	int text = fmt == VIGILD_FORMAT_TEXT;
	size_t i;

	if (!v->known)
		return;
	if (text)
		fprintf(out, "SOURCE uid=%u produced=%" PRIu64 " delivered=%" PRIu64,
			ev->uid, (uint64_t)ev->produced, delivered);
	else
		fprintf(out, "{\"seq\":%" PRIu64 ",\"time_ns\":%" PRIu64
			",\"event\":\"source\",\"uid\":%u,\"produced\":%" PRIu64
			",\"delivered\":%" PRIu64 ",\"dropped\":{", v->seq, v->time_ns,
			ev->uid, (uint64_t)ev->produced, delivered);
	for (i = 0; i < NR_DROP_NAMES; i++) {
		if (text)
			fprintf(out, " %s=%" PRIu64, drop_names[i],
				(uint64_t)ev->dropped[i]);
		else
			fprintf(out, "%s\"%s\":%" PRIu64, i ? "," : "", drop_names[i],
				(uint64_t)ev->dropped[i]);
	}
	fputs(text ? "\n" : "}}\n", out);
}

void vigild_print_drops(FILE *out, enum vigild_format fmt,
			uint64_t delivered,
			const struct vigil_ring_producer *counters)
{
	size_t i;

	if (fmt == VIGILD_FORMAT_TEXT)
		fprintf(out, "drops produced=%" PRIu64 " delivered=%" PRIu64,
			(uint64_t)counters->produced, delivered);
	else
		fprintf(out, "{\"event\":\"drops\",\"produced\":%" PRIu64
			",\"delivered\":%" PRIu64,
			(uint64_t)counters->produced, delivered);
	for (i = 0; i < NR_DROP_NAMES; i++)
		fprintf(out, fmt == VIGILD_FORMAT_TEXT ? " %s=%" PRIu64 :
			",\"%s\":%" PRIu64, drop_names[i],
			(uint64_t)counters->dropped[i]);
	fputs(fmt == VIGILD_FORMAT_TEXT ? "\n" : "}\n", out);
}
