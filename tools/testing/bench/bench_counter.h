/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal broker for the benchmarks: a process of its own, as a broker
 * is, that subscribes to the events given, drains the ring and counts
 * records until stopped.
 */
#ifndef VIGIL_BENCH_COUNTER_H
#define VIGIL_BENCH_COUNTER_H

#include <stdint.h>
#include <sys/types.h>
#include <linux/vigil.h>

struct counter {
	pid_t pid;
	int result_fd;
};

/*
 * Connect a counter subscribed to @events, with @mute set if not NULL;
 * exits the program on failure.
 */
void counter_start(struct counter *c, uint64_t events,
		   const struct vigil_mute *mute);

/* Stop it: the records it counted, and the shim's drops in *@dropped. */
uint64_t counter_stop(struct counter *c, uint64_t *dropped);

#endif /* VIGIL_BENCH_COUNTER_H */
