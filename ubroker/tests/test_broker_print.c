// SPDX-License-Identifier: GPL-2.0
/* vigilctl's printing of what vigild tells it: status and clients, text and JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "broker.h"

static char *printed(void (*print)(FILE *, const void *, int), const void *what, int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	print(f, what, json);
	fclose(f);
	return buf;
}

static void print_status(FILE *f, const void *b, int json)
{
	vigilctl_print_broker(f, b, json);
}

static struct vigil_msg_broker_status status(void)
{
	struct vigil_msg_broker_status b = {
		.uptime_ns = 65000000000ULL, .abi_major = 1, .abi_minor = 2,
		.clients = 2, .max_clients = 16, .produced = 1010, .delivered = 1000,
		.dropped = { 10 }, .window_ns = 10000000000ULL,
		.window_delivered = 1000, .window_dropped = 10,
		.cut_off = { 0, 1, 2, 0 }, .refused = 3, .auth_by_clients = 40,
	};

	b.auth[0].type = VIGIL_EVENT_AUTH_EXEC;
	b.auth[0].requests = 50;
	b.auth[0].allowed = 45;
	b.auth[0].denied = 5;
	return b;
}

static void the_status_for_people(void **state)
{
	struct vigil_msg_broker_status b = status();
	char *s = printed(print_status, &b, 0);

	(void)state;
	assert_non_null(strstr(s, "broker: up 65 s; 2 clients (at most 16); records of ABI 1.2\n"));
	assert_non_null(strstr(s, "1000 delivered of 1010 produced; 10 dropped (ring_full=10 "));
	assert_non_null(strstr(s, "rates: 100.0 events/s, 1.0 drops/s (the last 10.0 s)"));
	assert_non_null(strstr(s, "auth_exec: 50 decided: 45 allowed, 5 denied"));
	assert_null(strstr(s, "auth_open"));	/* its counters were not read */
	assert_non_null(strstr(s, "misses=1 stalled=2 protocol=0; connections refused: 3"));
	free(s);
}

static void the_status_as_json(void **state)
{
	struct vigil_msg_broker_status b = status();
	char *s = printed(print_status, &b, 1);

	(void)state;
	assert_non_null(strstr(s, "{\"uptime_ms\":65000,\"abi\":\"1.2\",\"clients\":2,"));
	assert_non_null(strstr(s, "\"dropped\":{\"ring_full\":10,\"nested\":0,"));
	assert_non_null(strstr(s, "\"rate\":{\"window_ms\":10000,\"events_per_s\":100.000,"
				  "\"drops_per_s\":1.000}"));
	assert_non_null(strstr(s, "\"auth\":{\"auth_exec\":{\"requests\":50,"));
	assert_non_null(strstr(s, "\"cut_off\":{\"misses\":1,\"stalled\":2,\"protocol\":0}"));
	assert_int_equal('}', s[strlen(s) - 1]);
	free(s);
}

static void print_clients(FILE *f, const void *c, int json)
{
	vigilctl_print_clients(f, c, 2, json);
}

static void the_clients(void **state)
{
	struct vigil_msg_client_info c[2] = {
		{ .client_id = 3, .pid = 100, .uid = 0, .flags = VIGIL_CLIENT_INFO_F_READY,
		  .events = VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC) |
			    VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC),
		  .age_ns = 5000000000ULL, .mutes = 1, .deadline_ms = 250,
		  .name = "guard\"1", .st = { .events = 9, .auth_missed = 2,
					     .misses_in_row = 1 } },
		{ .client_id = 4, .pid = 101, .uid = 990 },
	};
	char *s = printed(print_clients, c, 0);

	(void)state;
	assert_non_null(strstr(s, "   3  guard\"1                  100      0  exec,auth_exec\n"));
	assert_non_null(strstr(s, "events 9, dropped 0; AUTH asked 0, answered 0, late 0, missed 2 (1 in a row); 1 mutes; deadline 250 ms; connected 5 s"));
	assert_non_null(strstr(s, "   4  (no hello yet)"));
	free(s);
	s = printed(print_clients, c, 1);
	assert_non_null(strstr(s, "{\"clients\":[{\"id\":3,\"name\":\"guard\\\"1\",\"ready\":true,"
				  "\"pid\":100,\"uid\":0,\"events\":[\"exec\",\"auth_exec\"],"
				  "\"age_ms\":5000,"));
	assert_non_null(strstr(s, "{\"id\":4,\"name\":\"\",\"ready\":false,"));
	assert_non_null(strstr(s, "\"events\":[]"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_status_for_people),
		cmocka_unit_test(the_status_as_json),
		cmocka_unit_test(the_clients),
	};

	return cmocka_run_group_tests_name("broker_print", tests, NULL, NULL);
}
