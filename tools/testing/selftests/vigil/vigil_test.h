/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the vigil selftests: sessions with the shim (through
 * vigild's own session code), records collected from the ring, children
 * to watch, and the module.  The tests run as root in the VM (see
 * tools/testing/vm/), where the files named here exist.
 */
#ifndef VIGIL_TEST_H
#define VIGIL_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/vigil.h>

#include "event.h"
#include "shim.h"

#define VT_DEVICE	"/dev/vigil"
#define VT_MODULE	"/vigil/vigil.ko"
#define VT_CHILD	"/vigil/bin/vigil_child"
#define VT_VIGILD	"/vigil/bin/vigild"
#define VT_VIGILD_ABI2	"/vigil/bin/vigild-abi2"

/* A record copied out of the ring, and its decoded view into the copy. */
struct vt_event {
	struct vigil_event_view v;
	void *raw;
};

struct vt_log {
	struct vt_event *ev;
	size_t n;
	size_t cap;
	uint64_t malformed;
};

/* Open /dev/vigil, handshake, map the ring; 0 or -errno. */
int vt_connect(struct vigil_shim *shim);

/* Move every committed record into @log; the number moved, or -errno. */
long vt_drain(struct vigil_shim *shim, struct vt_log *log);

/* The pid an event is about: the child of a fork, the process otherwise. */
uint32_t vt_event_pid(const struct vigil_event_view *v);

/* The first event of @type about thread @pid in @log, or NULL. */
const struct vt_event *vt_find(const struct vt_log *log, uint32_t type,
			       uint32_t pid);

/* Drain and poll until vt_find() finds the event or @timeout_ms passes. */
const struct vt_event *vt_wait(struct vigil_shim *shim, struct vt_log *log,
			       uint32_t type, uint32_t pid, int timeout_ms);

void vt_log_free(struct vt_log *log);

/* The i-th argument (from 0) of an exec event's argv field, or NULL. */
const char *vt_argv(const struct vigil_event_view *v, unsigned int i);

/* fork() and execv() @path; the child exits 127 if exec fails. */
pid_t vt_spawn(const char *path, char *const argv[]);

/* waitpid() for @pid; its wait status, or -1. */
int vt_reap(pid_t pid);

/* The module: load with @params, unload; 0 or -errno. */
int vt_module_load(const char *params);
int vt_module_unload(void);
int vt_module_loaded(void);

/* A module parameter in sysfs: write or read; 0 or -errno. */
int vt_param_write(const char *name, const char *value);
int vt_param_read(const char *name, char *buf, size_t len);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t vt_now_ns(void);

#endif /* VIGIL_TEST_H */
