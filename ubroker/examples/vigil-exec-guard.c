// SPDX-License-Identifier: GPL-2.0
/*
 * vigil-exec-guard: deny running programs from directories where nobody
 * should install them, /tmp and /dev/shm by default.  An example of a
 * product built on libvigil: it uses <vigil/vigil.h> and nothing else of
 * vigil's.  See Documentation/vendor-guide.rst.
 *
 *   vigil-exec-guard [--socket PATH] [--deny DIR]... [--no-cache] [--quiet]
 *
 * Each verdict goes with VIGIL_VERDICT_F_CACHE unless --no-cache: the
 * kernel then answers the same file again without asking, until the file
 * changes.  The cache is keyed by the file, not its path: a file allowed
 * once is allowed under any name it gets later (a hard link into /tmp
 * included), which is what this policy means (no new code from /tmp); a
 * path-only policy would need --no-cache.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/vigil.h>

#define MAX_DIRS	64

struct guard {
	const char *deny[MAX_DIRS];
	unsigned int nr_deny;
	uint32_t flags;			/* VIGIL_VERDICT_F_CACHE, or 0 */
	int quiet;
	unsigned long allowed, denied, failed;
};

static struct vigil_client *client;

/* Is @path @dir, or below it?  By whole components: /tmpx is not in /tmp. */
static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0' || n == 1);
}

static int denied(const struct guard *g, const char *exe)
{
	unsigned int i;

	for (i = 0; exe && i < g->nr_deny; i++)
		if (under(exe, g->deny[i]))
			return 1;
	return 0;
}

static void on_message(struct vigil_client *c, const struct vigil_message *m, void *ctx)
{
	struct guard *g = ctx;
	const char *exe = vigil_message_exe(m);
	const struct vigil_proc *p = vigil_message_process(m);
	int deny, err;

	if (vigil_message_type(m) != VIGIL_EVENT_AUTH_EXEC)
		return;
	deny = denied(g, exe);
	err = vigil_respond(c, m, deny ? VIGIL_VERDICT_DENY : VIGIL_VERDICT_ALLOW, g->flags);
	if (err) {
		g->failed++;
		fprintf(stderr, "vigil-exec-guard: cannot answer: %s\n", strerror(-err));
		return;
	}
	if (!deny) {
		g->allowed++;
		return;
	}
	g->denied++;
	if (!g->quiet)
		fprintf(stderr, "vigil-exec-guard: denied exec of %s by pid %u (uid %u)\n",
			exe, p ? p->tgid : 0, p ? p->uid : 0);
}

static void on_notice(struct vigil_client *c, const struct vigil_notice *n, void *ctx)
{
	(void)c;
	(void)ctx;
	if (n->kind == VIGIL_NOTICE_DISCONNECTED)
		fprintf(stderr, "vigil-exec-guard: lost the broker%s%s%s\n",
			n->reason ? " (cut off: " : "",
			n->reason ? vigil_reason_name(n->reason) : "",
			n->reason ? ")" : "");
	else if (n->kind == VIGIL_NOTICE_CONNECTED)
		fprintf(stderr, "vigil-exec-guard: connected again\n");
}

static void on_signal(int sig)
{
	(void)sig;
	vigil_client_stop(client);
}

static void usage(FILE *out)
{
	fputs("usage: vigil-exec-guard [--socket PATH] [--name NAME] [--deny DIR]...\n"
	      "                        [--no-cache] [--quiet]\n"
	      "  --deny DIR   deny executing files under DIR (repeatable;\n"
	      "               default /tmp and /dev/shm)\n"
	      "  --no-cache   do not let the kernel cache the verdicts\n"
	      "  --quiet      do not log each exec denied\n", out);
}

static int parse(struct guard *g, int argc, char **argv, const char **socket,
		 const char **name)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "name", required_argument, NULL, 'n' },
		{ "deny", required_argument, NULL, 'd' },
		{ "no-cache", no_argument, NULL, 'C' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "s:n:d:qh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			*socket = optarg;
			break;
		case 'n':
			*name = optarg;
			break;
		case 'd':
			if (optarg[0] != '/' || g->nr_deny == MAX_DIRS) {
				fprintf(stderr, "vigil-exec-guard: --deny '%s': %s\n", optarg,
					optarg[0] != '/' ? "not an absolute path" : "too many");
				return -1;
			}
			g->deny[g->nr_deny++] = optarg;
			break;
		case 'C':
			g->flags = 0;
			break;
		case 'q':
			g->quiet = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigil-exec-guard: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (!g->nr_deny) {
		g->deny[g->nr_deny++] = "/tmp";
		g->deny[g->nr_deny++] = "/dev/shm";
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct guard g = { .flags = VIGIL_VERDICT_F_CACHE };
	const char *socket = NULL, *name = "vigil-exec-guard";
	struct sigaction sa = { .sa_handler = on_signal };
	int err;

	if (parse(&g, argc, argv, &socket, &name))
		return 2;
	VIGIL_OPTS(vigil_client_opts, opts, .socket_path = socket, .name = name,
		   .on_message = on_message, .on_notice = on_notice, .ctx = &g);
	err = vigil_client_open(&opts, &client);
	if (err) {
		fprintf(stderr, "vigil-exec-guard: cannot connect to the broker: %s\n",
			strerror(-err));
		return 1;
	}
	err = vigil_subscribe(client, VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC));
	if (err) {
		fprintf(stderr, "vigil-exec-guard: cannot subscribe: %s\n", strerror(-err));
		vigil_client_close(client);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "vigil-exec-guard: guarding%s\n",
		g.flags ? " (verdicts cached by the kernel)" : "");
	err = vigil_client_run(client);
	fprintf(stderr, "vigil-exec-guard: %lu allowed, %lu denied, %lu not answered\n",
		g.allowed, g.denied, g.failed);
	vigil_client_close(client);
	if (err) {
		fprintf(stderr, "vigil-exec-guard: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
