// SPDX-License-Identifier: GPL-2.0
/* Combining clients' verdicts, their deadlines, and the deadline queue. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <linux/vigil.h>

#include "deadline.h"
#include "verdict.h"

#define MS(x)	((uint64_t)(x) * 1000000ULL)
#define ALLOW	VIGIL_VERDICT_ALLOW
#define DENY	VIGIL_VERDICT_DENY
#define CACHE	VIGIL_VERDICT_F_CACHE

static struct verdict_final result(const struct verdict_combo *c)
{
	assert_true(verdict_combo_done(c));
	return verdict_combo_result(c, ALLOW);
}

static void all_allow(void **state)
{
	struct verdict_combo c;
	struct verdict_final f;

	(void)state;
	verdict_combo_init(&c, 3);
	verdict_combo_answer(&c, ALLOW, CACHE);
	verdict_combo_answer(&c, ALLOW, CACHE);
	assert_false(verdict_combo_done(&c));
	verdict_combo_answer(&c, ALLOW, CACHE);
	f = result(&c);
	assert_int_equal(ALLOW, f.verdict);
	assert_int_equal(CACHE, f.flags);
	/* One allow without the cache flag: not cached. */
	verdict_combo_init(&c, 2);
	verdict_combo_answer(&c, ALLOW, CACHE);
	verdict_combo_answer(&c, ALLOW, 0);
	f = result(&c);
	assert_int_equal(ALLOW, f.verdict);
	assert_int_equal(0, f.flags);
}

static void any_deny_wins_at_once(void **state)
{
	struct verdict_combo c;
	struct verdict_final f;

	(void)state;
	verdict_combo_init(&c, 3);
	verdict_combo_answer(&c, ALLOW, CACHE);
	verdict_combo_answer(&c, DENY, 0);
	/* Decided without waiting for the third. */
	f = result(&c);
	assert_int_equal(DENY, f.verdict);
	assert_int_equal(0, f.flags);
	/* A later deny with the cache flag does not change the first's. */
	verdict_combo_answer(&c, DENY, CACHE);
	assert_int_equal(0, verdict_combo_result(&c, ALLOW).flags);
	verdict_combo_init(&c, 2);
	verdict_combo_answer(&c, DENY, CACHE);
	f = result(&c);
	assert_int_equal(DENY, f.verdict);
	assert_int_equal(CACHE, f.flags);
	/* Deny wins over a missing answer whatever the policy. */
	verdict_combo_init(&c, 2);
	verdict_combo_miss(&c);
	verdict_combo_answer(&c, DENY, 0);
	assert_int_equal(DENY, verdict_combo_result(&c, ALLOW).verdict);
}

static void a_missing_answer_takes_the_policy_uncached(void **state)
{
	struct verdict_combo c;
	struct verdict_final f;

	(void)state;
	verdict_combo_init(&c, 2);
	verdict_combo_answer(&c, ALLOW, CACHE);
	assert_false(verdict_combo_done(&c));
	verdict_combo_miss(&c);
	assert_true(verdict_combo_done(&c));
	f = verdict_combo_result(&c, DENY);
	assert_int_equal(DENY, f.verdict);
	assert_int_equal(0, f.flags);
	f = verdict_combo_result(&c, ALLOW);
	assert_int_equal(ALLOW, f.verdict);
	assert_int_equal(0, f.flags);
	/* Nobody to ask: the policy. */
	verdict_combo_init(&c, 0);
	assert_true(verdict_combo_done(&c));
	assert_int_equal(DENY, verdict_combo_result(&c, DENY).verdict);
	assert_int_equal(0, verdict_combo_result(&c, DENY).flags);
}

static void client_deadlines_stay_before_the_kernels(void **state)
{
	(void)state;
	/* The client's own, well before the shim's. */
	assert_int_equal(MS(1250), verdict_client_deadline(MS(1000), MS(2000), 250));
	/* Capped at the margin before the shim's. */
	assert_int_equal(MS(1980), verdict_client_deadline(MS(1000), MS(2000), 5000));
	/* Already too late: due at once. */
	assert_int_equal(MS(1000), verdict_client_deadline(MS(1000), MS(1010), 250));
	assert_int_equal(MS(1000), verdict_client_deadline(MS(1000), MS(5), 250));
}

static void deadlines_come_out_in_order(void **state)
{
	uint64_t times[] = { 50, 10, 40, 10, 30, 20, 60, 5 };
	struct deadline_queue q;
	struct deadline d;
	uint64_t last = 0;
	size_t i;

	(void)state;
	assert_int_equal(0, deadline_queue_init(&q, 8));
	assert_int_equal(-1, deadline_timeout_ms(&q, 0));
	for (i = 0; i < 8; i++)
		assert_int_equal(0, deadline_push(&q, MS(times[i]), i));
	assert_int_equal(-ENOSPC, deadline_push(&q, MS(1), 99));
	assert_int_equal(5, deadline_timeout_ms(&q, 0));
	/* Rounded up: never woken before it is due. */
	assert_int_equal(1, deadline_timeout_ms(&q, MS(5) - 1));
	assert_int_equal(0, deadline_pop_due(&q, MS(5) - 1, &d));
	for (i = 0; i < 8; i++) {
		assert_int_equal(1, deadline_pop_due(&q, MS(100), &d));
		assert_true(d.when_ns >= last);
		last = d.when_ns;
	}
	assert_int_equal(0, deadline_pop_due(&q, MS(100), &d));
	assert_int_equal(MS(60), last);
	deadline_queue_free(&q);
}

static int odd_key(const struct deadline *d, void *ctx)
{
	(void)ctx;
	return d->key & 1;
}

/* A full heap of settled deadlines makes room, and stays in order. */
static void settled_deadlines_are_pruned(void **state)
{
	struct deadline_queue q;
	struct deadline d;
	uint64_t last = 0;
	size_t i;

	(void)state;
	assert_int_equal(0, deadline_queue_init(&q, 64));
	for (i = 0; i < 64; i++)
		assert_int_equal(0, deadline_push(&q, MS((i * 37) % 64), i));
	assert_int_equal(-ENOSPC, deadline_push(&q, MS(1), 100));
	assert_int_equal(32, deadline_prune(&q, odd_key, NULL));
	assert_int_equal(0, deadline_prune(&q, odd_key, NULL));
	assert_int_equal(0, deadline_push(&q, MS(1000), 100));
	for (i = 0; i < 33; i++) {
		assert_int_equal(1, deadline_pop_due(&q, MS(2000), &d));
		assert_int_equal(0, d.key & 1);
		assert_true(d.when_ns >= last);
		last = d.when_ns;
	}
	assert_int_equal(100, d.key);
	assert_int_equal(0, deadline_pop_due(&q, MS(2000), &d));
	deadline_queue_free(&q);
}

static void only_due_deadlines_pop(void **state)
{
	struct deadline_queue q;
	struct deadline d;

	(void)state;
	assert_int_equal(0, deadline_queue_init(&q, 4));
	deadline_push(&q, MS(30), 3);
	deadline_push(&q, MS(10), 1);
	deadline_push(&q, MS(20), 2);
	assert_int_equal(1, deadline_pop_due(&q, MS(20), &d));
	assert_int_equal(1, d.key);
	assert_int_equal(1, deadline_pop_due(&q, MS(20), &d));
	assert_int_equal(2, d.key);
	assert_int_equal(0, deadline_pop_due(&q, MS(20), &d));
	assert_int_equal(0, deadline_timeout_ms(&q, MS(30)));
	assert_int_equal(10, deadline_timeout_ms(&q, MS(20)));
	deadline_queue_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_allow),
		cmocka_unit_test(any_deny_wins_at_once),
		cmocka_unit_test(a_missing_answer_takes_the_policy_uncached),
		cmocka_unit_test(client_deadlines_stay_before_the_kernels),
		cmocka_unit_test(deadlines_come_out_in_order),
		cmocka_unit_test(only_due_deadlines_pop),
		cmocka_unit_test(settled_deadlines_are_pruned),
	};

	return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}
