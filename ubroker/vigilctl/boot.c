// SPDX-License-Identifier: GPL-2.0
/*
 * vigilctl boot: load the shim at boot, or refuse to; bless a healthy
 * boot; reset the count; show the state.  The state file is replaced
 * atomically (written aside, synced, renamed, the directory synced), under
 * a lock on the directory, and it is counted before the module is loaded,
 * so that a crash while loading still counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "vigilctl.h"

#define STATE_FILE	"boot-state"

int boot_this_id(char id[BOOT_ID_LEN + 1])
{
	char buf[64];
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	int ok;

	if (!f)
		return -errno;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	if (!ok || !boot_id_valid(buf))
		return -EINVAL;
	memcpy(id, buf, BOOT_ID_LEN + 1);
	return 0;
}

/*
 * Read a small file whole into @buf, which has room for @max + 1 bytes:
 * its length, or -errno; -EFBIG if it is longer than @max.
 */
static ssize_t read_small(int dirfd, const char *name, char *buf, size_t max)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t total = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	do {
		n = read(fd, buf + total, max + 1 - total);
		if (n > 0)
			total += n;
	} while (n > 0 && total <= max);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	return total > max ? -EFBIG : (ssize_t)total;
}

static int read_state_at(int dirfd, struct boot_state *st, char *err,
			 size_t errlen)
{
	char buf[BOOT_STATE_MAX_SIZE + 1];
	ssize_t n = read_small(dirfd, STATE_FILE, buf, BOOT_STATE_MAX_SIZE);

	if (n == -ENOENT) {
		boot_state_init(st);
		return 1;
	}
	if (n < 0) {
		snprintf(err, errlen, "cannot read %s: %s", STATE_FILE, strerror(-n));
		return n;
	}
	if (boot_state_parse(buf, n, st, err, errlen)) {
		size_t l = strlen(err);

		snprintf(err + l, errlen - l, " (in %s)", STATE_FILE);
		return -EINVAL;
	}
	return 0;
}

int boot_read_state(const char *dir, struct boot_state *st, char *err,
		    size_t errlen)
{
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	if (dirfd < 0) {
		if (errno == ENOENT) {
			boot_state_init(st);
			return 1;
		}
		snprintf(err, errlen, "cannot open %s: %s", dir, strerror(errno));
		return -errno;
	}
	ret = read_state_at(dirfd, st, err, errlen);
	close(dirfd);
	return ret;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0)
			return -errno;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Replace the state file atomically and durably. */
static int write_state_at(int dirfd, const struct boot_state *st)
{
	char buf[512];
	int len = boot_state_format(st, buf, sizeof(buf));
	int fd, err;

	if (len < 0)
		return len;
	fd = openat(dirfd, STATE_FILE ".new",
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	err = write_all(fd, buf, len);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && renameat(dirfd, STATE_FILE ".new", dirfd, STATE_FILE))
		err = -errno;
	if (!err && fsync(dirfd))
		err = -errno;
	/*
	 * And the whole filesystem: fsync(2) of a directory is not enough
	 * everywhere (Debian 6.1's minix lost a rename it had synced, across
	 * a panic).  This runs once or twice a boot.
	 */
	if (!err && syncfs(dirfd))
		err = -errno;
	return err;
}

/* The state directory, created if need be, locked: a descriptor or -1. */
static int lock_state_dir(const char *dir)
{
	int fd;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		vigilctl_error("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		vigilctl_error("cannot lock %s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int read_cmdline(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		vigilctl_error("cannot read the kernel command line from %s: %s",
			       path, strerror(errno));
		return -1;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0) {
		vigilctl_error("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

/* "a=1 b=2": the module parameters, as finit_module(2) takes them. */
static char *join_params(char **params)
{
	size_t len = 1, i;
	char *s;

	for (i = 0; params[i]; i++)
		len += strlen(params[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (i = 0; params[i]; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, params[i]);
	}
	return s;
}

static int load_file(const char *module, char **params)
{
	char *args = join_params(params);
	int fd, ret = -1;

	if (!args) {
		vigilctl_error("out of memory");
		return -1;
	}
	fd = open(module, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		vigilctl_error("cannot open %s: %s", module, strerror(errno));
	else if (syscall(SYS_finit_module, fd, args, 0))
		vigilctl_error("loading %s failed: %s", module, strerror(errno));
	else
		ret = 0;
	if (fd >= 0)
		close(fd);
	free(args);
	return ret;
}

static int load_modprobe(char **params)
{
	size_t n = 0, i;
	char **argv;
	pid_t pid;
	int status;

	while (params[n])
		n++;
	argv = calloc(n + 3, sizeof(*argv));
	if (!argv) {
		vigilctl_error("out of memory");
		return -1;
	}
	argv[0] = "modprobe";
	argv[1] = "vigil";
	for (i = 0; i < n; i++)
		argv[i + 2] = params[i];
	pid = fork();
	if (pid == 0) {
		execvp("modprobe", argv);
		_exit(127);
	}
	free(argv);
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		vigilctl_error("cannot run modprobe: %s", strerror(errno));
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		vigilctl_error("modprobe vigil failed (status %d)",
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

/*
 * Say what a command did: @text for people, or {"result":@result} with
 * the state after it.
 */
static void report(const struct boot_options *o, const char *result,
		   const struct boot_state *st, const char *text, ...)
	__attribute__((format(printf, 4, 5)));

static void report(const struct boot_options *o, const char *result,
		   const struct boot_state *st, const char *text, ...)
{
	va_list ap;

	if (o->json) {
		printf("{\"result\":\"%s\",\"unblessed\":%u,\"limit\":%u,\"last\":\"%s\"}\n",
		       result, st->unblessed, st->limit, boot_last_name(st->last));
		return;
	}
	fputs("vigilctl: ", stdout);
	va_start(ap, text);
	vprintf(text, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static int save_or_complain(int dirfd, const struct boot_state *st,
			    const char *dir)
{
	int err = write_state_at(dirfd, st);

	if (err)
		vigilctl_error("cannot write the boot guard's state in %s: %s",
			       dir, strerror(-err));
	return err;
}

static int cmd_load(const struct boot_options *o)
{
	char cmdline[4096], id[BOOT_ID_LEN + 1], err[256];
	struct boot_state st;
	enum boot_action action;
	int dirfd, ret;

	if (read_cmdline(o->cmdline, cmdline, sizeof(cmdline)))
		return VIGILCTL_EXIT_FAILURE;
	if (boot_this_id(id)) {
		vigilctl_error("cannot read this boot's id from /proc/sys/kernel/random/boot_id");
		return VIGILCTL_EXIT_FAILURE;
	}
	dirfd = lock_state_dir(o->state_dir);
	if (dirfd < 0)
		return VIGILCTL_EXIT_FAILURE;
	ret = read_state_at(dirfd, &st, err, sizeof(err));
	if (ret < 0) {
		vigilctl_error("%s: not loading the shim: fix or remove %s/%s, or run vigilctl boot reset",
			       err, o->state_dir, STATE_FILE);
		close(dirfd);
		return VIGILCTL_EXIT_FAILURE;
	}
	action = boot_decide(&st, boot_cmdline_disabled(cmdline), o->limit, id);
	if (save_or_complain(dirfd, &st, o->state_dir)) {
		close(dirfd);
		return VIGILCTL_EXIT_FAILURE;
	}
	switch (action) {
	case BOOT_DO_NOTHING:
		report(o, "disabled", &st,
		       "vigil.disable=1 is on the kernel command line: not loading the shim");
		ret = VIGILCTL_EXIT_OK;
		break;
	case BOOT_DO_REFUSE:
		vigilctl_error("not loading the shim: the last %u boots that loaded it were not blessed (did they crash or hang?); look at their logs, then run: vigilctl boot reset",
			       st.unblessed);
		if (o->json)
			report(o, "refused", &st, "refused");
		ret = VIGILCTL_EXIT_REFUSED;
		break;
	case BOOT_DO_LOAD:
		ret = o->module ? load_file(o->module, o->params) :
				  load_modprobe(o->params);
		boot_loaded(&st, ret == 0);
		if (save_or_complain(dirfd, &st, o->state_dir))
			ret = -1;
		if (!ret)
			report(o, "loaded", &st, "shim loaded (unblessed boot %u of %u allowed)",
			       st.unblessed, st.limit);
		ret = ret ? VIGILCTL_EXIT_FAILURE : VIGILCTL_EXIT_OK;
		break;
	}
	close(dirfd);
	return ret;
}

/* Seconds since boot, from /proc/uptime; -1 if unknown. */
static double uptime_s(void)
{
	double up = -1;
	FILE *f = fopen("/proc/uptime", "re");

	if (f) {
		if (fscanf(f, "%lf", &up) != 1)
			up = -1;
		fclose(f);
	}
	return up;
}

static int wait_healthy(unsigned int healthy_s)
{
	double up;

	while ((up = uptime_s()) >= 0 && up < healthy_s) {
		double left = healthy_s - up;
		struct timespec ts = {
			.tv_sec = (time_t)left,
			.tv_nsec = (long)((left - (time_t)left) * 1e9),
		};

		nanosleep(&ts, NULL);
	}
	if (up < 0) {
		vigilctl_error("cannot read /proc/uptime");
		return -1;
	}
	return 0;
}

static int cmd_bless(const struct boot_options *o)
{
	char id[BOOT_ID_LEN + 1], err[256];
	struct boot_state st;
	int dirfd, ret;

	if (wait_healthy(o->healthy_s))
		return VIGILCTL_EXIT_FAILURE;
	if (boot_this_id(id)) {
		vigilctl_error("cannot read this boot's id");
		return VIGILCTL_EXIT_FAILURE;
	}
	dirfd = lock_state_dir(o->state_dir);
	if (dirfd < 0)
		return VIGILCTL_EXIT_FAILURE;
	ret = read_state_at(dirfd, &st, err, sizeof(err));
	if (ret < 0) {
		vigilctl_error("%s", err);
		close(dirfd);
		return VIGILCTL_EXIT_FAILURE;
	}
	if (!boot_bless(&st, id)) {
		report(o, "nothing", &st,
		       "nothing to bless: this boot did not load the shim (last: %s)",
		       boot_last_name(st.last));
		close(dirfd);
		return VIGILCTL_EXIT_OK;
	}
	ret = save_or_complain(dirfd, &st, o->state_dir);
	close(dirfd);
	if (!ret)
		report(o, "blessed", &st,
		       "this boot is blessed: up %u s; the count of unblessed boots is 0",
		       o->healthy_s);
	return ret ? VIGILCTL_EXIT_FAILURE : VIGILCTL_EXIT_OK;
}

static int cmd_reset(const struct boot_options *o)
{
	char id[BOOT_ID_LEN + 1] = "";
	struct boot_state st;
	int dirfd, ret;

	boot_this_id(id);
	dirfd = lock_state_dir(o->state_dir);
	if (dirfd < 0)
		return VIGILCTL_EXIT_FAILURE;
	/* Whatever the file held, even garbage: that is what reset is for. */
	boot_state_init(&st);
	boot_reset(&st, id);
	ret = save_or_complain(dirfd, &st, o->state_dir);
	close(dirfd);
	if (!ret)
		report(o, "reset", &st, "boot guard reset: the shim loads at the next boot");
	return ret ? VIGILCTL_EXIT_FAILURE : VIGILCTL_EXIT_OK;
}

static int cmd_status(const struct boot_options *o)
{
	char cmdline[4096], id[BOOT_ID_LEN + 1] = "", err[256];
	struct boot_state st;
	int ret = boot_read_state(o->state_dir, &st, err, sizeof(err));

	if (ret < 0) {
		vigilctl_error("%s", err);
		return VIGILCTL_EXIT_FAILURE;
	}
	boot_this_id(id);
	if (read_cmdline(o->cmdline, cmdline, sizeof(cmdline)))
		return VIGILCTL_EXIT_FAILURE;
	if (o->json) {
		vigilctl_print_boot_json(stdout, &st, ret == 1,
					 id[0] && !strcmp(id, st.boot_id),
					 boot_cmdline_disabled(cmdline));
		fputc('\n', stdout);
	} else {
		vigilctl_print_boot(stdout, &st, ret == 1, id,
				    boot_cmdline_disabled(cmdline));
	}
	return VIGILCTL_EXIT_OK;
}

static void boot_usage(FILE *out)
{
	fprintf(out,
		"usage: vigilctl boot load [--limit K] [--module FILE] [-- PARAM=VALUE...]\n"
		"       vigilctl boot bless [--healthy-for SECONDS]\n"
		"       vigilctl boot reset\n"
		"       vigilctl boot status\n"
		"  every one also takes --state-dir DIR (default %s)\n"
		"  load and status take --cmdline FILE (default /proc/cmdline)\n",
		BOOT_STATE_DIR);
}

static int parse_count(const char *arg, const char *opt, unsigned int min,
		       unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max) {
		vigilctl_error("%s '%s': not a number from %u to %u", opt, arg,
			       min, max);
		return -1;
	}
	*out = v;
	return 0;
}

enum { OPT_STATE_DIR = 256, OPT_CMDLINE, OPT_MODULE, OPT_LIMIT, OPT_HEALTHY };

static int boot_parse(struct boot_options *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
		{ "cmdline", required_argument, NULL, OPT_CMDLINE },
		{ "module", required_argument, NULL, OPT_MODULE },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "healthy-for", required_argument, NULL, OPT_HEALTHY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: start afresh, from argv[1] */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_STATE_DIR:
			o->state_dir = optarg;
			break;
		case OPT_CMDLINE:
			o->cmdline = optarg;
			break;
		case OPT_MODULE:
			o->module = optarg;
			break;
		case OPT_LIMIT:
			if (parse_count(optarg, "--limit", 1, BOOT_MAX_LIMIT, &o->limit))
				return -1;
			break;
		case OPT_HEALTHY:
			if (parse_count(optarg, "--healthy-for", 0, 86400, &o->healthy_s))
				return -1;
			break;
		case 'h':
			boot_usage(stdout);
			exit(VIGILCTL_EXIT_OK);
		default:
			boot_usage(stderr);
			return -1;
		}
	}
	o->params = argv + optind;
	return 0;
}

/* argv[0] is "load", "bless", "reset" or "status". */
int boot_command(int argc, char **argv, const char *state_dir, int json)
{
	struct boot_options o = {
		.state_dir = state_dir,
		.json = json,
		.cmdline = "/proc/cmdline",
		.limit = BOOT_DEFAULT_LIMIT,
		.healthy_s = BOOT_DEFAULT_HEALTHY_S,
	};
	const char *cmd = argc > 0 ? argv[0] : "";

	if (boot_parse(&o, argc, argv))
		return VIGILCTL_EXIT_USAGE;
	if (strcmp(cmd, "load") && o.params[0]) {
		vigilctl_error("boot %s: unexpected argument '%s'", cmd, o.params[0]);
		return VIGILCTL_EXIT_USAGE;
	}
	if (!strcmp(cmd, "load"))
		return cmd_load(&o);
	if (!strcmp(cmd, "bless"))
		return cmd_bless(&o);
	if (!strcmp(cmd, "reset"))
		return cmd_reset(&o);
	if (!strcmp(cmd, "status"))
		return cmd_status(&o);
	vigilctl_error("boot: unknown command '%s'", cmd);
	boot_usage(stderr);
	return VIGILCTL_EXIT_USAGE;
}
