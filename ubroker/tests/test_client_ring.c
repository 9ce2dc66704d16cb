// SPDX-License-Identifier: GPL-2.0
/* The broker-to-client ring: order, wrap-around, full, and a hostile peer. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client_ring.h"

#define SIZE	65536

static _Alignas(4096) unsigned char map[VIGIL_CRING_CTRL_SIZE + SIZE];
static struct vigil_cring prod, cons;
static unsigned char rec[SIZE];

static int setup(void **state)
{
	(void)state;
	memset(map, 0, sizeof(map));
	vigil_cring_init(&prod, map, SIZE);
	vigil_cring_init(&cons, map, SIZE);
	return 0;
}

static void fill(uint32_t len, unsigned char seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		rec[i] = (unsigned char)(seed + i);
}

static void expect_record(uint32_t len, unsigned char seed)
{
	const void *got;

	fill(len, seed);
	assert_int_equal(len, vigil_cring_peek(&cons, &got));
	assert_memory_equal(rec, got, len);
	vigil_cring_consume(&cons);
}

static void records_come_out_in_order(void **state)
{
	const void *got;

	(void)state;
	assert_int_equal(0, vigil_cring_peek(&cons, &got));
	fill(100, 1);
	assert_int_equal(0, vigil_cring_push(&prod, rec, 100));
	fill(7, 2);
	assert_int_equal(0, vigil_cring_push(&prod, rec, 7));
	expect_record(100, 1);
	/* Peeking twice gives the same record until it is consumed. */
	fill(7, 2);
	assert_int_equal(7, vigil_cring_peek(&cons, &got));
	assert_int_equal(7, vigil_cring_peek(&cons, &got));
	vigil_cring_consume(&cons);
	assert_int_equal(0, vigil_cring_peek(&cons, &got));
	assert_int_equal(0, prod.ctrl->dropped);
}

static void records_wrap_around(void **state)
{
	unsigned int i;

	(void)state;
	/* Odd sizes, many times round the ring, read as they come. */
	for (i = 0; i < 2000; i++) {
		uint32_t len = 1 + (i * 977) % 3000;

		fill(len, (unsigned char)i);
		assert_int_equal(0, vigil_cring_push(&prod, rec, len));
		expect_record(len, (unsigned char)i);
	}
	assert_true(prod.pos > 10 * SIZE);
	assert_int_equal(prod.pos, cons.pos);
}

static void a_full_ring_drops_and_counts(void **state)
{
	unsigned int n = 0;

	(void)state;
	fill(1000, 3);
	while (vigil_cring_push(&prod, rec, 1000) == 0)
		n++;
	assert_int_equal(SIZE / 1008, n);
	assert_int_equal(-ENOSPC, vigil_cring_push(&prod, rec, 1000));
	assert_int_equal(2, prod.ctrl->dropped);
	/* Reading one makes room for one. */
	expect_record(1000, 3);
	assert_int_equal(0, vigil_cring_push(&prod, rec, 1000));
	/* Too large, or empty: never. */
	assert_int_equal(-ENOSPC, vigil_cring_push(&prod, rec, SIZE / 2));
	assert_int_equal(-ENOSPC, vigil_cring_push(&prod, rec, 0));
}

/* A client that writes a consumer position it cannot have. */
static void the_broker_does_not_trust_the_consumer(void **state)
{
	(void)state;
	fill(64, 4);
	assert_int_equal(0, vigil_cring_push(&prod, rec, 64));
	prod.ctrl->consumer = prod.pos + 8;
	assert_int_equal(-EPROTO, vigil_cring_push(&prod, rec, 64));
	prod.ctrl->consumer = UINT64_MAX;
	assert_int_equal(-EPROTO, vigil_cring_push(&prod, rec, 64));
	prod.ctrl->consumer = 0;
	assert_int_equal(0, vigil_cring_push(&prod, rec, 64));
}

/* A producer position or entry that cannot be: the client says so. */
static void the_client_checks_what_it_reads(void **state)
{
	struct vigil_cring_entry bad = { .len = SIZE };
	const void *got;

	(void)state;
	cons.ctrl->producer = SIZE + 8;
	assert_int_equal(-EPROTO, vigil_cring_peek(&cons, &got));
	cons.ctrl->producer = 4;
	assert_int_equal(-EPROTO, vigil_cring_peek(&cons, &got));
	cons.ctrl->producer = 64;
	memcpy(cons.data, &bad, sizeof(bad));
	assert_int_equal(-EPROTO, vigil_cring_peek(&cons, &got));
	bad.len = VIGIL_CRING_PAD | 8;	/* a pad that does not reach the end */
	memcpy(cons.data, &bad, sizeof(bad));
	assert_int_equal(-EPROTO, vigil_cring_peek(&cons, &got));
	bad.len = 0;
	memcpy(cons.data, &bad, sizeof(bad));
	assert_int_equal(-EPROTO, vigil_cring_peek(&cons, &got));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(records_come_out_in_order, setup),
		cmocka_unit_test_setup(records_wrap_around, setup),
		cmocka_unit_test_setup(a_full_ring_drops_and_counts, setup),
		cmocka_unit_test_setup(the_broker_does_not_trust_the_consumer, setup),
		cmocka_unit_test_setup(the_client_checks_what_it_reads, setup),
	};

	return cmocka_run_group_tests_name("client_ring", tests, NULL, NULL);
}
