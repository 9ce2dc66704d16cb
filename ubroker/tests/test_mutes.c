// SPDX-License-Identifier: GPL-2.0
/* One client's mutes in vigild: by process, executable and prefix, by type. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "mutes.h"
#include "record_builder.h"

#define EXEC_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC)
#define FORK_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_FORK)
#define OPEN_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_OPEN)

static struct vigil_event_view view(struct rb *rb)
{
	struct vigil_event_view v;

	assert_int_equal(0, vigil_event_decode(rb->buf, rb->len, &v));
	return v;
}

static void each_kind_matches_its_own(void **state)
{
	struct mute_set m = { 0 };
	struct vigil_event_view v;
	struct rb rb;

	(void)state;
	rb_exec_ls(&rb);			/* /usr/bin/ls, pid 42 */
	v = view(&rb);
	assert_false(mute_set_match(&m, &v));
	assert_int_equal(0, mute_set_add(&m, VIGIL_MUTE_PROCESS, 42, NULL, 0));
	assert_true(mute_set_match(&m, &v));
	assert_int_equal(0, mute_set_remove(&m, VIGIL_MUTE_PROCESS, 42, NULL));
	assert_false(mute_set_match(&m, &v));
	assert_int_equal(0, mute_set_add(&m, VIGIL_MUTE_EXE, 0, "/usr/bin/ls", 0));
	assert_true(mute_set_match(&m, &v));
	assert_int_equal(0, mute_set_remove(&m, VIGIL_MUTE_EXE, 0, "/usr/bin/ls"));
	assert_int_equal(0, mute_set_add(&m, VIGIL_MUTE_EXE, 0, "/usr/bin", 0));
	assert_false(mute_set_match(&m, &v));	/* an exe is a whole path */
	assert_int_equal(0, mute_set_add(&m, VIGIL_MUTE_PATH, 0, "/usr/", 0));
	assert_true(mute_set_match(&m, &v));	/* a prefix, by components */
	assert_int_equal(0, mute_set_remove(&m, VIGIL_MUTE_PATH, 0, "/usr/"));
	assert_int_equal(0, mute_set_add(&m, VIGIL_MUTE_PATH, 0, "/us", 0));
	assert_false(mute_set_match(&m, &v));
	assert_int_equal(2, mute_set_count(&m));
	mute_set_clear(&m);
	assert_int_equal(0, mute_set_count(&m));
}

static void a_mute_covers_its_types_only(void **state)
{
	struct mute_set m = { 0 };
	struct vigil_event_view exec, open;
	struct rb rb;

	(void)state;
	rb_exec_ls(&rb);
	exec = view(&rb);
	rb_auth_open(&rb, 1, "/usr/lib/x", VIGIL_ACCESS_READ);
	open = view(&rb);
	assert_int_equal(0, mute_set_add(&m, VIGIL_MUTE_PATH, 0, "/usr", OPEN_BIT));
	assert_false(mute_set_match(&m, &exec));
	assert_true(mute_set_match(&m, &open));	/* an open's path, not its exe */
	assert_int_equal(0, mute_set_add(&m, VIGIL_MUTE_PROCESS, 42, NULL, FORK_BIT));
	assert_false(mute_set_match(&m, &exec));
	assert_int_equal(0, mute_set_remove(&m, VIGIL_MUTE_PROCESS, 42, NULL));
	assert_int_equal(0, mute_set_add(&m, VIGIL_MUTE_PROCESS, 42, NULL, EXEC_BIT | FORK_BIT));
	assert_true(mute_set_match(&m, &exec));
	mute_set_clear(&m);
}

static void errors_change_nothing(void **state)
{
	struct mute_set m = { 0 };
	char path[32];
	int i;

	(void)state;
	assert_int_equal(0, mute_set_add(&m, VIGIL_MUTE_PROCESS, 7, NULL, 0));
	assert_int_equal(-EEXIST, mute_set_add(&m, VIGIL_MUTE_PROCESS, 7, NULL, EXEC_BIT));
	assert_int_equal(-ENOENT, mute_set_remove(&m, VIGIL_MUTE_PROCESS, 8, NULL));
	assert_int_equal(-ENOENT, mute_set_remove(&m, VIGIL_MUTE_PATH, 0, "/a"));
	assert_int_equal(-EINVAL, mute_set_add(&m, 9, 0, "/a", 0));
	assert_int_equal(-EINVAL, mute_set_remove(&m, 0, 0, "/a"));
	for (i = 0; i < VIGILD_MUTES_MAX; i++) {
		snprintf(path, sizeof(path), "/p%d", i);
		assert_int_equal(0, mute_set_add(&m, VIGIL_MUTE_PATH, 0, path, 0));
	}
	assert_int_equal(-ENOSPC, mute_set_add(&m, VIGIL_MUTE_PATH, 0, "/more", 0));
	/* Other kinds have their own room. */
	assert_int_equal(0, mute_set_add(&m, VIGIL_MUTE_EXE, 0, "/more", 0));
	assert_int_equal(VIGILD_MUTES_MAX + 2, mute_set_count(&m));
	/* Removing from the middle keeps the rest. */
	assert_int_equal(0, mute_set_remove(&m, VIGIL_MUTE_PATH, 0, "/p3"));
	assert_int_equal(-ENOENT, mute_set_remove(&m, VIGIL_MUTE_PATH, 0, "/p3"));
	assert_int_equal(0, mute_set_remove(&m, VIGIL_MUTE_PATH, 0, "/p31"));
	mute_set_clear(&m);
}

static void the_process_of_each_record(void **state)
{
	struct vigil_event_view v;
	struct rb rb;
	struct vigil_fork_event *f;

	(void)state;
	f = rb_init(&rb, VIGIL_EVENT_FORK, sizeof(*f), 1);
	f->parent.tgid = 10;
	f->child_tgid = 11;
	v = view(&rb);
	assert_int_equal(10, vigild_event_tgid(&v));
	rb_auth_exec(&rb, 3, "/bin/x");
	v = view(&rb);
	assert_int_equal(42, vigild_event_tgid(&v));
	rb_init(&rb, VIGIL_EVENT_WATCHDOG, sizeof(struct vigil_watchdog_event), 1);
	v = view(&rb);
	assert_int_equal(0, vigild_event_tgid(&v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_kind_matches_its_own),
		cmocka_unit_test(a_mute_covers_its_types_only),
		cmocka_unit_test(errors_change_nothing),
		cmocka_unit_test(the_process_of_each_record),
	};

	return cmocka_run_group_tests_name("mutes", tests, NULL, NULL);
}
