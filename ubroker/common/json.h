/* SPDX-License-Identifier: GPL-2.0 */
/* Writing JSON strings: escaping, and bytes that are not UTF-8. */
#ifndef VIGIL_JSON_H
#define VIGIL_JSON_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write @len bytes at @s as a JSON string, quotes included.  Valid UTF-8
 * passes through; quotes, backslashes and control characters are escaped;
 * each byte that is not part of valid UTF-8 is written as \udcXX (XX its
 * value), the "surrogateescape" convention, so no information is lost.
 */
void json_write_str(FILE *out, const char *s, size_t len);

#endif /* VIGIL_JSON_H */
