// SPDX-License-Identifier: GPL-2.0
/*
 * AUTH events.
 *
 * A hook describes its event in a struct vigil_auth_call and calls
 * vigil_auth_decide() from a context that may sleep.  The decision, in
 * order, cheapest first:
 *
 *   not subscribed             allow, uncounted
 *   the broker itself          allow at once
 *   muted process              allow
 *   cached verdict             that verdict
 *   a holder of the session's file (a child that inherited the broker's
 *   descriptor)                allow at once: it must never wait on the
 *                              broker, which may be waiting on it
 *   the watchdog degraded      the type's miss verdict, at once
 *   otherwise                  a record to the AUTH lane, and a wait,
 *                              killable, until the verdict or the
 *                              deadline; without a verdict, the type's
 *                              miss verdict
 *
 * Every wait is bounded: by the deadline, by the number of waiters (past
 * which the miss verdict applies at once), and by the session (closing it
 * releases every waiter with the miss verdict).  Each source (a uid) may
 * have source_max_waiters waiting: more wait for a place, for half their
 * deadline at most, and one that finds none is denied (over budget), so
 * that one user's flood of execs neither fills the bound for everyone nor
 * gets through unasked.
 *
 * The session is published for these hooks under RCU for the quick part
 * (everything up to the cache) and SRCU for the part that sleeps; closing
 * it waits for both after releasing the sleepers.
 */

#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/iversion.h>
#include <linux/jiffies.h>
#include <linux/kdev_t.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/srcu.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>

#include "auth.h"
#include "emit.h"
#include "fault.h"
#include "params.h"
#include "pending.h"
#include "session.h"
#include "source.h"
#include "vcache.h"

DEFINE_STATIC_SRCU(vigil_auth_srcu);

/*
 * How often an event waiting for its source's place looks again anyway: a
 * closing session wakes them all (vigil_sources_wake_all()), and a place
 * given back wakes one, so this only bounds what a lost wake-up costs.
 * Hundreds of waiters each looking every 10 ms were load enough, under
 * emulation, to make the broker miss deadlines.
 */
#define VIGIL_AUTH_SLOT_LOOK_MS	100

/* The connected broker's session, for AUTH hooks; NULL without one. */
static struct vigil_session __rcu *vigil_auth_session;

void vigil_auth_start(struct vigil_session *s)
{
	/* Pairs with rcu_dereference() and srcu_dereference() below. */
	rcu_assign_pointer(vigil_auth_session, s);
}

struct vigil_auth_counters __percpu *vigil_auth_counters_alloc(void)
{
	/* A failure is the handshake's ENOMEM, not a log line. */
	return __alloc_percpu_gfp(VIGIL_AUTH_TYPES *
				  sizeof(struct vigil_auth_counters),
				  __alignof__(struct vigil_auth_counters),
				  GFP_KERNEL | __GFP_NOWARN);
}

/* On return no AUTH hook uses the session any more. */
void vigil_auth_stop(void)
{
	RCU_INIT_POINTER(vigil_auth_session, NULL);
	/* Waits for the quick part of vigil_auth_decide(), under RCU... */
	synchronize_rcu();
	/* ...and for the part that asks and sleeps, under SRCU. */
	synchronize_srcu(&vigil_auth_srcu);
}

u64 vigil_deadline_after(u64 now_ns, u32 ms)
{
	return now_ns + (u64)ms * NSEC_PER_MSEC;
}

/*
 * Jiffies left until @deadline_ns, rounded up so that a waiter never
 * gives up early: 0 once the deadline has passed.
 */
unsigned long vigil_deadline_jiffies(u64 deadline_ns, u64 now_ns)
{
	u64 left;

	if (now_ns >= deadline_ns)
		return 0;
	left = nsecs_to_jiffies64(deadline_ns - now_ns + TICK_NSEC - 1);
	return clamp_t(u64, left, 1, MAX_SCHEDULE_TIMEOUT - 1);
}

/* Latency bucket of @ns: bucket i holds times under 10^(i+1) us. */
unsigned int vigil_latency_bucket(u64 ns)
{
	u64 limit = 10 * NSEC_PER_USEC;
	unsigned int i;

	for (i = 0; i < VIGIL_LATENCY_BUCKETS - 1; i++, limit *= 10)
		if (ns < limit)
			return i;
	return VIGIL_LATENCY_BUCKETS - 1;
}

static unsigned int vigil_auth_index(u32 type)
{
	return type - VIGIL_EVENT_AUTH_EXEC;
}

static int vigil_match_file(const void *file, struct file *f, unsigned int fd)
{
	return f == file;
}

/* Does current hold the session's file?  Then it never waits. */
static bool vigil_auth_holds_session(struct vigil_session *s)
{
	if (task_tgid(current) == s->broker)
		return true;
	return current->files &&
	       iterate_fd(current->files, 0, vigil_match_file, s->file);
}

/*
 * The cache key of @call, and the file's change counter.  Only files on
 * filesystems that keep i_version, and that nobody has open for writing,
 * are cached: a modification then always changes the counter.
 */
static bool vigil_auth_key(const struct vigil_auth_call *call,
			   struct vigil_vkey *key, u64 *change)
{
	struct inode *inode = call->inode;
	const struct cred *cred = current_cred();

	if (!inode || !IS_I_VERSION(inode) ||
	    atomic_read(&inode->i_writecount) > 0)
		return false;
	memset(key, 0, sizeof(*key));
	key->inode = (unsigned long)inode;
	key->sb = (unsigned long)inode->i_sb;
	key->ino = inode->i_ino;
	key->generation = inode->i_generation;
	key->type = call->type;
	key->access = call->access;
	/* The kernel's own ids: the key never leaves the kernel. */
	key->uid = __kuid_val(cred->euid);
	key->gid = __kgid_val(cred->egid);
	*change = inode_query_iversion(inode);
	return true;
}

/* Sleep until @req is answered or released, its deadline, or a kill. */
static int vigil_auth_wait(struct vigil_request *req)
{
	for (;;) {
		unsigned long left;
		long ret;

		left = vigil_deadline_jiffies(req->deadline_ns, ktime_get_ns());
		if (!left)
			return 0;
		ret = wait_event_killable_timeout(req->wq,
						  vigil_request_done(req), left);
		if (ret < 0)
			return -EINTR;
		if (ret > 0)
			return 0;
	}
}

/*
 * Wait, killable, until current's source has a waiter place free, or
 * @deadline_ns, or the session stops taking requests (which wakes every
 * waiter here).  Return: 0 with a place taken; -ETIMEDOUT; -ESHUTDOWN;
 * -EINTR.
 */
static int vigil_auth_take_place(struct vigil_session *s, u32 source,
				 u64 deadline_ns)
{
	u32 max = vigil_param_source_max_waiters();

	for (;;) {
		unsigned long left;
		int err;

		if (vigil_source_waiter_get(&s->sources, source, max))
			return 0;
		if (vigil_pending_closed(&s->pending))
			return -ESHUTDOWN;
		left = vigil_deadline_jiffies(deadline_ns, ktime_get_ns());
		if (!left)
			return -ETIMEDOUT;
		left = min(left, msecs_to_jiffies(VIGIL_AUTH_SLOT_LOOK_MS));
		err = vigil_source_waiter_wait(&s->sources, source, max, left);
		if (err != -ETIMEDOUT)
			return err;
	}
}

/*
 * Send the record and wait, with a waiter place of the source taken.
 * Return: as vigil_auth_ask().
 */
static enum vigil_auth_outcome vigil_auth_ask_placed(struct vigil_session *s,
						     const struct vigil_auth_call *call,
						     struct vigil_request *req)
{
	struct vigil_event *hdr;
	struct vigil_auth *auth;
	struct vigil_emit em;
	u64 sent, deadline;
	int err;

	if (call->prepare && call->prepare(call->arg))
		return VIGIL_AUTH_UNDELIVERED;
	hdr = vigil_emit_begin(&em, call->type, call->fixed_len);
	/* Not wanted any more (unsubscribed meanwhile) counts as muted. */
	if (!hdr)
		return em.status == VIGIL_EMIT_DROPPED ? VIGIL_AUTH_UNDELIVERED :
							 VIGIL_AUTH_MUTED;
	if (call->fill(&em, hdr, call->arg)) {
		vigil_emit_cancel(&em);
		return VIGIL_AUTH_MUTED;
	}
	sent = hdr->time_ns;
	deadline = vigil_deadline_after(sent, vigil_param_deadline_ms(call->type));
	err = vigil_pending_insert(&s->pending, req, deadline);
	if (err) {
		vigil_emit_cancel(&em);
		return err == -ENOSPC ? VIGIL_AUTH_OVERFLOW : VIGIL_AUTH_RELEASED;
	}
	auth = (struct vigil_auth *)(hdr + 1);
	auth->id = req->id;
	auth->deadline_ns = deadline;
	/* Process context, no lock held: wake the broker without a detour. */
	em.wake_now = true;
	if (vigil_emit_end(&em)) {
		vigil_pending_remove(&s->pending, req);
		return VIGIL_AUTH_UNDELIVERED;
	}

	err = vigil_auth_wait(req);
	switch (vigil_pending_remove(&s->pending, req)) {
	case VIGIL_REQ_ANSWERED:
		this_cpu_inc(s->stats[vigil_auth_index(call->type)].latency[
			vigil_latency_bucket(req->answered_ns - sent)]);
		return VIGIL_AUTH_ANSWERED;
	case VIGIL_REQ_RELEASED:
		return VIGIL_AUTH_RELEASED;
	}
	return err ? VIGIL_AUTH_KILLED : VIGIL_AUTH_MISSED;
}

/*
 * Send the record and wait.  Return: the outcome; VIGIL_AUTH_ANSWERED
 * with @req holding the verdict if one came.
 */
static enum vigil_auth_outcome vigil_auth_ask(struct vigil_session *s,
					      const struct vigil_auth_call *call,
					      struct vigil_request *req,
					      bool *crowded)
{
	u32 source = vigil_source_current(&s->sources);
	u32 ms = vigil_param_deadline_ms(call->type);
	enum vigil_auth_outcome outcome;
	int err;

	/*
	 * A place is waited for half a deadline at most.  The broker then has
	 * its whole deadline from the record (vigil_auth_ask_placed()): a
	 * miss is the broker's, not the queue's nor a starved caller's, and
	 * the caller waits one and a half deadlines at the most.
	 */
	err = vigil_auth_take_place(s, source,
				    vigil_deadline_after(ktime_get_ns(), ms / 2));
	if (err == -ETIMEDOUT)
		return VIGIL_AUTH_OVER_BUDGET;
	if (err)
		return err == -EINTR ? VIGIL_AUTH_KILLED : VIGIL_AUTH_RELEASED;
	outcome = vigil_auth_ask_placed(s, call, req);
	/*
	 * Its source had all its places taken during the event's life (two
	 * deadlines cover it): a miss is that source's load, not a fault.
	 */
	*crowded = vigil_source_crowded(&s->sources, source,
					2ULL * ms * NSEC_PER_MSEC);
	vigil_source_waiter_put(&s->sources, source);
	return outcome;
}

static u32 vigil_auth_verdict(u32 type, enum vigil_auth_outcome outcome,
			      const struct vigil_request *req)
{
	switch (outcome) {
	case VIGIL_AUTH_ANSWERED:
		return req->verdict;
	case VIGIL_AUTH_KILLED:
	/* Past its source's share: allowing it unseen would be an off switch. */
	case VIGIL_AUTH_OVER_BUDGET:
		return VIGIL_VERDICT_DENY;
	case VIGIL_AUTH_MUTED:
	case VIGIL_AUTH_SELF:
		return VIGIL_VERDICT_ALLOW;
	default:
		return vigil_param_miss_verdict(type);
	}
}

/* What the quick part found, for the part that asks. */
struct vigil_auth_decision {
	enum vigil_auth_outcome outcome;
	u32 verdict;
	bool cacheable;
	struct vigil_vkey key;
	u64 change;		/* the file's i_version */
	u64 generation;		/* the cache's */
};

static void vigil_auth_count(struct vigil_session *s, u32 type,
			     const struct vigil_auth_decision *d)
{
	unsigned int i = vigil_auth_index(type);

	this_cpu_inc(s->stats[i].outcome[d->outcome]);
	if (d->verdict == VIGIL_VERDICT_DENY)
		this_cpu_inc(s->stats[i].denied);
	else
		this_cpu_inc(s->stats[i].allowed);
}

static int vigil_auth_result(const struct vigil_auth_decision *d)
{
	if (d->outcome == VIGIL_AUTH_KILLED)
		return -EINTR;
	return d->verdict == VIGIL_VERDICT_DENY ? -EACCES : 0;
}

/*
 * The quick part, which never sleeps: the broker itself, mutes and the
 * verdict cache.  Return: true if it decided.
 */
static bool vigil_auth_quick(struct vigil_session *s,
			     const struct vigil_auth_call *call,
			     struct vigil_auth_decision *d)
{
	if (task_tgid(current) == s->broker) {
		d->outcome = VIGIL_AUTH_SELF;
		d->verdict = VIGIL_VERDICT_ALLOW;
		return true;
	}
	if (vigil_emit_process_muted(s, call->type)) {
		d->outcome = VIGIL_AUTH_MUTED;
		d->verdict = VIGIL_VERDICT_ALLOW;
		return true;
	}
	d->cacheable = s->cache.size && vigil_auth_key(call, &d->key, &d->change);
	if (!d->cacheable)
		return false;
	d->generation = vigil_vcache_generation(&s->cache);
	d->verdict = vigil_vcache_lookup(&s->cache, &d->key, d->change);
	if (d->verdict) {
		d->outcome = VIGIL_AUTH_CACHE_HIT;
		return true;
	}
	this_cpu_inc(s->stats[vigil_auth_index(call->type)].cache_misses);
	return false;
}

/* Why the broker did not decide, as a fallback record says; 0: it did. */
static const u32 vigil_fallback_causes[VIGIL_AUTH_OUTCOMES] = {
	[VIGIL_AUTH_MISSED] = VIGIL_FALLBACK_MISSED,
	[VIGIL_AUTH_OVERFLOW] = VIGIL_FALLBACK_OVERFLOW,
	[VIGIL_AUTH_UNDELIVERED] = VIGIL_FALLBACK_UNDELIVERED,
	[VIGIL_AUTH_RELEASED] = VIGIL_FALLBACK_RELEASED,
	[VIGIL_AUTH_DEGRADED] = VIGIL_FALLBACK_DEGRADED,
	[VIGIL_AUTH_OVER_BUDGET] = VIGIL_FALLBACK_OVER_BUDGET,
};

/*
 * Tell the broker of a verdict it did not make, in the AUTH lane: nothing
 * is allowed unseen.  @id is the AUTH record's it was sent, or 0.  A full
 * lane drops the report, counted there.
 */
static void vigil_auth_report_fallback(struct vigil_session *s,
				       const struct vigil_auth_call *call,
				       const struct vigil_auth_decision *d,
				       u64 id)
{
	struct vigil_auth_fallback_event *ev;
	u32 cause = vigil_fallback_causes[d->outcome];
	struct vigil_emit em;

	/* A broker of 1.3 has no lane, and no word for it. */
	if (!cause || !s->auth_lane)
		return;
	ev = vigil_emit_begin(&em, VIGIL_EVENT_AUTH_FALLBACK, sizeof(*ev));
	if (!ev)
		return;
	/* The shim's own report: no source's share may shed it. */
	em.source = VIGIL_SOURCE_SHIM;
	vigil_emit_put_actor(&em, &ev->actor);
	ev->auth_type = call->type;
	ev->verdict = d->verdict;
	ev->cause = cause;
	ev->id = id;
	if (call->path)
		vigil_emit_put_path(&em, VIGIL_FIELD_PATH, call->path);
	/* Process context, no lock held: wake the broker without a detour. */
	em.wake_now = true;
	vigil_emit_end(&em);
}

/* The part that asks the broker and waits: it sleeps. */
static void vigil_auth_slow(struct vigil_session *s,
			    const struct vigil_auth_call *call,
			    struct vigil_auth_decision *d)
{
	struct vigil_request req = {};
	bool crowded = false;

	/* Last, as it walks the descriptor table. */
	if (vigil_auth_holds_session(s))
		d->outcome = VIGIL_AUTH_SELF;
	/* The broker's faults degraded the shim: nobody to ask in time. */
	else if (vigil_watchdog_state() == VIGIL_WATCHDOG_DEGRADED)
		d->outcome = VIGIL_AUTH_DEGRADED;
	else
		d->outcome = vigil_auth_ask(s, call, &req, &crowded);
	/*
	 * A miss is the broker's fault, unless the event's own source had all
	 * its places taken: a user flooding the broker with execs cannot
	 * degrade the shim for everyone with the misses of their own.
	 */
	if (d->outcome == VIGIL_AUTH_MISSED && !crowded)
		vigil_fault(VIGIL_FAULT_DEADLINE_MISSED);
	d->verdict = vigil_auth_verdict(call->type, d->outcome, &req);
	/* An undelivered record's id was never seen by the broker. */
	vigil_auth_report_fallback(s, call, d, d->outcome == VIGIL_AUTH_UNDELIVERED ?
				   0 : req.id);
	if (d->outcome == VIGIL_AUTH_ANSWERED && d->cacheable &&
	    (req.flags & VIGIL_VERDICT_F_CACHE))
		vigil_vcache_insert(&s->cache, &d->key, d->change, d->verdict,
				    d->generation);
}

static bool vigil_auth_wanted(struct vigil_session *s, u32 type)
{
	return READ_ONCE(s->events) & VIGIL_EVENT_BIT(type);
}

/**
 * vigil_auth_decide() - may the operation @call describes go on?
 * @call: the event
 *
 * The quick part runs under RCU; only if it cannot decide does this take
 * the SRCU read lock, under which it may sleep, and ask the broker.
 *
 * Context: process context that may sleep, no vigil locks held.
 * Return: 0 to allow, -EACCES to deny, -EINTR if current was killed while
 * waiting.
 */
int vigil_auth_decide(const struct vigil_auth_call *call)
{
	struct vigil_auth_decision d = {};
	struct vigil_session *s;
	int idx;

	/* Kernel threads never wait on user space. */
	if (current->flags & PF_KTHREAD)
		return 0;
	/* Keeps the session alive during the quick part. */
	rcu_read_lock();
	s = rcu_dereference(vigil_auth_session);
	if (!s || !vigil_auth_wanted(s, call->type)) {
		rcu_read_unlock();
		return 0;
	}
	if (vigil_auth_quick(s, call, &d)) {
		vigil_auth_count(s, call->type, &d);
		rcu_read_unlock();
		return vigil_auth_result(&d);
	}
	rcu_read_unlock();

	/* Keeps the session alive while we ask and wait. */
	idx = srcu_read_lock(&vigil_auth_srcu);
	/* If the broker went meanwhile, there is nobody to ask: allow. */
	if (srcu_dereference(vigil_auth_session, &vigil_auth_srcu) == s) {
		vigil_auth_slow(s, call, &d);
		vigil_auth_count(s, call->type, &d);
	} else {
		d.verdict = VIGIL_VERDICT_ALLOW;
	}
	srcu_read_unlock(&vigil_auth_srcu, idx);
	return vigil_auth_result(&d);
}

/* Sum the per-CPU counters of AUTH event @type into @sum. */
static void vigil_auth_counters_sum(struct vigil_session *s, u32 type,
				    struct vigil_auth_counters *sum)
{
	unsigned int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct vigil_auth_counters *c =
			per_cpu_ptr(s->stats, cpu) + vigil_auth_index(type);

		for (i = 0; i < VIGIL_AUTH_OUTCOMES; i++)
			sum->outcome[i] += READ_ONCE(c->outcome[i]);
		for (i = 0; i < VIGIL_LATENCY_BUCKETS; i++)
			sum->latency[i] += READ_ONCE(c->latency[i]);
		sum->allowed += READ_ONCE(c->allowed);
		sum->denied += READ_ONCE(c->denied);
		sum->cache_misses += READ_ONCE(c->cache_misses);
	}
}

/* Copy the counters of AUTH event @type into @out. */
void vigil_auth_stats_read(struct vigil_session *s, u32 type,
			   struct vigil_auth_stats *out)
{
	struct vigil_auth_counters sum;

	vigil_auth_counters_sum(s, type, &sum);
	out->allowed = sum.allowed;
	out->denied = sum.denied;
	out->requests = sum.allowed + sum.denied;
	out->answered = sum.outcome[VIGIL_AUTH_ANSWERED];
	out->missed = sum.outcome[VIGIL_AUTH_MISSED];
	out->overflow = sum.outcome[VIGIL_AUTH_OVERFLOW];
	out->undelivered = sum.outcome[VIGIL_AUTH_UNDELIVERED];
	out->released = sum.outcome[VIGIL_AUTH_RELEASED];
	out->killed = sum.outcome[VIGIL_AUTH_KILLED];
	out->cache_hits = sum.outcome[VIGIL_AUTH_CACHE_HIT];
	out->cache_misses = sum.cache_misses;
	out->muted = sum.outcome[VIGIL_AUTH_MUTED];
	out->self = sum.outcome[VIGIL_AUTH_SELF];
	out->degraded = sum.outcome[VIGIL_AUTH_DEGRADED];
	out->over_budget = sum.outcome[VIGIL_AUTH_OVER_BUDGET];
	memcpy(out->latency, sum.latency, sizeof(out->latency));
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "auth_test.c"
#endif
