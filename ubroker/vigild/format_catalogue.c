// SPDX-License-Identifier: GPL-2.0
/*
 * vigild's output of the catalogue's records (ABI 1.3): credential,
 * signal, ptrace, module, mount, network and file events.  Every line
 * has the actor (the process block, its cgroup_id and exe), then the
 * record's own keys, documented in Documentation/vigild.rst.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "format.h"

static void json_actor(FILE *out, const struct vigil_event_view *v)
{
	const struct vigil_actor *a = vigil_event_actor(v);

	vigild_json_proc(out, &a->proc);
	fprintf(out, ",\"cgroup_id\":%" PRIu64, (uint64_t)a->cgroup_id);
	vigild_json_string_field(out, "exe", &v->exe);
}

/* A string field only if the record has it. */
static void json_opt_field(FILE *out, const char *name, const struct vigil_field_view *f)
{
	if (f->data)
		vigild_json_string_field(out, name, f);
}

static void json_ids(FILE *out, const char *key, const struct vigil_ids *ids,
		     const struct vigil_caps *caps)
{
	fprintf(out, ",\"%s\":{\"uid\":%u,\"euid\":%u,\"suid\":%u,\"fsuid\":%u,"
		"\"gid\":%u,\"egid\":%u,\"sgid\":%u,\"fsgid\":%u,"
		"\"cap_effective\":%" PRIu64 ",\"cap_permitted\":%" PRIu64
		",\"cap_inheritable\":%" PRIu64 ",\"cap_ambient\":%" PRIu64 "}",
		key, ids->uid, ids->euid, ids->suid, ids->fsuid, ids->gid, ids->egid,
		ids->sgid, ids->fsgid, (uint64_t)caps->effective,
		(uint64_t)caps->permitted, (uint64_t)caps->inheritable,
		(uint64_t)caps->ambient);
}

static void json_cred(FILE *out, const struct vigil_cred_event *ev)
{
	static const char *const names[] = { "uids", "gids", "caps" };
	unsigned int i;
	const char *sep = "";

	fputs(",\"changed\":[", out);
	for (i = 0; i < 3; i++)
		if (ev->changed & (1U << i)) {
			fprintf(out, "%s\"%s\"", sep, names[i]);
			sep = ",";
		}
	fputc(']', out);
	json_ids(out, "old", &ev->old_ids, &ev->old_caps);
	json_ids(out, "new", &ev->new_ids, &ev->new_caps);
}

static const char *family_name(uint16_t family)
{
	switch (family) {
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	case AF_UNIX:
		return "unix";
	}
	return NULL;
}

/* "addr" and "port" of an inet address; nothing for unix or none. */
static void json_sockaddr(FILE *out, const char *key, const struct vigil_sockaddr *sa)
{
	char addr[INET6_ADDRSTRLEN] = "";

	if (sa->family != AF_INET && sa->family != AF_INET6)
		return;
	inet_ntop(sa->family, sa->addr, addr, sizeof(addr));
	fprintf(out, ",\"%s\":{\"addr\":\"%s\",\"port\":%u", key, addr, sa->port);
	if (sa->scope_id)
		fprintf(out, ",\"scope_id\":%u", sa->scope_id);
	fputc('}', out);
}

static void json_unix_path(FILE *out, const char *name, const struct vigil_field_view *f)
{
	json_opt_field(out, name, f);
	if (f->data && (f->flags & VIGIL_FIELD_F_ABSTRACT))
		fprintf(out, ",\"%s_abstract\":true", name);
}

static void json_net(FILE *out, const struct vigil_event_view *v)
{
	const struct vigil_net_event *ev = &v->fixed.net;
	const char *family = family_name(ev->family);

	if (family)
		fprintf(out, ",\"family\":\"%s\"", family);
	else
		fprintf(out, ",\"family\":%u", ev->family);
	fprintf(out, ",\"sock_type\":%u,\"protocol\":%u", ev->type, ev->protocol);
	if (v->type == VIGIL_EVENT_NET_LISTEN)
		fprintf(out, ",\"backlog\":%u", ev->backlog);
	json_sockaddr(out, "local", &ev->local);
	json_sockaddr(out, "remote", &ev->remote);
	json_unix_path(out, "local_path", &v->local_path);
	json_unix_path(out, "peer_path", &v->peer_path);
}

static void json_file(FILE *out, const struct vigil_event_view *v)
{
	const struct vigil_file_event *ev = &v->fixed.file;

	fprintf(out, ",\"flags\":%u,\"mode\":%u,\"uid\":%u,\"gid\":%u,\"dev\":%u,"
		"\"ino\":%" PRIu64, ev->flags, ev->mode, ev->uid, ev->gid, ev->dev,
		(uint64_t)ev->ino);
	json_opt_field(out, "path", &v->path);
	json_opt_field(out, "new_path", &v->new_path);
	json_opt_field(out, "target", &v->target);
}

void vigild_json_catalogue(FILE *out, const struct vigil_event_view *v)
{
	const struct vigil_signal_event *sig = &v->fixed.signal;
	const struct vigil_ptrace_event *pt = &v->fixed.ptrace;

	json_actor(out, v);
	switch (v->type) {
	case VIGIL_EVENT_CRED:
		json_cred(out, &v->fixed.cred);
		return;
	case VIGIL_EVENT_SIGNAL:
		fprintf(out, ",\"target_pid\":%u,\"target_tgid\":%u,\"signo\":%u,"
			"\"code\":%d,\"group\":%s,\"result\":%d", sig->target_pid,
			sig->target_tgid, sig->signo, sig->code,
			sig->flags & VIGIL_SIGNAL_F_GROUP ? "true" : "false", sig->result);
		return;
	case VIGIL_EVENT_PTRACE:
		fprintf(out, ",\"tracer_pid\":%u,\"tracer_tgid\":%u,\"target_pid\":%u,"
			"\"target_tgid\":%u,\"traceme\":%s,\"fork\":%s", pt->tracer_pid,
			pt->tracer_tgid, pt->target_pid, pt->target_tgid,
			pt->flags & VIGIL_PTRACE_F_TRACEME ? "true" : "false",
			pt->flags & VIGIL_PTRACE_F_FORK ? "true" : "false");
		return;
	case VIGIL_EVENT_MODULE_LOAD:
	case VIGIL_EVENT_MODULE_UNLOAD:
		json_opt_field(out, "name", &v->name);
		fprintf(out, ",\"taints\":%u", v->fixed.module.taints);
		return;
	case VIGIL_EVENT_MOUNT:
	case VIGIL_EVENT_UMOUNT:
		fprintf(out, ",\"flags\":%" PRIu64, (uint64_t)v->fixed.mount.flags);
		json_opt_field(out, "source", &v->source);
		json_opt_field(out, "path", &v->path);
		json_opt_field(out, "fstype", &v->fstype);
		return;
	}
	if (v->type >= VIGIL_EVENT_NET_CONNECT && v->type <= VIGIL_EVENT_NET_ACCEPT)
		json_net(out, v);
	else
		json_file(out, v);
}

static void text_field(FILE *out, const struct vigil_field_view *f)
{
	if (f->data)
		vigild_text_str(out, f->data, f->len - 1);
	else
		fputc('-', out);
}

/* What changed: "uid 0 -> 1000 euid 0 -> 1000", "gid ...", "caps ...". */
static void text_cred(FILE *out, const struct vigil_cred_event *ev)
{
	const char *sep = "";

	if (ev->changed & VIGIL_CRED_UIDS) {
		fprintf(out, "uid %u -> %u euid %u -> %u", ev->old_ids.uid,
			ev->new_ids.uid, ev->old_ids.euid, ev->new_ids.euid);
		sep = ", ";
	}
	if (ev->changed & VIGIL_CRED_GIDS) {
		fprintf(out, "%sgid %u -> %u egid %u -> %u", sep, ev->old_ids.gid,
			ev->new_ids.gid, ev->old_ids.egid, ev->new_ids.egid);
		sep = ", ";
	}
	if (ev->changed & VIGIL_CRED_CAPS)
		fprintf(out, "%scap_effective %#" PRIx64 " -> %#" PRIx64, sep,
			(uint64_t)ev->old_caps.effective, (uint64_t)ev->new_caps.effective);
	fputc('\n', out);
}

/* "10.0.0.1:443", "[::1]:22", or a unix path; "-" for none. */
static void text_sockaddr(FILE *out, const struct vigil_sockaddr *sa,
			  const struct vigil_field_view *unix_path)
{
	char addr[INET6_ADDRSTRLEN] = "";

	if (sa->family == AF_INET || sa->family == AF_INET6) {
		inet_ntop(sa->family, sa->addr, addr, sizeof(addr));
		fprintf(out, sa->family == AF_INET6 ? "[%s]:%u" : "%s:%u", addr, sa->port);
	} else {
		text_field(out, unix_path);
	}
}

/* "inet 10.0.0.2:5000 -> 10.0.0.1:443": local, then the remote if any. */
static void text_net(FILE *out, const struct vigil_event_view *v)
{
	const struct vigil_net_event *ev = &v->fixed.net;
	const char *family = family_name(ev->family);

	if (family)
		fprintf(out, "%s ", family);
	else
		fprintf(out, "family=%u ", ev->family);
	text_sockaddr(out, &ev->local, &v->local_path);
	if (ev->remote.family || v->peer_path.data) {
		fputs(" -> ", out);
		text_sockaddr(out, &ev->remote, &v->peer_path);
	}
	fputc('\n', out);
}

/* One line: the type, who, and the record's main thing. */
void vigild_text_catalogue(FILE *out, const struct vigil_event_view *v)
{
	const struct vigil_actor *a = vigil_event_actor(v);
	const struct vigil_field_view *what = &v->path;

	fprintf(out, "%-16s pid=%-6u uid=%-5u ", vigil_event_type_name(v->type),
		a->proc.tgid, a->proc.uid);
	switch (v->type) {
	case VIGIL_EVENT_CRED:
		text_cred(out, &v->fixed.cred);
		return;
	case VIGIL_EVENT_SIGNAL:
		fprintf(out, "signal %u -> pid %u\n", v->fixed.signal.signo,
			v->fixed.signal.target_tgid);
		return;
	case VIGIL_EVENT_PTRACE:
		fprintf(out, "tracer %u -> pid %u\n", v->fixed.ptrace.tracer_tgid,
			v->fixed.ptrace.target_pid);
		return;
	case VIGIL_EVENT_MODULE_LOAD:
	case VIGIL_EVENT_MODULE_UNLOAD:
		what = &v->name;
		break;
	}
	if (v->type >= VIGIL_EVENT_NET_CONNECT && v->type <= VIGIL_EVENT_NET_ACCEPT) {
		text_net(out, v);
		return;
	}
	text_field(out, what);
	if (v->new_path.data || v->target.data) {
		fputs(" -> ", out);
		text_field(out, v->new_path.data ? &v->new_path : &v->target);
	}
	fputc('\n', out);
}

/* An AUTH decision the broker did not make (1.4): whose, what, and why. */
void vigild_json_auth_fallback(FILE *out, const struct vigil_event_view *v)
{
	const struct vigil_auth_fallback_event *ev = &v->fixed.auth_fallback;
	const char *cause = vigil_fallback_cause_name(ev->cause);
	const char *type = vigil_event_type_name(ev->auth_type);

	json_actor(out, v);
	if (type)
		fprintf(out, ",\"auth_event\":\"%s\"", type);
	else
		fprintf(out, ",\"auth_event\":%u", ev->auth_type);
	if (cause)
		fprintf(out, ",\"cause\":\"%s\"", cause);
	else
		fprintf(out, ",\"cause\":%u", ev->cause);
	fprintf(out, ",\"id\":%" PRIu64 ",\"applied\":\"%s\"", (uint64_t)ev->id,
		ev->verdict == VIGIL_VERDICT_DENY ? "deny" : "allow");
	json_opt_field(out, "path", &v->path);
}

void vigild_text_auth_fallback(FILE *out, const struct vigil_event_view *v)
{
	const struct vigil_auth_fallback_event *ev = &v->fixed.auth_fallback;
	const char *cause = vigil_fallback_cause_name(ev->cause);
	const char *type = vigil_event_type_name(ev->auth_type);

	fprintf(out, "FALLBACK %s pid=%-6u uid=%-5u ", type ? type : "?",
		ev->actor.proc.tgid, ev->actor.proc.uid);
	text_field(out, &v->path);
	fprintf(out, " -> %s (%s, not the broker's)\n",
		ev->verdict == VIGIL_VERDICT_DENY ? "deny" : "allow",
		cause ? cause : "?");
}
