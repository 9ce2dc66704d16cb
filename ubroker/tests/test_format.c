// SPDX-License-Identifier: GPL-2.0
/* vigild's output lines, exactly as Documentation/vigild.rst gives them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "event.h"
#include "format.h"
#include "record_builder.h"

static struct rb rb;

static char *format_verdict(enum vigild_format fmt, const char *verdict)
{
	struct vigil_event_view v;
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	assert_int_equal(0, vigil_event_decode(rb.buf, rb.len, &v));
	vigild_print_event(f, fmt, &v, verdict);
	fclose(f);
	return out;
}

static char *format(enum vigild_format fmt)
{
	return format_verdict(fmt, NULL);
}

#define PROC_42 "\"pid\":42,\"tgid\":42,\"ppid\":1,\"uid\":1000,\"gid\":100," \
		"\"euid\":1000,\"egid\":100,\"start_ns\":555"

static void exec_json(void **state)
{
	char *line;

	(void)state;
	rb_exec_ls(&rb);
	line = format(VIGILD_FORMAT_JSON);
	assert_string_equal("{\"seq\":7,\"time_ns\":1007,\"event\":\"exec\","
			    PROC_42 ",\"old_pid\":42,\"argc\":2,"
			    "\"exe_dev\":2049,\"exe_ino\":131,"
			    "\"exe\":\"/usr/bin/ls\",\"filename\":\"/bin/ls\","
			    "\"argv\":[\"ls\",\"-l\"]}\n", line);
	free(line);
}

static void exec_json_flags(void **state)
{
	struct vigil_exec_event *ex;
	char *line;

	(void)state;
	ex = rb_init(&rb, VIGIL_EVENT_EXEC, sizeof(*ex), 1);
	rb_event(&rb)->flags = VIGIL_EVENT_F_TRUNCATED;
	rb_field(&rb, VIGIL_FIELD_EXE,
		 VIGIL_FIELD_F_TRUNCATED | VIGIL_FIELD_F_UNAVAILABLE, "", 1);
	rb_field(&rb, VIGIL_FIELD_FILENAME, VIGIL_FIELD_F_OTHER_ROOT, "/x", 3);
	rb_field(&rb, VIGIL_FIELD_ARGV, VIGIL_FIELD_F_TRUNCATED, "a\0b", 4);
	line = format(VIGILD_FORMAT_JSON);
	assert_non_null(strstr(line, ",\"truncated\":true,"));
	assert_non_null(strstr(line, "\"exe\":\"\",\"exe_unavailable\":true,\"exe_truncated\":true"));
	assert_non_null(strstr(line, "\"filename\":\"/x\",\"filename_other_root\":true"));
	assert_non_null(strstr(line, "\"argv\":[\"a\",\"b\"],\"argv_truncated\":true}"));
	free(line);
}

static void exec_json_missing_field(void **state)
{
	char *line;

	(void)state;
	rb_init(&rb, VIGIL_EVENT_EXEC, sizeof(struct vigil_exec_event), 1);
	rb_str(&rb, VIGIL_FIELD_EXE, "/bin/x");
	line = format(VIGILD_FORMAT_JSON);
	assert_non_null(strstr(line, "\"filename\":null,\"filename_unavailable\":true"));
	assert_non_null(strstr(line, "\"argv\":[],\"argv_unavailable\":true"));
	free(line);
}

static void fork_json(void **state)
{
	struct vigil_fork_event *fk;
	char *line;

	(void)state;
	fk = rb_init(&rb, VIGIL_EVENT_FORK, sizeof(*fk), 3);
	fk->parent.pid = 42;
	fk->child_pid = 43;
	fk->child_tgid = 43;
	line = format(VIGILD_FORMAT_JSON);
	assert_non_null(strstr(line, "\"event\":\"fork\",\"pid\":42,"));
	assert_non_null(strstr(line, ",\"child_pid\":43,\"child_tgid\":43}\n"));
	free(line);
}

static void exit_json_status_and_signal(void **state)
{
	struct vigil_exit_event *ex;
	char *line;

	(void)state;
	ex = rb_init(&rb, VIGIL_EVENT_EXIT, sizeof(*ex), 4);
	ex->exit_code = 3 << 8;
	ex->flags = VIGIL_EXIT_F_PROCESS;
	line = format(VIGILD_FORMAT_JSON);
	assert_non_null(strstr(line, "\"exit_code\":768,\"status\":3,\"process_exit\":true}"));
	free(line);

	ex->exit_code = 9;
	ex->flags = 0;
	line = format(VIGILD_FORMAT_JSON);
	assert_non_null(strstr(line, "\"exit_code\":9,\"signal\":9,\"process_exit\":false}"));
	free(line);

	ex->exit_code = 0x80 | 11;
	line = format(VIGILD_FORMAT_JSON);
	assert_non_null(strstr(line, "\"signal\":11,\"core_dumped\":true"));
	free(line);
}

static void unknown_json(void **state)
{
	char *line;

	(void)state;
	rb_init(&rb, 77, sizeof(struct vigil_event), 9);
	line = format(VIGILD_FORMAT_JSON);
	assert_string_equal("{\"seq\":9,\"time_ns\":1009,\"event\":\"unknown\",\"type\":77}\n",
			    line);
	free(line);
}

static void exec_text(void **state)
{
	char *line;

	(void)state;
	rb_exec_ls(&rb);
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("exec  pid=42     uid=1000  ppid=1      /usr/bin/ls : ls -l\n",
			    line);
	free(line);
}

static void exit_text(void **state)
{
	struct vigil_exit_event *ex;
	char *line;

	(void)state;
	ex = rb_init(&rb, VIGIL_EVENT_EXIT, sizeof(*ex), 4);
	ex->proc.tgid = 42;
	ex->exit_code = 3 << 8;
	ex->flags = VIGIL_EXIT_F_PROCESS;
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("exit  pid=42     uid=0     status=3\n", line);
	free(line);
	ex->exit_code = 9;
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("exit  pid=42     uid=0     signal=9\n", line);
	free(line);
	/* A thread's exit is left out of the text format. */
	ex->flags = 0;
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("", line);
	free(line);
}

static void auth_exec_json(void **state)
{
	char *line;

	(void)state;
	rb_auth_exec(&rb, 99, "/tmp/evil");
	line = format_verdict(VIGILD_FORMAT_JSON, "deny");
	assert_non_null(strstr(line, "\"event\":\"auth_exec\",\"id\":99,\"deadline_ns\":5000,"));
	assert_non_null(strstr(line, ",\"argc\":1,\"interpreter\":false,\"exe_dev\":2049,\"exe_ino\":77,"));
	assert_non_null(strstr(line, "\"exe\":\"/tmp/evil\""));
	assert_non_null(strstr(line, ",\"verdict\":\"deny\"}\n"));
	free(line);
	line = format_verdict(VIGILD_FORMAT_TEXT, "deny");
	assert_string_equal("AUTH  exec pid=42     uid=0     /tmp/evil : x -> deny\n", line);
	free(line);
}

static void auth_open_json(void **state)
{
	char *line;

	(void)state;
	rb_auth_open(&rb, 100, "/secret/key", VIGIL_ACCESS_READ | VIGIL_ACCESS_WRITE);
	line = format_verdict(VIGILD_FORMAT_JSON, "allow");
	assert_non_null(strstr(line, "\"event\":\"auth_open\",\"id\":100,"));
	assert_non_null(strstr(line, ",\"open_flags\":577,\"access\":[\"read\",\"write\"],\"dev\":2049,\"ino\":78,\"path\":\"/secret/key\",\"verdict\":\"allow\"}\n"));
	free(line);
	line = format_verdict(VIGILD_FORMAT_TEXT, "allow");
	assert_string_equal("AUTH  open pid=42     uid=0     rw- /secret/key -> allow\n", line);
	free(line);
}

static void auth_stats_line(void **state)
{
	struct vigil_auth_stats st = {
		.type = VIGIL_EVENT_AUTH_EXEC, .requests = 5, .allowed = 4,
		.denied = 1, .answered = 3, .cache_hits = 2,
	};
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	(void)state;
	st.latency[2] = 3;
	vigild_print_auth_stats(f, VIGILD_FORMAT_JSON, &st);
	fclose(f);
	assert_string_equal("{\"event\":\"auth_stats\",\"type\":\"auth_exec\",\"requests\":5,"
			    "\"allowed\":4,\"denied\":1,\"answered\":3,\"missed\":0,"
			    "\"overflow\":0,\"undelivered\":0,\"released\":0,\"killed\":0,"
			    "\"cache_hits\":2,\"cache_misses\":0,\"muted\":0,\"self\":0,"
			    "\"degraded\":0,\"latency\":[0,0,3,0,0,0,0,0]}\n", out);
	free(out);
}

static void drops_line(void **state)
{
	struct vigil_ring_producer c = { .produced = 10 };
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	(void)state;
	c.dropped[VIGIL_DROP_RING_FULL] = 4;
	vigild_print_drops(f, VIGILD_FORMAT_JSON, 6, &c);
	fclose(f);
	assert_string_equal("{\"event\":\"drops\",\"produced\":10,\"delivered\":6,"
			    "\"ring_full\":4,\"nested\":0,\"discarded\":0,\"internal\":0,"
			    "\"rate_limit\":0,\"source_budget\":0}\n", out);
	free(out);
}

/* A source's report, with what vigild delivered of it (1.4). */
static void source_line(void **state)
{
	struct vigil_source_event *ev;
	char *line;

	(void)state;
	ev = rb_init(&rb, VIGIL_EVENT_SOURCE, sizeof(*ev), 3);
	ev->uid = 1000;
	ev->produced = 100;
	ev->dropped[VIGIL_DROP_SOURCE_BUDGET] = 30;
	ev->dropped[VIGIL_DROP_RING_FULL] = 2;
	{
		struct vigil_event_view v;
		size_t n = 0;
		FILE *f = open_memstream(&line, &n);

		assert_int_equal(0, vigil_event_decode(rb.buf, rb.len, &v));
		vigild_print_source(f, VIGILD_FORMAT_JSON, &v, 68);
		vigild_print_source(f, VIGILD_FORMAT_TEXT, &v, 68);
		fclose(f);
	}
	assert_string_equal("{\"seq\":3,\"time_ns\":1003,\"event\":\"source\",\"uid\":1000,"
			    "\"produced\":100,\"delivered\":68,\"dropped\":{\"ring_full\":2,"
			    "\"nested\":0,\"discarded\":0,\"internal\":0,\"rate_limit\":0,"
			    "\"source_budget\":30}}\n"
			    "SOURCE uid=1000 produced=100 delivered=68 ring_full=2 nested=0 "
			    "discarded=0 internal=0 rate_limit=0 source_budget=30\n", line);
	free(line);
}

static void watchdog_record(uint32_t state, uint32_t reason)
{
	struct vigil_watchdog_event *ev;

	ev = rb_init(&rb, VIGIL_EVENT_WATCHDOG, sizeof(*ev), 9);
	ev->state = state;
	ev->reason = reason;
	ev->trips = 2;
	ev->trip_time_ns = 777;
}

static void watchdog_json_and_text(void **state)
{
	char *line;

	(void)state;
	watchdog_record(VIGIL_WATCHDOG_TRIPPED, VIGIL_FAULT_BROKER_HUNG);
	line = format(VIGILD_FORMAT_JSON);
	assert_string_equal("{\"seq\":9,\"time_ns\":1009,\"event\":\"watchdog\","
			    "\"state\":\"tripped\",\"reason\":\"broker_hung\","
			    "\"trips\":2,\"trip_time_ns\":777}\n", line);
	free(line);
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("WATCHDOG tripped reason=broker_hung trips=2\n", line);
	free(line);
}

/* A newer shim's state or fault class: the number, not a wrong name. */
static void watchdog_unknown_values(void **state)
{
	char *line;

	(void)state;
	watchdog_record(7, 42);
	line = format(VIGILD_FORMAT_JSON);
	assert_non_null(strstr(line, ",\"state\":7,\"reason\":42,"));
	free(line);
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("WATCHDOG state=7 reason=42 trips=2\n", line);
	free(line);
}

#define ACTOR_42 "\"pid\":43,\"tgid\":42,\"ppid\":1,\"uid\":1000,\"gid\":100," \
		 "\"euid\":1000,\"egid\":100,\"start_ns\":555,\"cgroup_id\":9001"

static void file_rename_json_and_text(void **state)
{
	char *line;

	(void)state;
	rb_file_rename(&rb, "/etc/a", "/etc/b");
	line = format(VIGILD_FORMAT_JSON);
	assert_string_equal("{\"seq\":21,\"time_ns\":1021,\"event\":\"file_rename\","
			    ACTOR_42 ",\"exe\":\"/usr/bin/mv\",\"flags\":1,\"mode\":33188,"
			    "\"uid\":1000,\"gid\":100,\"dev\":2049,\"ino\":4242,"
			    "\"path\":\"/etc/a\",\"new_path\":\"/etc/b\"}\n", line);
	free(line);
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("file_rename      pid=42     uid=1000  /etc/a -> /etc/b\n", line);
	free(line);
}

static void net_connect_json(void **state)
{
	char *line;

	(void)state;
	rb_net_connect(&rb);
	line = format(VIGILD_FORMAT_JSON);
	assert_string_equal("{\"seq\":22,\"time_ns\":1022,\"event\":\"net_connect\","
			    ACTOR_42 ",\"exe\":\"/usr/bin/curl\",\"family\":\"inet\","
			    "\"sock_type\":1,\"protocol\":6,"
			    "\"local\":{\"addr\":\"0.0.0.0\",\"port\":0},"
			    "\"remote\":{\"addr\":\"192.0.2.7\",\"port\":443}}\n", line);
	free(line);
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("net_connect      pid=42     uid=1000  inet 0.0.0.0:0 -> 192.0.2.7:443\n",
			    line);
	free(line);
}

/* A unix socket's abstract name is said to be one; the actor's exe missing too. */
static void net_unix_abstract_json(void **state)
{
	struct vigil_net_event *ev;
	char *line;

	(void)state;
	ev = rb_init(&rb, VIGIL_EVENT_NET_BIND, sizeof(*ev), 3);
	rb_actor(&ev->actor);
	ev->family = 1;			/* AF_UNIX */
	ev->type = 2;			/* SOCK_DGRAM */
	ev->local.family = 1;
	rb_field(&rb, VIGIL_FIELD_LOCAL_PATH, VIGIL_FIELD_F_ABSTRACT, "@bus", 5);
	line = format(VIGILD_FORMAT_JSON);
	assert_non_null(strstr(line, ",\"exe_unavailable\":true,\"family\":\"unix\","
				     "\"sock_type\":2,\"protocol\":0,"
				     "\"local_path\":\"@bus\",\"local_path_abstract\":true}\n"));
	free(line);
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("net_bind         pid=42     uid=1000  unix @bus\n", line);
	free(line);
}

/* The shim's report of a decision not the broker's (1.4). */
static void auth_fallback_json_and_text(void **state)
{
	char *line;

	(void)state;
	rb_auth_fallback(&rb);
	line = format(VIGILD_FORMAT_JSON);
	assert_non_null(strstr(line, "\"event\":\"auth_fallback\","));
	assert_non_null(strstr(line, "\"exe\":\"/bin/sh\",\"auth_event\":\"auth_exec\","
				     "\"cause\":\"missed\",\"id\":12,\"applied\":\"allow\","
				     "\"path\":\"/tmp/x\"}\n"));
	free(line);
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("FALLBACK auth_exec pid=77     uid=1000  /tmp/x -> allow "
			    "(missed, not the broker's)\n", line);
	free(line);
}

static void module_load_json_and_text(void **state)
{
	char *line;

	(void)state;
	rb_module_load(&rb, "evil", 1U << 12);
	line = format(VIGILD_FORMAT_JSON);
	assert_non_null(strstr(line, "\"event\":\"module_load\"," ACTOR_42
				     ",\"exe\":\"/usr/sbin/insmod\",\"name\":\"evil\","
				     "\"taints\":4096}\n"));
	free(line);
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("module_load      pid=42     uid=1000  evil\n", line);
	free(line);
}

static void cred_json(void **state)
{
	struct vigil_cred_event *ev;
	char *line;

	(void)state;
	ev = rb_init(&rb, VIGIL_EVENT_CRED, sizeof(*ev), 4);
	rb_actor(&ev->actor);
	ev->old_ids.uid = 1000;
	ev->old_ids.euid = 1000;
	ev->new_caps.effective = 1ULL << 21;
	ev->changed = VIGIL_CRED_UIDS | VIGIL_CRED_CAPS;
	line = format(VIGILD_FORMAT_JSON);
	assert_non_null(strstr(line, ",\"changed\":[\"uids\",\"caps\"],"
				     "\"old\":{\"uid\":1000,\"euid\":1000,\"suid\":0,"));
	assert_non_null(strstr(line, ",\"new\":{\"uid\":0,"));
	assert_non_null(strstr(line, "\"cap_effective\":2097152,"));
	free(line);
	line = format(VIGILD_FORMAT_TEXT);
	assert_string_equal("cred             pid=42     uid=1000  uid 1000 -> 0 euid 1000 -> 0, "
			    "cap_effective 0 -> 0x200000\n", line);
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exec_json),
		cmocka_unit_test(exec_json_flags),
		cmocka_unit_test(exec_json_missing_field),
		cmocka_unit_test(fork_json),
		cmocka_unit_test(exit_json_status_and_signal),
		cmocka_unit_test(unknown_json),
		cmocka_unit_test(exec_text),
		cmocka_unit_test(exit_text),
		cmocka_unit_test(auth_exec_json),
		cmocka_unit_test(auth_open_json),
		cmocka_unit_test(auth_stats_line),
		cmocka_unit_test(drops_line),
		cmocka_unit_test(source_line),
		cmocka_unit_test(file_rename_json_and_text),
		cmocka_unit_test(net_connect_json),
		cmocka_unit_test(net_unix_abstract_json),
		cmocka_unit_test(module_load_json_and_text),
		cmocka_unit_test(auth_fallback_json_and_text),
		cmocka_unit_test(cred_json),
		cmocka_unit_test(watchdog_json_and_text),
		cmocka_unit_test(watchdog_unknown_values),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
