// SPDX-License-Identifier: GPL-2.0
/*
 * libvigil end to end: vendor products built on the SDK (libvigil.a, as
 * a vendor links it), each its own unprivileged process, served by the
 * real vigild as the vigil user, with the real shim.
 *
 *   - three clients at once: a good one, a slow one (answers after its
 *     deadline) and one that crashes in the middle of an AUTH event.  The
 *     good one gets every event; the slow one is cut off, and the good
 *     one told; no exec or open waits as long as the shim's deadline; the
 *     broker's memory stays as it was;
 *   - the broker restarts: a client connects again by itself, with its
 *     subscriptions and mutes as they were;
 *   - a vendor's uid not on the allowlist gets -EACCES.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vigil/vigil.h>

#include "kselftest_harness.h"
#include "vigil_test.h"

#define SOCK		"/tmp/libvigil.sock"
#define CONF		"/tmp/libvigil.conf"
#define ALLOW		"/tmp/libvigil.allow"
#define OUT		"/tmp/libvigil.out"
#define ERR		"/tmp/libvigil.err"
#define WATCHED		"/tmp/lv_watched"	/* a filesystem of its own */
#define MUTED_PROG	"/tmp/lv_muted_prog"
#define VENDOR_ID	1000		/* the vendors' user, on the allowlist */
#define STRANGER_ID	2000		/* not on it */
#define DEADLINE_MS	150
#define ROUNDS		100

enum kind { GOOD, SLOW, CRASH, MUTER };

static const char *const kind_names[] = {
	[GOOD] = "good", [SLOW] = "slow", [CRASH] = "crasher", [MUTER] = "muter",
};

struct vendor {
	enum kind kind;
	FILE *log;
};

/* ---- the vendors' products -------------------------------------------------- */

static void on_message(struct vigil_client *c, const struct vigil_message *m, void *ctx)
{
	struct vendor *v = ctx;
	const struct vigil_proc *p = vigil_message_process(m);

	if (vigil_message_type(m) == VIGIL_EVENT_EXEC && p)
		fprintf(v->log, "exec %u %s\n", p->tgid, vigil_message_exe(m));
	if (!vigil_message_is_auth(m))
		return;
	if (v->kind == CRASH)
		kill(getpid(), SIGKILL);	/* holding the event */
	if (v->kind == SLOW)
		usleep(2 * DEADLINE_MS * 1000);
	if (vigil_respond(c, m, VIGIL_VERDICT_ALLOW, 0))
		fprintf(v->log, "respond failed\n");
}

static void on_notice(struct vigil_client *c, const struct vigil_notice *n, void *ctx)
{
	static const char *const kinds[] = {
		[VIGIL_NOTICE_CONNECTED] = "connected",
		[VIGIL_NOTICE_DISCONNECTED] = "disconnected",
		[VIGIL_NOTICE_PEER_CUT_OFF] = "peer_cut_off",
	};
	struct vendor *v = ctx;

	(void)c;
	fprintf(v->log, "notice %s %s %s\n", kinds[n->kind],
		n->reason ? vigil_reason_name(n->reason) : "-", n->name[0] ? n->name : "-");
}

/* In the child: become the vendor's user, then serve until killed. */
static int vendor_main(enum kind kind, const char *log, int ready)
{
	struct vendor v = { .kind = kind };
	uint64_t events = VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC) |
			  VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_OPEN);
	gid_t gid = VENDOR_ID;
	struct vigil_client *c;
	int err;

	v.log = fopen(log, "we");
	if (!v.log || setgroups(1, &gid) || setgid(VENDOR_ID) || setuid(VENDOR_ID))
		return 100;
	setvbuf(v.log, NULL, _IOLBF, 0);
	VIGIL_OPTS(vigil_client_opts, o, .socket_path = SOCK, .name = kind_names[kind],
		   .on_message = on_message, .on_notice = on_notice, .ctx = &v,
		   .flags = kind == SLOW ? VIGIL_CLIENT_F_NO_RECONNECT : 0,
		   .reconnect_max_ms = 500);
	err = vigil_client_open(&o, &c);
	if (err)
		return 101;
	if (kind == GOOD || kind == MUTER)
		events |= VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC);
	if (kind == MUTER)
		events = VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC);
	if (vigil_subscribe(c, events))
		return 102;
	if (kind == MUTER && vigil_mute_exe(c, MUTED_PROG, 0))
		return 103;
	if (write(ready, "r", 1) != 1)
		return 104;
	err = vigil_client_run(c);
	vigil_client_close(c);
	/* Only the slow one ends: cut off, told why. */
	return err == -ECONNRESET ? 10 + VIGIL_REASON_MISSES : 105;
}

/* Start a vendor's product; its pid once it has subscribed, or -1. */
static pid_t start_vendor(enum kind kind, const char *log)
{
	int ready[2];
	pid_t pid;
	char r;

	if (pipe2(ready, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		_exit(vendor_main(kind, log, ready[1]));
	}
	close(ready[1]);
	if (read(ready[0], &r, 1) != 1) {
		close(ready[0]);
		vt_reap(pid);
		return -1;
	}
	close(ready[0]);
	return pid;
}

/* ---- measuring -------------------------------------------------------------- */

static unsigned int param_ms(const char *name)
{
	char buf[32];

	return vt_param_read(name, buf, sizeof(buf)) ? 0 : (unsigned int)atoi(buf);
}

/* Wait up to 5 s until @path holds @needle. */
static int wait_line(const char *path, const char *needle)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (vt_file_contains(path, needle))
			return 1;
		usleep(10000);
	}
	return 0;
}

static void dump(struct __test_metadata *_metadata, const char *path)
{
	char buf[4096];

	TH_LOG("%s:\n%s", path, vt_read_text(path, buf, sizeof(buf)));
}

/* ---- the broker ------------------------------------------------------------- */

static pid_t start_vigild(void)
{
	char *const argv[] = { "vigild", "--socket", SOCK, "--config", CONF,
			       "--watch", WATCHED, NULL };
	pid_t pid;

	unlink(ERR);
	pid = vt_spawn_vigild(OUT, ERR, argv);
	if (pid > 0 && !wait_line(ERR, "serving clients"))
		return -1;
	return pid;
}

FIXTURE(sdk) {
	pid_t vigild;
	pid_t vendors[4];
};

FIXTURE_SETUP(sdk)
{
	memset(self, 0, sizeof(*self));
	ASSERT_EQ(0, vt_write_file(CONF, "client_deadline_ms = 150\n"
				   "cut_off_misses = 3\n"
				   "client_ring_size = 65536\n"
				   "allowlist = " ALLOW "\n", 0644));
	ASSERT_EQ(0, vt_write_file(ALLOW, "user 1000\n", 0644));
	mkdir(WATCHED, 0755);
	ASSERT_EQ(0, mount("lv", WATCHED, "tmpfs", 0, "size=1m"));
	ASSERT_EQ(0, vt_write_file(WATCHED "/file", "x", 0644));
	self->vigild = start_vigild();
	ASSERT_LT(0, self->vigild) TH_LOG("vigild did not start");
}

FIXTURE_TEARDOWN(sdk)
{
	int i;

	for (i = 0; i < 4; i++)
		if (self->vendors[i] > 0) {
			kill(self->vendors[i], SIGKILL);
			vt_reap(self->vendors[i]);
		}
	kill(self->vigild, SIGTERM);
	vt_reap(self->vigild);
	umount2(WATCHED, MNT_DETACH);
	if (!__test_passed(_metadata))
		dump(_metadata, ERR);
}

/* How long an exec of vigil_child and an open of the watched file take; ms. */
static uint64_t timed_exec(pid_t *pid)
{
	char *const argv[] = { "vigil_child", "exit", "0", NULL };
	uint64_t t0 = vt_now_ns();

	*pid = vt_spawn(VT_CHILD, argv);
	vt_reap(*pid);
	return (vt_now_ns() - t0) / 1000000;
}

static uint64_t timed_open(void)
{
	uint64_t t0 = vt_now_ns();
	int fd = open(WATCHED "/file", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return (vt_now_ns() - t0) / 1000000;
}

TEST_F(sdk, a_good_a_slow_and_a_crashing_client)
{
	unsigned int exec_deadline = param_ms("auth_exec_deadline_ms");
	unsigned int open_deadline = param_ms("auth_open_deadline_ms");
	uint64_t max_exec = 0, max_open = 0, ms;
	pid_t pids[ROUNDS];
	long before, after;
	char line[64];
	int i, status, missing = 0;

	ASSERT_LT(0, exec_deadline);
	self->vendors[GOOD] = start_vendor(GOOD, "/tmp/lv_good.log");
	self->vendors[SLOW] = start_vendor(SLOW, "/tmp/lv_slow.log");
	self->vendors[CRASH] = start_vendor(CRASH, "/tmp/lv_crash.log");
	ASSERT_LT(0, self->vendors[GOOD]);
	ASSERT_LT(0, self->vendors[SLOW]);
	ASSERT_LT(0, self->vendors[CRASH]);
	before = vt_rss_kb(self->vigild);
	for (i = 0; i < ROUNDS; i++) {
		ms = timed_exec(&pids[i]);
		max_exec = ms > max_exec ? ms : max_exec;
		ms = timed_open();
		max_open = ms > max_open ? ms : max_open;
	}
	after = vt_rss_kb(self->vigild);
	TH_LOG("%d execs and opens: the longest exec %llu ms (the shim's deadline %u), open %llu ms (%u); vigild's RSS %ld kB before, %ld kB after",
	       ROUNDS, (unsigned long long)max_exec, exec_deadline,
	       (unsigned long long)max_open, open_deadline, before, after);
	EXPECT_LT(max_exec, exec_deadline);
	EXPECT_LT(max_open, open_deadline);
	EXPECT_LT(after - before, 1024);
	/* The crasher died holding an event; the slow one was cut off. */
	EXPECT_EQ(self->vendors[CRASH], waitpid(self->vendors[CRASH], &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	self->vendors[CRASH] = 0;
	EXPECT_EQ(self->vendors[SLOW], waitpid(self->vendors[SLOW], &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 10 + VIGIL_REASON_MISSES)
		TH_LOG("the slow client's status: %#x", status);
	self->vendors[SLOW] = 0;
	EXPECT_TRUE(vt_file_contains(ERR, "(slow) cut off: it missed its deadline"));
	EXPECT_TRUE(vt_file_contains("/tmp/lv_slow.log", "notice disconnected misses"));
	/* The good one is still there, was told, and saw every exec. */
	EXPECT_EQ(0, kill(self->vendors[GOOD], 0));
	EXPECT_TRUE(wait_line("/tmp/lv_good.log", "notice peer_cut_off misses slow"));
	for (i = 0; i < ROUNDS; i++) {
		snprintf(line, sizeof(line), "exec %d " VT_CHILD "\n", pids[i]);
		if (!wait_line("/tmp/lv_good.log", line))
			missing++;
	}
	EXPECT_EQ(0, missing) TH_LOG("%d of %d execs not seen by the good client",
				     missing, ROUNDS);
	EXPECT_FALSE(vt_file_contains("/tmp/lv_good.log", "respond failed"));
	if (!__test_passed(_metadata))
		dump(_metadata, "/tmp/lv_good.log");
}

TEST_F(sdk, a_restarted_broker_is_reconnected_to)
{
	char *const muted[] = { "lv_muted_prog", "exit", "0", NULL };
	char *const seen[] = { "vigil_child", "exit", "0", NULL };
	const char *log = "/tmp/lv_muter.log";
	char line[64];
	pid_t pid;

	ASSERT_EQ(0, vt_copy(VT_CHILD, MUTED_PROG, 0755));
	self->vendors[MUTER] = start_vendor(MUTER, log);
	ASSERT_LT(0, self->vendors[MUTER]);
	kill(self->vigild, SIGTERM);
	ASSERT_EQ(0, WEXITSTATUS(vt_reap(self->vigild)));
	self->vigild = start_vigild();
	ASSERT_LT(0, self->vigild);
	ASSERT_TRUE(wait_line(log, "notice disconnected - -"));
	ASSERT_TRUE(wait_line(log, "notice connected - -"));
	/* Subscribed and muted as before. */
	vt_reap(vt_spawn(MUTED_PROG, muted));
	pid = vt_spawn(VT_CHILD, seen);
	vt_reap(pid);
	snprintf(line, sizeof(line), "exec %d " VT_CHILD "\n", pid);
	EXPECT_TRUE(wait_line(log, line));
	EXPECT_FALSE(vt_file_contains(log, MUTED_PROG));
	if (!__test_passed(_metadata))
		dump(_metadata, log);
}

TEST_F(sdk, a_uid_not_on_the_allowlist_gets_eacces)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct vendor v = { 0 };
		struct vigil_client *c;

		if (setuid(STRANGER_ID))
			_exit(2);
		VIGIL_OPTS(vigil_client_opts, o, .socket_path = SOCK, .name = "stranger",
			   .on_message = on_message, .ctx = &v);
		_exit(vigil_client_open(&o, &c) == -EACCES ? 0 : 1);
	}
	status = vt_reap(pid);
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
