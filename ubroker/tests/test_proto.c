// SPDX-License-Identifier: GPL-2.0
/* The client protocol's frame codec: framing, each message's rules, building. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "proto.h"

static unsigned char buf[VIGIL_FRAME_MAX + 64];
static struct vigil_msg msg;

static ssize_t build(uint16_t type, const void *payload, size_t len)
{
	return vigil_frame_build(buf, sizeof(buf), type, 7, payload, len);
}

static int check_built(uint16_t type, const void *payload, size_t len)
{
	ssize_t n = build(type, payload, len);

	assert_true(n > 0);
	return vigil_msg_check(buf, (size_t)n, &msg);
}

static struct vigil_frame_hdr *hdr(void)
{
	return (struct vigil_frame_hdr *)buf;
}

static void a_frame_arrives_in_pieces(void **state)
{
	struct vigil_msg_subscribe sub = { .events = VIGIL_PROTO_EVENTS };
	ssize_t n = build(VIGIL_MSG_SUBSCRIBE, &sub, sizeof(sub));
	size_t i;

	(void)state;
	assert_int_equal(sizeof(struct vigil_frame_hdr) + sizeof(sub), n);
	for (i = 0; i < (size_t)n; i++)
		assert_int_equal(0, vigil_frame_parse(buf, i));
	assert_int_equal(n, vigil_frame_parse(buf, (size_t)n));
	/* Bytes of the next frame after it do not change its length. */
	assert_int_equal(n, vigil_frame_parse(buf, (size_t)n + 10));
	assert_int_equal(0, vigil_msg_check(buf, (size_t)n, &msg));
	assert_int_equal(VIGIL_MSG_SUBSCRIBE, msg.type);
	assert_int_equal(7, msg.seq);
	assert_int_equal(sizeof(sub), msg.len);
	assert_memory_equal(&sub, msg.payload, sizeof(sub));
}

/* A bad header is known from the header alone. */
static void bad_headers_are_refused_early(void **state)
{
	(void)state;
	build(VIGIL_MSG_STATS, NULL, 0);
	hdr()->len = 15;
	assert_int_equal(-EBADMSG, vigil_frame_parse(buf, 16));
	hdr()->len = VIGIL_FRAME_MAX + 1;
	assert_int_equal(-EMSGSIZE, vigil_frame_parse(buf, 16));
	hdr()->len = 0xffffffff;
	assert_int_equal(-EMSGSIZE, vigil_frame_parse(buf, 16));
	hdr()->len = 16;
	hdr()->version = 2;
	assert_int_equal(-EPROTONOSUPPORT, vigil_frame_parse(buf, 16));
	hdr()->version = 0;
	assert_int_equal(-EPROTONOSUPPORT, vigil_frame_parse(buf, 16));
	hdr()->version = VIGIL_PROTO_VERSION;
	hdr()->reserved = 1;
	assert_int_equal(-EPROTO, vigil_frame_parse(buf, 16));
	hdr()->reserved = 0;
	assert_int_equal(16, vigil_frame_parse(buf, 16));
}

static void the_largest_frame_passes_and_one_more_byte_does_not(void **state)
{
	static unsigned char payload[VIGIL_PAYLOAD_MAX + 1];

	(void)state;
	assert_int_equal(VIGIL_FRAME_MAX,
			 build(VIGIL_MSG_STATS, payload, VIGIL_PAYLOAD_MAX));
	assert_int_equal(-EMSGSIZE, build(VIGIL_MSG_STATS, payload,
					  VIGIL_PAYLOAD_MAX + 1));
	assert_int_equal(-EMSGSIZE, vigil_frame_build(buf, 20, VIGIL_MSG_STATS,
						      1, payload, 8));
}

static void unknown_types_and_wrong_sizes(void **state)
{
	struct vigil_msg_subscribe sub = { 0 };

	(void)state;
	assert_int_equal(-EOPNOTSUPP, check_built(0, NULL, 0));
	assert_int_equal(-EOPNOTSUPP, check_built(8, NULL, 0));
	assert_int_equal(-EOPNOTSUPP, check_built(0xffff, NULL, 0));
	/* Refused, but its seq is known: the refusal repeats it. */
	assert_int_equal(0xffff, msg.type);
	assert_int_equal(7, msg.seq);
	assert_int_equal(-EBADMSG, check_built(VIGIL_MSG_SUBSCRIBE, &sub, 4));
	assert_int_equal(-EBADMSG, check_built(VIGIL_MSG_STATS, &sub, 8));
	assert_int_equal(0, check_built(VIGIL_MSG_STATS, NULL, 0));
	/* A buffer holding more than the frame is not a frame. */
	build(VIGIL_MSG_STATS, NULL, 0);
	assert_int_equal(-EBADMSG, vigil_msg_check(buf, 17, &msg));
	assert_int_equal(-EBADMSG, vigil_msg_check(buf, 3, &msg));
}

static void hello_names_are_checked(void **state)
{
	struct vigil_msg_hello h = { .version = 1, .name = "acme-av" };

	(void)state;
	assert_int_equal(0, check_built(VIGIL_MSG_HELLO, &h, sizeof(h)));
	h.flags = VIGIL_HELLO_F_LANE;
	assert_int_equal(0, check_built(VIGIL_MSG_HELLO, &h, sizeof(h)));
	h.flags = 2;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_HELLO, &h, sizeof(h)));
	h.flags = 0;
	h.version = 0;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_HELLO, &h, sizeof(h)));
	h.version = 1;
	memset(h.name, 0, sizeof(h.name));
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_HELLO, &h, sizeof(h)));
	memset(h.name, 'a', sizeof(h.name));	/* no NUL */
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_HELLO, &h, sizeof(h)));
	h.name[31] = '\0';
	assert_int_equal(0, check_built(VIGIL_MSG_HELLO, &h, sizeof(h)));
	memcpy(h.name, "a\nb", 4);
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_HELLO, &h, sizeof(h)));
	memcpy(h.name, "ab\0c", 5);	/* junk after the NUL */
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_HELLO, &h, sizeof(h)));
}

static void subscriptions_must_be_known_types(void **state)
{
	struct vigil_msg_subscribe sub = { .events = 0 };

	(void)state;
	assert_int_equal(0, check_built(VIGIL_MSG_SUBSCRIBE, &sub, sizeof(sub)));
	sub.events = VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC);
	assert_int_equal(0, check_built(VIGIL_MSG_SUBSCRIBE, &sub, sizeof(sub)));
	sub.events = VIGIL_EVENT_BIT(0);
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_SUBSCRIBE, &sub, sizeof(sub)));
	sub.events = VIGIL_EVENT_BIT(VIGIL_EVENT_WATCHDOG);
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_SUBSCRIBE, &sub, sizeof(sub)));
	sub.events = 1ULL << 63;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_SUBSCRIBE, &sub, sizeof(sub)));
}

static struct {
	struct vigil_msg_respond r;
	struct vigil_msg_verdict v[VIGIL_RESPOND_MAX + 1];
} resp;

static size_t respond_size(uint32_t n)
{
	return sizeof(resp.r) + n * sizeof(resp.v[0]);
}

static void responses_are_checked_whole(void **state)
{
	uint32_t i;

	(void)state;
	for (i = 0; i <= VIGIL_RESPOND_MAX; i++)
		resp.v[i] = (struct vigil_msg_verdict){ i + 1, VIGIL_VERDICT_ALLOW, 0 };
	resp.r.count = 2;
	assert_int_equal(0, check_built(VIGIL_MSG_RESPOND, &resp, respond_size(2)));
	/* The count must match the size. */
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_RESPOND, &resp, respond_size(3)));
	assert_int_equal(-EBADMSG, check_built(VIGIL_MSG_RESPOND, &resp,
					       respond_size(2) + 1));
	resp.r.count = 0;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_RESPOND, &resp, respond_size(0)));
	resp.r.count = VIGIL_RESPOND_MAX;
	assert_int_equal(0, check_built(VIGIL_MSG_RESPOND, &resp,
					respond_size(VIGIL_RESPOND_MAX)));
	resp.r.count = VIGIL_RESPOND_MAX + 1;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_RESPOND, &resp,
					      respond_size(VIGIL_RESPOND_MAX + 1)));
	/* One bad entry spoils the batch. */
	resp.r.count = 3;
	resp.v[2].verdict = 3;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_RESPOND, &resp, respond_size(3)));
	resp.v[2].verdict = VIGIL_VERDICT_DENY;
	resp.v[2].flags = 2;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_RESPOND, &resp, respond_size(3)));
	resp.v[2].flags = VIGIL_VERDICT_F_CACHE;
	assert_int_equal(0, check_built(VIGIL_MSG_RESPOND, &resp, respond_size(3)));
	resp.r.reserved = 1;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_RESPOND, &resp, respond_size(3)));
	resp.r.reserved = 0;
}

static struct {
	struct vigil_msg_mute m;
	char path[VIGIL_MUTE_PATH_MAX + 8];
} mute;

static int check_mute(uint32_t kind, uint32_t tgid, const char *path, size_t path_len)
{
	memset(&mute, 0, sizeof(mute));
	mute.m.kind = kind;
	mute.m.tgid = tgid;
	mute.m.path_len = (uint32_t)path_len;
	if (path)
		memcpy(mute.path, path, path_len);
	return check_built(VIGIL_MSG_MUTE, &mute, sizeof(mute.m) + path_len);
}

static void mutes_are_checked(void **state)
{
	static char longest[VIGIL_MUTE_PATH_MAX + 1];

	(void)state;
	assert_int_equal(0, check_mute(VIGIL_MUTE_PROCESS, 42, NULL, 0));
	assert_int_equal(-EINVAL, check_mute(VIGIL_MUTE_PROCESS, 0, NULL, 0));
	assert_int_equal(-EINVAL, check_mute(VIGIL_MUTE_PROCESS, 42, "/x", 3));
	assert_int_equal(0, check_mute(VIGIL_MUTE_PATH, 0, "/tmp", 5));
	assert_int_equal(0, check_mute(VIGIL_MUTE_EXE, 0, "/usr/bin/make", 14));
	assert_int_equal(-EINVAL, check_mute(VIGIL_MUTE_PATH, 0, "tmp", 4));
	assert_int_equal(-EINVAL, check_mute(VIGIL_MUTE_PATH, 0, "/tmp", 4));
	assert_int_equal(-EINVAL, check_mute(VIGIL_MUTE_PATH, 0, "/t\0p", 5));
	assert_int_equal(-EINVAL, check_mute(VIGIL_MUTE_PATH, 0, "/", 1));
	assert_int_equal(-EINVAL, check_mute(VIGIL_MUTE_PATH, 7, "/tmp", 5));
	assert_int_equal(-EINVAL, check_mute(0, 0, "/tmp", 5));
	assert_int_equal(-EINVAL, check_mute(4, 0, "/tmp", 5));
	memset(longest, 'a', sizeof(longest));
	longest[0] = '/';
	longest[VIGIL_MUTE_PATH_MAX - 1] = '\0';
	assert_int_equal(0, check_mute(VIGIL_MUTE_PATH, 0, longest, VIGIL_MUTE_PATH_MAX));
	/* path_len must say what the frame holds. */
	memset(&mute, 0, sizeof(mute));
	mute.m.kind = VIGIL_MUTE_PATH;
	mute.m.path_len = 5;
	memcpy(mute.path, "/tmp", 5);
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_MUTE, &mute, sizeof(mute.m) + 6));
	mute.m.flags = 2;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_MUTE, &mute, sizeof(mute.m) + 5));
	mute.m.flags = VIGIL_MUTE_F_REMOVE;
	assert_int_equal(0, check_built(VIGIL_MSG_MUTE, &mute, sizeof(mute.m) + 5));
}

static void broker_messages_are_checked(void **state)
{
	struct vigil_msg_welcome w = { 3, 250, 1 << 20, 1, 2 };
	struct vigil_msg_result res = { -EINVAL, 0 };
	struct vigil_msg_cut_off cut = { 3, VIGIL_CUT_OFF_MISSES, "slow" };

	(void)state;
	assert_int_equal(0, check_built(VIGIL_MSG_WELCOME, &w, sizeof(w)));
	w.ring_size = 3 << 20;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_WELCOME, &w, sizeof(w)));
	assert_int_equal(0, check_built(VIGIL_MSG_RESULT, &res, sizeof(res)));
	res.error = 1;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_RESULT, &res, sizeof(res)));
	assert_int_equal(0, check_built(VIGIL_MSG_CUT_OFF, &cut, sizeof(cut)));
	cut.reason = 9;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_CUT_OFF, &cut, sizeof(cut)));
}

static void admin_messages_are_checked(void **state)
{
	static union {
		struct vigil_msg_clients r;
		unsigned char bytes[sizeof(struct vigil_msg_clients) +
				    (VIGIL_CLIENTS_PER_REPLY + 1) *
				    sizeof(struct vigil_msg_client_info)];
	} page;
	struct vigil_msg_clients_req req = { 0 };
	struct vigil_msg_broker_status st = { .clients = 3, .max_clients = 3 };
	size_t one = sizeof(page.r) + sizeof(page.r.c[0]);

	(void)state;
	assert_int_equal(0, check_built(VIGIL_MSG_BROKER_STATUS, NULL, 0));
	assert_int_equal(-EBADMSG, check_built(VIGIL_MSG_BROKER_STATUS, &req, 4));
	assert_int_equal(0, check_built(VIGIL_MSG_CLIENTS, &req, sizeof(req)));
	req.reserved = 1;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_CLIENTS, &req, sizeof(req)));
	assert_int_equal(0, check_built(VIGIL_MSG_BROKER_STATUS_REPLY, &st, sizeof(st)));
	st.clients = 4;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_BROKER_STATUS_REPLY, &st, sizeof(st)));
	/* A page: its count says its size; names as in hello, or none yet. */
	page.r.total = 2;
	page.r.count = 1;
	page.r.c[0].client_id = 5;
	assert_int_equal(0, check_built(VIGIL_MSG_CLIENTS_REPLY, &page, one));
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_CLIENTS_REPLY, &page, sizeof(page.r)));
	strcpy(page.r.c[0].name, "x");
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_CLIENTS_REPLY, &page, one));
	page.r.c[0].flags = VIGIL_CLIENT_INFO_F_READY;
	assert_int_equal(0, check_built(VIGIL_MSG_CLIENTS_REPLY, &page, one));
	page.r.c[0].name[0] = '\0';
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_CLIENTS_REPLY, &page, one));
	strcpy(page.r.c[0].name, "x");
	page.r.c[0].flags = 2;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_CLIENTS_REPLY, &page, one));
	page.r.c[0].flags = VIGIL_CLIENT_INFO_F_READY;
	page.r.total = 0;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_CLIENTS_REPLY, &page, one));
	page.r.total = page.r.count = VIGIL_CLIENTS_PER_REPLY + 1;
	assert_int_equal(-EINVAL, check_built(VIGIL_MSG_CLIENTS_REPLY, &page,
					      sizeof(page.r) + page.r.count * sizeof(page.r.c[0])));
}

static void names_and_directions(void **state)
{
	(void)state;
	assert_string_equal("hello", vigil_msg_name(VIGIL_MSG_HELLO));
	assert_string_equal("cut_off", vigil_msg_name(VIGIL_MSG_CUT_OFF));
	assert_null(vigil_msg_name(8));
	assert_string_equal("clients_reply", vigil_msg_name(VIGIL_MSG_CLIENTS_REPLY));
	assert_true(vigil_msg_is_request(VIGIL_MSG_BROKER_STATUS));
	assert_false(vigil_msg_is_request(VIGIL_MSG_BROKER_STATUS_REPLY));
	assert_true(vigil_msg_is_request(VIGIL_MSG_RESPOND));
	assert_false(vigil_msg_is_request(VIGIL_MSG_RESULT));
	assert_false(vigil_msg_is_request(1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_frame_arrives_in_pieces),
		cmocka_unit_test(bad_headers_are_refused_early),
		cmocka_unit_test(the_largest_frame_passes_and_one_more_byte_does_not),
		cmocka_unit_test(unknown_types_and_wrong_sizes),
		cmocka_unit_test(hello_names_are_checked),
		cmocka_unit_test(subscriptions_must_be_known_types),
		cmocka_unit_test(responses_are_checked_whole),
		cmocka_unit_test(mutes_are_checked),
		cmocka_unit_test(broker_messages_are_checked),
		cmocka_unit_test(admin_messages_are_checked),
		cmocka_unit_test(names_and_directions),
	};

	return cmocka_run_group_tests_name("proto", tests, NULL, NULL);
}
