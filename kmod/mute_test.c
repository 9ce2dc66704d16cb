// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of mute matching, included at the end of mute.c. */

#include <kunit/test.h>
#include <linux/namei.h>
#include <linux/sched.h>

#define ALL_EVENTS	U64_MAX
#define EXEC_ONLY	VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC)

static struct vigil_mute_spec test_proc(struct pid *pid, u64 events)
{
	struct vigil_mute_spec s = {
		.kind = VIGIL_MUTE_PROCESS, .pid = pid, .events = events,
	};

	return s;
}

static struct vigil_mute_spec test_prefix(const char *p, u64 events)
{
	struct vigil_mute_spec s = {
		.kind = VIGIL_MUTE_PATH, .prefix = p, .len = strlen(p),
		.events = events,
	};

	return s;
}

static const struct vigil_mutes *test_cur(struct vigil_mute_set *set)
{
	return rcu_dereference_protected(set->cur, true);
}

static bool test_path(struct vigil_mute_set *set, u32 type, const char *p)
{
	return vigil_mutes_path(test_cur(set), type, p, strlen(p));
}

/* Processes are matched by their struct pid, which cannot be reused. */
static void vigil_mute_test_process(struct kunit *test)
{
	struct pid *me = task_tgid(current), *init = find_get_pid(1);
	struct vigil_mute_spec spec = test_proc(me, ALL_EVENTS);
	struct vigil_mute_set set;

	KUNIT_ASSERT_NOT_NULL(test, init);
	vigil_mute_set_init(&set);
	KUNIT_EXPECT_FALSE(test, vigil_mutes_process(test_cur(&set),
						     VIGIL_EVENT_EXEC, me, NULL));
	KUNIT_ASSERT_EQ(test, vigil_mute_set_add(&set, &spec), 0);
	KUNIT_EXPECT_TRUE(test, vigil_mutes_process(test_cur(&set),
						    VIGIL_EVENT_EXEC, me, NULL));
	KUNIT_EXPECT_FALSE(test, vigil_mutes_process(test_cur(&set),
						     VIGIL_EVENT_EXEC, init, NULL));
	vigil_mute_set_uninit(&set);
	put_pid(init);
}

/* Executables are matched by inode, held by the mute. */
static void vigil_mute_test_exe_identity(struct kunit *test)
{
	struct vigil_mute_spec spec = {
		.kind = VIGIL_MUTE_EXE, .events = ALL_EVENTS,
	};
	struct vigil_mute_set set;
	struct path other;

	KUNIT_ASSERT_EQ(test, kern_path("/dev/console", 0, &spec.exe), 0);
	KUNIT_ASSERT_EQ(test, kern_path("/", 0, &other), 0);
	vigil_mute_set_init(&set);
	KUNIT_ASSERT_EQ(test, vigil_mute_set_add(&set, &spec), 0);
	/* The set holds its own reference: ours can go. */
	path_put(&spec.exe);
	KUNIT_EXPECT_TRUE(test, vigil_mutes_process(test_cur(&set),
						    VIGIL_EVENT_FORK, NULL,
						    d_inode(test_cur(&set)->spec[0].exe.dentry)));
	KUNIT_EXPECT_FALSE(test, vigil_mutes_process(test_cur(&set),
						     VIGIL_EVENT_FORK, NULL,
						     d_inode(other.dentry)));
	KUNIT_EXPECT_FALSE(test, vigil_mutes_process(test_cur(&set),
						     VIGIL_EVENT_FORK, NULL, NULL));
	vigil_mute_set_uninit(&set);
	path_put(&other);
}

/* A prefix mutes whole components only. */
static void vigil_mute_test_prefix_components(struct kunit *test)
{
	struct vigil_mute_spec spec = test_prefix("/usr/lib", ALL_EVENTS);
	struct vigil_mute_set set;

	vigil_mute_set_init(&set);
	KUNIT_ASSERT_EQ(test, vigil_mute_set_add(&set, &spec), 0);
	KUNIT_EXPECT_TRUE(test, test_path(&set, VIGIL_EVENT_EXEC, "/usr/lib"));
	KUNIT_EXPECT_TRUE(test, test_path(&set, VIGIL_EVENT_EXEC, "/usr/lib/x.so"));
	KUNIT_EXPECT_TRUE(test, test_path(&set, VIGIL_EVENT_EXEC, "/usr/lib/a/b"));
	KUNIT_EXPECT_FALSE(test, test_path(&set, VIGIL_EVENT_EXEC, "/usr/lib64/x"));
	KUNIT_EXPECT_FALSE(test, test_path(&set, VIGIL_EVENT_EXEC, "/usr/li"));
	KUNIT_EXPECT_FALSE(test, test_path(&set, VIGIL_EVENT_EXEC, "/usr"));
	KUNIT_EXPECT_FALSE(test, test_path(&set, VIGIL_EVENT_EXEC, "/tmp/usr/lib"));
	vigil_mute_set_uninit(&set);
}

static void vigil_mute_test_root_prefix(struct kunit *test)
{
	struct vigil_mute_spec spec = test_prefix("/", ALL_EVENTS);
	struct vigil_mute_set set;

	vigil_mute_set_init(&set);
	KUNIT_ASSERT_EQ(test, vigil_mute_set_add(&set, &spec), 0);
	KUNIT_EXPECT_TRUE(test, test_path(&set, VIGIL_EVENT_EXEC, "/"));
	KUNIT_EXPECT_TRUE(test, test_path(&set, VIGIL_EVENT_EXEC, "/bin/sh"));
	vigil_mute_set_uninit(&set);
}

static void vigil_mute_test_event_types(struct kunit *test)
{
	struct vigil_mute_spec p = test_prefix("/tmp", EXEC_ONLY);
	struct vigil_mute_spec q = test_proc(task_tgid(current), EXEC_ONLY);
	struct vigil_mute_set set;

	vigil_mute_set_init(&set);
	KUNIT_ASSERT_EQ(test, vigil_mute_set_add(&set, &p), 0);
	KUNIT_ASSERT_EQ(test, vigil_mute_set_add(&set, &q), 0);
	KUNIT_EXPECT_TRUE(test, test_path(&set, VIGIL_EVENT_AUTH_EXEC, "/tmp/a"));
	KUNIT_EXPECT_FALSE(test, test_path(&set, VIGIL_EVENT_AUTH_OPEN, "/tmp/a"));
	KUNIT_EXPECT_TRUE(test, vigil_mutes_process(test_cur(&set),
						    VIGIL_EVENT_AUTH_EXEC,
						    task_tgid(current), NULL));
	KUNIT_EXPECT_FALSE(test, vigil_mutes_process(test_cur(&set),
						     VIGIL_EVENT_FORK,
						     task_tgid(current), NULL));
	vigil_mute_set_uninit(&set);
}

static void vigil_mute_test_add_remove(struct kunit *test)
{
	struct vigil_mute_spec a = test_prefix("/a", ALL_EVENTS);
	struct vigil_mute_spec b = test_prefix("/b", ALL_EVENTS);
	struct vigil_mute_spec c = test_proc(task_tgid(current), ALL_EVENTS);
	struct vigil_mute_set set;

	vigil_mute_set_init(&set);
	KUNIT_EXPECT_EQ(test, vigil_mute_set_add(&set, &a), 0);
	KUNIT_EXPECT_EQ(test, vigil_mute_set_add(&set, &a), -EEXIST);
	KUNIT_EXPECT_EQ(test, vigil_mute_set_add(&set, &b), 0);
	KUNIT_EXPECT_EQ(test, vigil_mute_set_add(&set, &c), 0);
	KUNIT_EXPECT_EQ(test, vigil_mute_set_remove(&set, &a), 0);
	KUNIT_EXPECT_EQ(test, vigil_mute_set_remove(&set, &a), -ENOENT);
	/* The others survive the copy, their prefixes intact. */
	KUNIT_EXPECT_FALSE(test, test_path(&set, VIGIL_EVENT_EXEC, "/a/x"));
	KUNIT_EXPECT_TRUE(test, test_path(&set, VIGIL_EVENT_EXEC, "/b/x"));
	KUNIT_EXPECT_TRUE(test, vigil_mutes_process(test_cur(&set),
						    VIGIL_EVENT_EXEC,
						    task_tgid(current), NULL));
	vigil_mute_set_uninit(&set);
}

static void vigil_mute_test_bound(struct kunit *test)
{
	char (*name)[8] = kunit_kmalloc(test, (VIGIL_MUTE_MAX + 1) * 8, GFP_KERNEL);
	struct vigil_mute_set set;
	struct vigil_mute_spec s;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, name);
	vigil_mute_set_init(&set);
	for (i = 0; i <= VIGIL_MUTE_MAX; i++)
		snprintf(name[i], sizeof(name[i]), "/p%u", i);
	for (i = 0; i < VIGIL_MUTE_MAX; i++) {
		s = test_prefix(name[i], ALL_EVENTS);
		KUNIT_ASSERT_EQ(test, vigil_mute_set_add(&set, &s), 0);
	}
	s = test_prefix(name[i], ALL_EVENTS);
	KUNIT_EXPECT_EQ(test, vigil_mute_set_add(&set, &s), -ENOSPC);
	/* The bound is per kind. */
	s = test_proc(task_tgid(current), ALL_EVENTS);
	KUNIT_EXPECT_EQ(test, vigil_mute_set_add(&set, &s), 0);
	vigil_mute_set_uninit(&set);
}

static struct kunit_case vigil_mute_test_cases[] = {
	KUNIT_CASE(vigil_mute_test_process),
	KUNIT_CASE(vigil_mute_test_exe_identity),
	KUNIT_CASE(vigil_mute_test_prefix_components),
	KUNIT_CASE(vigil_mute_test_root_prefix),
	KUNIT_CASE(vigil_mute_test_event_types),
	KUNIT_CASE(vigil_mute_test_add_remove),
	KUNIT_CASE(vigil_mute_test_bound),
	{}
};

static struct kunit_suite vigil_mute_test_suite = {
	.name = "vigil_mute",
	.test_cases = vigil_mute_test_cases,
};

kunit_test_suite(vigil_mute_test_suite);
