// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of deadline arithmetic, included at the end of auth.c. */

#include <kunit/test.h>

static void vigil_auth_test_deadline_after(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vigil_deadline_after(1000, 0), 1000);
	KUNIT_EXPECT_EQ(test, vigil_deadline_after(1000, 1), 1001000);
	KUNIT_EXPECT_EQ(test, vigil_deadline_after(5, 30000),
			5 + 30000ULL * NSEC_PER_MSEC);
}

static void vigil_auth_test_deadline_passed(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vigil_deadline_jiffies(100, 100), 0);
	KUNIT_EXPECT_EQ(test, vigil_deadline_jiffies(100, 101), 0);
	KUNIT_EXPECT_EQ(test, vigil_deadline_jiffies(0, U64_MAX), 0);
}

/* A waiter never gives up before its deadline: time left rounds up. */
static void vigil_auth_test_deadline_rounds_up(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vigil_deadline_jiffies(1, 0), 1);
	KUNIT_EXPECT_EQ(test, vigil_deadline_jiffies(TICK_NSEC, 0), 1);
	KUNIT_EXPECT_EQ(test, vigil_deadline_jiffies(TICK_NSEC + 1, 0), 2);
	KUNIT_EXPECT_EQ(test, vigil_deadline_jiffies(NSEC_PER_SEC, 0), HZ);
	KUNIT_EXPECT_EQ(test, vigil_deadline_jiffies(NSEC_PER_SEC + 1, 0), HZ + 1);
}

static void vigil_auth_test_deadline_bounded(struct kunit *test)
{
	KUNIT_EXPECT_LT(test, vigil_deadline_jiffies(U64_MAX, 0),
			(unsigned long)MAX_SCHEDULE_TIMEOUT);
}

static void vigil_auth_test_latency_buckets(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vigil_latency_bucket(0), 0);
	KUNIT_EXPECT_EQ(test, vigil_latency_bucket(9999), 0);
	KUNIT_EXPECT_EQ(test, vigil_latency_bucket(10 * NSEC_PER_USEC), 1);
	KUNIT_EXPECT_EQ(test, vigil_latency_bucket(100 * NSEC_PER_USEC - 1), 1);
	KUNIT_EXPECT_EQ(test, vigil_latency_bucket(100 * NSEC_PER_USEC), 2);
	KUNIT_EXPECT_EQ(test, vigil_latency_bucket(NSEC_PER_MSEC), 3);
	KUNIT_EXPECT_EQ(test, vigil_latency_bucket(NSEC_PER_SEC), 6);
	KUNIT_EXPECT_EQ(test, vigil_latency_bucket(10 * NSEC_PER_SEC), 7);
	KUNIT_EXPECT_EQ(test, vigil_latency_bucket(U64_MAX), 7);
}

static struct kunit_case vigil_auth_test_cases[] = {
	KUNIT_CASE(vigil_auth_test_deadline_after),
	KUNIT_CASE(vigil_auth_test_deadline_passed),
	KUNIT_CASE(vigil_auth_test_deadline_rounds_up),
	KUNIT_CASE(vigil_auth_test_deadline_bounded),
	KUNIT_CASE(vigil_auth_test_latency_buckets),
	{}
};

static struct kunit_suite vigil_auth_test_suite = {
	.name = "vigil_auth_deadline",
	.test_cases = vigil_auth_test_cases,
};

kunit_test_suite(vigil_auth_test_suite);
