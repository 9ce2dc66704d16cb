// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bootstate.h"

#define LINE_MAX_LEN	128

static const char *const last_names[BOOT_LAST_COUNT] = {
	[BOOT_NONE] = "none",
	[BOOT_LOADING] = "loading",
	[BOOT_LOADED] = "loaded",
	[BOOT_FAILED] = "failed",
	[BOOT_REFUSED] = "refused",
	[BOOT_DISABLED] = "disabled",
	[BOOT_BLESSED] = "blessed",
	[BOOT_RESET] = "reset",
};

const char *boot_last_name(enum boot_last last)
{
	return (unsigned int)last < BOOT_LAST_COUNT ? last_names[last] : "?";
}

void boot_state_init(struct boot_state *st)
{
	memset(st, 0, sizeof(*st));
	st->last = BOOT_NONE;
}

int boot_id_valid(const char *id)
{
	size_t i;

	if (strlen(id) != BOOT_ID_LEN)
		return 0;
	for (i = 0; i < BOOT_ID_LEN; i++)
		if (!isxdigit((unsigned char)id[i]) && id[i] != '-')
			return 0;
	return 1;
}

static int fail(char *err, size_t errlen, unsigned int line,
		const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, errlen, "line %u: ", line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A decimal number from 0 to @max, digits only. */
static int parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 10)
		return -EINVAL;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_last(const char *s, enum boot_last *out)
{
	unsigned int i;

	for (i = 0; i < BOOT_LAST_COUNT; i++)
		if (!strcmp(s, last_names[i])) {
			*out = i;
			return 0;
		}
	return -EINVAL;
}

enum { KEY_VERSION, KEY_UNBLESSED, KEY_LIMIT, KEY_LAST, KEY_BOOT_ID, NR_KEYS };
static const char *const key_names[NR_KEYS] = {
	"version", "unblessed", "limit", "last", "boot_id",
};

static int parse_value(int key, const char *v, struct boot_state *st)
{
	unsigned int version;

	switch (key) {
	case KEY_VERSION:
		if (parse_uint(v, 1000, &version) || version != BOOT_STATE_VERSION)
			return -EINVAL;
		return 0;
	case KEY_UNBLESSED:
		return parse_uint(v, BOOT_MAX_LIMIT, &st->unblessed);
	case KEY_LIMIT:
		return parse_uint(v, BOOT_MAX_LIMIT, &st->limit);
	case KEY_LAST:
		return parse_last(v, &st->last);
	case KEY_BOOT_ID:
		if (*v && !boot_id_valid(v))
			return -EINVAL;
		strcpy(st->boot_id, v);
		return 0;
	}
	return -EINVAL;
}

static int parse_line(char *line, unsigned int n, struct boot_state *st,
		      unsigned int *seen, char *err, size_t errlen)
{
	char *eq = strchr(line, '=');
	int key;

	if (!*line || *line == '#')
		return 0;
	if (!eq)
		return fail(err, errlen, n, "not key=value");
	*eq = '\0';
	for (key = 0; key < NR_KEYS; key++)
		if (!strcmp(line, key_names[key]))
			break;
	if (key == NR_KEYS)
		return fail(err, errlen, n, "unknown key '%.32s'", line);
	if (*seen & (1U << key))
		return fail(err, errlen, n, "%s given twice", line);
	*seen |= 1U << key;
	if (strlen(eq + 1) > BOOT_ID_LEN || parse_value(key, eq + 1, st))
		return fail(err, errlen, n, "bad value for %s", line);
	return 0;
}

int boot_state_parse(const char *text, size_t len, struct boot_state *st,
		     char *err, size_t errlen)
{
	unsigned int n = 0, seen = 0;
	size_t pos = 0;

	boot_state_init(st);
	if (len > BOOT_STATE_MAX_SIZE)
		return fail(err, errlen, 0, "larger than %d bytes", BOOT_STATE_MAX_SIZE);
	while (pos < len) {
		char line[LINE_MAX_LEN + 1];
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t l = (nl ? (size_t)(nl - text) : len) - pos;
		int ret;

		n++;
		if (l > LINE_MAX_LEN)
			return fail(err, errlen, n, "longer than %d bytes", LINE_MAX_LEN);
		if (memchr(text + pos, '\0', l))
			return fail(err, errlen, n, "a NUL byte");
		memcpy(line, text + pos, l);
		line[l] = '\0';
		ret = parse_line(line, n, st, &seen, err, errlen);
		if (ret)
			return ret;
		pos += l + 1;
	}
	if (!(seen & (1U << KEY_VERSION)))
		return fail(err, errlen, n, "no version");
	if (!(seen & (1U << KEY_UNBLESSED)))
		return fail(err, errlen, n, "no unblessed count");
	return 0;
}

int boot_state_format(const struct boot_state *st, char *buf, size_t len)
{
	int n = snprintf(buf, len,
			 "# vigil boot guard: see vigilctl(8).  Do not edit: use vigilctl boot reset\n"
			 "version=%d\nunblessed=%u\nlimit=%u\nlast=%s\nboot_id=%s\n",
			 BOOT_STATE_VERSION, st->unblessed, st->limit,
			 boot_last_name(st->last), st->boot_id);

	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

/* kstrtobool()'s reading of a value: 1/y/t/on are true. */
static int bool_true(const char *v, size_t len)
{
	if (!len)
		return 1;	/* a bare "vigil.disable" sets it */
	if (strchr("1yYtT", v[0]))
		return 1;
	return len >= 2 && (v[0] == 'o' || v[0] == 'O') &&
	       (v[1] == 'n' || v[1] == 'N');
}

/* The kernel's parameter names treat '-' and '_' alike. */
static int param_is(const char *p, size_t len, const char *name)
{
	size_t i;

	if (len != strlen(name))
		return 0;
	for (i = 0; i < len; i++) {
		char a = p[i] == '-' ? '_' : p[i];
		char b = name[i] == '-' ? '_' : name[i];

		if (a != b)
			return 0;
	}
	return 1;
}

/*
 * Words are separated by spaces; a double-quoted stretch may hold spaces;
 * "--" ends the kernel's parameters (the rest is init's).  The last
 * vigil.disable given wins, as it would for the module.
 */
int boot_cmdline_disabled(const char *cmdline)
{
	const char *p = cmdline;
	int disabled = 0;

	while (*p) {
		const char *word, *eq, *val;
		size_t wlen, vlen;
		int quoted = 0;

		while (isspace((unsigned char)*p))
			p++;
		word = p;
		while (*p && (quoted || !isspace((unsigned char)*p))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		wlen = p - word;
		if (wlen == 2 && !strncmp(word, "--", 2))
			break;
		eq = memchr(word, '=', wlen);
		if (!param_is(word, eq ? (size_t)(eq - word) : wlen, "vigil.disable"))
			continue;
		val = eq ? eq + 1 : word + wlen;
		vlen = word + wlen - val;
		if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
			val++;
			vlen -= 2;
		}
		disabled = bool_true(val, vlen);
	}
	return disabled;
}

static void set_last(struct boot_state *st, enum boot_last last,
		     const char *boot_id)
{
	st->last = last;
	snprintf(st->boot_id, sizeof(st->boot_id), "%s", boot_id);
}

enum boot_action boot_decide(struct boot_state *st, int disabled,
			     unsigned int limit, const char *boot_id)
{
	if (disabled) {
		set_last(st, BOOT_DISABLED, boot_id);
		return BOOT_DO_NOTHING;
	}
	st->limit = limit;
	if (st->unblessed >= limit) {
		set_last(st, BOOT_REFUSED, boot_id);
		return BOOT_DO_REFUSE;
	}
	st->unblessed++;
	set_last(st, BOOT_LOADING, boot_id);
	return BOOT_DO_LOAD;
}

void boot_loaded(struct boot_state *st, int ok)
{
	st->last = ok ? BOOT_LOADED : BOOT_FAILED;
}

int boot_bless(struct boot_state *st, const char *boot_id)
{
	if (strcmp(st->boot_id, boot_id))
		return 0;
	if (st->last != BOOT_LOADED && st->last != BOOT_FAILED &&
	    st->last != BOOT_LOADING)
		return 0;
	st->unblessed = 0;
	st->last = BOOT_BLESSED;
	return 1;
}

void boot_reset(struct boot_state *st, const char *boot_id)
{
	st->unblessed = 0;
	set_last(st, BOOT_RESET, boot_id);
}
