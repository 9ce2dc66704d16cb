// SPDX-License-Identifier: GPL-2.0
/*
 * vigilctl: the administrator's tool for the vigil shim and its broker.
 * See vigilctl(8), Documentation/watchdog.rst and Documentation/vigild.rst.
 *
 *   vigilctl status              the watchdog, the broker, the boot guard
 *   vigilctl clients             the broker's clients and their counters
 *   vigilctl rearm [--wait]      re-arm a tripped watchdog
 *   vigilctl config [NAME[=VALUE]...]   the shim's parameters
 *   vigilctl boot load|bless|reset|status   the boot guard
 *
 * --json before the command: its output as one JSON object.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "broker.h"
#include "control.h"
#include "json.h"
#include "vigilctl.h"

#define VIGILCTL_VERSION	"0.4"
#define PARAMS_DIR		"/sys/module/vigil/parameters"

struct vigilctl {
	const char *device;
	const char *state_dir;
	const char *socket;		/* the broker's; NULL: the default */
	int json;
};

void vigilctl_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vigilctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static unsigned long long monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: vigilctl [OPTIONS] [status]\n"
		"       vigilctl [OPTIONS] clients\n"
		"       vigilctl [OPTIONS] rearm [--wait]\n"
		"       vigilctl [OPTIONS] config [NAME[=VALUE]...]\n"
		"       vigilctl [OPTIONS] boot load|bless|reset|status [BOOT OPTIONS]\n"
		"  -d, --device DEVICE   the shim's device (default /dev/vigil)\n"
		"  -s, --socket PATH     the broker's socket (default $VIGIL_SOCKET,\n"
		"                        or /run/vigil/vigild.sock)\n"
		"      --state-dir DIR   the boot guard's state (default %s)\n"
		"  -j, --json            the output as one JSON object\n"
		"  -h, --help            this help; vigilctl boot --help for boot's\n"
		"  -V, --version         the version\n"
		"status exits 0 if armed, 3 if tripped, 4 if the shim is not loaded.\n",
		BOOT_STATE_DIR);
}

/* Open a control handle, saying why not; -errno. */
static int open_control(const char *device, int quiet_enoent)
{
	int fd = vigil_control_open(device);

	if (fd == -ENOENT && quiet_enoent)
		return fd;
	if (fd == -ENOENT)
		vigilctl_error("%s does not exist: is the shim loaded? (modprobe vigil)", device);
	else if (fd == -EACCES || fd == -EPERM)
		vigilctl_error("cannot open %s: %s (run as root)", device, strerror(-fd));
	else if (fd < 0)
		vigilctl_error("cannot open %s: %s", device, strerror(-fd));
	return fd;
}

static void gather_boot(struct vigilctl_status *st, const char *state_dir)
{
	char id[BOOT_ID_LEN + 1] = "", cmdline[4096], err[256];
	FILE *f;
	int ret = boot_read_state(state_dir, &st->boot, err, sizeof(err));

	if (ret < 0) {
		vigilctl_error("boot guard: %s", err);
		return;
	}
	st->boot_known = 1;
	st->boot_fresh = ret == 1;
	if (!boot_this_id(id))
		st->boot_this = !strcmp(id, st->boot.boot_id);
	f = fopen("/proc/cmdline", "re");
	if (f) {
		if (fgets(cmdline, sizeof(cmdline), f))
			st->cmdline_disabled = boot_cmdline_disabled(cmdline);
		fclose(f);
	}
}

static int cmd_status(const struct vigilctl *c)
{
	struct vigilctl_status st = { 0 };
	int fd = open_control(c->device, 1), err;

	if (fd >= 0) {
		err = vigil_watchdog_status(fd, &st.wd);
		close(fd);
		if (err) {
			vigilctl_error("reading the watchdog's state: %s", strerror(-err));
			return VIGILCTL_EXIT_FAILURE;
		}
		st.loaded = 1;
		st.now_ns = monotonic_ns();
	} else if (fd != -ENOENT) {
		return VIGILCTL_EXIT_FAILURE;
	}
	gather_boot(&st, c->state_dir);
	st.socket = vigilctl_socket_path(c->socket);
	st.broker_err = vigilctl_broker_status(st.socket, &st.broker);
	vigilctl_print_status(stdout, &st, c->json);
	if (!st.loaded)
		return VIGILCTL_EXIT_NOT_LOADED;
	if (st.wd.state == VIGIL_WATCHDOG_DEGRADED)
		return VIGILCTL_EXIT_DEGRADED;
	return st.wd.state == VIGIL_WATCHDOG_ARMED ? VIGILCTL_EXIT_OK :
						     VIGILCTL_EXIT_TRIPPED;
}

static int cmd_clients(const struct vigilctl *c, int argc, char **argv)
{
	const char *path = vigilctl_socket_path(c->socket);
	struct vigil_msg_client_info *list;
	uint32_t n;
	int err;

	if (argc > 1) {
		vigilctl_error("clients: unexpected argument '%s'", argv[1]);
		return VIGILCTL_EXIT_USAGE;
	}
	err = vigilctl_broker_clients(path, &list, &n);
	if (err) {
		vigilctl_error("cannot ask the broker at %s: %s", path,
			       vigilctl_broker_error(err));
		return VIGILCTL_EXIT_FAILURE;
	}
	vigilctl_print_clients(stdout, list, n, c->json);
	free(list);
	return VIGILCTL_EXIT_OK;
}

/* Sleep until the backoff is over; 0, or -1 if the state cannot be read. */
static int wait_backoff(int fd)
{
	struct vigil_watchdog_status st;
	unsigned long long now;

	if (vigil_watchdog_status(fd, &st))
		return -1;
	now = monotonic_ns();
	if (st.rearm_after_ns > now) {
		unsigned long long left = st.rearm_after_ns - now;
		struct timespec ts = {
			.tv_sec = left / 1000000000ULL,
			.tv_nsec = left % 1000000000ULL,
		};

		fprintf(stderr, "vigilctl: waiting %llu ms for the backoff\n",
			left / 1000000ULL);
		nanosleep(&ts, NULL);
	}
	return 0;
}

static int rearm_error(int fd, int err, int json)
{
	struct vigil_watchdog_status st;

	switch (err) {
	case -EALREADY:
		if (json)
			printf("{\"rearmed\":false,\"armed\":true}\n");
		else
			printf("vigilctl: the watchdog is armed already: nothing to do\n");
		return VIGILCTL_EXIT_OK;
	case -EPERM:
		vigilctl_error("re-arming needs CAP_SYS_ADMIN (run as root)");
		break;
	case -EAGAIN:
		if (!vigil_watchdog_status(fd, &st) && st.rearm_after_ns > monotonic_ns())
			vigilctl_error("not yet: after repeated trips, re-arming waits; allowed in %llu ms (or use --wait)",
				       (st.rearm_after_ns - monotonic_ns()) / 1000000ULL);
		else
			vigilctl_error("not yet: the backoff after repeated trips is not over");
		break;
	default:
		vigilctl_error("re-arming failed: %s (see the kernel log)", strerror(-err));
	}
	return VIGILCTL_EXIT_FAILURE;
}

static int cmd_rearm(const struct vigilctl *c, int argc, char **argv)
{
	int wait = 0, fd, err;

	if (argc == 2 && !strcmp(argv[1], "--wait")) {
		wait = 1;
	} else if (argc != 1) {
		vigilctl_error("rearm: unexpected argument '%s'", argv[1]);
		return VIGILCTL_EXIT_USAGE;
	}
	fd = open_control(c->device, 0);
	if (fd < 0)
		return VIGILCTL_EXIT_FAILURE;
	if (wait && wait_backoff(fd)) {
		vigilctl_error("reading the watchdog's state: %s", strerror(errno));
		close(fd);
		return VIGILCTL_EXIT_FAILURE;
	}
	err = vigil_watchdog_rearm(fd);
	if (err) {
		err = rearm_error(fd, err, c->json);
		close(fd);
		return err;
	}
	close(fd);
	if (c->json)
		printf("{\"rearmed\":true,\"armed\":true}\n");
	else
		printf("vigilctl: watchdog re-armed\n");
	return VIGILCTL_EXIT_OK;
}

/* A parameter name: lower-case letters, digits, '_'; nothing to escape. */
static int param_name_ok(const char *name, size_t len)
{
	size_t i;

	if (!len || len > 64)
		return 0;
	for (i = 0; i < len; i++)
		if (!islower((unsigned char)name[i]) && !isdigit((unsigned char)name[i]) &&
		    name[i] != '_')
			return 0;
	return 1;
}

/* Parameters as they are printed: name=value lines, or one JSON object. */
struct param_out {
	int json;
	int n;		/* printed so far */
};

static void put_param(struct param_out *o, const char *name, const char *value)
{
	if (!o->json) {
		printf("%s=%s\n", name, value);
		return;
	}
	fputs(o->n ? "," : "{", stdout);
	json_write_str(stdout, name, strlen(name));
	fputc(':', stdout);
	json_write_str(stdout, value, strlen(value));
	o->n++;
}

static void end_params(const struct param_out *o)
{
	if (o->json)
		fputs(o->n ? "}\n" : "{}\n", stdout);
}

static int show_param(struct param_out *o, const char *name)
{
	char path[256], value[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", PARAMS_DIR, name);
	f = fopen(path, "re");
	if (!f) {
		vigilctl_error("%s: %s", name, errno == ENOENT ?
			       "no such parameter (or the shim is not loaded)" :
			       strerror(errno));
		return -1;
	}
	if (!fgets(value, sizeof(value), f))
		value[0] = '\0';
	fclose(f);
	value[strcspn(value, "\n")] = '\0';
	put_param(o, name, value);
	return 0;
}

static int set_param(const char *name, const char *value)
{
	char path[256];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", PARAMS_DIR, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			vigilctl_error("%s: no such parameter (or the shim is not loaded)", name);
		else if (errno == EACCES || errno == EPERM)
			vigilctl_error("%s: cannot be set now (read-only, or not root): %s",
				       name, strerror(errno));
		else
			vigilctl_error("%s: %s", name, strerror(errno));
		return -1;
	}
	if (write(fd, value, strlen(value)) < 0)
		err = errno;
	close(fd);
	if (err == EINVAL)
		vigilctl_error("%s=%s refused by the shim: out of range or malformed (modinfo -p vigil lists the ranges)",
			       name, value);
	else if (err)
		vigilctl_error("%s=%s: %s", name, value, strerror(err));
	return err ? -1 : 0;
}

static int list_params(struct param_out *o)
{
	static const char *const names[] = {
		"watchdog_faults", "watchdog_window_ms", "watchdog_heartbeat_ms",
		"watchdog_hook_budget_ms",
		"watchdog_backoff_ms", "watchdog_auto_rearms", "auth_exec_deadline_ms",
		"auth_open_deadline_ms", "auth_exec_miss", "auth_open_miss",
		"auth_max_waiters", "source_max_waiters", "source_ring_share",
		"cache_size", "ring_size",
	};
	unsigned int i;
	int ret = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (show_param(o, names[i]))
			ret = -1;
	return ret;
}

/* The name part of NAME or NAME=VALUE, checked; its length, or 0. */
static size_t param_arg(const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);

	if (!param_name_ok(arg, len)) {
		vigilctl_error("'%.*s' is not a parameter name", (int)len, arg);
		return 0;
	}
	return len;
}

/*
 * Each argument is NAME (show it) or NAME=VALUE (set it), in order; every
 * name is checked before anything is set.
 */
static int cmd_config(const struct vigilctl *c, int argc, char **argv)
{
	struct param_out o = { .json = c->json };
	int i, failed = 0;

	for (i = 1; i < argc; i++)
		if (!param_arg(argv[i]))
			return VIGILCTL_EXIT_USAGE;
	if (argc == 1)
		failed = list_params(&o);
	for (i = 1; i < argc; i++) {
		size_t len = param_arg(argv[i]);
		const char *value = argv[i][len] == '=' ? argv[i] + len + 1 : NULL;
		char name[65];

		memcpy(name, argv[i], len);
		name[len] = '\0';
		if (value ? set_param(name, value) : show_param(&o, name))
			failed = 1;
		else if (value)
			put_param(&o, name, value);
	}
	end_params(&o);
	return failed ? VIGILCTL_EXIT_FAILURE : VIGILCTL_EXIT_OK;
}

enum { OPT_STATE_DIR = 256 };

static int parse_global(struct vigilctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "+d:s:jhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			c->device = optarg;
			break;
		case 's':
			c->socket = optarg;
			break;
		case OPT_STATE_DIR:
			c->state_dir = optarg;
			break;
		case 'j':
			c->json = 1;
			break;
		case 'h':
			usage(stdout);
			exit(VIGILCTL_EXIT_OK);
		case 'V':
			printf("vigilctl %s, ABI %u.%u\n", VIGILCTL_VERSION,
			       VIGIL_ABI_MAJOR, VIGIL_ABI_MINOR);
			exit(VIGILCTL_EXIT_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct vigilctl c = { .device = "/dev/vigil", .state_dir = BOOT_STATE_DIR };
	const char *cmd;

	if (parse_global(&c, argc, argv))
		return VIGILCTL_EXIT_USAGE;
	argc -= optind;
	argv += optind;
	cmd = argc ? argv[0] : "status";
	if (!strcmp(cmd, "status") && argc <= 1)
		return cmd_status(&c);
	if (!strcmp(cmd, "rearm"))
		return cmd_rearm(&c, argc, argv);
	if (!strcmp(cmd, "clients"))
		return cmd_clients(&c, argc, argv);
	if (!strcmp(cmd, "config"))
		return cmd_config(&c, argc, argv);
	if (!strcmp(cmd, "boot") && argc >= 2)
		return boot_command(argc - 1, argv + 1, c.state_dir, c.json);
	if (!strcmp(cmd, "boot") && argc < 2)
		vigilctl_error("boot: which command? load, bless, reset or status");
	else if (!strcmp(cmd, "status"))
		vigilctl_error("status: unexpected argument '%s'", argv[1]);
	else
		vigilctl_error("unknown command '%s'", cmd);
	usage(stderr);
	return VIGILCTL_EXIT_USAGE;
}
