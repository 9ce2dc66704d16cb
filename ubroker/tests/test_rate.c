// SPDX-License-Identifier: GPL-2.0
/* The rate window vigilctl status shows: samples, and what a window spans. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "rate.h"

#define S(x)	((uint64_t)(x) * 1000000000ULL)

static void no_sample_no_window(void **state)
{
	struct rate r = { 0 };
	uint64_t span = 1, ev = 1, dr = 1;

	(void)state;
	rate_window(&r, S(5), 10, 0, &span, &ev, &dr);
	assert_int_equal(0, span);
	assert_int_equal(0, ev);
	assert_int_equal(0, dr);
}

static void samples_are_a_period_apart(void **state)
{
	struct rate r = { 0 };
	uint64_t span, ev, dr;

	(void)state;
	rate_sample(&r, S(1), 0, 0);
	rate_sample(&r, S(1) + 1000, 50, 0);	/* too soon: not kept */
	assert_int_equal(1, r.n);
	rate_window(&r, S(2), 100, 4, &span, &ev, &dr);
	assert_int_equal(S(1), span);
	assert_int_equal(100, ev);
	assert_int_equal(4, dr);
}

/* A steady 100 events a second for a minute: the window is the last 10 s. */
static void the_window_is_the_last_ten_seconds(void **state)
{
	struct rate r = { 0 };
	uint64_t span, ev, dr;
	int t;

	(void)state;
	for (t = 0; t <= 60; t++)
		rate_sample(&r, S(t), (uint64_t)t * 100, (uint64_t)t);
	rate_window(&r, S(60) + S(1) / 2, 6050, 60, &span, &ev, &dr);
	assert_true(span <= RATE_WINDOW_NS);
	assert_true(span >= RATE_WINDOW_NS - S(1));
	assert_int_equal(ev * 1000000000ULL / span, 100);
	assert_int_equal(RATE_SAMPLES, r.n);
}

/* Idle for a minute after a burst: the rate is since the last sample. */
static void after_an_idle_time_the_newest_sample(void **state)
{
	struct rate r = { 0 };
	uint64_t span, ev, dr;

	(void)state;
	rate_sample(&r, S(1), 0, 0);
	rate_sample(&r, S(2), 1000, 0);
	rate_window(&r, S(62), 1000, 0, &span, &ev, &dr);
	assert_int_equal(S(60), span);
	assert_int_equal(0, ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_sample_no_window),
		cmocka_unit_test(samples_are_a_period_apart),
		cmocka_unit_test(the_window_is_the_last_ten_seconds),
		cmocka_unit_test(after_an_idle_time_the_newest_sample),
	};

	return cmocka_run_group_tests_name("rate", tests, NULL, NULL);
}
