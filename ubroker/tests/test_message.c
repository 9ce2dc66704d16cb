// SPDX-License-Identifier: GPL-2.0
/* libvigil's messages: typed accessors on each record type, and on bad ones. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"
#include "record_builder.h"

static struct vigil_message m;

static void init(struct rb *rb)
{
	assert_int_equal(0, message_init(&m, NULL, rb->buf, rb->len));
}

static void an_auth_open(void **state)
{
	const struct vigil_auth_open_event *ao;
	struct rb rb;

	(void)state;
	rb_auth_open(&rb, 77, "/etc/shadow", VIGIL_ACCESS_READ);
	init(&rb);
	assert_int_equal(VIGIL_EVENT_AUTH_OPEN, vigil_message_type(&m));
	assert_true(vigil_message_is_auth(&m));
	assert_int_equal(77, vigil_message_auth_id(&m));
	ao = vigil_message_auth_open(&m);
	assert_non_null(ao);
	assert_int_equal(VIGIL_ACCESS_READ, ao->access);
	assert_int_equal(78, ao->ino);
	assert_string_equal("/etc/shadow", vigil_message_path(&m));
	assert_null(vigil_message_exe(&m));
	assert_null(vigil_message_arg(&m, 0));
	assert_int_equal(42, vigil_message_process(&m)->tgid);
	assert_null(vigil_message_auth_exec(&m));
	assert_null(vigil_message_exec(&m));
	/* Its deadline is never past the shim's, nor before the event. */
	assert_true(vigil_message_deadline_ns(&m) >= vigil_message_time_ns(&m));
	assert_true(vigil_message_deadline_ns(&m) <= ao->auth.deadline_ns);
}

static void truncated_fields_say_so(void **state)
{
	struct vigil_exec_event *ex;
	struct rb rb;

	(void)state;
	ex = rb_init(&rb, VIGIL_EVENT_EXEC, sizeof(*ex), 3);
	ex->hdr.flags = VIGIL_EVENT_F_TRUNCATED;
	ex->argc = 100;
	rb_field(&rb, VIGIL_FIELD_EXE, VIGIL_FIELD_F_TRUNCATED, "/very/lo", 9);
	rb_field(&rb, VIGIL_FIELD_ARGV, VIGIL_FIELD_F_TRUNCATED, "a\0b\0c", 6);
	init(&rb);
	assert_int_equal(VIGIL_EVENT_F_TRUNCATED, vigil_message_flags(&m));
	assert_string_equal("/very/lo", vigil_message_exe(&m));
	assert_int_equal(VIGIL_FIELD_F_TRUNCATED, vigil_message_field_flags(&m, VIGIL_FIELD_EXE));
	assert_int_equal(VIGIL_FIELD_F_TRUNCATED, vigil_message_field_flags(&m, VIGIL_FIELD_ARGV));
	assert_int_equal(0, vigil_message_field_flags(&m, VIGIL_FIELD_PATH));
	assert_int_equal(0, vigil_message_field_flags(&m, 99));
	assert_int_equal(3, vigil_message_arg_count(&m));
	assert_string_equal("c", vigil_message_arg(&m, 2));
	assert_null(vigil_message_arg(&m, 3));
	assert_null(vigil_message_filename(&m));
}

/* argc smaller than what the field holds: argc wins. */
static void argc_bounds_the_arguments(void **state)
{
	struct vigil_exec_event *ex;
	struct rb rb;

	(void)state;
	ex = rb_init(&rb, VIGIL_EVENT_EXEC, sizeof(*ex), 3);
	ex->argc = 1;
	rb_field(&rb, VIGIL_FIELD_ARGV, 0, "a\0b", 4);
	init(&rb);
	assert_int_equal(1, vigil_message_arg_count(&m));
	assert_null(vigil_message_arg(&m, 1));
}

static void a_type_this_library_does_not_know(void **state)
{
	struct rb rb;
	size_t len = 0;

	(void)state;
	rb_init(&rb, 99, 48, 5);
	rb_str(&rb, 1, "not an exe here");
	init(&rb);
	assert_int_equal(99, vigil_message_type(&m));
	assert_false(vigil_message_known(&m));
	assert_null(vigil_message_process(&m));
	assert_null(vigil_message_exe(&m));
	assert_false(vigil_message_is_auth(&m));
	assert_int_equal(5, vigil_message_seq(&m));
	assert_ptr_equal(rb.buf, vigil_message_record(&m, &len));
	assert_int_equal(rb.len, len);
	assert_null(vigil_event_name(99));
}

static void the_watchdog_record(void **state)
{
	struct vigil_watchdog_event *w;
	struct rb rb;

	(void)state;
	w = rb_init(&rb, VIGIL_EVENT_WATCHDOG, sizeof(*w), 1);
	w->state = VIGIL_WATCHDOG_TRIPPED;
	w->reason = VIGIL_FAULT_BROKER_HUNG;
	init(&rb);
	assert_int_equal(VIGIL_WATCHDOG_TRIPPED, vigil_message_watchdog(&m)->state);
	assert_null(vigil_message_process(&m));
	assert_int_equal(0, vigil_message_deadline_ns(&m));
}

static void malformed_records_are_not_messages(void **state)
{
	struct rb rb;

	(void)state;
	rb_exec_ls(&rb);
	rb_event(&rb)->len += 8;	/* longer than the bytes there */
	assert_int_equal(-EBADMSG, message_init(&m, NULL, rb.buf, rb.len));
	rb_exec_ls(&rb);
	rb_event(&rb)->hdr_len = 40;	/* shorter than an exec's fixed part */
	assert_int_equal(-EBADMSG, message_init(&m, NULL, rb.buf, rb.len));
}

static void a_copy_outlives_the_record(void **state)
{
	struct vigil_message *copy;
	struct rb rb;

	(void)state;
	rb_exec_ls(&rb);
	init(&rb);
	copy = vigil_message_copy(&m);
	assert_non_null(copy);
	memset(rb.buf, 0xa5, sizeof(rb.buf));
	assert_string_equal("/usr/bin/ls", vigil_message_exe(copy));
	assert_string_equal("-l", vigil_message_arg(copy, 1));
	assert_int_equal(131, vigil_message_exec(copy)->exe_ino);
	vigil_message_free(copy);
	vigil_message_free(NULL);
	vigil_message_free(&m);		/* not a copy: left alone */
}

static void null_is_safe_everywhere(void **state)
{
	(void)state;
	assert_int_equal(0, vigil_message_type(NULL));
	assert_null(vigil_message_exe(NULL));
	assert_null(vigil_message_process(NULL));
	assert_null(vigil_message_copy(NULL));
	assert_null(vigil_message_record(NULL, NULL));
	assert_int_equal(0, vigil_message_arg_count(NULL));
	assert_int_equal(-EINVAL, vigil_client_process(NULL));
	assert_int_equal(-EINVAL, vigil_subscribe(NULL, 0));
	assert_int_equal(-EINVAL, vigil_mute_path(NULL, "/a", 0));
	vigil_client_close(NULL);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal("auth_exec", vigil_event_name(VIGIL_EVENT_AUTH_EXEC));
	assert_int_equal(VIGIL_EVENT_EXIT, vigil_event_from_name("exit"));
	assert_int_equal(0, vigil_event_from_name("exits"));
	assert_int_equal(0, vigil_event_from_name(NULL));
	assert_string_equal("net_connect", vigil_event_name(VIGIL_EVENT_NET_CONNECT));
	assert_int_equal(VIGIL_EVENT_FILE_TRUNCATE, vigil_event_from_name("file_truncate"));
	/* The shim's own reports (1.4) have names, though never a client's. */
	assert_string_equal("auth_fallback", vigil_event_name(VIGIL_EVENT_AUTH_FALLBACK));
	assert_null(vigil_event_name(VIGIL_EVENT_SOURCE + 1));
	assert_string_equal("stalled", vigil_reason_name(VIGIL_REASON_STALLED));
	assert_null(vigil_reason_name(0));
}

static void catalogue_accessors(void **state)
{
	const struct vigil_file_event *fe;
	struct rb rb;

	(void)state;
	rb_file_rename(&rb, "/etc/a", "/etc/b");
	init(&rb);
	assert_int_equal(VIGIL_EVENT_FILE_RENAME, vigil_message_type(&m));
	assert_false(vigil_message_is_auth(&m));
	assert_int_equal(9001, vigil_message_actor(&m)->cgroup_id);
	assert_int_equal(42, vigil_message_process(&m)->tgid);
	fe = vigil_message_file(&m);
	assert_non_null(fe);
	assert_int_equal(4242, fe->ino);
	assert_string_equal("/usr/bin/mv", vigil_message_exe(&m));
	assert_string_equal("/etc/a", vigil_message_path(&m));
	assert_string_equal("/etc/b", vigil_message_string(&m, VIGIL_FIELD_NEW_PATH));
	assert_string_equal("/etc/a", vigil_message_string(&m, VIGIL_FIELD_PATH));
	assert_null(vigil_message_string(&m, VIGIL_FIELD_TARGET));
	assert_null(vigil_message_string(&m, 999));
	/* The other types' accessors say no. */
	assert_null(vigil_message_net(&m));
	assert_null(vigil_message_cred(&m));
	assert_null(vigil_message_module(&m));
	assert_null(vigil_message_exec(&m));

	rb_module_load(&rb, "evil", 4096);
	init(&rb);
	assert_int_equal(4096, vigil_message_module(&m)->taints);
	assert_string_equal("evil", vigil_message_string(&m, VIGIL_FIELD_NAME));
	assert_null(vigil_message_file(&m));

	rb_net_connect(&rb);
	init(&rb);
	assert_int_equal(443, vigil_message_net(&m)->remote.port);
	assert_null(vigil_message_string(&m, VIGIL_FIELD_PEER_PATH));
	assert_null(vigil_message_signal(&m));
	assert_null(vigil_message_ptrace(&m));
	assert_null(vigil_message_mount(&m));

	rb_auth_open(&rb, 77, "/etc/shadow", VIGIL_ACCESS_READ);
	init(&rb);
	assert_null(vigil_message_actor(&m));
	assert_null(vigil_message_file(&m));
}

static void abstract_unix_name_is_flagged(void **state)
{
	struct vigil_net_event *ev;
	struct rb rb;

	(void)state;
	ev = rb_init(&rb, VIGIL_EVENT_NET_ACCEPT, sizeof(*ev), 5);
	rb_actor(&ev->actor);
	ev->family = 1;
	rb_str(&rb, VIGIL_FIELD_LOCAL_PATH, "/run/sock");
	rb_field(&rb, VIGIL_FIELD_PEER_PATH, VIGIL_FIELD_F_ABSTRACT, "@peer", 6);
	init(&rb);
	assert_string_equal("@peer", vigil_message_string(&m, VIGIL_FIELD_PEER_PATH));
	assert_int_equal(VIGIL_FIELD_F_ABSTRACT,
			 vigil_message_field_flags(&m, VIGIL_FIELD_PEER_PATH));
	assert_int_equal(0, vigil_message_field_flags(&m, VIGIL_FIELD_LOCAL_PATH));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_auth_open),
		cmocka_unit_test(truncated_fields_say_so),
		cmocka_unit_test(argc_bounds_the_arguments),
		cmocka_unit_test(a_type_this_library_does_not_know),
		cmocka_unit_test(the_watchdog_record),
		cmocka_unit_test(malformed_records_are_not_messages),
		cmocka_unit_test(a_copy_outlives_the_record),
		cmocka_unit_test(null_is_safe_everywhere),
		cmocka_unit_test(names),
		cmocka_unit_test(catalogue_accessors),
		cmocka_unit_test(abstract_unix_name_is_flagged),
	};

	return cmocka_run_group_tests_name("message", tests, NULL, NULL);
}
