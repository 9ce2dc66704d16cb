/* SPDX-License-Identifier: GPL-2.0 */
/* vigilctl boot: the boot guard's commands, and its state for status. */
#ifndef VIGILCTL_BOOT_H
#define VIGILCTL_BOOT_H

#include <stdio.h>

#include "bootstate.h"

#define BOOT_STATE_DIR		"/var/lib/vigil"
#define BOOT_DEFAULT_LIMIT	3
#define BOOT_DEFAULT_HEALTHY_S	120

struct boot_options {
	const char *state_dir;
	const char *cmdline;		/* file holding the command line */
	const char *module;		/* a .ko to load, instead of modprobe */
	unsigned int limit;
	unsigned int healthy_s;
	char **params;			/* module parameters, NULL-terminated */
	int json;			/* results as JSON objects */
};

/* vigilctl boot ARGV...; @json: each result as a JSON object. */
int boot_command(int argc, char **argv, const char *state_dir, int json);

/*
 * The guard's state for vigilctl status: 0, 1 if there is none yet,
 * or -errno with a message in @err.
 */
int boot_read_state(const char *dir, struct boot_state *st, char *err,
		    size_t errlen);

/* This boot's id, from /proc/sys/kernel/random/boot_id; 0 or -errno. */
int boot_this_id(char id[BOOT_ID_LEN + 1]);

#endif /* VIGILCTL_BOOT_H */
