// SPDX-License-Identifier: GPL-2.0
/*
 * vigil_catalogue_bench: what the event catalogue (ABI 1.3) costs the
 * processes it watches.  Runs in the VM (make bench, VIGIL_BENCH=catalogue);
 * every figure comes from one boot, the configurations interleaved round
 * by round, so that the ratios compare like with like.
 *
 * Workloads:       openclose  open(2) and close(2) of a file in /tmp
 *                  forkexec   fork(), the child execs vigil_child, wait
 * Configurations:  unloaded   the module is not loaded
 *                  nothing    loaded, a broker connected, subscribed to
 *                             nothing: the catalogue's hooks are not
 *                             attached, the process hooks return at once
 *                  pid-muted  subscribed to every NOTIFY type, the
 *                             benchmark's process muted: the hooks run and
 *                             stop at the mute, no record is made (the
 *                             forkexec children are not muted)
 *                  tmp-muted  subscribed to every NOTIFY type, /tmp muted
 *                             by path: a file record is built as far as
 *                             its path and dropped there, not copied into
 *                             the ring
 *                  everything a broker subscribed to every NOTIFY type
 *                             (process events and the catalogue), draining
 *                             its ring as it goes
 *
 * pid-muted and tmp-muted split the openclose cost: what the hooks cost,
 * what building the actor and the path adds, what the ring and the broker
 * add.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vigil.h>

#include "bench_counter.h"
#include "bench_table.h"
#include "bench_util.h"

#define CHILD	"/vigil/bin/vigil_child"
#define MODULE	"/vigil/vigil.ko"
#define FILE	"/tmp/catalogue_bench.file"
#define ROUNDS	5

/* Every NOTIFY type: the process events and the whole catalogue. */
#define EVERYTHING ((VIGIL_EVENT_BIT(VIGIL_EVENT_FILE_TRUNCATE) << 1) - 1 - \
		    VIGIL_EVENT_BIT(0) - VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC) - \
		    VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_OPEN) - \
		    VIGIL_EVENT_BIT(VIGIL_EVENT_WATCHDOG))

enum config { UNLOADED, NOTHING, PID_MUTED, TMP_MUTED, EVERYTHING_ON, NR_CONFIGS };
static const char *const config_names[] = {
	"unloaded", "nothing", "pid-muted", "tmp-muted", "everything",
};

struct workload {
	const char *name;
	int iterations;
	void (*op)(void);
};

static void open_close(void)
{
	int fd = open(FILE, O_RDONLY);

	if (fd < 0)
		die("open");
	close(fd);
}

static void fork_exec(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execl(CHILD, "vigil_child", "exit", "0", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
}

static const struct workload workloads[] = {
	{ "openclose", 20000, open_close },
	{ "forkexec", 300, fork_exec },
};
#define NR_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

/* Load or unload the module; the device is there (or gone) on return. */
static void module(int load)
{
	struct stat st;
	int i;

	if (system(load ? "insmod " MODULE : "rmmod vigil"))
		die(load ? "insmod" : "rmmod");
	for (i = 0; i < 500 && (stat("/dev/vigil", &st) == 0) != load; i++)
		usleep(10000);
}

/* The broker's subscription and mute in configuration @c (not UNLOADED). */
static void connect_broker(struct counter *broker, enum config c)
{
	struct vigil_mute pid = {
		.kind = VIGIL_MUTE_PROCESS, .tgid = (uint32_t)getpid(),
	};
	struct vigil_mute tmp = {
		.kind = VIGIL_MUTE_PATH, .path = (uintptr_t)"/tmp",
	};

	switch (c) {
	case NOTHING:
		counter_start(broker, 0, NULL);
		break;
	case PID_MUTED:
		counter_start(broker, EVERYTHING, &pid);
		break;
	case TMP_MUTED:
		counter_start(broker, EVERYTHING, &tmp);
		break;
	default:
		counter_start(broker, EVERYTHING, NULL);
		break;
	}
}

static struct bench_sample measure(const struct workload *w, enum config c)
{
	struct bench_sample s = { 0 };
	struct counter broker;
	uint64_t start, ns, records = 0;
	int i;

	if (c == UNLOADED)
		module(0);
	else
		connect_broker(&broker, c);
	start = now_ns();
	for (i = 0; i < w->iterations; i++)
		w->op();
	ns = now_ns() - start;
	if (c == UNLOADED)
		module(1);
	else
		records = counter_stop(&broker, &s.dropped);
	s.ops_per_s = w->iterations * 1e9 / ns;
	s.records_per_s = records * 1e9 / ns;
	return s;
}

int main(void)
{
	static struct bench_sample s[NR_WORKLOADS][NR_CONFIGS][ROUNDS];
	unsigned int w, c, r;
	int fd = open(FILE, O_CREAT | O_WRONLY, 0644);

	if (fd < 0)
		die(FILE);
	close(fd);
	printf("vigil_catalogue_bench: median of %d interleaved rounds\n\n", ROUNDS);
	for (r = 0; r < ROUNDS; r++)
		for (w = 0; w < NR_WORKLOADS; w++)
			for (c = 0; c < NR_CONFIGS; c++)
				s[w][c][r] = measure(&workloads[w], c);

	bench_table_header("config", "vs unload");
	for (w = 0; w < NR_WORKLOADS; w++)
		bench_table_rows(workloads[w].name, config_names, NR_CONFIGS, s[w][0], ROUNDS);
	return 0;
}
