// SPDX-License-Identifier: GPL-2.0
/* vigild's rules: prefixes by whole components, and the verdicts they give. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "record_builder.h"
#include "rules.h"

static void prefixes_match_whole_components(void **state)
{
	(void)state;
	assert_true(vigild_path_under("/tmp", "/tmp"));
	assert_true(vigild_path_under("/tmp/x", "/tmp"));
	assert_true(vigild_path_under("/tmp/x", "/tmp/"));
	assert_true(vigild_path_under("/tmp/a/b", "/tmp"));
	assert_false(vigild_path_under("/tmpx", "/tmp"));
	assert_false(vigild_path_under("/tm", "/tmp"));
	assert_false(vigild_path_under("/var/tmp/x", "/tmp"));
	assert_true(vigild_path_under("/anything", "/"));
}

static void rules_refuse_relative_and_too_many(void **state)
{
	struct vigild_rules r = { 0 };
	unsigned int i;

	(void)state;
	assert_int_equal(-EINVAL, vigild_rules_add(r.deny_exec, &r.nr_deny_exec, "tmp"));
	for (i = 0; i < VIGILD_MAX_RULES; i++)
		assert_int_equal(0, vigild_rules_add(r.deny_exec, &r.nr_deny_exec, "/x"));
	assert_int_equal(-ENOSPC, vigild_rules_add(r.deny_exec, &r.nr_deny_exec, "/y"));
}

static struct rb rb;

static void exec_under_denied_prefix_is_denied(void **state)
{
	struct vigild_rules r = { 0 };
	struct vigil_event_view v;

	(void)state;
	vigild_rules_add(r.deny_exec, &r.nr_deny_exec, "/usr/bin");
	rb_auth_exec(&rb, 5, "/usr/bin/ls");
	assert_int_equal(0, vigil_event_decode(rb.buf, rb.len, &v));
	assert_int_equal(VIGIL_VERDICT_DENY, vigild_rules_verdict(&r, &v));
	rb_auth_exec(&rb, 5, "/usr/binx/ls");
	assert_int_equal(0, vigil_event_decode(rb.buf, rb.len, &v));
	assert_int_equal(VIGIL_VERDICT_ALLOW, vigild_rules_verdict(&r, &v));
}

static void open_rules_apply_to_opens_only(void **state)
{
	struct vigild_rules r = { 0 };
	struct vigil_event_view v;

	(void)state;
	vigild_rules_add(r.deny_open, &r.nr_deny_open, "/secret");
	rb_auth_open(&rb, 6, "/secret/key", VIGIL_ACCESS_READ);
	assert_int_equal(0, vigil_event_decode(rb.buf, rb.len, &v));
	assert_int_equal(VIGIL_VERDICT_DENY, vigild_rules_verdict(&r, &v));
	rb_auth_exec(&rb, 7, "/secret/tool");
	assert_int_equal(0, vigil_event_decode(rb.buf, rb.len, &v));
	assert_int_equal(VIGIL_VERDICT_ALLOW, vigild_rules_verdict(&r, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prefixes_match_whole_components),
		cmocka_unit_test(rules_refuse_relative_and_too_many),
		cmocka_unit_test(exec_under_denied_prefix_is_denied),
		cmocka_unit_test(open_rules_apply_to_opens_only),
	};

	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
