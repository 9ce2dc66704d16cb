// SPDX-License-Identifier: GPL-2.0
/* vigild's count of records delivered per source (a real uid). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "record_builder.h"
#include "sources.h"

static struct vigild_sources table;

static void count(struct rb *rb)
{
	struct vigil_event_view v;

	assert_int_equal(0, vigil_event_decode(rb->buf, rb->len, &v));
	vigild_sources_count(&table, &v);
}

/* Records about a uid's processes count for it; the shim's own do not. */
static void counts_by_the_real_uid(void **state)
{
	struct rb rb;

	(void)state;
	memset(&table, 0, sizeof(table));
	rb_exec_ls(&rb);		/* uid 1000 */
	count(&rb);
	count(&rb);
	rb_auth_fallback(&rb);		/* about uid 1000, but the shim's */
	count(&rb);
	rb_init(&rb, VIGIL_EVENT_WATCHDOG, sizeof(struct vigil_watchdog_event), 1);
	count(&rb);
	assert_int_equal(2, vigild_sources_delivered(&table, 1000));
	assert_int_equal(0, vigild_sources_delivered(&table, 0));
	assert_int_equal(0, vigild_sources_delivered(&table, VIGIL_SOURCE_UID_OTHERS));
}

/* The shim's report of a source, beside what vigild counted, in one line. */
static void a_report_is_printed_beside_the_count(void **state)
{
	struct vigil_source_event *ev;
	char *out = NULL;
	size_t n = 0;
	FILE *f;
	struct rb rb;

	(void)state;
	memset(&table, 0, sizeof(table));
	rb_exec_ls(&rb);
	count(&rb);
	rb_auth_fallback(&rb);
	count(&rb);
	ev = rb_init(&rb, VIGIL_EVENT_SOURCE, sizeof(*ev), 2);
	ev->uid = 1000;
	ev->produced = 5;
	ev->dropped[VIGIL_DROP_SOURCE_BUDGET] = 4;
	count(&rb);
	f = open_memstream(&out, &n);
	vigild_sources_print(f, &table);
	fclose(f);
	assert_string_equal("vigild: source uid=1000: 5 produced, 1 delivered, 4 dropped "
			    "(ring_full=0 source_budget=4), 1 AUTH decisions not the broker's\n",
			    out);
	free(out);
	{
		struct vigil_event_view v;

		assert_int_equal(0, vigil_event_decode(rb.buf, rb.len, &v));
		assert_true(vigild_source_lost(&v));
		ev->dropped[VIGIL_DROP_SOURCE_BUDGET] = 0;
		assert_int_equal(0, vigil_event_decode(rb.buf, rb.len, &v));
		assert_false(vigild_source_lost(&v));
	}
}

/* Past the table's room, uids are counted together, never lost. */
static void a_full_table_counts_the_rest_together(void **state)
{
	struct vigil_event_view v;
	uint32_t uid;

	(void)state;
	memset(&table, 0, sizeof(table));
	memset(&v, 0, sizeof(v));
	v.known = 1;
	v.type = VIGIL_EVENT_EXIT;
	for (uid = 0; uid < VIGILD_SOURCES + 10; uid++) {
		v.fixed.exit.proc.uid = uid;
		vigild_sources_count(&table, &v);
	}
	assert_int_equal(1, vigild_sources_delivered(&table, 7));
	assert_int_equal(10, vigild_sources_delivered(&table, VIGIL_SOURCE_UID_OTHERS));
	/* (uid_t)-1 would be the free key: it is counted with the rest. */
	v.fixed.exit.proc.uid = 0xffffffffU;
	memset(&table, 0, sizeof(table));
	vigild_sources_count(&table, &v);
	assert_int_equal(1, table.others.delivered);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_by_the_real_uid),
		cmocka_unit_test(a_full_table_counts_the_rest_together),
		cmocka_unit_test(a_report_is_printed_beside_the_count),
	};

	return cmocka_run_group_tests_name("sources", tests, NULL, NULL);
}
