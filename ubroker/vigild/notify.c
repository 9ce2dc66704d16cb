// SPDX-License-Identifier: GPL-2.0
/*
 * sd_notify(3), the few lines of it vigild needs.  The watchdog pings at
 * half of WATCHDOG_USEC, as sd_watchdog_enabled(3) advises, from the
 * event loop itself: a loop that hangs stops pinging, and systemd
 * restarts the broker.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

/* A decimal number that fits, nothing else; 0 or -EINVAL. */
static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s[0] || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

/* The watchdog's interval from the environment; 0 if it is not ours. */
static int watchdog_interval(uint64_t *interval_ns, char *err, size_t errlen)
{
	const char *usec = getenv("WATCHDOG_USEC");
	const char *pid = getenv("WATCHDOG_PID");
	uint64_t v, p;

	*interval_ns = 0;
	if (!usec)
		return 0;
	if (parse_u64(usec, &v) || v == 0 || v > UINT64_MAX / 1000) {
		snprintf(err, errlen, "WATCHDOG_USEC='%s': not a number of microseconds", usec);
		return -EINVAL;
	}
	if (pid && (parse_u64(pid, &p) || p == 0)) {
		snprintf(err, errlen, "WATCHDOG_PID='%s': not a process id", pid);
		return -EINVAL;
	}
	if (pid && p != (uint64_t)getpid())
		return 0;	/* meant for another process */
	*interval_ns = v * 1000 / 2;
	return 0;
}

/* "/run/systemd/notify", or "@name" for an abstract socket. */
static int notify_address(const char *path, struct sockaddr_un *sa,
			  socklen_t *len, char *err, size_t errlen)
{
	size_t n = strlen(path);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if ((path[0] != '/' && path[0] != '@') || n < 2 || n >= sizeof(sa->sun_path)) {
		snprintf(err, errlen, "NOTIFY_SOCKET='%s': not an absolute path or @name", path);
		return -EINVAL;
	}
	memcpy(sa->sun_path, path, n);
	if (path[0] == '@')
		sa->sun_path[0] = '\0';
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (path[0] == '/'));
	return 0;
}

int vigild_notify_open(struct vigild_notify *n, uint64_t now_ns, char *err,
		       size_t errlen)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	socklen_t len;
	int ret;

	n->fd = -1;
	n->interval_ns = 0;
	err[0] = '\0';
	if (!path)
		return 0;
	ret = notify_address(path, &sa, &len, err, errlen);
	if (!ret)
		ret = watchdog_interval(&n->interval_ns, err, errlen);
	if (ret)
		return ret;
	n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (n->fd < 0 || connect(n->fd, (struct sockaddr *)&sa, len)) {
		ret = -errno;
		snprintf(err, errlen, "cannot connect to NOTIFY_SOCKET %s: %s", path,
			 strerror(errno));
		vigild_notify_close(n);
		return ret;
	}
	n->next_ping_ns = now_ns + n->interval_ns;
	return 0;
}

int vigild_notify_send(struct vigild_notify *n, const char *state)
{
	if (n->fd < 0)
		return 0;
	if (send(n->fd, state, strlen(state), MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

int vigild_notify_timeout_ms(const struct vigild_notify *n, uint64_t now_ns)
{
	if (n->fd < 0 || !n->interval_ns)
		return -1;
	if (now_ns >= n->next_ping_ns)
		return 0;
	return (int)((n->next_ping_ns - now_ns + 999999) / 1000000);
}

void vigild_notify_tick(struct vigild_notify *n, uint64_t now_ns)
{
	if (n->fd < 0 || !n->interval_ns || now_ns < n->next_ping_ns)
		return;
	/* A lost ping is retried an interval later; systemd allows two. */
	(void)vigild_notify_send(n, "WATCHDOG=1");
	n->next_ping_ns = now_ns + n->interval_ns;
}

void vigild_notify_close(struct vigild_notify *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	n->interval_ns = 0;
}
