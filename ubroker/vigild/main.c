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
#include <time.h>
#include <unistd.h>

#include "allowlist.h"
#include "clients.h"
#include "conf.h"
#include "config.h"
#include "control.h"
#include "event.h"
#include "format.h"
#include "proto.h"
#include "rate.h"
#include "rules.h"
#include "notify.h"
#include "sandbox.h"
#include "shim_client.h"
#include "sources.h"

/* The ABI this broker speaks; test builds may pretend to be another. */
#ifndef VIGILD_ABI_MAJOR
#define VIGILD_ABI_MAJOR VIGIL_ABI_MAJOR
#endif

#define VIGILD_VERSION "0.3"

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
	const char *socket_path;	/* --socket: serve clients there */
	const char *config_path;	/* --config */
	struct vigild_config cfg;
	struct vigild_clients *clients;
	struct vigild_notify notify;	/* to systemd, when it started vigild */
	uint64_t events;		/* the NOTIFY types it writes (--events) */
	int events_given;
	uint64_t delivered;
	uint64_t quiet_sources;		/* source reports of no loss: unwritten */
	uint64_t malformed;
	uint64_t reported_drops;	/* drops already reported */
	uint64_t started_ns;
	struct rate rate;		/* for vigilctl status */
	uint64_t auth_by_rules;		/* AUTH events its rules decided */
	uint64_t auth_unasked;		/* nobody asked: missing_verdict */
	struct vigild_sources sources;	/* delivered, per source */

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
		"usage: %s [-d DEVICE] [-f json|text] [-e LIST] [--auth [RULES]]\n"
		"  -d, --device DEVICE  the shim's device (default /dev/vigil)\n"
		"  -f, --format FORMAT  json (default): one JSON object per line;\n"
		"                       text: one line per event, for people\n"
		"  -e, --events LIST    the events to write, by name, comma-separated\n"
		"                       (default fork,exec,exit; \"all\": every one\n"
		"                       but the AUTH events, which --auth asks for;\n"
		"                       \"none\": only what clients subscribe to)\n"
		"  --auth               answer permission events: exec, and open\n"
		"                       on watched filesystems; allow unless:\n"
		"    --deny-exec DIR    executing a file under DIR is denied\n"
		"    --deny-open DIR    opening a file under DIR is denied (and\n"
		"                       DIR's filesystem is watched)\n"
		"    --watch PATH       watch PATH's filesystem for opens\n"
		"    --cache            let the kernel cache these verdicts\n"
		"  --allow-root         run even as root (capabilities are dropped)\n"
		"  --socket PATH        serve vendor clients on the unix socket PATH\n"
		"  --config FILE        the configuration (default %s)\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version and the ABI spoken\n"
		"Each of --deny-exec, --deny-open and --watch may be repeated.\n",
		prog, VIGILD_CONFIG_PATH);
}

enum {
	OPT_AUTH = 256, OPT_DENY_EXEC, OPT_DENY_OPEN, OPT_WATCH, OPT_CACHE,
	OPT_ALLOW_ROOT, OPT_SOCKET, OPT_CONFIG,
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

/* Every NOTIFY type: process events and the catalogue. */
#define NOTIFY_EVENTS	(VIGIL_PROTO_EVENTS & ~(VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC) | \
					       VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_OPEN)))

/*
 * --events: names of NOTIFY types, "all", or "none": vigild then writes
 * nothing and subscribes to what its clients ask (a service's choice).
 */
static int parse_events(struct vigild *d, const char *list)
{
	char buf[1024], *tok, *save;

	if (strlen(list) >= sizeof(buf)) {
		fprintf(stderr, "vigild: --events: list too long\n");
		return EXIT_USAGE;
	}
	strcpy(buf, list);
	d->events = 0;
	d->events_given = 1;
	if (!strcmp(list, "none"))
		return 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint32_t t;

		if (!strcmp(tok, "all")) {
			d->events |= NOTIFY_EVENTS;
			continue;
		}
		if (!strcmp(tok, "none")) {
			fprintf(stderr, "vigild: --events: 'none' stands alone, not in a list\n");
			return EXIT_USAGE;
		}
		for (t = 1; t < 64; t++)
			if (vigil_event_type_name(t) && !strcmp(vigil_event_type_name(t), tok))
				break;
		if (t == 64 || !(NOTIFY_EVENTS & VIGIL_EVENT_BIT(t))) {
			fprintf(stderr, "vigild: --events: '%s' is not an event vigild can write%s\n",
				tok, t < 64 ? " (AUTH events: --auth)" : "");
			return EXIT_USAGE;
		}
		d->events |= VIGIL_EVENT_BIT(t);
	}
	if (!d->events) {
		fprintf(stderr, "vigild: --events: no event named\n");
		return EXIT_USAGE;
	}
	return 0;
}

static int parse_option(struct vigild *d, int c, const char *prog)
{
	switch (c) {
	case 'd':
		d->device = optarg;
		return 0;
	case 'e':
		return parse_events(d, optarg);
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
	case OPT_SOCKET:
		d->socket_path = optarg;
		return 0;
	case OPT_CONFIG:
		d->config_path = optarg;
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
		{ "events", required_argument, NULL, 'e' },
		{ "auth", no_argument, NULL, OPT_AUTH },
		{ "deny-exec", required_argument, NULL, OPT_DENY_EXEC },
		{ "deny-open", required_argument, NULL, OPT_DENY_OPEN },
		{ "watch", required_argument, NULL, OPT_WATCH },
		{ "cache", no_argument, NULL, OPT_CACHE },
		{ "allow-root", no_argument, NULL, OPT_ALLOW_ROOT },
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err;

	while ((c = getopt_long(argc, argv, "d:f:e:hV", opts, NULL)) != -1) {
		err = parse_option(d, c, argv[0]);
		if (err)
			return err;
	}
	if (optind < argc) {
		fprintf(stderr, "vigild: unexpected argument '%s'\n", argv[optind]);
		usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	if (!d->auth && (d->rules.nr_deny_exec || d->rules.nr_deny_open || d->cache ||
			 (d->nr_watch && !d->socket_path))) {
		fprintf(stderr, "vigild: --deny-exec, --deny-open, --watch and --cache need --auth (--watch: or --socket)\n");
		return EXIT_USAGE;
	}
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
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

/* Queue a verdict for the shim; sent at the end of the batch. */
static void queue_verdict(struct vigild *d, uint64_t id, uint32_t verdict,
			  uint32_t flags)
{
	struct vigil_verdict *out;

	if (d->nr_batch == VIGIL_VERDICT_BATCH_MAX)
		flush_verdicts(d);
	out = &d->batch[d->nr_batch++];
	memset(out, 0, sizeof(*out));
	out->id = id;
	out->verdict = verdict;
	out->flags = flags;
}

/*
 * Decide an AUTH event, or leave it to the clients: vigild's own rules
 * first (a deny is final), then the clients subscribed, then the policy
 * for an event nobody was asked about.  The verdict printed, or NULL if
 * the clients will decide.
 */
static const char *answer(struct vigild *d, const struct vigil_event_view *v,
			  const void *rec, uint32_t len)
{
	const struct vigil_auth *auth = vigil_event_auth(v);
	uint32_t verdict = d->cfg.missing_verdict;
	int rules_deny = 0, asked;

	if (d->auth) {
		verdict = vigild_rules_verdict(&d->rules, v);
		rules_deny = auth && verdict == VIGIL_VERDICT_DENY;
	}
	asked = d->clients ?
		vigild_clients_record(d->clients, rec, len, v, !rules_deny) : 0;
	if (!auth)
		return NULL;
	if (asked)
		return NULL;
	if (!d->auth && !d->clients)
		return NULL;
	if (d->auth)
		d->auth_by_rules++;
	else
		d->auth_unasked++;
	queue_verdict(d, auth->id, verdict,
		      d->auth && d->cache ? VIGIL_VERDICT_F_CACHE : 0);
	return verdict == VIGIL_VERDICT_DENY ? "deny" : "allow";
}

/* The clients decided an event. */
static void on_client_verdict(void *ctx, uint64_t id, uint32_t verdict,
			      uint32_t flags)
{
	queue_verdict(ctx, id, verdict, flags);
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
	if (ev->state == VIGIL_WATCHDOG_DEGRADED) {
		fprintf(stderr, "vigild: the shim's watchdog degraded (%s): "
			"permission events get their miss verdict without asking "
			"until vigild is seen healthy again; other events flow\n",
			reason ? reason : "unknown reason");
		return;
	}
	fprintf(stderr, "vigild: the shim's watchdog tripped (%s, trip %u): "
		"its hooks are detached and no events come until it is re-armed: "
		"by itself after its backoff, or by an administrator: vigilctl rearm\n",
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
	vigild_sources_count(&d->sources, &view);
	if (view.type == VIGIL_EVENT_SOURCE) {
		/* Like the drops lines: written when a source lost something. */
		if (vigild_source_lost(&view))
			vigild_print_source(stdout, d->format, &view,
					    vigild_sources_delivered(&d->sources,
								     view.fixed.source.uid));
		else
			d->quiet_sources++;
		d->delivered++;
		return 0;
	}
	verdict = answer(d, &view, rec, len);
	/* Records its clients asked for are theirs: written if it wants them. */
	if (vigil_event_auth(&view) || view.type >= 64 ||
	    !(NOTIFY_EVENTS & VIGIL_EVENT_BIT(view.type)) ||
	    (d->events & VIGIL_EVENT_BIT(view.type)))
		vigild_print_event(stdout, d->format, &view, verdict);
	d->delivered++;
	return 0;
}

/*
 * Print a drops line whenever the shim has dropped more since the last;
 * note the counters for the rates vigilctl shows.
 */
static void report_drops(struct vigild *d)
{
	struct vigil_ring_producer snap;
	uint64_t dropped;

	vigil_shim_counters(&d->shim, &snap);
	dropped = vigil_ring_dropped(&snap);
	rate_sample(&d->rate, now_ns(), d->delivered, dropped);
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

/* Between the AUTH lane and each batch of notifications: answer now. */
static void between_batches(void *ctx)
{
	flush_verdicts(ctx);
}

static int drain(struct vigild *d)
{
	long n = vigil_shim_consume(&d->shim, on_record, between_batches, d);

	flush_verdicts(d);
	if (d->clients)
		vigild_clients_wake(d->clients);
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

/* The shim's device, the signals, then the clients' socket and slots. */
#define MAX_POLLFDS	(2 + 1 + 256 + 2)

/* The sooner of the clients' next deadline and systemd's next ping. */
static int poll_timeout_ms(struct vigild *d)
{
	int clients = vigild_clients_timeout_ms(d->clients);
	int ping = vigild_notify_timeout_ms(&d->notify, now_ns());

	if (clients < 0)
		return ping;
	return ping >= 0 && ping < clients ? ping : clients;
}

/* Serve events until SIGINT or SIGTERM; 0 on a clean stop. */
static int serve(struct vigild *d, int sigfd)
{
	struct pollfd pfd[MAX_POLLFDS] = {
		{ .fd = d->shim.fd, .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};

	_Static_assert(MAX_POLLFDS - 2 >= 1 + VIGILD_MAX_CLIENTS + VIGILD_ADMIN_SLOTS,
		       "room to poll every client");
	for (;;) {
		int n;

		if (drain(d))
			return -1;
		n = vigild_clients_pollfds(d->clients, pfd + 2, MAX_POLLFDS - 2);
		if (poll(pfd, (nfds_t)n + 2, poll_timeout_ms(d)) < 0 && errno != EINTR) {
			perror("vigild: poll");
			return -1;
		}
		vigild_notify_tick(&d->notify, now_ns());
		vigild_clients_poll(d->clients, pfd + 2, n);
		flush_verdicts(d);
		if ((pfd[1].revents & POLLIN) && on_signal(d, sigfd)) {
			vigild_notify_send(&d->notify, "STOPPING=1");
			/* No more records; the shim's final reports, then them all. */
			vigil_shim_subscribe(&d->shim, 0);
			return drain(d);
		}
		if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			fprintf(stderr, "vigild: the shim closed the session\n");
			return -1;
		}
	}
}

/*
 * Subscribe to what vigild prints, what its rules answer, and what its
 * clients asked for.
 */
static int subscribe_all(struct vigild *d)
{
	uint64_t events = d->events;
	int err;

	if (d->auth)
		events |= VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC) |
			  (d->nr_watch ? VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_OPEN) : 0);
	events |= vigild_clients_events(d->clients);
	err = vigil_shim_subscribe(&d->shim, events);
	if (err)
		fprintf(stderr, "vigild: cannot subscribe: %s\n", strerror(-err));
	return err;
}

static int on_clients_changed(void *ctx)
{
	return subscribe_all(ctx);
}

/* vigilctl status: what the shim and vigild itself know. */
static void on_status(void *ctx, struct vigil_msg_broker_status *st)
{
	static const uint32_t types[2] = { VIGIL_EVENT_AUTH_EXEC, VIGIL_EVENT_AUTH_OPEN };
	struct vigild *d = ctx;
	struct vigil_ring_producer snap;
	uint64_t now = now_ns();
	unsigned int i;

	vigil_shim_counters(&d->shim, &snap);
	st->uptime_ns = now - d->started_ns;
	st->abi_major = d->shim.hs.abi_major;
	st->abi_minor = d->shim.hs.abi_minor;
	st->produced = snap.produced;
	st->delivered = d->delivered;
	for (i = 0; i < VIGIL_STATUS_DROP_CAUSES; i++)
		st->dropped[i] = snap.dropped[i];
	st->malformed = d->malformed;
	rate_window(&d->rate, now, d->delivered, vigil_ring_dropped(&snap),
		    &st->window_ns, &st->window_delivered, &st->window_dropped);
	st->auth_by_rules = d->auth_by_rules;
	st->auth_unasked = d->auth_unasked;
	st->verdicts_late = d->late;
	for (i = 0; i < 2; i++)
		if (vigil_shim_auth_stats(&d->shim, types[i], &st->auth[i]))
			memset(&st->auth[i], 0, sizeof(st->auth[i]));
}

/* Watch the filesystems asked for, and subscribe. */
static int setup_auth(struct vigild *d)
{
	unsigned int i;
	int err;

	for (i = 0; i < d->nr_watch; i++) {
		err = vigil_shim_watch(&d->shim, d->watch[i], 0);
		if (err && err != -EEXIST) {
			fprintf(stderr, "vigild: cannot watch the filesystem of %s: %s\n",
				d->watch[i], strerror(-err));
			return -1;
		}
	}
	if (!d->auth && !d->events_given)
		return 0;	/* the shim's default: fork, exec, exit */
	return subscribe_all(d) ? -1 : 0;
}

/* Read a small file whole into @buf; its length, or -errno. */
static ssize_t read_small_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len, f);
	if (ferror(f) || (n == len && fgetc(f) != EOF)) {
		fclose(f);
		return -EFBIG;
	}
	fclose(f);
	return (ssize_t)n;
}

/*
 * The configuration (defaults if no --config and no default file) and,
 * for --socket, the allowlist.  0, or an exit status.
 */
static int load_config(struct vigild *d, struct allowlist *allow)
{
	static char text[CONF_FILE_MAX + 1];
	const char *path = d->config_path ? d->config_path : VIGILD_CONFIG_PATH;
	char err[256];
	ssize_t n;

	vigild_config_defaults(&d->cfg);
	n = read_small_file(path, text, sizeof(text));
	if (n == -ENOENT && !d->config_path)
		n = 0;		/* no file: the defaults */
	if (n < 0) {
		fprintf(stderr, "vigild: cannot read %s: %s\n", path, strerror((int)-n));
		return EXIT_FAILURE;
	}
	if (vigild_config_parse(text, (size_t)n, &d->cfg, err, sizeof(err))) {
		fprintf(stderr, "vigild: %s: %s\n", path, err);
		return EXIT_USAGE;
	}
	if (!d->socket_path)
		return 0;
	n = read_small_file(d->cfg.allowlist, text, sizeof(text));
	if (n < 0) {
		fprintf(stderr, "vigild: cannot read the allowlist %s: %s\n",
			d->cfg.allowlist, strerror((int)-n));
		return EXIT_FAILURE;
	}
	if (allowlist_parse(text, (size_t)n, allowlist_resolve_files, allow, err,
			    sizeof(err))) {
		fprintf(stderr, "vigild: %s: %s\n", d->cfg.allowlist, err);
		return EXIT_USAGE;
	}
	return 0;
}

/* Listen for clients, if asked.  0, or an exit status. */
static int start_clients(struct vigild *d, const struct allowlist *allow)
{
	const struct vigild_clients_ops ops = {
		.verdict = on_client_verdict,
		.resubscribe = on_clients_changed,
		.status = on_status,
		.ctx = d,
	};
	char err[256];

	if (!d->socket_path)
		return 0;
	d->clients = vigild_clients_new(d->socket_path, &d->cfg, allow,
					d->shim.hs.abi_major, d->shim.hs.abi_minor,
					&ops, err, sizeof(err));
	if (!d->clients) {
		fprintf(stderr, "vigild: %s\n", err);
		return EXIT_FAILURE;
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

	vigil_shim_counters(&d->shim, &snap);
	fprintf(stderr,
		"vigild: stopped: %" PRIu64 " events delivered, %" PRIu64
		" dropped (ring_full=%" PRIu64 " nested=%" PRIu64
		" discarded=%" PRIu64 " internal=%" PRIu64 " rate_limit=%" PRIu64
		" source_budget=%" PRIu64 "), %" PRIu64 " malformed, of %" PRIu64
		" produced; %" PRIu64 " source reports of no loss not written\n",
		d->delivered, vigil_ring_dropped(&snap),
		(uint64_t)snap.dropped[VIGIL_DROP_RING_FULL],
		(uint64_t)snap.dropped[VIGIL_DROP_NESTED],
		(uint64_t)snap.dropped[VIGIL_DROP_DISCARDED],
		(uint64_t)snap.dropped[VIGIL_DROP_INTERNAL],
		(uint64_t)snap.dropped[VIGIL_DROP_RATE_LIMIT],
		(uint64_t)snap.dropped[VIGIL_DROP_SOURCE_BUDGET], d->malformed,
		(uint64_t)snap.produced, d->quiet_sources);
	if (d->auth)
		fprintf(stderr, "vigild: %" PRIu64 " verdicts applied, %" PRIu64
			" too late\n", d->verdicts, d->late);
	vigild_sources_print(stderr, &d->sources);
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

/* The configuration's rate limits, before any subscription.  0 or -1. */
static int apply_rate_limits(struct vigild *d)
{
	uint32_t t;

	for (t = 1; t < VIGILD_RATE_TYPES; t++) {
		uint32_t n = d->cfg.rate_limit[t];
		uint64_t skipped;
		int err;

		if (!n)
			continue;
		if (!(d->shim.hs.features & VIGIL_FEATURE_CATALOGUE)) {
			fprintf(stderr, "vigild: rate_limit: this shim (ABI %u.%u) has no "
				"rate limits; they came with ABI 1.3\n", d->shim.hs.abi_major,
				d->shim.hs.abi_minor);
			return -1;
		}
		err = vigil_shim_limit(&d->shim, t, &n, 0, &skipped);
		if (err) {
			fprintf(stderr, "vigild: rate_limit %s: %s\n", vigil_event_type_name(t),
				strerror(-err));
			return -1;
		}
	}
	return 0;
}

/* What each rate limit skipped, at the end. */
static void report_rate_limits(struct vigild *d)
{
	uint32_t t;

	for (t = 1; t < VIGILD_RATE_TYPES; t++) {
		uint32_t n;
		uint64_t skipped;

		if (!d->cfg.rate_limit[t] ||
		    vigil_shim_limit(&d->shim, t, &n, 1, &skipped))
			continue;
		fprintf(stderr, "vigild: rate limit %s: %u/s, %" PRIu64 " skipped\n",
			vigil_event_type_name(t), n, skipped);
	}
}

/* Open the shim, subscribe, then confine ourselves.  0 or an exit status. */
static int start(struct vigild *d, const struct allowlist *allow)
{
	char msg[256];
	int err;

	err = vigil_shim_open(&d->shim, d->device, VIGILD_ABI_MAJOR,
			      VIGIL_ABI_MINOR, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "vigild: %s\n", msg);
		return err == -EPROTONOSUPPORT ? EXIT_ABI : EXIT_FAILURE;
	}
	if (apply_rate_limits(d) || setup_auth(d))
		goto err_close;
	err = start_clients(d, allow);
	if (err)
		goto err_status;
	buffer_stdout();
	if (vigild_notify_open(&d->notify, now_ns(), msg, sizeof(msg))) {
		fprintf(stderr, "vigild: %s\n", msg);
		goto err_close;
	}
	if (vigild_sandbox(msg, sizeof(msg))) {
		fprintf(stderr, "vigild: %s\n", msg);
		goto err_close;
	}
	fprintf(stderr, "vigild: connected to %s: ABI %u.%u, ring %" PRIu64
		" KiB%s%s%s, watchdog %s\n", d->device, d->shim.hs.abi_major,
		d->shim.hs.abi_minor, (uint64_t)d->shim.hs.ring_data_size >> 10,
		d->auth ? ", answering permission events" : "",
		d->clients ? ", serving clients on " : "",
		d->clients ? d->socket_path : "", watchdog_state(d));
	vigild_notify_send(&d->notify, "READY=1");
	return 0;

err_close:
	err = EXIT_FAILURE;
err_status:
	vigild_notify_close(&d->notify);
	vigild_clients_free(d->clients);
	d->clients = NULL;
	vigil_shim_close(&d->shim);
	return err;
}

int main(int argc, char **argv)
{
	static struct vigild d = {
		.device = "/dev/vigil",
		.notify = { .fd = -1 },
		.events = VIGIL_EVENT_BIT(VIGIL_EVENT_FORK) | VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC) |
			  VIGIL_EVENT_BIT(VIGIL_EVENT_EXIT),
	};
	static struct allowlist allow;
	char msg[256];
	int sigfd, err;

	err = parse_args(&d, argc, argv);
	if (err)
		return err;
	d.started_ns = now_ns();
	err = vigild_check_user(d.allow_root, msg, sizeof(msg));
	if (msg[0])
		fprintf(stderr, "vigild: %s\n", msg);
	if (err)
		return EXIT_ROOT;
	err = load_config(&d, &allow);
	if (err)
		return err;
	sigfd = open_signals();
	if (sigfd < 0) {
		perror("vigild: signals");
		return EXIT_FAILURE;
	}
	err = start(&d, &allow);
	if (err) {
		close(sigfd);
		return err;
	}
	err = serve(&d, sigfd);
	report_auth_stats(&d);
	fflush(stdout);
	summary(&d);
	report_rate_limits(&d);
	vigild_notify_close(&d.notify);
	vigild_clients_free(d.clients);
	vigil_shim_close(&d.shim);
	close(sigfd);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
