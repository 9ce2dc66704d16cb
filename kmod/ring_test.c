// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the event ring, included at the end of ring.c.  The tests
 * play the consumer by writing the consumer page as the broker would.
 */

#include <kunit/test.h>

#define TEST_RING_SIZE	VIGIL_RING_MIN_SIZE

static struct vigil_ring *test_ring_create(struct kunit *test)
{
	struct vigil_ring *ring = vigil_ring_create(TEST_RING_SIZE);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ring);
	return ring;
}

static struct vigil_ring_hdr *test_hdr_of(void *rec)
{
	return (struct vigil_ring_hdr *)rec - 1;
}

static unsigned long test_prod(struct vigil_ring *ring)
{
	/* Pairs with the store-release in vigil_ring_reserve(), as a broker. */
	return smp_load_acquire(&ring->producer->pos);
}

/* The shim's own records: tag 0, no limit. */
static const struct vigil_ring_charge test_uncharged;

static void *test_reserve(struct vigil_ring *ring, u32 size)
{
	int err;

	return vigil_ring_reserve(ring, size, &test_uncharged, &err);
}

static u64 test_dropped(struct vigil_ring *ring, unsigned int cause)
{
	return READ_ONCE(ring->producer->dropped[cause]);
}

/* Consume everything committed, as the broker does; return the count. */
static unsigned int test_consume(struct vigil_ring *ring)
{
	unsigned long cons = ring->consumer->pos;
	unsigned long prod = test_prod(ring);
	unsigned int n = 0;

	while (cons < prod) {
		/* Pairs with the xchg() of vigil_ring_finish(), as a broker. */
		u32 len = smp_load_acquire(&vigil_ring_hdr_at(ring, cons)->len);

		if (len & VIGIL_RING_BUSY)
			break;
		if (!(len & VIGIL_RING_DISCARD))
			n++;
		cons += VIGIL_RING_RECORD_SIZE(len);
	}
	/* Pairs with the load-acquire in vigil_ring_reserve(), as a broker. */
	smp_store_release(&ring->consumer->pos, cons);
	return n;
}

static void vigil_ring_test_sizes(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, vigil_ring_size_valid(VIGIL_RING_MIN_SIZE));
	KUNIT_EXPECT_TRUE(test, vigil_ring_size_valid(VIGIL_RING_MAX_SIZE));
	KUNIT_EXPECT_FALSE(test, vigil_ring_size_valid(0));
	KUNIT_EXPECT_FALSE(test, vigil_ring_size_valid(VIGIL_RING_MIN_SIZE / 2));
	KUNIT_EXPECT_FALSE(test, vigil_ring_size_valid(VIGIL_RING_MAX_SIZE * 2));
	KUNIT_EXPECT_FALSE(test, vigil_ring_size_valid(VIGIL_RING_MIN_SIZE + PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, PTR_ERR(vigil_ring_create(3 << 16)), -EINVAL);
}

static void vigil_ring_test_reserve_commit(struct kunit *test)
{
	struct vigil_ring *ring = test_ring_create(test);
	u32 *rec;

	rec = test_reserve(ring, 12);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	/* Reserved: the consumer sees the record, marked busy. */
	KUNIT_EXPECT_EQ(test, test_prod(ring), VIGIL_RING_RECORD_SIZE(12));
	KUNIT_EXPECT_EQ(test, test_hdr_of(rec)->len, 12 | VIGIL_RING_BUSY);
	KUNIT_EXPECT_EQ(test, test_consume(ring), 0);
	KUNIT_EXPECT_EQ(test, ring->consumer->pos, 0);

	rec[0] = 0xdeadbeef;
	vigil_ring_commit(ring, rec);
	KUNIT_EXPECT_EQ(test, test_hdr_of(rec)->len, 12);
	KUNIT_EXPECT_EQ(test, *(u32 *)(ring->data + sizeof(struct vigil_ring_hdr)),
			0xdeadbeef);
	KUNIT_EXPECT_EQ(test, test_consume(ring), 1);
	KUNIT_EXPECT_EQ(test, ring->consumer->pos, 24);
	vigil_ring_destroy(ring);
}

static void vigil_ring_test_records_are_aligned(struct kunit *test)
{
	struct vigil_ring *ring = test_ring_create(test);
	u32 size;

	for (size = 1; size <= 17; size++) {
		void *rec = test_reserve(ring, size);

		KUNIT_ASSERT_NOT_NULL(test, rec);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)rec, 8));
		vigil_ring_commit(ring, rec);
	}
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(test_prod(ring), 8));
	KUNIT_EXPECT_EQ(test, test_consume(ring), 17);
	vigil_ring_destroy(ring);
}

static void vigil_ring_test_discard(struct kunit *test)
{
	struct vigil_ring *ring = test_ring_create(test);
	void *a, *b;

	a = test_reserve(ring, 8);
	b = test_reserve(ring, 8);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	vigil_ring_discard(ring, a);
	vigil_ring_commit(ring, b);
	KUNIT_EXPECT_EQ(test, test_hdr_of(a)->len, 8 | VIGIL_RING_DISCARD);
	KUNIT_EXPECT_EQ(test, test_dropped(ring, VIGIL_DROP_DISCARDED), 1);
	/* The consumer skips the discarded record and gets the other. */
	KUNIT_EXPECT_EQ(test, test_consume(ring), 1);
	KUNIT_EXPECT_EQ(test, ring->consumer->pos, test_prod(ring));
	vigil_ring_destroy(ring);
}

static void vigil_ring_test_wrap_around(struct kunit *test)
{
	struct vigil_ring *ring = test_ring_create(test);
	unsigned long start = TEST_RING_SIZE - 16;
	u8 *rec;
	u32 i;

	/* Put producer and consumer 16 bytes before the end of the data. */
	ring->producer->pos = start;
	ring->pending_pos = start;
	ring->consumer->pos = start;

	rec = test_reserve(ring, 64);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	for (i = 0; i < 64; i++)
		rec[i] = i;
	vigil_ring_commit(ring, rec);

	/* The record is contiguous, and its tail is at the data's start. */
	KUNIT_EXPECT_PTR_EQ(test, (void *)rec, ring->data + TEST_RING_SIZE - 8);
	KUNIT_EXPECT_EQ(test, ((u8 *)ring->data)[0], 8);
	KUNIT_EXPECT_EQ(test, ((u8 *)ring->data)[55], 63);
	KUNIT_EXPECT_EQ(test, test_consume(ring), 1);
	KUNIT_EXPECT_EQ(test, ring->consumer->pos, start + 72);
	vigil_ring_destroy(ring);
}

static void vigil_ring_test_full(struct kunit *test)
{
	struct vigil_ring *ring = test_ring_create(test);
	const u32 size = 1024 - sizeof(struct vigil_ring_hdr);
	unsigned int n = 0;
	void *rec;

	while ((rec = test_reserve(ring, size))) {
		vigil_ring_commit(ring, rec);
		n++;
	}
	/* One byte short of the whole data area is ever in use. */
	KUNIT_EXPECT_EQ(test, n, TEST_RING_SIZE / 1024 - 1);
	KUNIT_EXPECT_EQ(test, test_dropped(ring, VIGIL_DROP_RING_FULL), 1);
	KUNIT_EXPECT_NULL(test, test_reserve(ring, size));
	KUNIT_EXPECT_EQ(test, test_dropped(ring, VIGIL_DROP_RING_FULL), 2);

	/* Once the consumer catches up, there is room again. */
	KUNIT_EXPECT_EQ(test, test_consume(ring), n);
	rec = test_reserve(ring, size);
	KUNIT_EXPECT_NOT_NULL(test, rec);
	if (rec)
		vigil_ring_commit(ring, rec);
	vigil_ring_destroy(ring);
}

/* A consumer that skips ahead cannot make the shim overwrite a busy record. */
static void vigil_ring_test_busy_record_is_not_overwritten(struct kunit *test)
{
	struct vigil_ring *ring = test_ring_create(test);
	void *busy, *rec;

	busy = test_reserve(ring, 8);
	KUNIT_ASSERT_NOT_NULL(test, busy);
	/* Pairs with the load-acquire in vigil_ring_reserve(), as a broker. */
	smp_store_release(&ring->consumer->pos, test_prod(ring));

	while ((rec = test_reserve(ring, 1000)))
		vigil_ring_commit(ring, rec);
	KUNIT_EXPECT_EQ(test, test_hdr_of(busy)->len, 8 | VIGIL_RING_BUSY);
	KUNIT_EXPECT_LE(test, test_prod(ring), (unsigned long)TEST_RING_SIZE);
	vigil_ring_commit(ring, busy);
	vigil_ring_destroy(ring);
}

/* A consumer position of garbage only makes the ring look full. */
static void vigil_ring_test_bad_consumer_position(struct kunit *test)
{
	struct vigil_ring *ring = test_ring_create(test);

	ring->consumer->pos = 0xfffffffffff0UL;
	KUNIT_EXPECT_NULL(test, test_reserve(ring, 8));
	KUNIT_EXPECT_EQ(test, test_dropped(ring, VIGIL_DROP_RING_FULL), 1);
	KUNIT_EXPECT_EQ(test, test_prod(ring), 0);
	vigil_ring_destroy(ring);
}

/* produced == delivered + every drop, whatever happens to each event. */
static void vigil_ring_test_drop_accounting(struct kunit *test)
{
	struct vigil_ring *ring = test_ring_create(test);
	u64 delivered = 0, dropped = 0, i;
	u8 payload[200] = {};
	unsigned int cause;

	for (i = 0; i < 1000; i++) {
		vigil_ring_next_seq(ring);
		if (i % 7 == 0) {
			void *rec = test_reserve(ring, sizeof(payload));

			if (rec)
				vigil_ring_discard(ring, rec);
		} else {
			vigil_ring_output(ring, payload, sizeof(payload), &test_uncharged);
		}
		if (i % 500 == 499)
			delivered += test_consume(ring);
	}
	delivered += test_consume(ring);
	for (cause = 0; cause < VIGIL_DROP_CAUSES; cause++)
		dropped += test_dropped(ring, cause);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ring->producer->produced), 1000);
	KUNIT_EXPECT_GT(test, test_dropped(ring, VIGIL_DROP_RING_FULL), 0);
	KUNIT_EXPECT_GT(test, test_dropped(ring, VIGIL_DROP_DISCARDED), 0);
	KUNIT_EXPECT_EQ(test, delivered + dropped, 1000);
	vigil_ring_destroy(ring);
}

static void vigil_ring_test_output_copies(struct kunit *test)
{
	struct vigil_ring *ring = test_ring_create(test);
	static const char msg[] = "0123456789abcdef";

	KUNIT_ASSERT_EQ(test, vigil_ring_output(ring, msg, sizeof(msg), &test_uncharged), 0);
	KUNIT_EXPECT_EQ(test, ((struct vigil_ring_hdr *)ring->data)->len,
			sizeof(msg));
	KUNIT_EXPECT_MEMEQ(test, ring->data + sizeof(struct vigil_ring_hdr), msg,
			   sizeof(msg));
	KUNIT_EXPECT_EQ(test, vigil_ring_next_seq(ring), 1);
	KUNIT_EXPECT_EQ(test, vigil_ring_next_seq(ring), 2);
	vigil_ring_destroy(ring);
}

/* A tag at its limit loses its records; the others do not. */
static void vigil_ring_test_a_tag_is_held_to_its_limit(struct kunit *test)
{
	static const struct vigil_ring_charge greedy = { .tag = 5, .limit = 4096 };
	static const struct vigil_ring_charge other = { .tag = 6, .limit = 4096 };
	struct vigil_ring *ring = test_ring_create(test);
	const u32 size = 1024 - sizeof(struct vigil_ring_hdr);
	unsigned int n;
	void *rec;
	int err;

	for (n = 0; (rec = vigil_ring_reserve(ring, size, &greedy, &err)); n++) {
		KUNIT_EXPECT_EQ(test, test_hdr_of(rec)->reserved, 5);
		vigil_ring_commit(ring, rec);
	}
	KUNIT_EXPECT_EQ(test, n, 4);
	KUNIT_EXPECT_EQ(test, err, -EDQUOT);
	KUNIT_EXPECT_EQ(test, test_dropped(ring, VIGIL_DROP_SOURCE_BUDGET), 1);
	KUNIT_EXPECT_EQ(test, test_dropped(ring, VIGIL_DROP_RING_FULL), 0);
	KUNIT_EXPECT_EQ(test, vigil_ring_tag_bytes(ring, 5), 4096);
	rec = vigil_ring_reserve(ring, size, &other, &err);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	vigil_ring_commit(ring, rec);
	/* Consumed, the room is the tag's again. */
	KUNIT_EXPECT_EQ(test, test_consume(ring), 5);
	rec = vigil_ring_reserve(ring, size, &greedy, &err);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	vigil_ring_commit(ring, rec);
	KUNIT_EXPECT_EQ(test, vigil_ring_tag_bytes(ring, 5), 1024);
	KUNIT_EXPECT_EQ(test, vigil_ring_tag_bytes(ring, 6), 0);
	vigil_ring_destroy(ring);
}

/*
 * Thousands of records consumed at once are given back in batches, and
 * never overwritten before: a record that needs their room gets it.
 */
static void vigil_ring_test_consumed_room_comes_back(struct kunit *test)
{
	static const struct vigil_ring_charge small = { .tag = 7 };
	struct vigil_ring *ring = test_ring_create(test);
	unsigned int n = 0;
	void *rec;
	int err;

	while ((rec = vigil_ring_reserve(ring, 8, &small, &err))) {
		vigil_ring_commit(ring, rec);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, TEST_RING_SIZE / 16 - 1);
	KUNIT_EXPECT_EQ(test, test_consume(ring), n);
	/* Each reservation gives back a batch, or what it needs if more. */
	rec = vigil_ring_reserve(ring, 8, &small, &err);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	vigil_ring_commit(ring, rec);
	KUNIT_EXPECT_EQ(test, vigil_ring_tag_bytes(ring, 7),
			(n - VIGIL_RING_ACCOUNT_BATCH + 1) * 16);
	rec = vigil_ring_reserve(ring, 8000, &small, &err);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	vigil_ring_commit(ring, rec);
	KUNIT_EXPECT_EQ(test, test_consume(ring), 2);
	while (vigil_ring_tag_bytes(ring, 7) && (rec = test_reserve(ring, 8)))
		vigil_ring_commit(ring, rec);
	KUNIT_EXPECT_EQ(test, vigil_ring_tag_bytes(ring, 7), 0);
	vigil_ring_destroy(ring);
}

static struct kunit_case vigil_ring_test_cases[] = {
	KUNIT_CASE(vigil_ring_test_sizes),
	KUNIT_CASE(vigil_ring_test_reserve_commit),
	KUNIT_CASE(vigil_ring_test_records_are_aligned),
	KUNIT_CASE(vigil_ring_test_discard),
	KUNIT_CASE(vigil_ring_test_wrap_around),
	KUNIT_CASE(vigil_ring_test_full),
	KUNIT_CASE(vigil_ring_test_busy_record_is_not_overwritten),
	KUNIT_CASE(vigil_ring_test_bad_consumer_position),
	KUNIT_CASE(vigil_ring_test_drop_accounting),
	KUNIT_CASE(vigil_ring_test_output_copies),
	KUNIT_CASE(vigil_ring_test_a_tag_is_held_to_its_limit),
	KUNIT_CASE(vigil_ring_test_consumed_room_comes_back),
	{}
};

static struct kunit_suite vigil_ring_test_suite = {
	.name = "vigil_ring",
	.test_cases = vigil_ring_test_cases,
};

kunit_test_suite(vigil_ring_test_suite);
