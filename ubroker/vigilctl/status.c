// SPDX-License-Identifier: GPL-2.0
/* Printing vigilctl's status, for people or as JSON.  No I/O but @out. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "broker.h"
#include "event.h"
#include "json.h"
#include "vigilctl.h"

static const char *name_or(const char *name, const char *fallback)
{
	return name ? name : fallback;
}

static unsigned long long ms_between(unsigned long long from_ns,
				     unsigned long long to_ns)
{
	return to_ns > from_ns ? (to_ns - from_ns) / 1000000ULL : 0;
}

static void text_faults(FILE *out, const struct vigil_watchdog_status *wd)
{
	unsigned int i;

	fputs("  faults since load:", out);
	for (i = 1; i < VIGIL_FAULT_SLOTS; i++)
		if (vigil_fault_name(i))
			fprintf(out, " %s=%" PRIu64, vigil_fault_name(i),
				(uint64_t)wd->faults[i]);
	fputc('\n', out);
}

/* Tripped: since when, and how it comes back. */
static void text_tripped(FILE *out, const struct vigilctl_status *st)
{
	const struct vigil_watchdog_status *wd = &st->wd;

	fprintf(out, "watchdog: tripped (%s), %llu s ago; trips since load: %u\n",
		name_or(vigil_fault_name(wd->reason), "?"),
		ms_between(wd->trip_time_ns, st->now_ns) / 1000, wd->trips);
	if (wd->auto_rearm_ns)
		fprintf(out, "  re-arms by itself in %llu ms (%u of %u automatic re-arms left)\n",
			ms_between(st->now_ns, wd->auto_rearm_ns),
			wd->max_auto_rearms - wd->auto_rearms, wd->max_auto_rearms);
	if (wd->rearm_after_ns > st->now_ns)
		fprintf(out, "  re-arm allowed in %llu ms (backoff after repeated trips)\n",
			ms_between(st->now_ns, wd->rearm_after_ns));
	else
		fputs("  re-arm allowed now: vigilctl rearm\n", out);
}

/* Degraded: since when, and when it may come back by itself. */
static void text_degraded(FILE *out, const struct vigilctl_status *st)
{
	const struct vigil_watchdog_status *wd = &st->wd;

	fprintf(out, "watchdog: degraded (%s), %llu s ago; degrades since load: %u\n",
		name_or(vigil_fault_name(wd->reason), "?"),
		ms_between(wd->degrade_time_ns, st->now_ns) / 1000, wd->degrades);
	fputs("  permission events get their miss verdict without asking; other events flow\n",
	      out);
	if (wd->recover_after_ns > st->now_ns)
		fprintf(out, "  back by itself once the broker is healthy, not before %llu ms (backoff after repeated degrades)\n",
			ms_between(st->now_ns, wd->recover_after_ns));
	else
		fputs("  back by itself at the next heartbeat that finds the broker healthy\n",
		      out);
}

static void text_watchdog(FILE *out, const struct vigilctl_status *st)
{
	const struct vigil_watchdog_status *wd = &st->wd;

	if (wd->state == VIGIL_WATCHDOG_TRIPPED) {
		text_tripped(out, st);
	} else if (wd->state == VIGIL_WATCHDOG_DEGRADED) {
		text_degraded(out, st);
	} else {
		fprintf(out, "watchdog: %s; trips since load: %u, degrades: %u",
			name_or(vigil_watchdog_state_name(wd->state), "?"),
			wd->trips, wd->degrades);
		if (wd->trips || wd->degrades)
			fprintf(out, ", the last for %s",
				name_or(vigil_fault_name(wd->reason), "?"));
		fputc('\n', out);
	}
	fprintf(out, "  faults in the window: %u; %u of the broker's within %u ms degrade it, %u of the shim's trip it; heartbeat %u ms\n",
		wd->window_faults, wd->max_faults, wd->window_ms, wd->max_faults,
		wd->heartbeat_ms);
	fprintf(out, "  re-armed by itself: %u of %u\n", wd->auto_rearms,
		wd->max_auto_rearms);
	text_faults(out, wd);
	fprintf(out, "hooks: %s; broker: %s\n",
		wd->hooks_attached ? "attached" : "detached",
		wd->broker_connected ? "connected" : "none");
}

void vigilctl_print_boot(FILE *out, const struct boot_state *st, int fresh,
			 const char *this_id, int cmdline_disabled)
{
	int this_boot = this_id && this_id[0] && !strcmp(st->boot_id, this_id);

	if (fresh) {
		fputs("boot guard: no state yet (vigilctl boot load has not run)\n", out);
	} else {
		fprintf(out, "boot guard: %u unblessed boot%s in a row", st->unblessed,
			st->unblessed == 1 ? "" : "s");
		if (st->limit)
			fprintf(out, ", limit %u", st->limit);
		fprintf(out, "; last: %s (%s)\n", boot_last_name(st->last),
			this_boot ? "this boot" : "an earlier boot");
		if (st->last == BOOT_REFUSED)
			fputs("  the shim is refused until: vigilctl boot reset\n", out);
		if (st->last == BOOT_LOADING && !this_boot)
			fputs("  that boot stopped while loading the shim: a crash or a hang?\n", out);
	}
	if (cmdline_disabled)
		fputs("  vigil.disable=1 is on the kernel command line\n", out);
}

static void json_watchdog(FILE *out, const struct vigilctl_status *st)
{
	const struct vigil_watchdog_status *wd = &st->wd;
	unsigned int i;

	fprintf(out, ",\"watchdog\":{\"state\":\"%s\",\"reason\":\"%s\",\"trips\":%u",
		name_or(vigil_watchdog_state_name(wd->state), "unknown"),
		name_or(vigil_fault_name(wd->reason), "unknown"), wd->trips);
	fprintf(out, ",\"trip_time_ns\":%" PRIu64 ",\"rearm_wait_ms\":%llu",
		(uint64_t)wd->trip_time_ns,
		wd->rearm_after_ns > st->now_ns ?
		ms_between(st->now_ns, wd->rearm_after_ns) : 0ULL);
	fprintf(out, ",\"window_faults\":%u,\"max_faults\":%u,\"window_ms\":%u,"
		"\"heartbeat_ms\":%u,\"hooks_attached\":%s,\"broker_connected\":%s",
		wd->window_faults, wd->max_faults, wd->window_ms, wd->heartbeat_ms,
		wd->hooks_attached ? "true" : "false",
		wd->broker_connected ? "true" : "false");
	fprintf(out, ",\"degrades\":%u,\"degrade_time_ns\":%" PRIu64
		",\"recover_wait_ms\":%llu,\"auto_rearms\":%u,\"max_auto_rearms\":%u"
		",\"auto_rearm_wait_ms\":%llu",
		wd->degrades, (uint64_t)wd->degrade_time_ns,
		ms_between(st->now_ns, wd->recover_after_ns), wd->auto_rearms,
		wd->max_auto_rearms, ms_between(st->now_ns, wd->auto_rearm_ns));
	fputs(",\"faults\":{", out);
	for (i = 1; i < VIGIL_FAULT_SLOTS; i++)
		if (vigil_fault_name(i))
			fprintf(out, "%s\"%s\":%" PRIu64, i > 1 ? "," : "",
				vigil_fault_name(i), (uint64_t)wd->faults[i]);
	fputs("}}", out);
}

void vigilctl_print_boot_json(FILE *out, const struct boot_state *b, int fresh,
			      int this_boot, int cmdline_disabled)
{
	fprintf(out, "{\"state\":%s,\"unblessed\":%u,\"limit\":%u,\"last\":\"%s\","
		"\"this_boot\":%s,\"cmdline_disabled\":%s}",
		fresh ? "\"none\"" : "\"recorded\"", b->unblessed,
		b->limit, boot_last_name(b->last), this_boot ? "true" : "false",
		cmdline_disabled ? "true" : "false");
}

static void json_boot(FILE *out, const struct vigilctl_status *st)
{
	fputs(",\"boot\":", out);
	if (!st->boot_known) {
		fputs("null", out);
		return;
	}
	vigilctl_print_boot_json(out, &st->boot, st->boot_fresh, st->boot_this,
				 st->cmdline_disabled);
}

static void json_broker(FILE *out, const struct vigilctl_status *st)
{
	if (!st->socket)
		return;
	fputs(",\"broker\":", out);
	if (!st->broker_err) {
		vigilctl_print_broker(out, &st->broker, 1);
		return;
	}
	fputs("null,\"broker_error\":", out);
	json_write_str(out, vigilctl_broker_error(st->broker_err),
		       strlen(vigilctl_broker_error(st->broker_err)));
}

static void text_broker(FILE *out, const struct vigilctl_status *st)
{
	if (!st->socket)
		return;
	if (!st->broker_err)
		vigilctl_print_broker(out, &st->broker, 0);
	else
		fprintf(out, "broker: %s (%s)\n", vigilctl_broker_error(st->broker_err),
			st->socket);
}

void vigilctl_print_status(FILE *out, const struct vigilctl_status *st,
			   int json)
{
	if (json) {
		fprintf(out, "{\"loaded\":%s", st->loaded ? "true" : "false");
		if (st->loaded)
			json_watchdog(out, st);
		json_broker(out, st);
		json_boot(out, st);
		fputs("}\n", out);
		return;
	}
	if (st->loaded)
		text_watchdog(out, st);
	else
		fputs("shim: not loaded\n", out);
	text_broker(out, st);
	if (st->boot_known)
		vigilctl_print_boot(out, &st->boot, st->boot_fresh,
				    st->boot_this ? st->boot.boot_id : NULL,
				    st->cmdline_disabled);
}
