// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vigil_test.h"

int vt_connect(struct vigil_shim *shim)
{
	char msg[256];
	int err;

	err = vigil_shim_open(shim, VT_DEVICE, VIGIL_ABI_MAJOR, VIGIL_ABI_MINOR,
			      msg, sizeof(msg));
	if (err)
		fprintf(stderr, "# vt_connect: %s\n", msg);
	return err;
}

static int log_record(const void *rec, uint32_t len, void *ctx)
{
	struct vt_log *log = ctx;
	struct vt_event *e;

	if (log->n == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 64;
		struct vt_event *ev = realloc(log->ev, cap * sizeof(*ev));

		if (!ev)
			return -ENOMEM;
		log->ev = ev;
		log->cap = cap;
	}
	e = &log->ev[log->n];
	e->raw = malloc(len);
	if (!e->raw)
		return -ENOMEM;
	memcpy(e->raw, rec, len);
	if (vigil_event_decode(e->raw, len, &e->v)) {
		free(e->raw);
		log->malformed++;
		return 0;
	}
	log->n++;
	return 0;
}

long vt_drain(struct vigil_shim *shim, struct vt_log *log)
{
	return vigil_shim_consume(shim, log_record, NULL, log);
}

uint32_t vt_event_pid(const struct vigil_event_view *v)
{
	const struct vigil_actor *actor = vigil_event_actor(v);

	if (actor)
		return actor->proc.pid;
	switch (v->type) {
	case VIGIL_EVENT_FORK:
		return v->fixed.fork.child_pid;
	case VIGIL_EVENT_EXEC:
		return v->fixed.exec.proc.pid;
	case VIGIL_EVENT_EXIT:
		return v->fixed.exit.proc.pid;
	case VIGIL_EVENT_AUTH_EXEC:
		return v->fixed.auth_exec.proc.pid;
	case VIGIL_EVENT_AUTH_OPEN:
		return v->fixed.auth_open.proc.pid;
	}
	return 0;
}

const struct vt_event *vt_find(const struct vt_log *log, uint32_t type,
			       uint32_t pid)
{
	size_t i;

	for (i = 0; i < log->n; i++)
		if (log->ev[i].v.type == type && vt_event_pid(&log->ev[i].v) == pid)
			return &log->ev[i];
	return NULL;
}

const struct vt_event *vt_wait(struct vigil_shim *shim, struct vt_log *log,
			       uint32_t type, uint32_t pid, int timeout_ms)
{
	uint64_t deadline = vt_now_ns() + (uint64_t)timeout_ms * 1000000;
	const struct vt_event *e;

	for (;;) {
		struct pollfd pfd = { .fd = shim->fd, .events = POLLIN };
		int64_t left;

		if (vt_drain(shim, log) < 0)
			return NULL;
		e = vt_find(log, type, pid);
		if (e)
			return e;
		left = (int64_t)(deadline - vt_now_ns()) / 1000000;
		if (left <= 0)
			return NULL;
		/* A record being written is ready within microseconds. */
		poll(&pfd, 1, left < 10 ? left : 10);
	}
}

const struct vigil_event_view *vt_expect(struct vigil_shim *shim,
					 struct vt_log *log, uint32_t type,
					 uint32_t pid)
{
	const struct vt_event *e = vt_wait(shim, log, type, pid, 5000);

	if (!e)
		fprintf(stderr, "# no %s record for pid %u\n",
			vigil_event_type_name(type), pid);
	return e ? &e->v : NULL;
}

void vt_log_free(struct vt_log *log)
{
	size_t i;

	for (i = 0; i < log->n; i++)
		free(log->ev[i].raw);
	free(log->ev);
	memset(log, 0, sizeof(*log));
}

const char *vt_argv(const struct vigil_event_view *v, unsigned int i)
{
	uint32_t off = 0;

	while (v->argv.data && off < v->argv.len) {
		const char *s = v->argv.data + off;

		if (!i--)
			return s;
		off += strlen(s) + 1;
	}
	return NULL;
}

pid_t vt_spawn(const char *path, char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		execv(path, argv);
		_exit(127);
	}
	return pid;
}

pid_t vt_spawn_clean(const char *path, char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		syscall(SYS_close_range, 3, ~0U, 0);
		execv(path, argv);
		_exit(errno == EACCES ? 126 : 127);
	}
	return pid;
}

pid_t vt_spawn_indirect(const char *path, char *const argv[], int *status,
			pid_t *helper)
{
	int report[2];
	int out[2] = { -1, -1 };

	if (pipe(report))
		return -1;
	*helper = fork();
	if (*helper == 0) {
		pid_t child = vt_spawn(path, argv);
		int st = vt_reap(child);

		out[0] = child;
		out[1] = st;
		_exit(write(report[1], out, sizeof(out)) == sizeof(out) ? 0 : 1);
	}
	close(report[1]);
	if (read(report[0], out, sizeof(out)) != sizeof(out))
		out[0] = -1;
	close(report[0]);
	vt_reap(*helper);
	*status = out[1];
	return out[0];
}

int vt_answer(struct vigil_shim *shim, uint64_t id, uint32_t verdict,
	      uint32_t flags)
{
	struct vigil_verdict v = { .id = id, .verdict = verdict, .flags = flags };
	uint32_t applied;

	return vigil_shim_verdicts(shim, &v, 1, &applied);
}

struct vigil_auth_stats vt_auth_stats(struct vigil_shim *shim, uint32_t type)
{
	struct vigil_auth_stats st;

	if (vigil_shim_auth_stats(shim, type, &st))
		memset(&st, 0xff, sizeof(st));
	return st;
}

int vt_reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* mdev applies /etc/mdev.conf after the device appears: wait for it. */
static int vt_wait_device_group(void)
{
	struct stat st;
	int i;

	for (i = 0; i < 500; i++) {
		if (!stat(VT_DEVICE, &st) && st.st_gid == VT_BROKER_ID &&
		    (st.st_mode & 0777) == 0660)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

int vt_module_load(const char *params)
{
	int fd = open(VT_MODULE, O_RDONLY | O_CLOEXEC);
	char args[512];
	int err = 0;

	if (fd < 0)
		return -errno;
	/* Later parameters win: @params override the suite's. */
	snprintf(args, sizeof(args), "%s %s", VT_SUITE_PARAMS, params ? params : "");
	if (syscall(SYS_finit_module, fd, args, 0))
		err = -errno;
	close(fd);
	return err ? err : vt_wait_device_group();
}

int vt_become_broker(void)
{
	gid_t gid = VT_BROKER_ID;

	return setgroups(1, &gid) || setgid(VT_BROKER_ID) || setuid(VT_BROKER_ID) ?
	       -1 : 0;
}

pid_t vt_spawn_vigild(const char *out, const char *err, char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		int ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int efd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (ofd < 0 || efd < 0 || dup2(ofd, 1) < 0 || dup2(efd, 2) < 0 ||
		    vt_become_broker())
			_exit(126);
		execv(VT_VIGILD, argv);
		_exit(127);
	}
	return pid;
}

int vt_module_unload(void)
{
	if (syscall(SYS_delete_module, "vigil", O_NONBLOCK))
		return -errno;
	return 0;
}

int vt_module_loaded(void)
{
	return access("/sys/module/vigil", F_OK) == 0;
}

static int param_open(const char *name, int flags)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/vigil/parameters/%s", name);
	return open(path, flags | O_CLOEXEC);
}

int vt_write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		err = -errno;
	close(fd);
	return err;
}

int vt_param_write(const char *name, const char *value)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/vigil/parameters/%s", name);
	return vt_write_text(path, value);
}

int vt_param_read(const char *name, char *buf, size_t len)
{
	int fd = param_open(name, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

const char *vt_read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

long vt_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int vt_file_contains(const char *path, const char *needle)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, needle) != NULL;
}

int vt_write_file(const char *path, const char *text, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	if (n != (ssize_t)strlen(text))
		return -EIO;
	return chmod(path, mode) ? -errno : 0;
}

int vt_copy(const char *from, const char *to, int mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out, err = 0;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		err = -errno;
		close(in);
		return err;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			err = -EIO;
	if (n < 0)
		err = -errno;
	close(in);
	close(out);
	return err ? err : (chmod(to, mode) ? -errno : 0);
}

uint64_t vt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

unsigned int vt_slow(void)
{
	const char *checks = getenv("vigil_checks");

	return checks && *checks && strcmp(checks, "0") ? 3 : 1;
}

int vt_watchdog(struct vigil_watchdog_status *st)
{
	int fd = vigil_control_open(VT_DEVICE), err;

	if (fd < 0)
		return fd;
	err = vigil_watchdog_status(fd, st);
	close(fd);
	return err;
}

int vt_rearm(void)
{
	int fd = vigil_control_open(VT_DEVICE), err;

	if (fd < 0)
		return fd;
	err = vigil_watchdog_rearm(fd);
	close(fd);
	return err;
}

static int vt_wait_status(int (*done)(const struct vigil_watchdog_status *,
				      uint32_t, uint64_t),
			  uint32_t class, uint64_t count, int timeout_ms,
			  struct vigil_watchdog_status *st)
{
	uint64_t end = vt_now_ns() + (uint64_t)timeout_ms * 1000000;

	for (;;) {
		if (!vt_watchdog(st) && done(st, class, count))
			return 1;
		if (vt_now_ns() > end)
			return 0;
		usleep(10 * 1000);
	}
}

static int faults_reached(const struct vigil_watchdog_status *st,
			  uint32_t class, uint64_t count)
{
	return st->faults[class] >= count;
}

static int tripped_and_detached(const struct vigil_watchdog_status *st,
				uint32_t class, uint64_t count)
{
	(void)class;
	(void)count;
	return st->state == VIGIL_WATCHDOG_TRIPPED && !st->hooks_attached;
}

int vt_wait_faults(uint32_t class, uint64_t count, int timeout_ms,
		   struct vigil_watchdog_status *st)
{
	return vt_wait_status(faults_reached, class, count, timeout_ms, st);
}

int vt_wait_tripped(int timeout_ms, struct vigil_watchdog_status *st)
{
	return vt_wait_status(tripped_and_detached, 0, 0, timeout_ms, st);
}

static int in_state(const struct vigil_watchdog_status *st, uint32_t state,
		    uint64_t unused)
{
	(void)unused;
	return st->state == state;
}

int vt_wait_state(uint32_t state, int timeout_ms, struct vigil_watchdog_status *st)
{
	return vt_wait_status(in_state, state, 0, timeout_ms, st);
}

void vt_klog_mark(const char *mark)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, mark, strlen(mark)) < 0)
		perror("# /dev/kmsg");
	close(fd);
}

char *vt_klog_since(const char *mark)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *from, *p;
	int n;

	if (size <= 0)
		return NULL;
	buf = calloc(1, size + 1);
	if (!buf)
		return NULL;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	from = buf;
	while ((p = strstr(from, mark)))
		from = p + strlen(mark);
	memmove(buf, from, strlen(from) + 1);
	return buf;
}

int vt_count_lines(const char *log, const char *needle)
{
	int n = 0;

	while (log && (log = strstr(log, needle))) {
		n++;
		log = strchr(log, '\n');
	}
	return n;
}

static uint64_t vt_exec_open_once(unsigned int execs, unsigned int opens)
{
	char *const argv[] = { "vigil_child", "exit", "0", NULL };
	uint64_t start = vt_now_ns();
	unsigned int i;

	for (i = 0; i < execs; i++)
		vt_reap(vt_spawn_clean(VT_CHILD, argv));
	for (i = 0; i < opens; i++) {
		int fd = open("/tmp/vt_latency", O_RDONLY | O_CLOEXEC);

		if (fd >= 0)
			close(fd);
	}
	return vt_now_ns() - start;
}

uint64_t vt_exec_open_ns(unsigned int execs, unsigned int opens,
			 unsigned int rounds)
{
	uint64_t best = UINT64_MAX;
	unsigned int i;

	vt_write_file("/tmp/vt_latency", "x", 0644);
	/* A round to warm the caches up, not counted. */
	vt_exec_open_once(execs, opens);
	for (i = 0; i < rounds; i++) {
		uint64_t t = vt_exec_open_once(execs, opens);

		if (t < best)
			best = t;
	}
	return best;
}
