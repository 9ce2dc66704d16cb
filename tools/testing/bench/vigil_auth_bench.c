// SPDX-License-Identifier: GPL-2.0
/*
 * vigil_auth_bench: what a permission decision adds to an exec and to an
 * open, measured per operation (p50, p99) in one boot, against the same
 * job done by a minimal fanotify permission listener.
 *
 * Configurations, alternated round by round:
 *   none        no broker, no listener
 *   idle        a vigil broker watching the filesystem, not subscribed:
 *               the cost of being hooked in, deciding nothing
 *   vigil       a minimal vigil broker answering allow to every AUTH event
 *   cached      the same, answering with VIGIL_VERDICT_F_CACHE: after the
 *               first, every decision comes from the kernel's cache
 *   fanotify    a FAN_OPEN_EXEC_PERM (exec) or FAN_OPEN_PERM (open)
 *               listener on the same filesystem, answering FAN_ALLOW
 *   fan-ignore  the same, also adding an ignore mark for the file: the
 *               fanotify way of not being asked again
 *
 * Each broker or listener is a process of its own; the process measured
 * holds none of their descriptors.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
#include "bench_util.h"
#include "ring_reader.h"
#include "shim_client.h"

#define DIR		"/tmp/vigil_auth_bench"
#define PROG		DIR "/prog"
#define DATA		DIR "/data"
#define CHILD		"/vigil/bin/vigil_child"
#define ROUNDS		4

enum op { OP_EXEC, OP_OPEN, NR_OPS };
enum config { NONE, IDLE, VIGIL, CACHED, FANOTIFY, FAN_IGNORE, NR_CONFIGS };

static const char *const op_names[] = { "exec", "open" };
static const char *const config_names[] = {
	"none", "idle", "vigil", "cached", "fanotify", "fan-ignore",
};
static const int op_count[] = { 800, 2000 };	/* per configuration */

struct samples {
	uint64_t *ns;
	size_t n;
};

static struct samples samples[NR_OPS][NR_CONFIGS];
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t one_exec(void)
{
	uint64_t t0 = now_ns();
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execl(PROG, "prog", "exit", "0", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	return now_ns() - t0;
}

static uint64_t one_open(void)
{
	uint64_t t0 = now_ns();
	int fd = open(DATA, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("open");
	close(fd);
	return now_ns() - t0;
}

/*
 * A minimal vigil broker: allow everything, with the cache flag or not;
 * or, idle, subscribed to nothing.
 */
static void vigil_broker(enum op op, enum config c, int ready)
{
	uint64_t events = c == IDLE ? 0 :
		VIGIL_EVENT_BIT(op == OP_EXEC ? VIGIL_EVENT_AUTH_EXEC :
						VIGIL_EVENT_AUTH_OPEN);
	int cached = c == CACHED;
	struct vigil_verdict v[VIGIL_VERDICT_BATCH_MAX];
	struct vigil_shim shim;
	char msg[256];

	if (vigil_shim_open(&shim, "/dev/vigil", VIGIL_ABI_MAJOR,
			    VIGIL_ABI_MINOR, msg, sizeof(msg))) {
		fprintf(stderr, "vigil_auth_bench: %s\n", msg);
		_exit(1);
	}
	if ((op == OP_OPEN && vigil_shim_watch(&shim, DIR, 0)) ||
	    vigil_shim_subscribe(&shim, events))
		_exit(1);
	if (write(ready, "r", 1) != 1)
		_exit(1);
	while (!stop) {
		struct pollfd pfd = { .fd = shim.fd, .events = POLLIN };
		const unsigned char *data = shim.lane.view.data;
		uint64_t cons = *shim.lane.view.consumer_pos;
		uint64_t prod = __atomic_load_n(shim.lane.view.producer_pos,
						__ATOMIC_ACQUIRE);
		uint32_t n = 0, applied;

		while (cons < prod && n < VIGIL_VERDICT_BATCH_MAX) {
			const uint32_t *hdr = (const void *)(data +
						(cons & (shim.lane.view.size - 1)));
			uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
			struct vigil_event_view view;

			if (len & VIGIL_RING_BUSY)
				break;
			if (!vigil_event_decode(hdr + 2, len & VIGIL_RING_LEN_MASK,
						&view) && vigil_event_auth(&view)) {
				memset(&v[n], 0, sizeof(v[n]));
				v[n].id = vigil_event_auth(&view)->id;
				v[n].verdict = VIGIL_VERDICT_ALLOW;
				v[n].flags = cached ? VIGIL_VERDICT_F_CACHE : 0;
				n++;
			}
			cons += VIGIL_RING_RECORD_SIZE(len);
		}
		__atomic_store_n(shim.lane.view.consumer_pos, cons, __ATOMIC_RELEASE);
		if (n)
			vigil_shim_verdicts(&shim, v, n, &applied);
		else
			poll(&pfd, 1, 50);
	}
	_exit(0);
}

/* A minimal fanotify permission listener: allow everything. */
static void fanotify_listener(enum op op, int ignore, int ready)
{
	uint64_t mask = op == OP_EXEC ? FAN_OPEN_EXEC_PERM : FAN_OPEN_PERM;
	char buf[8192] __attribute__((aligned(8)));
	int fan = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);

	if (fan < 0 || fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				     mask, AT_FDCWD, DIR))
		die("fanotify");
	if (write(ready, "r", 1) != 1)
		_exit(1);
	while (!stop) {
		struct pollfd pfd = { .fd = fan, .events = POLLIN };
		struct fanotify_event_metadata *m;
		ssize_t len;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		len = read(fan, buf, sizeof(buf));
		for (m = (void *)buf; len > 0 && FAN_EVENT_OK(m, len);
		     m = FAN_EVENT_NEXT(m, len)) {
			struct fanotify_response r = {
				.fd = m->fd, .response = FAN_ALLOW,
			};

			if (write(fan, &r, sizeof(r)) != sizeof(r))
				die("fanotify response");
			if (ignore && fanotify_mark(fan, FAN_MARK_ADD |
						    FAN_MARK_IGNORED_MASK, mask,
						    m->fd, NULL))
				die("fanotify ignore mark");
			close(m->fd);
		}
	}
	_exit(0);
}

static pid_t start(enum op op, enum config c)
{
	int ready[2];
	pid_t pid;
	char r;

	if (c == NONE)
		return 0;
	if (pipe(ready))
		die("pipe");
	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, on_term);
		close(ready[0]);
		if (c == FANOTIFY || c == FAN_IGNORE)
			fanotify_listener(op, c == FAN_IGNORE, ready[1]);
		vigil_broker(op, c, ready[1]);
	}
	close(ready[1]);
	if (read(ready[0], &r, 1) != 1) {
		fprintf(stderr, "vigil_auth_bench: %s did not start\n",
			config_names[c]);
		exit(1);
	}
	close(ready[0]);
	return pid;
}

static void finish(pid_t pid)
{
	if (!pid)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static void measure(enum op op, enum config c, int n)
{
	struct samples *s = &samples[op][c];
	pid_t pid = start(op, c);
	int i;

	for (i = 0; i < n; i++)
		s->ns[s->n++] = op == OP_EXEC ? one_exec() : one_open();
	finish(pid);
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static double percentile(struct samples *s, double p)
{
	return s->ns[(size_t)(p * (s->n - 1))] / 1000.0;
}

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0)
		die(to);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			die(to);
	close(in);
	close(out);
}

static void print_table(void)
{
	unsigned int op, c;

	printf("%-5s %-10s %10s %10s %9s %9s\n", "op", "config", "p50 us",
	       "p99 us", "p50/none", "p99/none");
	for (op = 0; op < NR_OPS; op++) {
		double base50, base99, add_vigil, add_fan;

		for (c = 0; c < NR_CONFIGS; c++)
			qsort(samples[op][c].ns, samples[op][c].n,
			      sizeof(uint64_t), by_value);
		base50 = percentile(&samples[op][NONE], 0.5);
		base99 = percentile(&samples[op][NONE], 0.99);
		for (c = 0; c < NR_CONFIGS; c++) {
			double p50 = percentile(&samples[op][c], 0.5);
			double p99 = percentile(&samples[op][c], 0.99);

			printf("%-5s %-10s %10.1f %10.1f %9.3f %9.3f\n",
			       op_names[op], config_names[c], p50, p99,
			       p50 / base50, p99 / base99);
		}
		add_vigil = percentile(&samples[op][VIGIL], 0.5) - base50;
		add_fan = percentile(&samples[op][FANOTIFY], 0.5) - base50;
		printf("%-5s added p50: vigil %.1f us, fanotify %.1f us, "
		       "vigil/fanotify %.3f\n\n", op_names[op], add_vigil,
		       add_fan, add_vigil / add_fan);
	}
}

int main(void)
{
	unsigned int op, c, r;

	mkdir(DIR, 0755);
	copy_file(CHILD, PROG);
	copy_file(CHILD, DATA);
	for (op = 0; op < NR_OPS; op++)
		for (c = 0; c < NR_CONFIGS; c++) {
			samples[op][c].ns = calloc(op_count[op],
						   sizeof(uint64_t));
			if (!samples[op][c].ns)
				die("calloc");
		}
	printf("vigil_auth_bench: %d rounds, configurations alternated\n\n",
	       ROUNDS);
	for (r = 0; r < ROUNDS; r++)
		for (op = 0; op < NR_OPS; op++)
			for (c = 0; c < NR_CONFIGS; c++)
				measure(op, c, op_count[op] / ROUNDS);
	print_table();
	return 0;
}
