// SPDX-License-Identifier: GPL-2.0
/*
 * vigild's sd_notify(3): what systemd receives on its notification
 * socket, when the watchdog pings, and what a bad environment is told.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

#define MS(x)	((uint64_t)(x) * 1000000ULL)

struct manager {
	int fd;
	char path[108];
};

/* Play systemd: a datagram socket at a fresh path, in $NOTIFY_SOCKET. */
static int manager_setup(void **state)
{
	static struct manager m;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(m.path, sizeof(m.path), "/tmp/vigil-notify-%d", getpid());
	unlink(m.path);
	strcpy(sa.sun_path, m.path);
	m.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(m.fd >= 0);
	assert_int_equal(0, bind(m.fd, (struct sockaddr *)&sa, sizeof(sa)));
	setenv("NOTIFY_SOCKET", m.path, 1);
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	*state = &m;
	return 0;
}

static int manager_teardown(void **state)
{
	struct manager *m = *state;

	close(m->fd);
	unlink(m->path);
	return 0;
}

/* The next datagram, or "" if none waits. */
static const char *received(struct manager *m)
{
	static char buf[256];
	ssize_t n = recv(m->fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void ready_and_stopping_reach_the_manager(void **state)
{
	struct manager *m = *state;
	struct vigild_notify n;
	char err[256];

	assert_int_equal(0, vigild_notify_open(&n, 0, err, sizeof(err)));
	assert_int_equal(0, vigild_notify_send(&n, "READY=1"));
	assert_string_equal("READY=1", received(m));
	assert_int_equal(0, vigild_notify_send(&n, "STOPPING=1"));
	assert_string_equal("STOPPING=1", received(m));
	assert_int_equal(-1, vigild_notify_timeout_ms(&n, 0));	/* no watchdog */
	vigild_notify_close(&n);
}

/* WatchdogSec=2s: a ping every second, from the loop's clock. */
static void the_watchdog_pings_at_half_its_period(void **state)
{
	struct manager *m = *state;
	struct vigild_notify n;
	char err[256];

	setenv("WATCHDOG_USEC", "2000000", 1);
	assert_int_equal(0, vigild_notify_open(&n, MS(5000), err, sizeof(err)));
	assert_int_equal(1000, vigild_notify_timeout_ms(&n, MS(5000)));
	vigild_notify_tick(&n, MS(5999));
	assert_string_equal("", received(m));
	assert_int_equal(1, vigild_notify_timeout_ms(&n, MS(5999)));
	vigild_notify_tick(&n, MS(6000));
	assert_string_equal("WATCHDOG=1", received(m));
	assert_int_equal(1000, vigild_notify_timeout_ms(&n, MS(6000)));
	/* A loop that was late pings at once, and counts from then. */
	assert_int_equal(0, vigild_notify_timeout_ms(&n, MS(9000)));
	vigild_notify_tick(&n, MS(9000));
	assert_string_equal("WATCHDOG=1", received(m));
	assert_string_equal("", received(m));
	assert_int_equal(1000, vigild_notify_timeout_ms(&n, MS(9000)));
	vigild_notify_close(&n);
}

/* WATCHDOG_PID names another process: the watchdog is not vigild's. */
static void a_watchdog_for_another_pid_is_ignored(void **state)
{
	struct vigild_notify n;
	char err[256], pid[32];

	(void)state;
	snprintf(pid, sizeof(pid), "%d", getpid() + 1);
	setenv("WATCHDOG_USEC", "2000000", 1);
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(0, vigild_notify_open(&n, 0, err, sizeof(err)));
	assert_int_equal(-1, vigild_notify_timeout_ms(&n, 0));
	vigild_notify_close(&n);
	snprintf(pid, sizeof(pid), "%d", getpid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(0, vigild_notify_open(&n, 0, err, sizeof(err)));
	assert_int_equal(1000, vigild_notify_timeout_ms(&n, 0));
	vigild_notify_close(&n);
}

/* Not started by systemd: nothing to do, and nothing fails. */
static void without_notify_socket_nothing_happens(void **state)
{
	struct vigild_notify n;
	char err[256];

	(void)state;
	unsetenv("NOTIFY_SOCKET");
	setenv("WATCHDOG_USEC", "2000000", 1);
	assert_int_equal(0, vigild_notify_open(&n, 0, err, sizeof(err)));
	assert_int_equal(-1, n.fd);
	assert_int_equal(0, vigild_notify_send(&n, "READY=1"));
	assert_int_equal(-1, vigild_notify_timeout_ms(&n, 0));
	vigild_notify_tick(&n, MS(1000000));
	vigild_notify_close(&n);
}

static void expect_refused(const char *var, const char *value, int want,
			   const char *why)
{
	struct vigild_notify n;
	char err[256];

	setenv(var, value, 1);
	assert_int_equal(want, vigild_notify_open(&n, 0, err, sizeof(err)));
	assert_non_null(strstr(err, why));
	assert_int_equal(-1, n.fd);
}

static void a_bad_environment_is_refused_with_why(void **state)
{
	struct manager *m = *state;

	expect_refused("WATCHDOG_USEC", "abc", -EINVAL, "WATCHDOG_USEC='abc'");
	expect_refused("WATCHDOG_USEC", "0", -EINVAL, "not a number of microseconds");
	expect_refused("WATCHDOG_USEC", "-5", -EINVAL, "WATCHDOG_USEC='-5'");
	setenv("WATCHDOG_USEC", "1000", 1);
	expect_refused("WATCHDOG_PID", "x1", -EINVAL, "WATCHDOG_PID='x1'");
	unsetenv("WATCHDOG_PID");
	expect_refused("NOTIFY_SOCKET", "relative/path", -EINVAL, "not an absolute path");
	expect_refused("NOTIFY_SOCKET", "/nonexistent/notify", -ENOENT,
		       "cannot connect to NOTIFY_SOCKET /nonexistent/notify");
	assert_string_equal("", received(m));
}

/* "@name": systemd's abstract namespace socket. */
static void an_abstract_socket_is_reached(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char name[sizeof(((struct sockaddr_un *)0)->sun_path) + 1], err[256], buf[32];
	struct vigild_notify n;
	socklen_t len;
	int fd;
	ssize_t got;

	(void)state;
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			  snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1,
				   "vigil-notify-%d", getpid()));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_int_equal(0, bind(fd, (struct sockaddr *)&sa, len));
	snprintf(name, sizeof(name), "@%s", sa.sun_path + 1);
	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(0, vigild_notify_open(&n, 0, err, sizeof(err)));
	assert_int_equal(0, vigild_notify_send(&n, "READY=1"));
	got = recv(fd, buf, sizeof(buf) - 1, 0);
	assert_int_equal(7, got);
	buf[got] = '\0';
	assert_string_equal("READY=1", buf);
	vigild_notify_close(&n);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ready_and_stopping_reach_the_manager,
						manager_setup, manager_teardown),
		cmocka_unit_test_setup_teardown(the_watchdog_pings_at_half_its_period,
						manager_setup, manager_teardown),
		cmocka_unit_test_setup_teardown(a_watchdog_for_another_pid_is_ignored,
						manager_setup, manager_teardown),
		cmocka_unit_test_setup_teardown(without_notify_socket_nothing_happens,
						manager_setup, manager_teardown),
		cmocka_unit_test_setup_teardown(a_bad_environment_is_refused_with_why,
						manager_setup, manager_teardown),
		cmocka_unit_test_setup_teardown(an_abstract_socket_is_reached,
						manager_setup, manager_teardown),
	};

	return cmocka_run_group_tests_name("notify", tests, NULL, NULL);
}
