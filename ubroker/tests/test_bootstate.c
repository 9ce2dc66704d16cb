// SPDX-License-Identifier: GPL-2.0
/*
 * The boot guard's rules and its state file: counting, refusing,
 * blessing, vigil.disable on the command line, and a strict parser.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "bootstate.h"

#define BOOT_A	"0b1e5c3d-1111-4a2b-9c3d-aaaaaaaaaaaa"
#define BOOT_B	"0b1e5c3d-2222-4a2b-9c3d-bbbbbbbbbbbb"

static int parse(const char *text, struct boot_state *st, char *err)
{
	return boot_state_parse(text, strlen(text), st, err, 128);
}

/* Three crashed boots in a row, then the fourth is refused. */
static void counts_then_refuses(void **state)
{
	struct boot_state st;
	unsigned int i;

	(void)state;
	boot_state_init(&st);
	for (i = 1; i <= 3; i++) {
		assert_int_equal(BOOT_DO_LOAD, boot_decide(&st, 0, 3, BOOT_A));
		assert_int_equal(i, st.unblessed);
		assert_int_equal(BOOT_LOADING, st.last);
		/* ...and the machine crashes: nothing more is recorded. */
	}
	assert_int_equal(BOOT_DO_REFUSE, boot_decide(&st, 0, 3, BOOT_B));
	assert_int_equal(3, st.unblessed);
	assert_int_equal(BOOT_REFUSED, st.last);
	assert_string_equal(BOOT_B, st.boot_id);
	/* Refused stays refused, boot after boot. */
	assert_int_equal(BOOT_DO_REFUSE, boot_decide(&st, 0, 3, BOOT_A));
	/* Blessing a refused boot changes nothing... */
	assert_int_equal(0, boot_bless(&st, BOOT_A));
	assert_int_equal(3, st.unblessed);
	/* ...only a reset does. */
	boot_reset(&st, BOOT_A);
	assert_int_equal(0, st.unblessed);
	assert_int_equal(BOOT_DO_LOAD, boot_decide(&st, 0, 3, BOOT_A));
}

static void a_blessed_boot_starts_the_count_again(void **state)
{
	struct boot_state st;

	(void)state;
	boot_state_init(&st);
	assert_int_equal(BOOT_DO_LOAD, boot_decide(&st, 0, 2, BOOT_A));
	boot_loaded(&st, 1);
	assert_int_equal(BOOT_LOADED, st.last);
	/* Another boot's bless does nothing to this boot's record. */
	assert_int_equal(0, boot_bless(&st, BOOT_B));
	assert_int_equal(1, st.unblessed);
	assert_int_equal(1, boot_bless(&st, BOOT_A));
	assert_int_equal(0, st.unblessed);
	assert_int_equal(BOOT_BLESSED, st.last);
	/* Twice is nothing more. */
	assert_int_equal(0, boot_bless(&st, BOOT_A));
	/* A load that failed still counts, and can still be blessed. */
	assert_int_equal(BOOT_DO_LOAD, boot_decide(&st, 0, 2, BOOT_B));
	boot_loaded(&st, 0);
	assert_int_equal(BOOT_FAILED, st.last);
	assert_int_equal(1, st.unblessed);
	assert_int_equal(1, boot_bless(&st, BOOT_B));
}

static void disabled_loads_nothing_and_keeps_the_count(void **state)
{
	struct boot_state st;

	(void)state;
	boot_state_init(&st);
	boot_decide(&st, 0, 3, BOOT_A);
	assert_int_equal(BOOT_DO_NOTHING, boot_decide(&st, 1, 3, BOOT_B));
	assert_int_equal(1, st.unblessed);
	assert_int_equal(BOOT_DISABLED, st.last);
	/* Even past the limit, disabled wins: nothing is loaded. */
	st.unblessed = 10;
	assert_int_equal(BOOT_DO_NOTHING, boot_decide(&st, 1, 3, BOOT_B));
}

static void cmdline_disable(void **state)
{
	(void)state;
	assert_true(boot_cmdline_disabled("ro quiet vigil.disable=1"));
	assert_true(boot_cmdline_disabled("vigil.disable=1 ro"));
	assert_true(boot_cmdline_disabled("vigil.disable"));
	assert_true(boot_cmdline_disabled("vigil.disable=y\n"));
	assert_true(boot_cmdline_disabled("vigil.disable=Y"));
	assert_true(boot_cmdline_disabled("vigil.disable=on"));
	assert_true(boot_cmdline_disabled("vigil.disable=true"));
	assert_true(boot_cmdline_disabled("vigil.disable=\"1\""));
	assert_false(boot_cmdline_disabled(""));
	assert_false(boot_cmdline_disabled("ro quiet"));
	assert_false(boot_cmdline_disabled("vigil.disable=0"));
	assert_false(boot_cmdline_disabled("vigil.disable=off"));
	assert_false(boot_cmdline_disabled("vigil.disable=n"));
	assert_false(boot_cmdline_disabled("vigil.disabled=1"));
	assert_false(boot_cmdline_disabled("xvigil.disable=1"));
	assert_false(boot_cmdline_disabled("vigil.disable_x=1"));
	/* The last one wins, as it does for the kernel. */
	assert_false(boot_cmdline_disabled("vigil.disable=1 vigil.disable=0"));
	assert_true(boot_cmdline_disabled("vigil.disable=0 vigil.disable=1"));
	/* Inside another parameter's quoted value: not ours. */
	assert_false(boot_cmdline_disabled("dyndbg=\"x vigil.disable=1\""));
	/* After "--" the words are init's, not the kernel's. */
	assert_false(boot_cmdline_disabled("ro -- vigil.disable=1"));
}

static void state_file_round_trip(void **state)
{
	struct boot_state st, back;
	char buf[512], err[128];
	int len;

	(void)state;
	boot_state_init(&st);
	boot_decide(&st, 0, 5, BOOT_A);
	len = boot_state_format(&st, buf, sizeof(buf));
	assert_true(len > 0);
	assert_int_equal(0, boot_state_parse(buf, len, &back, err, sizeof(err)));
	assert_int_equal(1, back.unblessed);
	assert_int_equal(5, back.limit);
	assert_int_equal(BOOT_LOADING, back.last);
	assert_string_equal(BOOT_A, back.boot_id);
	assert_int_equal(-ENOSPC, boot_state_format(&st, buf, 20));
}

static void state_file_minimal_and_comments(void **state)
{
	struct boot_state st;
	char err[128];

	(void)state;
	assert_int_equal(0, parse("version=1\nunblessed=2", &st, err));
	assert_int_equal(2, st.unblessed);
	assert_int_equal(BOOT_NONE, st.last);
	assert_int_equal(0, parse("# hello\n\nversion=1\n# x=y\nunblessed=0\nboot_id=\n", &st, err));
}

static void expect_bad(const char *text, const char *message)
{
	struct boot_state st;
	char err[128] = "";

	assert_int_equal(-EINVAL, parse(text, &st, err));
	if (!strstr(err, message))
		fail_msg("'%s': got '%s', want '%s'", text, err, message);
}

static void state_file_bad_input(void **state)
{
	char big[5000];

	(void)state;
	expect_bad("", "no version");
	expect_bad("version=1\n", "no unblessed count");
	expect_bad("unblessed=1\n", "no version");
	expect_bad("version=2\nunblessed=1\n", "line 1: bad value for version");
	expect_bad("version=1\nunblessed=1\nfoo=bar\n", "line 3: unknown key 'foo'");
	expect_bad("version=1\nunblessed=1\nunblessed=2\n", "line 3: unblessed given twice");
	expect_bad("version=1\nunblessed=-1\n", "line 2: bad value for unblessed");
	expect_bad("version=1\nunblessed=1001\n", "bad value for unblessed");
	expect_bad("version=1\nunblessed=99999999999999\n", "bad value for unblessed");
	expect_bad("version=1\nunblessed= 1\n", "bad value for unblessed");
	expect_bad("version=1\nunblessed=\n", "bad value for unblessed");
	expect_bad("version=1\nunblessed=1\nlast=crashed\n", "bad value for last");
	expect_bad("version=1\nunblessed=1\nboot_id=xyz\n", "bad value for boot_id");
	expect_bad("version=1\nunblessed=1\nboot_id=" BOOT_A "0\n", "bad value for boot_id");
	expect_bad("version=1\nunblessed\n", "line 2: not key=value");
	expect_bad("version=1\nUNBLESSED=1\n", "unknown key");
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	expect_bad(big, "larger than 4096 bytes");
	memset(big, '#', 200);
	big[200] = '\0';
	expect_bad(big, "line 1: longer than 128 bytes");
}

static void state_file_nul_byte(void **state)
{
	static const char text[] = "version=1\nunblessed=1\0\n";
	struct boot_state st;
	char err[128];

	(void)state;
	assert_int_equal(-EINVAL, boot_state_parse(text, sizeof(text) - 1, &st,
						   err, sizeof(err)));
	assert_non_null(strstr(err, "line 2: a NUL byte"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_then_refuses),
		cmocka_unit_test(a_blessed_boot_starts_the_count_again),
		cmocka_unit_test(disabled_loads_nothing_and_keeps_the_count),
		cmocka_unit_test(cmdline_disable),
		cmocka_unit_test(state_file_round_trip),
		cmocka_unit_test(state_file_minimal_and_comments),
		cmocka_unit_test(state_file_bad_input),
		cmocka_unit_test(state_file_nul_byte),
	};

	return cmocka_run_group_tests_name("bootstate", tests, NULL, NULL);
}
