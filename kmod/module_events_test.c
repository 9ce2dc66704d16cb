// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of the module record encoder, included in module_events.c. */

#include <kunit/test.h>

static void vigil_module_test_name(struct kunit *test)
{
	u32 cap = sizeof(struct vigil_module_event) + sizeof(struct vigil_field) + 64;
	void *buf = kunit_kmalloc(test, cap, GFP_KERNEL);
	char long_name[80];
	const struct vigil_field *f;
	struct vigil_module_event *ev;
	struct vigil_rec rec;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	ev = (void *)vigil_rec_init(&rec, buf, cap, VIGIL_EVENT_MODULE_LOAD,
				    sizeof(*ev), 1, 1);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	vigil_rec_module(&rec, ev, "vigil_test", 1UL << 12);
	vigil_rec_finish(&rec);
	KUNIT_EXPECT_EQ(test, ev->taints, 1U << 12);
	f = VIGIL_FIELD_FIRST((struct vigil_event *)buf);
	KUNIT_ASSERT_TRUE(test, VIGIL_FIELD_OK((struct vigil_event *)buf, f));
	KUNIT_EXPECT_EQ(test, f->type, VIGIL_FIELD_NAME);
	KUNIT_EXPECT_EQ(test, VIGIL_FIELD_DATA_LEN(f), sizeof("vigil_test"));
	KUNIT_EXPECT_EQ(test, memcmp(VIGIL_FIELD_DATA(f), "vigil_test", sizeof("vigil_test")), 0);
	/* A name is at most MODULE_NAME_LEN with its NUL: cut there. */
	memset(long_name, 'm', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ev = (void *)vigil_rec_init(&rec, buf, cap, VIGIL_EVENT_MODULE_LOAD,
				    sizeof(*ev), 1, 1);
	vigil_rec_module(&rec, ev, long_name, 0);
	vigil_rec_finish(&rec);
	f = VIGIL_FIELD_FIRST((struct vigil_event *)buf);
	/* Its data: MODULE_NAME_LEN - 1 bytes of the name, then the NUL. */
	KUNIT_EXPECT_EQ(test, VIGIL_FIELD_DATA_LEN(f), MODULE_NAME_LEN);
	KUNIT_EXPECT_EQ(test, f->flags, VIGIL_FIELD_F_TRUNCATED);
}

static struct kunit_case vigil_module_test_cases[] = {
	KUNIT_CASE(vigil_module_test_name),
	{}
};

static struct kunit_suite vigil_module_test_suite = {
	.name = "vigil_module_events",
	.test_cases = vigil_module_test_cases,
};

kunit_test_suite(vigil_module_test_suite);
