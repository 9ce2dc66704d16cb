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

/* The shim's report of a decision not the broker's: actor, cause, path. */
static void auth_fallback_records_decode(void **state)
{
	struct vigil_event_view v;
	struct rb rb;

	(void)state;
	rb_auth_fallback(&rb);
	assert_int_equal(0, vigil_event_decode(rb.buf, rb.len, &v));
	assert_true(v.known);
	assert_string_equal("auth_fallback", vigil_event_type_name(v.type));
	assert_int_equal(77, vigil_event_actor(&v)->proc.tgid);
	assert_int_equal(77, vigil_event_proc(&v)->tgid);
	assert_null(vigil_event_auth(&v));
	assert_int_equal(VIGIL_FALLBACK_MISSED, v.fixed.auth_fallback.cause);
	assert_string_equal("missed", vigil_fallback_cause_name(v.fixed.auth_fallback.cause));
	assert_null(vigil_fallback_cause_name(99));
	assert_string_equal("/bin/sh", v.exe.data);
	assert_string_equal("/tmp/x", v.path.data);
	/* A fixed part shorter than 1.4's is malformed. */
	rb_event(&rb)->hdr_len = sizeof(struct vigil_auth_fallback_event) - 8;
	assert_int_equal(-EBADMSG, vigil_event_decode(rb.buf, rb.len, &v));
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

/* Every catalogue type decodes with its actor; a short fixed part is bad. */
static void catalogue_records_decode(void **state)
{
	struct vigil_event_view v;
	uint32_t t;

	(void)state;
	for (t = VIGIL_EVENT_CRED; t <= VIGIL_EVENT_FILE_TRUNCATE; t++) {
		/* Every catalogue struct starts as the module one does. */
		struct vigil_module_event *p;

		p = rb_init(&rb, t, sizeof(struct vigil_cred_event) + 64, t);
		rb_actor(&p->actor);
		assert_int_equal(0, decode(&v));
		assert_true(v.known);
		assert_true(vigil_event_is_catalogue(t));
		assert_non_null(vigil_event_type_name(t));
		assert_int_equal(9001, vigil_event_actor(&v)->cgroup_id);
		assert_int_equal(42, vigil_event_proc(&v)->tgid);
		assert_null(vigil_event_auth(&v));

		rb_init(&rb, t, sizeof(struct vigil_event) + sizeof(struct vigil_actor) - 8, t);
		assert_int_equal(-EBADMSG, decode(&v));
	}
	assert_false(vigil_event_is_catalogue(VIGIL_EVENT_EXEC));
	/* The type after the catalogue's is the shim's fallback report (1.4). */
	assert_false(vigil_event_is_catalogue(VIGIL_EVENT_AUTH_FALLBACK));
	assert_null(vigil_event_type_name(VIGIL_EVENT_SOURCE + 1));
	assert_string_equal("cred", vigil_event_type_name(VIGIL_EVENT_CRED));
	assert_string_equal("file_truncate", vigil_event_type_name(VIGIL_EVENT_FILE_TRUNCATE));
}

static void file_rename_decodes_both_paths(void **state)
{
	struct vigil_event_view v;

	(void)state;
	rb_file_rename(&rb, "/etc/a", "/etc/b");
	assert_int_equal(0, decode(&v));
	assert_int_equal(4242, v.fixed.file.ino);
	assert_int_equal(1, v.fixed.file.flags);
	assert_string_equal("/usr/bin/mv", v.exe.data);
	assert_string_equal("/etc/a", v.path.data);
	assert_string_equal("/etc/b", v.new_path.data);
	assert_null(v.target.data);

	rb_str(&rb, VIGIL_FIELD_NEW_PATH, "/etc/c");	/* given twice */
	assert_int_equal(-EBADMSG, decode(&v));
}

/* Each new field decodes only where the ABI puts it. */
static void catalogue_fields_belong_to_their_types(void **state)
{
	static const struct { uint32_t type; uint16_t field; int allowed; } cases[] = {
		{ VIGIL_EVENT_FILE_LINK, VIGIL_FIELD_TARGET, 1 },
		{ VIGIL_EVENT_FILE_RENAME, VIGIL_FIELD_TARGET, 0 },
		{ VIGIL_EVENT_MODULE_LOAD, VIGIL_FIELD_NAME, 1 },
		{ VIGIL_EVENT_MODULE_UNLOAD, VIGIL_FIELD_NAME, 1 },
		{ VIGIL_EVENT_FILE_OPEN, VIGIL_FIELD_NAME, 0 },
		{ VIGIL_EVENT_MOUNT, VIGIL_FIELD_SOURCE, 1 },
		{ VIGIL_EVENT_UMOUNT, VIGIL_FIELD_SOURCE, 0 },
		{ VIGIL_EVENT_UMOUNT, VIGIL_FIELD_FSTYPE, 1 },
		{ VIGIL_EVENT_NET_BIND, VIGIL_FIELD_LOCAL_PATH, 1 },
		{ VIGIL_EVENT_NET_ACCEPT, VIGIL_FIELD_PEER_PATH, 1 },
		{ VIGIL_EVENT_SIGNAL, VIGIL_FIELD_PATH, 0 },
		{ VIGIL_EVENT_CRED, VIGIL_FIELD_EXE, 1 },
		{ VIGIL_EVENT_CRED, VIGIL_FIELD_ARGV, 0 },
		{ VIGIL_EVENT_EXEC, VIGIL_FIELD_NEW_PATH, 0 },
	};
	struct vigil_event_view v;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rb_init(&rb, cases[i].type, sizeof(struct vigil_cred_event) + 64, i);
		rb_field(&rb, cases[i].field, VIGIL_FIELD_F_ABSTRACT, "@x", 3);
		assert_int_equal(0, decode(&v));
		if (cases[i].field == VIGIL_FIELD_EXE)
			assert_int_equal(cases[i].allowed, v.exe.data != NULL);
		else if (cases[i].field == VIGIL_FIELD_PATH)
			assert_int_equal(cases[i].allowed, v.path.data != NULL);
		else if (cases[i].field == VIGIL_FIELD_TARGET)
			assert_int_equal(cases[i].allowed, v.target.data != NULL);
		else if (cases[i].field == VIGIL_FIELD_NAME)
			assert_int_equal(cases[i].allowed, v.name.data != NULL);
		else if (cases[i].field == VIGIL_FIELD_SOURCE)
			assert_int_equal(cases[i].allowed, v.source.data != NULL);
		else if (cases[i].field == VIGIL_FIELD_FSTYPE)
			assert_int_equal(cases[i].allowed, v.fstype.data != NULL);
		else if (cases[i].field == VIGIL_FIELD_LOCAL_PATH)
			assert_int_equal(cases[i].allowed, v.local_path.data != NULL);
		else if (cases[i].field == VIGIL_FIELD_PEER_PATH)
			assert_int_equal(VIGIL_FIELD_F_ABSTRACT, v.peer_path.flags);
		else if (cases[i].field == VIGIL_FIELD_NEW_PATH)
			assert_null(v.new_path.data);
		else
			assert_null(v.argv.data);
	}
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
		cmocka_unit_test(auth_fallback_records_decode),
		cmocka_unit_test(fields_of_other_types_are_skipped),
		cmocka_unit_test(catalogue_records_decode),
		cmocka_unit_test(file_rename_decodes_both_paths),
		cmocka_unit_test(catalogue_fields_belong_to_their_types),
	};

	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
