// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of the table of sources, included at the end of source.c. */

#include <kunit/test.h>

static struct vigil_sources *test_sources(struct kunit *test)
{
	struct vigil_sources *srcs = kunit_kzalloc(test, sizeof(*srcs), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, srcs);
	vigil_sources_init(srcs, NULL);
	return srcs;
}

/* A uid keeps its slot; each uid has its own, never the reserved two. */
static void vigil_source_test_a_uid_keeps_its_slot(struct kunit *test)
{
	struct vigil_sources *srcs = test_sources(test);
	u32 a = vigil_source_of(srcs, KUIDT_INIT(1000));
	u32 b = vigil_source_of(srcs, KUIDT_INIT(1001));

	KUNIT_EXPECT_GE(test, a, VIGIL_SOURCE_FIRST);
	KUNIT_EXPECT_GE(test, b, VIGIL_SOURCE_FIRST);
	KUNIT_EXPECT_NE(test, a, b);
	KUNIT_EXPECT_EQ(test, vigil_source_of(srcs, KUIDT_INIT(1000)), a);
	KUNIT_EXPECT_EQ(test, vigil_source_uid(srcs, a), 1000);
	KUNIT_EXPECT_EQ(test, vigil_source_of(srcs, GLOBAL_ROOT_UID),
			vigil_source_of(srcs, KUIDT_INIT(0)));
	KUNIT_EXPECT_EQ(test, vigil_source_uid(srcs, VIGIL_SOURCE_OTHERS),
			VIGIL_SOURCE_UID_OTHERS);
}

/* Past the table's room, every uid shares the others' slot. */
static void vigil_source_test_a_full_table_shares_one_slot(struct kunit *test)
{
	struct vigil_sources *srcs = test_sources(test);
	u32 uid, slot;

	for (uid = 0; uid < VIGIL_SOURCES - VIGIL_SOURCE_FIRST; uid++) {
		slot = vigil_source_of(srcs, KUIDT_INIT(uid * 7919));
		KUNIT_ASSERT_GE(test, slot, VIGIL_SOURCE_FIRST);
	}
	KUNIT_EXPECT_EQ(test, vigil_source_of(srcs, KUIDT_INIT(5)),
			VIGIL_SOURCE_OTHERS);
	/* The ones in the table keep theirs. */
	KUNIT_EXPECT_GE(test, vigil_source_of(srcs, KUIDT_INIT(7919)),
			VIGIL_SOURCE_FIRST);
	/* A uid with no mapping is charged as records show it: overflowuid. */
	srcs = test_sources(test);
	KUNIT_EXPECT_EQ(test, vigil_source_of(srcs, INVALID_UID),
			vigil_source_of(srcs, KUIDT_INIT(overflowuid)));
}

/* A source's waiter places: max of them, and one back for each put. */
static void vigil_source_test_waiter_places(struct kunit *test)
{
	struct vigil_sources *srcs = test_sources(test);
	u32 a = vigil_source_of(srcs, KUIDT_INIT(1000));
	u32 b = vigil_source_of(srcs, KUIDT_INIT(1001));

	KUNIT_EXPECT_TRUE(test, vigil_source_waiter_get(srcs, a, 2));
	KUNIT_EXPECT_FALSE(test, vigil_source_crowded(srcs, a, NSEC_PER_SEC));
	KUNIT_EXPECT_TRUE(test, vigil_source_waiter_get(srcs, a, 2));
	/* All its places taken: for a while, its misses are its own load. */
	KUNIT_EXPECT_TRUE(test, vigil_source_crowded(srcs, a, NSEC_PER_SEC));
	KUNIT_EXPECT_FALSE(test, vigil_source_crowded(srcs, b, NSEC_PER_SEC));
	KUNIT_EXPECT_FALSE(test, vigil_source_waiter_get(srcs, a, 2));
	/* Another source is not held back by the first. */
	KUNIT_EXPECT_TRUE(test, vigil_source_waiter_get(srcs, b, 2));
	vigil_source_waiter_put(srcs, a);
	KUNIT_EXPECT_TRUE(test, vigil_source_waiter_get(srcs, a, 2));
	KUNIT_EXPECT_EQ(test, atomic_read(&srcs->slot[a].waiters), 2);
}

/* A ring's share: the parameter's percent of it; the shim's own, half that. */
static void vigil_source_test_charge(struct kunit *test)
{
	struct vigil_ring *ring = vigil_ring_create(VIGIL_RING_MIN_SIZE);
	struct vigil_ring_charge c;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ring);
	vigil_source_charge(ring, 9, &c);
	KUNIT_EXPECT_EQ(test, c.tag, 9);
	KUNIT_EXPECT_EQ(test, c.limit, VIGIL_RING_MIN_SIZE *
			vigil_param_source_ring_share() / 100);
	/* The shim's own reports: half a share. */
	vigil_source_charge(ring, VIGIL_SOURCE_SHIM, &c);
	KUNIT_EXPECT_EQ(test, c.limit, VIGIL_RING_MIN_SIZE *
			vigil_param_source_ring_share() / 100 / 2);
	vigil_ring_destroy(ring);
}

static struct kunit_case vigil_source_test_cases[] = {
	KUNIT_CASE(vigil_source_test_a_uid_keeps_its_slot),
	KUNIT_CASE(vigil_source_test_a_full_table_shares_one_slot),
	KUNIT_CASE(vigil_source_test_waiter_places),
	KUNIT_CASE(vigil_source_test_charge),
	{}
};

static struct kunit_suite vigil_source_test_suite = {
	.name = "vigil_source",
	.test_cases = vigil_source_test_cases,
};

kunit_test_suite(vigil_source_test_suite);
