// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the watchdog's state machine under a fake clock,
 * included at the end of watchdog.c.
 */

#include <kunit/test.h>

#define MS(x)	((u64)(x) * NSEC_PER_MSEC)
#define SEC(x)	((u64)(x) * NSEC_PER_SEC)

/* 3 faults within 10 s trip; the second trip in a row waits 1 s. */
static const struct vigil_wd_config test_cfg = {
	.max_faults = 3,
	.window_ns = SEC(10),
	.backoff_ns = SEC(1),
};

static void vigil_wd_test_trips_at_the_nth_fault(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, SEC(100));
	KUNIT_EXPECT_FALSE(test, vigil_wd_fault(&wd, &test_cfg,
						VIGIL_FAULT_BROKER_GONE, SEC(101)));
	KUNIT_EXPECT_FALSE(test, vigil_wd_fault(&wd, &test_cfg,
						VIGIL_FAULT_BROKER_GONE, SEC(102)));
	KUNIT_EXPECT_TRUE(test, vigil_wd_armed(&wd));
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &test_cfg, SEC(102)), 2);
	KUNIT_EXPECT_TRUE(test, vigil_wd_fault(&wd, &test_cfg,
					       VIGIL_FAULT_DEADLINE_MISSED, SEC(103)));
	KUNIT_EXPECT_EQ(test, wd.state, VIGIL_WATCHDOG_TRIPPED);
	KUNIT_EXPECT_EQ(test, wd.reason, VIGIL_FAULT_DEADLINE_MISSED);
	KUNIT_EXPECT_EQ(test, wd.trip_time_ns, SEC(103));
	KUNIT_EXPECT_EQ(test, wd.trips, 1);
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_BROKER_GONE], 2);
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_DEADLINE_MISSED], 1);
	/* The first trip may be re-armed at once. */
	KUNIT_EXPECT_EQ(test, wd.rearm_after_ns, SEC(103));
}

/* Faults that fell out of the window do not count. */
static void vigil_wd_test_old_faults_do_not_count(struct kunit *test)
{
	struct vigil_watchdog wd;
	u64 t = SEC(1000);

	vigil_wd_init(&wd, 0);
	vigil_wd_fault(&wd, &test_cfg, VIGIL_FAULT_BROKER_HUNG, t);
	vigil_wd_fault(&wd, &test_cfg, VIGIL_FAULT_BROKER_HUNG, t + SEC(5));
	/* The first is now 10 s + 1 ns old: two in the window. */
	KUNIT_EXPECT_FALSE(test, vigil_wd_fault(&wd, &test_cfg,
						VIGIL_FAULT_BROKER_HUNG,
						t + SEC(10) + 1));
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &test_cfg,
						     t + SEC(10) + 1), 2);
	/* Exactly at the window's edge still counts. */
	KUNIT_EXPECT_TRUE(test, vigil_wd_fault(&wd, &test_cfg,
					       VIGIL_FAULT_BROKER_HUNG,
					       t + SEC(15)));
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_BROKER_HUNG], 4);
}

/* A steady trickle of faults slower than max_faults per window never trips. */
static void vigil_wd_test_slow_trickle_never_trips(struct kunit *test)
{
	struct vigil_watchdog wd;
	unsigned int i;

	vigil_wd_init(&wd, 0);
	for (i = 1; i <= 1000; i++)
		KUNIT_ASSERT_FALSE(test, vigil_wd_fault(&wd, &test_cfg,
							VIGIL_FAULT_RING_OVERFLOW,
							(u64)i * MS(5001)));
	KUNIT_EXPECT_TRUE(test, vigil_wd_armed(&wd));
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_RING_OVERFLOW], 1000);
}

/* The threshold is read from the configuration at each fault. */
static void vigil_wd_test_threshold_follows_the_config(struct kunit *test)
{
	struct vigil_wd_config cfg = test_cfg;
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	cfg.max_faults = 1;
	KUNIT_EXPECT_TRUE(test, vigil_wd_fault(&wd, &cfg,
					       VIGIL_FAULT_INTERNAL_ERROR, SEC(1)));

	vigil_wd_init(&wd, 0);
	cfg.max_faults = VIGIL_WD_MAX_FAULTS;
	while (wd.faults[VIGIL_FAULT_SLOW_HOOK] < VIGIL_WD_MAX_FAULTS - 1)
		KUNIT_ASSERT_FALSE(test, vigil_wd_fault(&wd, &cfg,
							VIGIL_FAULT_SLOW_HOOK,
							SEC(1)));
	KUNIT_EXPECT_TRUE(test, vigil_wd_fault(&wd, &cfg, VIGIL_FAULT_SLOW_HOOK,
					       SEC(1)));
	/* Out-of-range thresholds are clamped, never trusted. */
	vigil_wd_init(&wd, 0);
	cfg.max_faults = 0;
	KUNIT_EXPECT_TRUE(test, vigil_wd_fault(&wd, &cfg,
					       VIGIL_FAULT_BROKER_GONE, SEC(1)));
}

/* Tripped, faults are counted but change nothing. */
static void vigil_wd_test_faults_while_tripped(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_BROKER_GONE, SEC(1));
	KUNIT_EXPECT_FALSE(test, vigil_wd_fault(&wd, &test_cfg,
						VIGIL_FAULT_DEADLINE_MISSED, SEC(2)));
	KUNIT_EXPECT_EQ(test, wd.trips, 1);
	KUNIT_EXPECT_EQ(test, wd.reason, VIGIL_FAULT_BROKER_GONE);
	KUNIT_EXPECT_EQ(test, wd.trip_time_ns, SEC(1));
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_DEADLINE_MISSED], 1);
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &test_cfg, SEC(2)), 0);
	/* A class out of range counts as an internal error. */
	vigil_wd_fault(&wd, &test_cfg, VIGIL_FAULT_SLOTS + 7, SEC(3));
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_INTERNAL_ERROR], 1);
}

static void vigil_wd_test_rearm(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(1)), -EALREADY);
	vigil_wd_fault(&wd, &test_cfg, VIGIL_FAULT_BROKER_GONE, SEC(1));
	vigil_wd_fault(&wd, &test_cfg, VIGIL_FAULT_BROKER_GONE, SEC(2));
	vigil_wd_fault(&wd, &test_cfg, VIGIL_FAULT_BROKER_GONE, SEC(3));
	KUNIT_ASSERT_FALSE(test, vigil_wd_armed(&wd));
	KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(3)), 0);
	KUNIT_EXPECT_TRUE(test, vigil_wd_armed(&wd));
	KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(3)), -EALREADY);
	/* The faults before the re-arm are forgotten... */
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &test_cfg, SEC(3)), 0);
	KUNIT_EXPECT_FALSE(test, vigil_wd_fault(&wd, &test_cfg,
						VIGIL_FAULT_BROKER_GONE, SEC(4)));
	KUNIT_EXPECT_FALSE(test, vigil_wd_fault(&wd, &test_cfg,
						VIGIL_FAULT_BROKER_GONE, SEC(4)));
	/* ...but not the counters, nor the last trip. */
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_BROKER_GONE], 5);
	KUNIT_EXPECT_EQ(test, wd.trips, 1);
	KUNIT_EXPECT_EQ(test, wd.reason, VIGIL_FAULT_BROKER_GONE);
}

/* Trip, re-arm, trip again soon: the waits double, up to the maximum. */
static void vigil_wd_test_backoff_doubles(struct kunit *test)
{
	u64 expected[] = { 0, SEC(1), SEC(2), SEC(4), SEC(8) };
	struct vigil_watchdog wd;
	u64 t = SEC(50);
	unsigned int i;

	vigil_wd_init(&wd, 0);
	for (i = 0; i < ARRAY_SIZE(expected); i++) {
		vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_BROKER_HUNG, t);
		KUNIT_EXPECT_EQ(test, wd.streak, i + 1);
		KUNIT_EXPECT_EQ(test, wd.rearm_after_ns - t, expected[i]);
		if (expected[i]) {
			KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, t), -EAGAIN);
			KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, t + expected[i] - 1),
					-EAGAIN);
			KUNIT_EXPECT_FALSE(test, vigil_wd_armed(&wd));
		}
		t += expected[i];
		KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, t), 0);
		t += SEC(1);	/* trips again within the window */
	}
	KUNIT_EXPECT_EQ(test, vigil_wd_backoff(&test_cfg, 100),
			VIGIL_WD_BACKOFF_MAX_NS);
	KUNIT_EXPECT_EQ(test, vigil_wd_backoff(&test_cfg, 13), SEC(2048));
	KUNIT_EXPECT_EQ(test, vigil_wd_backoff(&test_cfg, 1), 0);
}

/* Staying armed a whole window ends the streak: no wait again. */
static void vigil_wd_test_a_healthy_window_ends_the_streak(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_BROKER_GONE, SEC(1));
	KUNIT_ASSERT_EQ(test, vigil_wd_rearm(&wd, SEC(1)), 0);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_BROKER_GONE, SEC(2));
	KUNIT_EXPECT_EQ(test, wd.streak, 2);
	KUNIT_ASSERT_EQ(test, vigil_wd_rearm(&wd, SEC(3)), 0);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_BROKER_GONE, SEC(13));
	KUNIT_EXPECT_EQ(test, wd.streak, 1);
	KUNIT_EXPECT_EQ(test, wd.rearm_after_ns, SEC(13));
	KUNIT_EXPECT_EQ(test, wd.trips, 3);
}

/* Asking whether a re-arm would succeed answers as it would, and changes nothing. */
static void vigil_wd_test_may_rearm_changes_nothing(struct kunit *test)
{
	struct vigil_watchdog wd, before;

	vigil_wd_init(&wd, 0);
	KUNIT_EXPECT_EQ(test, vigil_wd_may_rearm(&wd, SEC(1)), -EALREADY);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_BROKER_GONE, SEC(1));
	KUNIT_ASSERT_EQ(test, vigil_wd_rearm(&wd, SEC(1)), 0);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_BROKER_GONE, SEC(2));
	before = wd;
	KUNIT_EXPECT_EQ(test, vigil_wd_may_rearm(&wd, SEC(2)), -EAGAIN);
	KUNIT_EXPECT_EQ(test, vigil_wd_may_rearm(&wd, SEC(3)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&wd, &before, sizeof(wd)), 0);
	KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(3)), 0);
}

/* No backoff configured: re-arming is never refused. */
static void vigil_wd_test_no_backoff(struct kunit *test)
{
	struct vigil_wd_config cfg = test_cfg;
	struct vigil_watchdog wd;
	unsigned int i;

	cfg.backoff_ns = 0;
	vigil_wd_init(&wd, 0);
	for (i = 0; i < 10; i++) {
		vigil_wd_trip(&wd, &cfg, VIGIL_FAULT_BROKER_GONE, SEC(1) + i);
		KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(1) + i), 0);
	}
}

static struct kunit_case vigil_watchdog_test_cases[] = {
	KUNIT_CASE(vigil_wd_test_trips_at_the_nth_fault),
	KUNIT_CASE(vigil_wd_test_old_faults_do_not_count),
	KUNIT_CASE(vigil_wd_test_slow_trickle_never_trips),
	KUNIT_CASE(vigil_wd_test_threshold_follows_the_config),
	KUNIT_CASE(vigil_wd_test_faults_while_tripped),
	KUNIT_CASE(vigil_wd_test_rearm),
	KUNIT_CASE(vigil_wd_test_backoff_doubles),
	KUNIT_CASE(vigil_wd_test_a_healthy_window_ends_the_streak),
	KUNIT_CASE(vigil_wd_test_no_backoff),
	KUNIT_CASE(vigil_wd_test_may_rearm_changes_nothing),
	{}
};

static struct kunit_suite vigil_watchdog_test_suite = {
	.name = "vigil_watchdog",
	.test_cases = vigil_watchdog_test_cases,
};

kunit_test_suite(vigil_watchdog_test_suite);
