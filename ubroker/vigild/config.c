// SPDX-License-Identifier: GPL-2.0
/* vigild's configuration file: one table of keys, each with its range. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/vigil.h>

#include "conf.h"
#include "config.h"
#include "event.h"

void vigild_config_defaults(struct vigild_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->client_deadline_ms = 250;
	cfg->cut_off_misses = 3;
	cfg->stall_ms = 2000;
	cfg->max_clients = 16;
	cfg->client_ring_size = 1 << 20;
	cfg->missing_verdict = VIGIL_VERDICT_ALLOW;
	strcpy(cfg->allowlist, "/etc/vigil/clients.allow");
}

struct config_key {
	const char *name;
	int (*parse)(const struct config_key *key, const char *value,
		     struct vigild_config *cfg);
	size_t offset;		/* of a number's field */
	uint64_t min, max;	/* a number's range */
};

static int parse_u32(const struct config_key *key, const char *value,
		     struct vigild_config *cfg)
{
	uint64_t v;

	if (conf_parse_u64(value, key->min, key->max, &v))
		return -EINVAL;
	memcpy((char *)cfg + key->offset, &(uint32_t){ (uint32_t)v }, sizeof(uint32_t));
	return 0;
}

static int parse_ring_size(const struct config_key *key, const char *value,
			   struct vigild_config *cfg)
{
	uint64_t v;

	if (conf_parse_u64(value, key->min, key->max, &v) || (v & (v - 1)))
		return -EINVAL;
	cfg->client_ring_size = v;
	return 0;
}

static int parse_verdict(const struct config_key *key, const char *value,
			 struct vigild_config *cfg)
{
	(void)key;
	if (!strcmp(value, "allow"))
		cfg->missing_verdict = VIGIL_VERDICT_ALLOW;
	else if (!strcmp(value, "deny"))
		cfg->missing_verdict = VIGIL_VERDICT_DENY;
	else
		return -EINVAL;
	return 0;
}

static int parse_path(const struct config_key *key, const char *value,
		      struct vigild_config *cfg)
{
	(void)key;
	if (value[0] != '/' || strlen(value) >= sizeof(cfg->allowlist))
		return -EINVAL;
	strcpy(cfg->allowlist, value);
	return 0;
}

/*
 * A NOTIFY type by name, 0 if none: not one of the AUTH lane's, which are
 * AUTH events and the shim's reports (watchdog, fallbacks, sources) that
 * must never be shed.
 */
static uint32_t notify_type(const char *name)
{
	uint32_t t;

	for (t = 1; t < VIGILD_RATE_TYPES; t++) {
		const char *n = vigil_event_type_name(t);

		if (n && !strcmp(n, name))
			break;
	}
	if (t == VIGILD_RATE_TYPES || (VIGIL_EVENT_BIT(t) & VIGIL_LANE_EVENTS))
		return 0;
	return t;
}

/* @s without the blanks around it, in place. */
static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t");
	for (end = s + strlen(s); end > s && (end[-1] == ' ' || end[-1] == '\t');)
		*--end = '\0';
	return s;
}

/* One "TYPE:N" of a rate_limit list, blanks around either allowed. */
static int parse_one_limit(char *item, const struct config_key *key,
			   uint32_t *limits)
{
	char *colon = strchr(item, ':');
	uint64_t n;
	uint32_t t;

	if (!colon)
		return -EINVAL;
	*colon = '\0';
	t = notify_type(trim(item));
	if (!t || limits[t] ||
	    conf_parse_u64(trim(colon + 1), key->min, key->max, &n))
		return -EINVAL;
	limits[t] = (uint32_t)n;
	return 0;
}

static int parse_rate_limits(const struct config_key *key, const char *value,
			     struct vigild_config *cfg)
{
	uint32_t limits[VIGILD_RATE_TYPES] = { 0 };
	char buf[CONF_LINE_MAX + 1], *item, *save;

	if (strlen(value) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, value);
	if (buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,"))
		return -EINVAL;
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save))
		if (parse_one_limit(item, key, limits))
			return -EINVAL;
	memcpy(cfg->rate_limit, limits, sizeof(limits));
	return 0;
}

#define U32_KEY(field, lo, hi) \
	{ #field, parse_u32, offsetof(struct vigild_config, field), lo, hi }

static const struct config_key config_keys[] = {
	U32_KEY(client_deadline_ms, 10, 29000),
	U32_KEY(cut_off_misses, 1, 1000),
	U32_KEY(stall_ms, 100, 600000),
	U32_KEY(max_clients, 1, VIGILD_MAX_CLIENTS),
	{ "client_ring_size", parse_ring_size, 0, 65536, 64 << 20 },
	{ "missing_verdict", parse_verdict, 0, 0, 0 },
	{ "allowlist", parse_path, 0, 0, 0 },
	{ "rate_limit", parse_rate_limits, 0, 1, VIGILD_RATE_LIMIT_MAX },
};

#define NR_KEYS (sizeof(config_keys) / sizeof(config_keys[0]))

/* What a bad value should have been, for the error message. */
static const char *expected(const struct config_key *key, char *buf, size_t len)
{
	if (key->parse == parse_verdict)
		return "allow or deny";
	if (key->parse == parse_path)
		return "an absolute path shorter than 256 bytes";
	if (key->parse == parse_rate_limits)
		return "a list of TYPE:N, each TYPE a NOTIFY event once, N from 1 to 1000000";
	snprintf(buf, len, "%s%llu to %llu",
		 key->parse == parse_ring_size ? "a power of two from " : "",
		 (unsigned long long)key->min, (unsigned long long)key->max);
	return buf;
}

static int parse_line(struct conf_reader *r, char *line,
		      struct vigild_config *cfg, uint32_t *seen)
{
	char *name, *value, want[64];
	unsigned int i;

	if (conf_split(line, &name, &value))
		return conf_fail(r, "not \"key = value\"");
	for (i = 0; i < NR_KEYS; i++)
		if (!strcmp(name, config_keys[i].name))
			break;
	if (i == NR_KEYS)
		return conf_fail(r, "unknown key \"%.64s\"", name);
	if (*seen & (1U << i))
		return conf_fail(r, "%s is set twice", name);
	*seen |= 1U << i;
	if (config_keys[i].parse(&config_keys[i], value, cfg))
		return conf_fail(r, "%s: \"%.64s\" is not %s", name, value,
				 expected(&config_keys[i], want, sizeof(want)));
	return 0;
}

int vigild_config_parse(const char *text, size_t len, struct vigild_config *cfg,
			char *err, size_t errlen)
{
	struct vigild_config next = *cfg;
	struct conf_reader r;
	uint32_t seen = 0;
	char *line;
	int ret;

	conf_reader_init(&r, text, len, err, errlen);
	while ((ret = conf_next(&r, &line)) > 0) {
		ret = parse_line(&r, line, &next, &seen);
		if (ret)
			return ret;
	}
	if (ret)
		return ret;
	*cfg = next;
	return 0;
}
