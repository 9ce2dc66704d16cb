// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of the rate limits, included at the end of limit.c. */

#include <kunit/test.h>

#define SEC	NSEC_PER_SEC

static void vigil_limit_test_none_lets_all_through(struct kunit *test)
{
	struct vigil_limits l;
	unsigned int i;

	vigil_limits_init(&l);
	for (i = 0; i < 1000; i++)
		KUNIT_EXPECT_TRUE(test, vigil_limit_allow(&l, 7, 5 * SEC));
	KUNIT_EXPECT_EQ(test, vigil_limit_skipped(&l, 7), 0);
	/* Types past the table are never limited. */
	KUNIT_EXPECT_TRUE(test, vigil_limit_allow(&l, VIGIL_LIMIT_TYPES, 0));
}

static void vigil_limit_test_per_second(struct kunit *test)
{
	struct vigil_limits l;
	unsigned int i, through = 0;

	vigil_limits_init(&l);
	vigil_limit_set(&l, 18, 10);
	KUNIT_EXPECT_EQ(test, vigil_limit_get(&l, 18), 10);
	for (i = 0; i < 25; i++)
		through += vigil_limit_allow(&l, 18, 3 * SEC + i * 1000);
	KUNIT_EXPECT_EQ(test, through, 10);
	KUNIT_EXPECT_EQ(test, vigil_limit_skipped(&l, 18), 15);
	/* The next second starts afresh; the skipped count stays. */
	through = 0;
	for (i = 0; i < 25; i++)
		through += vigil_limit_allow(&l, 18, 4 * SEC + i);
	KUNIT_EXPECT_EQ(test, through, 10);
	KUNIT_EXPECT_EQ(test, vigil_limit_skipped(&l, 18), 30);
	/* Other types are not limited by it. */
	KUNIT_EXPECT_TRUE(test, vigil_limit_allow(&l, 19, 4 * SEC));
}

static void vigil_limit_test_lifted(struct kunit *test)
{
	struct vigil_limits l;
	unsigned int i;

	vigil_limits_init(&l);
	vigil_limit_set(&l, 8, 1);
	KUNIT_EXPECT_TRUE(test, vigil_limit_allow(&l, 8, SEC));
	KUNIT_EXPECT_FALSE(test, vigil_limit_allow(&l, 8, SEC));
	vigil_limit_set(&l, 8, 0);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_TRUE(test, vigil_limit_allow(&l, 8, SEC));
	KUNIT_EXPECT_EQ(test, vigil_limit_skipped(&l, 8), 1);
	/* A new limit starts with a new window. */
	vigil_limit_set(&l, 8, 2);
	KUNIT_EXPECT_TRUE(test, vigil_limit_allow(&l, 8, SEC));
	KUNIT_EXPECT_TRUE(test, vigil_limit_allow(&l, 8, SEC));
	KUNIT_EXPECT_FALSE(test, vigil_limit_allow(&l, 8, SEC));
}

static struct kunit_case vigil_limit_test_cases[] = {
	KUNIT_CASE(vigil_limit_test_none_lets_all_through),
	KUNIT_CASE(vigil_limit_test_per_second),
	KUNIT_CASE(vigil_limit_test_lifted),
	{}
};

static struct kunit_suite vigil_limit_test_suite = {
	.name = "vigil_limit",
	.test_cases = vigil_limit_test_cases,
};

kunit_test_suite(vigil_limit_test_suite);
