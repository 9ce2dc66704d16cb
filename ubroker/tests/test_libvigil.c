// SPDX-License-Identifier: GPL-2.0
/*
 * libvigil against vigild's own client code (clients.c, fanout.c), on a
 * real unix socket: the broker runs in a thread of this test, records are
 * handed to it as vigild hands it the shim's, and the verdicts it would
 * send the shim are noted.  Only the shim is left out; the VM tests put
 * it back (libvigil_test).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <vigil/vigil.h>

#include "clients.h"
#include "event.h"
#include "frame_io.h"
#include "record_builder.h"

#define DEADLINE_MS	100
#define EXEC_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC)
#define FORK_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_FORK)
#define AUTH_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC)

static char sock_path[108];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- the broker, in a thread ---------------------------------------------- */

#define QUEUE_MAX	256
#define VERDICTS_MAX	512

static struct broker {
	pthread_t thread;
	pthread_mutex_t lock;		/* guards everything below */
	int cmd[2];			/* a pipe: wake the thread */
	struct vigild_clients *cl;
	int stop, restart;
	struct rb queue[QUEUE_MAX];
	unsigned int nr_queued;
	struct { uint64_t id; uint32_t verdict, flags; } verdicts[VERDICTS_MAX];
	unsigned int nr_verdicts;
	unsigned int resubscribes;	/* the shim subscribed anew */
	int resubscribe_err;		/* what the shim answers that */
	struct vigild_config cfg;
	struct allowlist allow;
} B;

static void on_verdict(void *ctx, uint64_t id, uint32_t verdict, uint32_t flags)
{
	(void)ctx;
	/* Called on the broker thread, which holds the lock. */
	if (B.nr_verdicts < VERDICTS_MAX)
		B.verdicts[B.nr_verdicts++] = (typeof(B.verdicts[0])){ id, verdict, flags };
}

static int on_resubscribe(void *ctx)
{
	(void)ctx;
	/* Called on the broker thread, which holds the lock. */
	B.resubscribes++;
	return B.resubscribe_err;
}

static void on_status(void *ctx, struct vigil_msg_broker_status *st)
{
	(void)ctx;
	st->delivered = 7;
}

static struct vigild_clients *broker_listen(void)
{
	const struct vigild_clients_ops ops = {
		.verdict = on_verdict, .resubscribe = on_resubscribe,
		.status = on_status,
	};
	char err[256];
	struct vigild_clients *cl = vigild_clients_new(sock_path, &B.cfg, &B.allow, 1, 2,
						       &ops, err, sizeof(err));

	if (!cl)
		fail_msg("broker: %s", err);
	return cl;
}

static void broker_feed(void)
{
	unsigned int i;

	for (i = 0; i < B.nr_queued; i++) {
		struct vigil_event_view v;

		assert_int_equal(0, vigil_event_decode(B.queue[i].buf, B.queue[i].len, &v));
		vigild_clients_record(B.cl, B.queue[i].buf, B.queue[i].len, &v, 1);
	}
	B.nr_queued = 0;
	vigild_clients_wake(B.cl);
}

static void *broker_main(void *arg)
{
	struct pollfd pfd[1 + 16];

	(void)arg;
	for (;;) {
		int n, timeout;
		char c;

		pthread_mutex_lock(&B.lock);
		if (B.stop) {
			pthread_mutex_unlock(&B.lock);
			return NULL;
		}
		if (B.restart) {
			/* A broker that stops and starts again on the same path. */
			vigild_clients_free(B.cl);
			B.cl = broker_listen();
			B.restart = 0;
		}
		broker_feed();
		n = vigild_clients_pollfds(B.cl, pfd + 1, 16);
		timeout = vigild_clients_timeout_ms(B.cl);
		pthread_mutex_unlock(&B.lock);
		pfd[0] = (struct pollfd){ .fd = B.cmd[0], .events = POLLIN };
		poll(pfd, (nfds_t)n + 1, timeout < 0 || timeout > 50 ? 50 : timeout);
		if (pfd[0].revents & POLLIN)
			(void)!read(B.cmd[0], &c, 1);
		pthread_mutex_lock(&B.lock);
		vigild_clients_poll(B.cl, pfd + 1, n);
		pthread_mutex_unlock(&B.lock);
	}
}

static void broker_kick(void)
{
	(void)!write(B.cmd[1], "k", 1);
}

static void broker_start(uint32_t max_clients)
{
	memset(&B.queue, 0, sizeof(B.queue));
	B.nr_queued = B.nr_verdicts = 0;
	B.stop = B.restart = 0;
	vigild_config_defaults(&B.cfg);
	B.cfg.client_deadline_ms = DEADLINE_MS;
	B.cfg.cut_off_misses = 2;
	B.cfg.stall_ms = 300;
	B.cfg.client_ring_size = 65536;
	B.cfg.max_clients = max_clients;
	memset(&B.allow, 0, sizeof(B.allow));
	B.allow.users[B.allow.n_users++] = 1234;
	snprintf(sock_path, sizeof(sock_path), "/tmp/test_libvigil.%d.sock", (int)getpid());
	assert_int_equal(0, pipe2(B.cmd, O_CLOEXEC | O_NONBLOCK));
	pthread_mutex_init(&B.lock, NULL);
	B.cl = broker_listen();
	assert_int_equal(0, pthread_create(&B.thread, NULL, broker_main, NULL));
}

static void broker_stop(void)
{
	pthread_mutex_lock(&B.lock);
	B.stop = 1;
	pthread_mutex_unlock(&B.lock);
	broker_kick();
	pthread_join(B.thread, NULL);
	vigild_clients_free(B.cl);
	close(B.cmd[0]);
	close(B.cmd[1]);
	unlink(sock_path);
}

static void broker_restart(void)
{
	pthread_mutex_lock(&B.lock);
	B.restart = 1;
	pthread_mutex_unlock(&B.lock);
	broker_kick();
}

/* Hand the broker a record, as vigild does with the shim's. */
static void broker_record(const struct rb *rb)
{
	pthread_mutex_lock(&B.lock);
	assert_true(B.nr_queued < QUEUE_MAX);
	B.queue[B.nr_queued++] = *rb;
	pthread_mutex_unlock(&B.lock);
	broker_kick();
}

static int verdict_of(uint64_t id, uint32_t *flags)
{
	unsigned int i;
	int v = 0;

	pthread_mutex_lock(&B.lock);
	for (i = 0; i < B.nr_verdicts; i++)
		if (B.verdicts[i].id == id) {
			v = (int)B.verdicts[i].verdict;
			if (flags)
				*flags = B.verdicts[i].flags;
		}
	pthread_mutex_unlock(&B.lock);
	return v;
}

/* ---- records -------------------------------------------------------------- */

static void exec_record(struct rb *rb, const char *exe, uint32_t tgid)
{
	struct vigil_exec_event *ex = rb_init(rb, VIGIL_EVENT_EXEC, sizeof(*ex), 7);

	ex->hdr.time_ns = now_ns();
	ex->proc.pid = ex->proc.tgid = tgid;
	ex->proc.uid = 1000;
	ex->argc = 3;
	rb_str(rb, VIGIL_FIELD_EXE, exe);
	rb_str(rb, VIGIL_FIELD_FILENAME, "/bin/ls");
	rb_field(rb, VIGIL_FIELD_ARGV, 0, "ls\0-l", 6);
}

static void fork_record(struct rb *rb, uint32_t tgid)
{
	struct vigil_fork_event *f = rb_init(rb, VIGIL_EVENT_FORK, sizeof(*f), 8);

	f->hdr.time_ns = now_ns();
	f->parent.pid = f->parent.tgid = tgid;
	f->child_pid = f->child_tgid = tgid + 1;
}

/* An AUTH_EXEC whose shim deadline is 10 s away. */
static void auth_record(struct rb *rb, uint64_t id, const char *exe)
{
	struct vigil_auth_exec_event *ev;

	rb_auth_exec(rb, id, exe);
	ev = (void *)rb->buf;
	ev->hdr.time_ns = now_ns();
	ev->auth.deadline_ns = now_ns() + 10000000000ULL;
}

/* ---- clients -------------------------------------------------------------- */

#define SEEN_MAX	32

struct seen {
	struct vigil_message *m[SEEN_MAX];
	unsigned int n;
	struct vigil_notice notices[SEEN_MAX];
	char names[SEEN_MAX][VIGIL_NAME_MAX];
	unsigned int nr_notices;
	uint32_t answer;		/* for AUTH: 0 none, or a verdict */
	uint32_t answer_flags;
	int respond_err;
};

static void on_message(struct vigil_client *c, const struct vigil_message *m, void *ctx)
{
	struct seen *s = ctx;

	if (s->answer && vigil_message_is_auth(m))
		s->respond_err = vigil_respond(c, m, s->answer, s->answer_flags);
	if (s->n < SEEN_MAX)
		s->m[s->n++] = vigil_message_copy(m);
}

static void on_notice(struct vigil_client *c, const struct vigil_notice *n, void *ctx)
{
	struct seen *s = ctx;

	(void)c;
	if (s->nr_notices < SEEN_MAX) {
		s->notices[s->nr_notices] = *n;
		strcpy(s->names[s->nr_notices], n->name);
		s->nr_notices++;
	}
}

static void seen_free(struct seen *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		vigil_message_free(s->m[i]);
	memset(s, 0, sizeof(*s));
}

static int open_client(const char *name, struct seen *s, uint32_t flags,
		       struct vigil_client **c)
{
	VIGIL_OPTS(vigil_client_opts, o, .socket_path = sock_path, .name = name,
		   .on_message = on_message, .on_notice = on_notice, .ctx = s,
		   .flags = flags, .request_timeout_ms = 2000, .reconnect_max_ms = 200);

	return vigil_client_open(&o, c);
}

/* Process @c until @s holds @n messages, or 2 s pass; the count. */
static unsigned int wait_messages(struct vigil_client *c, struct seen *s, unsigned int n)
{
	uint64_t end = now_ns() + 2000000000ULL;

	while (s->n < n && now_ns() < end)
		vigil_client_poll(c, 20);
	return s->n;
}

/* Process @c until a notice of @kind, or 3 s pass; it, or NULL. */
static const struct vigil_notice *wait_notice(struct vigil_client *c, struct seen *s,
					      uint32_t kind)
{
	uint64_t end = now_ns() + 3000000000ULL;

	for (;;) {
		unsigned int i;

		for (i = 0; i < s->nr_notices; i++)
			if (s->notices[i].kind == kind)
				return &s->notices[i];
		if (now_ns() > end)
			return NULL;
		vigil_client_poll(c, 20);
	}
}

/* Process for @ms, whatever comes. */
static void spin(struct vigil_client *c, int ms)
{
	uint64_t end = now_ns() + (uint64_t)ms * 1000000ULL;

	while (now_ns() < end)
		vigil_client_poll(c, 10);
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	broker_start(4);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	broker_stop();
	return 0;
}

/* ---- the tests ------------------------------------------------------------ */

static void events_arrive_with_their_fields(void **state)
{
	struct vigil_client_info info = { .sz = sizeof(info) };
	struct vigil_client_stats st = { .sz = sizeof(st) };
	struct vigil_client *c;
	struct seen s = { 0 };
	const struct vigil_message *m;
	struct rb rb;

	(void)state;
	assert_int_equal(0, open_client("fields", &s, 0, &c));
	assert_int_equal(0, vigil_client_info(c, &info));
	assert_true(info.connected);
	assert_int_not_equal(0, info.client_id);
	assert_int_equal(DEADLINE_MS, info.deadline_ms);
	assert_int_equal(65536, info.ring_size);
	assert_int_equal(1, info.abi_major);
	assert_int_equal(2, info.abi_minor);
	assert_int_equal(0, vigil_subscribe(c, EXEC_BIT));
	fork_record(&rb, 50);		/* not subscribed: not delivered */
	broker_record(&rb);
	exec_record(&rb, "/usr/bin/ls", 42);
	broker_record(&rb);
	assert_int_equal(1, wait_messages(c, &s, 1));
	m = s.m[0];
	assert_int_equal(VIGIL_EVENT_EXEC, vigil_message_type(m));
	assert_int_equal(VIGIL_EVENT_VERSION, vigil_message_version(m));
	assert_true(vigil_message_known(m));
	assert_int_equal(7, vigil_message_seq(m));
	assert_string_equal("/usr/bin/ls", vigil_message_exe(m));
	assert_string_equal("/bin/ls", vigil_message_filename(m));
	assert_null(vigil_message_path(m));
	assert_string_equal("ls", vigil_message_arg(m, 0));
	assert_string_equal("-l", vigil_message_arg(m, 1));
	assert_null(vigil_message_arg(m, 2));	/* argc 3, two recorded */
	assert_int_equal(2, vigil_message_arg_count(m));
	assert_int_equal(42, vigil_message_process(m)->tgid);
	assert_int_equal(3, vigil_message_exec(m)->argc);
	assert_null(vigil_message_fork(m));
	assert_false(vigil_message_is_auth(m));
	assert_int_equal(0, vigil_message_deadline_ns(m));
	assert_int_equal(0, vigil_client_stats(c, &st));
	assert_int_equal(1, st.events);
	assert_int_equal(1, st.messages);
	assert_int_equal(0, st.dropped);
	vigil_client_close(c);
	seen_free(&s);
}

static void any_deny_wins_and_caching_takes_every_allow(void **state)
{
	struct vigil_client *a, *b;
	struct seen sa = { .answer = VIGIL_VERDICT_ALLOW, .answer_flags = VIGIL_VERDICT_F_CACHE };
	struct seen sb = { .answer = VIGIL_VERDICT_DENY };
	uint32_t flags = 99;
	struct rb rb;

	(void)state;
	assert_int_equal(0, open_client("allower", &sa, 0, &a));
	assert_int_equal(0, open_client("denier", &sb, 0, &b));
	assert_int_equal(0, vigil_subscribe(a, AUTH_BIT));
	assert_int_equal(0, vigil_subscribe(b, AUTH_BIT));
	auth_record(&rb, 9, "/tmp/x");
	broker_record(&rb);
	assert_int_equal(1, wait_messages(a, &sa, 1));
	assert_int_equal(1, wait_messages(b, &sb, 1));
	assert_int_equal(0, sa.respond_err);
	assert_int_equal(0, sb.respond_err);
	spin(a, 50);
	assert_int_equal(VIGIL_VERDICT_DENY, verdict_of(9, &flags));
	assert_int_equal(0, flags);
	/* The deadline a client sees is before the shim's, after the event. */
	assert_true(vigil_message_deadline_ns(sa.m[0]) > vigil_message_time_ns(sa.m[0]));
	assert_true(vigil_message_deadline_ns(sa.m[0]) <=
		    vigil_message_time_ns(sa.m[0]) + DEADLINE_MS * 1000000ULL);
	/* Both allow with the cache flag: cached. */
	sb.answer = VIGIL_VERDICT_ALLOW;
	sb.answer_flags = VIGIL_VERDICT_F_CACHE;
	auth_record(&rb, 10, "/usr/bin/x");
	broker_record(&rb);
	assert_int_equal(2, wait_messages(a, &sa, 2));
	assert_int_equal(2, wait_messages(b, &sb, 2));
	spin(b, 50);
	assert_int_equal(VIGIL_VERDICT_ALLOW, verdict_of(10, &flags));
	assert_int_equal(VIGIL_VERDICT_F_CACHE, flags);
	vigil_client_close(a);
	vigil_client_close(b);
	seen_free(&sa);
	seen_free(&sb);
}

/*
 * A burst of AUTH events answered in one go: the broker's acknowledgements
 * are read as they come, so that it never finds the client not reading.
 */
static void a_burst_of_answers_in_one_go(void **state)
{
	struct vigil_client_stats st = { .sz = sizeof(st) };
	struct seen s = { .answer = VIGIL_VERDICT_ALLOW };
	struct vigil_client *c;
	unsigned int i, decided = 0;

	(void)state;
	assert_int_equal(0, open_client("burst", &s, 0, &c));
	assert_int_equal(0, vigil_subscribe(c, AUTH_BIT));
	pthread_mutex_lock(&B.lock);	/* all at once, as one batch */
	for (i = 0; i < 250; i++) {
		auth_record(&B.queue[B.nr_queued], 1000 + i, "/bin/burst");
		B.nr_queued++;
	}
	pthread_mutex_unlock(&B.lock);
	broker_kick();
	spin(c, 300);
	for (i = 0; i < 250; i++)
		decided += verdict_of(1000 + i, NULL) == VIGIL_VERDICT_ALLOW;
	assert_int_equal(250, decided);
	assert_int_equal(0, vigil_client_stats(c, &st));
	assert_int_equal(250, st.auth_answered);
	assert_int_equal(0, st.reconnects);
	assert_int_equal(0, st.responses_late);
	vigil_client_close(c);
	seen_free(&s);
}

/* Watchdog records say why events stop: every client gets them. */
static void watchdog_records_reach_every_client(void **state)
{
	struct vigil_client *c;
	struct seen s = { 0 };
	struct vigil_watchdog_event *w;
	struct rb rb;

	(void)state;
	assert_int_equal(0, open_client("unsubscribed", &s, 0, &c));
	w = rb_init(&rb, VIGIL_EVENT_WATCHDOG, sizeof(*w), 3);
	w->state = VIGIL_WATCHDOG_TRIPPED;
	w->reason = VIGIL_FAULT_BROKER_HUNG;
	broker_record(&rb);
	assert_int_equal(1, wait_messages(c, &s, 1));
	assert_int_equal(VIGIL_WATCHDOG_TRIPPED, vigil_message_watchdog(s.m[0])->state);
	vigil_client_close(c);
	seen_free(&s);
}

/* Its own exec would wait on itself: the broker does not ask it. */
static void a_client_is_not_asked_about_itself(void **state)
{
	struct vigil_client *c;
	struct seen s = { .answer = VIGIL_VERDICT_ALLOW };
	struct vigil_auth_exec_event *ev;
	struct rb rb;

	(void)state;
	assert_int_equal(0, open_client("self", &s, 0, &c));
	assert_int_equal(0, vigil_subscribe(c, AUTH_BIT));
	auth_record(&rb, 31, "/bin/self");
	ev = (void *)rb.buf;
	ev->proc.pid = ev->proc.tgid = (uint32_t)getpid();
	broker_record(&rb);
	auth_record(&rb, 32, "/bin/other");
	broker_record(&rb);
	assert_int_equal(1, wait_messages(c, &s, 1));
	spin(c, 50);
	assert_int_equal(1, s.n);
	assert_int_equal(32, vigil_message_auth_id(s.m[0]));
	vigil_client_close(c);
	seen_free(&s);
}

static void bad_answers_are_refused_here(void **state)
{
	struct vigil_client_stats st = { .sz = sizeof(st) };
	const struct vigil_message *auth, *exec;
	struct vigil_client *c;
	struct seen s = { 0 };
	struct rb rb;

	(void)state;
	assert_int_equal(0, open_client("answers", &s, 0, &c));
	assert_int_equal(0, vigil_subscribe(c, AUTH_BIT | EXEC_BIT));
	exec_record(&rb, "/bin/true", 42);
	broker_record(&rb);
	auth_record(&rb, 11, "/bin/true");
	broker_record(&rb);
	assert_int_equal(2, wait_messages(c, &s, 2));
	/* The AUTH lane is read first: the two may come in either order. */
	auth = vigil_message_is_auth(s.m[0]) ? s.m[0] : s.m[1];
	exec = auth == s.m[0] ? s.m[1] : s.m[0];
	assert_int_equal(-EINVAL, vigil_respond(c, exec, VIGIL_VERDICT_ALLOW, 0));
	assert_int_equal(-EINVAL, vigil_respond(c, auth, 3, 0));
	assert_int_equal(-EINVAL, vigil_respond(c, auth, VIGIL_VERDICT_ALLOW, 2));
	assert_int_equal(-EINVAL, vigil_respond(NULL, auth, VIGIL_VERDICT_ALLOW, 0));
	assert_int_equal(11, vigil_message_auth_id(auth));
	/* Too late: the broker's deadline passed; it says so, and counts it. */
	usleep((DEADLINE_MS + 50) * 1000);
	spin(c, 20);
	assert_int_equal(0, vigil_respond(c, auth, VIGIL_VERDICT_ALLOW, 0));
	assert_int_equal(-EALREADY, vigil_respond(c, auth, VIGIL_VERDICT_DENY, 0));
	spin(c, 50);
	assert_int_equal(0, vigil_client_stats(c, &st));
	assert_int_equal(1, st.responses);
	assert_int_equal(1, st.responses_late);
	assert_int_equal(1, st.auth_late);
	assert_int_equal(1, st.auth_missed);
	assert_int_equal(1, st.misses_in_row);
	vigil_client_close(c);
	seen_free(&s);
}

static void mutes_and_their_errors(void **state)
{
	static char long_path[VIGIL_MUTE_PATH_MAX + 1];
	struct vigil_client *c;
	struct seen s = { 0 };
	char path[64];
	struct rb rb;
	int i;

	(void)state;
	assert_int_equal(0, open_client("muter", &s, 0, &c));
	assert_int_equal(0, vigil_subscribe(c, EXEC_BIT | FORK_BIT));
	assert_int_equal(0, vigil_mute_path(c, "/usr", EXEC_BIT));
	assert_int_equal(0, vigil_mute_process(c, 60, FORK_BIT));
	assert_int_equal(0, vigil_mute_exe(c, "/bin/muted", 0));
	exec_record(&rb, "/usr/bin/ls", 42);	/* muted: under /usr */
	broker_record(&rb);
	exec_record(&rb, "/bin/muted", 43);	/* muted: the exe */
	broker_record(&rb);
	fork_record(&rb, 60);			/* muted: the process, forks */
	broker_record(&rb);
	exec_record(&rb, "/usrx/ls", 60);	/* not: /usrx is not under /usr */
	broker_record(&rb);
	assert_int_equal(1, wait_messages(c, &s, 1));
	spin(c, 50);
	assert_int_equal(1, s.n);
	assert_string_equal("/usrx/ls", vigil_message_exe(s.m[0]));
	assert_int_equal(0, vigil_unmute_path(c, "/usr"));
	exec_record(&rb, "/usr/bin/ls", 42);
	broker_record(&rb);
	assert_int_equal(2, wait_messages(c, &s, 2));
	/* Errors, each changing nothing. */
	assert_int_equal(-EINVAL, vigil_mute_path(c, "usr", 0));
	assert_int_equal(-EINVAL, vigil_mute_path(c, NULL, 0));
	assert_int_equal(-EINVAL, vigil_mute_process(c, 0, 0));
	assert_int_equal(-EINVAL, vigil_mute_process(c, 5, VIGIL_EVENT_BIT(VIGIL_EVENT_WATCHDOG)));
	assert_int_equal(-EEXIST, vigil_mute_process(c, 60, 0));
	assert_int_equal(-ENOENT, vigil_unmute_path(c, "/usr"));
	assert_int_equal(-ENOENT, vigil_unmute_process(c, 61));
	long_path[0] = '/';
	memset(long_path + 1, 'a', VIGIL_MUTE_PATH_MAX - 1);
	assert_int_equal(-ENAMETOOLONG, vigil_mute_path(c, long_path, 0));
	for (i = 0; i < 32; i++) {
		snprintf(path, sizeof(path), "/p%d", i);
		assert_int_equal(0, vigil_mute_path(c, path, 0));
	}
	assert_int_equal(-ENOSPC, vigil_mute_path(c, "/p32", 0));
	assert_int_equal(-EINVAL, vigil_subscribe(c, VIGIL_EVENT_BIT(VIGIL_EVENT_WATCHDOG)));
	assert_int_equal(-EINVAL, vigil_subscribe(c, 1ULL << 40));
	vigil_client_close(c);
	seen_free(&s);
}

/* The shim is subscribed before the client hears back; its refusal is told. */
static void the_shim_answers_a_subscription(void **state)
{
	struct vigil_client *c;
	struct seen s = { 0 };
	unsigned int before;
	struct rb rb;

	(void)state;
	assert_int_equal(0, open_client("shim", &s, 0, &c));
	pthread_mutex_lock(&B.lock);
	before = B.resubscribes;
	pthread_mutex_unlock(&B.lock);
	assert_int_equal(0, vigil_subscribe(c, EXEC_BIT));
	pthread_mutex_lock(&B.lock);
	assert_int_equal(before + 1, B.resubscribes);
	B.resubscribe_err = -ENOMEM;
	pthread_mutex_unlock(&B.lock);
	assert_int_equal(-ENOMEM, vigil_subscribe(c, FORK_BIT));
	pthread_mutex_lock(&B.lock);
	B.resubscribe_err = 0;
	pthread_mutex_unlock(&B.lock);
	/* Refused, it changed nothing: forks do not come, execs still do. */
	fork_record(&rb, 50);
	broker_record(&rb);
	exec_record(&rb, "/bin/after", 42);
	broker_record(&rb);
	assert_int_equal(1, wait_messages(c, &s, 1));
	spin(c, 50);
	assert_int_equal(1, s.n);
	assert_int_equal(VIGIL_EVENT_EXEC, vigil_message_type(s.m[0]));
	assert_int_equal(0, vigil_subscribe(c, FORK_BIT));
	vigil_client_close(c);
	seen_free(&s);
}

static void a_silent_client_is_cut_off_and_comes_back(void **state)
{
	struct vigil_client *silent, *good;
	struct seen ss = { 0 }, sg = { .answer = VIGIL_VERDICT_ALLOW };
	const struct vigil_notice *n;
	struct rb rb;

	(void)state;
	assert_int_equal(0, open_client("silent", &ss, 0, &silent));
	assert_int_equal(0, open_client("good", &sg, 0, &good));
	assert_int_equal(0, vigil_subscribe(silent, AUTH_BIT | EXEC_BIT));
	assert_int_equal(0, vigil_subscribe(good, AUTH_BIT));
	/* cut_off_misses is 2: two AUTH events it does not answer. */
	auth_record(&rb, 21, "/bin/a");
	broker_record(&rb);
	auth_record(&rb, 22, "/bin/b");
	broker_record(&rb);
	assert_int_equal(2, wait_messages(good, &sg, 2));
	n = wait_notice(good, &sg, VIGIL_NOTICE_PEER_CUT_OFF);
	assert_non_null(n);
	assert_int_equal(VIGIL_REASON_MISSES, n->reason);
	assert_string_equal("silent", n->name);
	/* Each event waited for the silent one, then allowed by policy. */
	assert_int_equal(VIGIL_VERDICT_ALLOW, verdict_of(21, NULL));
	assert_int_equal(VIGIL_VERDICT_ALLOW, verdict_of(22, NULL));
	n = wait_notice(silent, &ss, VIGIL_NOTICE_DISCONNECTED);
	assert_non_null(n);
	assert_int_equal(VIGIL_REASON_MISSES, n->reason);
	assert_true(n->reconnecting);
	n = wait_notice(silent, &ss, VIGIL_NOTICE_CONNECTED);
	assert_non_null(n);
	/* Connected again, subscribed as before. */
	exec_record(&rb, "/bin/after", 42);
	broker_record(&rb);
	assert_true(wait_messages(silent, &ss, 3) >= 3);
	assert_string_equal("/bin/after", vigil_message_exe(ss.m[ss.n - 1]));
	/* An event of the earlier connection cannot be answered on this one. */
	assert_int_equal(-ESTALE, vigil_respond(silent, ss.m[0], VIGIL_VERDICT_ALLOW, 0));
	vigil_client_close(silent);
	vigil_client_close(good);
	seen_free(&ss);
	seen_free(&sg);
}

static void a_restarted_broker_gets_the_same_state(void **state)
{
	struct vigil_client_stats st = { .sz = sizeof(st) };
	struct vigil_client *c;
	struct seen s = { 0 };
	const struct vigil_notice *n;
	struct rb rb;

	(void)state;
	assert_int_equal(0, open_client("restart", &s, 0, &c));
	assert_int_equal(0, vigil_subscribe(c, EXEC_BIT));
	assert_int_equal(0, vigil_mute_path(c, "/opt", 0));
	broker_restart();
	n = wait_notice(c, &s, VIGIL_NOTICE_DISCONNECTED);
	assert_non_null(n);
	assert_int_equal(0, n->reason);
	assert_true(n->reconnecting);
	assert_int_equal(-ENOTCONN, vigil_subscribe(c, FORK_BIT));
	assert_non_null(wait_notice(c, &s, VIGIL_NOTICE_CONNECTED));
	exec_record(&rb, "/opt/muted", 42);
	broker_record(&rb);
	exec_record(&rb, "/bin/seen", 42);
	broker_record(&rb);
	assert_int_equal(1, wait_messages(c, &s, 1));
	spin(c, 50);
	assert_int_equal(1, s.n);
	assert_string_equal("/bin/seen", vigil_message_exe(s.m[0]));
	assert_int_equal(0, vigil_client_stats(c, &st));
	assert_int_equal(1, st.reconnects);
	vigil_client_close(c);
	seen_free(&s);
}

static void without_reconnect_a_lost_broker_is_final(void **state)
{
	struct vigil_client *c;
	struct seen s = { 0 };
	const struct vigil_notice *n;

	(void)state;
	assert_int_equal(0, open_client("once", &s, VIGIL_CLIENT_F_NO_RECONNECT, &c));
	broker_restart();
	n = wait_notice(c, &s, VIGIL_NOTICE_DISCONNECTED);
	assert_non_null(n);
	assert_false(n->reconnecting);
	assert_int_equal(-ECONNRESET, vigil_client_process(c));
	assert_int_equal(-ECONNRESET, vigil_client_run(c));
	vigil_client_close(c);
}

static void bad_options_are_refused(void **state)
{
	struct {
		struct vigil_client_opts o;
		uint64_t more;
	} big;
	struct vigil_client *c = NULL;
	struct seen s = { 0 };
	VIGIL_OPTS(vigil_client_opts, o, .socket_path = sock_path, .name = "opts",
		   .on_message = on_message, .ctx = &s);
	struct vigil_client_opts bad;
	char long_path[200];

	(void)state;
	assert_int_equal(-EINVAL, vigil_client_open(NULL, &c));
	assert_int_equal(-EINVAL, vigil_client_open(&o, NULL));
	bad = o;
	bad.sz = 8;
	assert_int_equal(-EINVAL, vigil_client_open(&bad, &c));
	bad = o;
	bad.name = "";
	assert_int_equal(-EINVAL, vigil_client_open(&bad, &c));
	bad.name = "a name that is far too long for the broker";
	assert_int_equal(-EINVAL, vigil_client_open(&bad, &c));
	bad.name = "tab\there";
	assert_int_equal(-EINVAL, vigil_client_open(&bad, &c));
	bad = o;
	bad.on_message = NULL;
	assert_int_equal(-EINVAL, vigil_client_open(&bad, &c));
	bad = o;
	bad.flags = 2;
	assert_int_equal(-EINVAL, vigil_client_open(&bad, &c));
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	bad = o;
	bad.socket_path = long_path;
	assert_int_equal(-ENAMETOOLONG, vigil_client_open(&bad, &c));
	bad.socket_path = "/tmp/no-such-vigil.sock";
	assert_int_equal(-ENOENT, vigil_client_open(&bad, &c));
	/* A newer caller's longer struct: its zero tail is fine, any other not. */
	memset(&big, 0, sizeof(big));
	big.o = o;
	big.o.sz = sizeof(big);
	big.more = 1;
	assert_int_equal(-E2BIG, vigil_client_open(&big.o, &c));
	assert_null(c);
	big.more = 0;
	assert_int_equal(0, vigil_client_open(&big.o, &c));
	vigil_client_close(c);
	/* $VIGIL_SOCKET when no path is given. */
	setenv("VIGIL_SOCKET", sock_path, 1);
	bad = o;
	bad.socket_path = NULL;
	assert_int_equal(0, vigil_client_open(&bad, &c));
	unsetenv("VIGIL_SOCKET");
	vigil_client_close(c);
}

/* A peer not on the allowlist is told so, and the client says -EACCES. */
static void refusals_are_told(void **state)
{
	struct vigil_client *c[8];
	struct seen s = { 0 };
	pid_t pid;
	int status, i;

	(void)state;
	if (geteuid() != 0)
		skip();
	pid = fork();
	if (pid == 0) {
		struct vigil_client *x;

		if (setuid(4321))
			_exit(2);
		_exit(open_client("stranger", &s, 0, &x) == -EACCES ? 0 : 1);
	}
	assert_int_equal(pid, waitpid(pid, &status, 0));
	assert_int_equal(0, WEXITSTATUS(status));
	/*
	 * max_clients 4: a fifth is refused, root too (root's two more
	 * connections are for vigilctl, which says no hello).
	 */
	for (i = 0; i < 4; i++)
		assert_int_equal(0, open_client("many", &s, 0, &c[i]));
	assert_int_equal(-EUSERS, open_client("one-more", &s, 0, &c[4]));
	for (i = 0; i < 4; i++)
		vigil_client_close(c[i]);
}

/* Wait until the broker has handed out every record queued; 0 or -1. */
static int broker_fed(void)
{
	uint64_t end = now_ns() + 2000000000ULL;
	unsigned int left;

	do {
		pthread_mutex_lock(&B.lock);
		left = B.nr_queued;
		pthread_mutex_unlock(&B.lock);
		if (!left)
			return 0;
		usleep(1000);
	} while (now_ns() < end);
	return -1;
}

/*
 * An AUTH question overtakes the notifications a product has not read
 * yet (the AUTH lane): it comes first out of the next
 * vigil_client_process(), and is answered there.
 */
static void auth_overtakes_a_backlog_of_notifications(void **state)
{
	struct vigil_client_stats st = { .sz = sizeof(st) };
	struct seen s = { .answer = VIGIL_VERDICT_DENY };
	struct vigil_client *c;
	struct rb rb;
	unsigned int i;

	(void)state;
	assert_int_equal(0, open_client("backlogged", &s, 0, &c));
	assert_int_equal(0, vigil_subscribe(c, FORK_BIT | AUTH_BIT));
	for (i = 0; i < 200; i++) {
		fork_record(&rb, 100 + i);
		broker_record(&rb);
	}
	auth_record(&rb, 77, "/tmp/backlogged");
	broker_record(&rb);
	assert_int_equal(0, broker_fed());
	assert_int_equal(201, vigil_client_process(c));
	assert_int_equal(VIGIL_EVENT_AUTH_EXEC, vigil_message_type(s.m[0]));
	assert_int_equal(VIGIL_EVENT_FORK, vigil_message_type(s.m[1]));
	assert_int_equal(0, s.respond_err);
	spin(c, 50);
	assert_int_equal(VIGIL_VERDICT_DENY, verdict_of(77, NULL));
	assert_int_equal(0, vigil_client_stats(c, &st));
	assert_int_equal(201, st.messages);
	assert_int_equal(0, st.dropped);
	vigil_client_close(c);
	seen_free(&s);
}

/* A welcome whose ring could fault later is refused. */
static void a_welcome_with_a_bad_ring_is_refused(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct vigil_client *c;
	struct seen s = { 0 };
	char path[108];
	pid_t pid;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test_libvigil_bad.%d.sock", (int)getpid());
	strcpy(sa.sun_path, path);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(0, bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	assert_int_equal(0, listen(fd, 1));
	pid = fork();
	if (pid == 0) {
		/* A broker whose memfd is not sealed and too small. */
		struct vigil_msg_welcome w = { 1, 100, 65536, 1, 2 };
		struct vigil_frame_reader rd;
		struct vigil_msg m;
		int peer = accept(fd, NULL, NULL);
		int fds[2] = { memfd_create("bad", 0), eventfd(0, 0) };

		vigil_frame_reader_init(&rd, 0);
		if (vigil_frame_recv(&rd, peer, &m, 2000) || ftruncate(fds[0], 4096))
			_exit(1);
		vigil_frame_send(peer, VIGIL_MSG_WELCOME, m.seq, &w, sizeof(w), fds, 2, 1000);
		sleep(1);
		_exit(0);
	}
	VIGIL_OPTS(vigil_client_opts, o, .socket_path = path, .name = "trusting",
		   .on_message = on_message, .ctx = &s);
	assert_int_equal(-EPROTO, vigil_client_open(&o, &c));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(events_arrive_with_their_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(any_deny_wins_and_caching_takes_every_allow,
						setup, teardown),
		cmocka_unit_test_setup_teardown(watchdog_records_reach_every_client,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_burst_of_answers_in_one_go, setup, teardown),
		cmocka_unit_test_setup_teardown(a_client_is_not_asked_about_itself, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_answers_are_refused_here, setup, teardown),
		cmocka_unit_test_setup_teardown(mutes_and_their_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(the_shim_answers_a_subscription, setup, teardown),
		cmocka_unit_test_setup_teardown(a_silent_client_is_cut_off_and_comes_back,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_restarted_broker_gets_the_same_state,
						setup, teardown),
		cmocka_unit_test_setup_teardown(without_reconnect_a_lost_broker_is_final,
						setup, teardown),
		cmocka_unit_test_setup_teardown(bad_options_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(refusals_are_told, setup, teardown),
		cmocka_unit_test_setup_teardown(auth_overtakes_a_backlog_of_notifications,
						setup, teardown),
		cmocka_unit_test(a_welcome_with_a_bad_ring_is_refused),
	};

	return cmocka_run_group_tests_name("libvigil", tests, NULL, NULL);
}
