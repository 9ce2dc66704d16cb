// SPDX-License-Identifier: GPL-2.0
/* Frames on a unix stream socket: whole, in pieces, with fds, and errors. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "frame_io.h"

static int sv[2];
static struct vigil_frame_reader rd;
static struct vigil_msg msg;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	vigil_frame_reader_init(&rd, 2);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vigil_frame_reader_reset(&rd);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void a_frame_and_its_descriptors_arrive(void **state)
{
	struct vigil_msg_subscribe s = { .events = VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC) };
	int fds[2] = { memfd_create("x", MFD_CLOEXEC), dup(0) }, got[2];

	(void)state;
	assert_int_equal(0, vigil_frame_send(sv[0], VIGIL_MSG_SUBSCRIBE, 5, &s, sizeof(s),
					     fds, 2, 1000));
	assert_int_equal(0, vigil_frame_recv(&rd, sv[1], &msg, 1000));
	assert_int_equal(VIGIL_MSG_SUBSCRIBE, msg.type);
	assert_int_equal(5, msg.seq);
	assert_memory_equal(&s, msg.payload, sizeof(s));
	assert_int_equal(2, vigil_frame_take_fds(&rd, got, 2));
	assert_true(got[0] >= 0 && got[1] >= 0 && got[0] != fds[0]);
	assert_int_equal(FD_CLOEXEC, fcntl(got[0], F_GETFD) & FD_CLOEXEC);
	assert_int_equal(0, vigil_frame_take_fds(&rd, got, 2));
	close(got[0]);
	close(got[1]);
	close(fds[0]);
	close(fds[1]);
}

static void descriptors_past_the_limit_are_closed(void **state)
{
	int fds[2] = { dup(0), dup(0) }, got[2];
	struct vigil_frame_reader none;

	(void)state;
	vigil_frame_reader_init(&none, 0);
	assert_int_equal(0, vigil_frame_send(sv[0], VIGIL_MSG_STATS, 1, NULL, 0, fds, 2, 1000));
	assert_int_equal(0, vigil_frame_recv(&none, sv[1], &msg, 1000));
	assert_int_equal(0, vigil_frame_take_fds(&none, got, 2));
	assert_int_equal(2, none.refused_fds);	/* closed, and said so */
	assert_false(none.truncated);
	close(fds[0]);
	close(fds[1]);
	assert_int_equal(-EINVAL, vigil_frame_send(sv[0], VIGIL_MSG_STATS, 1, NULL, 0, fds, 3, 0));
}

static void a_frame_in_pieces(void **state)
{
	unsigned char buf[64];
	struct vigil_msg_subscribe s = { 0 };
	ssize_t n = vigil_frame_build(buf, sizeof(buf), VIGIL_MSG_SUBSCRIBE, 9, &s, sizeof(s));
	int err = 1;

	(void)state;
	assert_int_equal(5, write(sv[0], buf, 5));
	assert_true(vigil_frame_reader_fill(&rd, sv[1]) > 0);
	assert_int_equal(0, vigil_frame_next(&rd, &msg, &err));
	assert_int_equal(-EAGAIN, vigil_frame_reader_fill(&rd, sv[1]));
	assert_int_equal(n - 5, write(sv[0], buf + 5, (size_t)n - 5));
	assert_true(vigil_frame_reader_fill(&rd, sv[1]) > 0);
	assert_int_equal(1, vigil_frame_next(&rd, &msg, &err));
	assert_int_equal(0, err);
	assert_int_equal(9, msg.seq);
	assert_int_equal(0, rd.len);
}

/* A bad message is consumed with its error; a bad header breaks the stream. */
static void bad_frames(void **state)
{
	struct vigil_frame_hdr h = { .len = 16, .version = 1, .type = 77, .seq = 4 };
	int err = 0;

	(void)state;
	assert_int_equal(16, write(sv[0], &h, 16));
	assert_int_equal(-EOPNOTSUPP, vigil_frame_recv(&rd, sv[1], &msg, 1000));
	assert_int_equal(77, msg.type);
	assert_int_equal(4, msg.seq);
	h.len = VIGIL_FRAME_MAX + 1;
	assert_int_equal(16, write(sv[0], &h, 16));
	assert_true(vigil_frame_reader_fill(&rd, sv[1]) > 0);
	assert_int_equal(-EMSGSIZE, vigil_frame_next(&rd, &msg, &err));
	vigil_frame_reader_reset(&rd);
	assert_int_equal(-EMSGSIZE, vigil_frame_send(sv[0], VIGIL_MSG_STATS, 1, &rd,
						     VIGIL_FRAME_MAX, NULL, 0, 0));
}

static void timeouts_and_the_end(void **state)
{
	static unsigned char big[4096];
	int i, err = 0;

	(void)state;
	assert_int_equal(-ETIMEDOUT, vigil_frame_recv(&rd, sv[1], &msg, 20));
	/* Fill the socket: no room at once is -EAGAIN, no room in time -ETIMEDOUT. */
	for (i = 0; i < 10000 && !err; i++)
		err = vigil_frame_send(sv[0], VIGIL_MSG_RESPOND, 1, big, sizeof(big),
				       NULL, 0, 0);
	assert_int_equal(-EAGAIN, err);
	assert_int_equal(-ETIMEDOUT, vigil_frame_send(sv[0], VIGIL_MSG_RESPOND, 1, big,
						      sizeof(big), NULL, 0, 50));
	close(sv[1]);
	sv[1] = -1;
	assert_int_equal(-EPIPE, vigil_frame_send(sv[0], VIGIL_MSG_STATS, 1, NULL, 0,
						  NULL, 0, 100));
}

static void the_end_of_the_stream(void **state)
{
	(void)state;
	close(sv[0]);
	sv[0] = -1;
	assert_int_equal(-ECONNRESET, vigil_frame_recv(&rd, sv[1], &msg, 1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_frame_and_its_descriptors_arrive, setup, teardown),
		cmocka_unit_test_setup_teardown(descriptors_past_the_limit_are_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(a_frame_in_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(timeouts_and_the_end, setup, teardown),
		cmocka_unit_test_setup_teardown(the_end_of_the_stream, setup, teardown),
	};

	return cmocka_run_group_tests_name("frame_io", tests, NULL, NULL);
}
