// SPDX-License-Identifier: GPL-2.0
/*
 * vigil-log: every event as a JSON line, filtered.  An example of a
 * product built on libvigil: it uses <vigil/vigil.h> and nothing else of
 * vigil's.  See Documentation/vendor-guide.rst.
 *
 *   vigil-log [--socket PATH] [--events LIST] [--uid UID]... [--pid TGID]...
 *             [--exe-prefix DIR]... [--mute-path DIR]... [--mute-pid TGID]...
 *             [--count N]
 *
 * Filters choose among the events delivered: a line is written if the
 * event matches every kind of filter given (any of its values).  With
 * --exe-prefix, a process seen executing a program under the prefix is
 * followed: its forks and its exit pass too, though they name no
 * executable.  Mutes are the broker's: muted events are not even
 * delivered.  AUTH events,
 * if subscribed, are allowed at once (this is a logger) and written too.
 * Notices (the broker lost, found again, another client cut off) are
 * lines with a "notice" key.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/vigil.h>

#define MAX_FILTERS	64
#define FOLLOWED_MAX	1024	/* the latest processes --exe-prefix matched */

struct filters {
	uint64_t events;
	uint32_t uids[MAX_FILTERS];
	unsigned int nr_uids;
	uint32_t pids[MAX_FILTERS];
	unsigned int nr_pids;
	const char *exe_prefix[MAX_FILTERS];
	unsigned int nr_exe_prefix;
	const char *mute_path[MAX_FILTERS];
	unsigned int nr_mute_path;
	uint32_t mute_pid[MAX_FILTERS];
	unsigned int nr_mute_pid;
	unsigned long count;		/* stop after this many lines; 0: never */
	unsigned long written;
	uint32_t followed[FOLLOWED_MAX];	/* --exe-prefix: processes seen */
	unsigned int next_followed;
};

static struct vigil_client *client;

/* ---- JSON ----------------------------------------------------------------- */

/* The length of the valid UTF-8 sequence at @s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD. */
static void put_str(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	putchar('"');
	while (*s) {
		size_t n = utf8_len(s);

		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if (*s < 0x20)
			printf("\\u%04x", *s);
		else if (n)
			fwrite(s, 1, n, stdout);
		else
			fputs("\\ufffd", stdout);
		s += n ? n : 1;
	}
	putchar('"');
}

static void put_key_str(const char *key, const char *value)
{
	if (!value)
		return;
	printf(",\"%s\":", key);
	put_str(value);
}

static void put_proc(const struct vigil_proc *p)
{
	printf(",\"pid\":%u,\"tgid\":%u,\"ppid\":%u,\"uid\":%u,\"gid\":%u,\"euid\":%u,"
	       "\"egid\":%u", p->pid, p->tgid, p->ppid, p->uid, p->gid, p->euid, p->egid);
}

static void put_argv(const struct vigil_message *m)
{
	unsigned int i, n = vigil_message_arg_count(m);

	if (!n)
		return;
	fputs(",\"argv\":[", stdout);
	for (i = 0; i < n; i++) {
		if (i)
			putchar(',');
		put_str(vigil_message_arg(m, i));
	}
	putchar(']');
}

/* The catalogue's records (libvigil 1.1): the actor's container, and more. */
static void put_catalogue(const struct vigil_message *m)
{
	static const struct { uint32_t field; const char *key; } strings[] = {
		{ VIGIL_FIELD_NEW_PATH, "new_path" }, { VIGIL_FIELD_TARGET, "target" },
		{ VIGIL_FIELD_NAME, "name" }, { VIGIL_FIELD_SOURCE, "source" },
		{ VIGIL_FIELD_FSTYPE, "fstype" }, { VIGIL_FIELD_LOCAL_PATH, "local_path" },
		{ VIGIL_FIELD_PEER_PATH, "peer_path" },
	};
	const struct vigil_actor *a = vigil_message_actor(m);
	const struct vigil_signal_event *sig = vigil_message_signal(m);
	const struct vigil_ptrace_event *pt = vigil_message_ptrace(m);
	const struct vigil_cred_event *cr = vigil_message_cred(m);
	const struct vigil_net_event *net = vigil_message_net(m);
	unsigned int i;

	if (!a)
		return;
	printf(",\"cgroup_id\":%" PRIu64, (uint64_t)a->cgroup_id);
	if (sig)
		printf(",\"signo\":%u,\"target_tgid\":%u", sig->signo, sig->target_tgid);
	if (pt)
		printf(",\"tracer_tgid\":%u,\"target_tgid\":%u", pt->tracer_tgid,
		       pt->target_tgid);
	if (cr)
		printf(",\"new_uid\":%u,\"new_euid\":%u", cr->new_ids.uid, cr->new_ids.euid);
	if (net)
		printf(",\"family\":%u,\"local_port\":%u,\"remote_port\":%u", net->family,
		       net->local.port, net->remote.port);
	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		put_key_str(strings[i].key, vigil_message_string(m, strings[i].field));
}

/* What each type adds to the line. */
static void put_details(const struct vigil_message *m)
{
	const struct vigil_fork_event *f = vigil_message_fork(m);
	const struct vigil_exit_event *x = vigil_message_exit(m);
	const struct vigil_auth_open_event *o = vigil_message_auth_open(m);
	const struct vigil_watchdog_event *w = vigil_message_watchdog(m);

	if (f)
		printf(",\"child_pid\":%u,\"child_tgid\":%u", f->child_pid, f->child_tgid);
	if (x)
		printf(",\"exit_code\":%u,\"process_exited\":%s", x->exit_code,
		       x->flags & VIGIL_EXIT_F_PROCESS ? "true" : "false");
	if (o)
		printf(",\"open_flags\":%u,\"access\":%u", o->open_flags, o->access);
	if (w)
		printf(",\"state\":%u,\"reason\":%u,\"trips\":%u", w->state, w->reason,
		       w->trips);
	if (vigil_message_is_auth(m))
		printf(",\"auth_id\":%" PRIu64 ",\"answer\":\"allow\"",
		       vigil_message_auth_id(m));
	put_key_str("exe", vigil_message_exe(m));
	put_key_str("filename", vigil_message_filename(m));
	put_key_str("path", vigil_message_path(m));
	put_argv(m);
	put_catalogue(m);
}

static void put_line(const struct vigil_message *m)
{
	const char *name = vigil_event_name(vigil_message_type(m));
	const struct vigil_proc *p = vigil_message_process(m);

	printf("{\"seq\":%" PRIu64 ",\"time_ns\":%" PRIu64 ",\"event\":",
	       vigil_message_seq(m), vigil_message_time_ns(m));
	if (name)
		put_str(name);
	else
		printf("\"type_%u\"", vigil_message_type(m));
	if (p)
		put_proc(p);
	put_details(m);
	printf(",\"truncated\":%s}\n",
	       vigil_message_flags(m) & VIGIL_EVENT_F_TRUNCATED ? "true" : "false");
}

/* ---- filtering -------------------------------------------------------------- */

static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return path && !strncmp(path, dir, n) &&
	       (path[n] == '/' || path[n] == '\0' || n == 1);
}

static int any_u32(const uint32_t *list, unsigned int n, uint32_t v)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (list[i] == v)
			return 1;
	return !n;
}

static int followed(const struct filters *f, uint32_t tgid)
{
	unsigned int i;

	for (i = 0; tgid && i < FOLLOWED_MAX; i++)
		if (f->followed[i] == tgid)
			return 1;
	return 0;
}

static void follow(struct filters *f, uint32_t tgid)
{
	if (followed(f, tgid))
		return;
	f->followed[f->next_followed] = tgid;
	f->next_followed = (f->next_followed + 1) % FOLLOWED_MAX;
}

/* Whether the executable is under an --exe-prefix, or the process followed. */
static int exe_wanted(struct filters *f, const struct vigil_message *m,
		      const struct vigil_proc *p)
{
	const char *exe = vigil_message_exe(m);
	unsigned int i;

	if (!f->nr_exe_prefix)
		return 1;
	if (!exe)
		return p && followed(f, p->tgid);
	for (i = 0; i < f->nr_exe_prefix; i++)
		if (under(exe, f->exe_prefix[i])) {
			if (p)
				follow(f, p->tgid);
			return 1;
		}
	return 0;
}

static int wanted(struct filters *f, const struct vigil_message *m)
{
	const struct vigil_proc *p = vigil_message_process(m);

	if ((f->nr_uids || f->nr_pids) && !p)
		return 0;
	if (p && (!any_u32(f->uids, f->nr_uids, p->uid) ||
		  !any_u32(f->pids, f->nr_pids, p->tgid)))
		return 0;
	return exe_wanted(f, m, p);
}

static void on_message(struct vigil_client *c, const struct vigil_message *m, void *ctx)
{
	struct filters *f = ctx;

	if (vigil_message_is_auth(m))
		vigil_respond(c, m, VIGIL_VERDICT_ALLOW, 0);
	if (!wanted(f, m))
		return;
	put_line(m);
	fflush(stdout);
	if (f->count && ++f->written >= f->count)
		vigil_client_stop(c);
}

static void on_notice(struct vigil_client *c, const struct vigil_notice *n, void *ctx)
{
	static const char *const kinds[] = {
		[VIGIL_NOTICE_CONNECTED] = "connected",
		[VIGIL_NOTICE_DISCONNECTED] = "disconnected",
		[VIGIL_NOTICE_PEER_CUT_OFF] = "peer_cut_off",
	};

	(void)c;
	(void)ctx;
	if (n->kind > VIGIL_NOTICE_PEER_CUT_OFF)
		return;
	printf("{\"notice\":\"%s\"", kinds[n->kind]);
	if (n->reason)
		put_key_str("reason", vigil_reason_name(n->reason));
	if (n->kind == VIGIL_NOTICE_DISCONNECTED)
		printf(",\"reconnecting\":%s", n->reconnecting ? "true" : "false");
	if (n->kind == VIGIL_NOTICE_PEER_CUT_OFF) {
		printf(",\"client_id\":%u", n->client_id);
		put_key_str("name", n->name);
	}
	fputs("}\n", stdout);
	fflush(stdout);
}

/* ---- the command line ------------------------------------------------------- */

static void usage(FILE *out)
{
	fputs("usage: vigil-log [--socket PATH] [--name NAME] [--events LIST]\n"
	      "                 [--uid UID]... [--pid TGID]... [--exe-prefix DIR]...\n"
	      "                 [--mute-path DIR]... [--mute-pid TGID]... [--count N]\n"
	      "  --events LIST     event names: fork,exec,exit, auth_exec,auth_open,\n"
	      "                    or the catalogue's (file_open, net_connect...;\n"
	      "                    see vigil(3)); default fork,exec,exit; AUTH\n"
	      "                    events are allowed\n"
	      "  --uid UID         only processes of this real uid\n"
	      "  --pid TGID        only these processes\n"
	      "  --exe-prefix DIR  only events whose executable is under DIR\n"
	      "  --mute-path DIR   have the broker mute paths under DIR\n"
	      "  --mute-pid TGID   have the broker mute this process\n"
	      "  --count N         stop after N lines\n", out);
}

static int parse_events(const char *list, uint64_t *events)
{
	char buf[256], *tok, *save;

	if (strlen(list) >= sizeof(buf))
		return -1;
	strcpy(buf, list);
	*events = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint32_t t = vigil_event_from_name(tok);

		if (!t || t == VIGIL_EVENT_WATCHDOG) {
			fprintf(stderr, "vigil-log: --events: unknown event '%s'\n", tok);
			return -1;
		}
		*events |= VIGIL_EVENT_BIT(t);
	}
	return *events ? 0 : -1;
}

static int parse_u32(const char *arg, const char *opt, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v > UINT32_MAX) {
		fprintf(stderr, "vigil-log: %s '%s': not a number\n", opt, arg);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int add_u32(uint32_t *list, unsigned int *n, const char *arg, const char *opt)
{
	if (*n == MAX_FILTERS) {
		fprintf(stderr, "vigil-log: %s: more than %d\n", opt, MAX_FILTERS);
		return -1;
	}
	return parse_u32(arg, opt, &list[(*n)++]);
}

static int add_dir(const char **list, unsigned int *n, const char *arg, const char *opt)
{
	if (arg[0] != '/' || *n == MAX_FILTERS) {
		fprintf(stderr, "vigil-log: %s '%s': %s\n", opt, arg,
			arg[0] != '/' ? "not an absolute path" : "too many");
		return -1;
	}
	list[(*n)++] = arg;
	return 0;
}

static int parse_one(struct filters *f, int c, const char **socket, const char **name)
{
	uint32_t n;

	switch (c) {
	case 's':
		*socket = optarg;
		return 0;
	case 'n':
		*name = optarg;
		return 0;
	case 'e':
		if (parse_events(optarg, &f->events)) {
			fprintf(stderr, "vigil-log: --events '%s': a list of event names\n", optarg);
			return -1;
		}
		return 0;
	case 'u':
		return add_u32(f->uids, &f->nr_uids, optarg, "--uid");
	case 'p':
		return add_u32(f->pids, &f->nr_pids, optarg, "--pid");
	case 'x':
		return add_dir(f->exe_prefix, &f->nr_exe_prefix, optarg, "--exe-prefix");
	case 'm':
		return add_dir(f->mute_path, &f->nr_mute_path, optarg, "--mute-path");
	case 'M':
		return add_u32(f->mute_pid, &f->nr_mute_pid, optarg, "--mute-pid");
	case 'c':
		if (parse_u32(optarg, "--count", &n))
			return -1;
		f->count = n;
		return 0;
	case 'h':
		usage(stdout);
		exit(0);
	}
	usage(stderr);
	return -1;
}

static int parse(struct filters *f, int argc, char **argv, const char **socket,
		 const char **name)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "name", required_argument, NULL, 'n' },
		{ "events", required_argument, NULL, 'e' },
		{ "uid", required_argument, NULL, 'u' },
		{ "pid", required_argument, NULL, 'p' },
		{ "exe-prefix", required_argument, NULL, 'x' },
		{ "mute-path", required_argument, NULL, 'm' },
		{ "mute-pid", required_argument, NULL, 'M' },
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "s:n:e:h", opts, NULL)) != -1)
		if (parse_one(f, c, socket, name))
			return -1;
	if (optind < argc) {
		fprintf(stderr, "vigil-log: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* Subscribe and mute as asked: 0, or an error already told. */
static int setup(const struct filters *f)
{
	unsigned int i;
	int err = vigil_subscribe(client, f->events);

	for (i = 0; !err && i < f->nr_mute_path; i++)
		err = vigil_mute_path(client, f->mute_path[i], 0);
	for (i = 0; !err && i < f->nr_mute_pid; i++)
		err = vigil_mute_process(client, f->mute_pid[i], 0);
	if (err)
		fprintf(stderr, "vigil-log: cannot subscribe or mute: %s\n", strerror(-err));
	return err;
}

static void on_signal(int sig)
{
	(void)sig;
	vigil_client_stop(client);
}

int main(int argc, char **argv)
{
	static struct filters f = {
		.events = VIGIL_EVENT_BIT(VIGIL_EVENT_FORK) | VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC) |
			  VIGIL_EVENT_BIT(VIGIL_EVENT_EXIT),
	};
	const char *socket = NULL, *name = "vigil-log";
	struct sigaction sa = { .sa_handler = on_signal };
	int err;

	if (parse(&f, argc, argv, &socket, &name))
		return 2;
	VIGIL_OPTS(vigil_client_opts, opts, .socket_path = socket, .name = name,
		   .on_message = on_message, .on_notice = on_notice, .ctx = &f);
	err = vigil_client_open(&opts, &client);
	if (err) {
		fprintf(stderr, "vigil-log: cannot connect to the broker: %s\n", strerror(-err));
		return 1;
	}
	if (setup(&f)) {
		vigil_client_close(client);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "vigil-log: logging\n");
	err = vigil_client_run(client);
	vigil_client_close(client);
	if (err) {
		fprintf(stderr, "vigil-log: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
