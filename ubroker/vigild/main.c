// SPDX-License-Identifier: GPL-2.0
/*
 * vigild: the vigil broker.  This version connects to the shim, maps its
 * ring and writes every event to standard output, one line each; with
 * --auth it also answers permission events by a small rule set.  It runs
 * unprivileged and sandboxed (sandbox.c).  See vigild(8) and
 * Documentation/vigild.rst.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "control.h"
#include "event.h"
#include "format.h"
#include "rules.h"
#include "sandbox.h"
#include "shim.h"

/* The ABI this broker speaks; test builds may pretend to be another. */
#ifndef VIGILD_ABI_MAJOR
#define VIGILD_ABI_MAJOR VIGIL_ABI_MAJOR
#endif

#define VIGILD_VERSION "0.2"

enum {
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_ABI = 3,		/* the shim speaks another ABI major */
	EXIT_ROOT = 4,		/* run as root without --allow-root */
};

struct vigild {
	const char *device;
	enum vigild_format format;
	struct vigil_shim shim;
	int allow_root;
	uint64_t delivered;
	uint64_t malformed;
	uint64_t reported_drops;	/* drops already reported */

	/* --auth */
	int auth;
	int cache;
	struct vigild_rules rules;
	const char *watch[VIGILD_MAX_RULES];
	unsigned int nr_watch;
	struct vigil_verdict batch[VIGIL_VERDICT_BATCH_MAX];
	uint32_t nr_batch;
	uint64_t verdicts;		/* sent and applied */
	uint64_t late;			/* sent after the deadline */
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s [-d DEVICE] [-f json|text] [--auth [RULES]]\n"
		"  -d, --device DEVICE  the shim's device (default /dev/vigil)\n"
		"  -f, --format FORMAT  json (default): one JSON object per line;\n"
		"                       text: one line per event, for people\n"
		"  --auth               answer permission events: exec, and open\n"
		"                       on watched filesystems; allow unless:\n"
		"    --deny-exec DIR    executing a file under DIR is denied\n"
		"    --deny-open DIR    opening a file under DIR is denied (and\n"
		"                       DIR's filesystem is watched)\n"
		"    --watch PATH       watch PATH's filesystem for opens\n"
		"    --cache            let the kernel cache these verdicts\n"
		"  --allow-root         run even as root (capabilities are dropped)\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version and the ABI spoken\n"
		"Each of --deny-exec, --deny-open and --watch may be repeated.\n",
		prog);
}

enum {
	OPT_AUTH = 256, OPT_DENY_EXEC, OPT_DENY_OPEN, OPT_WATCH, OPT_CACHE,
	OPT_ALLOW_ROOT,
};

static int add_prefix(const char **list, unsigned int *nr, const char *arg,
		      const char *opt)
{
	int err = vigild_rules_add(list, nr, arg);

	if (err == -EINVAL)
		fprintf(stderr, "vigild: %s '%s': not an absolute path\n", opt, arg);
	else if (err)
		fprintf(stderr, "vigild: %s: more than %d\n", opt, VIGILD_MAX_RULES);
	return err ? EXIT_USAGE : 0;
}

static int parse_option(struct vigild *d, int c, const char *prog)
{
	switch (c) {
	case 'd':
		d->device = optarg;
		return 0;
	case 'f':
		if (!strcmp(optarg, "json"))
			d->format = VIGILD_FORMAT_JSON;
		else if (!strcmp(optarg, "text"))
			d->format = VIGILD_FORMAT_TEXT;
		else
			break;
		return 0;
	case OPT_AUTH:
		d->auth = 1;
		return 0;
	case OPT_DENY_EXEC:
		return add_prefix(d->rules.deny_exec, &d->rules.nr_deny_exec,
				  optarg, "--deny-exec");
	case OPT_DENY_OPEN:
		if (add_prefix(d->rules.deny_open, &d->rules.nr_deny_open,
			       optarg, "--deny-open"))
			return EXIT_USAGE;
		return add_prefix(d->watch, &d->nr_watch, optarg, "--deny-open");
	case OPT_WATCH:
		return add_prefix(d->watch, &d->nr_watch, optarg, "--watch");
	case OPT_CACHE:
		d->cache = 1;
		return 0;
	case OPT_ALLOW_ROOT:
		d->allow_root = 1;
		return 0;
	case 'h':
		usage(stdout, prog);
		exit(EXIT_SUCCESS);
	case 'V':
		printf("vigild %s, ABI %u.%u\n", VIGILD_VERSION,
		       VIGILD_ABI_MAJOR, VIGIL_ABI_MINOR);
		exit(EXIT_SUCCESS);
	default:
		usage(stderr, prog);
		return EXIT_USAGE;
	}
	fprintf(stderr, "vigild: unknown format '%s': use json or text\n", optarg);
	return EXIT_USAGE;
}

static int parse_args(struct vigild *d, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "auth", no_argument, NULL, OPT_AUTH },
		{ "deny-exec", required_argument, NULL, OPT_DENY_EXEC },
		{ "deny-open", required_argument, NULL, OPT_DENY_OPEN },
		{ "watch", required_argument, NULL, OPT_WATCH },
		{ "cache", no_argument, NULL, OPT_CACHE },
		{ "allow-root", no_argument, NULL, OPT_ALLOW_ROOT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err;

	while ((c = getopt_long(argc, argv, "d:f:hV", opts, NULL)) != -1) {
		err = parse_option(d, c, argv[0]);
		if (err)
			return err;
	}
	if (optind < argc) {
		fprintf(stderr, "vigild: unexpected argument '%s'\n", argv[optind]);
		usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	if (!d->auth && (d->rules.nr_deny_exec || d->nr_watch || d->cache)) {
		fprintf(stderr, "vigild: --deny-exec, --deny-open, --watch and --cache need --auth\n");
		return EXIT_USAGE;
	}
	return 0;
}

/* Send the verdicts queued; count those that came too late. */
static void flush_verdicts(struct vigild *d)
{
	uint32_t applied = 0;
	int err;

	if (!d->nr_batch)
		return;
	err = vigil_shim_verdicts(&d->shim, d->batch, d->nr_batch, &applied);
	if (err && err != -ENOENT)
		fprintf(stderr, "vigild: sending verdicts: %s\n", strerror(-err));
	d->verdicts += applied;
	if (err == -ENOENT)
		d->late += d->nr_batch - applied;
	d->nr_batch = 0;
}

static const char *answer(struct vigild *d, const struct vigil_event_view *v)
{
	const struct vigil_auth *auth = vigil_event_auth(v);
	struct vigil_verdict *out;
	uint32_t verdict;

	if (!auth || !d->auth)
		return NULL;
	verdict = vigild_rules_verdict(&d->rules, v);
	if (d->nr_batch == VIGIL_VERDICT_BATCH_MAX)
		flush_verdicts(d);
	out = &d->batch[d->nr_batch++];
	memset(out, 0, sizeof(*out));
	out->id = auth->id;
	out->verdict = verdict;
	out->flags = d->cache ? VIGIL_VERDICT_F_CACHE : 0;
	return verdict == VIGIL_VERDICT_DENY ? "deny" : "allow";
}

/* The watchdog tripped or was re-armed: say so where people look. */
static void on_watchdog(const struct vigil_event_view *v)
{
	const struct vigil_watchdog_event *ev = &v->fixed.watchdog;
	const char *reason = vigil_fault_name(ev->reason);

	if (!v->known)
		return;
	if (ev->state == VIGIL_WATCHDOG_ARMED) {
		fprintf(stderr, "vigild: the shim's watchdog is armed again: events flow\n");
		return;
	}
	fprintf(stderr, "vigild: the shim's watchdog tripped (%s, trip %u): "
		"its hooks are detached and no events come until an "
		"administrator re-arms it: vigilctl rearm\n",
		reason ? reason : "unknown reason", ev->trips);
}

static int on_record(const void *rec, uint32_t len, void *ctx)
{
	struct vigild *d = ctx;
	struct vigil_event_view view;
	const char *verdict;

	if (vigil_event_decode(rec, len, &view)) {
		d->malformed++;
		return 0;
	}
	if (view.type == VIGIL_EVENT_WATCHDOG)
		on_watchdog(&view);
	verdict = answer(d, &view);
	vigild_print_event(stdout, d->format, &view, verdict);
	d->delivered++;
	return 0;
}

/* Print a drops line whenever the shim has dropped more since the last. */
static void report_drops(struct vigild *d)
{
	struct vigil_ring_producer snap;
	uint64_t dropped;

	vigil_ring_counters(d->shim.producer, &snap);
	dropped = vigil_ring_dropped(&snap);
	if (dropped == d->reported_drops)
		return;
	vigild_print_drops(stdout, d->format, d->delivered, &snap);
	d->reported_drops = dropped;
}

static void report_auth_stats(struct vigild *d)
{
	static const uint32_t types[] = {
		VIGIL_EVENT_AUTH_EXEC, VIGIL_EVENT_AUTH_OPEN,
	};
	struct vigil_auth_stats st;
	unsigned int i;

	for (i = 0; d->auth && i < 2; i++)
		if (!vigil_shim_auth_stats(&d->shim, types[i], &st))
			vigild_print_auth_stats(stdout, d->format, &st);
}

static int drain(struct vigild *d)
{
	long n = vigil_ring_consume(&d->shim.ring, on_record, d);

	flush_verdicts(d);
	if (n < 0) {
		fprintf(stderr, "vigild: the ring is corrupt: %s\n", strerror(-n));
		return -1;
	}
	report_drops(d);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "vigild: cannot write events: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int open_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* SIGUSR1 prints the AUTH stats; SIGINT and SIGTERM stop: return 1. */
static int on_signal(struct vigild *d, int sigfd)
{
	struct signalfd_siginfo si;

	if (read(sigfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo != SIGUSR1)
		return 1;
	report_auth_stats(d);
	return 0;
}

/* Serve events until SIGINT or SIGTERM; 0 on a clean stop. */
static int serve(struct vigild *d, int sigfd)
{
	struct pollfd pfd[2] = {
		{ .fd = d->shim.fd, .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};

	for (;;) {
		if (drain(d))
			return -1;
		if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
			perror("vigild: poll");
			return -1;
		}
		if ((pfd[1].revents & POLLIN) && on_signal(d, sigfd))
			return drain(d);	/* last records, then stop */
		if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			fprintf(stderr, "vigild: the shim closed the session\n");
			return -1;
		}
	}
}

/* Subscribe to AUTH events and watch the filesystems asked for. */
static int setup_auth(struct vigild *d)
{
	uint64_t events = VIGIL_EVENT_BIT(VIGIL_EVENT_FORK) |
			  VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC) |
			  VIGIL_EVENT_BIT(VIGIL_EVENT_EXIT) |
			  VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC);
	unsigned int i;
	int err;

	if (!d->auth)
		return 0;
	if (d->nr_watch)
		events |= VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_OPEN);
	for (i = 0; i < d->nr_watch; i++) {
		err = vigil_shim_watch(&d->shim, d->watch[i], 0);
		if (err && err != -EEXIST) {
			fprintf(stderr, "vigild: cannot watch the filesystem of %s: %s\n",
				d->watch[i], strerror(-err));
			return -1;
		}
	}
	err = vigil_shim_subscribe(&d->shim, events);
	if (err) {
		fprintf(stderr, "vigild: cannot subscribe: %s\n", strerror(-err));
		return -1;
	}
	return 0;
}

static const char *watchdog_state(struct vigild *d)
{
	struct vigil_watchdog_status st;
	const char *name;

	if (vigil_watchdog_status(d->shim.fd, &st))
		return "state unknown";
	name = vigil_watchdog_state_name(st.state);
	return name ? name : "state unknown";
}

static void summary(struct vigild *d)
{
	struct vigil_ring_producer snap;

	vigil_ring_counters(d->shim.producer, &snap);
	fprintf(stderr,
		"vigild: stopped: %" PRIu64 " events delivered, %" PRIu64
		" dropped (ring_full=%" PRIu64 " nested=%" PRIu64
		" discarded=%" PRIu64 " internal=%" PRIu64 "), %" PRIu64
		" malformed, of %" PRIu64 " produced\n",
		d->delivered, vigil_ring_dropped(&snap),
		(uint64_t)snap.dropped[VIGIL_DROP_RING_FULL],
		(uint64_t)snap.dropped[VIGIL_DROP_NESTED],
		(uint64_t)snap.dropped[VIGIL_DROP_DISCARDED],
		(uint64_t)snap.dropped[VIGIL_DROP_INTERNAL], d->malformed,
		(uint64_t)snap.produced);
	if (d->auth)
		fprintf(stderr, "vigild: %" PRIu64 " verdicts applied, %" PRIu64
			" too late\n", d->verdicts, d->late);
}

/*
 * Give stdout its buffer now: the C library would otherwise allocate it
 * at the first line, and first look at the file with calls the sandbox
 * does not allow.
 */
static void buffer_stdout(void)
{
	static char buf[1 << 16];

	setvbuf(stdout, buf, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, sizeof(buf));
}

/* Open the shim, subscribe, then confine ourselves.  0 or an exit status. */
static int start(struct vigild *d)
{
	char msg[256];
	int err;

	err = vigil_shim_open(&d->shim, d->device, VIGILD_ABI_MAJOR,
			      VIGIL_ABI_MINOR, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "vigild: %s\n", msg);
		return err == -EPROTONOSUPPORT ? EXIT_ABI : EXIT_FAILURE;
	}
	if (setup_auth(d))
		goto err_close;
	buffer_stdout();
	if (vigild_sandbox(msg, sizeof(msg))) {
		fprintf(stderr, "vigild: %s\n", msg);
		goto err_close;
	}
	fprintf(stderr, "vigild: connected to %s: ABI %u.%u, ring %" PRIu64
		" KiB%s, watchdog %s\n", d->device, d->shim.hs.abi_major,
		d->shim.hs.abi_minor, (uint64_t)d->shim.hs.ring_data_size >> 10,
		d->auth ? ", answering permission events" : "",
		watchdog_state(d));
	return 0;

err_close:
	vigil_shim_close(&d->shim);
	return EXIT_FAILURE;
}

int main(int argc, char **argv)
{
	static struct vigild d = { .device = "/dev/vigil" };
	char msg[256];
	int sigfd, err;

	err = parse_args(&d, argc, argv);
	if (err)
		return err;
	err = vigild_check_user(d.allow_root, msg, sizeof(msg));
	if (msg[0])
		fprintf(stderr, "vigild: %s\n", msg);
	if (err)
		return EXIT_ROOT;
	sigfd = open_signals();
	if (sigfd < 0) {
		perror("vigild: signals");
		return EXIT_FAILURE;
	}
	err = start(&d);
	if (err) {
		close(sigfd);
		return err;
	}
	err = serve(&d, sigfd);
	report_auth_stats(&d);
	fflush(stdout);
	summary(&d);
	vigil_shim_close(&d.shim);
	close(sigfd);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
