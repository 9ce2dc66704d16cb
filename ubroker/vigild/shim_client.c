// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shim_client.h"

static int fail(char *msg, size_t msglen, int err, const char *fmt,
		const char *what)
{
	snprintf(msg, msglen, fmt, what, strerror(-err));
	return err;
}

static int shim_handshake(struct vigil_shim *shim, unsigned int major,
			  unsigned int minor, char *msg, size_t msglen)
{
	struct vigil_handshake *hs = &shim->hs;

	memset(hs, 0, sizeof(*hs));
	hs->client_major = major;
	hs->client_minor = minor;
	if (ioctl(shim->fd, VIGIL_IOC_HANDSHAKE, hs) == 0)
		return 0;
	if (errno == EPROTONOSUPPORT) {
		snprintf(msg, msglen,
			 "the shim speaks ABI %u.%u, this broker speaks ABI %u.%u: "
			 "install a vigild built for ABI %u.x",
			 hs->abi_major, hs->abi_minor, major, minor,
			 hs->abi_major);
		return -EPROTONOSUPPORT;
	}
	return fail(msg, msglen, -errno, "handshake with %s failed: %s",
		    "the shim");
}

static int shim_map(struct vigil_shim *shim, char *msg, size_t msglen)
{
	const struct vigil_handshake *hs = &shim->hs;
	void *p;

	p = mmap(NULL, hs->ring_page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 shim->fd, hs->ring_consumer_off);
	if (p == MAP_FAILED)
		return fail(msg, msglen, -errno, "cannot map the %s page: %s",
			    "consumer");
	shim->consumer_map = p;

	shim->producer_len = hs->ring_page_size + 2 * hs->ring_data_size;
	p = mmap(NULL, shim->producer_len, PROT_READ, MAP_SHARED, shim->fd,
		 hs->ring_producer_off);
	if (p == MAP_FAILED)
		return fail(msg, msglen, -errno, "cannot map the %s pages: %s",
			    "producer");
	shim->producer_map = p;
	shim->producer = p;

	shim->ring.consumer_pos = &((struct vigil_ring_consumer *)
				    shim->consumer_map)->pos;
	shim->ring.producer_pos = &shim->producer->pos;
	shim->ring.data = (const unsigned char *)p + hs->ring_page_size;
	shim->ring.size = hs->ring_data_size;
	return 0;
}

int vigil_shim_open(struct vigil_shim *shim, const char *path,
		    unsigned int major, unsigned int minor,
		    char *msg, size_t msglen)
{
	int err;

	memset(shim, 0, sizeof(*shim));
	shim->fd = open(path, O_RDWR | O_CLOEXEC);
	if (shim->fd < 0) {
		err = -errno;
		if (err == -EBUSY)
			snprintf(msg, msglen,
				 "%s is busy: another broker is connected", path);
		else
			fail(msg, msglen, err, "cannot open %s: %s", path);
		return err;
	}
	err = shim_handshake(shim, major, minor, msg, msglen);
	if (!err)
		err = shim_map(shim, msg, msglen);
	if (err)
		vigil_shim_close(shim);
	return err;
}

void vigil_shim_close(struct vigil_shim *shim)
{
	struct vigil_subscribe none = { 0 };

	/*
	 * A clean goodbye: with no AUTH subscription left, closing does not
	 * count as a broker gone (a watchdog fault).  It fails harmlessly on
	 * a session that never completed its handshake.
	 */
	if (shim->fd >= 0 && shim->consumer_map)
		ioctl(shim->fd, VIGIL_IOC_SUBSCRIBE, &none);
	if (shim->producer_map)
		munmap(shim->producer_map, shim->producer_len);
	if (shim->consumer_map)
		munmap(shim->consumer_map, shim->hs.ring_page_size);
	if (shim->fd >= 0)
		close(shim->fd);
	memset(shim, 0, sizeof(*shim));
	shim->fd = -1;
}

static int shim_ioctl(struct vigil_shim *shim, unsigned long cmd, void *arg)
{
	return ioctl(shim->fd, cmd, arg) ? -errno : 0;
}

int vigil_shim_subscribe(struct vigil_shim *shim, uint64_t events)
{
	struct vigil_subscribe sub = { .events = events };

	return shim_ioctl(shim, VIGIL_IOC_SUBSCRIBE, &sub);
}

int vigil_shim_limit(struct vigil_shim *shim, uint32_t type, uint32_t *per_second,
		     int get, uint64_t *skipped)
{
	struct vigil_limit l = {
		.type = type, .per_second = get ? 0 : *per_second,
		.flags = get ? VIGIL_LIMIT_F_GET : 0,
	};
	int err = shim_ioctl(shim, VIGIL_IOC_LIMIT, &l);

	if (err)
		return err;
	*per_second = l.per_second;
	*skipped = l.skipped;
	return 0;
}

int vigil_shim_watch(struct vigil_shim *shim, const char *path, int remove)
{
	struct vigil_watch w = {
		.path = (uintptr_t)path,
		.flags = remove ? VIGIL_WATCH_F_REMOVE : 0,
	};

	return shim_ioctl(shim, VIGIL_IOC_WATCH, &w);
}

int vigil_shim_mute(struct vigil_shim *shim, const struct vigil_mute *mute)
{
	return shim_ioctl(shim, VIGIL_IOC_MUTE, (void *)mute);
}

int vigil_shim_cache_flush(struct vigil_shim *shim)
{
	struct vigil_cache_flush f = { 0 };

	return shim_ioctl(shim, VIGIL_IOC_CACHE_FLUSH, &f);
}

int vigil_shim_auth_stats(struct vigil_shim *shim, uint32_t type,
			  struct vigil_auth_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->type = type;
	return shim_ioctl(shim, VIGIL_IOC_AUTH_STATS, out);
}

int vigil_shim_verdicts(struct vigil_shim *shim, struct vigil_verdict *v,
			uint32_t count, uint32_t *applied)
{
	struct vigil_verdicts vs = {
		.entries = (uintptr_t)v,
		.count = count,
		.entry_size = sizeof(*v),
	};
	int err = shim_ioctl(shim, VIGIL_IOC_VERDICT, &vs);

	*applied = vs.applied;
	return err;
}
