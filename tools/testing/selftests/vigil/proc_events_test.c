// SPDX-License-Identifier: GPL-2.0
/*
 * Process events: a child the test spawns produces fork, exec and exit
 * records with the right fields; threads, signals, credentials, scripts,
 * long argument lists; drop accounting; and poll(2) wake-ups.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vigil_test.h"

#define WAIT_MS 5000

FIXTURE(proc) {
	struct vigil_shim shim;
	struct vt_log log;
};

FIXTURE_SETUP(proc)
{
	ASSERT_EQ(0, vt_connect(&self->shim));
}

FIXTURE_TEARDOWN(proc)
{
	vt_log_free(&self->log);
	vigil_shim_close(&self->shim);
}

/* The event of @type about @pid, waiting for it if need be. */
#define wait_event(self, type, pid) \
	vt_expect(&(self)->shim, &(self)->log, type, pid)

TEST_F(proc, child_produces_fork_exec_exit)
{
	char *argv[] = { "vigil_child", "exit", "7", NULL };
	const struct vigil_event_view *fork_ev, *exec_ev, *exit_ev;
	uint64_t before = vt_now_ns(), after;
	pid_t child, parent;
	int status;

	child = vt_spawn_indirect(VT_CHILD, argv, &status, &parent);
	ASSERT_LT(0, child);
	ASSERT_EQ(7 << 8, status);
	after = vt_now_ns();

	fork_ev = wait_event(self, VIGIL_EVENT_FORK, child);
	exec_ev = wait_event(self, VIGIL_EVENT_EXEC, child);
	exit_ev = wait_event(self, VIGIL_EVENT_EXIT, child);
	ASSERT_NE(NULL, fork_ev);
	ASSERT_NE(NULL, exec_ev);
	ASSERT_NE(NULL, exit_ev);

	/* fork: the parent is the helper, the child the new process. */
	EXPECT_EQ(parent, fork_ev->fixed.fork.parent.pid);
	EXPECT_EQ(parent, fork_ev->fixed.fork.parent.tgid);
	EXPECT_EQ(getpid(), fork_ev->fixed.fork.parent.ppid);
	EXPECT_EQ(getuid(), fork_ev->fixed.fork.parent.uid);
	EXPECT_EQ(getgid(), fork_ev->fixed.fork.parent.gid);
	EXPECT_EQ(child, fork_ev->fixed.fork.child_tgid);

	/* exec: ids, credentials, paths and arguments. */
	EXPECT_EQ(child, exec_ev->fixed.exec.proc.pid);
	EXPECT_EQ(child, exec_ev->fixed.exec.proc.tgid);
	EXPECT_EQ(parent, exec_ev->fixed.exec.proc.ppid);
	EXPECT_EQ(getuid(), exec_ev->fixed.exec.proc.euid);
	EXPECT_EQ(child, exec_ev->fixed.exec.old_pid);
	EXPECT_EQ(3, exec_ev->fixed.exec.argc);
	ASSERT_NE(NULL, exec_ev->exe.data);
	EXPECT_STREQ(VT_CHILD, exec_ev->exe.data);
	EXPECT_STREQ(VT_CHILD, exec_ev->filename.data);
	EXPECT_STREQ("vigil_child", vt_argv(exec_ev, 0));
	EXPECT_STREQ("exit", vt_argv(exec_ev, 1));
	EXPECT_STREQ("7", vt_argv(exec_ev, 2));
	EXPECT_EQ(NULL, vt_argv(exec_ev, 3));
	EXPECT_EQ(0, exec_ev->argv.flags);
	EXPECT_EQ(0, exec_ev->flags);

	/* exit: the wait status, and the whole process is gone. */
	EXPECT_EQ(7 << 8, exit_ev->fixed.exit.exit_code);
	EXPECT_TRUE(exit_ev->fixed.exit.flags & VIGIL_EXIT_F_PROCESS);
	EXPECT_EQ(exec_ev->fixed.exec.proc.start_ns,
		  exit_ev->fixed.exit.proc.start_ns);

	/* In order, in time. */
	EXPECT_LT(fork_ev->seq, exec_ev->seq);
	EXPECT_LT(exec_ev->seq, exit_ev->seq);
	EXPECT_LE(before, fork_ev->time_ns);
	EXPECT_LE(fork_ev->time_ns, exec_ev->time_ns);
	EXPECT_LE(exit_ev->time_ns, after);
	EXPECT_EQ(0, self->log.malformed);
}

TEST_F(proc, exec_carries_new_credentials)
{
	char *argv[] = { "vigil_child", "exit", "0", NULL };
	const struct vigil_event_view *ev;
	pid_t child = fork();

	ASSERT_LE(0, child);
	if (child == 0) {
		if (setgid(1234) || setuid(4321))
			_exit(126);
		execv(VT_CHILD, argv);
		_exit(127);
	}
	ASSERT_EQ(0, vt_reap(child));
	ev = wait_event(self, VIGIL_EVENT_EXEC, child);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(4321, ev->fixed.exec.proc.uid);
	EXPECT_EQ(4321, ev->fixed.exec.proc.euid);
	EXPECT_EQ(1234, ev->fixed.exec.proc.gid);
	EXPECT_EQ(1234, ev->fixed.exec.proc.egid);
}

TEST_F(proc, exit_by_signal_has_the_signal)
{
	char *argv[] = { "vigil_child", "sleep", NULL };
	const struct vigil_event_view *ev;
	pid_t child = vt_spawn(VT_CHILD, argv);

	ASSERT_LT(0, child);
	ASSERT_NE(NULL, wait_event(self, VIGIL_EVENT_EXEC, child));
	kill(child, SIGKILL);
	ASSERT_EQ(SIGKILL, vt_reap(child));
	ev = wait_event(self, VIGIL_EVENT_EXIT, child);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(SIGKILL, ev->fixed.exit.exit_code);
	EXPECT_TRUE(ev->fixed.exit.flags & VIGIL_EXIT_F_PROCESS);
}

TEST_F(proc, long_argv_is_truncated_and_flagged)
{
	enum { NARGS = 100, ARGLEN = 49 };
	char *argv[NARGS + 2];
	const struct vigil_event_view *ev;
	pid_t child;
	int i;

	argv[0] = "vigil_child";
	for (i = 1; i <= NARGS; i++) {
		argv[i] = malloc(ARGLEN + 1);
		ASSERT_NE(NULL, argv[i]);
		memset(argv[i], 'a' + i % 26, ARGLEN);
		argv[i][ARGLEN] = '\0';
	}
	argv[NARGS + 1] = NULL;
	child = vt_spawn(VT_CHILD, argv);
	ASSERT_EQ(0, vt_reap(child));
	ev = wait_event(self, VIGIL_EVENT_EXEC, child);
	ASSERT_NE(NULL, ev);
	/* argc tells the whole story; argv stops at its bound, NUL-ended. */
	EXPECT_EQ(NARGS + 1, ev->fixed.exec.argc);
	EXPECT_EQ(VIGIL_ARGV_MAX, ev->argv.len);
	EXPECT_EQ('\0', ev->argv.data[ev->argv.len - 1]);
	EXPECT_TRUE(ev->argv.flags & VIGIL_FIELD_F_TRUNCATED);
	EXPECT_TRUE(ev->flags & VIGIL_EVENT_F_TRUNCATED);
	EXPECT_STREQ("vigil_child", vt_argv(ev, 0));
	EXPECT_STREQ(argv[1], vt_argv(ev, 1));
	for (i = 1; i <= NARGS; i++)
		free(argv[i]);
}

TEST_F(proc, script_exec_names_interpreter_and_script)
{
	const char *script = "/tmp/vigil_script_test.sh";
	char *argv[] = { "vigil_script_test.sh", "one", NULL };
	const struct vigil_event_view *ev;
	char exe[256];
	ssize_t n;
	pid_t child;
	FILE *f;

	f = fopen(script, "w");
	ASSERT_NE(NULL, f);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	ASSERT_EQ(0, chmod(script, 0755));
	n = readlink("/bin/sh", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';

	child = vt_spawn(script, argv);
	ASSERT_EQ(0, vt_reap(child));
	ev = wait_event(self, VIGIL_EVENT_EXEC, child);
	ASSERT_NE(NULL, ev);
	/* exe is what runs (the interpreter), filename what was asked for. */
	EXPECT_NE(NULL, strstr(ev->exe.data, "busybox"));
	EXPECT_STREQ(script, ev->filename.data);
	EXPECT_STREQ("/bin/sh", vt_argv(ev, 0));
	EXPECT_STREQ(script, vt_argv(ev, 1));
	EXPECT_STREQ("one", vt_argv(ev, 2));
	unlink(script);
}

TEST_F(proc, exec_names_file_identity)
{
	char *argv[] = { "vigil_child", "exit", "0", NULL };
	const struct vigil_event_view *ev;
	struct stat st;
	pid_t child;

	ASSERT_EQ(0, stat(VT_CHILD, &st));
	child = vt_spawn(VT_CHILD, argv);
	ASSERT_EQ(0, vt_reap(child));
	ev = wait_event(self, VIGIL_EVENT_EXEC, child);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(st.st_dev, ev->fixed.exec.exe_dev);
	EXPECT_EQ(st.st_ino, ev->fixed.exec.exe_ino);
	/* The broker and the child share a root: the path is as it sees it. */
	EXPECT_FALSE(ev->exe.flags & VIGIL_FIELD_F_OTHER_ROOT);
}

/* A process in a chroot cannot pass for another program by its path. */
TEST_F(proc, exec_in_chroot_is_flagged)
{
	const char *dir = "/tmp/vigil_chroot";
	char copy[64], cmd[160];
	const struct vigil_event_view *ev;
	struct stat st;
	pid_t child;

	snprintf(copy, sizeof(copy), "%s/bin/vigil_child", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/bin && cp %s %s", dir, VT_CHILD, copy);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, stat(copy, &st));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		if (chroot(dir) || chdir("/"))
			_exit(126);
		execl("/bin/vigil_child", "vigil_child", "exit", "0", (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(0, vt_reap(child));
	ev = wait_event(self, VIGIL_EVENT_EXEC, child);
	ASSERT_NE(NULL, ev);
	/* The path is the one the chrooted process sees, and flagged so. */
	EXPECT_STREQ("/bin/vigil_child", ev->exe.data);
	EXPECT_TRUE(ev->exe.flags & VIGIL_FIELD_F_OTHER_ROOT);
	/* The identity names the real file. */
	EXPECT_EQ(st.st_ino, ev->fixed.exec.exe_ino);
	EXPECT_EQ(st.st_dev, ev->fixed.exec.exe_dev);
}

static void *block_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* Threads exiting together: exactly one record says the process ended. */
TEST_F(proc, only_the_last_thread_has_the_process_flag)
{
	enum { THREADS = 8, ROUNDS = 10 };
	int round;

	for (round = 0; round < ROUNDS; round++) {
		size_t i, exits = 0, last = 0;
		pthread_t t;
		pid_t child;

		child = fork();
		ASSERT_LE(0, child);
		if (child == 0) {
			for (i = 0; i < THREADS; i++)
				pthread_create(&t, NULL, block_forever, NULL);
			usleep(20 * 1000);
			exit(5);	/* exit_group: all threads at once */
		}
		ASSERT_EQ(5 << 8, vt_reap(child));
		vt_drain(&self->shim, &self->log);
		for (i = 0; i < self->log.n; i++) {
			const struct vigil_event_view *v = &self->log.ev[i].v;

			if (v->type != VIGIL_EVENT_EXIT ||
			    v->fixed.exit.proc.tgid != (uint32_t)child)
				continue;
			exits++;
			if (v->fixed.exit.flags & VIGIL_EXIT_F_PROCESS)
				last++;
			EXPECT_EQ(5 << 8, v->fixed.exit.exit_code);
		}
		EXPECT_EQ(THREADS + 1, exits);
		EXPECT_EQ(1, last);
	}
}

/* epoll set up before the handshake is still woken by later records. */
TEST(epoll_set_up_before_handshake_is_woken)
{
	char *argv[] = { "vigil_child", "exit", "0", NULL };
	struct vigil_handshake hs = {
		.client_major = VIGIL_ABI_MAJOR,
		.client_minor = VIGIL_ABI_MINOR,
	};
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int fd, ep;

	fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	ASSERT_EQ(0, ioctl(fd, VIGIL_IOC_HANDSHAKE, &hs));
	/*
	 * No "not ready yet" check here: any process in the VM (a kworker
	 * coming or going) may emit a record right after the handshake.
	 * Nothing was ready when the fd was added, so epoll reports it only
	 * if a wake-up reached the queue registered before the handshake.
	 */
	ASSERT_EQ(0, vt_reap(vt_spawn(VT_CHILD, argv)));
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, WAIT_MS));
	EXPECT_TRUE(out.events & EPOLLIN);
	close(ep);
	close(fd);
}

static void *thread_main(void *arg)
{
	*(pid_t *)arg = syscall(SYS_gettid);
	return NULL;
}

/* A process (not the broker, whose own events are muted) makes a thread. */
TEST_F(proc, thread_has_fork_and_exit_records)
{
	const struct vigil_event_view *fork_ev, *exit_ev;
	int report[2];
	pid_t tid = 0, child;

	ASSERT_EQ(0, pipe(report));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		pthread_t thread;

		pthread_create(&thread, NULL, thread_main, &tid);
		pthread_join(thread, NULL);
		_exit(write(report[1], &tid, sizeof(tid)) == sizeof(tid) ? 0 : 1);
	}
	ASSERT_EQ(sizeof(tid), read(report[0], &tid, sizeof(tid)));
	ASSERT_EQ(0, vt_reap(child));
	ASSERT_LT(0, tid);

	fork_ev = wait_event(self, VIGIL_EVENT_FORK, tid);
	exit_ev = wait_event(self, VIGIL_EVENT_EXIT, tid);
	ASSERT_NE(NULL, fork_ev);
	ASSERT_NE(NULL, exit_ev);
	EXPECT_EQ(child, fork_ev->fixed.fork.child_tgid);
	EXPECT_EQ(child, exit_ev->fixed.exit.proc.tgid);
	/* A thread's exit is not the process's. */
	EXPECT_FALSE(exit_ev->fixed.exit.flags & VIGIL_EXIT_F_PROCESS);
}

/* The broker is always muted: its own forks and threads make no records. */
TEST_F(proc, the_brokers_own_events_are_muted)
{
	char *argv[] = { "vigil_child", "exit", "0", NULL };
	pthread_t thread;
	pid_t tid = 0, child;

	ASSERT_EQ(0, pthread_create(&thread, NULL, thread_main, &tid));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	child = vt_spawn(VT_CHILD, argv);
	ASSERT_EQ(0, vt_reap(child));
	/* The child's exec is its own, not the broker's. */
	ASSERT_NE(NULL, wait_event(self, VIGIL_EVENT_EXEC, child));
	EXPECT_EQ(NULL, vt_find(&self->log, VIGIL_EVENT_FORK, child));
	EXPECT_EQ(NULL, vt_find(&self->log, VIGIL_EVENT_FORK, tid));
	EXPECT_EQ(NULL, vt_find(&self->log, VIGIL_EVENT_EXIT, tid));
}

/* A child that execs vigil_child when a byte arrives on its stdin. */
static pid_t spawn_on_signal(int *trigger)
{
	char *argv[] = { "vigil_child", "waitexec", VT_CHILD, NULL };
	int in[2];
	pid_t child;

	if (pipe(in))
		return -1;
	child = fork();
	if (child == 0) {
		dup2(in[0], 0);
		execv(VT_CHILD, argv);
		_exit(127);
	}
	close(in[0]);
	*trigger = in[1];
	return child;
}

/* poll(2) sleeps while the ring is empty and wakes for each new record. */
TEST_F(proc, poll_wakes_the_broker)
{
	struct pollfd pfd = { .fd = self->shim.fd, .events = POLLIN };
	int round;

	for (round = 0; round < 2; round++) {
		int trigger;
		pid_t child = spawn_on_signal(&trigger);

		ASSERT_LT(0, child);
		/* Its exec into waitexec; then nothing until triggered. */
		ASSERT_NE(NULL, wait_event(self, VIGIL_EVENT_EXEC, child));
		vt_drain(&self->shim, &self->log);
		EXPECT_EQ(0, poll(&pfd, 1, 200));
		ASSERT_EQ(1, write(trigger, "x", 1));
		EXPECT_EQ(1, poll(&pfd, 1, WAIT_MS));
		EXPECT_TRUE(pfd.revents & POLLIN);
		close(trigger);
		EXPECT_EQ(0, vt_reap(child));
		vt_drain(&self->shim, &self->log);
	}
}

TEST_F(proc, each_session_starts_at_seq_1)
{
	char *argv[] = { "vigil_child", "exit", "0", NULL };
	const struct vigil_event_view *ev;
	pid_t child;

	vigil_shim_close(&self->shim);
	ASSERT_EQ(0, vt_connect(&self->shim));
	child = vt_spawn(VT_CHILD, argv);
	ASSERT_EQ(0, vt_reap(child));
	/* Its fork is the broker's own, muted: the exec comes first. */
	ev = wait_event(self, VIGIL_EVENT_EXEC, child);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(1, ev->seq);
}

/* produced == delivered + dropped, with a small ring nobody reads. */
FIXTURE(small_ring) {
	char old_size[64];
};

FIXTURE_SETUP(small_ring)
{
	ASSERT_EQ(0, vt_param_read("ring_size", self->old_size,
				   sizeof(self->old_size)));
	ASSERT_EQ(0, vt_param_write("ring_size", "64K"));
}

FIXTURE_TEARDOWN(small_ring)
{
	vt_param_write("ring_size", self->old_size);
}

TEST_F(small_ring, overflow_is_counted_and_nothing_is_lost_silently)
{
	struct vigil_ring_producer snap, all;
	struct vigil_shim shim;
	struct vt_log log = {};
	uint64_t dropped, max_seq = 0;
	pid_t helper;
	size_t i;
	int n;

	ASSERT_EQ(0, vt_connect(&shim));
	EXPECT_EQ(64 << 10, shim.hs.ring_data_size);
	/* Forked by a helper: the broker's own forks are muted. */
	helper = fork();
	ASSERT_LE(0, helper);
	if (helper == 0) {
		for (n = 0; n < 800; n++) {
			pid_t pid = fork();

			if (pid == 0)
				_exit(0);
			waitpid(pid, NULL, 0);
		}
		_exit(0);
	}
	ASSERT_EQ(0, vt_reap(helper));
	ASSERT_LE(0, vt_drain(&shim, &log));
	vigil_ring_counters(shim.main.producer, &snap);
	dropped = vigil_ring_dropped(&snap);
	/* One source (root) may hold half the ring: its excess is shed (1.4). */
	EXPECT_LT(0, snap.dropped[VIGIL_DROP_RING_FULL] +
		  snap.dropped[VIGIL_DROP_SOURCE_BUDGET]);
	EXPECT_EQ(0, snap.dropped[VIGIL_DROP_NESTED]);
	/* 800 forks and 800 exits, and the helper's own exit. */
	EXPECT_EQ(1601, snap.produced);
	/*
	 * Both rings: the lane has the shim's reports of what root lost,
	 * which its work sends a little later.  Once the shim is quiet the
	 * counts add up exactly; a record lost silently never lets them.
	 */
	for (n = 0; n < 100; n++) {
		vigil_shim_counters(&shim, &all);
		if (all.produced == log.n + vigil_ring_dropped(&all))
			break;
		usleep(20000);
		ASSERT_LE(0, vt_drain(&shim, &log));
	}
	EXPECT_EQ(all.produced, log.n + vigil_ring_dropped(&all));
	for (i = 0; i < log.n; i++)
		if (log.ev[i].v.seq > max_seq)
			max_seq = log.ev[i].v.seq;
	EXPECT_LE(max_seq, snap.produced);
	TH_LOG("produced %llu, delivered %zu, dropped %llu",
	       (unsigned long long)snap.produced, log.n,
	       (unsigned long long)dropped);
	vt_log_free(&log);
	vigil_shim_close(&shim);
}

TEST_HARNESS_MAIN
