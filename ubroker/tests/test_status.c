// SPDX-License-Identifier: GPL-2.0
/* vigilctl status: what it prints, for people and as JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vigilctl.h"

#define SEC 1000000000ULL
#define BOOT_A	"0b1e5c3d-1111-4a2b-9c3d-aaaaaaaaaaaa"

/* vigilctl_error() is main.c's; the printing code never calls it. */
void vigilctl_error(const char *fmt, ...)
{
	(void)fmt;
	fail_msg("vigilctl_error called");
}

static char *print(const struct vigilctl_status *st, int json)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	vigilctl_print_status(f, st, json);
	fclose(f);
	return out;
}

static void tripped(struct vigilctl_status *st)
{
	memset(st, 0, sizeof(*st));
	st->loaded = 1;
	st->now_ns = 100 * SEC;
	st->wd.state = VIGIL_WATCHDOG_TRIPPED;
	st->wd.reason = VIGIL_FAULT_SLOW_HOOK;
	st->wd.trips = 2;
	st->wd.trip_time_ns = 70 * SEC;
	st->wd.rearm_after_ns = 105 * SEC;
	st->wd.auto_rearm_ns = 110 * SEC;
	st->wd.auto_rearms = 1;
	st->wd.max_auto_rearms = 3;
	st->wd.degrades = 4;
	st->wd.degrade_time_ns = 20 * SEC;
	st->wd.max_faults = 5;
	st->wd.window_ms = 60000;
	st->wd.heartbeat_ms = 5000;
	st->wd.broker_connected = 1;
	st->wd.faults[VIGIL_FAULT_BROKER_HUNG] = 10;
	st->wd.faults[VIGIL_FAULT_DEADLINE_MISSED] = 1;
	st->wd.faults[VIGIL_FAULT_SLOW_HOOK] = 10;
}

static void tripped_text(void **state)
{
	struct vigilctl_status st;
	char *out;

	(void)state;
	tripped(&st);
	out = print(&st, 0);
	assert_string_equal(
		"watchdog: tripped (slow_hook), 30 s ago; trips since load: 2\n"
		"  re-arms by itself in 10000 ms (2 of 3 automatic re-arms left)\n"
		"  re-arm allowed in 5000 ms (backoff after repeated trips)\n"
		"  faults in the window: 0; 5 of the broker's within 60000 ms degrade it, 5 of the shim's trip it; heartbeat 5000 ms\n"
		"  re-armed by itself: 1 of 3\n"
		"  faults since load: broker_gone=0 broker_hung=10 deadline_missed=1 ring_overflow=0 internal_error=0 slow_hook=10\n"
		"hooks: detached; broker: connected\n", out);
	free(out);
}

static void tripped_json(void **state)
{
	struct vigilctl_status st;
	char *out;

	(void)state;
	tripped(&st);
	out = print(&st, 1);
	assert_string_equal(
		"{\"loaded\":true,\"watchdog\":{\"state\":\"tripped\",\"reason\":\"slow_hook\","
		"\"trips\":2,\"trip_time_ns\":70000000000,\"rearm_wait_ms\":5000,"
		"\"window_faults\":0,\"max_faults\":5,\"window_ms\":60000,\"heartbeat_ms\":5000,"
		"\"hooks_attached\":false,\"broker_connected\":true,"
		"\"degrades\":4,\"degrade_time_ns\":20000000000,\"recover_wait_ms\":0,"
		"\"auto_rearms\":1,\"max_auto_rearms\":3,\"auto_rearm_wait_ms\":10000,"
		"\"faults\":{\"broker_gone\":0,"
		"\"broker_hung\":10,\"deadline_missed\":1,\"ring_overflow\":0,"
		"\"internal_error\":0,\"slow_hook\":10}},\"boot\":null}\n", out);
	free(out);
}

/* Degraded: the broker's faults; when it may come back. */
static void degraded_text(void **state)
{
	struct vigilctl_status st;
	char *out;

	(void)state;
	tripped(&st);
	st.wd.state = VIGIL_WATCHDOG_DEGRADED;
	st.wd.reason = VIGIL_FAULT_DEADLINE_MISSED;
	st.wd.degrade_time_ns = 90 * SEC;
	st.wd.recover_after_ns = 102 * SEC;
	st.wd.auto_rearm_ns = 0;
	st.wd.rearm_after_ns = 0;
	st.wd.hooks_attached = 1;
	out = print(&st, 0);
	assert_non_null(strstr(out,
		"watchdog: degraded (deadline_missed), 10 s ago; degrades since load: 4\n"
		"  permission events get their miss verdict without asking; other events flow\n"
		"  back by itself once the broker is healthy, not before 2000 ms (backoff after repeated degrades)\n"));
	free(out);
	st.wd.recover_after_ns = 0;
	out = print(&st, 0);
	assert_non_null(strstr(out,
		"  back by itself at the next heartbeat that finds the broker healthy\n"));
	free(out);
	out = print(&st, 1);
	assert_non_null(strstr(out, "{\"state\":\"degraded\",\"reason\":\"deadline_missed\""));
	free(out);
}

static void armed_after_a_trip_with_boot_guard(void **state)
{
	struct vigilctl_status st;
	char *out;

	(void)state;
	tripped(&st);
	st.wd.state = VIGIL_WATCHDOG_ARMED;
	st.wd.rearm_after_ns = 0;
	st.wd.hooks_attached = 1;
	st.wd.window_faults = 1;
	st.boot_known = 1;
	st.boot.unblessed = 1;
	st.boot.limit = 3;
	st.boot.last = BOOT_LOADED;
	strcpy(st.boot.boot_id, BOOT_A);
	st.boot_this = 1;
	out = print(&st, 0);
	assert_non_null(strstr(out, "watchdog: armed; trips since load: 2, degrades: 4, the last for slow_hook\n"
				    "  faults in the window: 1; 5 of the broker's within"));
	assert_non_null(strstr(out, "hooks: attached; broker: connected\n"
				    "boot guard: 1 unblessed boot in a row, limit 3; last: loaded (this boot)\n"));
	free(out);
}

static void not_loaded_refused(void **state)
{
	struct vigilctl_status st = { 0 };
	char *out;

	(void)state;
	st.boot_known = 1;
	st.boot.unblessed = 3;
	st.boot.limit = 3;
	st.boot.last = BOOT_REFUSED;
	st.cmdline_disabled = 1;
	out = print(&st, 0);
	assert_string_equal(
		"shim: not loaded\n"
		"boot guard: 3 unblessed boots in a row, limit 3; last: refused (an earlier boot)\n"
		"  the shim is refused until: vigilctl boot reset\n"
		"  vigil.disable=1 is on the kernel command line\n", out);
	free(out);
	out = print(&st, 1);
	assert_string_equal(
		"{\"loaded\":false,\"boot\":{\"state\":\"recorded\",\"unblessed\":3,\"limit\":3,"
		"\"last\":\"refused\",\"this_boot\":false,\"cmdline_disabled\":true}}\n", out);
	free(out);
}

static void a_boot_that_stopped_while_loading(void **state)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	struct boot_state b = { .unblessed = 2, .limit = 3, .last = BOOT_LOADING };

	(void)state;
	strcpy(b.boot_id, BOOT_A);
	vigilctl_print_boot(f, &b, 0, "0b1e5c3d-2222-4a2b-9c3d-bbbbbbbbbbbb", 0);
	fclose(f);
	assert_non_null(strstr(out, "stopped while loading the shim: a crash or a hang?"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tripped_text),
		cmocka_unit_test(tripped_json),
		cmocka_unit_test(degraded_text),
		cmocka_unit_test(armed_after_a_trip_with_boot_guard),
		cmocka_unit_test(not_loaded_refused),
		cmocka_unit_test(a_boot_that_stopped_while_loading),
	};

	return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
