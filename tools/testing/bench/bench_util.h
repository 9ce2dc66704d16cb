/* SPDX-License-Identifier: GPL-2.0 */
/* What the benchmarks share: a clock, and a way to give up. */
#ifndef VIGIL_BENCH_UTIL_H
#define VIGIL_BENCH_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <grp.h>
#include <unistd.h>

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Report the failure of @what, with errno, and exit. */
static inline void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(errno));
	exit(1);
}

/* In a child about to exec vigild: become the VM's vigil user (990), as vigild runs. */
static inline void become_broker(void)
{
	gid_t gid = 990;

	if (setgroups(1, &gid) || setgid(990) || setuid(990))
		_exit(126);
}

#endif /* VIGIL_BENCH_UTIL_H */
