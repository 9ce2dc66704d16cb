// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	return vigil_ring_consume(&shim->ring, log_record, log);
}

uint32_t vt_event_pid(const struct vigil_event_view *v)
{
	switch (v->type) {
	case VIGIL_EVENT_FORK:
		return v->fixed.fork.child_pid;
	case VIGIL_EVENT_EXEC:
		return v->fixed.exec.proc.pid;
	case VIGIL_EVENT_EXIT:
		return v->fixed.exit.proc.pid;
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

int vt_reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int vt_module_load(const char *params)
{
	int fd = open(VT_MODULE, O_RDONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params ? params : "", 0))
		err = -errno;
	close(fd);
	return err;
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

int vt_param_write(const char *name, const char *value)
{
	int fd = param_open(name, O_WRONLY);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		err = -errno;
	close(fd);
	return err;
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

uint64_t vt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
