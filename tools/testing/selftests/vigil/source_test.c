// SPDX-License-Identifier: GPL-2.0
/*
 * Load shed per source (ABI 1.4): a user who floods the ring loses only
 * their own records, counted and reported per source; a user who floods
 * AUTH events waits for their own places, and is denied, never allowed
 * unseen, when none comes; everyone else is asked as before.
 *
 * The test process is the broker (root); the floods run as uid 1000.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vigil_test.h"

#define USER		1000
#define OPEN_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_FILE_OPEN)
#define EXEC_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC)

static const char *const saved_params[] = {
	"ring_size", "source_max_waiters", "auth_exec_deadline_ms",
	"watchdog_heartbeat_ms",
};
#define NR_SAVED (sizeof(saved_params) / sizeof(saved_params[0]))

FIXTURE(src) {
	char saved[NR_SAVED][32];
	struct vigil_shim shim;
	struct vt_log log;
};

FIXTURE_SETUP(src)
{
	unsigned int i;

	for (i = 0; i < NR_SAVED; i++)
		vt_param_read(saved_params[i], self->saved[i], sizeof(self->saved[i]));
	memset(&self->shim, 0, sizeof(self->shim));
	self->shim.fd = -1;
	memset(&self->log, 0, sizeof(self->log));
}

FIXTURE_TEARDOWN(src)
{
	unsigned int i;

	vt_log_free(&self->log);
	if (self->shim.fd >= 0)
		vigil_shim_close(&self->shim);
	for (i = 0; i < NR_SAVED; i++)
		vt_param_write(saved_params[i], self->saved[i]);
}

/* In a child: drop the session's file and become @uid.  0 or -1. */
static int become(uid_t uid)
{
	int fd;

	for (fd = 3; fd < 1024; fd++)
		close(fd);
	return setgroups(0, NULL) || setgid(uid) || setuid(uid) ? -1 : 0;
}

/* Open @path @n times as @uid, from a process that does not hold the session. */
static void open_as(uid_t uid, const char *path, int n)
{
	pid_t pid = fork();

	if (pid == 0) {
		int i, fd;

		if (become(uid))
			_exit(125);
		for (i = 0; i < n; i++) {
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0)
				close(fd);
		}
		_exit(0);
	}
	vt_reap(pid);
}

/* The latest VIGIL_EVENT_SOURCE record of @uid in @log, or NULL. */
static const struct vigil_source_event *last_report(const struct vt_log *log,
						    uint32_t uid)
{
	const struct vigil_source_event *found = NULL;
	size_t i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].v.type == VIGIL_EVENT_SOURCE &&
		    log->ev[i].v.fixed.source.uid == uid)
			found = &log->ev[i].v.fixed.source;
	return found;
}

/* Records in @log about @uid's processes, the shim's own excepted. */
static uint64_t delivered_of(const struct vt_log *log, uint32_t uid)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < log->n; i++) {
		const struct vigil_event_view *v = &log->ev[i].v;
		const struct vigil_proc *p = vigil_event_proc(v);

		if (p && p->uid == uid && v->type != VIGIL_EVENT_AUTH_FALLBACK)
			n++;
	}
	return n;
}

static uint64_t sum_dropped(const struct vigil_source_event *r)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < VIGIL_DROP_SLOTS; i++)
		n += r->dropped[i];
	return n;
}

/*
 * uid 1000 fills a 64 KiB ring nobody reads: past its half, its records
 * are dropped (source_budget).  root's opens after it all get in, and
 * once everything is read, each source's report adds up exactly.
 */
TEST_F(src, a_flood_costs_only_its_own_source)
{
	const struct vigil_source_event *mine, *theirs;
	uint64_t got_mine, got_theirs;
	int i;

	ASSERT_EQ(0, vt_param_write("ring_size", "64K"));
	ASSERT_EQ(0, vt_param_write("watchdog_heartbeat_ms", "300"));
	ASSERT_EQ(0, vt_connect(&self->shim));
	ASSERT_EQ(0, vigil_shim_subscribe(&self->shim, OPEN_BIT));
	open_as(USER, VT_CHILD, 2000);
	ASSERT_LT(0, self->shim.main.producer->dropped[VIGIL_DROP_SOURCE_BUDGET]);
	open_as(0, VT_CHILD, 20);
	/* The reports come, with the heartbeat's; read it all, twice over. */
	for (i = 0; i < 10; i++) {
		usleep(200 * 1000);
		ASSERT_LE(0, vt_drain(&self->shim, &self->log));
	}
	mine = last_report(&self->log, USER);
	theirs = last_report(&self->log, 0);
	ASSERT_NE(NULL, mine) TH_LOG("no report of uid %d", USER);
	ASSERT_NE(NULL, theirs) TH_LOG("no report of root");
	got_mine = delivered_of(&self->log, USER);
	got_theirs = delivered_of(&self->log, 0);
	TH_LOG("uid %d: produced %llu, delivered %llu, shed %llu; root: produced %llu, delivered %llu",
	       USER, (unsigned long long)mine->produced, (unsigned long long)got_mine,
	       (unsigned long long)mine->dropped[VIGIL_DROP_SOURCE_BUDGET],
	       (unsigned long long)theirs->produced, (unsigned long long)got_theirs);
	EXPECT_LT(0, mine->dropped[VIGIL_DROP_SOURCE_BUDGET]);
	EXPECT_EQ(mine->produced, got_mine + sum_dropped(mine));
	/* root lost nothing: the flood held only its own share. */
	EXPECT_EQ(0, sum_dropped(theirs));
	EXPECT_EQ(theirs->produced, got_theirs);
	EXPECT_LE(20, got_theirs);
}

/* Start an exec of vigil_child as @uid, not holding the session. */
static pid_t exec_as(uid_t uid)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { "vigil_child", "exit", "0", NULL };

		if (become(uid))
			_exit(125);
		execv(VT_CHILD, argv);
		_exit(errno == EACCES ? 126 : 127);
	}
	return pid;
}

/* Wait until @n AUTH execs of @uid were asked; answer root's at once. */
static int asked_of(FIXTURE_DATA(src) *self, uid_t uid, unsigned int n,
		    int timeout_ms)
{
	uint64_t end = vt_now_ns() + (uint64_t)timeout_ms * 1000000;
	unsigned int asked = 0;
	size_t seen = 0;

	while (vt_now_ns() < end && asked < n) {
		struct pollfd pfd = { .fd = self->shim.fd, .events = POLLIN };

		poll(&pfd, 1, 20);
		vt_drain(&self->shim, &self->log);
		for (; seen < self->log.n; seen++) {
			const struct vigil_event_view *v = &self->log.ev[seen].v;

			if (v->type != VIGIL_EVENT_AUTH_EXEC)
				continue;
			if (!v->fixed.auth_exec.proc.uid)
				vt_answer(&self->shim, v->fixed.auth_exec.auth.id,
					  VIGIL_VERDICT_ALLOW, 0);
			if (v->fixed.auth_exec.proc.uid == uid)
				asked++;
		}
	}
	return asked;
}

/*
 * uid 1000 holds its two places with two execs nobody answers (3 s
 * deadlines); two more of its execs (1 s deadlines) wait for a place and,
 * none coming by their deadline, are denied and reported.  Meanwhile
 * root's exec is asked at once.
 */
TEST_F(src, a_source_past_its_waiters_waits_then_is_denied)
{
	unsigned int i, denied = 0, allowed = 0, over = 0;
	struct vigil_watchdog_status st;
	pid_t user[4], root;
	uint64_t missed0;
	int status;

	ASSERT_EQ(0, vt_param_write("source_max_waiters", "2"));
	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", "3000"));
	ASSERT_EQ(0, vt_watchdog(&st));
	missed0 = st.faults[VIGIL_FAULT_DEADLINE_MISSED];
	ASSERT_EQ(0, vt_connect(&self->shim));
	ASSERT_EQ(0, vigil_shim_subscribe(&self->shim, EXEC_BIT));
	for (i = 0; i < 2; i++)
		user[i] = exec_as(USER);
	ASSERT_EQ(2, asked_of(self, USER, 2, 2000));
	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", "1000"));
	for (i = 2; i < 4; i++)
		user[i] = exec_as(USER);
	/* Another source has places of its own: asked, and answered. */
	root = exec_as(0);
	EXPECT_EQ(1, asked_of(self, 0, 1, 1000));
	EXPECT_EQ(0, vt_reap(root));
	for (i = 0; i < 4; i++) {
		status = vt_reap(user[i]);
		if (status == 0)
			allowed++;
		else if (status == 126 << 8)
			denied++;
	}
	/* Two were asked and missed (allowed); two found no place (denied). */
	EXPECT_EQ(2, allowed);
	EXPECT_EQ(2, denied);
	EXPECT_EQ(2, asked_of(self, USER, 3, 500));
	for (i = 0; i < self->log.n; i++) {
		const struct vigil_event_view *v = &self->log.ev[i].v;

		if (v->type == VIGIL_EVENT_AUTH_FALLBACK &&
		    v->fixed.auth_fallback.cause == VIGIL_FALLBACK_OVER_BUDGET) {
			over++;
			EXPECT_EQ(VIGIL_VERDICT_DENY, v->fixed.auth_fallback.verdict);
			EXPECT_EQ(0, v->fixed.auth_fallback.id);
			EXPECT_EQ(USER, v->fixed.auth_fallback.actor.proc.uid);
		}
	}
	EXPECT_EQ(2, over);
	EXPECT_EQ(2, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).over_budget);
	/* Its two misses came with all its places taken: its load, no fault. */
	EXPECT_EQ(2, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).missed);
	ASSERT_EQ(0, vt_watchdog(&st));
	EXPECT_EQ(missed0, st.faults[VIGIL_FAULT_DEADLINE_MISSED]);
}

TEST(bad_source_parameters_are_refused)
{
	static const struct { const char *name, *value; } bad[] = {
		{ "source_ring_share", "0" },
		{ "source_ring_share", "101" },
		{ "source_max_waiters", "0" },
		{ "source_max_waiters", "4097" },
		{ "source_max_waiters", "many" },
	};
	char before[32], after[32];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_EQ(0, vt_param_read(bad[i].name, before, sizeof(before)));
		EXPECT_EQ(-EINVAL, vt_param_write(bad[i].name, bad[i].value))
			TH_LOG("%s=%s", bad[i].name, bad[i].value);
		ASSERT_EQ(0, vt_param_read(bad[i].name, after, sizeof(after)));
		EXPECT_STREQ(before, after);
	}
}

TEST_HARNESS_MAIN
