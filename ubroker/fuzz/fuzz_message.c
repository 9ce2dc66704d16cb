// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: any bytes as one record, decoded as libvigil decodes
 * it for a vendor, then every accessor called.  Whatever a message gives
 * out must lie inside the record, its strings with their NUL; a copy must
 * say the same as the original.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const unsigned char *lo, *hi;

static void inside(const void *p, size_t len)
{
	const unsigned char *b = p;

	if (p && (b < lo || b + len > hi))
		abort();
}

static void check_str(const char *s)
{
	if (!s)
		return;
	inside(s, 1);
	inside(s, strnlen(s, (size_t)(hi - (const unsigned char *)s)) + 1);
}

static void check_fields(const struct vigil_message *m)
{
	unsigned int i, n = vigil_message_arg_count(m);

	check_str(vigil_message_exe(m));
	check_str(vigil_message_filename(m));
	check_str(vigil_message_path(m));
	for (i = 0; i <= n; i++)
		check_str(vigil_message_arg(m, i));
	if (vigil_message_arg(m, n))
		abort();
}

static void check_fixed(const struct vigil_message *m)
{
	const void *fixed[] = {
		vigil_message_fork(m), vigil_message_exec(m), vigil_message_exit(m),
		vigil_message_auth_exec(m), vigil_message_auth_open(m),
		vigil_message_watchdog(m),
	};
	unsigned int i, set = 0;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		set += fixed[i] != NULL;
	/* One type's view at most, and only for a type it knows. */
	if (set > 1 || (set && !vigil_message_known(m)))
		abort();
	if (vigil_message_is_auth(m) != (vigil_message_auth_id(m) || vigil_message_auth_exec(m) ||
					 vigil_message_auth_open(m)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vigil_message m, *copy;
	size_t len;

	if (size > UINT32_MAX)
		return 0;
	lo = data;
	hi = data + size;
	if (message_init(&m, NULL, data, (uint32_t)size))
		return 0;
	check_fields(&m);
	check_fixed(&m);
	vigil_message_type(&m);
	vigil_message_version(&m);
	vigil_message_field_flags(&m, VIGIL_FIELD_ARGV);
	vigil_message_process(&m);
	if (vigil_message_record(&m, &len) != data || len != size)
		abort();
	copy = vigil_message_copy(&m);
	if (!copy)
		return 0;
	lo = vigil_message_record(copy, &len);
	hi = lo + len;
	check_fields(copy);
	if (vigil_message_arg_count(copy) != vigil_message_arg_count(&m) ||
	    vigil_message_type(copy) != vigil_message_type(&m))
		abort();
	vigil_message_free(copy);
	return 0;
}
