// SPDX-License-Identifier: GPL-2.0
/* Printing what vigild told vigilctl, for people or as JSON.  No I/O but @out. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "broker.h"
#include "event.h"
#include "json.h"

static const char *const drop_names[VIGIL_STATUS_DROP_CAUSES] = {
	[VIGIL_DROP_RING_FULL] = "ring_full",
	[VIGIL_DROP_NESTED] = "nested",
	[VIGIL_DROP_DISCARDED] = "discarded",
	[VIGIL_DROP_INTERNAL] = "internal",
	[VIGIL_DROP_RATE_LIMIT] = "rate_limit",
};

static const char *const cut_names[4] = {
	[VIGIL_CUT_OFF_MISSES] = "misses",
	[VIGIL_CUT_OFF_STALLED] = "stalled",
	[VIGIL_CUT_OFF_PROTOCOL] = "protocol",
};

static uint64_t dropped_total(const struct vigil_msg_broker_status *b)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < VIGIL_STATUS_DROP_CAUSES; i++)
		n += b->dropped[i];
	return n;
}

/* Per second, over the window; 0 without one. */
static double per_s(uint64_t count, uint64_t span_ns)
{
	return span_ns ? (double)count * 1e9 / (double)span_ns : 0.0;
}

/* "auth_exec,exec", or "-" for none. */
static void event_list(FILE *out, uint64_t events, int json)
{
	const char *sep = "";
	unsigned int t;

	if (json)
		fputc('[', out);
	for (t = 1; t < 64; t++) {
		const char *name = vigil_event_type_name(t);

		if (!(events & VIGIL_EVENT_BIT(t)))
			continue;
		if (json)
			fprintf(out, "%s\"%s\"", sep, name ? name : "unknown");
		else
			fprintf(out, "%s%s", sep, name ? name : "?");
		sep = ",";
	}
	if (json)
		fputc(']', out);
	else if (!*sep)
		fputc('-', out);
}

static void text_auth(FILE *out, const struct vigil_auth_stats *a)
{
	const char *name = vigil_event_type_name(a->type);

	if (!name)
		return;
	fprintf(out, "  %s: %" PRIu64 " decided: %" PRIu64 " allowed, %" PRIu64
		" denied; answered %" PRIu64 ", missed %" PRIu64 ", cache hits %" PRIu64
		", muted %" PRIu64 ", no room %" PRIu64 "\n", name,
		(uint64_t)a->requests, (uint64_t)a->allowed, (uint64_t)a->denied,
		(uint64_t)a->answered, (uint64_t)a->missed, (uint64_t)a->cache_hits,
		(uint64_t)a->muted, (uint64_t)(a->overflow + a->undelivered));
}

static void text_broker(FILE *out, const struct vigil_msg_broker_status *b)
{
	unsigned int i;

	fprintf(out, "broker: up %" PRIu64 " s; %u client%s (at most %u); records of ABI %u.%u\n",
		b->uptime_ns / 1000000000U, b->clients, b->clients == 1 ? "" : "s",
		b->max_clients, b->abi_major, b->abi_minor);
	fprintf(out, "  events: %" PRIu64 " delivered of %" PRIu64 " produced; %" PRIu64
		" dropped (", b->delivered, b->produced, dropped_total(b));
	for (i = 0; i < VIGIL_STATUS_DROP_CAUSES; i++)
		fprintf(out, "%s%s=%" PRIu64, i ? " " : "", drop_names[i], b->dropped[i]);
	fprintf(out, "); %" PRIu64 " malformed\n", b->malformed);
	if (b->window_ns)
		fprintf(out, "  rates: %.1f events/s, %.1f drops/s (the last %.1f s)\n",
			per_s(b->window_delivered, b->window_ns),
			per_s(b->window_dropped, b->window_ns), (double)b->window_ns / 1e9);
	for (i = 0; i < 2; i++)
		text_auth(out, &b->auth[i]);
	fprintf(out, "  AUTH decided by clients %" PRIu64 ", by vigild's rules %" PRIu64
		", with nobody to ask %" PRIu64 "; verdicts too late %" PRIu64 "\n",
		b->auth_by_clients, b->auth_by_rules, b->auth_unasked, b->verdicts_late);
	fprintf(out, "  clients cut off: misses=%" PRIu64 " stalled=%" PRIu64
		" protocol=%" PRIu64 "; connections refused: %" PRIu64 "\n",
		b->cut_off[VIGIL_CUT_OFF_MISSES], b->cut_off[VIGIL_CUT_OFF_STALLED],
		b->cut_off[VIGIL_CUT_OFF_PROTOCOL], b->refused);
}

static void json_auth(FILE *out, const struct vigil_auth_stats *a)
{
	unsigned int i;

	fprintf(out, "\"%s\":{\"requests\":%" PRIu64 ",\"allowed\":%" PRIu64
		",\"denied\":%" PRIu64 ",\"answered\":%" PRIu64 ",\"missed\":%" PRIu64
		",\"overflow\":%" PRIu64 ",\"undelivered\":%" PRIu64 ",\"released\":%" PRIu64
		",\"killed\":%" PRIu64 ",\"cache_hits\":%" PRIu64 ",\"cache_misses\":%" PRIu64
		",\"muted\":%" PRIu64 ",\"self\":%" PRIu64 ",\"latency_buckets\":[",
		vigil_event_type_name(a->type), (uint64_t)a->requests,
		(uint64_t)a->allowed, (uint64_t)a->denied, (uint64_t)a->answered,
		(uint64_t)a->missed, (uint64_t)a->overflow, (uint64_t)a->undelivered,
		(uint64_t)a->released, (uint64_t)a->killed, (uint64_t)a->cache_hits,
		(uint64_t)a->cache_misses, (uint64_t)a->muted, (uint64_t)a->self);
	for (i = 0; i < VIGIL_LATENCY_BUCKETS; i++)
		fprintf(out, "%s%" PRIu64, i ? "," : "", (uint64_t)a->latency[i]);
	fputs("]}", out);
}

static void json_broker(FILE *out, const struct vigil_msg_broker_status *b)
{
	const char *sep = "";
	unsigned int i;

	fprintf(out, "{\"uptime_ms\":%" PRIu64 ",\"abi\":\"%u.%u\",\"clients\":%u,"
		"\"max_clients\":%u,\"produced\":%" PRIu64 ",\"delivered\":%" PRIu64
		",\"dropped\":{", b->uptime_ns / 1000000U, b->abi_major, b->abi_minor,
		b->clients, b->max_clients, b->produced, b->delivered);
	for (i = 0; i < VIGIL_STATUS_DROP_CAUSES; i++)
		fprintf(out, "%s\"%s\":%" PRIu64, i ? "," : "", drop_names[i], b->dropped[i]);
	fprintf(out, "},\"malformed\":%" PRIu64 ",\"rate\":{\"window_ms\":%" PRIu64
		",\"events_per_s\":%.3f,\"drops_per_s\":%.3f},\"auth\":{",
		b->malformed, b->window_ns / 1000000U,
		per_s(b->window_delivered, b->window_ns),
		per_s(b->window_dropped, b->window_ns));
	for (i = 0; i < 2; i++) {
		if (!vigil_event_type_name(b->auth[i].type))
			continue;
		fputs(sep, out);
		json_auth(out, &b->auth[i]);
		sep = ",";
	}
	fprintf(out, "},\"decided\":{\"clients\":%" PRIu64 ",\"rules\":%" PRIu64
		",\"unasked\":%" PRIu64 "},\"verdicts_late\":%" PRIu64 ",\"cut_off\":{",
		b->auth_by_clients, b->auth_by_rules, b->auth_unasked, b->verdicts_late);
	for (i = 1; i < 4; i++)
		fprintf(out, "%s\"%s\":%" PRIu64, i > 1 ? "," : "", cut_names[i], b->cut_off[i]);
	fprintf(out, "},\"refused\":%" PRIu64 "}", b->refused);
}

void vigilctl_print_broker(FILE *out, const struct vigil_msg_broker_status *b,
			   int json)
{
	if (json)
		json_broker(out, b);
	else
		text_broker(out, b);
}

static void text_client(FILE *out, const struct vigil_msg_client_info *c)
{
	const struct vigil_msg_stats *s = &c->st;

	fprintf(out, "%4u  %-20s %7u %6u  ", c->client_id,
		c->flags & VIGIL_CLIENT_INFO_F_READY ? c->name : "(no hello yet)",
		c->pid, c->uid);
	event_list(out, c->events, 0);
	fprintf(out, "\n      events %" PRIu64 ", dropped %" PRIu64 "; AUTH asked %" PRIu64
		", answered %" PRIu64 ", late %" PRIu64 ", missed %" PRIu64
		" (%u in a row); %u mutes; deadline %u ms; connected %" PRIu64 " s\n",
		s->events, s->dropped, s->auth_asked, s->auth_answered, s->auth_late,
		s->auth_missed, s->misses_in_row, c->mutes, c->deadline_ms,
		c->age_ns / 1000000000U);
}

static void json_client(FILE *out, const struct vigil_msg_client_info *c)
{
	const struct vigil_msg_stats *s = &c->st;

	fprintf(out, "{\"id\":%u,\"name\":", c->client_id);
	json_write_str(out, c->name, strnlen(c->name, sizeof(c->name)));
	fprintf(out, ",\"ready\":%s,\"pid\":%u,\"uid\":%u,\"events\":",
		c->flags & VIGIL_CLIENT_INFO_F_READY ? "true" : "false", c->pid, c->uid);
	event_list(out, c->events, 1);
	fprintf(out, ",\"age_ms\":%" PRIu64 ",\"mutes\":%u,\"deadline_ms\":%u,"
		"\"stats\":{\"events\":%" PRIu64 ",\"dropped\":%" PRIu64
		",\"auth_asked\":%" PRIu64 ",\"auth_answered\":%" PRIu64
		",\"auth_late\":%" PRIu64 ",\"auth_missed\":%" PRIu64
		",\"misses_in_row\":%u}}", c->age_ns / 1000000U, c->mutes,
		c->deadline_ms, s->events, s->dropped, s->auth_asked, s->auth_answered,
		s->auth_late, s->auth_missed, s->misses_in_row);
}

void vigilctl_print_clients(FILE *out, const struct vigil_msg_client_info *c,
			    uint32_t n, int json)
{
	uint32_t i;

	if (json) {
		fputs("{\"clients\":[", out);
		for (i = 0; i < n; i++) {
			if (i)
				fputc(',', out);
			json_client(out, &c[i]);
		}
		fputs("]}\n", out);
		return;
	}
	if (!n) {
		fputs("no clients\n", out);
		return;
	}
	fprintf(out, "%4s  %-20s %7s %6s  %s\n", "ID", "NAME", "PID", "UID", "SUBSCRIBED");
	for (i = 0; i < n; i++)
		text_client(out, &c[i]);
}
