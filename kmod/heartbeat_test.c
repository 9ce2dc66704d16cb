// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of the heartbeat's judgement, included at the end of heartbeat.c. */

#include <kunit/test.h>

static const struct vigil_heartbeat_look idle = {
	.consumed = 4096, .produced = 4096, .activity = 3,
};

/* An idle broker is never hung, however long it sleeps. */
static void vigil_heartbeat_test_idle_is_not_hung(struct kunit *test)
{
	struct vigil_heartbeat_verdict v = vigil_heartbeat_judge(&idle, &idle);

	KUNIT_EXPECT_FALSE(test, v.hung);
}

/* Records waited a whole period and nothing moved: hung. */
static void vigil_heartbeat_test_waiting_records(struct kunit *test)
{
	struct vigil_heartbeat_look last = idle, now;

	last.produced += 128;
	now = last;
	KUNIT_EXPECT_TRUE(test, vigil_heartbeat_judge(&last, &now).hung);
	/* More records came, still nothing consumed: hung. */
	now.produced += 512;
	KUNIT_EXPECT_TRUE(test, vigil_heartbeat_judge(&last, &now).hung);
	/* Consuming anything is a sign of life. */
	now.consumed += 8;
	KUNIT_EXPECT_FALSE(test, vigil_heartbeat_judge(&last, &now).hung);
	/* So is any ioctl. */
	now = last;
	now.activity++;
	KUNIT_EXPECT_FALSE(test, vigil_heartbeat_judge(&last, &now).hung);
}

/* AUTH events waited, unanswered, and no ioctl came: hung. */
static void vigil_heartbeat_test_waiting_verdicts(struct kunit *test)
{
	struct vigil_heartbeat_look last = idle, now;

	last.waiting = 2;
	now = last;
	KUNIT_EXPECT_TRUE(test, vigil_heartbeat_judge(&last, &now).hung);
	now.activity++;
	KUNIT_EXPECT_FALSE(test, vigil_heartbeat_judge(&last, &now).hung);
}

/* Work that came after the last look is not yet overdue. */
static void vigil_heartbeat_test_new_work_is_not_overdue(struct kunit *test)
{
	struct vigil_heartbeat_look now = idle;

	now.produced += 4096;
	now.waiting = 5;
	KUNIT_EXPECT_FALSE(test, vigil_heartbeat_judge(&idle, &now).hung);
}

static struct kunit_case vigil_heartbeat_test_cases[] = {
	KUNIT_CASE(vigil_heartbeat_test_idle_is_not_hung),
	KUNIT_CASE(vigil_heartbeat_test_waiting_records),
	KUNIT_CASE(vigil_heartbeat_test_waiting_verdicts),
	KUNIT_CASE(vigil_heartbeat_test_new_work_is_not_overdue),
	{}
};

static struct kunit_suite vigil_heartbeat_test_suite = {
	.name = "vigil_heartbeat",
	.test_cases = vigil_heartbeat_test_cases,
};

kunit_test_suite(vigil_heartbeat_test_suite);
