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

#include "bench_util.h"
#include "ring_reader.h"
#include "shim.h"

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

struct sample {
	double ops_per_s;
	double records_per_s;
	uint64_t dropped;
};

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

/*
 * The "counter" broker: a process of its own (as a broker is) that drains
 * the ring and counts records, until SIGTERM; it then writes its count and
 * the drop counters to a pipe.
 */
struct counter {
	pid_t pid;
	int result_fd;
};

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

static void counter_main(int ready_fd, int result_fd)
{
	struct vigil_ring_producer snap;
	struct vigil_shim shim;
	uint64_t out[2] = { 0, 0 };
	struct pollfd pfd;
	char msg[256];

	signal(SIGTERM, on_term);
	if (vigil_shim_open(&shim, "/dev/vigil", VIGIL_ABI_MAJOR,
			    VIGIL_ABI_MINOR, msg, sizeof(msg))) {
		fprintf(stderr, "vigil_bench: %s\n", msg);
		_exit(1);
	}
	if (write(ready_fd, "r", 1) != 1)
		_exit(1);
	pfd.fd = shim.fd;
	pfd.events = POLLIN;
	while (!counter_stop_flag) {
		vigil_ring_consume(&shim.ring, count_record, &out[0]);
		poll(&pfd, 1, 50);	/* a SIGTERM between check and poll */
	}
	vigil_ring_consume(&shim.ring, count_record, &out[0]);
	vigil_ring_counters(shim.producer, &snap);
	out[1] = vigil_ring_dropped(&snap);
	if (write(result_fd, out, sizeof(out)) != sizeof(out))
		_exit(1);
	_exit(0);
}

static void counter_start(struct counter *c)
{
	int ready[2], result[2];
	char r;

	if (pipe(ready) || pipe(result))
		die("pipe");
	c->pid = fork();
	if (c->pid == 0)
		counter_main(ready[1], result[1]);
	close(ready[1]);
	close(result[1]);
	if (read(ready[0], &r, 1) != 1) {
		fprintf(stderr, "vigil_bench: the counter did not connect\n");
		exit(1);
	}
	close(ready[0]);
	c->result_fd = result[0];
}

static uint64_t counter_stop(struct counter *c, uint64_t *dropped)
{
	uint64_t out[2] = { 0, 0 };

	kill(c->pid, SIGTERM);
	if (read(c->result_fd, out, sizeof(out)) != sizeof(out))
		fprintf(stderr, "vigil_bench: no count from the counter\n");
	waitpid(c->pid, NULL, 0);
	close(c->result_fd);
	*dropped = out[1];
	return out[0];
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

static struct sample measure(const struct workload *w, enum broker b)
{
	struct sample s = { 0 };
	uint64_t ns, records = 0;
	struct counter c = { 0 };
	struct vigild v = { 0 };

	if (b == COUNTER)
		counter_start(&c);
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

static int by_ops(const void *a, const void *b)
{
	double x = ((const struct sample *)a)->ops_per_s;
	double y = ((const struct sample *)b)->ops_per_s;

	return (x > y) - (x < y);
}

int main(void)
{
	static struct sample s[NR_WORKLOADS][NR_BROKERS][ROUNDS];
	unsigned int w, b, r;

	printf("vigil_bench: median of %d interleaved rounds\n\n", ROUNDS);
	for (r = 0; r < ROUNDS; r++)
		for (w = 0; w < NR_WORKLOADS; w++)
			for (b = 0; b < NR_BROKERS; b++)
				s[w][b][r] = measure(&workloads[w], b);

	printf("%-6s %-8s %10s %8s %12s %8s\n", "work", "broker", "ops/s",
	       "vs none", "records/s", "dropped");
	for (w = 0; w < NR_WORKLOADS; w++) {
		double base = 0;

		for (b = 0; b < NR_BROKERS; b++) {
			struct sample *m;

			qsort(s[w][b], ROUNDS, sizeof(s[w][b][0]), by_ops);
			m = &s[w][b][ROUNDS / 2];
			if (b == NONE)
				base = m->ops_per_s;
			printf("%-6s %-8s %10.0f %8.3f %12.0f %8" PRIu64 "\n",
			       workloads[w].name, broker_names[b], m->ops_per_s,
			       m->ops_per_s / base, m->records_per_s, m->dropped);
		}
	}
	return 0;
}
