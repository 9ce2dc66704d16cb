// SPDX-License-Identifier: GPL-2.0
/*
 * AUTH events.
 *
 * A hook describes its event in a struct vigil_auth_call and calls
 * vigil_auth_decide() from a context that may sleep.  The decision, in
 * order, cheapest first:
 *
 *   not subscribed             allow, uncounted
 *   a holder of the session's file (the broker, a child that inherited
 *   its descriptor)            allow at once: it must never wait on itself
 *   muted process              allow
 *   cached verdict             that verdict
 *   otherwise                  a record to the ring, and a wait, killable,
 *                              until the verdict or the deadline; without
 *                              a verdict, the type's miss verdict
 *
 * Every wait is bounded: by the deadline, by the number of waiters (past
 * which the miss verdict applies at once), and by the session (closing it
 * releases every waiter with the miss verdict).
 *
 * The session is published for these hooks under SRCU, since they sleep;
 * closing it waits for them after releasing them.
 */

#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/iversion.h>
#include <linux/jiffies.h>
#include <linux/kdev_t.h>
#include <linux/sched.h>
#include <linux/srcu.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>

#include "auth.h"
#include "emit.h"
#include "params.h"
#include "pending.h"
#include "session.h"
#include "vcache.h"

DEFINE_STATIC_SRCU(vigil_auth_srcu);

/* The connected broker's session, for AUTH hooks; NULL without one. */
static struct vigil_session __rcu *vigil_auth_session;

void vigil_auth_start(struct vigil_session *s)
{
	/* Pairs with srcu_dereference() in vigil_auth_decide(). */
	rcu_assign_pointer(vigil_auth_session, s);
}

/* On return no AUTH hook uses the session any more. */
void vigil_auth_stop(void)
{
	RCU_INIT_POINTER(vigil_auth_session, NULL);
	/* Waits for vigil_auth_decide() calls still running. */
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

static struct vigil_auth_counters *vigil_auth_counters(struct vigil_session *s,
						       u32 type)
{
	return &s->stats[type - VIGIL_EVENT_AUTH_EXEC];
}

static int vigil_match_file(const void *file, struct file *f, unsigned int fd)
{
	return f == file;
}

/* Does current hold the session's file?  Then it never waits. */
static bool vigil_auth_holds_session(struct vigil_session *s)
{
	if (task_tgid_nr(current) == s->broker_tgid)
		return true;
	return current->files &&
	       iterate_fd(current->files, 0, vigil_match_file, s->file);
}

static bool vigil_auth_process_muted(struct vigil_session *s, u32 type)
{
	bool muted;

	/* Protects the mutes snapshot. */
	rcu_read_lock();
	muted = vigil_emit_process_muted(s, type);
	rcu_read_unlock();
	return muted;
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
	key->ino = inode->i_ino;
	key->dev = new_encode_dev(inode->i_sb->s_dev);
	key->generation = inode->i_generation;
	key->type = call->type;
	key->access = call->access;
	key->uid = from_kuid_munged(&init_user_ns, cred->euid);
	key->gid = from_kgid_munged(&init_user_ns, cred->egid);
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
 * Send the record and wait.  Return: the outcome; VIGIL_AUTH_ANSWERED
 * with @req holding the verdict if one came.
 */
static enum vigil_auth_outcome vigil_auth_ask(struct vigil_session *s,
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
	if (vigil_emit_end(&em)) {
		vigil_pending_remove(&s->pending, req);
		return VIGIL_AUTH_UNDELIVERED;
	}

	err = vigil_auth_wait(req);
	switch (vigil_pending_remove(&s->pending, req)) {
	case VIGIL_REQ_ANSWERED:
		atomic64_inc(&vigil_auth_counters(s, call->type)->latency[
			vigil_latency_bucket(req->answered_ns - sent)]);
		return VIGIL_AUTH_ANSWERED;
	case VIGIL_REQ_RELEASED:
		return VIGIL_AUTH_RELEASED;
	}
	return err ? VIGIL_AUTH_KILLED : VIGIL_AUTH_MISSED;
}

static u32 vigil_auth_verdict(u32 type, enum vigil_auth_outcome outcome,
			      const struct vigil_request *req)
{
	switch (outcome) {
	case VIGIL_AUTH_ANSWERED:
		return req->verdict;
	case VIGIL_AUTH_KILLED:
		return VIGIL_VERDICT_DENY;
	case VIGIL_AUTH_MUTED:
	case VIGIL_AUTH_SELF:
		return VIGIL_VERDICT_ALLOW;
	default:
		return vigil_param_miss_verdict(type);
	}
}

static int vigil_auth_session_decide(struct vigil_session *s,
				     const struct vigil_auth_call *call)
{
	struct vigil_auth_counters *st = vigil_auth_counters(s, call->type);
	enum vigil_auth_outcome outcome;
	struct vigil_request req = {};
	bool cacheable = false;
	struct vigil_vkey key;
	u32 verdict = 0;
	u64 change;

	if (!(READ_ONCE(s->events) & VIGIL_EVENT_BIT(call->type)))
		return 0;
	if (vigil_auth_holds_session(s)) {
		outcome = VIGIL_AUTH_SELF;
	} else if (vigil_auth_process_muted(s, call->type)) {
		outcome = VIGIL_AUTH_MUTED;
	} else {
		cacheable = s->cache.size && vigil_auth_key(call, &key, &change);
		if (cacheable)
			verdict = vigil_vcache_lookup(&s->cache, &key, change);
		if (verdict) {
			outcome = VIGIL_AUTH_CACHE_HIT;
		} else {
			if (cacheable)
				atomic64_inc(&st->cache_misses);
			outcome = vigil_auth_ask(s, call, &req);
		}
	}
	if (outcome != VIGIL_AUTH_CACHE_HIT)
		verdict = vigil_auth_verdict(call->type, outcome, &req);
	if (outcome == VIGIL_AUTH_ANSWERED && cacheable &&
	    (req.flags & VIGIL_VERDICT_F_CACHE))
		vigil_vcache_insert(&s->cache, &key, change, verdict);

	atomic64_inc(&st->outcome[outcome]);
	atomic64_inc(verdict == VIGIL_VERDICT_DENY ? &st->denied : &st->allowed);
	if (outcome == VIGIL_AUTH_KILLED)
		return -EINTR;
	return verdict == VIGIL_VERDICT_DENY ? -EACCES : 0;
}

/**
 * vigil_auth_decide() - may the operation @call describes go on?
 * @call: the event
 *
 * Context: process context that may sleep, no vigil locks held.
 * Return: 0 to allow, -EACCES to deny, -EINTR if current was killed while
 * waiting.
 */
int vigil_auth_decide(const struct vigil_auth_call *call)
{
	struct vigil_session *s;
	int idx, ret = 0;

	/* Kernel threads never wait on user space. */
	if (current->flags & PF_KTHREAD)
		return 0;
	/* Keeps the session alive until the decision is made. */
	idx = srcu_read_lock(&vigil_auth_srcu);
	s = srcu_dereference(vigil_auth_session, &vigil_auth_srcu);
	if (s)
		ret = vigil_auth_session_decide(s, call);
	srcu_read_unlock(&vigil_auth_srcu, idx);
	return ret;
}

/* Copy the counters of AUTH event @type into @out. */
void vigil_auth_stats_read(struct vigil_session *s, u32 type,
			   struct vigil_auth_stats *out)
{
	struct vigil_auth_counters *st = vigil_auth_counters(s, type);
	unsigned int i;

	out->allowed = atomic64_read(&st->allowed);
	out->denied = atomic64_read(&st->denied);
	out->requests = out->allowed + out->denied;
	out->answered = atomic64_read(&st->outcome[VIGIL_AUTH_ANSWERED]);
	out->missed = atomic64_read(&st->outcome[VIGIL_AUTH_MISSED]);
	out->overflow = atomic64_read(&st->outcome[VIGIL_AUTH_OVERFLOW]);
	out->undelivered = atomic64_read(&st->outcome[VIGIL_AUTH_UNDELIVERED]);
	out->released = atomic64_read(&st->outcome[VIGIL_AUTH_RELEASED]);
	out->killed = atomic64_read(&st->outcome[VIGIL_AUTH_KILLED]);
	out->cache_hits = atomic64_read(&st->outcome[VIGIL_AUTH_CACHE_HIT]);
	out->cache_misses = atomic64_read(&st->cache_misses);
	out->muted = atomic64_read(&st->outcome[VIGIL_AUTH_MUTED]);
	out->self = atomic64_read(&st->outcome[VIGIL_AUTH_SELF]);
	for (i = 0; i < VIGIL_LATENCY_BUCKETS; i++)
		out->latency[i] = atomic64_read(&st->latency[i]);
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "auth_test.c"
#endif
