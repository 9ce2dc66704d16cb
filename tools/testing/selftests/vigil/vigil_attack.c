// SPDX-License-Identifier: GPL-2.0
/*
 * vigil_attack: the loads of the attack suite (tools/testing/vm/attack.sh),
 * and its victim.  Each runs as whoever starts it; the suite starts them
 * as uid 1000 (the attacker) or 2000 (the victim) with vigil_child as-user.
 *
 *   vigil_attack open-loop SECONDS PATH    open and close PATH, as fast as it can
 *   vigil_attack exec-loop SECONDS PATH    fork and exec PATH ("exit 0"), likewise
 *   vigil_attack burst N PATH              N execs of PATH at once
 *   vigil_attack forkbomb NPROC SECONDS    every process forks, NPROC at most
 *   vigil_attack hog SECONDS               spin
 *   vigil_attack bigexec SECONDS DIR       exec a program whose path is near
 *                                          PATH_MAX, with near the most
 *                                          argument bytes the kernel takes
 *   vigil_attack victim SECONDS MS PATH    exec PATH every MS milliseconds
 *
 * burst and victim print one line of results on standard output.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHILD	"/vigil/bin/vigil_child"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* fork and exec @argv[0], wait: its wait status, or -1. */
static int run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(errno == EACCES ? 126 : 127);
	}
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

static int open_loop(unsigned int seconds, const char *path)
{
	uint64_t end = now_ms() + seconds * 1000ULL;

	while (now_ms() < end) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd >= 0)
			close(fd);
	}
	return 0;
}

static int exec_loop(unsigned int seconds, char *path)
{
	char *argv[] = { path, "exit", "0", NULL };
	uint64_t end = now_ms() + seconds * 1000ULL;

	while (now_ms() < end)
		run(argv);
	return 0;
}

/* N children wait at a pipe, then exec at once. */
static int burst(unsigned int n, char *path)
{
	char *argv[] = { path, "exit", "0", NULL };
	unsigned int i, ran = 0, denied = 0, other = 0;
	int gate[2], status;
	char c;

	if (pipe(gate))
		return 1;
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			break;
		if (pid == 0) {
			close(gate[1]);
			if (read(gate[0], &c, 1) < 0)
				_exit(125);
			execv(path, argv);
			_exit(errno == EACCES ? 126 : 127);
		}
	}
	close(gate[1]);		/* every child reads end-of-file: go */
	while (wait(&status) > 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			ran++;
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 126)
			denied++;
		else
			other++;
	}
	printf("burst: started %u ran %u denied %u other %u\n", i, ran, denied, other);
	return 0;
}

/* Every process forks until the rlimit refuses, until the time is up. */
static int forkbomb(unsigned int nproc, unsigned int seconds)
{
	struct rlimit rl = { .rlim_cur = nproc, .rlim_max = nproc };
	uint64_t end = now_ms() + seconds * 1000ULL;

	if (setrlimit(RLIMIT_NPROC, &rl))
		return 1;
	while (now_ms() < end) {
		pid_t pid = fork();

		if (pid < 0)
			usleep(10000);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	while (wait(NULL) > 0)
		;
	return 0;
}

static int hog(unsigned int seconds)
{
	uint64_t end = now_ms() + seconds * 1000ULL;
	volatile uint64_t spin = 0;

	while (now_ms() < end)
		spin++;
	return 0;
}

/*
 * A path of about 4000 bytes (PATH_MAX is 4096): directories of 250
 * characters under @dir, and at the bottom a symbolic link to vigil_child.
 */
static int deep_path(const char *dir, char *path, size_t len)
{
	char name[251];
	size_t n;

	memset(name, 'd', 250);
	name[250] = '\0';
	n = (size_t)snprintf(path, len, "%s", dir);
	while (n + 252 + 16 < 4000) {
		n += (size_t)snprintf(path + n, len - n, "/%s", name);
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
	}
	snprintf(path + n, len - n, "/prog");
	if (symlink(CHILD, path) && errno != EEXIST)
		return -1;
	return 0;
}

/* Near the kernel's bound: 15 strings of MAX_ARG_STRLEN - 1 bytes. */
#define BIG_ARGS	15
#define BIG_ARG_LEN	(32 * 4096 - 1)

static int bigexec(unsigned int seconds, const char *dir)
{
	static char path[4096];
	char *argv[3 + BIG_ARGS + 1];
	uint64_t end = now_ms() + seconds * 1000ULL;
	char *big = malloc(BIG_ARG_LEN + 1);
	unsigned int i;

	if (!big || deep_path(dir, path, sizeof(path)))
		return 1;
	memset(big, 'a', BIG_ARG_LEN);
	big[BIG_ARG_LEN] = '\0';
	argv[0] = path;
	argv[1] = "exit";
	argv[2] = "0";
	for (i = 0; i < BIG_ARGS; i++)
		argv[3 + i] = big;
	argv[3 + BIG_ARGS] = NULL;
	while (now_ms() < end)
		run(argv);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Run @path every @ms ms for @seconds; say how each ended, and how fast. */
static int victim(unsigned int seconds, unsigned int ms, char *path)
{
	char *argv[] = { path, "exit", "0", NULL };
	static uint64_t lat[100000];
	unsigned int n = 0, denied = 0, allowed = 0, other = 0;
	uint64_t end = now_ms() + seconds * 1000ULL;

	while (now_ms() < end && n < sizeof(lat) / sizeof(lat[0])) {
		uint64_t t0 = now_ms();
		int status = run(argv);

		lat[n++] = now_ms() - t0;
		if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 126)
			denied++;
		else if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			allowed++;
		else
			other++;
		if (now_ms() - t0 < ms)
			usleep((ms - (now_ms() - t0)) * 1000);
	}
	qsort(lat, n, sizeof(lat[0]), cmp_u64);
	printf("victim: runs %u denied %u allowed %u other %u p50_ms %llu p99_ms %llu max_ms %llu\n",
	       n, denied, allowed, other,
	       n ? (unsigned long long)lat[n / 2] : 0ULL,
	       n ? (unsigned long long)lat[(n * 99) / 100] : 0ULL,
	       n ? (unsigned long long)lat[n - 1] : 0ULL);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "open-loop"))
		return open_loop(atoi(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "exec-loop"))
		return exec_loop(atoi(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "burst"))
		return burst(atoi(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "forkbomb"))
		return forkbomb(atoi(argv[2]), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "hog"))
		return hog(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "bigexec"))
		return bigexec(atoi(argv[2]), argv[3]);
	if (argc == 5 && !strcmp(argv[1], "victim"))
		return victim(atoi(argv[2]), atoi(argv[3]), argv[4]);
	fprintf(stderr, "usage: vigil_attack open-loop|exec-loop|burst|forkbomb|hog|bigexec|victim ...\n");
	return 2;
}
