// SPDX-License-Identifier: GPL-2.0
/*
 * The session and the handshake: one case per rule of the ABI, one errno
 * per bad input, and a check that a refused request changed nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vigil_test.h"

/* The handshake command with another struct size. */
#define HANDSHAKE_SIZED(size) \
	_IOC(_IOC_READ | _IOC_WRITE, VIGIL_IOC_MAGIC, 0x00, (size))

static struct vigil_handshake hello(void)
{
	struct vigil_handshake hs = {
		.client_major = VIGIL_ABI_MAJOR,
		.client_minor = VIGIL_ABI_MINOR,
	};
	return hs;
}

/* True if the session is connected: mmap is allowed only then. */
static int connected(int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return 0;
	munmap(p, page);
	return 1;
}

FIXTURE(session) {
	int fd;
};

FIXTURE_SETUP(session)
{
	self->fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VT_DEVICE, strerror(errno));
}

FIXTURE_TEARDOWN(session)
{
	close(self->fd);
}

TEST_F(session, handshake_answers_version_and_geometry)
{
	struct vigil_handshake hs = hello();
	long page = sysconf(_SC_PAGESIZE);

	ASSERT_EQ(0, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &hs));
	EXPECT_EQ(VIGIL_ABI_MAJOR, hs.abi_major);
	EXPECT_EQ(VIGIL_ABI_MINOR, hs.abi_minor);
	EXPECT_TRUE(hs.features & VIGIL_FEATURE_PROC_EVENTS);
	EXPECT_EQ(0, hs.ring_data_size & (hs.ring_data_size - 1));
	EXPECT_LE(64 << 10, hs.ring_data_size);
	EXPECT_EQ(0, hs.ring_consumer_off);
	EXPECT_EQ(page, hs.ring_producer_off);
	EXPECT_EQ(page, hs.ring_page_size);
	EXPECT_EQ(16384, hs.max_record_size);
	EXPECT_TRUE(connected(self->fd));
}

TEST_F(session, handshake_of_1_4_answers_the_auth_lane)
{
	struct vigil_handshake hs = hello();
	long page = sysconf(_SC_PAGESIZE);

	ASSERT_EQ(0, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &hs));
	EXPECT_TRUE(hs.features & VIGIL_FEATURE_AUTH_LANE);
	EXPECT_EQ(1 << 20, hs.auth_ring_data_size);
	EXPECT_EQ(16 * page, hs.auth_ring_consumer_off);
	EXPECT_EQ(17 * page, hs.auth_ring_producer_off);
}

TEST_F(session, handshake_of_1_4_in_the_struct_of_1_3_is_einval)
{
	struct vigil_handshake hs = hello();

	hs.client_minor = 4;
	EXPECT_EQ(-1, ioctl(self->fd, HANDSHAKE_SIZED(VIGIL_HANDSHAKE_SIZE_VER1), &hs));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_FALSE(connected(self->fd));
	/* A client of 1.3 passes that struct, and is answered. */
	hs.client_minor = 3;
	EXPECT_EQ(0, ioctl(self->fd, HANDSHAKE_SIZED(VIGIL_HANDSHAKE_SIZE_VER1), &hs));
	EXPECT_EQ(VIGIL_ABI_MINOR, hs.abi_minor);
	EXPECT_TRUE(connected(self->fd));
}

TEST_F(session, handshake_from_a_newer_minor_is_accepted)
{
	struct vigil_handshake hs = hello();

	hs.client_minor = VIGIL_ABI_MINOR + 7;
	ASSERT_EQ(0, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &hs));
	EXPECT_EQ(VIGIL_ABI_MINOR, hs.abi_minor);
}

TEST_F(session, handshake_with_another_major_is_refused)
{
	struct vigil_handshake hs = hello();

	hs.client_major = VIGIL_ABI_MAJOR + 1;
	EXPECT_EQ(-1, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &hs));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
	/* The client still learns which version the shim speaks. */
	EXPECT_EQ(VIGIL_ABI_MAJOR, hs.abi_major);
	EXPECT_FALSE(connected(self->fd));

	hs = hello();
	hs.client_major = 0;
	EXPECT_EQ(-1, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &hs));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
}

TEST_F(session, handshake_smaller_than_version_1_is_einval)
{
	struct vigil_handshake hs = hello();

	EXPECT_EQ(-1, ioctl(self->fd, HANDSHAKE_SIZED(32), &hs));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, HANDSHAKE_SIZED(0), &hs));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_FALSE(connected(self->fd));
}

TEST_F(session, handshake_larger_with_zero_tail_is_accepted)
{
	struct {
		struct vigil_handshake hs;
		__u64 future[2];
	} big = { .hs = hello() };

	ASSERT_EQ(0, ioctl(self->fd, HANDSHAKE_SIZED(sizeof(big)), &big));
	EXPECT_EQ(VIGIL_ABI_MAJOR, big.hs.abi_major);
	EXPECT_EQ(0, big.future[0]);
	EXPECT_EQ(0, big.future[1]);
}

TEST_F(session, handshake_with_unknown_nonzero_tail_is_e2big)
{
	struct {
		struct vigil_handshake hs;
		__u64 future[2];
	} big = { .hs = hello() };

	big.future[1] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, HANDSHAKE_SIZED(sizeof(big)), &big));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_FALSE(connected(self->fd));
}

TEST_F(session, handshake_with_unknown_flags_is_einval)
{
	struct vigil_handshake hs = hello();

	hs.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &hs));
	EXPECT_EQ(EINVAL, errno);
	hs.flags = 1ULL << 63;
	EXPECT_EQ(-1, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &hs));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_FALSE(connected(self->fd));
}

TEST_F(session, handshake_with_bad_pointer_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	struct vigil_handshake *ro;

	EXPECT_EQ(-1, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, NULL));
	EXPECT_EQ(EFAULT, errno);

	/* Readable but not writable: refused before anything happens. */
	ro = mmap(NULL, page, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	*ro = hello();
	ASSERT_EQ(0, mprotect(ro, page, PROT_READ));
	EXPECT_EQ(-1, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, ro));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_FALSE(connected(self->fd));
	munmap(ro, page);
}

TEST_F(session, refused_handshake_changes_nothing)
{
	struct vigil_handshake hs = hello();

	hs.flags = 2;
	EXPECT_EQ(-1, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &hs));
	/* The same session can still complete a good handshake. */
	hs = hello();
	EXPECT_EQ(0, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &hs));
	EXPECT_TRUE(connected(self->fd));
}

TEST_F(session, second_handshake_is_ealready)
{
	struct vigil_handshake hs = hello();

	ASSERT_EQ(0, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &hs));
	hs = hello();
	EXPECT_EQ(-1, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &hs));
	EXPECT_EQ(EALREADY, errno);
}

TEST_F(session, unknown_ioctl_is_enotty)
{
	struct vigil_handshake hs = hello();

	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(VIGIL_IOC_MAGIC, 0x7f, hs), &hs));
	EXPECT_EQ(ENOTTY, errno);
	/* The handshake's number with another direction is another command. */
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(VIGIL_IOC_MAGIC, 0x00, hs), &hs));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IO(VIGIL_IOC_MAGIC, 0x00)));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR('V', 0x00, hs), &hs));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, FIONREAD, &hs));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(session, mmap_and_poll_before_handshake_are_refused)
{
	long page = sysconf(_SC_PAGESIZE);
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };

	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(EPROTO, errno);
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_TRUE(pfd.revents & POLLERR);
}

TEST_F(session, read_and_write_are_einval)
{
	char buf[16] = {};

	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
}

TEST(open_write_only_is_einval)
{
	int fd;

	EXPECT_EQ(-1, open(VT_DEVICE, O_WRONLY | O_CLOEXEC));
	EXPECT_EQ(EINVAL, errno);
	/* A refused open does not hold the device. */
	fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	EXPECT_LE(0, fd);
	close(fd);
}

/* Read-only opens are control handles: many, beside the session. */
TEST(control_handles_do_not_hold_the_session)
{
	int a, b, s;

	a = open(VT_DEVICE, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, a);
	b = open(VT_DEVICE, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, b);
	s = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	EXPECT_LE(0, s);
	close(s);
	close(a);
	close(b);
}

/* A control handle takes the watchdog commands and nothing else. */
TEST(control_handles_refuse_session_commands)
{
	struct vigil_handshake hs = { .client_major = VIGIL_ABI_MAJOR };
	struct vigil_subscribe sub = { 0 };
	struct vigil_watchdog_status st = { 0 };
	struct pollfd pfd;
	void *p;
	int fd;

	fd = open(VT_DEVICE, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, VIGIL_IOC_HANDSHAKE, &hs));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ioctl(fd, VIGIL_IOC_SUBSCRIBE, &sub));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ioctl(fd, _IO(VIGIL_IOC_MAGIC, 0x7f)));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(0, ioctl(fd, VIGIL_IOC_WATCHDOG, &st));
	EXPECT_EQ(VIGIL_WATCHDOG_ARMED, st.state);
	p = mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED, fd, getpagesize());
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EBADF, errno);
	/* Writable shared mappings need a writable descriptor. */
	p = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	pfd.fd = fd;
	pfd.events = POLLIN;
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLERR, pfd.revents);
	close(fd);
}

TEST(second_open_is_ebusy)
{
	int a, b;

	a = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, a);
	b = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	EXPECT_EQ(-1, b);
	EXPECT_EQ(EBUSY, errno);
	close(a);
	/* Once the broker is gone, the next one gets in. */
	b = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	EXPECT_LE(0, b);
	close(b);
}

TEST(second_open_is_ebusy_while_connected)
{
	struct vigil_shim shim;
	int fd;

	ASSERT_EQ(0, vt_connect(&shim));
	fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EBUSY, errno);
	vigil_shim_close(&shim);
}

TEST_HARNESS_MAIN
