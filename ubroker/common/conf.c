// SPDX-License-Identifier: GPL-2.0
/* Reading small configuration files line by line. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"

void conf_reader_init(struct conf_reader *r, const char *text, size_t len,
		      char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->text = text;
	r->len = len;
	r->err = err;
	r->errlen = errlen;
}

int conf_fail(struct conf_reader *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!r->errlen)
		return -EINVAL;
	n = snprintf(r->err, r->errlen, "line %u: ", r->line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->errlen)
		vsnprintf(r->err + n, r->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Cut the comment and the blanks around what is left. */
static char *conf_trim(char *s)
{
	char *hash = strchr(s, '#');
	size_t n;

	if (hash)
		*hash = '\0';
	while (isblank((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int conf_next(struct conf_reader *r, char **line)
{
	if (r->len > CONF_FILE_MAX)
		return conf_fail(r, "the file is larger than %d bytes", CONF_FILE_MAX);
	while (r->pos < r->len) {
		const char *start = r->text + r->pos;
		const char *nl = memchr(start, '\n', r->len - r->pos);
		size_t l = nl ? (size_t)(nl - start) : r->len - r->pos;

		r->line++;
		r->pos += l + 1;
		if (l > CONF_LINE_MAX)
			return conf_fail(r, "longer than %d bytes", CONF_LINE_MAX);
		if (memchr(start, '\0', l))
			return conf_fail(r, "a NUL byte");
		memcpy(r->buf, start, l);
		r->buf[l] = '\0';
		*line = conf_trim(r->buf);
		if (**line)
			return 1;
	}
	return 0;
}

int conf_split(char *line, char **key, char **value)
{
	char *eq = strchr(line, '=');
	char *k = line, *v;
	size_t n;

	if (!eq)
		return -EINVAL;
	*eq = '\0';
	n = strlen(k);
	while (n && isblank((unsigned char)k[n - 1]))
		k[--n] = '\0';
	v = eq + 1;
	while (isblank((unsigned char)*v))
		v++;
	if (!*k || !*v)
		return -EINVAL;
	*key = k;
	*value = v;
	return 0;
}

int conf_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s || strlen(s) > 19)
		return -EINVAL;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}
