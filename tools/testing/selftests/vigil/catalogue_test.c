// SPDX-License-Identifier: GPL-2.0
/*
 * The catalogue (ABI 1.3): credential, signal, ptrace, module, mount,
 * network and file events.  For each, a child of the test does the thing
 * and exactly one record of the type comes, about that child, with the
 * right fields and its actor block; unsubscribed, none comes; muted (by
 * the executable, and for paths by prefix), none comes.  Also: the hooks
 * are attached only while subscribed, and a rate limit skips and counts.
 *
 * The children are forks of the test, the broker, whose own events are
 * muted: a child has its own process, so its events are not.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vigil_test.h"

#define DIR		"/tmp/cat_dir"
#define MNT		"/tmp/cat_mnt"
#define MODULE		"/vigil/kmods/minix.ko"
#define SETTLE_MS	200	/* a second record would have come by then */

#define BIT(t)		VIGIL_EVENT_BIT(t)
#define NET_EVENTS	(BIT(VIGIL_EVENT_NET_CONNECT) | BIT(VIGIL_EVENT_NET_BIND) | \
			 BIT(VIGIL_EVENT_NET_LISTEN) | BIT(VIGIL_EVENT_NET_ACCEPT))

FIXTURE(cat) {
	struct vigil_shim shim;
	struct vt_log log;
};

FIXTURE_SETUP(cat)
{
	ASSERT_EQ(0, vt_connect(&self->shim));
	/* What a failed exe path case may have left mounted. */
	umount2(DIR "/n", MNT_DETACH);
	umount2(DIR "/m", MNT_DETACH);
	system("rm -rf " DIR " && mkdir -p " DIR);
	ASSERT_EQ(0, vt_write_file(DIR "/file", "data", 0644));
}

FIXTURE_TEARDOWN(cat)
{
	vt_log_free(&self->log);
	vigil_shim_close(&self->shim);
}

/* Run @fn(@arg) in a child and wait for it; its pid, or -1. */
static pid_t in_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? pid : -1;
}

/* Records of @type about @pid, once nothing more can be on its way. */
static unsigned int count(struct vigil_shim *shim, struct vt_log *log,
			  uint32_t type, pid_t pid)
{
	unsigned int n = 0;
	size_t i;

	usleep(SETTLE_MS * 1000);
	vt_drain(shim, log);
	for (i = 0; i < log->n; i++)
		n += log->ev[i].v.type == type && vt_event_pid(&log->ev[i].v) == (uint32_t)pid;
	return n;
}

/*
 * Exactly one record of @type about @pid: the view, or NULL (with the
 * count logged).
 */
static const struct vigil_event_view *one(struct __test_metadata *_metadata,
					  struct vigil_shim *shim, struct vt_log *log,
					  uint32_t type, pid_t pid)
{
	const struct vigil_event_view *v = vt_expect(shim, log, type, pid);
	unsigned int n = count(shim, log, type, pid);

	if (n != 1)
		TH_LOG("%u %s records about pid %d, not 1", n, vigil_event_type_name(type), pid);
	return n == 1 ? v : NULL;
}

/* The actor block every catalogue record starts with. */
static void check_actor(struct __test_metadata *_metadata,
			const struct vigil_event_view *v, pid_t pid)
{
	const struct vigil_actor *a = vigil_event_actor(v);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	ASSERT_NE(NULL, a);
	EXPECT_EQ(pid, a->proc.pid);
	EXPECT_EQ(pid, a->proc.tgid);
	EXPECT_EQ(getpid(), a->proc.ppid);
	EXPECT_NE(0, a->cgroup_id);
	ASSERT_LT(0, n);
	exe[n] = '\0';
	ASSERT_NE(NULL, v->exe.data);
	EXPECT_STREQ(exe, v->exe.data);
}

static void subscribe(struct __test_metadata *_metadata, struct vigil_shim *shim,
		      uint64_t events)
{
	ASSERT_EQ(0, vigil_shim_subscribe(shim, events));
}

/* Mute what this test's executable (so its children) does, for @events. */
static void mute_self(struct __test_metadata *_metadata, struct vigil_shim *shim,
		      uint64_t events)
{
	struct vigil_mute m = {
		.kind = VIGIL_MUTE_EXE, .events = events,
		.path = (uintptr_t)"/proc/self/exe",
	};

	ASSERT_EQ(0, vigil_shim_mute(shim, &m));
}

static void unmute_self(struct __test_metadata *_metadata, struct vigil_shim *shim)
{
	struct vigil_mute m = {
		.kind = VIGIL_MUTE_EXE, .flags = VIGIL_MUTE_F_REMOVE,
		.path = (uintptr_t)"/proc/self/exe",
	};

	ASSERT_EQ(0, vigil_shim_mute(shim, &m));
}

static void mute_prefix(struct __test_metadata *_metadata, struct vigil_shim *shim,
			uint64_t events, const char *prefix)
{
	struct vigil_mute m = {
		.kind = VIGIL_MUTE_PATH, .events = events, .path = (uintptr_t)prefix,
	};

	ASSERT_EQ(0, vigil_shim_mute(shim, &m));
}

/*
 * The three checks of a trigger: subscribed, exactly one record (which
 * @check looks at); unsubscribed, none; muted, none (then unmuted).
 */
#define THREE_WAYS(type, fn, arg, check)					\
	do {									\
		const struct vigil_event_view *v;				\
		pid_t pid;							\
										\
		subscribe(_metadata, &self->shim, BIT(type));			\
		pid = in_child(fn, arg);					\
		ASSERT_LT(0, pid);						\
		v = one(_metadata, &self->shim, &self->log, type, pid);		\
		ASSERT_NE(NULL, v);						\
		check_actor(_metadata, v, pid);					\
		check;								\
		subscribe(_metadata, &self->shim, 0);				\
		pid = in_child(fn, arg);					\
		ASSERT_LT(0, pid);						\
		EXPECT_EQ(0, count(&self->shim, &self->log, type, pid));	\
		subscribe(_metadata, &self->shim, BIT(type));			\
		mute_self(_metadata, &self->shim, BIT(type));			\
		pid = in_child(fn, arg);					\
		ASSERT_LT(0, pid);						\
		EXPECT_EQ(0, count(&self->shim, &self->log, type, pid));	\
		unmute_self(_metadata, &self->shim);				\
	} while (0)

/* ---- credentials, signals, ptrace --------------------------------------- */

static int become_1000(void *arg)
{
	(void)arg;
	return setresuid(1000, 1000, 1000) ? 1 : 0;
}

TEST_F(cat, a_uid_change)
{
	THREE_WAYS(VIGIL_EVENT_CRED, become_1000, NULL, ({
		const struct vigil_cred_event *c = &v->fixed.cred;

		EXPECT_EQ(0, c->old_ids.uid);
		EXPECT_EQ(1000, c->new_ids.uid);
		EXPECT_EQ(1000, c->new_ids.euid);
		EXPECT_EQ(1000, c->new_ids.suid);
		EXPECT_EQ(1000, c->new_ids.fsuid);
		EXPECT_EQ(0, c->new_ids.gid);
		/* Root's capabilities go with its uid. */
		EXPECT_EQ(VIGIL_CRED_UIDS | VIGIL_CRED_CAPS, c->changed);
		EXPECT_NE(0, c->old_caps.effective);
		EXPECT_EQ(0, c->new_caps.effective);
	}));
}

/* A process of the test's own that waits to be killed, ignoring SIGUSR1. */
static pid_t sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGUSR1, SIG_IGN);
		for (;;)
			pause();
	}
	usleep(50 * 1000);	/* until it ignores the signal */
	return pid;
}

static int send_usr1(void *arg)
{
	return kill(*(pid_t *)arg, SIGUSR1) ? 1 : 0;
}

TEST_F(cat, a_signal_to_another_process)
{
	pid_t target = sleeper();

	ASSERT_LT(0, target);
	THREE_WAYS(VIGIL_EVENT_SIGNAL, send_usr1, &target, ({
		const struct vigil_signal_event *s = &v->fixed.signal;

		EXPECT_EQ(SIGUSR1, s->signo);
		EXPECT_EQ(target, s->target_tgid);
		EXPECT_EQ(SI_USER, s->code);
		EXPECT_EQ(VIGIL_SIGNAL_F_GROUP, s->flags);
		EXPECT_EQ(1, s->result);	/* ignored */
	}));
	kill(target, SIGKILL);
	vt_reap(target);
}

/* Pin the calling process to CPU 0. */
static void on_cpu0(void)
{
	cpu_set_t cpu0;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	sched_setaffinity(0, sizeof(cpu0), &cpu0);
}

/* A process of the test's own that spins on CPU 0 until killed. */
static pid_t spinner(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		on_cpu0();
		for (;;)
			;
	}
	return pid;
}

#define TIMER_SIGNALS	100

/*
 * On CPU 0, have a 1 ms POSIX timer send SIGUSR1 to this process, and wait
 * for TIMER_SIGNALS of them.  The timer runs on CLOCK_MONOTONIC if @arg is
 * NULL: its expiry interrupts whatever runs on the CPU meanwhile, the
 * spinner mostly.  Else on the CPU time of the process whose pid @arg
 * points to: it fires in that process, from task work.
 */
static int timer_signals(void *arg)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct itimerspec its = { .it_value.tv_nsec = 1000000,
				  .it_interval.tv_nsec = 1000000 };
	clockid_t clock = CLOCK_MONOTONIC;
	const pid_t *measured = arg;
	sigset_t usr1;
	timer_t timer;
	int n;

	on_cpu0();
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &usr1, NULL) ||
	    (measured && clock_getcpuclockid(*measured, &clock)) ||
	    timer_create(clock, &sev, &timer) ||
	    timer_settime(timer, 0, &its, NULL))
		return 1;
	for (n = 0; n < TIMER_SIGNALS; n++)
		if (sigwaitinfo(&usr1, NULL) != SIGUSR1)
			return 2;
	return timer_delete(timer) ? 3 : 0;
}

/* Signal records about target @tgid in @log, from anyone. */
static unsigned int signals_to(const struct vt_log *log, pid_t tgid)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < log->n; i++)
		n += log->ev[i].v.type == VIGIL_EVENT_SIGNAL &&
		     log->ev[i].v.fixed.signal.target_tgid == (uint32_t)tgid;
	return n;
}

/*
 * With a spinner on CPU 0, run timer_signals() (on the spinner's CPU time
 * if @cpu_time) in a child: no signal record may name the child.
 */
static void expect_no_timer_records(struct __test_metadata *_metadata,
				    struct vigil_shim *shim, struct vt_log *log,
				    bool cpu_time)
{
	pid_t spin = spinner(), pid;

	ASSERT_LT(0, spin);
	subscribe(_metadata, shim, BIT(VIGIL_EVENT_SIGNAL));
	pid = in_child(timer_signals, cpu_time ? &spin : NULL);
	kill(spin, SIGKILL);
	vt_reap(spin);
	ASSERT_LT(0, pid);
	usleep(SETTLE_MS * 1000);
	vt_drain(shim, log);
	EXPECT_EQ(0, signals_to(log, pid));
}

/*
 * A POSIX timer's signal is the kernel's, sent from the timer interrupt:
 * the process it interrupts did not send it.  No record.
 */
TEST_F(cat, a_posix_timer_signal_is_not_reported)
{
	expect_no_timer_records(_metadata, &self->shim, &self->log, false);
}

/*
 * A timer on another process's CPU time: its signal comes from that
 * process's context, but is the kernel's all the same.  No record.
 */
TEST_F(cat, a_cpu_time_timer_signal_is_not_reported)
{
	expect_no_timer_records(_metadata, &self->shim, &self->log, true);
}

/* rt_sigqueueinfo(2) with a timer's si_code: a process sent it. */
static int queue_si_timer(void *arg)
{
	siginfo_t info = { .si_signo = SIGUSR1, .si_code = SI_TIMER };

	info.si_pid = getpid();
	info.si_uid = getuid();
	return syscall(SYS_rt_sigqueueinfo, *(pid_t *)arg, SIGUSR1, &info) ? 1 : 0;
}

TEST_F(cat, a_signal_queued_as_si_timer_is_reported)
{
	pid_t target = sleeper();

	ASSERT_LT(0, target);
	THREE_WAYS(VIGIL_EVENT_SIGNAL, queue_si_timer, &target, ({
		const struct vigil_signal_event *s = &v->fixed.signal;

		EXPECT_EQ(SIGUSR1, s->signo);
		EXPECT_EQ(target, s->target_tgid);
		EXPECT_EQ(SI_TIMER, s->code);
	}));
	kill(target, SIGKILL);
	vt_reap(target);
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/*
 * Fork a child that asks for SIGUSR1 when its parent dies, write its pid
 * on the pipe @arg, and exit.  The orphan writes there too, once
 * reparented: 'y' if the signal came within a second.
 */
static int orphan_with_pdeathsig(void *arg)
{
	int *report = arg, ready[2], i;
	pid_t child;
	char c;

	if (pipe(ready))
		return 1;
	child = fork();
	if (child == 0) {
		pid_t parent = getppid();

		signal(SIGUSR1, on_usr1);
		if (prctl(PR_SET_PDEATHSIG, SIGUSR1) || write(ready[1], "r", 1) != 1)
			_exit(1);
		while (getppid() == parent)
			usleep(1000);
		for (i = 0; i < 1000 && !got_usr1; i++)
			usleep(1000);
		_exit(write(report[1], got_usr1 ? "y" : "n", 1) == 1 ? 0 : 1);
	}
	if (child < 0 || read(ready[0], &c, 1) != 1)
		return 2;
	return write(report[1], &child, sizeof(child)) == sizeof(child) ? 0 : 3;
}

/* A parent-death signal is the kernel's, though its parent "sends" it. */
TEST_F(cat, a_parent_death_signal_is_not_reported)
{
	int report[2];
	pid_t orphan;
	char got;

	ASSERT_EQ(0, pipe2(report, O_CLOEXEC));
	subscribe(_metadata, &self->shim, BIT(VIGIL_EVENT_SIGNAL));
	ASSERT_LT(0, in_child(orphan_with_pdeathsig, report));
	close(report[1]);
	ASSERT_EQ(sizeof(orphan), read(report[0], &orphan, sizeof(orphan)));
	/* It was sent, and came. */
	ASSERT_EQ(1, read(report[0], &got, 1));
	close(report[0]);
	EXPECT_EQ('y', got);
	usleep(SETTLE_MS * 1000);
	vt_drain(&self->shim, &self->log);
	EXPECT_EQ(0, signals_to(&self->log, orphan));
}

static int trace_it(void *arg)
{
	pid_t target = *(pid_t *)arg;
	int status;

	if (ptrace(PTRACE_ATTACH, target, 0, 0) || waitpid(target, &status, 0) != target)
		return 1;
	return ptrace(PTRACE_DETACH, target, 0, 0) ? 2 : 0;
}

TEST_F(cat, a_ptrace_attach)
{
	pid_t target = sleeper();

	ASSERT_LT(0, target);
	THREE_WAYS(VIGIL_EVENT_PTRACE, trace_it, &target, ({
		const struct vigil_ptrace_event *p = &v->fixed.ptrace;

		EXPECT_EQ(pid, p->tracer_tgid);
		EXPECT_EQ(target, p->target_tgid);
		EXPECT_EQ(0, p->flags);
	}));
	kill(target, SIGKILL);
	vt_reap(target);
}

/* ---- kernel modules ------------------------------------------------------- */

static int do_unload(void)
{
	return syscall(SYS_delete_module, "minix", O_NONBLOCK) ? 1 : 0;
}

static int do_load(void)
{
	int fd = open(MODULE, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return 1;
	err = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return err ? 2 : 0;
}

/* Each trigger first undoes what the last one did, so it can repeat. */
static int load_minix(void *arg)
{
	(void)arg;
	do_unload();
	return do_load();
}

static int unload_minix(void *arg)
{
	(void)arg;
	do_load();
	return do_unload();
}

TEST_F(cat, a_module_load_and_unload)
{
	if (access(MODULE, R_OK))
		SKIP(return, "no %s in this VM (minix is built into the kernel?)", MODULE);
	THREE_WAYS(VIGIL_EVENT_MODULE_LOAD, load_minix, NULL, ({
		EXPECT_STREQ("minix", v->name.data);
	}));
	THREE_WAYS(VIGIL_EVENT_MODULE_UNLOAD, unload_minix, NULL, ({
		EXPECT_STREQ("minix", v->name.data);
		EXPECT_EQ(0, v->fixed.module.taints);
	}));
}

/* ---- mounts --------------------------------------------------------------- */

static int do_mount(void)
{
	return mount("cat_src", MNT, "tmpfs", MS_NOSUID, "size=64k") ? 1 : 0;
}

static int mount_tmpfs(void *arg)
{
	(void)arg;
	umount2(MNT, 0);
	return do_mount();
}

static int umount_it(void *arg)
{
	(void)arg;
	do_mount();
	return umount2(MNT, 0) ? 1 : 0;
}

TEST_F(cat, a_mount_and_an_umount)
{
	mkdir(MNT, 0755);
	umount2(MNT, MNT_DETACH);
	THREE_WAYS(VIGIL_EVENT_MOUNT, mount_tmpfs, NULL, ({
		EXPECT_STREQ("cat_src", v->source.data);
		EXPECT_STREQ(MNT, v->path.data);
		EXPECT_STREQ("tmpfs", v->fstype.data);
		EXPECT_EQ(MS_NOSUID, v->fixed.mount.flags);
	}));
	THREE_WAYS(VIGIL_EVENT_UMOUNT, umount_it, NULL, ({
		EXPECT_STREQ(MNT, v->path.data);
		EXPECT_STREQ("tmpfs", v->fstype.data);
		EXPECT_EQ(NULL, v->source.data);
	}));
	umount2(MNT, 0);
	/* A mount point under a muted prefix is muted. */
	subscribe(_metadata, &self->shim, BIT(VIGIL_EVENT_MOUNT));
	mute_prefix(_metadata, &self->shim, BIT(VIGIL_EVENT_MOUNT), MNT);
	EXPECT_EQ(0, count(&self->shim, &self->log, VIGIL_EVENT_MOUNT,
			   in_child(mount_tmpfs, NULL)));
	umount2(MNT, 0);
}

/* The new mount API: a tmpfs from fsopen() and fsmount(), put at MNT by move_mount(2). */
static int move_mount_tmpfs(void *arg)
{
	int fs, mnt;

	(void)arg;
	umount2(MNT, MNT_DETACH);
	fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0 || fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return 1;
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0)
		return 2;
	return move_mount(mnt, "", AT_FDCWD, MNT, MOVE_MOUNT_F_EMPTY_PATH) ? 3 : 0;
}

TEST_F(cat, a_move_mount)
{
	mkdir(MNT, 0755);
	THREE_WAYS(VIGIL_EVENT_MOUNT, move_mount_tmpfs, NULL, ({
		EXPECT_STREQ(MNT, v->path.data);
		EXPECT_STREQ("tmpfs", v->fstype.data);
		/* The mount moved: a detached one, which d_path names "/". */
		EXPECT_STREQ("/", v->source.data);
		EXPECT_EQ(VIGIL_MOUNT_F_MOVE_MOUNT, v->fixed.mount.flags);
	}));
	umount2(MNT, MNT_DETACH);
}

/* ---- network -------------------------------------------------------------- */

/* A server and a client, each its own child: which pid did what. */
struct net_run {
	int family;
	pid_t server, client;
	uint16_t client_port;
};

static socklen_t net_addr(int family, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (void *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(5599);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*sin);
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (void *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(5599);
		sin6->sin6_addr = in6addr_loopback;
		return sizeof(*sin6);
	}
	((struct sockaddr_un *)ss)->sun_family = AF_UNIX;
	strcpy(((struct sockaddr_un *)ss)->sun_path, DIR "/sock");
	return sizeof(struct sockaddr_un);
}

static void net_exchange(struct net_run *r)
{
	struct sockaddr_storage ss;
	socklen_t len = net_addr(r->family, &ss);
	int ready[2], one = 1;
	char byte;

	unlink(DIR "/sock");
	if (pipe(ready))
		return;
	r->server = fork();
	if (r->server == 0) {
		int s = socket(r->family, SOCK_STREAM, 0), c;

		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (s < 0 || bind(s, (void *)&ss, len) || listen(s, 8) ||
		    write(ready[1], "r", 1) != 1)
			_exit(1);
		c = accept(s, NULL, NULL);
		_exit(c < 0 ? 2 : 0);
	}
	if (read(ready[0], &byte, 1) != 1)
		return;
	r->client = fork();
	if (r->client == 0) {
		int s = socket(r->family, SOCK_STREAM, 0);

		_exit(s < 0 || connect(s, (void *)&ss, len) ? 1 : 0);
	}
	vt_reap(r->client);
	vt_reap(r->server);
	close(ready[0]);
	close(ready[1]);
}

static void check_local(struct __test_metadata *_metadata,
			const struct vigil_event_view *v, int family)
{
	const struct vigil_net_event *n = &v->fixed.net;

	EXPECT_EQ(family, n->family);
	EXPECT_EQ(SOCK_STREAM, n->type);
	if (family == AF_UNIX) {
		EXPECT_EQ(AF_UNIX, n->local.family);
		ASSERT_NE(NULL, v->local_path.data);
		EXPECT_STREQ(DIR "/sock", v->local_path.data);
		return;
	}
	EXPECT_EQ(family, n->local.family);
	EXPECT_EQ(5599, n->local.port);
	EXPECT_EQ(IPPROTO_TCP, n->protocol);
	EXPECT_EQ(family == AF_INET ? 127 : 0, n->local.addr[0]);
}

static void net_family(struct __test_metadata *_metadata, struct vigil_shim *shim,
		       struct vt_log *log, int family)
{
	const struct vigil_event_view *v;
	struct net_run r = { .family = family };

	subscribe(_metadata, shim, NET_EVENTS);
	net_exchange(&r);
	ASSERT_LT(0, r.server);
	v = one(_metadata, shim, log, VIGIL_EVENT_NET_BIND, r.server);
	ASSERT_NE(NULL, v);
	check_actor(_metadata, v, r.server);
	check_local(_metadata, v, family);
	v = one(_metadata, shim, log, VIGIL_EVENT_NET_LISTEN, r.server);
	ASSERT_NE(NULL, v);
	check_local(_metadata, v, family);
	EXPECT_EQ(8, v->fixed.net.backlog);
	v = one(_metadata, shim, log, VIGIL_EVENT_NET_CONNECT, r.client);
	ASSERT_NE(NULL, v);
	check_actor(_metadata, v, r.client);
	EXPECT_EQ(family, v->fixed.net.remote.family);
	if (family == AF_UNIX) {
		EXPECT_STREQ(DIR "/sock", v->peer_path.data);
	} else {
		EXPECT_EQ(5599, v->fixed.net.remote.port);
	}
	v = one(_metadata, shim, log, VIGIL_EVENT_NET_ACCEPT, r.server);
	ASSERT_NE(NULL, v);
	check_local(_metadata, v, family);
	EXPECT_EQ(family, v->fixed.net.remote.family);
	if (family != AF_UNIX) {
		EXPECT_NE(0, v->fixed.net.remote.port);	/* the client's */
	} else {
		EXPECT_EQ(NULL, v->peer_path.data);	/* an unnamed client */
	}
	/* Unsubscribed; then muted. */
	subscribe(_metadata, shim, 0);
	net_exchange(&r);
	EXPECT_EQ(0, count(shim, log, VIGIL_EVENT_NET_BIND, r.server));
	EXPECT_EQ(0, count(shim, log, VIGIL_EVENT_NET_CONNECT, r.client));
	subscribe(_metadata, shim, NET_EVENTS);
	mute_self(_metadata, shim, NET_EVENTS);
	net_exchange(&r);
	EXPECT_EQ(0, count(shim, log, VIGIL_EVENT_NET_LISTEN, r.server));
	EXPECT_EQ(0, count(shim, log, VIGIL_EVENT_NET_ACCEPT, r.server));
}

TEST_F(cat, inet_connect_bind_listen_accept)
{
	system("ip link set lo up");
	net_family(_metadata, &self->shim, &self->log, AF_INET);
}

TEST_F(cat, inet6_connect_bind_listen_accept)
{
	system("ip link set lo up");
	net_family(_metadata, &self->shim, &self->log, AF_INET6);
}

TEST_F(cat, unix_connect_bind_listen_accept)
{
	net_family(_metadata, &self->shim, &self->log, AF_UNIX);
}

static int bind_abstract(void *arg)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);

	(void)arg;
	memcpy(sun.sun_path, "\0cat-abstract", 13);
	return s < 0 || bind(s, (void *)&sun, offsetof(struct sockaddr_un, sun_path) + 13);
}

TEST_F(cat, an_abstract_unix_name)
{
	THREE_WAYS(VIGIL_EVENT_NET_BIND, bind_abstract, NULL, ({
		EXPECT_EQ(SOCK_DGRAM, v->fixed.net.type);
		EXPECT_STREQ("@cat-abstract", v->local_path.data);
		EXPECT_EQ(VIGIL_FIELD_F_ABSTRACT, v->local_path.flags);
	}));
}

/* ---- files ---------------------------------------------------------------- */

static int open_read(void *arg)
{
	int fd = open(DIR "/file", O_RDONLY | O_NOFOLLOW);

	(void)arg;
	return fd < 0;
}

static int write_close(void *arg)
{
	int fd = open(DIR "/file", O_WRONLY | O_APPEND);

	(void)arg;
	return fd < 0 || write(fd, "x", 1) != 1 || close(fd);
}

static int create(void *arg)
{
	int fd;

	(void)arg;
	unlink(DIR "/new");
	fd = open(DIR "/new", O_CREAT | O_EXCL | O_RDONLY, 0640);
	return fd < 0;
}

static int unlink_file(void *arg)
{
	(void)arg;
	return vt_write_file(DIR "/gone", "", 0644) || unlink(DIR "/gone");
}

static int rename_file(void *arg)
{
	(void)arg;
	return vt_write_file(DIR "/a", "", 0644) || rename(DIR "/a", DIR "/b");
}

static int chmod_file(void *arg)
{
	(void)arg;
	return chmod(DIR "/file", 0600);
}

static int chown_file(void *arg)
{
	(void)arg;
	return chown(DIR "/file", 1000, (gid_t)-1);
}

static int hard_link(void *arg)
{
	(void)arg;
	unlink(DIR "/hard");
	return link(DIR "/file", DIR "/hard");
}

static int sym_link(void *arg)
{
	(void)arg;
	unlink(DIR "/sym");
	return symlink("file", DIR "/sym");
}

static int truncate_file(void *arg)
{
	(void)arg;
	return truncate(DIR "/file", 1);
}

static void check_file(struct __test_metadata *_metadata,
		       const struct vigil_event_view *v, const char *path)
{
	struct stat st;

	ASSERT_NE(NULL, v->path.data);
	EXPECT_STREQ(path, v->path.data);
	if (stat(path, &st) == 0 && v->fixed.file.ino) {
		EXPECT_EQ(st.st_ino, v->fixed.file.ino);
		EXPECT_EQ(st.st_dev, v->fixed.file.dev);
	}
}

TEST_F(cat, file_open_and_close_after_write)
{
	THREE_WAYS(VIGIL_EVENT_FILE_OPEN, open_read, NULL, ({
		check_file(_metadata, v, DIR "/file");
		EXPECT_EQ(O_RDONLY | O_NOFOLLOW, v->fixed.file.flags & (O_ACCMODE | O_NOFOLLOW));
		EXPECT_EQ(S_IFREG | 0644, v->fixed.file.mode);
	}));
	THREE_WAYS(VIGIL_EVENT_FILE_CLOSE_WRITE, write_close, NULL, ({
		check_file(_metadata, v, DIR "/file");
	}));
	/* A read-only open closes without a record. */
	subscribe(_metadata, &self->shim, BIT(VIGIL_EVENT_FILE_CLOSE_WRITE));
	EXPECT_EQ(0, count(&self->shim, &self->log, VIGIL_EVENT_FILE_CLOSE_WRITE,
			   in_child(open_read, NULL)));
}

/* Opened for writing and left open: the exit closes it. */
static int write_no_close(void *arg)
{
	int fd = open(DIR "/file", O_WRONLY | O_APPEND);

	(void)arg;
	return fd < 0 || write(fd, "x", 1) != 1;
}

/*
 * A file an exiting process leaves open is closed after the process let
 * go of its root directory, so its path cannot be resolved: the record
 * says so, and names the file by device and inode.
 */
TEST_F(cat, a_close_after_write_at_exit)
{
	const struct vigil_event_view *v;
	struct stat st;
	pid_t pid;

	subscribe(_metadata, &self->shim, BIT(VIGIL_EVENT_FILE_CLOSE_WRITE));
	pid = in_child(write_no_close, NULL);
	ASSERT_LT(0, pid);
	v = one(_metadata, &self->shim, &self->log, VIGIL_EVENT_FILE_CLOSE_WRITE, pid);
	ASSERT_NE(NULL, v);
	EXPECT_EQ(pid, vigil_event_actor(v)->proc.pid);
	ASSERT_NE(NULL, v->path.data);
	EXPECT_STREQ("", v->path.data);
	EXPECT_TRUE(v->path.flags & VIGIL_FIELD_F_UNAVAILABLE);
	ASSERT_EQ(0, stat(DIR "/file", &st));
	EXPECT_EQ(st.st_ino, v->fixed.file.ino);
	EXPECT_EQ(st.st_dev, v->fixed.file.dev);
}

TEST_F(cat, file_create_unlink_rename)
{
	THREE_WAYS(VIGIL_EVENT_FILE_CREATE, create, NULL, ({
		EXPECT_STREQ(DIR "/new", v->path.data);
		EXPECT_EQ(S_IFREG | 0640, v->fixed.file.mode);
		EXPECT_EQ(0, v->fixed.file.ino);
	}));
	THREE_WAYS(VIGIL_EVENT_FILE_UNLINK, unlink_file, NULL, ({
		EXPECT_STREQ(DIR "/gone", v->path.data);
		EXPECT_EQ(0, v->fixed.file.flags);
		EXPECT_NE(0, v->fixed.file.ino);
	}));
	THREE_WAYS(VIGIL_EVENT_FILE_RENAME, rename_file, NULL, ({
		EXPECT_STREQ(DIR "/a", v->path.data);
		EXPECT_STREQ(DIR "/b", v->new_path.data);
	}));
}

TEST_F(cat, file_attr_link_truncate)
{
	THREE_WAYS(VIGIL_EVENT_FILE_ATTR, chmod_file, NULL, ({
		check_file(_metadata, v, DIR "/file");
		EXPECT_EQ(VIGIL_ATTR_MODE, v->fixed.file.flags);
		EXPECT_EQ(S_IFREG | 0600, v->fixed.file.mode);
	}));
	THREE_WAYS(VIGIL_EVENT_FILE_ATTR, chown_file, NULL, ({
		EXPECT_EQ(VIGIL_ATTR_UID, v->fixed.file.flags);
		EXPECT_EQ(1000, v->fixed.file.uid);
	}));
	THREE_WAYS(VIGIL_EVENT_FILE_LINK, hard_link, NULL, ({
		check_file(_metadata, v, DIR "/file");
		EXPECT_STREQ(DIR "/hard", v->new_path.data);
		EXPECT_EQ(0, v->fixed.file.flags);
	}));
	THREE_WAYS(VIGIL_EVENT_FILE_LINK, sym_link, NULL, ({
		EXPECT_STREQ(DIR "/sym", v->path.data);
		EXPECT_STREQ("file", v->target.data);
		EXPECT_EQ(VIGIL_FILE_F_SYMLINK, v->fixed.file.flags);
	}));
	THREE_WAYS(VIGIL_EVENT_FILE_TRUNCATE, truncate_file, NULL, ({
		check_file(_metadata, v, DIR "/file");
	}));
}

/* Muted by prefix: a file event under the directory produces nothing. */
TEST_F(cat, file_events_muted_by_prefix)
{
	uint64_t all = BIT(VIGIL_EVENT_FILE_OPEN) | BIT(VIGIL_EVENT_FILE_CREATE) |
		       BIT(VIGIL_EVENT_FILE_RENAME);
	pid_t pid;

	subscribe(_metadata, &self->shim, all);
	mute_prefix(_metadata, &self->shim, 0, DIR);
	pid = in_child(open_read, NULL);
	EXPECT_EQ(0, count(&self->shim, &self->log, VIGIL_EVENT_FILE_OPEN, pid));
	pid = in_child(create, NULL);
	EXPECT_EQ(0, count(&self->shim, &self->log, VIGIL_EVENT_FILE_CREATE, pid));
	pid = in_child(rename_file, NULL);
	EXPECT_EQ(0, count(&self->shim, &self->log, VIGIL_EVENT_FILE_RENAME, pid));
}

/* ---- the actor's executable path ---------------------------------------- */

#define CHILD		"/vigil/bin/vigil_child"

/* A vigil_child exeloop, driven through its stdin and stdout. */
struct exeloop {
	pid_t pid;
	int to;		/* its stdin */
	int from;	/* its stdout */
};

/* The next line @el writes, without its newline; 0, or -1 after 5 s. */
static int exeloop_answer(struct exeloop *el, char *buf, size_t size)
{
	struct pollfd pfd = { .fd = el->from, .events = POLLIN };
	size_t n = 0;
	char c;

	while (n + 1 < size) {
		if (poll(&pfd, 1, 5000) != 1 || read(el->from, &c, 1) != 1)
			return -1;
		if (c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return 0;
}

/* Send @el the line @cmd; its answer in @buf.  0, or -1. */
static int exeloop_say(struct exeloop *el, const char *cmd, char *buf, size_t size)
{
	size_t n = strlen(cmd);

	if (write(el->to, cmd, n) != (ssize_t)n || write(el->to, "\n", 1) != 1)
		return -1;
	return exeloop_answer(el, buf, size);
}

static int exeloop_start(struct exeloop *el, const char *exe)
{
	int in[2], out[2];
	char ready[16];

	/* Close-on-exec: the child keeps only its stdin and stdout. */
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -1;
	el->pid = fork();
	if (el->pid == 0) {
		/* Gone with the test, even if it is killed for its time. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* On one CPU, so that its records meet one cache entry. */
		on_cpu0();
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(exe, "vigil_child", "exeloop", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	el->to = in[1];
	el->from = out[0];
	if (el->pid < 0 || exeloop_answer(el, ready, sizeof(ready)))
		return -1;
	return strcmp(ready, "ready") ? -1 : 0;
}

static void exeloop_stop(struct exeloop *el)
{
	close(el->to);
	close(el->from);
	waitpid(el->pid, NULL, 0);
}

/* Have @el exec @exe, as an exeloop again. */
static void exeloop_exec(struct __test_metadata *_metadata, struct exeloop *el,
			 const char *exe)
{
	char cmd[PATH_MAX + 2], answer[16];

	snprintf(cmd, sizeof(cmd), "x %s", exe);
	ASSERT_EQ(0, exeloop_say(el, cmd, answer, sizeof(answer)));
	ASSERT_STREQ("ready", answer);
}

/*
 * Have @el open @path; its record's executable must be @want, flagged
 * @flags, or if @want is NULL what the process itself then reads in
 * /proc/self/exe (also left in exe_answer), which the kernel resolves
 * afresh.
 */
static char exe_answer[PATH_MAX];

static void check_exe(struct __test_metadata *_metadata, struct vigil_shim *shim,
		      struct vt_log *log, struct exeloop *el, const char *path,
		      const char *want, uint16_t flags)
{
	char cmd[PATH_MAX + 2];
	const struct vigil_event_view *v;

	/* Every record of what @el did before is in the ring by now. */
	vt_drain(shim, log);
	vt_log_free(log);
	snprintf(cmd, sizeof(cmd), "o %s", path);
	ASSERT_EQ(0, exeloop_say(el, cmd, exe_answer, sizeof(exe_answer)));
	v = vt_expect(shim, log, VIGIL_EVENT_FILE_OPEN, el->pid);
	ASSERT_NE(NULL, v);
	ASSERT_NE(NULL, v->exe.data);
	EXPECT_STREQ(want ? want : exe_answer, v->exe.data);
	EXPECT_EQ(flags, v->exe.flags);
}

/*
 * Have @el do @cmd, a "t" line: open, change something, open again at
 * once, within the cache's 10 ms.  The first record's executable must be
 * @before, the second's @after (or what the process reads in
 * /proc/self/exe when NULL), flagged @flags.
 */
static void check_exe_around(struct __test_metadata *_metadata,
			     struct vigil_shim *shim, struct vt_log *log,
			     struct exeloop *el, const char *cmd, const char *before,
			     const char *after, uint16_t flags)
{
	const struct vigil_event_view *v[2] = { NULL, NULL };
	unsigned int n = 0;
	size_t i;

	vt_drain(shim, log);
	vt_log_free(log);
	ASSERT_EQ(0, exeloop_say(el, cmd, exe_answer, sizeof(exe_answer)));
	ASSERT_STRNE("err", exe_answer);
	/* The hooks ran before the opens returned: both records are in. */
	vt_drain(shim, log);
	for (i = 0; i < log->n; i++) {
		if (log->ev[i].v.type != VIGIL_EVENT_FILE_OPEN ||
		    vt_event_pid(&log->ev[i].v) != (uint32_t)el->pid)
			continue;
		if (n < 2)
			v[n] = &log->ev[i].v;
		n++;
	}
	ASSERT_EQ(2, n);
	ASSERT_NE(NULL, v[0]->exe.data);
	ASSERT_NE(NULL, v[1]->exe.data);
	EXPECT_STREQ(before, v[0]->exe.data);
	EXPECT_STREQ(after ? after : exe_answer, v[1]->exe.data);
	EXPECT_EQ(flags, v[1]->exe.flags);
}

/*
 * Records reuse an executable's path while it holds: a rename of it or
 * of its directory, a chroot, and the next record has the path afresh.
 */
TEST_F(cat, the_exe_path_follows_renames_and_chroot)
{
	struct exeloop el;

	ASSERT_EQ(0, mkdir(DIR "/bin", 0755));
	ASSERT_EQ(0, vt_copy(CHILD, DIR "/bin/x", 0755));
	subscribe(_metadata, &self->shim, BIT(VIGIL_EVENT_FILE_OPEN));
	ASSERT_EQ(0, exeloop_start(&el, DIR "/bin/x"));
	check_exe(_metadata, &self->shim, &self->log, &el, DIR "/file", DIR "/bin/x", 0);
	check_exe(_metadata, &self->shim, &self->log, &el, DIR "/file", NULL, 0);
	check_exe_around(_metadata, &self->shim, &self->log, &el,
			 "t " DIR "/file " DIR "/file rename " DIR "/bin/x " DIR "/bin/y",
			 DIR "/bin/x", DIR "/bin/y", 0);
	check_exe_around(_metadata, &self->shim, &self->log, &el,
			 "t " DIR "/file " DIR "/file rename " DIR "/bin " DIR "/bin2",
			 DIR "/bin/y", DIR "/bin2/y", 0);
	/* Seen from its new root; the broker's is another. */
	check_exe_around(_metadata, &self->shim, &self->log, &el,
			 "t " DIR "/file /file chroot " DIR, DIR "/bin2/y", "/bin2/y",
			 VIGIL_FIELD_F_OTHER_ROOT);
	exeloop_stop(&el);
}

/*
 * An exec in the same process, an unlink, a mount moved above the
 * executable (attaching it makes its root a mount point, which takes
 * rename_lock), and a lazy umount of it.
 */
TEST_F(cat, the_exe_path_follows_exec_unlink_and_mounts)
{
	struct exeloop el;

	ASSERT_EQ(0, vt_copy(CHILD, DIR "/x1", 0755));
	ASSERT_EQ(0, vt_copy(CHILD, DIR "/x2", 0755));
	ASSERT_EQ(0, mkdir(DIR "/m", 0755));
	ASSERT_EQ(0, mkdir(DIR "/n", 0755));
	ASSERT_EQ(0, mount("none", DIR "/m", "tmpfs", 0, NULL));
	ASSERT_EQ(0, vt_copy(CHILD, DIR "/m/x3", 0755));
	subscribe(_metadata, &self->shim, BIT(VIGIL_EVENT_FILE_OPEN));
	ASSERT_EQ(0, exeloop_start(&el, DIR "/x1"));
	check_exe(_metadata, &self->shim, &self->log, &el, DIR "/file", DIR "/x1", 0);
	exeloop_exec(_metadata, &el, DIR "/x2");
	check_exe(_metadata, &self->shim, &self->log, &el, DIR "/file", DIR "/x2", 0);
	check_exe_around(_metadata, &self->shim, &self->log, &el,
			 "t " DIR "/file " DIR "/file unlink " DIR "/x2",
			 DIR "/x2", DIR "/x2 (deleted)", 0);
	exeloop_exec(_metadata, &el, DIR "/m/x3");
	check_exe(_metadata, &self->shim, &self->log, &el, DIR "/file", DIR "/m/x3", 0);
	check_exe_around(_metadata, &self->shim, &self->log, &el,
			 "t " DIR "/file " DIR "/file move " DIR "/m " DIR "/n",
			 DIR "/m/x3", DIR "/n/x3", 0);
	check_exe(_metadata, &self->shim, &self->log, &el, DIR "/file", NULL, 0);
	check_exe_around(_metadata, &self->shim, &self->log, &el,
			 "t " DIR "/file " DIR "/file umount " DIR "/n",
			 DIR "/n/x3", NULL, 0);
	EXPECT_STRNE(DIR "/n/x3", exe_answer);
	exeloop_stop(&el);
}

/* ---- the mechanics -------------------------------------------------------- */

/* A hook is attached only while its event is subscribed: kprobes say so. */
TEST_F(cat, hooks_follow_subscriptions)
{
	const char *list = "/sys/kernel/debug/kprobes/list";

	system("mount -t debugfs none /sys/kernel/debug 2>/dev/null");
	if (access(list, R_OK))
		SKIP(return, "no %s", list);
	subscribe(_metadata, &self->shim, 0);
	EXPECT_FALSE(vt_file_contains(list, "security_file_open"));
	subscribe(_metadata, &self->shim, BIT(VIGIL_EVENT_FILE_OPEN));
	EXPECT_TRUE(vt_file_contains(list, "security_file_open"));
	EXPECT_FALSE(vt_file_contains(list, "security_socket_connect"));
	subscribe(_metadata, &self->shim, BIT(VIGIL_EVENT_NET_CONNECT));
	EXPECT_FALSE(vt_file_contains(list, "security_file_open"));
	EXPECT_TRUE(vt_file_contains(list, "security_socket_connect"));
}

static int open_many(void *arg)
{
	int i;

	for (i = 0; i < *(int *)arg; i++)
		close(open(DIR "/file", O_RDONLY));
	return 0;
}

/* A rate limit lets so many through a second, and counts the rest. */
TEST_F(cat, a_rate_limit_skips_and_counts)
{
	struct vigil_limit lim = { .type = VIGIL_EVENT_FILE_OPEN, .per_second = 5 };
	const struct vigil_ring_producer *p = self->shim.main.producer;
	uint64_t dropped_before = p->dropped[VIGIL_DROP_RATE_LIMIT];
	int n = 50;
	pid_t pid;

	subscribe(_metadata, &self->shim, BIT(VIGIL_EVENT_FILE_OPEN));
	ASSERT_EQ(0, ioctl(self->shim.fd, VIGIL_IOC_LIMIT, &lim));
	pid = in_child(open_many, &n);
	ASSERT_LT(0, pid);
	/* Within one or two windows of a second: 5 to 10 let through. */
	n = (int)count(&self->shim, &self->log, VIGIL_EVENT_FILE_OPEN, pid);
	TH_LOG("%d of 50 opens let through at 5 per second", n);
	EXPECT_LE(5, n);
	EXPECT_GE(10, n);
	lim.flags = VIGIL_LIMIT_F_GET;
	ASSERT_EQ(0, ioctl(self->shim.fd, VIGIL_IOC_LIMIT, &lim));
	EXPECT_EQ(5, lim.per_second);
	EXPECT_EQ(50 - n, lim.skipped);
	EXPECT_EQ(50 - n, p->dropped[VIGIL_DROP_RATE_LIMIT] - dropped_before);
	/* Bad requests change nothing. */
	lim = (struct vigil_limit){ .type = VIGIL_EVENT_AUTH_EXEC, .per_second = 1 };
	EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_LIMIT, &lim));
	EXPECT_EQ(EINVAL, errno);
	lim = (struct vigil_limit){ .type = VIGIL_EVENT_WATCHDOG };
	EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_LIMIT, &lim));
	EXPECT_EQ(EINVAL, errno);
	lim = (struct vigil_limit){ .type = 200 };
	EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_LIMIT, &lim));
	EXPECT_EQ(EINVAL, errno);
	lim = (struct vigil_limit){ .type = VIGIL_EVENT_FILE_OPEN, .flags = 4 };
	EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_LIMIT, &lim));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->shim.fd, VIGIL_IOC_LIMIT, NULL));
	EXPECT_EQ(EFAULT, errno);
	/* None of them changed the limit: 5 a second still. */
	lim = (struct vigil_limit){ .type = VIGIL_EVENT_FILE_OPEN, .flags = VIGIL_LIMIT_F_GET };
	ASSERT_EQ(0, ioctl(self->shim.fd, VIGIL_IOC_LIMIT, &lim));
	EXPECT_EQ(5, lim.per_second);
	/* Lifted: all through again. */
	lim = (struct vigil_limit){ .type = VIGIL_EVENT_FILE_OPEN };
	ASSERT_EQ(0, ioctl(self->shim.fd, VIGIL_IOC_LIMIT, &lim));
	n = 20;
	pid = in_child(open_many, &n);
	EXPECT_EQ(20, count(&self->shim, &self->log, VIGIL_EVENT_FILE_OPEN, pid));
}

TEST_HARNESS_MAIN
