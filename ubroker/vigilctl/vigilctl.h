/* SPDX-License-Identifier: GPL-2.0 */
/* vigilctl: the administrator's tool.  See vigilctl(8). */
#ifndef VIGILCTL_H
#define VIGILCTL_H

#include <stdio.h>
#include <linux/vigil.h>

#include "bootstate.h"
#include "proto.h"

enum {
	VIGILCTL_EXIT_OK = 0,
	VIGILCTL_EXIT_FAILURE = 1,
	VIGILCTL_EXIT_USAGE = 2,
	VIGILCTL_EXIT_TRIPPED = 3,	/* status: the watchdog is tripped */
	VIGILCTL_EXIT_REFUSED = 3,	/* boot load: the guard refused */
	VIGILCTL_EXIT_NOT_LOADED = 4,	/* status: the shim is not loaded */
	VIGILCTL_EXIT_DEGRADED = 5,	/* status: the watchdog is degraded */
};

void vigilctl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The whole picture, for vigilctl status; see status.c. */
struct vigilctl_status {
	int loaded;				/* the shim is loaded */
	struct vigil_watchdog_status wd;	/* valid if loaded */
	unsigned long long now_ns;		/* CLOCK_MONOTONIC, when read */
	int boot_known;				/* the guard's state was read */
	int boot_fresh;				/* it had none yet */
	struct boot_state boot;
	int boot_this;				/* its record is this boot's */
	int cmdline_disabled;			/* vigil.disable=1 */
	const char *socket;			/* the broker's */
	int broker_err;				/* 0: @broker is valid */
	struct vigil_msg_broker_status broker;
};

void vigilctl_print_status(FILE *out, const struct vigilctl_status *st,
			   int json);
void vigilctl_print_boot(FILE *out, const struct boot_state *st, int fresh,
			 const char *this_id, int cmdline_disabled);
/* The boot guard's state as a JSON object (no newline). */
void vigilctl_print_boot_json(FILE *out, const struct boot_state *st, int fresh,
			      int this_boot, int cmdline_disabled);

#endif /* VIGILCTL_H */
