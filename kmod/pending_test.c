// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of the pending-request table, included at the end of pending.c. */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>
#include <linux/vigil.h>

static void vigil_pending_test_insert_gives_ids(struct kunit *test)
{
	struct vigil_request a, b;
	struct vigil_pending p;

	vigil_pending_init(&p, 4);
	KUNIT_ASSERT_EQ(test, vigil_pending_insert(&p, &a, 100), 0);
	KUNIT_ASSERT_EQ(test, vigil_pending_insert(&p, &b, 200), 0);
	KUNIT_EXPECT_EQ(test, a.id, 1);
	KUNIT_EXPECT_EQ(test, b.id, 2);
	KUNIT_EXPECT_EQ(test, p.count, 2);
	KUNIT_EXPECT_EQ(test, b.deadline_ns, 200);
	KUNIT_EXPECT_FALSE(test, vigil_request_done(&a));
	vigil_pending_remove(&p, &a);
	vigil_pending_remove(&p, &b);
	KUNIT_EXPECT_EQ(test, p.count, 0);
}

static void vigil_pending_test_answer(struct kunit *test)
{
	struct vigil_request a, b;
	struct vigil_pending p;

	vigil_pending_init(&p, 4);
	vigil_pending_insert(&p, &a, 100);
	vigil_pending_insert(&p, &b, 100);
	KUNIT_EXPECT_EQ(test, vigil_pending_answer(&p, b.id, VIGIL_VERDICT_DENY,
						   VIGIL_VERDICT_F_CACHE, 42), 0);
	KUNIT_EXPECT_TRUE(test, vigil_request_done(&b));
	KUNIT_EXPECT_FALSE(test, vigil_request_done(&a));
	KUNIT_EXPECT_EQ(test, b.verdict, VIGIL_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, b.flags, VIGIL_VERDICT_F_CACHE);
	KUNIT_EXPECT_EQ(test, b.answered_ns, 42);
	KUNIT_EXPECT_EQ(test, vigil_pending_remove(&p, &b), VIGIL_REQ_ANSWERED);
	KUNIT_EXPECT_EQ(test, vigil_pending_remove(&p, &a), VIGIL_REQ_PENDING);
}

/* Unknown, twice, or after expiry: -ENOENT, and nothing changes. */
static void vigil_pending_test_bad_answers(struct kunit *test)
{
	struct vigil_request a, b;
	struct vigil_pending p;

	vigil_pending_init(&p, 4);
	vigil_pending_insert(&p, &a, 100);
	vigil_pending_insert(&p, &b, 100);
	KUNIT_EXPECT_EQ(test, vigil_pending_answer(&p, 99, VIGIL_VERDICT_ALLOW,
						   0, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, vigil_pending_answer(&p, a.id, VIGIL_VERDICT_ALLOW,
						   0, 0), 0);
	KUNIT_EXPECT_EQ(test, vigil_pending_answer(&p, a.id, VIGIL_VERDICT_DENY,
						   0, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, a.verdict, VIGIL_VERDICT_ALLOW);
	/* b expires: its waiter removes it unanswered. */
	KUNIT_EXPECT_EQ(test, vigil_pending_remove(&p, &b), VIGIL_REQ_PENDING);
	KUNIT_EXPECT_EQ(test, vigil_pending_answer(&p, b.id, VIGIL_VERDICT_DENY,
						   0, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, b.verdict, 0);
	vigil_pending_remove(&p, &a);
}

static void vigil_pending_test_bound(struct kunit *test)
{
	struct vigil_request r[3];
	struct vigil_pending p;

	vigil_pending_init(&p, 2);
	KUNIT_EXPECT_EQ(test, vigil_pending_insert(&p, &r[0], 1), 0);
	KUNIT_EXPECT_EQ(test, vigil_pending_insert(&p, &r[1], 1), 0);
	KUNIT_EXPECT_EQ(test, vigil_pending_insert(&p, &r[2], 1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, p.count, 2);
	vigil_pending_remove(&p, &r[0]);
	/* A place freed is a place taken. */
	KUNIT_EXPECT_EQ(test, vigil_pending_insert(&p, &r[2], 1), 0);
	vigil_pending_remove(&p, &r[1]);
	vigil_pending_remove(&p, &r[2]);
}

static void vigil_pending_test_release_all(struct kunit *test)
{
	struct vigil_request a, b, c;
	struct vigil_pending p;

	vigil_pending_init(&p, 4);
	vigil_pending_insert(&p, &a, 1);
	vigil_pending_insert(&p, &b, 1);
	vigil_pending_answer(&p, a.id, VIGIL_VERDICT_DENY, 0, 0);
	vigil_pending_release_all(&p);
	/* An answer already given stands; the rest are released. */
	KUNIT_EXPECT_TRUE(test, vigil_request_done(&b));
	KUNIT_EXPECT_EQ(test, vigil_pending_remove(&p, &a), VIGIL_REQ_ANSWERED);
	KUNIT_EXPECT_EQ(test, vigil_pending_remove(&p, &b), VIGIL_REQ_RELEASED);
	KUNIT_EXPECT_EQ(test, vigil_pending_insert(&p, &c, 1), -ESHUTDOWN);
	/* Drained: this returns at once. */
	vigil_pending_wait_drained(&p);
	KUNIT_EXPECT_EQ(test, p.count, 0);
}

struct test_waiter {
	struct vigil_pending *p;
	struct vigil_request req;
	struct completion inserted;
	u32 state;
	long left;
};

static int test_waiter_fn(void *arg)
{
	struct test_waiter *w = arg;

	vigil_pending_insert(w->p, &w->req, 0);
	complete(&w->inserted);
	w->left = wait_event_timeout(w->req.wq, vigil_request_done(&w->req),
				     10 * HZ);
	w->state = vigil_pending_remove(w->p, &w->req);
	return 0;
}

/* A waiter asleep in another thread is woken by the answer. */
static void vigil_pending_test_answer_wakes_waiter(struct kunit *test)
{
	struct test_waiter *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct vigil_pending p;
	struct task_struct *t;

	KUNIT_ASSERT_NOT_NULL(test, w);
	vigil_pending_init(&p, 4);
	w->p = &p;
	init_completion(&w->inserted);
	t = kthread_run(test_waiter_fn, w, "vigil_test_waiter");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	wait_for_completion(&w->inserted);
	KUNIT_EXPECT_EQ(test, vigil_pending_answer(&p, w->req.id,
						   VIGIL_VERDICT_ALLOW, 0, 0), 0);
	kthread_stop(t);
	put_task_struct(t);
	KUNIT_EXPECT_EQ(test, w->state, VIGIL_REQ_ANSWERED);
	KUNIT_EXPECT_GT(test, w->left, 0);
}

#define TEST_SLEEPERS	8

/*
 * What a trip does: release every waiter asleep in other threads at once,
 * with nothing answered; then, re-armed, take requests again.
 */
static void vigil_pending_test_release_all_wakes_sleepers(struct kunit *test)
{
	struct test_waiter *w = kunit_kcalloc(test, TEST_SLEEPERS, sizeof(*w),
					      GFP_KERNEL);
	struct task_struct *t[TEST_SLEEPERS];
	struct vigil_request again;
	struct vigil_pending p;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, w);
	vigil_pending_init(&p, TEST_SLEEPERS);
	for (i = 0; i < TEST_SLEEPERS; i++) {
		w[i].p = &p;
		init_completion(&w[i].inserted);
		t[i] = kthread_run(test_waiter_fn, &w[i], "vigil_test_sleeper");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t[i]));
		get_task_struct(t[i]);
	}
	for (i = 0; i < TEST_SLEEPERS; i++)
		wait_for_completion(&w[i].inserted);
	KUNIT_EXPECT_EQ(test, vigil_pending_count(&p), TEST_SLEEPERS);

	KUNIT_EXPECT_EQ(test, vigil_pending_release_all(&p), TEST_SLEEPERS);
	vigil_pending_wait_drained(&p);
	for (i = 0; i < TEST_SLEEPERS; i++) {
		kthread_stop(t[i]);
		put_task_struct(t[i]);
		KUNIT_EXPECT_EQ(test, w[i].state, VIGIL_REQ_RELEASED);
		/* Woken, not timed out. */
		KUNIT_EXPECT_GT(test, w[i].left, 0);
	}
	KUNIT_EXPECT_EQ(test, vigil_pending_count(&p), 0);
	/* Nothing is left to release. */
	KUNIT_EXPECT_EQ(test, vigil_pending_release_all(&p), 0);

	vigil_pending_reopen(&p);
	KUNIT_EXPECT_EQ(test, vigil_pending_insert(&p, &again, 1), 0);
	KUNIT_EXPECT_EQ(test, again.id, TEST_SLEEPERS + 1);
	KUNIT_EXPECT_EQ(test, vigil_pending_remove(&p, &again), VIGIL_REQ_PENDING);
}

static struct kunit_case vigil_pending_test_cases[] = {
	KUNIT_CASE(vigil_pending_test_insert_gives_ids),
	KUNIT_CASE(vigil_pending_test_answer),
	KUNIT_CASE(vigil_pending_test_bad_answers),
	KUNIT_CASE(vigil_pending_test_bound),
	KUNIT_CASE(vigil_pending_test_release_all),
	KUNIT_CASE(vigil_pending_test_answer_wakes_waiter),
	KUNIT_CASE(vigil_pending_test_release_all_wakes_sleepers),
	{}
};

static struct kunit_suite vigil_pending_test_suite = {
	.name = "vigil_pending",
	.test_cases = vigil_pending_test_cases,
};

kunit_test_suite(vigil_pending_test_suite);
