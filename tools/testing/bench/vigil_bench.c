// SPDX-License-Identifier: GPL-2.0
/*
 * vigil_bench: what the shim costs the processes it watches, and how many
 * records per second reach a broker.  Runs in the VM (make bench); every
 * figure of a table comes from the same boot, and the configurations are
 * interleaved round by round, so the ratios compare like with like.
 *
 * Workloads:  fork   fork(), child _exit(0), wait
 *             exec   fork(), child execs vigil_child, wait
 *             fork2  "fork" in two processes at once (both vCPUs)
 * Brokers:    none     no broker connected: the hooks are detached
 *             counter  a minimal broker process that only counts records
 *             vigild   the real broker, JSON lines to /dev/null
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vigil.h>

#include "bench_counter.h"
#include "bench_table.h"
#include "bench_util.h"

#define CHILD "/vigil/bin/vigil_child"
#define VIGILD_PATH "/vigil/bin/vigild"
#define ROUNDS 5

enum broker { NONE, COUNTER, REAL_VIGILD, NR_BROKERS };
static const char *const broker_names[] = { "none", "counter", "vigild" };

struct workload {
	const char *name;
	int iterations;
	int workers;
	int exec;
};

static const struct workload workloads[] = {
	{ "fork", 2000, 1, 0 },
	{ "exec", 400, 1, 1 },
	{ "fork2", 2000, 2, 0 },
};
#define NR_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

static void spawn_and_wait(int exec)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (exec)
			execl(CHILD, "vigil_child", "exit", "0", (char *)NULL);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

/* Run @w; return the elapsed nanoseconds. */
static uint64_t run_workload(const struct workload *w)
{
	uint64_t start = now_ns();
	pid_t pids[8];
	int i, j;

	if (w->workers == 1) {
		for (i = 0; i < w->iterations; i++)
			spawn_and_wait(w->exec);
		return now_ns() - start;
	}
	for (j = 0; j < w->workers; j++) {
		pids[j] = fork();
		if (pids[j] == 0) {
			for (i = 0; i < w->iterations / w->workers; i++)
				spawn_and_wait(w->exec);
			_exit(0);
		}
	}
	for (j = 0; j < w->workers; j++)
		waitpid(pids[j], NULL, 0);
	return now_ns() - start;
}

/* The real broker, its summary line read back from its stderr. */
struct vigild {
	pid_t pid;
	FILE *err;
};

static void vigild_start(struct vigild *v)
{
	char line[512];
	int fds[2];

	if (pipe(fds))
		die("pipe");
	v->pid = fork();
	if (v->pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(fds[1], 2);
		become_broker();
		execl(VIGILD_PATH, "vigild", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	v->err = fdopen(fds[0], "r");
	if (!fgets(line, sizeof(line), v->err) || !strstr(line, "connected")) {
		fprintf(stderr, "vigil_bench: vigild did not connect\n");
		exit(1);
	}
}

static uint64_t vigild_stop(struct vigild *v, uint64_t *dropped)
{
	unsigned long long delivered = 0, drop = 0;
	char line[512];

	kill(v->pid, SIGTERM);
	while (fgets(line, sizeof(line), v->err))
		sscanf(line, "vigild: stopped: %llu events delivered, %llu dropped",
		       &delivered, &drop);
	waitpid(v->pid, NULL, 0);
	fclose(v->err);
	*dropped = drop;
	return delivered;
}

static struct bench_sample measure(const struct workload *w, enum broker b)
{
	struct bench_sample s = { 0 };
	uint64_t ns, records = 0;
	struct counter c = { 0 };
	struct vigild v = { 0 };

	if (b == COUNTER)
		counter_start(&c, VIGIL_EVENT_BIT(VIGIL_EVENT_FORK) |
			       VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC) |
			       VIGIL_EVENT_BIT(VIGIL_EVENT_EXIT), NULL);
	else if (b == REAL_VIGILD)
		vigild_start(&v);
	ns = run_workload(w);
	if (b == COUNTER)
		records = counter_stop(&c, &s.dropped);
	else if (b == REAL_VIGILD)
		records = vigild_stop(&v, &s.dropped);
	s.ops_per_s = w->iterations * 1e9 / ns;
	s.records_per_s = records * 1e9 / ns;
	return s;
}

int main(void)
{
	static struct bench_sample s[NR_WORKLOADS][NR_BROKERS][ROUNDS];
	unsigned int w, b, r;

	printf("vigil_bench: median of %d interleaved rounds\n\n", ROUNDS);
	for (r = 0; r < ROUNDS; r++)
		for (w = 0; w < NR_WORKLOADS; w++)
			for (b = 0; b < NR_BROKERS; b++)
				s[w][b][r] = measure(&workloads[w], b);

	bench_table_header("broker", "vs none");
	for (w = 0; w < NR_WORKLOADS; w++)
		bench_table_rows(workloads[w].name, broker_names, NR_BROKERS, s[w][0], ROUNDS);
	return 0;
}
