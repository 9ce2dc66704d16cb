// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the watchdog's state machine under a fake clock,
 * included at the end of watchdog.c.
 */

#include <kunit/test.h>

#define MS(x)	((u64)(x) * NSEC_PER_MSEC)
#define SEC(x)	((u64)(x) * NSEC_PER_SEC)

/*
 * 3 faults of a grade within 10 s act; backoffs start at 1 s; two
 * automatic re-arms.
 */
static const struct vigil_wd_config test_cfg = {
	.max_faults = 3,
	.window_ns = SEC(10),
	.backoff_ns = SEC(1),
	.auto_rearms = 2,
};

/* Count @n faults of @class at @t, expecting no change but from the last. */
static enum vigil_wd_change faults(struct kunit *test, struct vigil_watchdog *wd,
				   u32 class, unsigned int n, u64 t)
{
	enum vigil_wd_change last = VIGIL_WD_NONE;
	unsigned int i;

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, last, VIGIL_WD_NONE);
		last = vigil_wd_fault(wd, &test_cfg, class, t);
	}
	return last;
}

/* The broker's faults degrade the shim; they never trip it. */
static void vigil_wd_test_broker_faults_degrade(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, SEC(100));
	KUNIT_EXPECT_EQ(test, faults(test, &wd, VIGIL_FAULT_BROKER_GONE, 2, SEC(101)),
			VIGIL_WD_NONE);
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &test_cfg, SEC(102)), 2);
	KUNIT_EXPECT_EQ(test, vigil_wd_fault(&wd, &test_cfg,
					     VIGIL_FAULT_DEADLINE_MISSED, SEC(103)),
			VIGIL_WD_DEGRADED);
	KUNIT_EXPECT_EQ(test, wd.state, VIGIL_WATCHDOG_DEGRADED);
	KUNIT_EXPECT_EQ(test, wd.reason, VIGIL_FAULT_DEADLINE_MISSED);
	KUNIT_EXPECT_EQ(test, wd.degrades, 1);
	KUNIT_EXPECT_EQ(test, wd.trips, 0);
	KUNIT_EXPECT_EQ(test, wd.degrade_time_ns, SEC(103));
	/* The first degrade waits for nothing but a healthy broker. */
	KUNIT_EXPECT_EQ(test, wd.recover_after_ns, SEC(103));
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_BROKER_GONE], 2);
	/* Degraded, the broker's faults are counted and change nothing... */
	KUNIT_EXPECT_EQ(test, faults(test, &wd, VIGIL_FAULT_BROKER_HUNG, 10, SEC(104)),
			VIGIL_WD_NONE);
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_BROKER_HUNG], 10);
	KUNIT_EXPECT_EQ(test, wd.degrades, 1);
	/* ...but the shim's own still trip it. */
	KUNIT_EXPECT_EQ(test, faults(test, &wd, VIGIL_FAULT_SLOW_HOOK, 3, SEC(105)),
			VIGIL_WD_TRIPPED);
	KUNIT_EXPECT_EQ(test, wd.state, VIGIL_WATCHDOG_TRIPPED);
	KUNIT_EXPECT_EQ(test, wd.reason, VIGIL_FAULT_SLOW_HOOK);
	KUNIT_EXPECT_EQ(test, wd.changes, 2);
}

/* The shim's own faults trip it, and a re-arm by itself is planned. */
static void vigil_wd_test_shim_faults_trip(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	KUNIT_EXPECT_EQ(test, faults(test, &wd, VIGIL_FAULT_INTERNAL_ERROR, 3, SEC(50)),
			VIGIL_WD_TRIPPED);
	KUNIT_EXPECT_EQ(test, wd.reason, VIGIL_FAULT_INTERNAL_ERROR);
	KUNIT_EXPECT_EQ(test, wd.trips, 1);
	KUNIT_EXPECT_EQ(test, wd.trip_time_ns, SEC(50));
	/* By hand at once; by itself after the backoff. */
	KUNIT_EXPECT_EQ(test, wd.rearm_after_ns, SEC(50));
	KUNIT_EXPECT_EQ(test, wd.auto_rearm_ns, SEC(51));
}

/* Each grade counts in its own window: two of each act on nothing. */
static void vigil_wd_test_grades_count_apart(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	faults(test, &wd, VIGIL_FAULT_BROKER_HUNG, 2, SEC(1));
	KUNIT_EXPECT_EQ(test, faults(test, &wd, VIGIL_FAULT_INTERNAL_ERROR, 2, SEC(2)),
			VIGIL_WD_NONE);
	KUNIT_EXPECT_TRUE(test, vigil_wd_armed(&wd));
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &test_cfg, SEC(2)), 2);
}

/* A retired class (the ring's overflow) is counted, never acted on. */
static void vigil_wd_test_retired_classes_never_act(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	KUNIT_EXPECT_EQ(test, faults(test, &wd, VIGIL_FAULT_RING_OVERFLOW, 100, SEC(1)),
			VIGIL_WD_NONE);
	KUNIT_EXPECT_TRUE(test, vigil_wd_armed(&wd));
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_RING_OVERFLOW], 100);
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &test_cfg, SEC(1)), 0);
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
	KUNIT_EXPECT_EQ(test, vigil_wd_fault(&wd, &test_cfg, VIGIL_FAULT_BROKER_HUNG,
					     t + SEC(10) + 1), VIGIL_WD_NONE);
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &test_cfg,
						     t + SEC(10) + 1), 2);
	/* Exactly at the window's edge still counts. */
	KUNIT_EXPECT_EQ(test, vigil_wd_fault(&wd, &test_cfg, VIGIL_FAULT_BROKER_HUNG,
					     t + SEC(15)), VIGIL_WD_DEGRADED);
}

/* A steady trickle slower than max_faults per window never acts. */
static void vigil_wd_test_slow_trickle_never_acts(struct kunit *test)
{
	struct vigil_watchdog wd;
	unsigned int i;

	vigil_wd_init(&wd, 0);
	for (i = 1; i <= 1000; i++)
		KUNIT_ASSERT_EQ(test, vigil_wd_fault(&wd, &test_cfg,
						     i % 2 ? VIGIL_FAULT_SLOW_HOOK :
							     VIGIL_FAULT_BROKER_HUNG,
						     (u64)i * MS(5001)),
				VIGIL_WD_NONE);
	KUNIT_EXPECT_TRUE(test, vigil_wd_armed(&wd));
}

/* The threshold is read from the configuration at each fault, clamped. */
static void vigil_wd_test_threshold_follows_the_config(struct kunit *test)
{
	struct vigil_wd_config cfg = test_cfg;
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	cfg.max_faults = 1;
	KUNIT_EXPECT_EQ(test, vigil_wd_fault(&wd, &cfg, VIGIL_FAULT_INTERNAL_ERROR,
					     SEC(1)), VIGIL_WD_TRIPPED);

	vigil_wd_init(&wd, 0);
	cfg.max_faults = VIGIL_WD_MAX_FAULTS;
	while (wd.faults[VIGIL_FAULT_SLOW_HOOK] < VIGIL_WD_MAX_FAULTS - 1)
		KUNIT_ASSERT_EQ(test, vigil_wd_fault(&wd, &cfg, VIGIL_FAULT_SLOW_HOOK,
						     SEC(1)), VIGIL_WD_NONE);
	KUNIT_EXPECT_EQ(test, vigil_wd_fault(&wd, &cfg, VIGIL_FAULT_SLOW_HOOK,
					     SEC(1)), VIGIL_WD_TRIPPED);
	/* Out-of-range thresholds are clamped, never trusted. */
	vigil_wd_init(&wd, 0);
	cfg.max_faults = 0;
	KUNIT_EXPECT_EQ(test, vigil_wd_fault(&wd, &cfg, VIGIL_FAULT_BROKER_GONE,
					     SEC(1)), VIGIL_WD_DEGRADED);
}

/*
 * Faults counted under one configuration say nothing under the next: 64
 * faults in a 1 s window, then a threshold of 3 in 60 s, read 0, not 64,
 * and the next fault does not act.
 */
static void vigil_wd_test_a_new_config_counts_afresh(struct kunit *test)
{
	struct vigil_wd_config loose = test_cfg, strict = test_cfg;
	struct vigil_watchdog wd;
	unsigned int i;

	loose.max_faults = 64;
	loose.window_ns = SEC(1);
	strict.window_ns = SEC(60);
	vigil_wd_init(&wd, 0);
	for (i = 0; i < 63; i++)
		vigil_wd_fault(&wd, &loose, VIGIL_FAULT_DEADLINE_MISSED, SEC(5));
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &loose, SEC(5)), 63);
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &strict, SEC(5)), 0);
	KUNIT_EXPECT_EQ(test, vigil_wd_fault(&wd, &strict, VIGIL_FAULT_DEADLINE_MISSED,
					     SEC(6)), VIGIL_WD_NONE);
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &strict, SEC(6)), 1);
	KUNIT_EXPECT_TRUE(test, vigil_wd_armed(&wd));
}

/* Tripped, faults are counted but change nothing. */
static void vigil_wd_test_faults_while_tripped(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_SLOW_HOOK, SEC(1));
	KUNIT_EXPECT_EQ(test, faults(test, &wd, VIGIL_FAULT_INTERNAL_ERROR, 5, SEC(2)),
			VIGIL_WD_NONE);
	KUNIT_EXPECT_EQ(test, faults(test, &wd, VIGIL_FAULT_BROKER_GONE, 5, SEC(2)),
			VIGIL_WD_NONE);
	KUNIT_EXPECT_EQ(test, wd.trips, 1);
	KUNIT_EXPECT_EQ(test, wd.reason, VIGIL_FAULT_SLOW_HOOK);
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_INTERNAL_ERROR], 5);
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &test_cfg, SEC(2)), 0);
	/* A class out of range counts as an internal error. */
	vigil_wd_fault(&wd, &test_cfg, VIGIL_FAULT_SLOTS + 7, SEC(3));
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_INTERNAL_ERROR], 6);
}

/* Degraded: healthy before the backoff is over changes nothing; after, arms. */
static void vigil_wd_test_recovers_when_healthy(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	KUNIT_EXPECT_EQ(test, vigil_wd_healthy(&wd, SEC(1)), VIGIL_WD_NONE);
	faults(test, &wd, VIGIL_FAULT_BROKER_HUNG, 3, SEC(1));
	KUNIT_ASSERT_EQ(test, wd.state, VIGIL_WATCHDOG_DEGRADED);
	KUNIT_EXPECT_EQ(test, vigil_wd_healthy(&wd, SEC(2)), VIGIL_WD_ARMED);
	KUNIT_EXPECT_TRUE(test, vigil_wd_armed(&wd));
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &test_cfg, SEC(2)), 0);
	KUNIT_EXPECT_EQ(test, wd.changes, 2);
	/* A second degrade soon after waits the backoff, then twice it. */
	faults(test, &wd, VIGIL_FAULT_BROKER_HUNG, 3, SEC(3));
	KUNIT_EXPECT_EQ(test, wd.recover_after_ns, SEC(4));
	KUNIT_EXPECT_EQ(test, vigil_wd_healthy(&wd, SEC(4) - 1), VIGIL_WD_NONE);
	KUNIT_EXPECT_EQ(test, vigil_wd_healthy(&wd, SEC(4)), VIGIL_WD_ARMED);
	faults(test, &wd, VIGIL_FAULT_BROKER_HUNG, 3, SEC(5));
	KUNIT_EXPECT_EQ(test, wd.recover_after_ns, SEC(7));
	KUNIT_EXPECT_EQ(test, vigil_wd_healthy(&wd, SEC(7)), VIGIL_WD_ARMED);
	/* A whole healthy window ends the streak. */
	faults(test, &wd, VIGIL_FAULT_BROKER_HUNG, 3, SEC(30));
	KUNIT_EXPECT_EQ(test, wd.recover_after_ns, SEC(30));
	KUNIT_EXPECT_EQ(test, wd.degrades, 4);
	/* Tripped is not degraded: health does not re-arm it. */
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_INTERNAL_ERROR, SEC(31));
	KUNIT_EXPECT_EQ(test, vigil_wd_healthy(&wd, SEC(100)), VIGIL_WD_NONE);
}

/*
 * A person's re-arm of a degraded watchdog checks, then arms: the heartbeat
 * may find the broker healthy between the two and arm it first.  The
 * re-arm then finds it armed (vigil_shim_rearm() must take that as done,
 * not as its own bug, which detached the hooks of an armed shim).
 */
static void vigil_wd_test_recovery_between_check_and_rearm(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	faults(test, &wd, VIGIL_FAULT_BROKER_HUNG, 3, SEC(1));
	KUNIT_ASSERT_EQ(test, wd.state, VIGIL_WATCHDOG_DEGRADED);
	KUNIT_EXPECT_EQ(test, vigil_wd_may_rearm(&wd, SEC(2)), 0);
	KUNIT_EXPECT_EQ(test, vigil_wd_healthy(&wd, SEC(2)), VIGIL_WD_ARMED);
	KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(2)), -EALREADY);
	KUNIT_EXPECT_TRUE(test, vigil_wd_armed(&wd));
}

/* Tripped, it re-arms by itself auto_rearms times, each waiting twice as long. */
static void vigil_wd_test_auto_rearms_then_waits_for_a_person(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_INTERNAL_ERROR, SEC(100));
	KUNIT_EXPECT_EQ(test, wd.auto_rearm_ns, SEC(101));
	KUNIT_EXPECT_EQ(test, vigil_wd_auto_rearm(&wd, SEC(101) - 1), VIGIL_WD_NONE);
	KUNIT_EXPECT_EQ(test, vigil_wd_auto_rearm(&wd, SEC(101)), VIGIL_WD_ARMED);
	KUNIT_EXPECT_EQ(test, wd.auto_rearms, 1);
	KUNIT_EXPECT_EQ(test, vigil_wd_auto_rearm(&wd, SEC(200)), VIGIL_WD_NONE);

	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_INTERNAL_ERROR, SEC(200));
	KUNIT_EXPECT_EQ(test, wd.auto_rearm_ns, SEC(202));
	KUNIT_EXPECT_EQ(test, vigil_wd_auto_rearm(&wd, SEC(202)), VIGIL_WD_ARMED);

	/* The last one used: it stays tripped until a person re-arms it. */
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_SLOW_HOOK, SEC(300));
	KUNIT_EXPECT_EQ(test, wd.auto_rearm_ns, 0);
	KUNIT_EXPECT_EQ(test, vigil_wd_auto_rearm(&wd, SEC(100000)), VIGIL_WD_NONE);
	KUNIT_EXPECT_EQ(test, wd.state, VIGIL_WATCHDOG_TRIPPED);
	KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(300)), 0);
	KUNIT_EXPECT_EQ(test, wd.auto_rearms, 2);
}

/* An automatic re-arm is never sooner than one by hand may be. */
static void vigil_wd_test_auto_rearm_respects_the_streak(struct kunit *test)
{
	struct vigil_wd_config cfg = test_cfg;
	struct vigil_watchdog wd;

	cfg.backoff_ns = SEC(8);
	cfg.auto_rearms = 5;
	vigil_wd_init(&wd, 0);
	vigil_wd_trip(&wd, &cfg, VIGIL_FAULT_SLOW_HOOK, SEC(100));
	KUNIT_ASSERT_EQ(test, vigil_wd_rearm(&wd, SEC(100)), 0);
	/* The second trip of a streak: by hand after 8 s; by itself too. */
	vigil_wd_trip(&wd, &cfg, VIGIL_FAULT_SLOW_HOOK, SEC(101));
	KUNIT_EXPECT_EQ(test, wd.rearm_after_ns, SEC(109));
	KUNIT_EXPECT_EQ(test, wd.auto_rearm_ns, SEC(109));
}

static void vigil_wd_test_rearm(struct kunit *test)
{
	struct vigil_watchdog wd;

	vigil_wd_init(&wd, 0);
	KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(1)), -EALREADY);
	/* Degraded: a person's re-arm recovers it at once. */
	faults(test, &wd, VIGIL_FAULT_BROKER_GONE, 3, SEC(1));
	KUNIT_ASSERT_EQ(test, wd.state, VIGIL_WATCHDOG_DEGRADED);
	KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(1)), 0);
	KUNIT_EXPECT_TRUE(test, vigil_wd_armed(&wd));
	faults(test, &wd, VIGIL_FAULT_INTERNAL_ERROR, 3, SEC(20));
	KUNIT_ASSERT_EQ(test, wd.state, VIGIL_WATCHDOG_TRIPPED);
	KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(20)), 0);
	KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(20)), -EALREADY);
	/* The faults before the re-arm are forgotten... */
	KUNIT_EXPECT_EQ(test, vigil_wd_window_faults(&wd, &test_cfg, SEC(20)), 0);
	KUNIT_EXPECT_EQ(test, faults(test, &wd, VIGIL_FAULT_INTERNAL_ERROR, 2, SEC(21)),
			VIGIL_WD_NONE);
	/* ...but not the counters, nor the last trip. */
	KUNIT_EXPECT_EQ(test, wd.faults[VIGIL_FAULT_INTERNAL_ERROR], 5);
	KUNIT_EXPECT_EQ(test, wd.trips, 1);
	KUNIT_EXPECT_EQ(test, wd.degrades, 1);
	KUNIT_EXPECT_EQ(test, wd.reason, VIGIL_FAULT_INTERNAL_ERROR);
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
		vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_INTERNAL_ERROR, t);
		KUNIT_EXPECT_EQ(test, wd.trip_streak, i + 1);
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
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_SLOW_HOOK, SEC(1));
	KUNIT_ASSERT_EQ(test, vigil_wd_rearm(&wd, SEC(1)), 0);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_SLOW_HOOK, SEC(2));
	KUNIT_EXPECT_EQ(test, wd.trip_streak, 2);
	KUNIT_ASSERT_EQ(test, vigil_wd_rearm(&wd, SEC(3)), 0);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_SLOW_HOOK, SEC(13));
	KUNIT_EXPECT_EQ(test, wd.trip_streak, 1);
	KUNIT_EXPECT_EQ(test, wd.rearm_after_ns, SEC(13));
	KUNIT_EXPECT_EQ(test, wd.trips, 3);
}

/* Asking whether a re-arm would succeed answers as it would, and changes nothing. */
static void vigil_wd_test_may_rearm_changes_nothing(struct kunit *test)
{
	struct vigil_watchdog wd, before;

	vigil_wd_init(&wd, 0);
	KUNIT_EXPECT_EQ(test, vigil_wd_may_rearm(&wd, SEC(1)), -EALREADY);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_SLOW_HOOK, SEC(1));
	KUNIT_ASSERT_EQ(test, vigil_wd_rearm(&wd, SEC(1)), 0);
	vigil_wd_trip(&wd, &test_cfg, VIGIL_FAULT_SLOW_HOOK, SEC(2));
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
		vigil_wd_trip(&wd, &cfg, VIGIL_FAULT_SLOW_HOOK, SEC(1) + i);
		KUNIT_EXPECT_EQ(test, vigil_wd_rearm(&wd, SEC(1) + i), 0);
	}
}

static struct kunit_case vigil_watchdog_test_cases[] = {
	KUNIT_CASE(vigil_wd_test_broker_faults_degrade),
	KUNIT_CASE(vigil_wd_test_shim_faults_trip),
	KUNIT_CASE(vigil_wd_test_grades_count_apart),
	KUNIT_CASE(vigil_wd_test_retired_classes_never_act),
	KUNIT_CASE(vigil_wd_test_old_faults_do_not_count),
	KUNIT_CASE(vigil_wd_test_slow_trickle_never_acts),
	KUNIT_CASE(vigil_wd_test_threshold_follows_the_config),
	KUNIT_CASE(vigil_wd_test_a_new_config_counts_afresh),
	KUNIT_CASE(vigil_wd_test_faults_while_tripped),
	KUNIT_CASE(vigil_wd_test_recovers_when_healthy),
	KUNIT_CASE(vigil_wd_test_recovery_between_check_and_rearm),
	KUNIT_CASE(vigil_wd_test_auto_rearms_then_waits_for_a_person),
	KUNIT_CASE(vigil_wd_test_auto_rearm_respects_the_streak),
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
