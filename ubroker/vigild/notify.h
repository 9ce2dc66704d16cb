/* SPDX-License-Identifier: GPL-2.0 */
/*
 * systemd's notification protocol (sd_notify(3)), without libsystemd:
 * vigild tells the service manager it is ready and that it is stopping,
 * and, when the unit has WatchdogSec=, that its loop still turns.
 */
#ifndef VIGILD_NOTIFY_H
#define VIGILD_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

struct vigild_notify {
	int fd;			/* connected to $NOTIFY_SOCKET; -1 without */
	uint64_t interval_ns;	/* between WATCHDOG=1 pings; 0: no watchdog */
	uint64_t next_ping_ns;
};

/*
 * Read $NOTIFY_SOCKET and $WATCHDOG_USEC (and $WATCHDOG_PID, which must
 * be this process) and connect, before the sandbox: it allows send but
 * not connect.  Without $NOTIFY_SOCKET, 0 and nothing to do.  A value
 * that does not parse, or a socket that will not connect: -errno and why
 * in @err.
 */
int vigild_notify_open(struct vigild_notify *n, uint64_t now_ns, char *err,
		       size_t errlen);

/* Send @state ("READY=1", "STOPPING=1"); 0 or -errno. */
int vigild_notify_send(struct vigild_notify *n, const char *state);

/* Milliseconds until the next ping is due (0 if it is), -1 if none. */
int vigild_notify_timeout_ms(const struct vigild_notify *n, uint64_t now_ns);

/* Send WATCHDOG=1 if it is due; the next is due an interval later. */
void vigild_notify_tick(struct vigild_notify *n, uint64_t now_ns);

void vigild_notify_close(struct vigild_notify *n);

#endif /* VIGILD_NOTIFY_H */
