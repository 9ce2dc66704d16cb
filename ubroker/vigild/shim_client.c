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

/* Map one ring: its consumer page, then its producer page and data. */
static int shim_map_ring(struct vigil_shim *shim, struct vigil_shim_ring *r,
			 uint64_t size, uint64_t consumer_off,
			 uint64_t producer_off, char *msg, size_t msglen)
{
	const size_t page = shim->hs.ring_page_size;
	void *p;

	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, shim->fd,
		 (off_t)consumer_off);
	if (p == MAP_FAILED)
		return fail(msg, msglen, -errno, "cannot map the %s page: %s",
			    "consumer");
	r->consumer_map = p;

	r->producer_len = page + 2 * size;
	p = mmap(NULL, r->producer_len, PROT_READ, MAP_SHARED, shim->fd,
		 (off_t)producer_off);
	if (p == MAP_FAILED)
		return fail(msg, msglen, -errno, "cannot map the %s pages: %s",
			    "producer");
	r->producer_map = p;
	r->producer = p;

	r->view.consumer_pos = &((struct vigil_ring_consumer *)
				 r->consumer_map)->pos;
	r->view.producer_pos = &r->producer->pos;
	r->view.data = (const unsigned char *)p + page;
	r->view.size = size;
	return 0;
}

static int shim_map(struct vigil_shim *shim, char *msg, size_t msglen)
{
	const struct vigil_handshake *hs = &shim->hs;
	int err;

	err = shim_map_ring(shim, &shim->main, hs->ring_data_size,
			    hs->ring_consumer_off, hs->ring_producer_off,
			    msg, msglen);
	if (err)
		return err;
	/* The lane is a client's of 1.4 on, whose shim has it. */
	if (!(hs->features & VIGIL_FEATURE_AUTH_LANE) || hs->client_minor < 4)
		return 0;
	return shim_map_ring(shim, &shim->lane, hs->auth_ring_data_size,
			     hs->auth_ring_consumer_off,
			     hs->auth_ring_producer_off, msg, msglen);
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

static void shim_unmap_ring(struct vigil_shim_ring *r, size_t page)
{
	if (r->producer_map)
		munmap(r->producer_map, r->producer_len);
	if (r->consumer_map)
		munmap(r->consumer_map, page);
}

long vigil_shim_consume(struct vigil_shim *shim, vigil_record_fn fn,
			void (*between)(void *ctx), void *ctx)
{
	long total = 0, n;

	do {
		n = vigil_ring_consume(&shim->lane.view, fn, ctx);
		if (n < 0)
			return n;
		total += n;
		if (between)
			between(ctx);
		n = vigil_ring_consume_max(&shim->main.view, VIGIL_SHIM_BATCH,
					   fn, ctx);
		if (n < 0)
			return n;
		total += n;
	} while (n == VIGIL_SHIM_BATCH);
	return total;
}

void vigil_shim_counters(const struct vigil_shim *shim,
			 struct vigil_ring_producer *snap)
{
	struct vigil_ring_producer lane;
	unsigned int i;

	vigil_ring_counters(shim->main.producer, snap);
	if (!shim->lane.producer)
		return;
	vigil_ring_counters(shim->lane.producer, &lane);
	snap->produced += lane.produced;
	for (i = 0; i < VIGIL_DROP_SLOTS; i++)
		snap->dropped[i] += lane.dropped[i];
}

void vigil_shim_close(struct vigil_shim *shim)
{
	struct vigil_subscribe none = { 0 };

	/*
	 * A clean goodbye: with no AUTH subscription left, closing does not
	 * count as a broker gone (a watchdog fault).  It fails harmlessly on
	 * a session that never completed its handshake.
	 */
	if (shim->fd >= 0 && shim->main.consumer_map)
		ioctl(shim->fd, VIGIL_IOC_SUBSCRIBE, &none);
	shim_unmap_ring(&shim->lane, shim->hs.ring_page_size);
	shim_unmap_ring(&shim->main, shim->hs.ring_page_size);
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
