// SPDX-License-Identifier: GPL-2.0
/*
 * vigild serving vendor clients, end to end: the protocol of
 * Documentation/broker-protocol.rst spoken by hand (what libvigil will
 * wrap), against the real broker running as the vigil user.
 *
 *   - a client gets the records it subscribed to, in its own ring;
 *   - with two clients, any deny wins;
 *   - a client that never answers costs each exec its deadline only,
 *     until it is cut off; the others are told and go on;
 *   - a client killed in the middle of an AUTH event costs nothing more;
 *   - bad frames: a broken header ends the connection, a bad message gets
 *     its error, descriptors passed by a client end it too; a uid not on the allowlist is refused, and told so; a
 *     connection that never says hello is closed;
 *   - only root may ask for the broker's status and clients;
 *   - a client that never reads its ring is cut off, and the broker's
 *     memory does not grow.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "client_ring.h"
#include "frame_io.h"
#include "proto.h"
#include "vigil_test.h"

#define SOCK		"/tmp/vigild_clients.sock"
#define CONF		"/tmp/vigild_clients.conf"
#define ALLOW		"/tmp/vigild_clients.allow"
#define OUT		"/tmp/vigild_clients.out"
#define ERR		"/tmp/vigild_clients.err"
#define DEADLINE_MS	(150 * vt_slow())	/* the clients' deadline */

struct client {
	int fd;
	struct vigil_frame_reader rd;
	int evfd;
	uint32_t id;
	void *map;
	size_t map_len;
	struct vigil_cring ring;
	uint32_t seq;
};

static int send_frame(struct client *c, uint16_t type, const void *p, size_t len)
{
	return vigil_frame_send(c->fd, type, ++c->seq, p, len, NULL, 0, 2000) ? -1 : 0;
}

/* The next frame from the broker, whole, into @m; -1 on EOF or error. */
static int recv_msg(struct client *c, struct vigil_msg *m, int *fds, int nfds)
{
	if (vigil_frame_recv(&c->rd, c->fd, m, 5000))
		return -1;
	return vigil_frame_take_fds(&c->rd, fds, nfds) == nfds ? 0 : -1;
}

static int connect_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = SOCK };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Connect, say hello, map the ring: 0 or -1. */
static int client_open(struct client *c, const char *name)
{
	static struct vigil_msg m;
	struct vigil_msg_hello h = { .version = VIGIL_PROTO_VERSION };
	const struct vigil_msg_welcome *w = (const void *)m.payload;
	int fds[2];

	memset(c, 0, sizeof(*c));
	vigil_frame_reader_init(&c->rd, 2);
	strncpy(h.name, name, sizeof(h.name) - 1);
	c->fd = connect_socket();
	if (c->fd < 0 || send_frame(c, VIGIL_MSG_HELLO, &h, sizeof(h)) ||
	    recv_msg(c, &m, fds, 2) || m.type != VIGIL_MSG_WELCOME)
		return -1;
	c->id = w->client_id;
	c->evfd = fds[1];
	c->map_len = vigil_cring_map_size(w->ring_size);
	c->map = mmap(NULL, c->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
	close(fds[0]);
	if (c->map == MAP_FAILED)
		return -1;
	vigil_cring_init(&c->ring, c->map, w->ring_size);
	return 0;
}

static void client_close(struct client *c)
{
	if (c->map && c->map != MAP_FAILED)
		munmap(c->map, c->map_len);
	close(c->evfd);
	close(c->fd);
	vigil_frame_reader_reset(&c->rd);
}

/* A request and its result: the result's error, or -EPIPE. */
static int request(struct client *c, uint16_t type, const void *p, size_t len)
{
	static struct vigil_msg m;

	if (send_frame(c, type, p, len))
		return -EPIPE;
	do {
		if (recv_msg(c, &m, NULL, 0))
			return -EPIPE;
	} while (m.type == VIGIL_MSG_CUT_OFF);	/* notices may come first */
	return m.type == VIGIL_MSG_RESULT ?
	       ((const struct vigil_msg_result *)m.payload)->error : -EPROTO;
}

static int subscribe(struct client *c, uint64_t events)
{
	struct vigil_msg_subscribe s = { .events = events };

	return request(c, VIGIL_MSG_SUBSCRIBE, &s, sizeof(s));
}

static int respond(struct client *c, uint64_t id, uint32_t verdict)
{
	struct {
		struct vigil_msg_respond r;
		struct vigil_msg_verdict v;
	} m = { { 1, 0 }, { id, verdict, 0 } };

	return request(c, VIGIL_MSG_RESPOND, &m, sizeof(m));
}

/* Wait up to @ms for a record of @type about @tgid; its view, or NULL. */
static const struct vigil_event_view *wait_record(struct client *c, uint32_t type,
						  uint32_t tgid, int ms)
{
	static struct vigil_event_view v;
	uint64_t end = vt_now_ns() + (uint64_t)ms * 1000000;

	while (vt_now_ns() < end) {
		struct pollfd p = { .fd = c->evfd, .events = POLLIN };
		const void *rec;
		int64_t len;
		uint64_t n;

		while ((len = vigil_cring_peek(&c->ring, &rec)) > 0) {
			int hit = !vigil_event_decode(rec, (size_t)len, &v) &&
				  v.type == type && vt_event_pid(&v) == tgid;

			vigil_cring_consume(&c->ring);
			if (hit)
				return &v;
		}
		if (poll(&p, 1, 50) > 0 && read(c->evfd, &n, sizeof(n)) < 0)
			return NULL;
	}
	return NULL;
}

/* run_voter()'s @verdict for a client that dies at its first AUTH event. */
#define CRASH	99

/*
 * A client in its own process that answers every AUTH_EXEC with @verdict
 * until killed, never answers (@verdict 0), or dies holding the first
 * (CRASH).  Returns its pid once it has subscribed.
 */
static pid_t run_voter(const char *name, uint32_t verdict)
{
	int ready[2];
	char ok;
	pid_t pid;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct client c;
		const void *rec;
		int64_t len;

		if (client_open(&c, name) ||
		    subscribe(&c, VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC)))
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;) {
			struct pollfd p = { .fd = c.evfd, .events = POLLIN };
			struct vigil_event_view v;
			uint64_t n;

			if (poll(&p, 1, -1) > 0 && read(c.evfd, &n, sizeof(n)) < 0)
				_exit(1);
			while ((len = vigil_cring_peek(&c.ring, &rec)) > 0) {
				if (vigil_event_decode(rec, (size_t)len, &v) ||
				    v.type != VIGIL_EVENT_AUTH_EXEC || !verdict) {
					vigil_cring_consume(&c.ring);
					continue;
				}
				if (verdict == CRASH)
					kill(getpid(), SIGKILL);
				if (respond(&c, v.fixed.auth_exec.auth.id, verdict) < 0)
					_exit(2);
				vigil_cring_consume(&c.ring);
			}
		}
	}
	close(ready[1]);
	if (read(ready[0], &ok, 1) != 1) {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	return pid;
}

/* Exec vigil_child in a child; its exit status, and how long it took. */
static int timed_exec(uint64_t *ms)
{
	char *const argv[] = { "vigil_child", "exit", "0", NULL };
	uint64_t t0 = vt_now_ns();
	int status = vt_reap(vt_spawn(VT_CHILD, argv));

	*ms = (vt_now_ns() - t0) / 1000000;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Show what vigild said, for a test that failed. */
static void dump_file(struct __test_metadata *_metadata, const char *path)
{
	char buf[4096];

	TH_LOG("%s:\n%s", path, vt_read_text(path, buf, sizeof(buf)));
}

FIXTURE(broker) {
	pid_t vigild;
	pid_t voters[3];
};

FIXTURE_SETUP(broker)
{
	char *const argv[] = { "vigild", "--socket", SOCK, "--config", CONF, NULL };
	char conf[256];
	int i;

	memset(self, 0, sizeof(*self));
	snprintf(conf, sizeof(conf), "client_deadline_ms = %u\n"
		 "cut_off_misses = 3\n"
		 "client_ring_size = 65536\n"
		 "stall_ms = 300\n"
		 "allowlist = " ALLOW "\n", DEADLINE_MS);
	ASSERT_EQ(0, vt_write_file(CONF, conf, 0644));
	/* vigild itself (990) and root, who is always allowed. */
	ASSERT_EQ(0, vt_write_file(ALLOW, "user vigil\n", 0644));
	/* No earlier broker's words may pass for this one's. */
	unlink(SOCK);
	unlink(ERR);
	self->vigild = vt_spawn_vigild(OUT, ERR, argv);
	ASSERT_LT(0, self->vigild);
	for (i = 0; i < 500 && !vt_file_contains(ERR, "serving clients"); i++)
		usleep(10000);
	ASSERT_TRUE(vt_file_contains(ERR, "serving clients")) TH_LOG("vigild did not start");
}

FIXTURE_TEARDOWN(broker)
{
	int i;

	for (i = 0; i < 3; i++)
		if (self->voters[i] > 0) {
			kill(self->voters[i], SIGKILL);
			vt_reap(self->voters[i]);
		}
	kill(self->vigild, SIGTERM);
	vt_reap(self->vigild);
	unlink(SOCK);
	if (!__test_passed(_metadata))
		dump_file(_metadata, ERR);
}

TEST_F(broker, a_client_gets_what_it_subscribed_to)
{
	char *const argv[] = { "vigil_child", "exit", "0", NULL };
	struct client c;
	pid_t pid;

	ASSERT_EQ(0, client_open(&c, "logger"));
	EXPECT_LT(0, c.id);
	ASSERT_EQ(0, subscribe(&c, VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC)));
	pid = vt_spawn(VT_CHILD, argv);
	vt_reap(pid);
	EXPECT_NE(NULL, wait_record(&c, VIGIL_EVENT_EXEC, pid, 5000));
	/* Not subscribed to forks: none came. */
	EXPECT_EQ(NULL, wait_record(&c, VIGIL_EVENT_FORK, pid, 200));
	/* Bad requests get their error, and the connection stays. */
	EXPECT_EQ(-EINVAL, subscribe(&c, VIGIL_EVENT_BIT(VIGIL_EVENT_WATCHDOG)));
	EXPECT_EQ(-EOPNOTSUPP, request(&c, 77, NULL, 0));
	EXPECT_EQ(-EOPNOTSUPP, request(&c, VIGIL_MSG_RESULT, &(struct vigil_msg_result){ 0 },
				       sizeof(struct vigil_msg_result)));
	EXPECT_EQ(-EALREADY, request(&c, VIGIL_MSG_HELLO,
				     &(struct vigil_msg_hello){ 1, 0, "again" },
				     sizeof(struct vigil_msg_hello)));
	EXPECT_EQ(0, subscribe(&c, 0));
	client_close(&c);
}

TEST_F(broker, any_deny_wins)
{
	uint64_t ms;

	self->voters[0] = run_voter("allower", VIGIL_VERDICT_ALLOW);
	self->voters[1] = run_voter("denier", VIGIL_VERDICT_DENY);
	ASSERT_LT(0, self->voters[0]);
	ASSERT_LT(0, self->voters[1]);
	/* vigil_child exits 126 when its exec is denied: vt_spawn's rule. */
	EXPECT_NE(0, timed_exec(&ms));
	kill(self->voters[1], SIGKILL);
	vt_reap(self->voters[1]);
	self->voters[1] = 0;
	EXPECT_EQ(0, timed_exec(&ms));
}

TEST_F(broker, a_client_that_never_answers_is_cut_off)
{
	uint64_t ms;
	int i;

	self->voters[0] = run_voter("good", VIGIL_VERDICT_ALLOW);
	self->voters[1] = run_voter("silent", 0);
	ASSERT_LT(0, self->voters[1]);
	/* Each exec waits for the silent client's deadline, then goes on. */
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0, timed_exec(&ms));
		TH_LOG("exec %d with a silent client: %llu ms", i + 1,
		       (unsigned long long)ms);
		EXPECT_GE(ms, DEADLINE_MS - 20);
		EXPECT_LT(ms, 1000);	/* never the shim's deadline */
	}
	/* Three misses in a row: cut off, and the others told. */
	for (i = 0; i < 200 && !vt_file_contains(ERR, "(silent) cut off"); i++)
		usleep(10000);
	EXPECT_TRUE(vt_file_contains(ERR, "(silent) cut off: it missed its deadline"));
	EXPECT_EQ(0, timed_exec(&ms));
	TH_LOG("exec after the cut-off: %llu ms", (unsigned long long)ms);
	EXPECT_LT(ms, DEADLINE_MS);
	/* The good client is still there. */
	EXPECT_EQ(0, kill(self->voters[0], 0));
}

TEST_F(broker, a_client_killed_mid_event_costs_nothing_more)
{
	uint64_t ms;

	self->voters[0] = run_voter("good", VIGIL_VERDICT_ALLOW);
	self->voters[1] = run_voter("crasher", CRASH);
	ASSERT_LT(0, self->voters[1]);
	/* It dies holding the event: its socket closes, it counts as missing. */
	EXPECT_EQ(0, timed_exec(&ms));
	TH_LOG("exec with a client killed mid-event: %llu ms",
	       (unsigned long long)ms);
	EXPECT_LT(ms, DEADLINE_MS);
	EXPECT_EQ(self->voters[1], waitpid(self->voters[1], NULL, 0));
	self->voters[1] = 0;
	/* The good one goes on. */
	EXPECT_EQ(0, timed_exec(&ms));
	EXPECT_LT(ms, DEADLINE_MS);
}

TEST_F(broker, a_broken_header_ends_the_connection)
{
	struct vigil_frame_hdr h = { .len = 100000, .version = 1, .type = 1 };
	struct client c;
	char byte;

	ASSERT_EQ(0, client_open(&c, "broken"));
	ASSERT_EQ(sizeof(h), send(c.fd, &h, sizeof(h), MSG_NOSIGNAL));
	/* The cut-off notice, then the end. */
	while (recv(c.fd, &byte, 1, 0) == 1)
		;
	EXPECT_TRUE(vt_file_contains(ERR, "(broken) cut off: it broke the protocol"));
	client_close(&c);
	/* Others are served as before. */
	ASSERT_EQ(0, client_open(&c, "after"));
	EXPECT_EQ(0, subscribe(&c, 0));
	client_close(&c);
}

/* Descriptors are the broker's to pass: a client that sends one is cut off. */
TEST_F(broker, a_client_passing_descriptors_is_cut_off)
{
	struct client c;
	int fd = dup(0);
	char byte;

	ASSERT_EQ(0, client_open(&c, "passer"));
	ASSERT_EQ(0, vigil_frame_send(c.fd, VIGIL_MSG_STATS, 9, NULL, 0, &fd, 1, 2000));
	close(fd);
	while (recv(c.fd, &byte, 1, 0) == 1)
		;
	EXPECT_TRUE(vt_file_contains(ERR, "(passer) cut off: it broke the protocol"));
	client_close(&c);
}

TEST_F(broker, a_request_before_hello_and_a_half_closed_socket)
{
	struct client c = { .fd = connect_socket() };
	char byte;

	vigil_frame_reader_init(&c.rd, 0);
	ASSERT_LE(0, c.fd);
	EXPECT_EQ(-ENOTCONN, subscribe(&c, 0));
	ASSERT_EQ(0, shutdown(c.fd, SHUT_WR));
	/* The broker sees the end, and closes its side. */
	EXPECT_EQ(0, recv(c.fd, &byte, 1, 0));
	close(c.fd);
}

TEST_F(broker, a_uid_not_on_the_allowlist_is_refused)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		static struct vigil_msg m;
		struct client c = { 0 };

		if (setuid(1234))
			_exit(2);
		vigil_frame_reader_init(&c.rd, 0);
		c.fd = connect_socket();
		if (c.fd < 0)
			_exit(3);
		/* Told why, before any hello; then closed. */
		if (recv_msg(&c, &m, NULL, 0) || m.type != VIGIL_MSG_RESULT || m.seq ||
		    ((const struct vigil_msg_result *)m.payload)->error != -EACCES)
			_exit(4);
		_exit(recv_msg(&c, &m, NULL, 0) ? 0 : 5);
	}
	status = vt_reap(pid);
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_TRUE(vt_file_contains(ERR, "refused a client: uid 1234 is not on the allowlist"));
}

/* A connection that says nothing holds a slot for stall_ms only. */
TEST_F(broker, a_client_that_never_says_hello_is_closed)
{
	struct client c = { .fd = connect_socket() };
	uint64_t t0 = vt_now_ns(), ms;
	char byte;

	ASSERT_LE(0, c.fd);
	EXPECT_EQ(0, recv(c.fd, &byte, 1, 0));
	ms = (vt_now_ns() - t0) / 1000000;
	TH_LOG("closed after %llu ms without a hello", (unsigned long long)ms);
	EXPECT_GE(ms, 300 - 20);	/* stall_ms */
	EXPECT_LT(ms, 3000);
	EXPECT_TRUE(vt_file_contains(ERR, "closed: no hello within 300 ms"));
	close(c.fd);
}

/* The broker's status and clients are root's to ask; vigild's own uid is not root. */
TEST_F(broker, administration_is_for_root)
{
	static struct vigil_msg m;
	struct vigil_msg_clients_req req = { 0 };
	struct client admin = { .fd = connect_socket() }, other;
	const struct vigil_msg_broker_status *st = (const void *)m.payload;
	const struct vigil_msg_clients *page = (const void *)m.payload;
	char *const argv[] = { "vigil_child", "exit", "0", NULL };
	pid_t pid;
	int status;

	vt_reap(vt_spawn(VT_CHILD, argv));	/* an event or three for vigild */
	vigil_frame_reader_init(&admin.rd, 0);
	ASSERT_LE(0, admin.fd);
	ASSERT_EQ(0, client_open(&other, "listed"));
	ASSERT_EQ(0, send_frame(&admin, VIGIL_MSG_BROKER_STATUS, NULL, 0));
	ASSERT_EQ(0, recv_msg(&admin, &m, NULL, 0));
	ASSERT_EQ(VIGIL_MSG_BROKER_STATUS_REPLY, m.type);
	EXPECT_EQ(1, st->clients);
	EXPECT_EQ(1, st->abi_major);
	EXPECT_LT(0, st->delivered);
	EXPECT_EQ(VIGIL_EVENT_AUTH_EXEC, st->auth[0].type);
	ASSERT_EQ(0, send_frame(&admin, VIGIL_MSG_CLIENTS, &req, sizeof(req)));
	ASSERT_EQ(0, recv_msg(&admin, &m, NULL, 0));
	ASSERT_EQ(VIGIL_MSG_CLIENTS_REPLY, m.type);
	EXPECT_EQ(1, page->total);	/* not the one asking */
	EXPECT_EQ(1, page->count);
	EXPECT_STREQ("listed", page->c[0].name);
	EXPECT_EQ(getpid(), page->c[0].pid);
	pid = fork();
	if (pid == 0) {
		struct client c = { 0 };

		if (setuid(VT_BROKER_ID))	/* on the allowlist, not root */
			_exit(2);
		vigil_frame_reader_init(&c.rd, 0);
		c.fd = connect_socket();
		if (c.fd < 0 || send_frame(&c, VIGIL_MSG_BROKER_STATUS, NULL, 0) ||
		    recv_msg(&c, &m, NULL, 0) || m.type != VIGIL_MSG_RESULT)
			_exit(3);
		_exit(((const struct vigil_msg_result *)m.payload)->error == -EPERM ? 0 : 4);
	}
	status = vt_reap(pid);
	EXPECT_EQ(0, WEXITSTATUS(status));
	client_close(&other);
	client_close(&admin);
}

/* A client that never reads its ring is cut off; the broker stays small. */
TEST_F(broker, a_client_that_never_reads_is_cut_off)
{
	char *const argv[] = { "vigil_child", "exit", "0", NULL };
	struct client c;
	long before, after;
	int i;

	ASSERT_EQ(0, client_open(&c, "deaf"));
	ASSERT_EQ(0, subscribe(&c, VIGIL_EVENT_BIT(VIGIL_EVENT_FORK) |
			       VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC) |
			       VIGIL_EVENT_BIT(VIGIL_EVENT_EXIT)));
	before = vt_rss_kb(self->vigild);
	for (i = 0; i < 3000 && !vt_file_contains(ERR, "(deaf) cut off"); i++)
		vt_reap(vt_spawn(VT_CHILD, argv));
	after = vt_rss_kb(self->vigild);
	TH_LOG("cut off after %d execs; vigild's RSS %ld kB before, %ld kB after",
	       i, before, after);
	EXPECT_TRUE(vt_file_contains(ERR, "(deaf) cut off: it stopped reading"));
	EXPECT_LT(after - before, 1024);
	client_close(&c);
}

TEST_HARNESS_MAIN
