// SPDX-License-Identifier: GPL-2.0
/*
 * The ring reader against a ring laid out as the shim lays it out: the
 * data area is a memfd mapped twice in a row, as the kernel maps it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/vigil.h>

#include "ring_reader.h"

#define SIZE 65536UL

struct test_ring {
	__u64 consumer_pos;
	struct vigil_ring_producer producer;
	unsigned char *data;
	struct vigil_ring_view view;
};

static int ring_setup(void **state)
{
	struct test_ring *r = calloc(1, sizeof(*r));
	unsigned char *area;
	int fd;

	fd = memfd_create("ring", MFD_CLOEXEC);
	if (!r || fd < 0 || ftruncate(fd, SIZE))
		return -1;
	area = mmap(NULL, 2 * SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED ||
	    mmap(area, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
	    mmap(area + SIZE, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
		return -1;
	close(fd);
	r->data = area;
	r->view.consumer_pos = &r->consumer_pos;
	r->view.producer_pos = &r->producer.pos;
	r->view.data = area;
	r->view.size = SIZE;
	*state = r;
	return 0;
}

static int ring_teardown(void **state)
{
	struct test_ring *r = *state;

	munmap(r->data, 2 * SIZE);
	free(r);
	return 0;
}

/* Write a record of @len bytes filled with @fill, as the shim would. */
static void produce(struct test_ring *r, uint32_t len, unsigned char fill,
		    uint32_t bits)
{
	unsigned char *hdr = r->data + (r->producer.pos & (SIZE - 1));
	uint32_t word = len | bits;

	memcpy(hdr, &word, 4);
	memset(hdr + 4, 0, 4);
	memset(hdr + 8, fill, len);
	r->producer.pos += VIGIL_RING_RECORD_SIZE(len);
}

struct seen {
	int n;
	uint32_t len[16];
	unsigned char first[16];
	int fail_at;
};

static int collect(const void *rec, uint32_t len, void *ctx)
{
	struct seen *s = ctx;
	const unsigned char *p = rec;
	uint32_t i;

	if (s->n == s->fail_at)
		return -EIO;
	for (i = 0; i < len; i++)
		if (p[i] != p[0])
			return -EILSEQ;		/* a record must be contiguous */
	s->len[s->n] = len;
	s->first[s->n] = p[0];
	s->n++;
	return 0;
}

static void consumes_in_order(void **state)
{
	struct test_ring *r = *state;
	struct seen s = { .fail_at = -1 };

	produce(r, 5, 'a', 0);
	produce(r, 16, 'b', 0);
	assert_true(vigil_ring_pending(&r->view));
	assert_int_equal(2, vigil_ring_consume(&r->view, collect, &s));
	assert_int_equal(5, s.len[0]);
	assert_int_equal('b', s.first[1]);
	assert_int_equal(r->producer.pos, r->consumer_pos);
	assert_false(vigil_ring_pending(&r->view));
}

/* A batch stops after max records, and the next one goes on from there. */
static void consumes_at_most_max(void **state)
{
	struct test_ring *r = *state;
	struct seen s = { .fail_at = -1 };

	produce(r, 5, 'a', 0);
	produce(r, 6, 'b', VIGIL_RING_DISCARD);
	produce(r, 7, 'c', 0);
	produce(r, 8, 'd', 0);
	assert_int_equal(2, vigil_ring_consume_max(&r->view, 2, collect, &s));
	assert_int_equal('c', s.first[1]);
	assert_int_equal(3 * 16, r->consumer_pos);
	assert_int_equal(1, vigil_ring_consume_max(&r->view, 2, collect, &s));
	assert_int_equal('d', s.first[2]);
	assert_int_equal(r->producer.pos, r->consumer_pos);
	assert_int_equal(0, vigil_ring_consume_max(&r->view, 2, collect, &s));
}

/* A ring the shim does not have (size 0) holds nothing, and is not read. */
static void an_absent_ring_holds_nothing(void **state)
{
	struct vigil_ring_view none = { 0 };
	struct seen s = { .fail_at = -1 };

	(void)state;
	assert_int_equal(0, vigil_ring_consume(&none, collect, &s));
	assert_int_equal(0, s.n);
}

static void stops_at_busy_record(void **state)
{
	struct test_ring *r = *state;
	struct seen s = { .fail_at = -1 };
	uint32_t committed = 8;

	produce(r, 8, 'a', 0);
	produce(r, 8, 'b', VIGIL_RING_BUSY);
	produce(r, 8, 'c', 0);
	assert_int_equal(1, vigil_ring_consume(&r->view, collect, &s));
	assert_int_equal(16, r->consumer_pos);
	/* Committed: the reader goes on. */
	memcpy(r->data + 16, &committed, 4);
	assert_int_equal(2, vigil_ring_consume(&r->view, collect, &s));
	assert_int_equal('c', s.first[2]);
}

static void skips_discarded_record(void **state)
{
	struct test_ring *r = *state;
	struct seen s = { .fail_at = -1 };

	produce(r, 8, 'a', VIGIL_RING_DISCARD);
	produce(r, 8, 'b', 0);
	assert_int_equal(1, vigil_ring_consume(&r->view, collect, &s));
	assert_int_equal('b', s.first[0]);
	assert_int_equal(32, r->consumer_pos);
}

static void wrapped_record_is_contiguous(void **state)
{
	struct test_ring *r = *state;
	struct seen s = { .fail_at = -1 };

	r->producer.pos = SIZE - 16;
	r->consumer_pos = SIZE - 16;
	produce(r, 100, 'w', 0);
	assert_int_equal(1, vigil_ring_consume(&r->view, collect, &s));
	assert_int_equal(100, s.len[0]);
	assert_int_equal(SIZE - 16 + 112, r->consumer_pos);
}

static void refused_record_stays(void **state)
{
	struct test_ring *r = *state;
	struct seen s = { .fail_at = 1 };

	produce(r, 8, 'a', 0);
	produce(r, 8, 'b', 0);
	assert_int_equal(-EIO, vigil_ring_consume(&r->view, collect, &s));
	assert_int_equal(16, r->consumer_pos);
	s.fail_at = -1;
	assert_int_equal(1, vigil_ring_consume(&r->view, collect, &s));
	assert_int_equal('b', s.first[1]);
}

static void impossible_positions_are_eproto(void **state)
{
	struct test_ring *r = *state;
	struct seen s = { .fail_at = -1 };

	r->producer.pos = SIZE + 8;		/* more than the ring holds */
	assert_int_equal(-EPROTO, vigil_ring_consume(&r->view, collect, &s));
	r->producer.pos = 12;			/* not 8-aligned */
	assert_int_equal(-EPROTO, vigil_ring_consume(&r->view, collect, &s));
	r->producer.pos = 0;
	produce(r, 64, 'x', 0);
	r->producer.pos = 16;			/* the record claims more */
	assert_int_equal(-EPROTO, vigil_ring_consume(&r->view, collect, &s));
	assert_int_equal(0, s.n);
	assert_int_equal(0, r->consumer_pos);
}

static void counters_are_summed(void **state)
{
	struct test_ring *r = *state;
	struct vigil_ring_producer snap;

	r->producer.produced = 10;
	r->producer.dropped[VIGIL_DROP_RING_FULL] = 3;
	r->producer.dropped[VIGIL_DROP_DISCARDED] = 2;
	vigil_ring_counters(&r->producer, &snap);
	assert_int_equal(10, snap.produced);
	assert_int_equal(5, vigil_ring_dropped(&snap));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(consumes_in_order, ring_setup, ring_teardown),
		cmocka_unit_test_setup_teardown(consumes_at_most_max, ring_setup, ring_teardown),
		cmocka_unit_test(an_absent_ring_holds_nothing),
		cmocka_unit_test_setup_teardown(stops_at_busy_record, ring_setup, ring_teardown),
		cmocka_unit_test_setup_teardown(skips_discarded_record, ring_setup, ring_teardown),
		cmocka_unit_test_setup_teardown(wrapped_record_is_contiguous, ring_setup, ring_teardown),
		cmocka_unit_test_setup_teardown(refused_record_stays, ring_setup, ring_teardown),
		cmocka_unit_test_setup_teardown(impossible_positions_are_eproto, ring_setup, ring_teardown),
		cmocka_unit_test_setup_teardown(counters_are_summed, ring_setup, ring_teardown),
	};

	return cmocka_run_group_tests_name("ring_reader", tests, NULL, NULL);
}
