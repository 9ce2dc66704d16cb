// SPDX-License-Identifier: GPL-2.0
/* vigild's configuration file and client allowlist, with bad input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <linux/vigil.h>

#include "allowlist.h"
#include "conf.h"
#include "config.h"

static char err[256];

static int parse(const char *text, struct vigild_config *cfg)
{
	err[0] = '\0';
	return vigild_config_parse(text, strlen(text), cfg, err, sizeof(err));
}

static void defaults_and_a_full_file(void **state)
{
	struct vigild_config cfg;

	(void)state;
	vigild_config_defaults(&cfg);
	assert_int_equal(250, cfg.client_deadline_ms);
	assert_int_equal(3, cfg.cut_off_misses);
	assert_int_equal(VIGIL_VERDICT_ALLOW, cfg.missing_verdict);
	assert_int_equal(0, parse("# vigild\n\n"
				  "client_deadline_ms = 100\n"
				  "  cut_off_misses=5   # in a row\n"
				  "stall_ms\t=\t500\n"
				  "max_clients = 4\n"
				  "client_ring_size = 65536\n"
				  "missing_verdict = deny\n"
				  "allowlist = /etc/vigil/other.allow", &cfg));
	assert_int_equal(100, cfg.client_deadline_ms);
	assert_int_equal(5, cfg.cut_off_misses);
	assert_int_equal(500, cfg.stall_ms);
	assert_int_equal(4, cfg.max_clients);
	assert_int_equal(65536, cfg.client_ring_size);
	assert_int_equal(VIGIL_VERDICT_DENY, cfg.missing_verdict);
	assert_string_equal("/etc/vigil/other.allow", cfg.allowlist);
}

/* Each bad line: -EINVAL, the line named, and nothing changed. */
static void expect_bad(const char *text, const char *message)
{
	struct vigild_config cfg, before;

	vigild_config_defaults(&cfg);
	before = cfg;
	assert_int_equal(-EINVAL, parse(text, &cfg));
	assert_memory_equal(&before, &cfg, sizeof(cfg));
	if (!strstr(err, message))
		fail_msg("\"%s\": error \"%s\", wanted \"%s\"", text, err, message);
}

static void bad_lines_are_refused(void **state)
{
	(void)state;
	expect_bad("max_clients = 4\nbogus = 1\n", "line 2: unknown key \"bogus\"");
	expect_bad("max_clients 4\n", "line 1: not \"key = value\"");
	expect_bad("max_clients =\n", "line 1: not \"key = value\"");
	expect_bad("= 4\n", "line 1: not \"key = value\"");
	expect_bad("max_clients = 4\nmax_clients = 5\n", "line 2: max_clients is set twice");
	expect_bad("client_deadline_ms = 9\n", "is not 10 to 29000");
	expect_bad("client_deadline_ms = 29001\n", "is not 10 to 29000");
	expect_bad("client_deadline_ms = -1\n", "is not 10 to 29000");
	expect_bad("client_deadline_ms = 1e3\n", "is not 10 to 29000");
	expect_bad("client_deadline_ms = 100 ms\n", "is not 10 to 29000");
	expect_bad("client_deadline_ms = 99999999999999999999\n", "is not 10 to 29000");
	expect_bad("max_clients = 0\n", "is not 1 to 256");
	expect_bad("client_ring_size = 100000\n", "a power of two from 65536");
	expect_bad("client_ring_size = 32768\n", "a power of two from 65536");
	expect_bad("missing_verdict = maybe\n", "is not allow or deny");
	expect_bad("allowlist = relative/path\n", "an absolute path");
}

static void bad_files_are_refused(void **state)
{
	static char big[CONF_FILE_MAX + 2];
	char line[CONF_LINE_MAX + 16];
	struct vigild_config cfg;

	(void)state;
	vigild_config_defaults(&cfg);
	assert_int_equal(-EINVAL, vigild_config_parse("max_clients = 4\0", 16, &cfg,
						       err, sizeof(err)));
	assert_non_null(strstr(err, "line 1: a NUL byte"));
	memset(line, '#', sizeof(line));
	line[sizeof(line) - 1] = '\0';
	expect_bad(line, "line 1: longer than 512 bytes");
	memset(big, '\n', sizeof(big) - 1);
	expect_bad(big, "larger than 65536 bytes");
	/* An empty file is the defaults. */
	assert_int_equal(0, parse("", &cfg));
	assert_int_equal(16, cfg.max_clients);
}

/* The tests' user and group database. */
static int resolve(int group, const char *name, uint32_t *id)
{
	if (!group && !strcmp(name, "acme"))
		*id = 1500;
	else if (group && !strcmp(name, "vigil-clients"))
		*id = 990;
	else
		return -ENOENT;
	return 0;
}

static int parse_allow(const char *text, struct allowlist *list)
{
	err[0] = '\0';
	return allowlist_parse(text, strlen(text), resolve, list, err, sizeof(err));
}

static void allowlist_entries(void **state)
{
	static struct allowlist list;
	gid_t groups[] = { 100, 990 };

	(void)state;
	assert_int_equal(0, parse_allow("# who may connect\n"
					"user acme\n"
					"user 1000   # the test user\n"
					"group vigil-clients\n"
					"group\t1234\n", &list));
	assert_int_equal(2, list.n_users);
	assert_int_equal(2, list.n_groups);
	assert_true(allowlist_allows(&list, 1500, NULL, 0));
	assert_true(allowlist_allows(&list, 1000, NULL, 0));
	assert_false(allowlist_allows(&list, 1001, groups, 1));
	assert_true(allowlist_allows(&list, 1001, groups, 2));
	/* root always may. */
	assert_true(allowlist_allows(&list, 0, NULL, 0));
	/* An empty list admits root only. */
	assert_int_equal(0, parse_allow("", &list));
	assert_false(allowlist_allows(&list, 1000, groups, 2));
	assert_true(allowlist_allows(&list, 0, NULL, 0));
}

static void expect_bad_allow(const char *text, const char *message)
{
	static struct allowlist list, before;

	memset(&list, 0x5a, sizeof(list));
	before = list;
	assert_int_equal(-EINVAL, parse_allow(text, &list));
	assert_memory_equal(&before, &list, sizeof(list));
	if (!strstr(err, message))
		fail_msg("\"%s\": error \"%s\", wanted \"%s\"", text, err, message);
}

static void bad_allowlists_are_refused(void **state)
{
	static char many[ALLOWLIST_MAX * 12 + 32];
	size_t i, n = 0;

	(void)state;
	expect_bad_allow("user acme\nuid 5\n", "line 2: \"uid\" is not user or group");
	expect_bad_allow("user\n", "line 1: user of whom?");
	expect_bad_allow("group a b\n", "line 1: one group per line");
	expect_bad_allow("user nobody-here\n", "no user named \"nobody-here\"");
	expect_bad_allow("group acme\n", "no group named \"acme\"");
	expect_bad_allow("user 4294967295\n", "user id \"4294967295\" is not 0 to 4294967294");
	expect_bad_allow("user 12abc\n", "is not 0 to 4294967294");
	expect_bad_allow("user -x\n", "\"-x\" is not a user name");
	expect_bad_allow("user a/b\n", "\"a/b\" is not a user name");
	for (i = 0; i <= ALLOWLIST_MAX; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "user %zu\n", i);
	expect_bad_allow(many, "line 257: more than 256 user entries");
}

static void rate_limits(void **state)
{
	struct vigild_config cfg;
	const char *list = "a list of TYPE:N";

	(void)state;
	vigild_config_defaults(&cfg);
	assert_int_equal(0, cfg.rate_limit[VIGIL_EVENT_FILE_OPEN]);
	assert_int_equal(0, parse("rate_limit = file_open:1000, net_connect : 5,fork:1\n", &cfg));
	assert_int_equal(1000, cfg.rate_limit[VIGIL_EVENT_FILE_OPEN]);
	assert_int_equal(5, cfg.rate_limit[VIGIL_EVENT_NET_CONNECT]);
	assert_int_equal(1, cfg.rate_limit[VIGIL_EVENT_FORK]);
	assert_int_equal(0, cfg.rate_limit[VIGIL_EVENT_EXEC]);
	assert_int_equal(0, parse("rate_limit = file_truncate:1000000\n", &cfg));
	assert_int_equal(1000000, cfg.rate_limit[VIGIL_EVENT_FILE_TRUNCATE]);

	expect_bad("rate_limit = file_open\n", list);
	expect_bad("rate_limit = file_open:\n", list);
	expect_bad("rate_limit = file_open:0\n", list);
	expect_bad("rate_limit = file_open:1000001\n", list);
	expect_bad("rate_limit = file_open:-1\n", list);
	expect_bad("rate_limit = file_opens:10\n", list);
	expect_bad("rate_limit = auth_exec:10\n", list);
	expect_bad("rate_limit = auth_open:10\n", list);
	expect_bad("rate_limit = watchdog:10\n", list);
	/* The shim's reports of what it shed: never shed themselves. */
	expect_bad("rate_limit = source:10\n", list);
	expect_bad("rate_limit = auth_fallback:10\n", list);
	expect_bad("rate_limit = file_open:1,file_open:2\n", list);
	expect_bad("rate_limit = file_open:1,\n", list);
	expect_bad("rate_limit = ,file_open:1\n", list);
	expect_bad("rate_limit = file_open:1,,fork:1\n", list);
	expect_bad("rate_limit = :5\n", list);
	expect_bad("rate_limit = fork:1\nrate_limit = exec:1\n", "rate_limit is set twice");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_and_a_full_file),
		cmocka_unit_test(bad_lines_are_refused),
		cmocka_unit_test(bad_files_are_refused),
		cmocka_unit_test(rate_limits),
		cmocka_unit_test(allowlist_entries),
		cmocka_unit_test(bad_allowlists_are_refused),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
