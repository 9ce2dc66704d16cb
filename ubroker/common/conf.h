/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading small configuration files line by line: "#" starts a comment,
 * blanks around a line are ignored, and every error names its line.
 * vigild's configuration and client allowlist are read with it.
 */
#ifndef VIGIL_CONF_H
#define VIGIL_CONF_H

#include <stddef.h>
#include <stdint.h>

#define CONF_FILE_MAX	65536	/* bytes in a file */
#define CONF_LINE_MAX	512	/* bytes in a line */

struct conf_reader {
	const char *text;
	size_t len;
	size_t pos;
	unsigned int line;	/* number of the line last read, from 1 */
	char *err;		/* where errors are described */
	size_t errlen;
	char buf[CONF_LINE_MAX + 1];
};

/* Start reading @len bytes at @text; errors are described in @err. */
void conf_reader_init(struct conf_reader *r, const char *text, size_t len,
		      char *err, size_t errlen);

/*
 * The next line that is not blank or a comment, without its comment and
 * surrounding blanks, in *@line (the reader's buffer).
 * Return: 1; 0 at the end; -EINVAL for a file or line too long or a NUL
 * byte, described in the reader's @err.
 */
int conf_next(struct conf_reader *r, char **line);

/* Describe an error at the current line ("line N: ..."); returns -EINVAL. */
int conf_fail(struct conf_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Split "key = value" (blanks around "=" optional) in place.
 * Return: 0, or -EINVAL if there is no "=", no key or no value.
 */
int conf_split(char *line, char **key, char **value);

/* A decimal number from @min to @max, digits only.  0 or -EINVAL. */
int conf_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif /* VIGIL_CONF_H */
