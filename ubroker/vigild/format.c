// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>

#include "format.h"
#include "json.h"

/* Names of the drop causes, by VIGIL_DROP_* index. */
static const char *const drop_names[] = {
	[VIGIL_DROP_RING_FULL] = "ring_full",
	[VIGIL_DROP_NESTED] = "nested",
	[VIGIL_DROP_DISCARDED] = "discarded",
};
#define NR_DROP_NAMES (sizeof(drop_names) / sizeof(drop_names[0]))

static void json_proc(FILE *out, const struct vigil_proc *p)
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

static void json_string_field(FILE *out, const char *name,
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

static void print_json(FILE *out, const struct vigil_event_view *v)
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
		json_proc(out, &v->fixed.fork.parent);
		fprintf(out, ",\"child_pid\":%u,\"child_tgid\":%u",
			v->fixed.fork.child_pid, v->fixed.fork.child_tgid);
		break;
	case VIGIL_EVENT_EXEC:
		json_proc(out, &v->fixed.exec.proc);
		fprintf(out, ",\"old_pid\":%u,\"argc\":%u,\"exe_dev\":%u,"
			"\"exe_ino\":%" PRIu64, v->fixed.exec.old_pid,
			v->fixed.exec.argc, v->fixed.exec.exe_dev,
			(uint64_t)v->fixed.exec.exe_ino);
		json_string_field(out, "exe", &v->exe);
		json_string_field(out, "filename", &v->filename);
		json_argv(out, &v->argv);
		break;
	case VIGIL_EVENT_EXIT:
		json_proc(out, &v->fixed.exit.proc);
		json_exit_code(out, v->fixed.exit.exit_code);
		fprintf(out, ",\"process_exit\":%s",
			v->fixed.exit.flags & VIGIL_EXIT_F_PROCESS ? "true" : "false");
		break;
	}
	fputs("}\n", out);
}

/* Printable text: control characters become '?'. */
static void text_str(FILE *out, const char *s, size_t len)
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
		text_str(out, f->data + i, n);
		i += n + 1;
	}
	if (f->flags & VIGIL_FIELD_F_TRUNCATED)
		fputs(" ...", out);
}

static void print_text(FILE *out, const struct vigil_event_view *v)
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
			text_str(out, v->exe.data, v->exe.len - 1);
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
	}
	fprintf(out, "event type=%u seq=%" PRIu64 "\n", v->type, v->seq);
}

void vigild_print_event(FILE *out, enum vigild_format fmt,
			const struct vigil_event_view *view)
{
	if (fmt == VIGILD_FORMAT_TEXT)
		print_text(out, view);
	else
		print_json(out, view);
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
