// SPDX-License-Identifier: GPL-2.0
/* A minimal broker for the benchmarks: see bench_counter.h. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_counter.h"
#include "bench_util.h"
#include "ring_reader.h"
#include "shim_client.h"

static volatile sig_atomic_t counter_stop_flag;

static void on_term(int sig)
{
	(void)sig;
	counter_stop_flag = 1;
}

static int count_record(const void *rec, uint32_t len, void *ctx)
{
	(void)rec;
	(void)len;
	(*(uint64_t *)ctx)++;
	return 0;
}

static void counter_main(int ready_fd, int result_fd, uint64_t events,
			 const struct vigil_mute *mute)
{
	struct vigil_ring_producer snap;
	struct vigil_shim shim;
	uint64_t out[2] = { 0, 0 };
	struct pollfd pfd;
	char msg[256];

	signal(SIGTERM, on_term);
	if (vigil_shim_open(&shim, "/dev/vigil", VIGIL_ABI_MAJOR,
			    VIGIL_ABI_MINOR, msg, sizeof(msg))) {
		fprintf(stderr, "bench: %s\n", msg);
		_exit(1);
	}
	if (vigil_shim_subscribe(&shim, events)) {
		fprintf(stderr, "bench: cannot subscribe\n");
		_exit(1);
	}
	if (mute && vigil_shim_mute(&shim, mute)) {
		perror("bench: VIGIL_IOC_MUTE");
		_exit(1);
	}
	if (write(ready_fd, "r", 1) != 1)
		_exit(1);
	pfd.fd = shim.fd;
	pfd.events = POLLIN;
	while (!counter_stop_flag) {
		vigil_shim_consume(&shim, count_record, NULL, &out[0]);
		poll(&pfd, 1, 50);	/* a SIGTERM between check and poll */
	}
	vigil_shim_consume(&shim, count_record, NULL, &out[0]);
	vigil_ring_counters(shim.main.producer, &snap);
	out[1] = vigil_ring_dropped(&snap);
	vigil_shim_close(&shim);
	if (write(result_fd, out, sizeof(out)) != sizeof(out))
		_exit(1);
	_exit(0);
}

void counter_start(struct counter *c, uint64_t events,
		   const struct vigil_mute *mute)
{
	int ready[2], result[2];
	char r;

	if (pipe(ready) || pipe(result))
		die("pipe");
	c->pid = fork();
	if (c->pid == 0)
		counter_main(ready[1], result[1], events, mute);
	close(ready[1]);
	close(result[1]);
	if (read(ready[0], &r, 1) != 1) {
		fprintf(stderr, "bench: the counter did not connect\n");
		exit(1);
	}
	close(ready[0]);
	c->result_fd = result[0];
}

uint64_t counter_stop(struct counter *c, uint64_t *dropped)
{
	uint64_t out[2] = { 0, 0 };

	kill(c->pid, SIGTERM);
	if (read(c->result_fd, out, sizeof(out)) != sizeof(out))
		fprintf(stderr, "bench: no count from the counter\n");
	waitpid(c->pid, NULL, 0);
	close(c->result_fd);
	*dropped = out[1];
	return out[0];
}
