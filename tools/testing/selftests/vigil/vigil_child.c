// SPDX-License-Identifier: GPL-2.0
/*
 * vigil_child: a program for the tests to run and watch.
 *   vigil_child exit N           exit with status N
 *   vigil_child sleep            wait until killed
 *   vigil_child args ...         take any arguments, exit 0
 *   vigil_child mark FILE        create FILE, exit 0
 *   vigil_child open FILE r|w|t  open FILE for reading, writing (creating
 *                                it), or reading with O_TRUNC; exit 0, or
 *                                the errno
 *   vigil_child openers N PREFIX N threads open PREFIX.0 .. PREFIX.N-1 for
 *                                writing at once; exit with the failures
 *   vigil_child exec PATH ARG... execv(PATH, ARG...); 126 if EACCES
 *   vigil_child waitexec PATH    read a byte from stdin, then exec PATH
 *   vigil_child exeloop          say "ready", then do what each line of
 *                                stdin says, answering each on stdout:
 *                                "o PATH" opens PATH for reading and
 *                                answers its own /proc/self/exe (or "-");
 *                                "c DIR" chroots to DIR ("ok" or "err");
 *                                "x PATH" execs PATH as an exeloop ("err"
 *                                if it cannot); "t P1 P2 OP [A [B]]"
 *                                opens P1, does OP (rename A B, unlink A,
 *                                chroot A, move the mount at A to B,
 *                                umount A lazily), opens P2 and answers
 *                                as "o" does
 *   vigil_child as-broker PATH ARG...
 *                                become the VM's vigil user (uid and gid
 *                                990, no other group), then execv
 *   vigil_child as-user ID PATH ARG...
 *                                the same as user and group ID: a vendor's
 *                                product, say, which runs as nobody special
 *   vigil_child as-member ID PATH ARG...
 *                                as user and group ID, and a member of
 *                                the vigil group: one who may open
 *                                /dev/vigil, but is not the broker
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static int open_file(const char *path, const char *mode)
{
	int flags = O_RDONLY;

	if (!strcmp(mode, "w"))
		flags = O_WRONLY | O_CREAT | O_TRUNC;
	else if (!strcmp(mode, "t"))
		flags = O_RDONLY | O_TRUNC;
	int fd;

	fd = open(path, flags | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

struct opener {
	pthread_t thread;
	char path[256];
	int err;
};

static void *opener_main(void *arg)
{
	struct opener *o = arg;

	o->err = open_file(o->path, "w");
	return NULL;
}

static int openers(int n, const char *prefix)
{
	struct opener o[64];
	int i, failed = 0;

	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++) {
		snprintf(o[i].path, sizeof(o[i].path), "%s.%d", prefix, i);
		pthread_create(&o[i].thread, NULL, opener_main, &o[i]);
	}
	for (i = 0; i < n; i++) {
		pthread_join(o[i].thread, NULL);
		failed += o[i].err != 0;
	}
	return failed;
}

static int exec_path(const char *path, char **argv)
{
	execv(path, argv);
	return errno == EACCES ? 126 : 127;
}

/* The vigil user of the VM image: tools/testing/vm/etc/passwd. */
#define BROKER_ID	990

/* Become user and group @id, with the vigil group too if @member. */
static int as_user(unsigned int id, int member, const char *path, char **argv)
{
	gid_t groups[2] = { id, BROKER_ID };

	if (setgroups(member ? 2 : 1, groups) || setgid(id) || setuid(id)) {
		perror("vigil_child as-user");
		return 125;
	}
	return exec_path(path, argv);
}

/* A line of stdin, read a byte at a time so that an exec loses none. */
static int read_line(char *buf, size_t size)
{
	size_t n = 0;
	char c;

	while (read(0, &c, 1) == 1) {
		if (c == '\n') {
			buf[n] = '\0';
			return 0;
		}
		if (n + 1 < size)
			buf[n++] = c;
	}
	return -1;
}

static void say(const char *what)
{
	size_t n = strlen(what);

	if (write(1, what, n) != (ssize_t)n || write(1, "\n", 1) != 1)
		_exit(124);
}

static void exeloop_open(const char *path)
{
	char exe[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (fd < 0 || n < 0) {
		say("-");
		return;
	}
	exe[n] = '\0';
	say(exe);
}

static int exeloop_op(const char *op, const char *a, const char *b)
{
	if (!strcmp(op, "rename") && a && b)
		return rename(a, b);
	if (!strcmp(op, "unlink") && a)
		return unlink(a);
	if (!strcmp(op, "chroot") && a)
		return chroot(a) || chdir("/");
	if (!strcmp(op, "move") && a && b)
		return mount(a, b, NULL, MS_MOVE, NULL);
	if (!strcmp(op, "umount") && a)
		return umount2(a, MNT_DETACH);
	return -1;
}

/* "t P1 P2 OP [A [B]]": both opens within a moment of the change. */
static void exeloop_twice(char *args)
{
	char *p1 = strtok(args, " "), *p2 = strtok(NULL, " ");
	char *op = strtok(NULL, " "), *a = strtok(NULL, " "), *b = strtok(NULL, " ");
	int fd;

	if (!p1 || !p2 || !op) {
		say("?");
		return;
	}
	fd = open(p1, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || close(fd) || exeloop_op(op, a, b)) {
		say("err");
		return;
	}
	exeloop_open(p2);
}

static int exeloop(void)
{
	char line[4096];

	say("ready");
	while (read_line(line, sizeof(line)) == 0) {
		if (!strncmp(line, "o ", 2)) {
			exeloop_open(line + 2);
		} else if (!strncmp(line, "c ", 2)) {
			say(chroot(line + 2) || chdir("/") ? "err" : "ok");
		} else if (!strncmp(line, "t ", 2)) {
			exeloop_twice(line + 2);
		} else if (!strncmp(line, "x ", 2)) {
			execl(line + 2, "vigil_child", "exeloop", (char *)NULL);
			say("err");
		} else {
			say("?");
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	char c;

	if (argc >= 3 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "sleep"))
		for (;;)
			pause();
	if (argc >= 3 && !strcmp(argv[1], "mark"))
		return open_file(argv[2], "w");
	if (argc >= 4 && !strcmp(argv[1], "open"))
		return open_file(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "openers"))
		return openers(atoi(argv[2]), argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "exec"))
		return exec_path(argv[2], argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "as-broker"))
		return as_user(BROKER_ID, 0, argv[2], argv + 2);
	if (argc >= 4 && !strcmp(argv[1], "as-user"))
		return as_user((unsigned int)atoi(argv[2]), 0, argv[3], argv + 3);
	if (argc >= 4 && !strcmp(argv[1], "as-member"))
		return as_user((unsigned int)atoi(argv[2]), 1, argv[3], argv + 3);
	if (argc >= 2 && !strcmp(argv[1], "exeloop"))
		return exeloop();
	if (argc >= 3 && !strcmp(argv[1], "waitexec")) {
		if (read(0, &c, 1) != 1)
			return 125;
		return exec_path(argv[2], argv + 2);
	}
	return 0;
}
