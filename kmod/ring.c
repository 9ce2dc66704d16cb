// SPDX-License-Identifier: GPL-2.0
/*
 * The event ring.
 *
 * Layout, in one vmap() area:
 *
 *   | consumer page | producer page | data pages | the same data pages |
 *
 * The data pages are mapped twice, so a record that wraps around the end
 * of the data area is contiguous both for the shim and for the broker.
 * Producers (hooks, any context but NMI) reserve space under a raw
 * spinlock, write the record with the BUSY bit set in its header, then
 * commit it by clearing the bit.  The single consumer (the broker) reads
 * committed records and publishes how far it got in the consumer page.
 */

#include <linux/atomic.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "fault.h"
#include "ring.h"

bool vigil_ring_size_valid(unsigned long data_size)
{
	return is_power_of_2(data_size) && data_size >= VIGIL_RING_MIN_SIZE &&
	       data_size <= VIGIL_RING_MAX_SIZE && PAGE_ALIGNED(data_size);
}

/* Bytes the consumer has not consumed yet. */
static unsigned long vigil_ring_unconsumed(struct vigil_ring *ring)
{
	/* Pairs with the consumer's store-release of its position. */
	u64 cons = smp_load_acquire(&ring->consumer->pos);
	u64 prod = READ_ONCE(ring->producer->pos);

	return prod > cons ? prod - cons : 0;
}

/* Wake the consumer for NOTIFY records, and remember when. */
static void vigil_ring_wake_notify(struct vigil_ring *ring, u64 now)
{
	/* Read by the other wake-up path; a race costs one extra wake-up. */
	WRITE_ONCE(ring->last_wake_ns, now);
	wake_up_all(&ring->waitq);
}

/*
 * A record the consumer waits for was committed: wake it now if it was
 * not woken within VIGIL_RING_WAKE_INTERVAL_NS or the ring is filling up;
 * else when the interval is up, unless the timer is queued already (it
 * will see this record too).  Not hrtimer_active(), which is true while
 * the callback runs, after its wake-up: the consumer could sleep again
 * before this record, and nothing would wake it (tools/testing/models/
 * ring.pml found it).  Hard IRQ context, from irq_work.
 */
static void vigil_ring_wakeup_fn(struct irq_work *work)
{
	struct vigil_ring *ring = container_of(work, struct vigil_ring, wakeup);
	u64 now = ktime_get_ns();
	u64 due = READ_ONCE(ring->last_wake_ns) + VIGIL_RING_WAKE_INTERVAL_NS;

	if (now >= due ||
	    vigil_ring_unconsumed(ring) >= vigil_ring_data_size(ring) / 4) {
		vigil_ring_wake_notify(ring, now);
		return;
	}
	if (!hrtimer_is_queued(&ring->wake_timer))
		hrtimer_start(&ring->wake_timer, ns_to_ktime(due - now),
			      HRTIMER_MODE_REL);
}

static enum hrtimer_restart vigil_ring_timer_fn(struct hrtimer *timer)
{
	struct vigil_ring *ring = container_of(timer, struct vigil_ring, wake_timer);

	vigil_ring_wake_notify(ring, ktime_get_ns());
	return HRTIMER_NORESTART;
}

static void vigil_ring_free_pages(struct vigil_ring *ring)
{
	unsigned int i;

	for (i = 0; i < ring->nr_pages; i++)
		__free_page(ring->pages[i]);
	kvfree(ring->pages);
}

static int vigil_ring_alloc_pages(struct vigil_ring *ring,
				  unsigned int nr_data)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN;
	unsigned int nr_meta = VIGIL_RING_META_PAGES;
	unsigned int i;

	/* A failure is the handshake's ENOMEM, not a log line. */
	ring->pages = kvcalloc(nr_meta + 2 * nr_data, sizeof(*ring->pages),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!ring->pages)
		return -ENOMEM;

	for (i = 0; i < nr_meta + nr_data; i++) {
		struct page *page = alloc_page(gfp);

		if (!page) {
			vigil_ring_free_pages(ring);
			return -ENOMEM;
		}
		ring->pages[i] = page;
		ring->nr_pages = i + 1;
		if (i >= nr_meta)
			ring->pages[nr_data + i] = page;
	}
	return 0;
}

/**
 * vigil_ring_create() - allocate a ring
 * @data_size: size of the data area; vigil_ring_size_valid() must hold
 *
 * Return: the ring, or an ERR_PTR(): -EINVAL for a bad size, -ENOMEM.
 */
struct vigil_ring *vigil_ring_create(unsigned long data_size)
{
	unsigned int nr_data = data_size >> PAGE_SHIFT;
	struct vigil_ring *ring;
	int err;

	if (!vigil_ring_size_valid(data_size))
		return ERR_PTR(-EINVAL);

	ring = kzalloc(sizeof(*ring), GFP_KERNEL_ACCOUNT);
	if (!ring)
		return ERR_PTR(-ENOMEM);

	err = vigil_ring_alloc_pages(ring, nr_data);
	if (err)
		goto err_free_ring;

	ring->base = vmap(ring->pages, VIGIL_RING_META_PAGES + 2 * nr_data,
			  VM_MAP | VM_USERMAP, PAGE_KERNEL);
	if (!ring->base) {
		err = -ENOMEM;
		goto err_free_pages;
	}

	ring->consumer = ring->base;
	ring->producer = ring->base + PAGE_SIZE;
	ring->data = ring->base + VIGIL_RING_META_PAGES * PAGE_SIZE;
	ring->mask = data_size - 1;
	raw_spin_lock_init(&ring->lock);
	init_waitqueue_head(&ring->waitq);
	init_irq_work(&ring->wakeup, vigil_ring_wakeup_fn);
	hrtimer_init(&ring->wake_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	ring->wake_timer.function = vigil_ring_timer_fn;
	return ring;

err_free_pages:
	vigil_ring_free_pages(ring);
err_free_ring:
	kfree(ring);
	return ERR_PTR(err);
}

/*
 * The caller guarantees that no producer can still reach @ring.  Pages the
 * broker still has mapped stay alive through the references its mapping
 * holds.
 */
void vigil_ring_destroy(struct vigil_ring *ring)
{
	if (!ring)
		return;
	/* The irq_work may start the timer: wait for it, then cancel that. */
	irq_work_sync(&ring->wakeup);
	hrtimer_cancel(&ring->wake_timer);
	vunmap(ring->base);
	vigil_ring_free_pages(ring);
	kfree(ring);
}

/*
 * The counters live in the read-only producer page as __u64, so that the
 * broker reads them without a system call; the shim updates them as
 * atomic64_t, which has the same size and layout.
 */
static atomic64_t *vigil_ring_counter(__u64 *counter)
{
	BUILD_BUG_ON(sizeof(atomic64_t) != sizeof(*counter));
	return (atomic64_t *)counter;
}

/* Give the next event a sequence number; it is now "produced". */
u64 vigil_ring_next_seq(struct vigil_ring *ring)
{
	return atomic64_inc_return(vigil_ring_counter(&ring->producer->produced));
}

void vigil_ring_count_drop(struct vigil_ring *ring, unsigned int cause)
{
	BUILD_BUG_ON(VIGIL_DROP_CAUSES > VIGIL_DROP_SLOTS);
	if (VIGIL_BUG_ON(cause >= VIGIL_DROP_CAUSES))
		cause = VIGIL_DROP_INTERNAL;
	atomic64_inc(vigil_ring_counter(&ring->producer->dropped[cause]));
}

/*
 * Where the broker has consumed up to, and the shim produced up to: for
 * the heartbeat, which only compares them with their earlier values.
 */
void vigil_ring_positions(struct vigil_ring *ring, u64 *consumed,
			  u64 *produced)
{
	/* The broker writes it at will: only ever compared. */
	*consumed = READ_ONCE(ring->consumer->pos);
	/* Pairs with the store-release in vigil_ring_reserve(). */
	*produced = smp_load_acquire(&ring->producer->pos);
}

static struct vigil_ring_hdr *vigil_ring_hdr_at(struct vigil_ring *ring,
						unsigned long pos)
{
	return ring->data + (pos & ring->mask);
}

/*
 * Move pending_pos past records that are already committed, so that the
 * check in vigil_ring_reserve() keeps a record that is still being written
 * from being overwritten, even by a consumer that skipped ahead of it.
 * Caller holds ring->lock.
 */
static unsigned long vigil_ring_advance_pending(struct vigil_ring *ring,
						unsigned long prod_pos)
{
	unsigned long pend_pos = ring->pending_pos;

	while (pend_pos != prod_pos) {
		u32 len = READ_ONCE(vigil_ring_hdr_at(ring, pend_pos)->len);

		if (len & VIGIL_RING_BUSY)
			break;
		pend_pos += VIGIL_RING_RECORD_SIZE(len);
	}
	ring->pending_pos = pend_pos;
	return pend_pos;
}

/*
 * Give the tags back the room of the records the consumer has passed:
 * VIGIL_RING_ACCOUNT_BATCH of them, and more if need be to get past @need,
 * the first position the next record would overwrite.  Caller holds
 * ring->lock, under which alone headers are written; reservations never
 * overwrite a record not accounted for (vigil_ring_reserve() checks), so
 * the headers read here are still the records' own.  A consumer position
 * that is not between the accounted one and the producer's, or that falls
 * inside a record, gives back nothing more: a broker that writes nonsense
 * there only makes its own ring look fuller.
 */
static void vigil_ring_account_consumed(struct vigil_ring *ring,
					unsigned long cons_pos,
					unsigned long prod_pos,
					unsigned long need)
{
	unsigned long pos = ring->accounted_pos;
	unsigned int n;

	if (cons_pos - pos > prod_pos - pos)
		return;
	for (n = 0; pos != cons_pos &&
	     (n < VIGIL_RING_ACCOUNT_BATCH || (long)(need - pos) >= 0); n++) {
		const struct vigil_ring_hdr *hdr = vigil_ring_hdr_at(ring, pos);
		u32 size = VIGIL_RING_RECORD_SIZE(READ_ONCE(hdr->len));
		u32 tag = READ_ONCE(hdr->reserved);

		if (size > cons_pos - pos)
			break;
		if (tag < VIGIL_RING_TAGS)
			ring->tag_bytes[tag] -= min(size, ring->tag_bytes[tag]);
		pos += size;
	}
	ring->accounted_pos = pos;
}

/* Would @len more bytes take @charge's tag past its limit?  Lock held. */
static bool vigil_ring_over_limit(const struct vigil_ring *ring,
				  const struct vigil_ring_charge *charge, u32 len)
{
	return charge->limit && ring->tag_bytes[charge->tag] + len > charge->limit;
}

/**
 * vigil_ring_reserve() - reserve room for a record of @size bytes
 * @ring: the ring
 * @size: length of the record, without the ring header
 * @charge: whom to charge it to, and their limit
 * @err: set to the error when NULL is returned
 *
 * Context: any but NMI.  The record must be committed or discarded soon:
 * until then it holds up the consumer.
 * Return: where to write the record, or NULL with *@err -ENOSPC if it does
 * not fit (counted as VIGIL_DROP_RING_FULL), -EDQUOT if it would take its
 * tag past its limit (counted as VIGIL_DROP_SOURCE_BUDGET).
 */
void *vigil_ring_reserve(struct vigil_ring *ring, u32 size,
			 const struct vigil_ring_charge *charge, int *err)
{
	unsigned long cons_pos, prod_pos, pend_pos, new_pos, flags;
	struct vigil_ring_hdr *hdr;
	u32 len;

	*err = -ENOSPC;
	if (VIGIL_BUG_ON(!size || size > VIGIL_RING_LEN_MASK ||
			 charge->tag >= VIGIL_RING_TAGS))
		goto drop;
	len = VIGIL_RING_RECORD_SIZE(size);

	/* Pairs with the consumer's store-release of its position. */
	cons_pos = smp_load_acquire(&ring->consumer->pos);

	/* Protects producer->pos, pending_pos, the tags and the header we write. */
	raw_spin_lock_irqsave(&ring->lock, flags);
	prod_pos = ring->producer->pos;
	new_pos = prod_pos + len;
	vigil_ring_account_consumed(ring, cons_pos, prod_pos,
				    new_pos - vigil_ring_data_size(ring));
	pend_pos = vigil_ring_advance_pending(ring, prod_pos);
	/* Never over a record being written, nor one not accounted for. */
	if (new_pos - cons_pos > ring->mask || new_pos - pend_pos > ring->mask ||
	    new_pos - ring->accounted_pos > ring->mask)
		goto drop_unlock;
	/* Room in the ring, but not in the share of whom it is charged to. */
	if (vigil_ring_over_limit(ring, charge, len)) {
		*err = -EDQUOT;
		goto drop_unlock;
	}

	hdr = vigil_ring_hdr_at(ring, prod_pos);
	hdr->len = size | VIGIL_RING_BUSY;
	hdr->reserved = charge->tag;
	ring->tag_bytes[charge->tag] += len;
	/* Pairs with the consumer's load-acquire: the BUSY header comes first. */
	smp_store_release(&ring->producer->pos, new_pos);
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	return hdr + 1;

drop_unlock:
	raw_spin_unlock_irqrestore(&ring->lock, flags);
drop:
	vigil_ring_count_drop(ring, *err == -EDQUOT ? VIGIL_DROP_SOURCE_BUDGET :
						      VIGIL_DROP_RING_FULL);
	return NULL;
}

/* Bytes @tag has in flight now, as far as the last reservation counted. */
u32 vigil_ring_tag_bytes(struct vigil_ring *ring, u32 tag)
{
	unsigned long flags;
	u32 bytes;

	/* tag_bytes[] changes under the lock only. */
	raw_spin_lock_irqsave(&ring->lock, flags);
	bytes = ring->tag_bytes[tag];
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	return bytes;
}

/*
 * Commit or discard: clear BUSY, ORing @set into the length, and wake a
 * consumer that is waiting for this very record: at once if @direct (the
 * caller holds no lock a wake-up could need), else through irq_work.
 */
static void vigil_ring_finish(struct vigil_ring *ring, void *rec, u32 set,
			      bool direct)
{
	struct vigil_ring_hdr *hdr = (struct vigil_ring_hdr *)rec - 1;
	unsigned long rec_pos = (void *)hdr - ring->data;
	unsigned long cons_pos;

	/*
	 * Full barrier.  Publishes the record before its length, pairing with
	 * the consumer's load-acquire of len; and orders this store before the
	 * load of the consumer position below, pairing with the smp_mb() in
	 * vigil_ring_poll(), so that a consumer about to sleep is woken.
	 */
	xchg(&hdr->len, (hdr->len & ~VIGIL_RING_BUSY) | set);

	/* Pairs with the consumer's store-release of its position. */
	cons_pos = smp_load_acquire(&ring->consumer->pos) & ring->mask;
	if (cons_pos != rec_pos)
		return;
	if (direct)
		wake_up_all(&ring->waitq);
	else
		irq_work_queue(&ring->wakeup);
}

/* Hand a reserved record to the consumer. */
void vigil_ring_commit(struct vigil_ring *ring, void *rec)
{
	vigil_ring_finish(ring, rec, 0, false);
}

/* Withdraw a reserved record; the consumer skips it, the drop is counted. */
void vigil_ring_discard(struct vigil_ring *ring, void *rec)
{
	vigil_ring_finish(ring, rec, VIGIL_RING_DISCARD, false);
	vigil_ring_count_drop(ring, VIGIL_DROP_DISCARDED);
}

/**
 * vigil_ring_output() - copy a finished record into the ring
 * @ring: the ring
 * @rec: the record
 * @size: its length
 * @charge: whom to charge it to
 *
 * Return: 0; -ENOSPC if the ring is full, -EDQUOT if the tag is at its
 * limit (the drop is counted).
 */
int vigil_ring_output(struct vigil_ring *ring, const void *rec, u32 size,
		      const struct vigil_ring_charge *charge)
{
	int err;
	void *dst = vigil_ring_reserve(ring, size, charge, &err);

	if (!dst)
		return err;
	memcpy(dst, rec, size);
	vigil_ring_commit(ring, dst);
	return 0;
}

/*
 * The same, waking the consumer at once rather than through irq_work: for
 * callers in process context that hold no scheduler or wait-queue lock,
 * to whom a verdict is urgent (AUTH events).
 */
int vigil_ring_output_wake(struct vigil_ring *ring, const void *rec, u32 size,
			   const struct vigil_ring_charge *charge)
{
	int err;
	void *dst = vigil_ring_reserve(ring, size, charge, &err);

	if (!dst)
		return err;
	memcpy(dst, rec, size);
	vigil_ring_finish(ring, dst, 0, true);
	return 0;
}

static int vigil_ring_mmap_check(struct vigil_ring *ring,
				 struct vm_area_struct *vma, unsigned long pgoff)
{
	unsigned long len = vma->vm_end - vma->vm_start;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	switch (pgoff) {
	case VIGIL_RING_PGOFF_CONSUMER:
		if (len != PAGE_SIZE)
			return -EINVAL;
		break;
	case VIGIL_RING_PGOFF_PRODUCER:
		if (len != PAGE_SIZE + 2 * vigil_ring_data_size(ring))
			return -EINVAL;
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		break;
	default:
		return -EINVAL;
	}
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	return 0;
}

/**
 * vigil_ring_mmap() - map the consumer page, or the producer page and data
 * @ring: the ring
 * @vma: the mapping requested
 * @pgoff: its page offset within the ring: VIGIL_RING_PGOFF_*
 *
 * Return: 0; -EINVAL for another offset or length, or a private mapping;
 * -EPERM for an executable mapping, or a writable one past the consumer
 * page.  A refused request changes nothing.
 */
int vigil_ring_mmap(struct vigil_ring *ring, struct vm_area_struct *vma,
		    unsigned long pgoff)
{
	int err = vigil_ring_mmap_check(ring, vma, pgoff);

	if (err)
		return err;
	if (pgoff != VIGIL_RING_PGOFF_CONSUMER)
		vm_flags_clear(vma, VM_MAYWRITE);
	vm_flags_clear(vma, VM_MAYEXEC);
	/*
	 * Not inherited by fork: a child would hold the session's file
	 * through its mapping, out of the broker's reach, until its exec;
	 * and an exec waiting for the broker would then keep the broker's
	 * close from releasing it.
	 */
	vm_flags_set(vma, VM_DONTCOPY);
	return remap_vmalloc_range(vma, ring->base, pgoff);
}

__poll_t vigil_ring_poll(struct vigil_ring *ring, struct file *file,
			 poll_table *wait)
{
	unsigned long cons_pos, prod_pos;

	poll_wait(file, &ring->waitq, wait);
	/* Pairs with the xchg() in vigil_ring_finish(). */
	smp_mb();
	/* Pairs with the consumer's store-release of its position. */
	cons_pos = smp_load_acquire(&ring->consumer->pos);
	/* Pairs with the store-release in vigil_ring_reserve(). */
	prod_pos = smp_load_acquire(&ring->producer->pos);
	return cons_pos != prod_pos ? EPOLLIN | EPOLLRDNORM : 0;
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "ring_test.c"
#endif
