// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of the credential, signal and ptrace encoders. */

#include <kunit/test.h>

static void vigil_task_test_cred_changes(struct kunit *test)
{
	struct vigil_cred_event *ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	struct cred *new = prepare_creds();

	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_ASSERT_NOT_NULL(test, new);
	/* The same credentials: nothing to report. */
	KUNIT_EXPECT_EQ(test, vigil_rec_cred(ev, current_cred(), new), 0);
	new->euid = KUIDT_INIT(1234);
	new->fsgid = KGIDT_INIT(99);
	KUNIT_EXPECT_EQ(test, vigil_rec_cred(ev, current_cred(), new),
			VIGIL_CRED_UIDS | VIGIL_CRED_GIDS);
	KUNIT_EXPECT_EQ(test, ev->new_ids.euid, 1234);
	KUNIT_EXPECT_EQ(test, ev->old_ids.euid,
			from_kuid(&init_user_ns, current_cred()->euid));
	KUNIT_EXPECT_EQ(test, ev->new_ids.fsgid, 99);
	KUNIT_EXPECT_EQ(test, ev->changed, VIGIL_CRED_UIDS | VIGIL_CRED_GIDS);
	new->euid = current_cred()->euid;
	new->fsgid = current_cred()->fsgid;
	cap_lower(new->cap_effective, CAP_SYS_ADMIN);
	cap_raise(new->cap_ambient, CAP_NET_RAW);
	KUNIT_EXPECT_EQ(test, vigil_rec_cred(ev, current_cred(), new), VIGIL_CRED_CAPS);
	KUNIT_EXPECT_FALSE(test, ev->new_caps.effective & BIT_ULL(CAP_SYS_ADMIN));
	KUNIT_EXPECT_TRUE(test, ev->new_caps.ambient & BIT_ULL(CAP_NET_RAW));
	abort_creds(new);
}

static void vigil_task_test_signal(struct kunit *test)
{
	struct vigil_signal_event ev = {};
	struct kernel_siginfo info = { .si_code = SI_TKILL };

	vigil_rec_signal(&ev, SIGTERM, &info, current, 0, 0);
	KUNIT_EXPECT_EQ(test, ev.signo, SIGTERM);
	KUNIT_EXPECT_EQ(test, ev.code, SI_TKILL);
	KUNIT_EXPECT_EQ(test, ev.target_pid, task_pid_nr(current));
	KUNIT_EXPECT_EQ(test, ev.target_tgid, task_tgid_nr(current));
	KUNIT_EXPECT_EQ(test, ev.flags, 0);
	vigil_rec_signal(&ev, SIGKILL, SEND_SIG_NOINFO, current, 1, 2);
	KUNIT_EXPECT_EQ(test, ev.code, SI_USER);
	KUNIT_EXPECT_EQ(test, ev.flags, VIGIL_SIGNAL_F_GROUP);
	KUNIT_EXPECT_EQ(test, ev.result, 2);
	vigil_rec_signal(&ev, SIGKILL, SEND_SIG_PRIV, current, 1, 0);
	KUNIT_EXPECT_EQ(test, ev.code, SI_KERNEL);
	/* What counts as sent by a process, and what not. */
	KUNIT_EXPECT_TRUE(test, vigil_signal_from_user(SEND_SIG_NOINFO));
	KUNIT_EXPECT_FALSE(test, vigil_signal_from_user(SEND_SIG_PRIV));
	KUNIT_EXPECT_TRUE(test, vigil_signal_from_user(&info));
	info.si_code = CLD_EXITED;
	KUNIT_EXPECT_FALSE(test, vigil_signal_from_user(&info));
}

static void vigil_task_test_ptrace(struct kunit *test)
{
	struct vigil_ptrace_event ev = {};
	struct task_struct *other = current->real_parent;

	vigil_rec_ptrace(&ev, other, current, current);
	KUNIT_EXPECT_EQ(test, ev.flags, 0);	/* an attach: current traces */
	KUNIT_EXPECT_EQ(test, ev.tracer_pid, task_pid_nr(current));
	KUNIT_EXPECT_EQ(test, ev.target_pid, task_pid_nr(other));
	memset(&ev, 0, sizeof(ev));
	vigil_rec_ptrace(&ev, current, other, current);
	KUNIT_EXPECT_EQ(test, ev.flags, VIGIL_PTRACE_F_TRACEME);
	memset(&ev, 0, sizeof(ev));
	vigil_rec_ptrace(&ev, other, other, current);
	KUNIT_EXPECT_EQ(test, ev.flags, VIGIL_PTRACE_F_FORK);
}

static struct kunit_case vigil_task_test_cases[] = {
	KUNIT_CASE(vigil_task_test_cred_changes),
	KUNIT_CASE(vigil_task_test_signal),
	KUNIT_CASE(vigil_task_test_ptrace),
	{}
};

static struct kunit_suite vigil_task_test_suite = {
	.name = "vigil_task_events",
	.test_cases = vigil_task_test_cases,
};

kunit_test_suite(vigil_task_test_suite);
