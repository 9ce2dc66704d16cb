// SPDX-License-Identifier: GPL-2.0
/*
 * vigild: the vigil broker.  This first cut connects to the shim, maps its
 * ring and writes every event to standard output, one line each.  See
 * vigild(8) and Documentation/vigild.rst.
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

#include "event.h"
#include "format.h"
#include "shim.h"

/* The ABI this broker speaks; test builds may pretend to be another. */
#ifndef VIGILD_ABI_MAJOR
#define VIGILD_ABI_MAJOR VIGIL_ABI_MAJOR
#endif

#define VIGILD_VERSION "0.1"

enum {
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_ABI = 3,		/* the shim speaks another ABI major */
};

struct vigild {
	const char *device;
	enum vigild_format format;
	struct vigil_shim shim;
	uint64_t delivered;
	uint64_t malformed;
	uint64_t reported_drops;	/* drops already reported */
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s [-d DEVICE] [-f json|text]\n"
		"  -d, --device DEVICE  the shim's device (default /dev/vigil)\n"
		"  -f, --format FORMAT  json (default): one JSON object per line;\n"
		"                       text: one line per event, for people\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version and the ABI spoken\n",
		prog);
}

static int parse_args(struct vigild *d, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "d:f:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			d->device = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "json")) {
				d->format = VIGILD_FORMAT_JSON;
			} else if (!strcmp(optarg, "text")) {
				d->format = VIGILD_FORMAT_TEXT;
			} else {
				fprintf(stderr, "vigild: unknown format '%s': use json or text\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(EXIT_SUCCESS);
		case 'V':
			printf("vigild %s, ABI %u.%u\n", VIGILD_VERSION,
			       VIGILD_ABI_MAJOR, VIGIL_ABI_MINOR);
			exit(EXIT_SUCCESS);
		default:
			usage(stderr, argv[0]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigild: unexpected argument '%s'\n", argv[optind]);
		usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	return 0;
}

static int on_record(const void *rec, uint32_t len, void *ctx)
{
	struct vigild *d = ctx;
	struct vigil_event_view view;

	if (vigil_event_decode(rec, len, &view)) {
		d->malformed++;
		return 0;
	}
	vigild_print_event(stdout, d->format, &view);
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

static int drain(struct vigild *d)
{
	long n = vigil_ring_consume(&d->shim.ring, on_record, d);

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
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC);
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
		if (pfd[1].revents & POLLIN)
			return drain(d);	/* last records, then stop */
		if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			fprintf(stderr, "vigild: the shim closed the session\n");
			return -1;
		}
	}
}

static void summary(struct vigild *d)
{
	struct vigil_ring_producer snap;

	vigil_ring_counters(d->shim.producer, &snap);
	fprintf(stderr,
		"vigild: stopped: %" PRIu64 " events delivered, %" PRIu64
		" dropped (ring_full=%" PRIu64 " nested=%" PRIu64
		" discarded=%" PRIu64 "), %" PRIu64 " malformed, of %" PRIu64
		" produced\n",
		d->delivered, vigil_ring_dropped(&snap),
		(uint64_t)snap.dropped[VIGIL_DROP_RING_FULL],
		(uint64_t)snap.dropped[VIGIL_DROP_NESTED],
		(uint64_t)snap.dropped[VIGIL_DROP_DISCARDED], d->malformed,
		(uint64_t)snap.produced);
}

int main(int argc, char **argv)
{
	struct vigild d = { .device = "/dev/vigil" };
	char msg[256];
	int sigfd, err;

	err = parse_args(&d, argc, argv);
	if (err)
		return err;
	sigfd = open_signals();
	if (sigfd < 0) {
		perror("vigild: signals");
		return EXIT_FAILURE;
	}
	err = vigil_shim_open(&d.shim, d.device, VIGILD_ABI_MAJOR,
			      VIGIL_ABI_MINOR, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "vigild: %s\n", msg);
		return err == -EPROTONOSUPPORT ? EXIT_ABI : EXIT_FAILURE;
	}
	fprintf(stderr, "vigild: connected to %s: ABI %u.%u, ring %" PRIu64
		" KiB\n", d.device, d.shim.hs.abi_major, d.shim.hs.abi_minor,
		(uint64_t)d.shim.hs.ring_data_size >> 10);

	err = serve(&d, sigfd);
	summary(&d);
	vigil_shim_close(&d.shim);
	close(sigfd);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
