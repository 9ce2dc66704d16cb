// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of the verdict cache, included at the end of vcache.c. */

#include <kunit/test.h>
#include <linux/vigil.h>

static struct vigil_vkey test_key(u64 ino)
{
	struct vigil_vkey key = {
		.inode = 0x1000 + ino, .sb = 0x2000, .ino = ino, .generation = 1,
		.type = VIGIL_EVENT_AUTH_EXEC, .uid = 1000, .gid = 100,
	};

	return key;
}

/* The buckets are too large for the stack. */
static struct vigil_vcache *test_cache_init(struct kunit *test,
					    unsigned int size)
{
	struct vigil_vcache *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_EQ(test, vigil_vcache_init(c, size), 0);
	return c;
}

static void vigil_vcache_test_insert_hit(struct kunit *test)
{
	struct vigil_vkey key = test_key(1);
	struct vigil_vcache *c;

	c = test_cache_init(test, 4);
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &key, 7), 0);
	vigil_vcache_insert(c, &key, 7, VIGIL_VERDICT_DENY, 0);
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &key, 7), VIGIL_VERDICT_DENY);
	/* The same key again replaces, not duplicates. */
	vigil_vcache_insert(c, &key, 7, VIGIL_VERDICT_ALLOW, 0);
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &key, 7), VIGIL_VERDICT_ALLOW);
	KUNIT_EXPECT_EQ(test, c->used, 1);
	vigil_vcache_uninit(c);
}

/* A modified file has another change counter: its entry is dropped. */
static void vigil_vcache_test_invalidate(struct kunit *test)
{
	struct vigil_vkey key = test_key(1);
	struct vigil_vcache *c;

	c = test_cache_init(test, 4);
	vigil_vcache_insert(c, &key, 7, VIGIL_VERDICT_DENY, 0);
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &key, 8), 0);
	KUNIT_EXPECT_EQ(test, c->used, 0);
	/* Gone for good, not only for the new counter. */
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &key, 7), 0);
	vigil_vcache_uninit(c);
}

static void vigil_vcache_test_key_separation(struct kunit *test)
{
	struct vigil_vkey key = test_key(1), other;
	struct vigil_vcache *c;

	c = test_cache_init(test, 16);
	vigil_vcache_insert(c, &key, 7, VIGIL_VERDICT_DENY, 0);
	other = key;
	other.ino = 2;
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &other, 7), 0);
	other = key;
	other.inode = 0x9999;	/* a snapshot's copy: same number, another inode */
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &other, 7), 0);
	other = key;
	other.sb = 0x3000;
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &other, 7), 0);
	other = key;
	other.generation = 2;
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &other, 7), 0);
	other = key;
	other.type = VIGIL_EVENT_AUTH_OPEN;
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &other, 7), 0);
	other = key;
	other.uid = 0;
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &other, 7), 0);
	other = key;
	other.gid = 0;
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &other, 7), 0);
	other = key;
	other.access = VIGIL_ACCESS_WRITE;
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &other, 7), 0);
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &key, 7), VIGIL_VERDICT_DENY);
	vigil_vcache_uninit(c);
}

/* Full: the least recently used entry goes. */
static void vigil_vcache_test_evict_lru(struct kunit *test)
{
	struct vigil_vkey k[5];
	struct vigil_vcache *c;
	unsigned int i;

	c = test_cache_init(test, 4);
	for (i = 0; i < 5; i++)
		k[i] = test_key(i + 1);
	for (i = 0; i < 4; i++)
		vigil_vcache_insert(c, &k[i], 1, VIGIL_VERDICT_ALLOW, 0);
	/* Use k[0]: k[1] is now the least recently used. */
	KUNIT_EXPECT_NE(test, vigil_vcache_lookup(c, &k[0], 1), 0);
	vigil_vcache_insert(c, &k[4], 1, VIGIL_VERDICT_DENY, 0);
	KUNIT_EXPECT_EQ(test, c->used, 4);
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &k[1], 1), 0);
	KUNIT_EXPECT_NE(test, vigil_vcache_lookup(c, &k[0], 1), 0);
	KUNIT_EXPECT_NE(test, vigil_vcache_lookup(c, &k[2], 1), 0);
	KUNIT_EXPECT_NE(test, vigil_vcache_lookup(c, &k[3], 1), 0);
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &k[4], 1), VIGIL_VERDICT_DENY);
	vigil_vcache_uninit(c);
}

static void vigil_vcache_test_flush(struct kunit *test)
{
	struct vigil_vkey a = test_key(1), b = test_key(2);
	struct vigil_vcache *c;

	c = test_cache_init(test, 4);
	vigil_vcache_insert(c, &a, 1, VIGIL_VERDICT_ALLOW, 0);
	vigil_vcache_insert(c, &b, 1, VIGIL_VERDICT_DENY, 0);
	vigil_vcache_flush(c);
	KUNIT_EXPECT_EQ(test, c->used, 0);
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &a, 1), 0);
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &b, 1), 0);
	/* Still usable after a flush. */
	vigil_vcache_insert(c, &a, 1, VIGIL_VERDICT_DENY,
			    vigil_vcache_generation(c));
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &a, 1), VIGIL_VERDICT_DENY);
	vigil_vcache_uninit(c);
}

/* A verdict asked for before a flush is not remembered after it. */
static void vigil_vcache_test_flush_race(struct kunit *test)
{
	struct vigil_vkey key = test_key(1);
	struct vigil_vcache *c;
	u64 gen;

	c = test_cache_init(test, 4);
	gen = vigil_vcache_generation(c);
	vigil_vcache_flush(c);
	vigil_vcache_insert(c, &key, 1, VIGIL_VERDICT_DENY, gen);
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &key, 1), 0);
	vigil_vcache_insert(c, &key, 1, VIGIL_VERDICT_DENY,
			    vigil_vcache_generation(c));
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &key, 1), VIGIL_VERDICT_DENY);
	vigil_vcache_uninit(c);
}

static void vigil_vcache_test_off(struct kunit *test)
{
	struct vigil_vkey key = test_key(1);
	struct vigil_vcache *c;

	c = test_cache_init(test, 0);
	vigil_vcache_insert(c, &key, 1, VIGIL_VERDICT_DENY, 0);
	KUNIT_EXPECT_EQ(test, vigil_vcache_lookup(c, &key, 1), 0);
	vigil_vcache_uninit(c);
}

static struct kunit_case vigil_vcache_test_cases[] = {
	KUNIT_CASE(vigil_vcache_test_insert_hit),
	KUNIT_CASE(vigil_vcache_test_invalidate),
	KUNIT_CASE(vigil_vcache_test_key_separation),
	KUNIT_CASE(vigil_vcache_test_evict_lru),
	KUNIT_CASE(vigil_vcache_test_flush),
	KUNIT_CASE(vigil_vcache_test_flush_race),
	KUNIT_CASE(vigil_vcache_test_off),
	{}
};

static struct kunit_suite vigil_vcache_test_suite = {
	.name = "vigil_vcache",
	.test_cases = vigil_vcache_test_cases,
};

kunit_test_suite(vigil_vcache_test_suite);
