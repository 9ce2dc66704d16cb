// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failures, walked one by one: every allocation that a
 * broker's command makes, in the shim and in the kernel code it calls, is
 * made to fail in turn, and each failure must either be ENOMEM and change
 * nothing, or be covered by a fallback and leave the command working.  A
 * refused request changes nothing in the shim (Documentation/abi.rst): this
 * is where that promise meets an allocator that says no.
 *
 * The kernel's fail-nth does the walking (Documentation/fault-injection/
 * in the kernel source): writing N to /proc/thread-self/fail-nth makes the
 * N-th fallible call of this thread fail, whatever it is: a slab or a page
 * allocation, the shim's own or one deep in kprobes or vmalloc.  So for N =
 * 1, 2, 3... a walk arms N, runs the operation, and reads the file back:
 * 0 means the N-th call came and failed; a number left means the operation
 * made fewer than N calls, each of which has failed once already, and the
 * walk is over.  What a failure must leave is checked before the next N,
 * and a success is undone, so that every try starts from the same state:
 *
 *   handshake   open("/dev/vigil") and VIGIL_IOC_HANDSHAKE, which make the
 *               session, its two rings, and attach the hooks that are not
 *               on demand (fork, exec, exit, AUTH_EXEC, AUTH_OPEN): no
 *               broker connected, no hook attached, and the device may be
 *               opened again (not EBUSY); a failed handshake succeeds when
 *               tried again on the same file.
 *   mmap        each of the four mappings (the ring's and the AUTH lane's,
 *               consumer and producer): a retry maps; once closed, the
 *               session is released (no mapping kept a reference).
 *   subscribe   each group on its own, so that the attach of every hook is
 *               walked: the process events, AUTH_EXEC, AUTH_OPEN (their
 *               hooks are the handshake's: nothing to walk here, which the
 *               count says), and each catalogue type, types 7 to 25: the
 *               kernel's kprobes are as before (the catalogue's hooks are
 *               kprobes and tracepoints) and the old subscription still
 *               delivers (a fork record); a success has exactly the
 *               kprobes that an uninjected subscription has.
 *   watch       watching /tmp, and no longer watching it: watched as
 *               before (EEXIST or ENOENT tell).
 *   mute        a process, an executable, a path prefix; added and
 *               removed: muted as before.
 *   limit       VIGIL_IOC_LIMIT: the limit is as before.  It allocates
 *               nothing: its walk finds no failure point.
 *   verdict     VIGIL_IOC_VERDICT answering a real exec waiting in the
 *               shim: on failure the exec still waits and the next try's
 *               verdict reaches it.
 *
 * The errors each documents (abi.rst: "Errors follow one discipline:
 * EFAULT, EINVAL, E2BIG, ENOMEM, EBUSY; the rest are listed per
 * command"), and the one an allocation failure may give:
 *
 *   open (O_RDWR)        EBUSY, EINVAL (O_WRONLY); ENOMEM      -> ENOMEM
 *   VIGIL_IOC_HANDSHAKE  EINVAL, E2BIG, EFAULT, EPROTONOSUPPORT,
 *                        EALREADY, ENOENT; ENOMEM               -> ENOMEM
 *   mmap                 EINVAL, EPERM, EPROTO, EBADF, EACCES;
 *                        mmap(2)'s own ENOMEM                   -> ENOMEM
 *   VIGIL_IOC_SUBSCRIBE  EINVAL; a hook's ENOENT or ENOMEM      -> ENOMEM
 *   VIGIL_IOC_WATCH      EINVAL, the lookup's, EEXIST, ENOENT,
 *                        ENOSPC; ENOMEM                         -> ENOMEM
 *   VIGIL_IOC_MUTE       EINVAL, ESRCH, ENAMETOOLONG, the
 *                        lookup's, EEXIST, ENOENT, ENOSPC; ENOMEM -> ENOMEM
 *   VIGIL_IOC_LIMIT      EINVAL, EFAULT                         -> (none)
 *   VIGIL_IOC_VERDICT    EINVAL, E2BIG, EFAULT, ENOENT; ENOMEM  -> ENOMEM
 *
 * Each walk must also leave the kernel log free of any report of the
 * kernel's checkers (KASAN, lockdep, kmemleak, a WARNING, a stack trace):
 * fail-nth itself prints nothing, with verbose 0.  Leaks are kmemleak's to
 * find: the VM's runner scans after each test file, and so does the last
 * test here.
 *
 * It needs a kernel built with fault injection (failslab, fail_page_alloc,
 * their debugfs files), as scripts/debug-kernel.sh builds it; it is listed
 * in debug-tests.list, not tests.list, and skips on any other kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vigil_test.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define DEBUGFS		"/sys/kernel/debug"
#define KPROBES_LIST	DEBUGFS "/kprobes/list"
#define KMEMLEAK	DEBUGFS "/kmemleak"

/*
 * The most failure points a walk may find.  The handshake has the most:
 * with fail_page_alloc's min-order at 0 each page of the rings is one (the
 * AUTH lane alone has 258, its vmap's KASAN shadow some 65 more), and each
 * slab allocation is two (kmemleak's record of it is one too).  Reaching
 * the bound means a walk that does not end: the test fails.
 */
#define WALK_MAX	1000

#define DEFAULT_EVENTS	(VIGIL_EVENT_BIT(VIGIL_EVENT_FORK) |		\
			 VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC) |		\
			 VIGIL_EVENT_BIT(VIGIL_EVENT_EXIT))
#define EXEC_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC)
#define OPEN_BIT	VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_OPEN)
#define WATCH_PATH	"/tmp"
#define MUTE_PREFIX	"/tmp/vt_alloc_fail"
#define LIMIT		1000
#define KPROBES_MAX	4096
/* Deeper than any walk goes: see grow_stack(). */
#define STACK_RESERVE	(256 << 10)

/*
 * The fault injection's knobs.  ignore-gfp-wait defaults to Y, which
 * exempts every allocation that may sleep (GFP_KERNEL: nearly all of the
 * shim's) from fail-nth; verbose defaults to 2, a stack trace per injected
 * failure, which the log check would take for a warning; min-order
 * defaults to 1, which exempts single pages (the rings' pages, page
 * tables, KASAN's shadow).  times only counts down as failures are
 * injected: it is put back as found.
 */
static const struct knob {
	const char *path;
	const char *value;		/* NULL: only restored */
} knobs[] = {
	{ DEBUGFS "/failslab/ignore-gfp-wait", "N" },
	{ DEBUGFS "/failslab/verbose", "0" },
	{ DEBUGFS "/failslab/times", NULL },
	{ DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N" },
	{ DEBUGFS "/fail_page_alloc/verbose", "0" },
	{ DEBUGFS "/fail_page_alloc/min-order", "0" },
	{ DEBUGFS "/fail_page_alloc/times", NULL },
};

/*
 * The module's parameters the test changes.  Sessions get the smallest
 * ring (64K: 16 pages, not 1024, each a failure point) and a small
 * verdict cache that still takes kvcalloc()'s two paths; the verdict walk
 * gives its exec all the time it needs.
 */
static const struct param {
	const char *name;
	const char *value;		/* NULL: set by a test, restored */
} params[] = {
	{ "ring_size", "65536" },
	{ "cache_size", "64" },
	{ "auth_exec_deadline_ms", NULL },
};

/* What the kernel's checkers print. */
static const char *const bad_log[] = {
	"WARNING:", "BUG:", "KASAN", "lockdep", "Call Trace", "Oops",
	"general protection", "possible circular", "possible recursive",
	"inconsistent lock", "suspicious RCU", "ODEBUG", "kmemleak:", "UBSAN",
	"list_add corruption", "list_del corruption", "blocked for more than",
};

/*
 * Printed under the walk, and no fault of anyone's: kmemleak's own records
 * are allocations too, and fail like the others.  A scan area it cannot
 * allocate makes it scan the whole object instead, and it says so once.
 */
static const char *const benign_log[] = {
	"kmemleak: Cannot allocate a scan area",
};

/*
 * The allocator's report of a failed allocation without __GFP_NOWARN:
 * its stack trace is a finding (such a failure, which the caller handles,
 * should not dump a stack), and these lines say where it came from.
 */
static const char *const alloc_report_log[] = {
	"vmalloc error", "page allocation failure", "percpu: allocation failed",
};

/* Failure points walked by every test, in a page the tests' processes share. */
static unsigned int *walked_total;

static void __attribute__((constructor)) walked_total_init(void)
{
	static unsigned int unshared;
	void *p = mmap(NULL, sizeof(*walked_total), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	walked_total = p == MAP_FAILED ? &unshared : p;
}

FIXTURE(alloc_fail) {
	int fail_nth;			/* FAIL_NTH, open */
	char knob[ARRAY_SIZE(knobs)][32];
	char param[ARRAY_SIZE(params)][32];
	char mark[128];
	/* The operation walked, and what it works on. */
	char what[64];
	struct vigil_shim shim;		/* a session of vt_connect() */
	int fd;				/* or one opened by hand */
	struct vigil_handshake hs;
	off_t map_off;			/* mmap */
	size_t map_len;
	int map_prot;
	void *addr;
	uint64_t events;		/* subscribe */
	char kprobes_base[KPROBES_MAX];
	char kprobes_want[KPROBES_MAX];
	int remove;			/* watch, mute: the way walked */
	struct vigil_mute mute;
	struct vigil_verdict verdict;	/* verdict */
	pid_t child;
	uint64_t answered;
};

/* An operation to walk: each try runs prepare, run, then undo or unchanged. */
struct walk_op {
	/* Outside the walk, before each try: what the operation needs. */
	void (*prepare)(struct __test_metadata *_metadata,
			FIXTURE_DATA(alloc_fail) *self);
	/*
	 * The operation: system calls only, so that nothing but the
	 * operation makes fallible calls while the walk is armed.
	 * Returns 0 or -errno.
	 */
	int (*run)(FIXTURE_DATA(alloc_fail) *self);
	/* It succeeded: check that it works, then undo it. */
	void (*undo)(struct __test_metadata *_metadata,
		     FIXTURE_DATA(alloc_fail) *self);
	/* It failed: check that it changed nothing. */
	void (*unchanged)(struct __test_metadata *_metadata,
			  FIXTURE_DATA(alloc_fail) *self);
};

/* A TAP comment, in the output even if the test then dies. */
static void __attribute__((format(printf, 1, 2))) note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

static void settings_save(FIXTURE_DATA(alloc_fail) *self)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		vt_read_text(knobs[i].path, self->knob[i], sizeof(self->knob[i]));
		self->knob[i][strcspn(self->knob[i], "\n")] = '\0';
	}
	for (i = 0; i < ARRAY_SIZE(params); i++)
		vt_param_read(params[i].name, self->param[i], sizeof(self->param[i]));
}

/* 0, or the first error, with the name of what could not be set. */
static int settings_apply(const char **what)
{
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		*what = params[i].name;
		err = params[i].value ? vt_param_write(params[i].name, params[i].value) : 0;
		if (err)
			return err;
	}
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		*what = knobs[i].path;
		err = knobs[i].value ? vt_write_text(knobs[i].path, knobs[i].value) : 0;
		if (err)
			return err;
	}
	return 0;
}

static void settings_restore(FIXTURE_DATA(alloc_fail) *self)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		if (self->knob[i][0])
			vt_write_text(knobs[i].path, self->knob[i]);
	for (i = 0; i < ARRAY_SIZE(params); i++)
		if (self->param[i][0])
			vt_param_write(params[i].name, self->param[i]);
}

/*
 * Grow the stack now, so that no page of it is faulted in while a walk is
 * armed: a fault's allocations are this thread's fallible calls too.
 */
static void __attribute__((noinline)) grow_stack(void)
{
	volatile char pad[STACK_RESERVE];
	size_t i;

	for (i = 0; i < sizeof(pad); i += 4096)
		pad[i] = 0;
}

FIXTURE_SETUP(alloc_fail)
{
	const char *what = "";
	int err;

	self->fail_nth = -1;
	self->fd = -1;
	self->shim.fd = -1;	/* vigil_shim_close() closes any fd >= 0 */
	if (access(FAIL_NTH, W_OK))
		SKIP(return, "no %s: a kernel without CONFIG_FAULT_INJECTION",
		     FAIL_NTH);
	if (access(knobs[0].path, W_OK) || access(knobs[3].path, W_OK))
		SKIP(return, "no failslab or fail_page_alloc in %s", DEBUGFS);
	self->fail_nth = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fail_nth);
	settings_save(self);
	/* Teardown runs only after a setup that completed: undo it here. */
	err = settings_apply(&what);
	if (err)
		settings_restore(self);
	ASSERT_EQ(0, err) TH_LOG("cannot set %s: %s", what, strerror(-err));
	snprintf(self->mark, sizeof(self->mark), "vigil-test: alloc_fail_test %s begins\n",
		 _metadata->name);
	vt_klog_mark(self->mark);
	grow_stack();
}

FIXTURE_TEARDOWN(alloc_fail)
{
	/* An assertion may have ended a walk armed: disarm it first. */
	if (self->fail_nth >= 0 && write(self->fail_nth, "0", 1) != 1)
		TH_LOG("cannot disarm %s: %s", FAIL_NTH, strerror(errno));
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		vt_reap(self->child);
	}
	if (self->addr)
		munmap(self->addr, self->map_len);
	if (self->fd >= 0)
		close(self->fd);
	vigil_shim_close(&self->shim);
	munlockall();
	settings_restore(self);
	if (self->fail_nth >= 0)
		close(self->fail_nth);
}

static bool line_has(const char *line, const char *const *needles, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strstr(line, needles[i]))
			return true;
	return false;
}

static bool line_is_bad(const char *line)
{
	return line_has(line, bad_log, ARRAY_SIZE(bad_log)) &&
	       !line_has(line, benign_log, ARRAY_SIZE(benign_log));
}

/* The kernel log since @mark holds no report; @what says whose it is. */
static void expect_quiet_klog(struct __test_metadata *_metadata,
			      const char *mark, const char *what)
{
	char *log = vt_klog_since(mark);
	int bad = 0, alloc_reports = 0;
	const char *p;

	ASSERT_NE(NULL, log) TH_LOG("cannot read the kernel log");
	for (p = log; *p;) {
		const char *end = strchrnul(p, '\n');
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)(end - p), p);
		if (line_has(line, alloc_report_log, ARRAY_SIZE(alloc_report_log))) {
			alloc_reports++;
			TH_LOG("%s: kernel log: %s", what, line);
		} else if (line_is_bad(line) && bad++ < 20) {
			TH_LOG("%s: kernel log: %s", what, line);
		}
		p = *end ? end + 1 : end;
	}
	free(log);
	EXPECT_EQ(0, bad) {
		TH_LOG("%s: %d lines of kernel reports%s", what, bad, alloc_reports ?
		       "; the allocator reported a failed allocation without __GFP_NOWARN" :
		       "");
	}
}

/* Arm the walk: the @n-th fallible call of this thread from now fails. */
static void arm(struct __test_metadata *_metadata, int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	ASSERT_EQ(len, write(fd, buf, len)) TH_LOG("cannot arm %s: %s", FAIL_NTH,
						   strerror(errno));
}

/*
 * Read what fail-nth has left, then disarm it, before anything else can
 * make a fallible call: 0 if the failure was injected; otherwise how many
 * calls short of it the operation stopped.  -1 if it cannot be read.
 */
static int disarm(int fd)
{
	char buf[16] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (write(fd, "0", 1) != 1 || n <= 0)
		return -1;
	return atoi(buf);
}

/*
 * No page may be faulted in while the walk is armed: lock every page in
 * now.  Done before each try, as a fork since the last one (a child
 * spawned, the harness's own) made the writable pages copy-on-write: the
 * write fault populating them here breaks that.
 */
static void settle_memory(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, mlockall(MCL_CURRENT)) TH_LOG("mlockall: %s", strerror(errno));
}

/* Try @op with its @n-th fallible call failing.  Returns what fail-nth left. */
static int try_nth(struct __test_metadata *_metadata,
		   FIXTURE_DATA(alloc_fail) *self, const struct walk_op *op,
		   unsigned int n, int *err)
{
	if (op->prepare)
		op->prepare(_metadata, self);
	settle_memory(_metadata);
	arm(_metadata, self->fail_nth, n);
	*err = op->run(self);
	return disarm(self->fail_nth);
}

/* Walk every failure point of @op, named self->what.  Returns their number. */
static unsigned int walk(struct __test_metadata *_metadata,
			 FIXTURE_DATA(alloc_fail) *self, const struct walk_op *op)
{
	unsigned int n, fallbacks = 0;
	char mark[128];

	snprintf(mark, sizeof(mark), "vigil-test: alloc_fail_test walks %s\n", self->what);
	vt_klog_mark(mark);
	for (n = 1; n <= WALK_MAX; n++) {
		int err, left = try_nth(_metadata, self, op, n, &err);

		ASSERT_LE(0, left) TH_LOG("%s: cannot read %s", self->what, FAIL_NTH);
		if (left) {
			/* No n-th call: the n - 1 before it are walked. */
			ASSERT_EQ(0, err) TH_LOG("%s fails with nothing injected: %s",
						 self->what, strerror(-err));
			op->undo(_metadata, self);
			break;
		}
		if (!err) {
			fallbacks++;
			op->undo(_metadata, self);
			continue;
		}
		ASSERT_EQ(-ENOMEM, err) {
			TH_LOG("%s: failure point %u gives %s; documented: ENOMEM",
			       self->what, n, strerror(-err));
		}
		op->unchanged(_metadata, self);
	}
	ASSERT_LE(n, WALK_MAX) TH_LOG("%s: %u failure points and more", self->what,
				      WALK_MAX);
	expect_quiet_klog(_metadata, mark, self->what);
	note("%s: %u failure points walked (%u covered by a fallback)",
	     self->what, n - 1, fallbacks);
	*walked_total += n - 1;
	return n - 1;
}

/* After a test: the watchdog armed, no broker left, a quiet kernel log. */
static void expect_clean_end(struct __test_metadata *_metadata,
			     FIXTURE_DATA(alloc_fail) *self)
{
	struct vigil_watchdog_status st;

	ASSERT_EQ(0, vt_watchdog(&st));
	EXPECT_EQ(VIGIL_WATCHDOG_ARMED, st.state);
	EXPECT_EQ(0, st.broker_connected);
	expect_quiet_klog(_metadata, self->mark, _metadata->name);
}

static void set_what(FIXTURE_DATA(alloc_fail) *self, const char *fmt, const char *arg)
{
	snprintf(self->what, sizeof(self->what), fmt, arg);
}

/* The handshake ------------------------------------------------------- */

static int handshake(int fd, struct vigil_handshake *hs)
{
	memset(hs, 0, sizeof(*hs));
	hs->client_major = VIGIL_ABI_MAJOR;
	hs->client_minor = VIGIL_ABI_MINOR;
	return ioctl(fd, VIGIL_IOC_HANDSHAKE, hs) ? -errno : 0;
}

static void close_session(FIXTURE_DATA(alloc_fail) *self)
{
	close(self->fd);
	self->fd = -1;
}

/* The shim's word: a broker connected with its hooks attached, or none. */
static void expect_connected(struct __test_metadata *_metadata, int connected)
{
	struct vigil_watchdog_status st;

	ASSERT_EQ(0, vt_watchdog(&st));
	EXPECT_EQ(VIGIL_WATCHDOG_ARMED, st.state);
	EXPECT_EQ(connected, st.broker_connected);
	EXPECT_EQ(connected, st.hooks_attached);
}

static int handshake_run(FIXTURE_DATA(alloc_fail) *self)
{
	self->fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	if (self->fd < 0)
		return -errno;
	return handshake(self->fd, &self->hs);
}

static void handshake_undo(struct __test_metadata *_metadata,
			   FIXTURE_DATA(alloc_fail) *self)
{
	expect_connected(_metadata, 1);
	close_session(self);
	expect_connected(_metadata, 0);
}

static void handshake_unchanged(struct __test_metadata *_metadata,
				FIXTURE_DATA(alloc_fail) *self)
{
	expect_connected(_metadata, 0);
	if (self->fd < 0) {
		/* The open failed: the device is not left taken (EBUSY). */
		self->fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, self->fd) TH_LOG("open again: %s", strerror(errno));
	} else {
		/* The handshake failed: the same session may try again. */
		ASSERT_EQ(0, handshake(self->fd, &self->hs));
		expect_connected(_metadata, 1);
	}
	close_session(self);
	expect_connected(_metadata, 0);
}

TEST_F_TIMEOUT(alloc_fail, every_failed_handshake_is_enomem_and_changes_nothing, 400)
{
	static const struct walk_op op = {
		.run = handshake_run,
		.undo = handshake_undo,
		.unchanged = handshake_unchanged,
	};

	expect_connected(_metadata, 0);
	set_what(self, "%s", "handshake");
	walk(_metadata, self, &op);
	expect_clean_end(_metadata, self);
}

/* The mappings -------------------------------------------------------- */

static const struct mapping {
	const char *name;
	bool lane;
	bool producer;
} mappings[] = {
	{ "mmap of the ring's consumer page", false, false },
	{ "mmap of the ring's producer pages", false, true },
	{ "mmap of the AUTH lane's consumer page", true, false },
	{ "mmap of the AUTH lane's producer pages", true, true },
};

static void mapping_args(FIXTURE_DATA(alloc_fail) *self, const struct mapping *m)
{
	const struct vigil_handshake *hs = &self->hs;
	uint64_t size = m->lane ? hs->auth_ring_data_size : hs->ring_data_size;

	if (m->producer) {
		self->map_off = m->lane ? hs->auth_ring_producer_off : hs->ring_producer_off;
		self->map_len = hs->ring_page_size + 2 * size;
		self->map_prot = PROT_READ;
	} else {
		self->map_off = m->lane ? hs->auth_ring_consumer_off : hs->ring_consumer_off;
		self->map_len = hs->ring_page_size;
		self->map_prot = PROT_READ | PROT_WRITE;
	}
}

static int mmap_run(FIXTURE_DATA(alloc_fail) *self)
{
	void *p = mmap(NULL, self->map_len, self->map_prot, MAP_SHARED,
		       self->fd, self->map_off);

	if (p == MAP_FAILED)
		return -errno;
	self->addr = p;
	return 0;
}

static void unmap(struct __test_metadata *_metadata, FIXTURE_DATA(alloc_fail) *self)
{
	/* Mapped: its first word reads (a hole would be SIGBUS or SIGSEGV). */
	(void)*(volatile uint64_t *)self->addr;
	EXPECT_EQ(0, munmap(self->addr, self->map_len));
	self->addr = NULL;
}

static void mmap_undo(struct __test_metadata *_metadata, FIXTURE_DATA(alloc_fail) *self)
{
	unmap(_metadata, self);
}

static void mmap_unchanged(struct __test_metadata *_metadata,
			   FIXTURE_DATA(alloc_fail) *self)
{
	ASSERT_EQ(0, mmap_run(self)) TH_LOG("%s again: %s", self->what, strerror(errno));
	unmap(_metadata, self);
}

TEST_F_TIMEOUT(alloc_fail, every_failed_mmap_is_enomem_and_a_retry_maps, 300)
{
	static const struct walk_op op = {
		.run = mmap_run,
		.undo = mmap_undo,
		.unchanged = mmap_unchanged,
	};
	size_t i;

	self->fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, handshake(self->fd, &self->hs));
	for (i = 0; i < ARRAY_SIZE(mappings); i++) {
		set_what(self, "%s", mappings[i].name);
		mapping_args(self, &mappings[i]);
		walk(_metadata, self, &op);
	}
	/* No mapping, failed or not, kept the session: closing releases it. */
	close_session(self);
	expect_connected(_metadata, 0);
	self->fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open after the walks: %s", strerror(errno));
	close_session(self);
	expect_clean_end(_metadata, self);
}

/* Subscriptions ------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The kernel's kprobes, as the sorted list of their places
 * ("commit_creds+0x0"), one a line: most of the catalogue's hooks are
 * kprobes, so this shows which are attached.  Empty if not readable.
 */
static void kprobes_read(char *out, size_t len)
{
	static char raw[16384];
	char *place[256], *line, *save;
	size_t n = 0, i, used = 0;

	out[0] = '\0';
	vt_read_text(KPROBES_LIST, raw, sizeof(raw));
	for (line = strtok_r(raw, "\n", &save); line && n < ARRAY_SIZE(place);
	     line = strtok_r(NULL, "\n", &save)) {
		char *f, *s2;

		/* "address  type  place  [flags]": the third field. */
		f = strtok_r(line, " \t", &s2);
		f = f ? strtok_r(NULL, " \t", &s2) : NULL;
		f = f ? strtok_r(NULL, " \t", &s2) : NULL;
		if (f)
			place[n++] = f;
	}
	qsort(place, n, sizeof(place[0]), cmp_str);
	for (i = 0; i < n && used < len; i++)
		used += snprintf(out + used, len - used, "%s\n", place[i]);
}

static void expect_kprobes(struct __test_metadata *_metadata,
			   const char *want, const char *what)
{
	char now[KPROBES_MAX];

	kprobes_read(now, sizeof(now));
	EXPECT_STREQ(want, now) TH_LOG("kprobes %s", what);
}

/*
 * Make a process that the broker did not fork fork a child, which the
 * default subscription reports.  Returns the child's pid, or -1.
 */
static pid_t fork_grandchild(void)
{
	pid_t helper, child = -1;
	int p[2];

	if (pipe(p))
		return -1;
	helper = fork();
	if (helper == 0) {
		/* The pipe's end stays open: all else goes. */
		syscall(SYS_close_range, 3, p[1] - 1, 0);
		syscall(SYS_close_range, p[1] + 1, ~0U, 0);
		child = fork();
		if (child == 0)
			_exit(0);
		_exit(write(p[1], &child, sizeof(child)) == sizeof(child) ? 0 : 1);
	}
	close(p[1]);
	if (helper < 0 || read(p[0], &child, sizeof(child)) != sizeof(child))
		child = -1;
	close(p[0]);
	if (helper > 0)
		vt_reap(helper);
	return child;
}

/* The session still has its old subscription: a fork is reported. */
static void expect_fork_reported(struct __test_metadata *_metadata,
				 FIXTURE_DATA(alloc_fail) *self)
{
	struct vt_log log = { 0 };
	pid_t child = fork_grandchild();

	ASSERT_LT(0, child);
	EXPECT_NE(NULL, vt_wait(&self->shim, &log, VIGIL_EVENT_FORK, child, 5000)) {
		TH_LOG("%s: no fork record after a failure: the subscription changed",
		       self->what);
	}
	vt_log_free(&log);
}

static int subscribe_run(FIXTURE_DATA(alloc_fail) *self)
{
	return vigil_shim_subscribe(&self->shim, self->events);
}

static void subscribe_undo(struct __test_metadata *_metadata,
			   FIXTURE_DATA(alloc_fail) *self)
{
	expect_kprobes(_metadata, self->kprobes_want, "after a success");
	ASSERT_EQ(0, vigil_shim_subscribe(&self->shim, DEFAULT_EVENTS));
	expect_kprobes(_metadata, self->kprobes_base, "after undoing a success");
}

static void subscribe_unchanged(struct __test_metadata *_metadata,
				FIXTURE_DATA(alloc_fail) *self)
{
	expect_kprobes(_metadata, self->kprobes_base, "after a failure");
	expect_fork_reported(_metadata, self);
}

/*
 * Walk subscribing to @events alone, from the default subscription: so a
 * failure that kept the new subscription would lose the fork records.
 */
static void walk_subscribe(struct __test_metadata *_metadata,
			   FIXTURE_DATA(alloc_fail) *self, const char *name,
			   uint64_t events)
{
	static const struct walk_op op = {
		.run = subscribe_run,
		.undo = subscribe_undo,
		.unchanged = subscribe_unchanged,
	};

	set_what(self, "subscribe %s", name);
	self->events = events;
	/* Every success must have the kprobes that a clean one has. */
	ASSERT_EQ(0, vigil_shim_subscribe(&self->shim, events));
	kprobes_read(self->kprobes_want, sizeof(self->kprobes_want));
	ASSERT_EQ(0, vigil_shim_subscribe(&self->shim, DEFAULT_EVENTS));
	walk(_metadata, self, &op);
}

TEST_F_TIMEOUT(alloc_fail, every_failed_subscribe_is_enomem_and_changes_nothing, 400)
{
	uint32_t type;

	ASSERT_EQ(0, vt_connect(&self->shim));
	kprobes_read(self->kprobes_base, sizeof(self->kprobes_base));
	if (!self->kprobes_base[0])
		note("no %s: a subscription's kprobes are not compared", KPROBES_LIST);
	walk_subscribe(_metadata, self, "fork, exec, exit", DEFAULT_EVENTS);
	walk_subscribe(_metadata, self, "auth_exec", EXEC_BIT);
	walk_subscribe(_metadata, self, "auth_open", OPEN_BIT);
	for (type = VIGIL_EVENT_CRED; type <= VIGIL_EVENT_FILE_TRUNCATE; type++)
		walk_subscribe(_metadata, self, vigil_event_type_name(type),
			       VIGIL_EVENT_BIT(type));
	vigil_shim_close(&self->shim);
	expect_clean_end(_metadata, self);
}

/* Watches ------------------------------------------------------------- */

static int watch_run(FIXTURE_DATA(alloc_fail) *self)
{
	return vigil_shim_watch(&self->shim, WATCH_PATH, self->remove);
}

/* A success is undone by the other way, which must then work. */
static void watch_undo(struct __test_metadata *_metadata,
		       FIXTURE_DATA(alloc_fail) *self)
{
	EXPECT_EQ(0, vigil_shim_watch(&self->shim, WATCH_PATH, !self->remove));
}

/* Watched as before: adding finds it there, removing does not. */
static void watch_unchanged(struct __test_metadata *_metadata,
			    FIXTURE_DATA(alloc_fail) *self)
{
	EXPECT_EQ(self->remove ? -EEXIST : -ENOENT,
		  vigil_shim_watch(&self->shim, WATCH_PATH, !self->remove));
}

TEST_F_TIMEOUT(alloc_fail, every_failed_watch_is_enomem_and_changes_nothing, 300)
{
	static const struct walk_op op = {
		.run = watch_run,
		.undo = watch_undo,
		.unchanged = watch_unchanged,
	};

	/* A fresh session: its first watch makes the group of keep marks. */
	ASSERT_EQ(0, vt_connect(&self->shim));
	set_what(self, "watch %s", WATCH_PATH);
	walk(_metadata, self, &op);
	ASSERT_EQ(0, vigil_shim_watch(&self->shim, WATCH_PATH, 0));
	self->remove = 1;
	set_what(self, "unwatch %s", WATCH_PATH);
	walk(_metadata, self, &op);
	EXPECT_EQ(0, vigil_shim_watch(&self->shim, WATCH_PATH, 1));
	vigil_shim_close(&self->shim);
	expect_clean_end(_metadata, self);
}

/* Mutes --------------------------------------------------------------- */

static int mute_cmd(FIXTURE_DATA(alloc_fail) *self, int remove)
{
	struct vigil_mute m = self->mute;

	m.flags = remove ? VIGIL_MUTE_F_REMOVE : 0;
	return vigil_shim_mute(&self->shim, &m);
}

static int mute_run(FIXTURE_DATA(alloc_fail) *self)
{
	return mute_cmd(self, self->remove);
}

static void mute_undo(struct __test_metadata *_metadata,
		      FIXTURE_DATA(alloc_fail) *self)
{
	EXPECT_EQ(0, mute_cmd(self, !self->remove));
}

/* Muted as before: adding finds it there, removing does not. */
static void mute_unchanged(struct __test_metadata *_metadata,
			   FIXTURE_DATA(alloc_fail) *self)
{
	EXPECT_EQ(self->remove ? -EEXIST : -ENOENT, mute_cmd(self, !self->remove));
}

static void walk_mute(struct __test_metadata *_metadata,
		      FIXTURE_DATA(alloc_fail) *self, const char *name,
		      const struct vigil_mute *m)
{
	static const struct walk_op op = {
		.run = mute_run,
		.undo = mute_undo,
		.unchanged = mute_unchanged,
	};

	self->mute = *m;
	self->remove = 0;
	set_what(self, "mute %s", name);
	walk(_metadata, self, &op);
	ASSERT_EQ(0, mute_cmd(self, 0));
	self->remove = 1;
	set_what(self, "unmute %s", name);
	walk(_metadata, self, &op);
	EXPECT_EQ(0, mute_cmd(self, 1));
}

TEST_F_TIMEOUT(alloc_fail, every_failed_mute_is_enomem_and_changes_nothing, 300)
{
	const struct vigil_mute process = { .kind = VIGIL_MUTE_PROCESS, .tgid = 1 };
	const struct vigil_mute exe = {
		.kind = VIGIL_MUTE_EXE, .path = (uintptr_t)VT_CHILD,
	};
	const struct vigil_mute path = {
		.kind = VIGIL_MUTE_PATH, .path = (uintptr_t)MUTE_PREFIX,
	};

	ASSERT_EQ(0, vt_connect(&self->shim));
	walk_mute(_metadata, self, "process 1", &process);
	walk_mute(_metadata, self, "exe " VT_CHILD, &exe);
	walk_mute(_metadata, self, "path " MUTE_PREFIX, &path);
	vigil_shim_close(&self->shim);
	expect_clean_end(_metadata, self);
}

/* Rate limits --------------------------------------------------------- */

static int limit_run(FIXTURE_DATA(alloc_fail) *self)
{
	uint32_t per_second = LIMIT;
	uint64_t skipped;

	return vigil_shim_limit(&self->shim, VIGIL_EVENT_FORK, &per_second, 0,
				&skipped);
}

static void expect_limit(struct __test_metadata *_metadata,
			 FIXTURE_DATA(alloc_fail) *self, uint32_t want)
{
	uint32_t per_second = 0;
	uint64_t skipped;

	ASSERT_EQ(0, vigil_shim_limit(&self->shim, VIGIL_EVENT_FORK, &per_second,
				      1, &skipped));
	EXPECT_EQ(want, per_second);
}

static void limit_undo(struct __test_metadata *_metadata,
		       FIXTURE_DATA(alloc_fail) *self)
{
	uint32_t none = 0;
	uint64_t skipped;

	expect_limit(_metadata, self, LIMIT);
	ASSERT_EQ(0, vigil_shim_limit(&self->shim, VIGIL_EVENT_FORK, &none, 0,
				      &skipped));
}

static void limit_unchanged(struct __test_metadata *_metadata,
			    FIXTURE_DATA(alloc_fail) *self)
{
	expect_limit(_metadata, self, 0);
}

TEST_F_TIMEOUT(alloc_fail, every_failed_limit_is_enomem_and_changes_nothing, 120)
{
	static const struct walk_op op = {
		.run = limit_run,
		.undo = limit_undo,
		.unchanged = limit_unchanged,
	};

	ASSERT_EQ(0, vt_connect(&self->shim));
	set_what(self, "%s", "limit");
	walk(_metadata, self, &op);
	expect_limit(_metadata, self, 0);
	vigil_shim_close(&self->shim);
	expect_clean_end(_metadata, self);
}

/* Verdicts ------------------------------------------------------------ */

/* An exec waiting in the shim for its verdict: spawn one if none waits. */
static void verdict_prepare(struct __test_metadata *_metadata,
			    FIXTURE_DATA(alloc_fail) *self)
{
	char *argv[] = { "vigil_child", "exit", "0", NULL };
	struct vt_log log = { 0 };
	const struct vt_event *e;

	if (self->child > 0)
		return;
	self->child = vt_spawn_clean(VT_CHILD, argv);
	ASSERT_LT(0, self->child);
	e = vt_wait(&self->shim, &log, VIGIL_EVENT_AUTH_EXEC, self->child, 5000);
	ASSERT_NE(NULL, e) TH_LOG("no AUTH_EXEC record for %d", self->child);
	memset(&self->verdict, 0, sizeof(self->verdict));
	self->verdict.id = e->v.fixed.auth_exec.auth.id;
	self->verdict.verdict = VIGIL_VERDICT_ALLOW;
	vt_log_free(&log);
}

static int verdict_run(FIXTURE_DATA(alloc_fail) *self)
{
	struct vigil_verdicts vs = {
		.entries = (uintptr_t)&self->verdict,
		.count = 1,
		.entry_size = sizeof(self->verdict),
	};

	return ioctl(self->shim.fd, VIGIL_IOC_VERDICT, &vs) ? -errno : 0;
}

static uint64_t answered(FIXTURE_DATA(alloc_fail) *self)
{
	return vt_auth_stats(&self->shim, VIGIL_EVENT_AUTH_EXEC).answered;
}

/* Applied: the exec went on, allowed, and was counted as answered. */
static void verdict_undo(struct __test_metadata *_metadata,
			 FIXTURE_DATA(alloc_fail) *self)
{
	EXPECT_EQ(0, vt_reap(self->child));
	self->child = 0;
	EXPECT_EQ(++self->answered, answered(self));
}

/* Not applied: the exec still waits, for the next try's verdict. */
static void verdict_unchanged(struct __test_metadata *_metadata,
			      FIXTURE_DATA(alloc_fail) *self)
{
	EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG));
	EXPECT_EQ(self->answered, answered(self));
}

TEST_F_TIMEOUT(alloc_fail, every_failed_verdict_is_enomem_and_changes_nothing, 300)
{
	static const struct walk_op op = {
		.prepare = verdict_prepare,
		.run = verdict_run,
		.undo = verdict_undo,
		.unchanged = verdict_unchanged,
	};

	/* The exec waits the whole walk, with all the time it may have. */
	ASSERT_EQ(0, vt_param_write("auth_exec_deadline_ms", "30000"));
	ASSERT_EQ(0, vt_connect(&self->shim));
	ASSERT_EQ(0, vigil_shim_subscribe(&self->shim, DEFAULT_EVENTS | EXEC_BIT));
	set_what(self, "%s", "verdict");
	walk(_metadata, self, &op);
	/* The clean goodbye: unsubscribed first, so not a broker gone. */
	vigil_shim_close(&self->shim);
	expect_clean_end(_metadata, self);
}

/* Last: the count, and what kmemleak finds ---------------------------- */

/*
 * kmemleak reports objects 5 s old or more, unreferenced at its scan:
 * wait that long first.  The VM's runner scans again after the file.
 */
TEST_F_TIMEOUT(alloc_fail, the_walks_leaked_nothing, 300)
{
	static char report[8192];

	note("total: %u failure points walked", *walked_total);
	if (access(KMEMLEAK, W_OK))
		SKIP(return, "no %s: a kernel without kmemleak", KMEMLEAK);
	sleep(6);
	ASSERT_EQ(0, vt_write_text(KMEMLEAK, "scan")) TH_LOG("kmemleak is off");
	vt_read_text(KMEMLEAK, report, sizeof(report));
	EXPECT_STREQ("", report) TH_LOG("kmemleak:\n%s", report);
	expect_clean_end(_metadata, self);
}

TEST_HARNESS_MAIN
