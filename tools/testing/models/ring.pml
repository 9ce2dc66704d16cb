/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ring.pml: a Promela model of the event ring (kmod/ring.c) and of the
 * broker that reads it (ubroker/common/ring_reader.c, ubroker/vigild/main.c),
 * for spin.  Run by scripts/models.sh; see Documentation/models.rst.
 *
 * What it proves, for every interleaving of two producers, the consumer,
 * the irq_work and the hrtimer:
 *
 *   (a) no record is overwritten before it is consumed (the assertion in
 *       the reservation), and the consumer never reads a record that is not
 *       whole and its own (the assertions in the consumer);
 *   (b) no wake-up is lost: when nothing can move any more (spin's
 *       "timeout": the producers done, no irq_work pending, no timer
 *       queued), the consumer, asleep in poll(2), has read everything (the
 *       monitor's assertions);
 *   (c) delivered + dropped == produced at that point, and <= at all times;
 *   and that the per-tag charges (tag_bytes[]) always equal the sizes of
 *   the tag's records from accounted_pos on (check_tags()), and never need
 *   the min() clamp of vigil_ring_account_consumed().
 *
 * Who is modelled, and by what C code:
 *
 *   producer(0)   kmod/emit.c:vigil_emit_end() with wake_now false:
 *                 vigil_ring_next_seq() (produced), then
 *                 kmod/ring.c:vigil_ring_output(): vigil_ring_reserve()
 *                 (vigil_ring_account_consumed(), vigil_ring_advance_pending(),
 *                 the room checks, vigil_ring_over_limit(), and
 *                 vigil_ring_count_drop() on the drop paths), the memcpy(),
 *                 vigil_ring_commit() -> vigil_ring_finish(..., false), which
 *                 queues the irq_work.  Two records of 3 units (header and 16
 *                 bytes), charged to a tag with a limit of 3 units
 *                 (kmod/source.c:vigil_source_charge()): the second is
 *                 refused (-EDQUOT, VIGIL_DROP_SOURCE_BUDGET) unless the first
 *                 was consumed and given back.
 *   producer(1)   two records of 7 units, no limit; each either
 *                 kmod/ring.c:vigil_ring_output_wake() (as vigil_emit_end()
 *                 with wake_now, kmod/shim.c:vigil_shim_notify() and
 *                 kmod/source.c:vigil_source_report_one() call it):
 *                 vigil_ring_finish(..., true), wake_up_all() at once; or a
 *                 reservation withdrawn with vigil_ring_discard(), which
 *                 exists (kmod/ring_test.c uses it) though no caller in kmod/
 *                 does today.  7 + 3 + 7 units do not fit in 15: the ring-full
 *                 drop (-ENOSPC, VIGIL_DROP_RING_FULL) happens too.
 *   irq_work()    kmod/ring.c:vigil_ring_wakeup_fn() with
 *                 vigil_ring_unconsumed() and vigil_ring_wake_notify(), run by
 *                 kernel/irq_work.c (irq_work_queue() claims PENDING unless
 *                 set; irq_work_single() clears it before the function runs).
 *   hrtimer()     kmod/ring.c:vigil_ring_timer_fn(), run by
 *                 kernel/time/hrtimer.c:__run_hrtimer().
 *   consumer()    vigild's loop, ubroker/vigild/main.c:serve(): drain() ->
 *                 ubroker/vigild/shim_client.c:vigil_shim_consume() ->
 *                 ubroker/common/ring_reader.c:vigil_ring_consume_max(); then
 *                 poll(2) on /dev/vigil: fs/select.c:do_poll() calling
 *                 kmod/device.c:vigil_dev_poll() -> kmod/ring.c:vigil_ring_poll()
 *                 (poll_wait(), smp_mb(), the positions), and
 *                 poll_schedule_timeout() until pollwake() sets "triggered".
 *   monitor()     not code: runs when nothing else can, and checks (b), (c).
 *
 * Abstractions:
 *
 * - Sequential consistency.  Every cross-thread access in ring.c and
 *   ring_reader.c is an acquire/release pair or is ordered by a full barrier
 *   (the xchg() of vigil_ring_finish() and the smp_mb() of vigil_ring_poll(),
 *   which order the store-buffering pattern of a producer committing and a
 *   consumer about to sleep), so the model interleaves whole accesses.
 * - Sizes in units of 8 bytes: a data area of N = 16 units (the quarter of
 *   vigil_ring_wakeup_fn() is 4 units).  Positions do not wrap around (they
 *   are unsigned long in C); the double mapping is "unit (pos + i) % N".
 *   VIGIL_RING_ACCOUNT_BATCH is 1, so that the "need" bound of
 *   vigil_ring_account_consumed() matters.  The tag of a record (its
 *   header's "reserved") is read from the ghost owner[].
 * - Steps: the section of vigil_ring_reserve() under ring->lock is one step
 *   (d_step), which makes the lock itself implicit: it serializes the
 *   producers, the consumer position is read once before it, and the one
 *   thing it reads that changes outside the lock, the BUSY bit, only
 *   clears.  vigil_ring_next_seq() is one step with the read of the
 *   consumer position that follows it.  The consumer reads a committed
 *   record, hands it on and stores its new position in one step: a
 *   committed record does not change until that store.
 * - Time: "now >= due" in vigil_ring_wakeup_fn() is a free choice; a queued
 *   timer may fire at any time.  vigild's poll(2) waits without a timeout
 *   (as it does without systemd's watchdog and clients); only this ring's
 *   waitqueue wakes it (vigil_dev_poll() also polls the AUTH lane, whose
 *   wake-ups can only help).
 * - Record contents: the record's number (data[]); owner[], consumed[],
 *   rpos[], rsize[], delivered are ghost state for the assertions.
 * - By default the timer callback is one step: hrtimer_active() is never
 *   seen true while vigil_ring_timer_fn() runs.  See HRTIMER_WINDOW.
 *
 * Variants (spin -DNAME):
 *
 *   HRTIMER_WINDOW       the timer callback as the hrtimer core runs it:
 *                        hrtimer_active() is true from before
 *                        vigil_ring_timer_fn() is called until after it
 *                        returns.
 *   HRTIMER_IS_QUEUED    vigil_ring_wakeup_fn() tests hrtimer_is_queued(),
 *                        as ring.c does (and hrtimer_start() during the
 *                        callback queues the timer again, as hrtimer
 *                        does).  scripts/models.sh always gives it: the
 *                        variant without it is ring.c as it was, testing
 *                        hrtimer_active(), and with HRTIMER_WINDOW it loses
 *                        a wake-up (Documentation/models.rst): the
 *                        callback's wake_up_all() is done, the consumer
 *                        reads, polls and sleeps, a record is committed at
 *                        its position, and vigil_ring_wakeup_fn(), neither
 *                        due nor a quarter full, finds the timer "active"
 *                        and does not start it; the callback returns, and
 *                        the consumer sleeps with the record unread.  (b)
 *                        fails.
 *   BROKEN_NO_BUSY       vigil_ring_reserve() writes the header without the
 *                        BUSY bit: the position is published before the
 *                        record is written and committed.  The consumer
 *                        reads a record not yet copied: (a) fails.
 *   BROKEN_NO_RECHECK    vigil_ring_poll() looks at the positions before
 *                        poll_wait() queues the consumer, which then sleeps
 *                        without looking again: a record committed in between
 *                        wakes nobody, and the consumer sleeps with it
 *                        unread: (b) fails.
 *   BROKEN_NO_ROOM_CHECK vigil_ring_reserve() checks neither the consumer's
 *                        nor the accounted position (only pending_pos): a
 *                        reservation overwrites a record not yet accounted
 *                        for, or not even consumed: the tag accounting
 *                        reads an overwritten header, or (a) fails.
 */

#define N		16	/* data units (8 bytes each) */
#define QUARTER		4	/* vigil_ring_data_size(ring) / 4 */
#define MASK		15	/* ring->mask, in units */
#define BATCH		1	/* VIGIL_RING_ACCOUNT_BATCH, scaled down */
#define NP		2	/* producers */
#define NREC		2	/* records per producer */
#define NR		5	/* record numbers 1..4, 0 is none */

#define BUSY		64	/* VIGIL_RING_BUSY */
#define DISCARD		32	/* VIGIL_RING_DISCARD */
#define LENMASK		31	/* VIGIL_RING_LEN_MASK: body units */

#define OK		0	/* vigil_ring_reserve() succeeded */
#define ENOSPC		1	/* VIGIL_DROP_RING_FULL */
#define EDQUOT		2	/* VIGIL_DROP_SOURCE_BUDGET */

#define WAKE		1	/* vigil_ring_finish(..., direct) */
#define DISCARDED	2	/* vigil_ring_discard() */

/* Timer states: queued (armed) and running are separate, as in hrtimer. */
bool t_queued;			/* HRTIMER_STATE_ENQUEUED */
bool t_running;			/* base->running == timer */

/* The shared pages. */
byte hdr[N];			/* vigil_ring_hdr.len at a record's first unit */
byte data[N];			/* the body: the record's number once copied */
byte cons_pos;			/* consumer page: vigil_ring_consumer.pos */
byte prod_pos;			/* producer page: vigil_ring_producer.pos */
byte produced;			/* vigil_ring_producer.produced */
byte dropped;			/* sum of vigil_ring_producer.dropped[] */

/* struct vigil_ring, the shim's side. */
byte pending_pos;
byte accounted_pos;
byte tag_bytes[NP];
bool irq_pending;		/* ring->wakeup: IRQ_WORK_PENDING */

/* The consumer's poll(2): its poll_table_entry on ring->waitq. */
bool registered;		/* queued on ring->waitq */
bool triggered;			/* poll_wqueues.triggered */

/* Ghost state. */
byte owner[N];			/* the record a unit belongs to */
bool consumed[NR];		/* the consumer moved past the record */
byte rpos[NR];			/* where the record was reserved */
byte rsize[NR];			/* its size in units, 0 if not reserved */
byte delivered;			/* records handed to vigild's handler */
byte pdone;			/* producers finished */

/* Scratch of d_step sequences only: not part of the state. */
hidden byte pos, n, sz, tg, t, sum, r, i, prod, new, hlen, rid;
hidden short need;

/* wake_up_all(&ring->waitq): pollwake() sets "triggered". */
inline wake_up_all()
{
	if
	:: registered -> triggered = true
	:: else -> skip
	fi
}

/*
 * vigil_ring_account_consumed(ring, cons, prod, need), lock held.
 * @c, @p are positions; @need may be negative (unsigned wrap in C: the
 * (long) cast makes it "before" everything).
 */
inline account_consumed(c, p, need)
{
	pos = accounted_pos;
	n = 0;
	if
	:: c - pos > p - pos -> skip
	:: else ->
		do
		:: pos != c && (n < BATCH || need - pos >= 0) ->
			sz = 1 + (hdr[pos % N] & LENMASK);
			tg = (owner[pos % N] - 1) / NREC;	/* hdr->reserved */
			if
			:: sz > c - pos -> break
			:: else ->
				/* the min() clamp is never needed */
				assert(tag_bytes[tg] >= sz);
				tag_bytes[tg] = tag_bytes[tg] - sz;
				pos = pos + sz;
				n++
			fi
		:: else -> break
		od;
		accounted_pos = pos
	fi
}

/* vigil_ring_advance_pending(ring, prod), lock held. */
inline advance_pending(p)
{
	pos = pending_pos;
	do
	:: pos != p && !(hdr[pos % N] & BUSY) ->
		pos = pos + 1 + (hdr[pos % N] & LENMASK)
	:: else -> break
	od;
	pending_pos = pos
}

/* tag_bytes[t] is what tag t has reserved from accounted_pos on. */
inline check_tags()
{
	t = 0;
	do
	:: t < NP ->
		sum = 0;
		r = 1;
		do
		:: r < NR ->
			if
			:: rsize[r] && (r - 1) / NREC == t &&
			   rpos[r] >= accounted_pos ->
				sum = sum + rsize[r]
			:: else -> skip
			fi;
			r++
		:: else -> break
		od;
		assert(tag_bytes[t] == sum);
		t++
	:: else -> break
	od
}

proctype producer(byte p)
{
	byte k, id, c, res, how;

	for (k : 0 .. NREC - 1) {
		/*
		 * vigil_emit_end(): vigil_ring_next_seq(); then
		 * vigil_ring_reserve(): the consumer position, before the lock.
		 */
		atomic {
			id = p * NREC + k + 1;
			produced++;
			c = cons_pos
		}
		/* vigil_ring_reserve(): the section under ring->lock */
		d_step {
			prod = prod_pos;
			new = prod + 3 + 4 * p;		/* 3 units, or 7 */
			need = new - N;
			account_consumed(c, prod, need);
			advance_pending(prod);
			res = OK;
			/* Never over a record being written, nor one not accounted for. */
#ifndef BROKEN_NO_ROOM_CHECK
			if
			:: new - c > MASK || new - pending_pos > MASK ||
			   new - accounted_pos > MASK -> res = ENOSPC
			:: else -> skip
			fi;
#else
			if
			:: new - pending_pos > MASK -> res = ENOSPC
			:: else -> skip
			fi;
#endif
			/* vigil_ring_over_limit(): only tag 0 has a limit, 3 units */
			if
			:: res == OK && p == 0 && tag_bytes[0] + 3 > 3 ->
				res = EDQUOT
			:: else -> skip
			fi;
			if
			:: res == OK ->
				/* (a): nothing overwritten before it is consumed */
				i = 0;
				do
				:: i < new - prod ->
					assert(owner[(prod + i) % N] == 0 ||
					       consumed[owner[(prod + i) % N]]);
					owner[(prod + i) % N] = id;
					data[(prod + i) % N] = 0;
					i++
				:: else -> break
				od;
#ifndef BROKEN_NO_BUSY
				hdr[prod % N] = (new - prod - 1) | BUSY;
#else
				hdr[prod % N] = new - prod - 1;
#endif
				tag_bytes[p] = tag_bytes[p] + new - prod;
				rpos[id] = prod;
				rsize[id] = new - prod;
				check_tags();
				/* smp_store_release(&producer->pos, new) */
				prod_pos = new
			:: else -> skip
			fi;
			c = 0
		}
		if
		:: res != OK ->
			/* vigil_ring_count_drop(): RING_FULL or SOURCE_BUDGET */
			d_step { dropped++; res = 0 }
			goto next
		:: else -> skip
		fi;
		/* memcpy(dst, rec, size) */
		d_step {
			i = 1;
			do
			:: i < rsize[id] -> data[(rpos[id] + i) % N] = id; i++
			:: else -> break
			od
		}
		/* vigil_ring_finish(): the xchg() clearing BUSY */
		if
		:: p == 0 ->
			/* vigil_ring_commit() */
			hdr[rpos[id] % N] = hdr[rpos[id] % N] & ~BUSY
		:: p == 1 ->
			/* vigil_ring_output_wake() */
			atomic {
				hdr[rpos[id] % N] = hdr[rpos[id] % N] & ~BUSY;
				how = WAKE
			}
		:: p == 1 ->
			/* vigil_ring_discard(): BUSY off, DISCARD on */
			atomic {
				hdr[rpos[id] % N] = (hdr[rpos[id] % N] & ~BUSY) | DISCARD;
				how = DISCARDED
			}
		fi;
		/*
		 * The consumer position, after the full barrier; then the
		 * wake-up, if the consumer waits for this very record: at once,
		 * or by irq_work_queue() (which sets PENDING unless set).
		 */
		if
		:: atomic { cons_pos % N != rpos[id] % N && how != WAKE ->
			how = (how == DISCARDED -> DISCARDED : 0) }
		:: atomic { cons_pos % N != rpos[id] % N && how == WAKE ->
			how = 0 }
		:: atomic { cons_pos % N == rpos[id] % N && how == WAKE ->
			wake_up_all(); how = 0 }
		:: atomic { cons_pos % N == rpos[id] % N && how != WAKE ->
			irq_pending = true }
		fi;
		/* vigil_ring_discard(): vigil_ring_count_drop(DISCARDED) */
		if
		:: how == DISCARDED -> d_step { dropped++; how = 0 }
		:: else -> skip
		fi;
next:
		skip
	}
	skip;
	d_step { pdone++; id = 0 }
}

/* vigil_ring_wakeup_fn(), run by the irq_work core. */
proctype irq_work()
{
end:
	do
	:: atomic { irq_pending -> irq_pending = false }
		if
		:: true ->
			/* now >= due: vigil_ring_wake_notify() */
			atomic { wake_up_all() }
		:: true ->
			/* now < due: a quarter of the ring full? */
			if
			:: prod_pos - cons_pos >= QUARTER ->
				atomic { wake_up_all() }
			:: else ->
				atomic {
#if defined(HRTIMER_IS_QUEUED)
					/* !hrtimer_is_queued() */
					if
					:: !t_queued -> t_queued = true
					:: else -> skip
					fi
#else
					/* !hrtimer_active() */
					if
					:: !t_queued && !t_running ->
						t_queued = true
					:: else -> skip
					fi
#endif
				}
			fi
		fi
	od
}

/* vigil_ring_timer_fn(), run by kernel/time/hrtimer.c:__run_hrtimer(). */
proctype hrtimer()
{
end:
	do
#ifdef HRTIMER_WINDOW
	:: atomic { t_queued -> t_queued = false; t_running = true }
		/* vigil_ring_wake_notify() */
		atomic { wake_up_all() }
		/* returns HRTIMER_NORESTART; base->running = NULL */
		t_running = false
#else
	:: atomic { t_queued -> t_queued = false; wake_up_all() }
#endif
	od
}

/* vigild: drain(), then poll(2), forever. */
proctype consumer()
{
	byte p;
	bool busy;

	do
	::
		/* vigil_ring_consume_max(): the producer position, once */
		p = prod_pos;
		do
		:: cons_pos < p && !busy ->
			/*
			 * The header (acquire); if committed, the record, the
			 * handler, and the store-release of the position: one
			 * step, as a committed record is immutable until then.
			 */
			d_step {
				hlen = hdr[cons_pos % N];
				if
				:: hlen & BUSY -> busy = true
				:: else ->
					sz = 1 + (hlen & LENMASK);
					assert(sz <= p - cons_pos);	/* no -EPROTO */
					rid = owner[cons_pos % N];
					/* (a): the record is whole, and its own */
					i = 1;
					do
					:: i < sz ->
						assert(owner[(cons_pos + i) % N] == rid);
						if
						:: !(hlen & DISCARD) ->
							assert(data[(cons_pos + i) % N] == rid)
						:: else -> skip
						fi;
						i++
					:: else -> break
					od;
					if
					:: !(hlen & DISCARD) -> delivered++
					:: else -> skip
					fi;
					assert(delivered + dropped <= produced);
					cons_pos = cons_pos + sz;
					consumed[rid] = true
				fi
			}
		:: else -> break
		od;
		skip;

		/*
		 * poll(2): poll_initwait(), then do_poll() calling
		 * vigil_ring_poll(): poll_wait() queues us, smp_mb(), the
		 * positions; if none, poll_schedule_timeout() until pollwake().
		 */
#ifndef BROKEN_NO_RECHECK
		d_step { p = 0; busy = false; triggered = false; registered = true }
		do
		:: prod_pos != cons_pos -> break	/* EPOLLIN */
		:: else ->
end_sleep:
			atomic { triggered -> triggered = false }
		od;
#else
		/* The positions first, queued after, no second look: */
		d_step { p = 0; busy = false; triggered = false }
		if
		:: prod_pos != cons_pos -> skip
		:: else ->
			registered = true;
end_sleep2:
			atomic { triggered -> triggered = false }
		fi;
#endif
		/* poll_freewait() */
		registered = false
	od
}

/* Nothing can move any more: check (b) and (c). */
proctype monitor()
{
	timeout;
	d_step {
		assert(pdone == NP);
		/* (b): asleep, with nothing unread */
		assert(cons_pos == prod_pos);
		/* (c) */
		assert(delivered + dropped == produced);
		r = 1;
		do
		:: r < NR -> assert(rsize[r] == 0 || consumed[r]); r++
		:: else -> break
		od
	}
}

init
{
	atomic {
		run producer(0);
		run producer(1);
		run consumer();
		run irq_work();
		run hrtimer();
		run monitor()
	}
}
