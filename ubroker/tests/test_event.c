// SPDX-License-Identifier: GPL-2.0
/* The record decoder: good records, and every way a record can be bad. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "event.h"
#include "record_builder.h"

static struct rb rb;

static int decode(struct vigil_event_view *v)
{
	return vigil_event_decode(rb.buf, rb.len, v);
}

static void exec_record_decodes(void **state)
{
	struct vigil_event_view v;

	(void)state;
	rb_exec_ls(&rb);
	assert_int_equal(0, decode(&v));
	assert_true(v.known);
	assert_int_equal(VIGIL_EVENT_EXEC, v.type);
	assert_int_equal(7, v.seq);
	assert_int_equal(42, v.fixed.exec.proc.pid);
	assert_int_equal(1000, v.fixed.exec.proc.uid);
	assert_int_equal(2, v.fixed.exec.argc);
	assert_string_equal("/usr/bin/ls", v.exe.data);
	assert_string_equal("/bin/ls", v.filename.data);
	assert_int_equal(6, v.argv.len);
	assert_memory_equal("ls\0-l", v.argv.data, 6);
}

static void fork_and_exit_records_decode(void **state)
{
	struct vigil_fork_event *fk;
	struct vigil_exit_event *ex;
	struct vigil_event_view v;

	(void)state;
	fk = rb_init(&rb, VIGIL_EVENT_FORK, sizeof(*fk), 1);
	fk->parent.pid = 10;
	fk->child_pid = 11;
	fk->child_tgid = 11;
	assert_int_equal(0, decode(&v));
	assert_int_equal(11, v.fixed.fork.child_pid);
	assert_null(v.exe.data);

	ex = rb_init(&rb, VIGIL_EVENT_EXIT, sizeof(*ex), 2);
	ex->exit_code = 3 << 8;
	ex->flags = VIGIL_EXIT_F_PROCESS;
	assert_int_equal(0, decode(&v));
	assert_int_equal(3 << 8, v.fixed.exit.exit_code);
	assert_int_equal(VIGIL_EXIT_F_PROCESS, v.fixed.exit.flags);
}

static void unaligned_buffer_decodes(void **state)
{
	static unsigned char shifted[sizeof(rb.buf) + 1];
	struct vigil_event_view v;

	(void)state;
	rb_exec_ls(&rb);
	memcpy(shifted + 1, rb.buf, rb.len);
	assert_int_equal(0, vigil_event_decode(shifted + 1, rb.len, &v));
	assert_string_equal("/usr/bin/ls", v.exe.data);
}

static void bad_header_is_ebadmsg(void **state)
{
	struct vigil_event_view v;

	(void)state;
	rb_exec_ls(&rb);
	assert_int_equal(-EBADMSG, vigil_event_decode(rb.buf, 16, &v));
	assert_int_equal(-EBADMSG, vigil_event_decode(rb.buf, rb.len - 8, &v));

	rb_event(&rb)->len = rb.len - 4;		/* not a multiple of 8 */
	assert_int_equal(-EBADMSG, decode(&v));
	rb_exec_ls(&rb);
	rb_event(&rb)->len = 16;			/* shorter than a header */
	assert_int_equal(-EBADMSG, decode(&v));
	rb_exec_ls(&rb);
	rb_event(&rb)->version = 2;
	assert_int_equal(-EBADMSG, decode(&v));
	rb_exec_ls(&rb);
	rb_event(&rb)->hdr_len = 8;
	assert_int_equal(-EBADMSG, decode(&v));
	rb_exec_ls(&rb);
	rb_event(&rb)->hdr_len = rb.len + 8;
	assert_int_equal(-EBADMSG, decode(&v));
}

static void short_fixed_part_is_ebadmsg(void **state)
{
	struct vigil_event_view v;

	(void)state;
	rb_init(&rb, VIGIL_EVENT_EXEC, sizeof(struct vigil_event) + 8, 1);
	assert_int_equal(-EBADMSG, decode(&v));
}

static void bad_fields_are_ebadmsg(void **state)
{
	struct vigil_field *f;
	struct vigil_event_view v;

	(void)state;
	rb_exec_ls(&rb);
	f = (struct vigil_field *)(rb.buf + sizeof(struct vigil_exec_event));
	f->len = 4;					/* shorter than its header */
	assert_int_equal(-EBADMSG, decode(&v));

	rb_exec_ls(&rb);
	f->len = rb.len;				/* past the record */
	assert_int_equal(-EBADMSG, decode(&v));

	rb_init(&rb, VIGIL_EVENT_EXEC, sizeof(struct vigil_exec_event), 1);
	rb_field(&rb, VIGIL_FIELD_EXE, 0, "no-nul", 6);	/* string without NUL */
	assert_int_equal(-EBADMSG, decode(&v));

	rb_init(&rb, VIGIL_EVENT_EXEC, sizeof(struct vigil_exec_event), 1);
	rb_field(&rb, VIGIL_FIELD_EXE, 0, "", 0);		/* empty string */
	assert_int_equal(-EBADMSG, decode(&v));

	rb_exec_ls(&rb);
	rb_str(&rb, VIGIL_FIELD_EXE, "/again");		/* given twice */
	assert_int_equal(-EBADMSG, decode(&v));
}

static void unknown_field_is_skipped(void **state)
{
	struct vigil_event_view v;

	(void)state;
	rb_init(&rb, VIGIL_EVENT_EXEC, sizeof(struct vigil_exec_event), 1);
	rb_field(&rb, 999, 0, "future", 6);
	rb_str(&rb, VIGIL_FIELD_EXE, "/bin/x");
	assert_int_equal(0, decode(&v));
	assert_string_equal("/bin/x", v.exe.data);
}

static void unknown_type_decodes_as_unknown(void **state)
{
	struct vigil_event_view v;

	(void)state;
	rb_init(&rb, 77, sizeof(struct vigil_event) + 16, 5);
	assert_int_equal(0, decode(&v));
	assert_false(v.known);
	assert_int_equal(77, v.type);
	assert_int_equal(5, v.seq);
}

/* A later minor version may grow a fixed part: fields follow hdr_len. */
static void larger_fixed_part_is_accepted(void **state)
{
	struct vigil_event_view v;

	(void)state;
	rb_init(&rb, VIGIL_EVENT_EXEC, sizeof(struct vigil_exec_event) + 16, 1);
	rb_str(&rb, VIGIL_FIELD_FILENAME, "/bin/y");
	assert_int_equal(0, decode(&v));
	assert_string_equal("/bin/y", v.filename.data);
}

static void auth_records_decode(void **state)
{
	struct vigil_event_view v;

	(void)state;
	rb_auth_exec(&rb, 3, "/bin/sh");
	assert_int_equal(0, decode(&v));
	assert_int_equal(3, vigil_event_auth(&v)->id);
	assert_string_equal("/bin/sh", v.exe.data);
	rb_auth_open(&rb, 4, "/etc/passwd", VIGIL_ACCESS_READ);
	assert_int_equal(0, decode(&v));
	assert_int_equal(4, vigil_event_auth(&v)->id);
	assert_int_equal(6000, vigil_event_auth(&v)->deadline_ns);
	assert_string_equal("/etc/passwd", v.path.data);
	assert_null(v.exe.data);
}

/* A field belongs to the record types that have it; elsewhere it is skipped. */
static void fields_of_other_types_are_skipped(void **state)
{
	struct vigil_event_view v;

	(void)state;
	rb_init(&rb, VIGIL_EVENT_EXEC, sizeof(struct vigil_exec_event), 1);
	rb_str(&rb, VIGIL_FIELD_PATH, "/x");
	assert_int_equal(0, decode(&v));
	assert_null(v.path.data);
	assert_null(vigil_event_auth(&v));
}

static void empty_argv_is_accepted(void **state)
{
	struct vigil_event_view v;

	(void)state;
	rb_init(&rb, VIGIL_EVENT_EXEC, sizeof(struct vigil_exec_event), 1);
	rb_field(&rb, VIGIL_FIELD_ARGV, 0, "", 0);
	assert_int_equal(0, decode(&v));
	assert_int_equal(0, v.argv.len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exec_record_decodes),
		cmocka_unit_test(fork_and_exit_records_decode),
		cmocka_unit_test(unaligned_buffer_decodes),
		cmocka_unit_test(bad_header_is_ebadmsg),
		cmocka_unit_test(short_fixed_part_is_ebadmsg),
		cmocka_unit_test(bad_fields_are_ebadmsg),
		cmocka_unit_test(unknown_field_is_skipped),
		cmocka_unit_test(unknown_type_decodes_as_unknown),
		cmocka_unit_test(larger_fixed_part_is_accepted),
		cmocka_unit_test(empty_argv_is_accepted),
		cmocka_unit_test(auth_records_decode),
		cmocka_unit_test(fields_of_other_types_are_skipped),
	};

	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
