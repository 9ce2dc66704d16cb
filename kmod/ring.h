/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event ring: a bounded, mmap'd, multi-producer single-consumer ring,
 * two per broker session (the ring and the AUTH lane), modelled on
 * kernel/bpf/ringbuf.c.
 */
#ifndef _VIGIL_RING_H
#define _VIGIL_RING_H

#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/vigil.h>

struct vm_area_struct;

/* Smallest and largest data area a ring may have. */
#define VIGIL_RING_MIN_SIZE	(64UL << 10)
#define VIGIL_RING_MAX_SIZE	(64UL << 20)

/*
 * A consumer that caught up is woken at most once per this interval for
 * NOTIFY records: at once if its last wake-up is older, else when the
 * interval is up, or at once if a quarter of the ring fills first.  A
 * lone record costs no latency; a storm costs 100 wake-ups a second, not
 * one a record.  AUTH records, whose callers wait, always wake it at once
 * (vigil_ring_output_wake()).
 */
#define VIGIL_RING_WAKE_INTERVAL_NS	(10 * NSEC_PER_MSEC)

/* Number of VIGIL_DROP_* causes the shim uses today. */
#define VIGIL_DROP_CAUSES	6

/*
 * Records are charged to tags (the sources of source.c), each with bytes
 * in flight in the ring: reserved and not yet consumed.  The tag is in
 * the record's header (vigil_ring_hdr.reserved).
 */
#define VIGIL_RING_TAGS		64

/* Records whose room a reservation gives back at most, to bound its time. */
#define VIGIL_RING_ACCOUNT_BATCH	256

/* Whom a record is charged to, and how much of the ring they may hold. */
struct vigil_ring_charge {
	u32 tag;		/* < VIGIL_RING_TAGS */
	u32 limit;		/* bytes the tag may have in flight; 0: no limit */
};

/*
 * The AUTH lane's data area.  It holds AUTH records, at most one per
 * waiter (auth_max_waiters), and the watchdog's: a few hundred bytes
 * each, so that 1 MiB leaves room for thousands.
 */
#define VIGIL_AUTH_RING_SIZE	(1UL << 20)

/*
 * mmap page offsets, within a ring; see the ring section of
 * <linux/vigil.h>.  The AUTH lane's are VIGIL_RING_PGOFF_LANE further on.
 */
#define VIGIL_RING_PGOFF_CONSUMER	0
#define VIGIL_RING_PGOFF_PRODUCER	1
#define VIGIL_RING_META_PAGES		2
#define VIGIL_RING_PGOFF_LANE		16

struct vigil_ring {
	void *base;				/* vmap of all pages */
	struct vigil_ring_consumer *consumer;	/* first page, user-writable */
	struct vigil_ring_producer *producer;	/* second page, read-only */
	void *data;				/* data pages, mapped twice */
	unsigned long mask;			/* data size - 1 */
	unsigned long pending_pos;		/* oldest record maybe BUSY */
	unsigned long accounted_pos;		/* records before: given back */
	u32 tag_bytes[VIGIL_RING_TAGS];		/* in flight, per tag */
	raw_spinlock_t lock;			/* serializes producers */
	wait_queue_head_t waitq;		/* the consumer's poll(2) */
	struct irq_work wakeup;			/* wakes waitq from any context */
	struct hrtimer wake_timer;		/* the delayed wake-up */
	u64 last_wake_ns;			/* of the last NOTIFY wake-up */
	struct page **pages;
	unsigned int nr_pages;			/* distinct pages allocated */
};

bool vigil_ring_size_valid(unsigned long data_size);
struct vigil_ring *vigil_ring_create(unsigned long data_size);
void vigil_ring_destroy(struct vigil_ring *ring);

u64 vigil_ring_next_seq(struct vigil_ring *ring);
void vigil_ring_count_drop(struct vigil_ring *ring, unsigned int cause);
void vigil_ring_positions(struct vigil_ring *ring, u64 *consumed,
			  u64 *produced);
void *vigil_ring_reserve(struct vigil_ring *ring, u32 size,
			 const struct vigil_ring_charge *charge, int *err);
void vigil_ring_commit(struct vigil_ring *ring, void *rec);
void vigil_ring_discard(struct vigil_ring *ring, void *rec);
int vigil_ring_output(struct vigil_ring *ring, const void *rec, u32 size,
		      const struct vigil_ring_charge *charge);
int vigil_ring_output_wake(struct vigil_ring *ring, const void *rec, u32 size,
			   const struct vigil_ring_charge *charge);
u32 vigil_ring_tag_bytes(struct vigil_ring *ring, u32 tag);

int vigil_ring_mmap(struct vigil_ring *ring, struct vm_area_struct *vma,
		    unsigned long pgoff);
__poll_t vigil_ring_poll(struct vigil_ring *ring, struct file *file,
			 poll_table *wait);

static inline unsigned long vigil_ring_data_size(const struct vigil_ring *ring)
{
	return ring->mask + 1;
}

#endif /* _VIGIL_RING_H */
