// SPDX-License-Identifier: GPL-2.0
/*
 * AUTH events: exec and open decisions, deadlines and miss verdicts, the
 * bound on waiters, release on close, no self-deadlock, the verdict cache,
 * mutes, and every bad input to the AUTH commands.
 *
 * The test process is the broker; the processes it watches are spawned
 * with vt_spawn_clean(), so that they do not hold the session's file
 * (holders are never asked: that is what keeps a broker from waiting on
 * itself, and it is tested too).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vigil_test.h"

#define WAIT_MS		5000
#define SLACK_MS	400	/* emulated CPUs are slow to wake */
#define EXEC_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC)
#define OPEN_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_OPEN)

static const char *const saved_params[] = {
	"auth_exec_deadline_ms", "auth_open_deadline_ms", "auth_exec_miss",
	"auth_open_miss", "auth_max_waiters", "cache_size",
};
#define NR_SAVED (sizeof(saved_params) / sizeof(saved_params[0]))

/* Parameters are global: every test puts them back as it found them. */
struct params {
	char value[NR_SAVED][32];
};

static void params_save(struct params *p)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < NR_SAVED; i++)
		vt_param_read(saved_params[i], p->value[i], sizeof(p->value[i]));
}

static void params_restore(const struct params *p)
{
	unsigned int i;

	for (i = 0; i < NR_SAVED; i++)
		vt_param_write(saved_params[i], p->value[i]);
}

static uint64_t ms_since(uint64_t t0)
{
	return (vt_now_ns() - t0) / 1000000;
}

FIXTURE(auth) {
	struct vigil_shim shim;
	struct vt_log log;
	struct params params;
};

/*
 * Before subscribing: once AUTH events are on, every program the tests
 * run must be answered, so they run none but their own (no system()).
 */
FIXTURE_SETUP(auth)
{
	params_save(&self->params);
	ASSERT_EQ(0, system("rm -rf /tmp/vt && mkdir -p /tmp/vt"));
	ASSERT_EQ(0, vt_copy(VT_CHILD, "/tmp/vt/prog", 0755));
	ASSERT_EQ(0, vt_connect(&self->shim));
	ASSERT_EQ(0, vigil_shim_subscribe(&self->shim, EXEC_BIT | OPEN_BIT));
}

FIXTURE_TEARDOWN(auth)
{
	vt_log_free(&self->log);
	vigil_shim_close(&self->shim);
	params_restore(&self->params);
}

/* The AUTH record of @type about @pid, waiting for it if need be. */
#define next_auth(self, type, pid) \
	vt_expect(&(self)->shim, &(self)->log, type, pid)

static pid_t run_child(char *a1, char *a2, char *a3)
{
	char *argv[] = { "vigil_child", a1, a2, a3, NULL };

	return vt_spawn_clean(VT_CHILD, argv);
}

TEST_F(auth, denied_exec_is_eacces_and_the_program_does_not_run)
{
	const struct vigil_event_view *ev;
	pid_t child = run_child("mark", "/tmp/vt/ran", NULL);

	ev = next_auth(self, VIGIL_EVENT_AUTH_EXEC, child);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(0, vt_answer(&self->shim, ev->fixed.auth_exec.auth.id,
			       VIGIL_VERDICT_DENY, 0));
	EXPECT_EQ(126 << 8, vt_reap(child));
	EXPECT_EQ(-1, access("/tmp/vt/ran", F_OK));

	/* The record says who asks to run what, and until when. */
	EXPECT_EQ(child, ev->fixed.auth_exec.proc.pid);
	EXPECT_EQ(getpid(), ev->fixed.auth_exec.proc.ppid);
	EXPECT_STREQ(VT_CHILD, ev->exe.data);
	EXPECT_STREQ(VT_CHILD, ev->filename.data);
	EXPECT_STREQ("mark", vt_argv(ev, 1));
	EXPECT_EQ(3, ev->fixed.auth_exec.argc);
	EXPECT_EQ(0, ev->fixed.auth_exec.flags);
	EXPECT_LT(ev->time_ns, ev->fixed.auth_exec.auth.deadline_ns);
	EXPECT_EQ(1, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).denied);
}

TEST_F(auth, allowed_exec_runs)
{
	const struct vigil_event_view *ev;
	pid_t child = run_child("mark", "/tmp/vt/ran", NULL);

	ev = next_auth(self, VIGIL_EVENT_AUTH_EXEC, child);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(0, vt_answer(&self->shim, ev->fixed.auth_exec.auth.id,
			       VIGIL_VERDICT_ALLOW, 0));
	EXPECT_EQ(0, vt_reap(child));
	EXPECT_EQ(0, access("/tmp/vt/ran", F_OK));
	EXPECT_EQ(1, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).answered);
}

static const struct vigil_event_view *open_record(FIXTURE_DATA(auth) *self,
						  pid_t child)
{
	const struct vigil_event_view *ev;

	/* The exec of the child, on a watched filesystem, comes first. */
	ev = next_auth(self, VIGIL_EVENT_AUTH_EXEC, child);
	if (ev)
		vt_answer(&self->shim, ev->fixed.auth_exec.auth.id,
			  VIGIL_VERDICT_ALLOW, 0);
	return next_auth(self, VIGIL_EVENT_AUTH_OPEN, child);
}

TEST_F(auth, denied_open_is_eacces)
{
	const struct vigil_event_view *ev;
	pid_t child;

	ASSERT_EQ(0, vigil_shim_watch(&self->shim, "/tmp", 0));
	child = run_child("open", "/tmp/vt/secret", "w");
	ev = open_record(self, child);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(0, vt_answer(&self->shim, ev->fixed.auth_open.auth.id,
			       VIGIL_VERDICT_DENY, 0));
	EXPECT_EQ(EACCES << 8, vt_reap(child));

	EXPECT_STREQ("/tmp/vt/secret", ev->path.data);
	EXPECT_EQ(VIGIL_ACCESS_WRITE, ev->fixed.auth_open.access);
	EXPECT_EQ(O_WRONLY, ev->fixed.auth_open.open_flags & O_ACCMODE);
	EXPECT_TRUE(ev->fixed.auth_open.open_flags & O_CREAT);
	EXPECT_TRUE(ev->fixed.auth_open.open_flags & O_TRUNC);
}

TEST_F(auth, allowed_open_works)
{
	const struct vigil_event_view *ev;
	struct stat st;
	pid_t child;

	ASSERT_EQ(0, vt_write_file("/tmp/vt/data", "hello\n", 0644));
	ASSERT_EQ(0, stat("/tmp/vt/data", &st));
	ASSERT_EQ(0, vigil_shim_watch(&self->shim, "/tmp", 0));
	child = run_child("open", "/tmp/vt/data", "r");
	ev = open_record(self, child);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(0, vt_answer(&self->shim, ev->fixed.auth_open.auth.id,
			       VIGIL_VERDICT_ALLOW, 0));
	EXPECT_EQ(0, vt_reap(child));
	EXPECT_EQ(VIGIL_ACCESS_READ, ev->fixed.auth_open.access);
	EXPECT_EQ(st.st_ino, ev->fixed.auth_open.ino);
	EXPECT_EQ(st.st_dev, ev->fixed.auth_open.dev);
}

/*
 * Nobody answers: the caller goes on at the deadline, with the miss
 * verdict, and the broker is told so, of that very record.
 */
static void expect_released_at_deadline(struct __test_metadata *_metadata,
					FIXTURE_DATA(auth) *self,
					const char *miss, int status)
{
	const struct vigil_event_view *ev, *fb;
	uint64_t t0, ms, id;
	pid_t child;

	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", "400"));
	ASSERT_EQ(0, vt_param_write("auth_exec_miss", miss));
	t0 = vt_now_ns();
	child = run_child("mark", "/tmp/vt/ran", NULL);
	ev = next_auth(self, VIGIL_EVENT_AUTH_EXEC, child);
	ASSERT_NE(NULL, ev);
	id = ev->fixed.auth_exec.auth.id;
	EXPECT_EQ(status, vt_reap(child));
	fb = next_auth(self, VIGIL_EVENT_AUTH_FALLBACK, child);
	ASSERT_NE(NULL, fb);
	EXPECT_EQ(VIGIL_FALLBACK_MISSED, fb->fixed.auth_fallback.cause);
	EXPECT_EQ(VIGIL_EVENT_AUTH_EXEC, fb->fixed.auth_fallback.auth_type);
	EXPECT_EQ(id, fb->fixed.auth_fallback.id);
	EXPECT_EQ(strcmp(miss, "deny") ? VIGIL_VERDICT_ALLOW : VIGIL_VERDICT_DENY,
		  fb->fixed.auth_fallback.verdict);
	EXPECT_STREQ(VT_CHILD, fb->path.data);
	ms = ms_since(t0);
	TH_LOG("miss verdict %s after %llu ms (deadline 400 ms)", miss,
	       (unsigned long long)ms);
	EXPECT_GE(ms, 400);
	EXPECT_LE(ms, 400 + SLACK_MS);
	EXPECT_EQ(1, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).missed);
}

TEST_F(auth, no_answer_allows_at_the_deadline)
{
	expect_released_at_deadline(_metadata, self, "allow", 0);
	EXPECT_EQ(0, access("/tmp/vt/ran", F_OK));
}

TEST_F(auth, no_answer_denies_at_the_deadline_if_so_configured)
{
	expect_released_at_deadline(_metadata, self, "deny", 126 << 8);
	EXPECT_EQ(-1, access("/tmp/vt/ran", F_OK));
}

TEST_F(auth, a_late_verdict_is_enoent_and_changes_nothing)
{
	const struct vigil_event_view *ev;
	pid_t child;

	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", "100"));
	child = run_child("mark", "/tmp/vt/ran", NULL);
	ev = next_auth(self, VIGIL_EVENT_AUTH_EXEC, child);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(0, vt_reap(child));	/* allowed at the deadline */
	EXPECT_EQ(-ENOENT, vt_answer(&self->shim, ev->fixed.auth_exec.auth.id,
				     VIGIL_VERDICT_DENY, 0));
	EXPECT_EQ(0, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).denied);
}

/* Closing the device releases every waiter at once. */
TEST_F(auth, closing_releases_16_waiting_threads)
{
	unsigned int seen = 0;
	uint64_t t0, ms;
	pid_t child;
	size_t i;

	ASSERT_EQ(0, vt_param_write("auth_open_deadline_ms", "20000"));
	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", "20000"));
	ASSERT_EQ(0, vigil_shim_watch(&self->shim, "/tmp", 0));
	ASSERT_EQ(0, vigil_shim_subscribe(&self->shim, OPEN_BIT));
	child = run_child("openers", "16", "/tmp/vt/many");
	for (t0 = vt_now_ns(); seen < 16 && ms_since(t0) < WAIT_MS;) {
		struct pollfd pfd = { .fd = self->shim.fd, .events = POLLIN };

		poll(&pfd, 1, 50);
		vt_drain(&self->shim, &self->log);
		for (seen = 0, i = 0; i < self->log.n; i++)
			seen += self->log.ev[i].v.type == VIGIL_EVENT_AUTH_OPEN &&
				self->log.ev[i].v.fixed.auth_open.proc.tgid ==
				(uint32_t)child;
	}
	ASSERT_EQ(16, seen);
	t0 = vt_now_ns();
	vigil_shim_close(&self->shim);
	EXPECT_EQ(0, vt_reap(child));	/* all 16 opens allowed */
	ms = ms_since(t0);
	TH_LOG("16 waiters released %llu ms after close", (unsigned long long)ms);
	EXPECT_LE(ms, SLACK_MS);
}

/* O_TRUNC modifies the file: such an open is a write, whatever its mode. */
TEST_F(auth, a_truncating_open_counts_as_a_write)
{
	const struct vigil_event_view *ev;
	pid_t child;

	ASSERT_EQ(0, vt_write_file("/tmp/vt/data", "hello\n", 0644));
	ASSERT_EQ(0, vigil_shim_watch(&self->shim, "/tmp", 0));
	child = run_child("open", "/tmp/vt/data", "t");
	ev = open_record(self, child);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(VIGIL_ACCESS_READ | VIGIL_ACCESS_WRITE,
		  ev->fixed.auth_open.access);
	EXPECT_EQ(0, vt_answer(&self->shim, ev->fixed.auth_open.auth.id,
			       VIGIL_VERDICT_DENY, 0));
	EXPECT_EQ(EACCES << 8, vt_reap(child));
	/* Denied before anything happened to the file. */
	{
		struct stat st;

		ASSERT_EQ(0, stat("/tmp/vt/data", &st));
		EXPECT_EQ(6, st.st_size);
	}
}

/*
 * Closing releases execs waiting in the shim's binary format handler;
 * they go on to the real handlers and run.  (The kernel log test, run
 * last, would catch a fault here.)
 */
TEST_F(auth, closing_releases_waiting_execs)
{
	pid_t child[8];
	size_t seen = 0, i;
	uint64_t t0;
	int n;

	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", "20000"));
	for (n = 0; n < 8; n++)
		child[n] = run_child("exit", "0", NULL);
	for (t0 = vt_now_ns(); seen < 8 && ms_since(t0) < WAIT_MS;) {
		struct pollfd pfd = { .fd = self->shim.fd, .events = POLLIN };

		poll(&pfd, 1, 50);
		vt_drain(&self->shim, &self->log);
		for (seen = 0, i = 0; i < self->log.n; i++)
			seen += self->log.ev[i].v.type == VIGIL_EVENT_AUTH_EXEC;
	}
	ASSERT_EQ(8, seen);
	t0 = vt_now_ns();
	vigil_shim_close(&self->shim);
	for (n = 0; n < 8; n++)
		EXPECT_EQ(0, vt_reap(child[n]));
	/*
	 * Released at the close, not at their 20 s deadline: the time also
	 * holds 8 execs and exits, which take 500 ms on the debug kernel.
	 */
	TH_LOG("8 execs released and done %llu ms after close",
	       (unsigned long long)ms_since(t0));
	EXPECT_LE(ms_since(t0), 5 * SLACK_MS);
}

/* A child that inherited the broker's descriptor is never asked. */
TEST_F(auth, a_holder_of_the_session_never_waits)
{
	struct vigil_auth_stats st;
	uint64_t t0 = vt_now_ns();
	char *argv[] = { "vigil_child", "exit", "0", NULL };
	pid_t child;
	int fd;

	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", "5000"));
	ASSERT_EQ(0, vt_param_write("auth_open_deadline_ms", "5000"));
	ASSERT_EQ(0, vigil_shim_watch(&self->shim, "/tmp", 0));
	child = vt_spawn(VT_CHILD, argv);	/* keeps the session's fd */
	EXPECT_EQ(0, vt_reap(child));
	/* And the broker itself opens files on the watched filesystem. */
	fd = open("/tmp/vt/mine", O_WRONLY | O_CREAT, 0644);
	EXPECT_LE(0, fd);
	close(fd);
	EXPECT_LT(ms_since(t0), 2500);
	vt_drain(&self->shim, &self->log);
	EXPECT_EQ(NULL, vt_find(&self->log, VIGIL_EVENT_AUTH_EXEC, child));
	EXPECT_EQ(0, self->log.n);
	st = vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC);
	EXPECT_EQ(1, st.self);
	st = vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_OPEN);
	EXPECT_EQ(1, st.self);
	EXPECT_EQ(1, st.requests);
}

/* Exec /tmp/vt/prog and answer @verdict with @flags if asked; return status. */
static int exec_prog(FIXTURE_DATA(auth) *self, uint32_t verdict,
		     uint32_t flags, int *asked)
{
	char *argv[] = { "prog", "exit", "0", NULL };
	const struct vt_event *e;
	pid_t child = vt_spawn_clean("/tmp/vt/prog", argv);
	int status;

	e = vt_wait(&self->shim, &self->log, VIGIL_EVENT_AUTH_EXEC, child, 1000);
	*asked = e != NULL;
	if (e)
		vt_answer(&self->shim, e->v.fixed.auth_exec.auth.id, verdict, flags);
	status = vt_reap(child);
	vt_drain(&self->shim, &self->log);
	return status;
}

TEST_F(auth, cached_verdicts_skip_the_broker_until_the_file_changes)
{
	int asked, fd;

	EXPECT_EQ(0, exec_prog(self, VIGIL_VERDICT_ALLOW,
			       VIGIL_VERDICT_F_CACHE, &asked));
	EXPECT_TRUE(asked);
	/* Asked once, answered from the cache since. */
	EXPECT_EQ(0, exec_prog(self, VIGIL_VERDICT_ALLOW, 0, &asked));
	EXPECT_FALSE(asked);
	EXPECT_EQ(0, exec_prog(self, VIGIL_VERDICT_ALLOW, 0, &asked));
	EXPECT_FALSE(asked);
	EXPECT_EQ(2, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).cache_hits);

	/* Writing the file forgets its verdicts. */
	fd = open("/tmp/vt/prog", O_WRONLY | O_APPEND);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "", 1));
	close(fd);
	EXPECT_EQ(0, exec_prog(self, VIGIL_VERDICT_ALLOW,
			       VIGIL_VERDICT_F_CACHE, &asked));
	EXPECT_TRUE(asked);

	/* So does a flush. */
	ASSERT_EQ(0, vigil_shim_cache_flush(&self->shim));
	EXPECT_EQ(0, exec_prog(self, VIGIL_VERDICT_ALLOW, 0, &asked));
	EXPECT_TRUE(asked);
}

TEST_F(auth, a_cached_deny_denies_without_asking)
{
	int asked;

	EXPECT_EQ(126 << 8, exec_prog(self, VIGIL_VERDICT_DENY,
				      VIGIL_VERDICT_F_CACHE, &asked));
	EXPECT_TRUE(asked);
	EXPECT_EQ(126 << 8, exec_prog(self, VIGIL_VERDICT_ALLOW, 0,
				      &asked));
	EXPECT_FALSE(asked);
	EXPECT_EQ(1, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).cache_hits);
}

static int mute(struct vigil_shim *shim, uint32_t kind, uint32_t tgid,
		const char *path, uint32_t flags)
{
	struct vigil_mute m = {
		.kind = kind, .tgid = tgid, .path = (uintptr_t)path,
		.flags = flags,
	};

	return vigil_shim_mute(shim, &m);
}

TEST_F(auth, muted_path_prefix_is_allowed_without_asking)
{
	int asked;

	ASSERT_EQ(0, mute(&self->shim, VIGIL_MUTE_PATH, 0, "/tmp/vt/", 0));
	EXPECT_EQ(0, exec_prog(self, VIGIL_VERDICT_DENY, 0, &asked));
	EXPECT_FALSE(asked);
	EXPECT_EQ(1, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).muted);
	/* A prefix is matched by whole components. */
	ASSERT_EQ(0, mute(&self->shim, VIGIL_MUTE_PATH, 0, "/tmp/vt", VIGIL_MUTE_F_REMOVE));
	ASSERT_EQ(0, mute(&self->shim, VIGIL_MUTE_PATH, 0, "/tmp/v", 0));
	EXPECT_EQ(126 << 8, exec_prog(self, VIGIL_VERDICT_DENY, 0, &asked));
	EXPECT_TRUE(asked);
}

TEST_F(auth, muted_process_is_allowed_without_asking)
{
	char *argv[] = { "vigil_child", "waitexec", VT_CHILD, NULL };
	int in[2];
	pid_t child;

	ASSERT_EQ(0, pipe(in));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		dup2(in[0], 0);
		syscall(SYS_close_range, 3, ~0U, 0);
		execv(VT_CHILD, argv);
		_exit(127);
	}
	close(in[0]);
	/* Let its first exec through, then mute it before its second. */
	{
		const struct vigil_event_view *ev;

		ev = next_auth(self, VIGIL_EVENT_AUTH_EXEC, child);
		ASSERT_NE(NULL, ev);
		vt_answer(&self->shim, ev->fixed.auth_exec.auth.id,
			  VIGIL_VERDICT_ALLOW, 0);
	}
	ASSERT_EQ(0, mute(&self->shim, VIGIL_MUTE_PROCESS, child, NULL, 0));
	ASSERT_EQ(1, write(in[1], "x", 1));
	close(in[1]);
	EXPECT_EQ(0, vt_reap(child));
	EXPECT_EQ(1, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).muted);
}

TEST_F(auth, muted_executable_is_allowed_without_asking)
{
	char *argv[] = { "prog", "exec", VT_CHILD, "exit", "0", NULL };
	const struct vigil_event_view *ev;
	pid_t child;

	ASSERT_EQ(0, mute(&self->shim, VIGIL_MUTE_EXE, 0, "/tmp/vt/prog", 0));
	child = vt_spawn_clean("/tmp/vt/prog", argv);
	/* Its own exec is asked about: the muted program is not running yet. */
	ev = next_auth(self, VIGIL_EVENT_AUTH_EXEC, child);
	ASSERT_NE(NULL, ev);
	vt_answer(&self->shim, ev->fixed.auth_exec.auth.id, VIGIL_VERDICT_ALLOW, 0);
	/* What it runs next is not. */
	EXPECT_EQ(0, vt_reap(child));
	EXPECT_EQ(1, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).muted);
}

/* A script: first its own exec, then its interpreter's. */
TEST_F(auth, a_script_asks_for_itself_then_its_interpreter)
{
	char *argv[] = { "script.sh", "arg", NULL };
	const struct vigil_event_view *ev;
	pid_t child;
	size_t i;

	ASSERT_EQ(0, vt_write_file("/tmp/vt/script.sh", "#!/bin/sh\nexit 0\n",
				   0755));
	child = vt_spawn_clean("/tmp/vt/script.sh", argv);
	ev = next_auth(self, VIGIL_EVENT_AUTH_EXEC, child);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("/tmp/vt/script.sh", ev->exe.data);
	EXPECT_EQ(0, ev->fixed.auth_exec.flags);
	vt_answer(&self->shim, ev->fixed.auth_exec.auth.id, VIGIL_VERDICT_ALLOW, 0);
	/* The second record for the same pid: wait for it and find it. */
	for (i = 0; i < 100; i++) {
		const struct vigil_event_view *v = NULL;
		size_t j;

		vt_drain(&self->shim, &self->log);
		for (j = 0; j < self->log.n; j++)
			if (self->log.ev[j].v.type == VIGIL_EVENT_AUTH_EXEC &&
			    self->log.ev[j].v.fixed.auth_exec.flags)
				v = &self->log.ev[j].v;
		if (v) {
			EXPECT_NE(NULL, strstr(v->exe.data, "busybox"));
			EXPECT_STREQ("/tmp/vt/script.sh", v->filename.data);
			EXPECT_STREQ("/bin/sh", vt_argv(v, 0));
			EXPECT_EQ(VIGIL_AUTH_EXEC_F_INTERPRETER,
				  v->fixed.auth_exec.flags);
			vt_answer(&self->shim, v->fixed.auth_exec.auth.id,
				  VIGIL_VERDICT_ALLOW, 0);
			break;
		}
		usleep(20 * 1000);
	}
	EXPECT_LT(i, 100);
	EXPECT_EQ(0, vt_reap(child));
}

TEST_F(auth, a_killed_waiter_goes_at_once)
{
	uint64_t t0;
	pid_t child;

	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", "20000"));
	child = run_child("exit", "0", NULL);
	ASSERT_NE(NULL, next_auth(self, VIGIL_EVENT_AUTH_EXEC, child));
	t0 = vt_now_ns();
	kill(child, SIGKILL);
	EXPECT_EQ(SIGKILL, vt_reap(child));
	EXPECT_LE(ms_since(t0), SLACK_MS);
	EXPECT_EQ(1, vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).killed);
}

TEST_F(auth, stats_add_up)
{
	struct vigil_auth_stats st;
	int asked;

	exec_prog(self, VIGIL_VERDICT_ALLOW, VIGIL_VERDICT_F_CACHE, &asked);
	exec_prog(self, VIGIL_VERDICT_ALLOW, 0, &asked);
	st = vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC);
	EXPECT_EQ(2, st.requests);
	EXPECT_EQ(st.allowed + st.denied, st.requests);
	EXPECT_EQ(st.answered + st.missed + st.overflow + st.undelivered +
		  st.released + st.killed + st.cache_hits + st.muted + st.self +
		  st.degraded,
		  st.requests);
	EXPECT_EQ(1, st.latency[0] + st.latency[1] + st.latency[2] +
		  st.latency[3] + st.latency[4] + st.latency[5]);
}

/* Verdict batches: checked whole, then applied one by one. */
TEST_F(auth, bad_verdicts_are_refused_and_change_nothing)
{
	struct vigil_verdict v[VIGIL_VERDICT_BATCH_MAX + 1];
	struct vigil_verdicts vs = { .entries = (uintptr_t)v };
	const struct vigil_event_view *ev;
	uint64_t id;
	pid_t child;

	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", "20000"));
	child = run_child("exit", "0", NULL);
	ev = next_auth(self, VIGIL_EVENT_AUTH_EXEC, child);
	ASSERT_NE(NULL, ev);
	id = ev->fixed.auth_exec.auth.id;
	memset(v, 0, sizeof(v));
	v[0].id = id;
	v[0].verdict = VIGIL_VERDICT_DENY;
	vs.entry_size = sizeof(v[0]);

#define EXPECT_VERDICTS_ERRNO(err) do {					\
		EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_VERDICT, &vs)); \
		EXPECT_EQ(err, errno);					\
	} while (0)

	vs.count = 0;
	EXPECT_VERDICTS_ERRNO(EINVAL);
	vs.count = VIGIL_VERDICT_BATCH_MAX + 1;
	EXPECT_VERDICTS_ERRNO(EINVAL);
	vs.count = 1;
	vs.entry_size = 16;
	EXPECT_VERDICTS_ERRNO(EINVAL);
	vs.entry_size = 512;
	EXPECT_VERDICTS_ERRNO(EINVAL);
	vs.entry_size = sizeof(v[0]);
	vs.reserved = 1;
	EXPECT_VERDICTS_ERRNO(EINVAL);
	vs.reserved = 0;
	/* A bad entry spoils the batch, the good entry in it included. */
	vs.count = 2;
	v[1].id = 12345;
	v[1].verdict = 3;
	EXPECT_VERDICTS_ERRNO(EINVAL);
	v[1].verdict = VIGIL_VERDICT_ALLOW;
	v[1].flags = 0x80;
	EXPECT_VERDICTS_ERRNO(EINVAL);
	v[1].flags = 0;
	v[1].reserved = 1;
	EXPECT_VERDICTS_ERRNO(EINVAL);
	v[1].reserved = 0;
	v[1].id = id;				/* the same id twice */
	EXPECT_VERDICTS_ERRNO(EINVAL);
	vs.count = 1;
	vs.entries = 0;
	EXPECT_VERDICTS_ERRNO(EFAULT);
	vs.entries = (uintptr_t)v;
	{
		/* Bytes past the shim's entry must be zero. */
		struct { struct vigil_verdict v; __u64 more; } big = {
			.v = v[0], .more = 1,
		};
		struct vigil_verdicts bs = {
			.entries = (uintptr_t)&big, .count = 1,
			.entry_size = sizeof(big),
		};

		EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_VERDICT, &bs));
		EXPECT_EQ(E2BIG, errno);
	}
	/* Nothing was applied: the exec still waits. */
	EXPECT_EQ(0, waitpid(child, NULL, WNOHANG));

	/* An unknown id beside a good one: the good one applies. */
	vs.count = 2;
	v[1].id = id + 1000;
	EXPECT_VERDICTS_ERRNO(ENOENT);
	EXPECT_EQ(1, vs.applied);
	EXPECT_EQ(0, v[0].error);
	EXPECT_EQ(-ENOENT, v[1].error);
	EXPECT_EQ(126 << 8, vt_reap(child));
	/* Given twice: the second finds nothing waiting. */
	vs.count = 1;
	EXPECT_VERDICTS_ERRNO(ENOENT);
	EXPECT_EQ(0, vs.applied);
	EXPECT_EQ(-ENOENT, v[0].error);
}

TEST_F(auth, bad_auth_commands_are_refused)
{
	struct vigil_subscribe sub = { .events = 1ULL << 40 };
	struct vigil_watch w = { .path = (uintptr_t)"/tmp", .flags = 0x10 };
	struct vigil_cache_flush flush = { .flags = 1 };
	struct vigil_auth_stats st = { .type = VIGIL_EVENT_EXEC };
	char longpath[5000];

	EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_SUBSCRIBE, &sub));
	EXPECT_EQ(EINVAL, errno);
	sub.events = 0;
	sub.flags = 1;
	EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_SUBSCRIBE, &sub));
	EXPECT_EQ(EINVAL, errno);

	EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_WATCH, &w));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-ENOENT, vigil_shim_watch(&self->shim, "/nonexistent", 0));
	EXPECT_EQ(-ENOENT, vigil_shim_watch(&self->shim, "/tmp", 1));
	EXPECT_EQ(0, vigil_shim_watch(&self->shim, "/tmp", 0));
	EXPECT_EQ(-EEXIST, vigil_shim_watch(&self->shim, "/tmp/vt", 0));
	EXPECT_EQ(0, vigil_shim_watch(&self->shim, "/tmp/vt", 1));

	EXPECT_EQ(-EINVAL, mute(&self->shim, 0, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, mute(&self->shim, 9, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, mute(&self->shim, VIGIL_MUTE_PROCESS, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, mute(&self->shim, VIGIL_MUTE_PROCESS, 1, NULL, 0x8));
	EXPECT_EQ(-EINVAL, mute(&self->shim, VIGIL_MUTE_PATH, 0, "tmp", 0));
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, mute(&self->shim, VIGIL_MUTE_PATH, 0, longpath, 0));
	EXPECT_EQ(-ENOENT, mute(&self->shim, VIGIL_MUTE_EXE, 0, "/nonexistent", 0));
	EXPECT_EQ(-ESRCH, mute(&self->shim, VIGIL_MUTE_PROCESS, 4000000, NULL, 0));
	EXPECT_EQ(0, mute(&self->shim, VIGIL_MUTE_PROCESS, 1, NULL, 0));
	EXPECT_EQ(-EEXIST, mute(&self->shim, VIGIL_MUTE_PROCESS, 1, NULL, 0));
	EXPECT_EQ(-ENOENT, mute(&self->shim, VIGIL_MUTE_PROCESS, 2, NULL,
				VIGIL_MUTE_F_REMOVE));
	{
		struct vigil_mute m = {
			.kind = VIGIL_MUTE_PROCESS, .tgid = 3, .events = 1ULL << 50,
		};

		EXPECT_EQ(-EINVAL, vigil_shim_mute(&self->shim, &m));
		m.events = 0;
		m.reserved = 1;
		EXPECT_EQ(-EINVAL, vigil_shim_mute(&self->shim, &m));
	}

	EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_CACHE_FLUSH, &flush));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_AUTH_STATS, &st));
	EXPECT_EQ(EINVAL, errno);
	st.type = VIGIL_EVENT_AUTH_OPEN;
	st.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_AUTH_STATS, &st));
	EXPECT_EQ(EINVAL, errno);
}

TEST(auth_commands_before_the_handshake_are_eproto)
{
	struct vigil_subscribe sub = { 0 };
	struct vigil_verdicts vs = { 0 };
	int fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, VIGIL_IOC_SUBSCRIBE, &sub));
	EXPECT_EQ(EPROTO, errno);
	EXPECT_EQ(-1, ioctl(fd, VIGIL_IOC_VERDICT, &vs));
	EXPECT_EQ(EPROTO, errno);
	close(fd);
}

TEST(bad_auth_parameters_are_refused)
{
	static const char *const bad[][2] = {
		{ "auth_exec_deadline_ms", "0" },
		{ "auth_exec_deadline_ms", "30001" },
		{ "auth_open_deadline_ms", "soon" },
		{ "auth_exec_miss", "maybe" },
		{ "auth_open_miss", "allowed" },
		{ "auth_max_waiters", "0" },
		{ "auth_max_waiters", "4097" },
		{ "cache_size", "65537" },
	};
	struct params before, after;
	unsigned int i;

	params_save(&before);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, vt_param_write(bad[i][0], bad[i][1]))
			TH_LOG("%s=%s", bad[i][0], bad[i][1]);
	params_save(&after);
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
}

/* Past the bound on waiters, the miss verdict applies at once. */
/* What a test looks for in the AUTH lane alone. */
struct lane_find {
	pid_t pid;
	uint64_t id;
};

static int find_exec_auth(const void *rec, uint32_t len, void *ctx)
{
	struct lane_find *f = ctx;
	struct vigil_event_view v;

	if (!vigil_event_decode(rec, len, &v) && v.type == VIGIL_EVENT_AUTH_EXEC &&
	    (pid_t)v.fixed.auth_exec.proc.pid == f->pid)
		f->id = v.fixed.auth_exec.auth.id;
	return 0;
}

/* Read the lane, never the ring, until @pid's exec asks; its id or 0. */
static uint64_t lane_wait_exec(struct vigil_shim *shim, pid_t pid)
{
	struct lane_find f = { .pid = pid };
	uint64_t t0 = vt_now_ns();

	while (!f.id && ms_since(t0) < WAIT_MS) {
		struct pollfd pfd = { .fd = shim->fd, .events = POLLIN };

		if (vigil_ring_consume(&shim->lane.view, find_exec_auth, &f) < 0)
			return 0;
		if (!f.id)
			poll(&pfd, 1, 20);
	}
	return f.id;
}

/* Open @path @n times from a process that does not hold the session. */
static void open_flood(const char *path, int n)
{
	pid_t pid = fork();

	if (pid == 0) {
		int i, fd;

		for (fd = 3; fd < 1024; fd++)
			close(fd);
		for (i = 0; i < n; i++) {
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0)
				close(fd);
		}
		_exit(0);
	}
	vt_reap(pid);
}

/*
 * A permission event never waits behind notifications: with the ring
 * full of file_open records that nobody reads, an exec is asked in the
 * AUTH lane, and its verdict applies.
 */
TEST(an_exec_is_asked_ahead_of_a_full_ring)
{
	char *argv[] = { "vigil_child", "exit", "0", NULL };
	struct vigil_auth_stats st;
	struct vigil_shim shim;
	char size[32] = "", share[32] = "";
	uint64_t id;
	pid_t child;

	ASSERT_EQ(0, vt_param_read("ring_size", size, sizeof(size)));
	ASSERT_EQ(0, vt_param_read("source_ring_share", share, sizeof(share)));
	ASSERT_EQ(0, vt_param_write("ring_size", "65536"));
	/* One source may fill the whole ring here: the ring itself is full. */
	ASSERT_EQ(0, vt_param_write("source_ring_share", "100"));
	ASSERT_EQ(0, vt_connect(&shim));
	ASSERT_EQ(0, vt_param_write("ring_size", size));
	ASSERT_EQ(0, vigil_shim_subscribe(&shim, EXEC_BIT |
					  VIGIL_EVENT_BIT(VIGIL_EVENT_FILE_OPEN)));
	open_flood(VT_CHILD, 2000);
	ASSERT_LT(0, shim.main.producer->dropped[VIGIL_DROP_RING_FULL]);

	child = vt_spawn_clean(VT_CHILD, argv);
	id = lane_wait_exec(&shim, child);
	ASSERT_NE(0, id);
	EXPECT_EQ(0, vt_answer(&shim, id, VIGIL_VERDICT_DENY, 0));
	EXPECT_EQ(126 << 8, vt_reap(child));
	/* The ring was never read: the exec went past all of it. */
	EXPECT_EQ(0, *shim.main.view.consumer_pos);
	st = vt_auth_stats(&shim, VIGIL_EVENT_AUTH_EXEC);
	EXPECT_EQ(1, st.answered);
	EXPECT_EQ(0, st.missed);
	EXPECT_EQ(0, shim.lane.producer->dropped[VIGIL_DROP_RING_FULL]);
	vigil_shim_close(&shim);
	ASSERT_EQ(0, vt_param_write("source_ring_share", share));
}

/* A broker built for 1.3 knows no lane: its AUTH records come in the ring. */
TEST(a_broker_of_1_3_is_asked_in_the_ring)
{
	char *argv[] = { "vigil_child", "exit", "0", NULL };
	const struct vigil_event_view *ev;
	struct vt_log log = { 0 };
	struct vigil_shim shim;
	char msg[256];
	pid_t child;

	ASSERT_EQ(0, vigil_shim_open(&shim, VT_DEVICE, VIGIL_ABI_MAJOR, 3, msg,
				     sizeof(msg))) TH_LOG("%s", msg);
	EXPECT_EQ(0, shim.lane.view.size);
	ASSERT_EQ(0, vigil_shim_subscribe(&shim, EXEC_BIT));
	child = vt_spawn_clean(VT_CHILD, argv);
	ev = vt_expect(&shim, &log, VIGIL_EVENT_AUTH_EXEC, child);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(0, vt_answer(&shim, ev->fixed.auth_exec.auth.id,
			       VIGIL_VERDICT_DENY, 0));
	EXPECT_EQ(126 << 8, vt_reap(child));
	EXPECT_LT(0, *shim.main.view.consumer_pos);
	vt_log_free(&log);
	vigil_shim_close(&shim);
}

TEST(waiters_are_bounded)
{
	struct vigil_auth_stats st;
	struct vt_log log = { 0 };
	struct params saved;
	struct vigil_shim shim;
	pid_t child[4];
	uint64_t t0;
	int i, fast = 0, overflowed = 0;

	params_save(&saved);
	ASSERT_EQ(0, vt_param_write("auth_max_waiters", "2"));
	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", "3000"));
	ASSERT_EQ(0, vt_connect(&shim));
	ASSERT_EQ(0, vigil_shim_subscribe(&shim, EXEC_BIT));
	t0 = vt_now_ns();
	for (i = 0; i < 4; i++) {
		char *argv[] = { "vigil_child", "exit", "0", NULL };

		child[i] = vt_spawn_clean(VT_CHILD, argv);
	}
	/* Two wait for the deadline; the other two go at once. */
	for (i = 0; i < 4; i++) {
		int status;
		pid_t pid = wait(&status);

		EXPECT_EQ(0, status);
		if (ms_since(t0) < 2000)
			fast++;
		(void)pid;
	}
	st = vt_auth_stats(&shim, VIGIL_EVENT_AUTH_EXEC);
	EXPECT_EQ(2, st.overflow);
	EXPECT_EQ(2, st.missed);
	EXPECT_EQ(2, fast);
	/* Each of the four has its report: two never asked, two asked. */
	vt_drain(&shim, &log);
	for (i = 0; i < 4; i++) {
		const struct vt_event *e = vt_find(&log, VIGIL_EVENT_AUTH_FALLBACK, child[i]);
		const struct vigil_event_view *fb = e ? &e->v : NULL;

		ASSERT_NE(NULL, fb) TH_LOG("no fallback record for exec %d", i);
		if (fb->fixed.auth_fallback.cause == VIGIL_FALLBACK_OVERFLOW)
			overflowed++;
		EXPECT_EQ(fb->fixed.auth_fallback.cause == VIGIL_FALLBACK_OVERFLOW,
			  !fb->fixed.auth_fallback.id);
	}
	EXPECT_EQ(2, overflowed);
	vt_log_free(&log);
	vigil_shim_close(&shim);
	params_restore(&saved);
}

/* The broker process, for the next test: answers allow, until stopped. */
static void run_broker(int ready)
{
	struct vigil_shim shim;
	struct vt_log log = { 0 };

	if (vt_connect(&shim) || vigil_shim_subscribe(&shim, EXEC_BIT))
		_exit(1);
	if (write(ready, "r", 1) != 1)
		_exit(1);
	for (;;) {
		struct pollfd pfd = { .fd = shim.fd, .events = POLLIN };
		size_t i;

		poll(&pfd, 1, 100);
		vt_drain(&shim, &log);
		for (i = 0; i < log.n; i++)
			vt_answer(&shim, log.ev[i].v.fixed.auth_exec.auth.id,
				  VIGIL_VERDICT_ALLOW, 0);
		vt_log_free(&log);
	}
}

/* A broker stopped by SIGSTOP costs each caller one deadline, no more. */
TEST(a_stopped_broker_costs_one_deadline)
{
	struct params saved;
	pid_t broker, child[4];
	int ready[2], i;
	unsigned int deadline = 500 * vt_slow(), slack = SLACK_MS * vt_slow();
	uint64_t t0, ms;
	char r, text[16];

	params_save(&saved);
	snprintf(text, sizeof(text), "%u", deadline);
	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", text));
	ASSERT_EQ(0, pipe(ready));
	broker = fork();
	ASSERT_LE(0, broker);
	if (broker == 0)
		run_broker(ready[1]);
	ASSERT_EQ(1, read(ready[0], &r, 1));
	/* It answers while it runs. */
	{
		char *argv[] = { "vigil_child", "exit", "0", NULL };

		t0 = vt_now_ns();
		EXPECT_EQ(0, vt_reap(vt_spawn(VT_CHILD, argv)));
		EXPECT_LT(ms_since(t0), slack);
	}
	kill(broker, SIGSTOP);
	t0 = vt_now_ns();
	for (i = 0; i < 4; i++) {
		char *argv[] = { "vigil_child", "exit", "0", NULL };

		child[i] = vt_spawn(VT_CHILD, argv);
	}
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, vt_reap(child[i]));
	ms = ms_since(t0);
	TH_LOG("4 execs with the broker stopped: %llu ms (deadline %u ms)",
	       (unsigned long long)ms, deadline);
	EXPECT_GE(ms, deadline);
	EXPECT_LE(ms, deadline + slack);
	kill(broker, SIGKILL);
	kill(broker, SIGCONT);
	waitpid(broker, NULL, 0);
	params_restore(&saved);
}

TEST_HARNESS_MAIN
