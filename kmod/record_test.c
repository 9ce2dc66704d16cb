// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of record encoding, included at the end of record.c.
 * Buffers are allocated at their exact capacity, so that KASAN catches any
 * write past a record's bound.
 */

#include <kunit/test.h>
#include <linux/anon_inodes.h>
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

/*
 * vigil_rec_put_path() of @path as a @type field, the first in a dirty
 * buffer, is @want: its length what d_path() built, its padding zero.
 */
static void test_expect_path(struct kunit *test, const struct path *path,
			     u16 type, const char *want)
{
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;

	ev = test_rec_init(test, &rec, 256);
	vigil_rec_put_path(&rec, type, path, NULL);
	vigil_rec_finish(&rec);
	f = test_field_n(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->type, type);
	KUNIT_EXPECT_EQ(test, f->flags, 0);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), want);
	KUNIT_EXPECT_EQ(test, VIGIL_FIELD_DATA_LEN(f), strlen(want) + 1);
	KUNIT_EXPECT_TRUE(test, test_all_zero((const char *)f + f->len,
					      round_up(f->len, 8) - f->len));
	KUNIT_EXPECT_EQ(test, ev->len, sizeof(struct vigil_exec_event) +
			round_up(f->len, 8));
}

static void vigil_record_test_path(struct kunit *test)
{
	struct path root;

	KUNIT_ASSERT_EQ(test, kern_path("/", 0, &root), 0);
	test_expect_path(test, &root, VIGIL_FIELD_EXE, "/");
	path_put(&root);
}

/* A longer path. */
static void vigil_record_test_path_length(struct kunit *test)
{
	struct path dev;

	/* The initramfs every kernel has holds /dev/console. */
	KUNIT_ASSERT_EQ(test, kern_path("/dev/console", 0, &dev), 0);
	test_expect_path(test, &dev, VIGIL_FIELD_EXE, "/dev/console");
	path_put(&dev);
}

/* A file whose dentry names itself (d_dname()): anon_inode:[name]. */
static void vigil_record_test_path_d_dname(struct kunit *test)
{
	static const struct file_operations fops = { .owner = THIS_MODULE };
	struct file *file;

	file = anon_inode_getfile("[vigil_test]", &fops, NULL, O_RDONLY);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	test_expect_path(test, &file->f_path, VIGIL_FIELD_PATH,
			 "anon_inode:[vigil_test]");
	fput(file);
}

/*
 * Every length of data, in a dirty buffer: the data is whole and the
 * padding up to the next multiple of 8 is zero, whatever the remainder.
 */
static void vigil_record_test_padding_every_length(struct kunit *test)
{
	static const char text[] = "abcdefghijklmnopq";
	char str[sizeof(text)];
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;
	u32 n;

	for (n = 1; n <= 17; n++) {
		memcpy(str, text, n - 1);
		str[n - 1] = '\0';
		ev = test_rec_init(test, &rec, 256);
		vigil_rec_put_str(&rec, VIGIL_FIELD_FILENAME, str, VIGIL_PATH_MAX);
		vigil_rec_finish(&rec);
		f = test_field_n(ev, 0);
		KUNIT_ASSERT_NOT_NULL(test, f);
		KUNIT_EXPECT_EQ(test, VIGIL_FIELD_DATA_LEN(f), n);
		KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), str);
		KUNIT_EXPECT_EQ(test, ev->len, sizeof(struct vigil_exec_event) +
				round_up(sizeof(*f) + n, 8));
		KUNIT_EXPECT_TRUE_MSG(test, test_all_zero((const char *)f + f->len,
							  round_up(f->len, 8) - f->len),
				      "padding after %u bytes of data", n);
	}
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

/* The ids a record gives are from_k[ug]id_munged()'s in init_user_ns. */
static void vigil_record_test_ids_as_init_ns_sees_them(struct kunit *test)
{
	static const u32 ids[] = { 0, 1, 1000, 65534, 65535, 0x7fffffff,
				   0xfffffffe, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		kuid_t uid = KUIDT_INIT(ids[i]);
		kgid_t gid = KGIDT_INIT(ids[i]);

		KUNIT_EXPECT_EQ(test, vigil_rec_uid(uid),
				(u32)from_kuid_munged(&init_user_ns, uid));
		KUNIT_EXPECT_EQ(test, vigil_rec_gid(gid),
				(u32)from_kgid_munged(&init_user_ns, gid));
	}
	KUNIT_EXPECT_EQ(test, vigil_rec_uid(INVALID_UID), (u32)overflowuid);
	KUNIT_EXPECT_EQ(test, vigil_rec_gid(INVALID_GID), (u32)overflowgid);
}

static void vigil_record_test_actor(struct kunit *test)
{
	struct vigil_actor actor;

	memset(&actor, 0xff, sizeof(actor));
	vigil_rec_fill_actor(&actor, current);
	KUNIT_EXPECT_EQ(test, actor.proc.tgid, task_tgid_nr(current));
	KUNIT_EXPECT_EQ(test, actor.proc.reserved, 0);
#ifdef CONFIG_CGROUPS
	KUNIT_EXPECT_EQ(test, actor.cgroup_id, cgroup_id(task_dfl_cgroup(current)));
#endif
}

static void vigil_record_test_sockaddr_inet(struct kunit *test)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET, .sin_port = htons(8080),
		.sin_addr.s_addr = htonl(0x7f000001),
	};
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6, .sin6_port = htons(443),
		.sin6_scope_id = 3,
	};
	struct vigil_sockaddr out = {};

	KUNIT_EXPECT_EQ(test, vigil_rec_fill_sockaddr(&out, (void *)&sin, sizeof(sin)), 0);
	KUNIT_EXPECT_EQ(test, out.family, AF_INET);
	KUNIT_EXPECT_EQ(test, out.port, 8080);
	KUNIT_EXPECT_EQ(test, out.addr[0], 127);
	KUNIT_EXPECT_EQ(test, out.addr[3], 1);
	sin6.sin6_addr.s6_addr[15] = 1;
	memset(&out, 0, sizeof(out));
	vigil_rec_fill_sockaddr(&out, (void *)&sin6, sizeof(sin6));
	KUNIT_EXPECT_EQ(test, out.family, AF_INET6);
	KUNIT_EXPECT_EQ(test, out.port, 443);
	KUNIT_EXPECT_EQ(test, out.addr[15], 1);
	KUNIT_EXPECT_EQ(test, out.scope_id, 3);
	/* The RFC 2133 length has no scope id; shorter is no address. */
	memset(&out, 0, sizeof(out));
	vigil_rec_fill_sockaddr(&out, (void *)&sin6, SIN6_LEN_RFC2133);
	KUNIT_EXPECT_EQ(test, out.family, AF_INET6);
	KUNIT_EXPECT_EQ(test, out.scope_id, 0);
	memset(&out, 0, sizeof(out));
	vigil_rec_fill_sockaddr(&out, (void *)&sin6, SIN6_LEN_RFC2133 - 1);
	KUNIT_EXPECT_EQ(test, out.family, 0);
	vigil_rec_fill_sockaddr(&out, (void *)&sin, sizeof(sin) - 1);
	KUNIT_EXPECT_EQ(test, out.family, 0);
	vigil_rec_fill_sockaddr(&out, (void *)&sin, 1);
	KUNIT_EXPECT_EQ(test, out.family, 0);
}

/* A unix address's path field: a path, an abstract name, none. */
static const struct vigil_field *test_unix_path(struct kunit *test,
						struct vigil_rec *rec,
						const struct sockaddr_un *sun,
						int len)
{
	struct vigil_sockaddr out = {};
	u32 n = vigil_rec_fill_sockaddr(&out, (const void *)sun, len);
	struct vigil_event *ev = vigil_rec_event(rec);

	KUNIT_EXPECT_EQ(test, out.family, AF_UNIX);
	rec->len = sizeof(struct vigil_net_event);
	rec->last = 0;
	ev->flags = 0;
	vigil_rec_put_unix_path(rec, VIGIL_FIELD_LOCAL_PATH, sun, n);
	vigil_rec_finish(rec);
	return test_field_n(ev, 0);
}

static void vigil_record_test_unix_paths(struct kunit *test)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "/run/x.sock" };
	int base = offsetof(struct sockaddr_un, sun_path);
	void *buf = kunit_kmalloc(test, 512, GFP_KERNEL);
	const struct vigil_field *f;
	struct vigil_rec rec;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, vigil_rec_init(&rec, buf, 512, VIGIL_EVENT_NET_BIND,
						   sizeof(struct vigil_net_event), 1, 1));
	f = test_unix_path(test, &rec, &sun, base + 12);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "/run/x.sock");
	KUNIT_EXPECT_EQ(test, f->flags, 0);
	/* A length that leaves out the NUL, and one past it: the same path. */
	f = test_unix_path(test, &rec, &sun, base + 11);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "/run/x.sock");
	f = test_unix_path(test, &rec, &sun, sizeof(sun));
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "/run/x.sock");
	/* An abstract name: every byte, its NULs as '@'. */
	memcpy(sun.sun_path, "\0abs\0x", 7);
	f = test_unix_path(test, &rec, &sun, base + 6);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "@abs@x");
	KUNIT_EXPECT_EQ(test, f->flags, VIGIL_FIELD_F_ABSTRACT);
	/* An unnamed address: no field. */
	KUNIT_EXPECT_NULL(test, test_unix_path(test, &rec, &sun, base));
	/* A whole 108-byte name in a record with little room: cut, flagged. */
	memset(sun.sun_path, 'a', sizeof(sun.sun_path));
	rec.cap = sizeof(struct vigil_net_event) + sizeof(struct vigil_field) + 32;
	f = test_unix_path(test, &rec, &sun, sizeof(sun));
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, strlen(VIGIL_FIELD_DATA(f)), 31);
	KUNIT_EXPECT_TRUE(test, f->flags & VIGIL_FIELD_F_TRUNCATED);
}

/* An entry not made yet: its directory's path and its name. */
static void vigil_record_test_child_path(struct kunit *test)
{
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct dentry *child;
	struct vigil_rec rec;
	struct path root;

	KUNIT_ASSERT_EQ(test, kern_path("/", 0, &root), 0);
	child = d_alloc_name(root.dentry, "not-yet");
	KUNIT_ASSERT_NOT_NULL(test, child);
	ev = test_rec_init(test, &rec, 256);
	KUNIT_EXPECT_EQ(test, vigil_rec_put_child_path(&rec, VIGIL_FIELD_PATH, &root,
							child, NULL), 0);
	vigil_rec_finish(&rec);
	f = test_field_n(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "/not-yet");
	KUNIT_EXPECT_EQ(test, f->flags, 0);
	/* No room for the name: empty, flagged; never a cut path. */
	ev = test_rec_init(test, &rec, sizeof(struct vigil_exec_event) +
			   sizeof(struct vigil_field) + 8);
	vigil_rec_put_child_path(&rec, VIGIL_FIELD_PATH, &root, child, NULL);
	vigil_rec_finish(&rec);
	f = test_field_n(ev, 0);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, VIGIL_FIELD_DATA_LEN(f), 1);
	KUNIT_EXPECT_EQ(test, f->flags, VIGIL_FIELD_F_UNAVAILABLE | VIGIL_FIELD_F_TRUNCATED);
	dput(child);
	path_put(&root);
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
	KUNIT_CASE(vigil_record_test_path_length),
	KUNIT_CASE(vigil_record_test_path_d_dname),
	KUNIT_CASE(vigil_record_test_padding_every_length),
	KUNIT_CASE(vigil_record_test_path_too_long),
	KUNIT_CASE(vigil_record_test_user_strings_unavailable),
	KUNIT_CASE(vigil_record_test_proc_block),
	KUNIT_CASE(vigil_record_test_ids_as_init_ns_sees_them),
	KUNIT_CASE(vigil_record_test_actor),
	KUNIT_CASE(vigil_record_test_sockaddr_inet),
	KUNIT_CASE(vigil_record_test_unix_paths),
	KUNIT_CASE(vigil_record_test_child_path),
	{}
};

static struct kunit_suite vigil_record_test_suite = {
	.name = "vigil_record",
	.test_cases = vigil_record_test_cases,
};

kunit_test_suite(vigil_record_test_suite);
