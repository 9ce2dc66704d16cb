// SPDX-License-Identifier: GPL-2.0
/* JSON strings: escaping, UTF-8 passed through, other bytes kept as \udcXX. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"

static void check(const char *in, size_t len, const char *want)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	assert_non_null(f);
	json_write_str(f, in, len);
	fclose(f);
	assert_string_equal(want, out);
	free(out);
}

#define CHECK(in, want) check(in, sizeof(in) - 1, want)

static void ascii_passes(void **state)
{
	(void)state;
	CHECK("/usr/bin/ls", "\"/usr/bin/ls\"");
	CHECK("", "\"\"");
}

static void specials_are_escaped(void **state)
{
	(void)state;
	CHECK("a\"b\\c", "\"a\\\"b\\\\c\"");
	CHECK("\n\t\r", "\"\\n\\t\\r\"");
	CHECK("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	CHECK("a\0b", "\"a\\u0000b\"");
}

static void utf8_passes(void **state)
{
	(void)state;
	CHECK("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	CHECK("\xe2\x82\xac", "\"\xe2\x82\xac\"");
	CHECK("\xf0\x9f\x94\x92", "\"\xf0\x9f\x94\x92\"");
}

static void invalid_bytes_are_kept_escaped(void **state)
{
	(void)state;
	CHECK("\xff", "\"\\udcff\"");
	CHECK("\xc0\xaf", "\"\\udcc0\\udcaf\"");		/* overlong */
	CHECK("\xed\xa0\x80", "\"\\udced\\udca0\\udc80\"");	/* surrogate */
	CHECK("ok\xe2\x82", "\"ok\\udce2\\udc82\"");		/* cut short */
	CHECK("\xf4\x90\x80\x80", "\"\\udcf4\\udc90\\udc80\\udc80\"");	/* > U+10FFFF */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ascii_passes),
		cmocka_unit_test(specials_are_escaped),
		cmocka_unit_test(utf8_passes),
		cmocka_unit_test(invalid_bytes_are_kept_escaped),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
