// SPDX-License-Identifier: GPL-2.0
/*
 * Random ioctls on /dev/vigil, as a careless or hostile broker would send
 * them: every command of the shim's type, sizes around each struct's,
 * random fields (some pointing at real strings, some at nothing), bad
 * argument pointers; on a broker's session before and after its
 * handshake, and on a control handle.  Every call must return 0 or an
 * errno the ABI spec documents, the kernel log must stay clean, no fault
 * may be counted as the shim's own error, and the module must serve a
 * broker afterwards.
 *
 * The seed is logged; VIGIL_FUZZ_SEED=N replays a run.  It runs for
 * FUZZ_SECONDS, or, given vigil_ioctl_calls=N on the kernel command line
 * (make fuzz gives the debug kernel 1000000), until N calls are made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vigil_test.h"

#define FUZZ_SECONDS	3
#define PAGE		4096

static const unsigned int commands[] = {
	VIGIL_IOC_HANDSHAKE, VIGIL_IOC_SUBSCRIBE, VIGIL_IOC_VERDICT,
	VIGIL_IOC_WATCH, VIGIL_IOC_MUTE, VIGIL_IOC_CACHE_FLUSH,
	VIGIL_IOC_AUTH_STATS, VIGIL_IOC_WATCHDOG, VIGIL_IOC_REARM,
	VIGIL_IOC_LIMIT,
};

/* What Documentation/abi.rst lets an ioctl fail with, path lookups included. */
static const int documented[] = {
	EINVAL, ENOENT, EFAULT, EALREADY, EACCES, E2BIG, EPROTO,
	EPROTONOSUPPORT, EPERM, ENOSPC, ENOMEM, ENAMETOOLONG, EEXIST, EBUSY,
	EBADF, EAGAIN, ESRCH, ENOTTY, ENOTDIR, ENODEV, ELOOP,
};

static const char *const bad_log[] = {
	"WARNING:", "BUG:", "Oops", "general protection", "Call Trace",
	"KASAN", "lockdep", "possible circular", "blocked for more than",
};

static uint64_t rng;

/* xorshift64*: small, and the same sequence for the same seed. */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static int is_documented(int err)
{
	size_t i;

	for (i = 0; i < sizeof(documented) / sizeof(documented[0]); i++)
		if (documented[i] == err)
			return 1;
	return 0;
}

/* Strings a path field may point at: real, odd, and too long. */
static char *strings[6];

static void make_strings(void)
{
	static char longest[8192];

	memset(longest, 'a', sizeof(longest) - 1);
	longest[0] = '/';
	strings[0] = "/tmp";
	strings[1] = "/";
	strings[2] = "relative/path";
	strings[3] = "";
	strings[4] = "/nonexistent/x";
	strings[5] = longest;
}

/* A field's value: random, small, or the address of a string. */
static uint64_t field(void)
{
	switch (rnd() % 4) {
	case 0:
		return (uint64_t)(uintptr_t)strings[rnd() % 6];
	case 1:
		return rnd() % 8;
	case 2:
		return rnd() % 600;
	default:
		return rnd();
	}
}

struct arena {
	unsigned char *buf;	/* two pages, the second one inaccessible */
};

/* The argument: a buffer of fields, placed to end at the guard page
 * sometimes; or a pointer that is no buffer at all. */
static void *argument(struct arena *a, size_t size)
{
	static const uintptr_t bad[] = { 0, 1, 0xffffffff81000000UL, 0xdead000 };
	uint64_t *words = (uint64_t *)a->buf;
	size_t i;

	if (rnd() % 10 == 0)
		return (void *)bad[rnd() % 4];
	for (i = 0; i < PAGE / 8; i++)
		words[i] = field();
	if (size <= PAGE && rnd() % 4 == 0)
		return a->buf + PAGE - size;	/* the struct ends at the guard */
	return a->buf;
}

/* A command: a real one, or of the shim's type with another number,
 * direction or size. */
static unsigned int command(void)
{
	unsigned int cmd = commands[rnd() % (sizeof(commands) / sizeof(commands[0]))];

	switch (rnd() % 8) {
	case 0:
		return _IOC(rnd() % 4, VIGIL_IOC_MAGIC, rnd() % 16, rnd() % 600);
	case 1:
		return _IOC(_IOC_DIR(cmd), VIGIL_IOC_MAGIC, _IOC_NR(cmd),
			    rnd() % 600);
	default:
		return cmd;
	}
}

/* One random call on @fd: it must succeed, or fail as documented. */
static int fuzz_fd(struct __test_metadata *_metadata, struct arena *a, int fd,
		   unsigned long *calls)
{
	unsigned int cmd = command();
	void *arg = argument(a, _IOC_SIZE(cmd));

	(*calls)++;
	if (ioctl(fd, cmd, arg) == 0 || is_documented(errno))
		return 0;
	TH_LOG("ioctl 0x%08x (nr %u, size %u) failed with errno %d, which the ABI does not document",
	       cmd, _IOC_NR(cmd), _IOC_SIZE(cmd), errno);
	return -1;
}

static int open_session(int handshake)
{
	struct vigil_handshake hs = {
		.client_major = VIGIL_ABI_MAJOR,
		.client_minor = VIGIL_ABI_MINOR,
	};
	int fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd >= 0 && handshake)
		ioctl(fd, VIGIL_IOC_HANDSHAKE, &hs);
	return fd;
}

/* make fuzz's million calls take minutes on the debug kernel. */
FIXTURE(fuzz) {};
FIXTURE_SETUP(fuzz) {}
FIXTURE_TEARDOWN(fuzz) {}

TEST_F_TIMEOUT(fuzz, random_ioctls_fail_as_documented, 3600)
{
	struct vigil_watchdog_status before, after;
	const char *env = getenv("VIGIL_FUZZ_SEED");
	const char *goal = getenv("vigil_ioctl_calls");
	uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL) ^ getpid();
	unsigned long calls = 0, rounds = 0, target = goal ? strtoul(goal, NULL, 0) : 0;
	struct arena a;
	time_t end;
	char *log;
	size_t i;

	rng = seed ? seed : 1;
	TH_LOG("seed %llu (VIGIL_FUZZ_SEED=%llu replays it)",
	       (unsigned long long)seed, (unsigned long long)seed);
	make_strings();
	a.buf = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, a.buf);
	ASSERT_EQ(0, mprotect(a.buf + PAGE, PAGE, PROT_NONE));
	ASSERT_EQ(0, vt_watchdog(&before));
	vt_klog_mark("vigil-test: ioctl fuzzing begins\n");

	end = time(NULL) + FUZZ_SECONDS;
	while (target ? calls < target : time(NULL) < end) {
		int session = open_session(rnd() % 4 != 0);
		int control = open(VT_DEVICE, O_RDONLY | O_CLOEXEC);

		ASSERT_LE(0, session);
		ASSERT_LE(0, control);
		for (i = 0; i < 200; i++)
			ASSERT_EQ(0, fuzz_fd(_metadata, &a,
					     rnd() % 3 ? session : control, &calls));
		close(control);
		/* Unsubscribe, so that closing is not a broker_gone fault. */
		ioctl(session, VIGIL_IOC_SUBSCRIBE, &(struct vigil_subscribe){ 0 });
		close(session);
		rounds++;
	}
	TH_LOG("%lu random ioctls on %lu sessions", calls, rounds);

	ASSERT_EQ(0, vt_watchdog(&after));
	EXPECT_EQ(before.faults[VIGIL_FAULT_INTERNAL_ERROR],
		  after.faults[VIGIL_FAULT_INTERNAL_ERROR]);
	log = vt_klog_since("vigil-test: ioctl fuzzing begins\n");
	ASSERT_NE(NULL, log);
	for (i = 0; i < sizeof(bad_log) / sizeof(bad_log[0]); i++)
		EXPECT_EQ(0, vt_count_lines(log, bad_log[i])) TH_LOG("%s", log);
	free(log);

	/* And the shim still serves a broker. */
	{
		char *const argv[] = { "vigil_child", "exit", "0", NULL };
		struct vigil_shim shim;
		struct vt_log events = {};
		pid_t pid;

		ASSERT_EQ(0, vt_connect(&shim));
		pid = vt_spawn(VT_CHILD, argv);
		EXPECT_NE(NULL, vt_expect(&shim, &events, VIGIL_EVENT_EXEC, pid));
		vt_reap(pid);
		vt_log_free(&events);
		vigil_shim_close(&shim);
	}
	munmap(a.buf, 2 * PAGE);
}

TEST_HARNESS_MAIN
