// SPDX-License-Identifier: GPL-2.0
/*
 * Mapping the ring: the two mappings the ABI allows, and every way of
 * asking for something else, each refused with its documented errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vigil_test.h"

FIXTURE(ring) {
	int fd;
	struct vigil_handshake hs;
	size_t page;
	size_t producer_len;
};

FIXTURE_SETUP(ring)
{
	self->fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->hs.client_major = VIGIL_ABI_MAJOR;
	self->hs.client_minor = VIGIL_ABI_MINOR;
	ASSERT_EQ(0, ioctl(self->fd, VIGIL_IOC_HANDSHAKE, &self->hs));
	self->page = self->hs.ring_page_size;
	self->producer_len = self->page + 2 * self->hs.ring_data_size;
}

FIXTURE_TEARDOWN(ring)
{
	close(self->fd);
}

static void *map(int fd, size_t len, int prot, int flags, off_t off)
{
	return mmap(NULL, len, prot, flags, fd, off);
}

TEST_F(ring, consumer_page_maps_read_write)
{
	__u64 *pos = map(self->fd, self->page, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->hs.ring_consumer_off);

	ASSERT_NE(MAP_FAILED, pos);
	EXPECT_EQ(0, *pos);
	munmap(pos, self->page);
}

TEST_F(ring, producer_and_data_map_read_only)
{
	const struct vigil_ring_producer *prod;
	const unsigned char *data;

	prod = map(self->fd, self->producer_len, PROT_READ, MAP_SHARED,
		   self->hs.ring_producer_off);
	ASSERT_NE(MAP_FAILED, prod);
	data = (const unsigned char *)prod + self->page;
	/* The data pages are mapped twice: the second copy is the first. */
	EXPECT_EQ(0, memcmp(data, data + self->hs.ring_data_size,
			    self->hs.ring_data_size));
	EXPECT_EQ(0, prod->dropped[VIGIL_DROP_RING_FULL]);
	munmap((void *)prod, self->producer_len);
}

/* The AUTH lane maps as the ring does, at its own offsets. */
TEST_F(ring, the_auth_lane_maps_as_the_ring_does)
{
	size_t lane_len = self->page + 2 * self->hs.auth_ring_data_size;
	const struct vigil_ring_producer *prod;
	__u64 *pos;

	pos = map(self->fd, self->page, PROT_READ | PROT_WRITE, MAP_SHARED,
		  self->hs.auth_ring_consumer_off);
	ASSERT_NE(MAP_FAILED, pos);
	EXPECT_EQ(0, *pos);
	munmap(pos, self->page);
	prod = map(self->fd, lane_len, PROT_READ, MAP_SHARED,
		   self->hs.auth_ring_producer_off);
	ASSERT_NE(MAP_FAILED, prod);
	EXPECT_EQ(0, prod->pos);
	munmap((void *)prod, lane_len);

	/* Its producer pages are read-only, and only whole. */
	EXPECT_EQ(MAP_FAILED, map(self->fd, lane_len, PROT_READ | PROT_WRITE,
				  MAP_SHARED, self->hs.auth_ring_producer_off));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->producer_len, PROT_READ,
				  MAP_SHARED, self->hs.auth_ring_producer_off));
	EXPECT_EQ(EINVAL, errno);
	/* Between the ring's offsets and the lane's, nothing. */
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->page, PROT_READ, MAP_SHARED,
				  self->hs.auth_ring_consumer_off - self->page));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->page, PROT_READ, MAP_SHARED,
				  self->hs.auth_ring_producer_off + self->page));
	EXPECT_EQ(EINVAL, errno);
}

/* A broker of 1.3 has no lane: it gets every record in the ring. */
TEST(a_broker_of_1_3_cannot_map_the_auth_lane)
{
	struct vigil_handshake hs = {
		.client_major = VIGIL_ABI_MAJOR, .client_minor = 3,
	};
	long page = sysconf(_SC_PAGESIZE);
	int fd = open(VT_DEVICE, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, VIGIL_IOC_HANDSHAKE, &hs));
	EXPECT_EQ(MAP_FAILED, map(fd, page, PROT_READ, MAP_SHARED,
				  hs.auth_ring_consumer_off));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(ring, wrong_offset_is_einval)
{
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->page, PROT_READ, MAP_SHARED,
				  2 * self->page));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->page, PROT_READ, MAP_SHARED,
				  (off_t)1 << 40));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(ring, wrong_length_is_einval)
{
	/* The consumer page alone, nothing more. */
	EXPECT_EQ(MAP_FAILED, map(self->fd, 2 * self->page, PROT_READ,
				  MAP_SHARED, self->hs.ring_consumer_off));
	EXPECT_EQ(EINVAL, errno);
	/* The producer page with its data mapped twice, nothing less. */
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->page, PROT_READ, MAP_SHARED,
				  self->hs.ring_producer_off));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->page + self->hs.ring_data_size,
				  PROT_READ, MAP_SHARED,
				  self->hs.ring_producer_off));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->producer_len + self->page,
				  PROT_READ, MAP_SHARED,
				  self->hs.ring_producer_off));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(ring, writable_producer_is_eperm)
{
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->producer_len,
				  PROT_READ | PROT_WRITE, MAP_SHARED,
				  self->hs.ring_producer_off));
	EXPECT_EQ(EPERM, errno);
}

TEST_F(ring, producer_cannot_be_made_writable_later)
{
	void *p = map(self->fd, self->producer_len, PROT_READ, MAP_SHARED,
		      self->hs.ring_producer_off);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, self->page, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, mprotect(p, self->page, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	munmap(p, self->producer_len);
}

TEST_F(ring, executable_mapping_is_eperm)
{
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->page, PROT_READ | PROT_EXEC,
				  MAP_SHARED, self->hs.ring_consumer_off));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->producer_len,
				  PROT_READ | PROT_EXEC, MAP_SHARED,
				  self->hs.ring_producer_off));
	EXPECT_EQ(EPERM, errno);
}

TEST_F(ring, private_mapping_is_einval)
{
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->page, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE, self->hs.ring_consumer_off));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, map(self->fd, self->producer_len, PROT_READ,
				  MAP_PRIVATE, self->hs.ring_producer_off));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * Has every event numbered so far been counted as a drop?  An event takes
 * its number before it is counted, so the two can differ for a moment while
 * another process's event is on its way: look again for up to a second.
 * Read in this order, produced == dropped means that they were equal when
 * produced was read.  The last values read are left in @produced and
 * @dropped.
 */
static bool all_produced_dropped(const struct vigil_ring_producer *prod,
				 __u64 *produced, __u64 *dropped)
{
	int tries;

	for (tries = 0; tries < 100; tries++) {
		*dropped = __atomic_load_n(&prod->dropped[VIGIL_DROP_RING_FULL],
					   __ATOMIC_ACQUIRE);
		*produced = __atomic_load_n(&prod->produced, __ATOMIC_ACQUIRE);
		if (*produced == *dropped)
			return true;
		usleep(10000);
	}
	return false;
}

/* A broker that writes nonsense in its page only loses its own events. */
TEST_F(ring, bad_consumer_position_only_drops_events)
{
	const struct vigil_ring_producer *prod;
	char *argv[] = { "vigil_child", "exit", "0", NULL };
	__u64 produced, dropped;
	__u64 *cons;

	cons = map(self->fd, self->page, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->hs.ring_consumer_off);
	ASSERT_NE(MAP_FAILED, cons);
	prod = map(self->fd, self->producer_len, PROT_READ, MAP_SHARED,
		   self->hs.ring_producer_off);
	ASSERT_NE(MAP_FAILED, prod);

	*cons = 0x7ffffffffffff000ULL;
	ASSERT_EQ(0, vt_reap(vt_spawn(VT_CHILD, argv)));
	EXPECT_EQ(0, prod->pos);
	/* The child's exec and exit; its fork is the broker's own: muted. */
	EXPECT_LE(2, prod->dropped[VIGIL_DROP_RING_FULL]);
	EXPECT_TRUE(all_produced_dropped(prod, &produced, &dropped)) {
		TH_LOG("produced %llu, dropped for a full ring %llu",
		       (unsigned long long)produced, (unsigned long long)dropped);
	}
	munmap(cons, self->page);
	munmap((void *)prod, self->producer_len);
}

TEST_HARNESS_MAIN
