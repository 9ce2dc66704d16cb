// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of record encoding, included at the end of record.c.
 * Buffers are allocated at their exact capacity, so that KASAN catches any
 * write past a record's bound.
 */

#include <kunit/test.h>
#include <linux/namei.h>

#define TEST_SEQ	42
#define TEST_TIME	1234567

/* A record builder over a buffer of @cap bytes, dirtied first. */
static struct vigil_event *test_rec_init(struct kunit *test,
					 struct vigil_rec *rec, u32 cap)
{
	void *buf = kunit_kmalloc(test, cap, GFP_KERNEL);
	struct vigil_event *ev;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xff, cap);
	ev = vigil_rec_init(rec, buf, cap, VIGIL_EVENT_EXEC,
			    sizeof(struct vigil_exec_event), TEST_SEQ,
			    TEST_TIME);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	return ev;
}

static const struct vigil_field *test_field_n(const struct vigil_event *ev,
					      unsigned int n)
{
	const struct vigil_field *f;

	VIGIL_FIELD_FOREACH(ev, f) {
		if (!n--)
			return f;
	}
	return NULL;
}

static bool test_all_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

static void vigil_record_test_init(struct kunit *test)
{
	struct vigil_rec rec;
	struct vigil_exec_event *ex;
	struct vigil_event *ev;

	ev = test_rec_init(test, &rec, 256);
	ex = (struct vigil_exec_event *)ev;
	KUNIT_EXPECT_EQ(test, ev->len, sizeof(*ex));
	KUNIT_EXPECT_EQ(test, ev->version, VIGIL_EVENT_VERSION);
	KUNIT_EXPECT_EQ(test, ev->hdr_len, sizeof(*ex));
	KUNIT_EXPECT_EQ(test, ev->type, VIGIL_EVENT_EXEC);
	KUNIT_EXPECT_EQ(test, ev->flags, 0);
	KUNIT_EXPECT_EQ(test, ev->seq, TEST_SEQ);
	KUNIT_EXPECT_EQ(test, ev->time_ns, TEST_TIME);
	/* The dirty buffer's fixed part is zeroed. */
	KUNIT_EXPECT_TRUE(test, test_all_zero(&ex->proc, sizeof(*ex) - sizeof(*ev)));
	KUNIT_EXPECT_EQ(test, vigil_rec_finish(&rec), sizeof(*ex));
}

static void vigil_record_test_init_too_small(struct kunit *test)
{
	struct vigil_rec rec;
	u8 buf[sizeof(struct vigil_exec_event) - 8];

	KUNIT_EXPECT_NULL(test, vigil_rec_init(&rec, buf, sizeof(buf),
					       VIGIL_EVENT_EXEC,
					       sizeof(struct vigil_exec_event),
					       1, 1));
}

static void vigil_record_test_string(struct kunit *test)
{
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;

	ev = test_rec_init(test, &rec, 256);
	KUNIT_ASSERT_EQ(test, vigil_rec_put_str(&rec, VIGIL_FIELD_FILENAME,
						"/bin/true", VIGIL_PATH_MAX), 0);
	vigil_rec_finish(&rec);
	f = test_field_n(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->type, VIGIL_FIELD_FILENAME);
	KUNIT_EXPECT_EQ(test, f->flags, 0);
	KUNIT_EXPECT_EQ(test, f->len, sizeof(*f) + sizeof("/bin/true"));
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "/bin/true");
	/* 18 bytes padded to 24; the padding is zero, not the old 0xff. */
	KUNIT_EXPECT_EQ(test, ev->len, sizeof(struct vigil_exec_event) + 24);
	KUNIT_EXPECT_TRUE(test, test_all_zero((const char *)f + f->len, 24 - f->len));
	KUNIT_EXPECT_EQ(test, ev->flags, 0);
}

static void vigil_record_test_string_cut_at_max(struct kunit *test)
{
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;

	ev = test_rec_init(test, &rec, 256);
	vigil_rec_put_str(&rec, VIGIL_FIELD_FILENAME, "abcdefghij", 5);
	vigil_rec_finish(&rec);
	f = test_field_n(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->flags, VIGIL_FIELD_F_TRUNCATED);
	KUNIT_EXPECT_EQ(test, VIGIL_FIELD_DATA_LEN(f), 5);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "abcd");
	KUNIT_EXPECT_EQ(test, ev->flags, VIGIL_EVENT_F_TRUNCATED);
}

/* A string exactly max - 1 long fits whole; max long does not. */
static void vigil_record_test_string_bound_is_exact(struct kunit *test)
{
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;

	ev = test_rec_init(test, &rec, 256);
	vigil_rec_put_str(&rec, VIGIL_FIELD_EXE, "abcd", 5);
	vigil_rec_put_str(&rec, VIGIL_FIELD_FILENAME, "abcde", 5);
	vigil_rec_finish(&rec);
	f = test_field_n(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->flags, 0);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "abcd");
	f = test_field_n(ev, 1);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->flags, VIGIL_FIELD_F_TRUNCATED);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "abcd");
}

/* A field cut by the buffer's end stays inside it and ends in a NUL. */
static void vigil_record_test_string_cut_at_capacity(struct kunit *test)
{
	const u32 cap = sizeof(struct vigil_exec_event) + 8 + 13;
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;

	ev = test_rec_init(test, &rec, cap);
	vigil_rec_put_str(&rec, VIGIL_FIELD_FILENAME,
			  "a string much longer than the room left", VIGIL_PATH_MAX);
	KUNIT_EXPECT_LE(test, vigil_rec_finish(&rec), cap);
	f = test_field_n(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->flags, VIGIL_FIELD_F_TRUNCATED);
	/* 13 bytes left after the header, rounded down to 8 for padding. */
	KUNIT_EXPECT_EQ(test, VIGIL_FIELD_DATA_LEN(f), 8);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "a strin");
	KUNIT_EXPECT_EQ(test, ev->flags, VIGIL_EVENT_F_TRUNCATED);
}

static void vigil_record_test_field_left_out(struct kunit *test)
{
	const u32 cap = sizeof(struct vigil_exec_event) + 15;
	struct vigil_event *ev;
	struct vigil_rec rec;

	ev = test_rec_init(test, &rec, cap);
	KUNIT_EXPECT_EQ(test, vigil_rec_put_str(&rec, VIGIL_FIELD_EXE, "x",
						VIGIL_PATH_MAX), -ENOSPC);
	KUNIT_EXPECT_EQ(test, vigil_rec_finish(&rec),
			sizeof(struct vigil_exec_event));
	KUNIT_EXPECT_EQ(test, ev->flags, VIGIL_EVENT_F_TRUNCATED);
	KUNIT_EXPECT_NULL(test, test_field_n(ev, 0));
}

static void vigil_record_test_fields_are_aligned(struct kunit *test)
{
	static const char *const strs[] = { "", "1", "1234567", "12345678",
					    "123456789abcdef" };
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;
	unsigned int i, n = 0;
	u32 end = 0;

	ev = test_rec_init(test, &rec, 512);
	for (i = 0; i < ARRAY_SIZE(strs); i++)
		vigil_rec_put_str(&rec, VIGIL_FIELD_FILENAME, strs[i], 64);
	vigil_rec_finish(&rec);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(ev->len, 8));
	VIGIL_FIELD_FOREACH(ev, f) {
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)f, 8));
		KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), strs[n]);
		end = (const char *)f - (const char *)ev + round_up(f->len, 8);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, ARRAY_SIZE(strs));
	/* The walk ends exactly at the record's end. */
	KUNIT_EXPECT_EQ(test, end, ev->len);
}

static void vigil_record_test_path(struct kunit *test)
{
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;
	struct path root;

	KUNIT_ASSERT_EQ(test, kern_path("/", 0, &root), 0);
	ev = test_rec_init(test, &rec, 256);
	vigil_rec_put_path(&rec, VIGIL_FIELD_EXE, &root, NULL);
	vigil_rec_finish(&rec);
	f = test_field_n(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->type, VIGIL_FIELD_EXE);
	KUNIT_EXPECT_EQ(test, f->flags, 0);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "/");
	KUNIT_EXPECT_EQ(test, VIGIL_FIELD_DATA_LEN(f), 2);
	path_put(&root);
}

/* d_path() cannot cut a path: too long for the room is flagged, empty. */
static void vigil_record_test_path_too_long(struct kunit *test)
{
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;
	struct path dev;

	/* The initramfs every kernel has holds /dev/console. */
	KUNIT_ASSERT_EQ(test, kern_path("/dev/console", 0, &dev), 0);
	/* Room for 8 bytes of data: "/dev/console" needs 13. */
	ev = test_rec_init(test, &rec, sizeof(struct vigil_exec_event) + 16);
	vigil_rec_put_path(&rec, VIGIL_FIELD_EXE, &dev, NULL);
	vigil_rec_finish(&rec);
	path_put(&dev);
	f = test_field_n(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->flags,
			VIGIL_FIELD_F_TRUNCATED | VIGIL_FIELD_F_UNAVAILABLE);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "");
	KUNIT_EXPECT_EQ(test, ev->flags, VIGIL_EVENT_F_TRUNCATED);
}

static void vigil_record_test_user_strings_unavailable(struct kunit *test)
{
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;

	ev = test_rec_init(test, &rec, 256);
	vigil_rec_put_user_strings(&rec, VIGIL_FIELD_ARGV, 0, 0, VIGIL_ARGV_MAX);
	vigil_rec_put_user_strings(&rec, VIGIL_FIELD_ARGV, 0x2000, 0x1000,
				   VIGIL_ARGV_MAX);
	vigil_rec_finish(&rec);
	f = test_field_n(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->flags, VIGIL_FIELD_F_UNAVAILABLE);
	KUNIT_EXPECT_EQ(test, VIGIL_FIELD_DATA_LEN(f), 1);
	f = test_field_n(ev, 1);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->flags, VIGIL_FIELD_F_UNAVAILABLE);
	KUNIT_EXPECT_EQ(test, ev->flags, 0);
}

static void vigil_record_test_proc_block(struct kunit *test)
{
	const struct cred *cred = current_cred();
	struct vigil_proc proc;

	memset(&proc, 0xff, sizeof(proc));
	vigil_rec_fill_proc(&proc, current);
	KUNIT_EXPECT_EQ(test, proc.pid, task_pid_nr(current));
	KUNIT_EXPECT_EQ(test, proc.tgid, task_tgid_nr(current));
	KUNIT_EXPECT_EQ(test, proc.uid, from_kuid(&init_user_ns, cred->uid));
	KUNIT_EXPECT_EQ(test, proc.egid, from_kgid(&init_user_ns, cred->egid));
	KUNIT_EXPECT_EQ(test, proc.reserved, 0);
	KUNIT_EXPECT_EQ(test, proc.start_ns, current->group_leader->start_time);
}

static struct kunit_case vigil_record_test_cases[] = {
	KUNIT_CASE(vigil_record_test_init),
	KUNIT_CASE(vigil_record_test_init_too_small),
	KUNIT_CASE(vigil_record_test_string),
	KUNIT_CASE(vigil_record_test_string_cut_at_max),
	KUNIT_CASE(vigil_record_test_string_bound_is_exact),
	KUNIT_CASE(vigil_record_test_string_cut_at_capacity),
	KUNIT_CASE(vigil_record_test_field_left_out),
	KUNIT_CASE(vigil_record_test_fields_are_aligned),
	KUNIT_CASE(vigil_record_test_path),
	KUNIT_CASE(vigil_record_test_path_too_long),
	KUNIT_CASE(vigil_record_test_user_strings_unavailable),
	KUNIT_CASE(vigil_record_test_proc_block),
	{}
};

static struct kunit_suite vigil_record_test_suite = {
	.name = "vigil_record",
	.test_cases = vigil_record_test_cases,
};

kunit_test_suite(vigil_record_test_suite);
