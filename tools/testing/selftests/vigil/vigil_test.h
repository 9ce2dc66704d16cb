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

#include "control.h"
#include "event.h"
#include "shim_client.h"

/*
 * The harness's time limit per test, 30 s, is for tests on a real CPU.
 * Here they run under emulation, and on the debug kernel (KASAN, lockdep,
 * kmemleak) a fork costs ten times as much: 800 forks took over 30 s.
 * TEST() and TEST_F() read the limit where they are used, after this.
 * run-tests.sh still bounds each test file.
 */
#ifdef TEST_TIMEOUT_DEFAULT
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 300
#endif

#define VT_DEVICE	"/dev/vigil"
#define VT_MODULE	"/vigil/vigil.ko"
#define VT_CHILD	"/vigil/bin/vigil_child"
#define VT_VIGILD	"/vigil/bin/vigild"
#define VT_VIGILD_ABI2	"/vigil/bin/vigild-abi2"
#define VT_VIGILCTL	"/vigil/bin/vigilctl"

/* The VM's vigil user and group (tools/testing/vm/etc/), vigild's own. */
#define VT_BROKER_ID	990

/*
 * The suite provokes faults on purpose (missed deadlines, brokers that
 * close with AUTH armed); so that they do not trip the watchdog, it runs
 * with one that needs 64 faults within one second.  watchdog_test sets
 * its own values after these; kernel_log_test checks that nothing
 * tripped before watchdog_test.
 */
#define VT_SUITE_PARAMS	"watchdog_faults=64 watchdog_window_ms=1000"

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

/*
 * vt_wait() for the tests' usual 5 seconds; on failure say, as a TAP
 * comment, which record is missing.  Returns the event's view or NULL.
 */
const struct vigil_event_view *vt_expect(struct vigil_shim *shim,
					 struct vt_log *log, uint32_t type,
					 uint32_t pid);

void vt_log_free(struct vt_log *log);

/* The i-th argument (from 0) of an exec event's argv field, or NULL. */
const char *vt_argv(const struct vigil_event_view *v, unsigned int i);

/* fork() and execv() @path; the child exits 127 if exec fails. */
pid_t vt_spawn(const char *path, char *const argv[]);

/*
 * As vt_spawn(), but the child first closes every descriptor but 0-2, so
 * that it does not hold the session's file (holders never wait on the
 * broker).  The child exits 126 if exec fails with EACCES, 127 otherwise.
 */
pid_t vt_spawn_clean(const char *path, char *const argv[]);

/* Send one verdict; 0 or -errno. */
int vt_answer(struct vigil_shim *shim, uint64_t id, uint32_t verdict,
	      uint32_t flags);

/* This session's AUTH counters of @type. */
struct vigil_auth_stats vt_auth_stats(struct vigil_shim *shim, uint32_t type);

/*
 * Run @path from a helper process, which forks it and waits for it: the
 * broker's own events are muted, so a child whose fork the tests want to
 * see must have another parent.  Returns the program's pid (gone by
 * then), its wait status in *status, and the helper's pid in *helper.
 */
pid_t vt_spawn_indirect(const char *path, char *const argv[], int *status,
			pid_t *helper);

/* waitpid() for @pid; its wait status, or -1. */
int vt_reap(pid_t pid);

/* The module: load with VT_SUITE_PARAMS, then @params; unload; 0 or -errno. */
/*
 * Load the module with the suite's parameters and @params after them, and
 * wait (up to 5 s) until mdev has given /dev/vigil to the vigil group, as
 * udev would.  0 or a negative errno (-ETIMEDOUT for the group).
 */
int vt_module_load(const char *params);

/* In a child about to exec vigild: become the vigil user.  0 or -1. */
int vt_become_broker(void);

/*
 * Start VT_VIGILD with @argv (argv[0] included, NULL-terminated) as the
 * vigil user, its stdout and stderr into the files @out and @err
 * (truncated).  Returns its pid at once, or -1.
 */
pid_t vt_spawn_vigild(const char *out, const char *err, char *const argv[]);
int vt_module_unload(void);
int vt_module_loaded(void);

/*
 * Write @text to an existing file (sysfs, debugfs, procfs), as echo does:
 * no create, truncate or chmod (vt_write_file() does those).  0 or -errno.
 */
int vt_write_text(const char *path, const char *text);

/* A module parameter in sysfs: write or read; 0 or -errno. */
int vt_param_write(const char *name, const char *value);
int vt_param_read(const char *name, char *buf, size_t len);

/* Files, without running a program: 0 or -errno. */
int vt_copy(const char *from, const char *to, int mode);
int vt_write_file(const char *path, const char *text, int mode);
/* The first @len - 1 bytes of @path, NUL-terminated, in @buf: "" if unreadable. */
const char *vt_read_text(const char *path, char *buf, size_t len);

/* A process's resident memory (VmRSS), in kB, or -1. */
long vt_rss_kb(pid_t pid);

/* Whether the file @path (its first 64 KiB) holds @needle; 0 if unreadable. */
int vt_file_contains(const char *path, const char *needle);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t vt_now_ns(void);

/*
 * How many times slower than a stock kernel this one runs: 3 on the debug
 * kernel (vigil_checks=1 in the environment, from its command line: KASAN,
 * lockdep and kmemleak make an exec 3 to 4 times slower), else 1.  The
 * deadlines and latency bounds of a timing test scale by it, so that it
 * asserts the same thing on both.
 */
unsigned int vt_slow(void);

/* The watchdog's status, through a control handle; 0 or -errno. */
int vt_watchdog(struct vigil_watchdog_status *st);

/* VIGIL_IOC_REARM through a control handle; 0 or -errno. */
int vt_rearm(void);

/*
 * Poll the status every 10 ms until faults[@class] reaches @count, or
 * @timeout_ms passes; the last status read is left in *st.  Returns 1 if
 * the count was reached.
 */
int vt_wait_faults(uint32_t class, uint64_t count, int timeout_ms,
		   struct vigil_watchdog_status *st);

/* The same, until the watchdog has tripped and its hooks are detached. */
int vt_wait_tripped(int timeout_ms, struct vigil_watchdog_status *st);

/* The same, until the watchdog is in @state (VIGIL_WATCHDOG_*). */
int vt_wait_state(uint32_t state, int timeout_ms, struct vigil_watchdog_status *st);

/* Write a line to the kernel log, to mark where a test begins. */
void vt_klog_mark(const char *mark);

/*
 * The kernel log after the last line holding @mark, NUL-terminated, to be
 * freed; NULL if it cannot be read.
 */
char *vt_klog_since(const char *mark);

/* Lines of @log that hold @needle. */
int vt_count_lines(const char *log, const char *needle);

/*
 * The cost of what users do, in nanoseconds: @execs runs of a program
 * and @opens opens of a file under /tmp, timed as a whole; the least of
 * @rounds rounds, to keep the host's noise out.
 */
uint64_t vt_exec_open_ns(unsigned int execs, unsigned int opens,
			 unsigned int rounds);

#endif /* VIGIL_TEST_H */
