/* SPDX-License-Identifier: GPL-2.0 */
/*
 * auth_waiter.pml: a Promela model of the AUTH waiters (kmod/auth.c), the
 * pending-request table (kmod/pending.c), the per-source waiter places
 * (kmod/source.c), and all that releases them: the broker's verdicts, the
 * deadline, the session's release, the watchdog's degrade and trip, and
 * the module's unload.  For spin; run by scripts/models.sh; see
 * Documentation/models.rst.
 *
 * What it proves, for every interleaving of two hook callers, the broker,
 * the watchdog and the module's unload:
 *
 *   - nothing touches a request after its waiter freed it (it lives on the
 *     waiter's stack; a request is never freed while in the table), nor
 *     the session after it is freed (its table and p->lock, its sources,
 *     its rings and stats): assert(req_alive[]), assert(session_alive)
 *     (TOUCH_S) on every access;
 *   - every request gets at most one verdict: answered or released, once
 *     (verdicts[] <= 1); it leaves the table exactly once, by its own
 *     waiter; and every waiter returns exactly once, with an outcome;
 *   - when the module goes, every waiter has returned, the table is empty
 *     and its lock free, every source's places are given back, and the
 *     session is freed;
 *   - no deadlock: every process ends, or waits at an end label (spin's
 *     check of invalid end states).
 *   With -DNO_DEADLINE (no deadline and no kill: a waiter waits for ever
 *   for its verdict or for a place), the same hold, and the end-state check
 *   then proves that the verdicts and the release-alls alone leave no
 *   waiter behind: closing the session, a degrade or a trip releases every
 *   waiter without the help of its deadline.
 *
 * Who is modelled, and by what C code:
 *
 *   waiter(i)   a hook caller (the binfmt handler's reference on the
 *               module, taken by search_binary_handler(), while attached)
 *               in kmod/auth.c:vigil_auth_decide(): rcu_read_lock() and
 *               vigil_auth_session, vigil_auth_quick() (assumed not to
 *               decide), srcu_read_lock() and the second look at
 *               vigil_auth_session; vigil_auth_slow(): the watchdog's state
 *               (degraded: no asking), vigil_auth_ask(),
 *               vigil_auth_report_fallback() and vigil_auth_count();
 *               vigil_auth_ask(): vigil_auth_take_place()
 *               (kmod/source.c:vigil_source_waiter_get(),
 *               kmod/pending.c:vigil_pending_closed(),
 *               vigil_source_waiter_wait()), vigil_auth_ask_placed(), then
 *               vigil_source_waiter_put(); vigil_auth_ask_placed():
 *               kmod/emit.c:vigil_emit_begin() (which finds no session once
 *               vigil_emit_stop() ran: muted), vigil_pending_insert(),
 *               vigil_emit_end() (a full lane: undelivered),
 *               vigil_auth_wait() (a verdict or release, or the deadline),
 *               vigil_pending_remove() (in two steps: the work under
 *               p->lock, then the unlock, which still touches the session).
 *               Waiter 0's source is 0; waiter 1's is either the same or
 *               another; each source has SRCMAX = 1 places
 *               (source_max_waiters), so a waiter may wait for its place.
 *   broker()    vigild: up to two verdicts, for any request (kmod/ioctl.c ->
 *               vigil_pending_answer()), then the release of /dev/vigil:
 *               kmod/device.c:vigil_dev_release() ->
 *               kmod/session.c:vigil_session_close() ->
 *               kmod/shim.c:vigil_shim_disconnect() (under vigil_shim_lock:
 *               vigil_shim_detach() -> vigil_shim_release_waiters() ->
 *               vigil_pending_release_all() and vigil_sources_wake_all();
 *               vigil_emit_stop(); vigil_auth_stop(): synchronize_rcu(),
 *               synchronize_srcu()), then vigil_pending_wait_drained(),
 *               vigil_sources_stop(), vigil_session_free(), and the file's
 *               reference on the module (fops->owner).  An ioctl holds the
 *               file, so the release never runs during one.
 *   watchdog()  up to two state changes of kmod/fault.c, each applied by
 *               kmod/shim.c:vigil_shim_apply() under vigil_shim_lock:
 *               vigil_shim_apply_degrade() (release the waiters),
 *               vigil_shim_apply_recovery() (vigil_pending_reopen()),
 *               vigil_shim_apply_trip() (vigil_shim_detach()); or a re-arm,
 *               vigil_shim_rearm() (vigil_shim_attach(): reopen;
 *               vigil_shim_armed()).
 *   unload()    delete_module() without force: it can only proceed once the
 *               module's reference count is 0 (here: it waits for that),
 *               after which try_module_get() fails; then
 *               kmod/main.c:vigil_exit().
 *
 * Abstractions:
 *
 * - Sequential consistency.  Every change of the table is under p->lock
 *   (one atomic step, but for vigil_pending_remove()'s unlock); the
 *   lockless reads of C (vigil_request_done(), vigil_pending_closed(),
 *   vigil_pending_wait_drained(), the watchdog's state) are lockless here.
 *   RCU and SRCU: a reader sets rcu_in[i] / srcu_in[i]; synchronize_*()
 *   waits for the readers it saw when it started, as a grace period does.
 *   vigil_shim_lock is explicit where it is held across a wait (the
 *   close), implicit in the watchdog's single atomic steps.
 * - Steps: the RCU section, rcu_read_unlock() with srcu_read_lock() and
 *   the look at the watchdog's state, and vigil_emit_begin() with
 *   vigil_pending_insert() are single steps.
 * - Time: the deadline (and the half-deadline a place is waited for) is a
 *   free choice; a fatal signal is the same to the table and the places.
 *   A waiter for a place looks again as soon as a place is given back or
 *   the table closes: in C it is woken for that, or looks every
 *   VIGIL_AUTH_SLOT_LOOK_MS, so a lost wake-up there costs time only.
 * - The session is connected and attached from the start
 *   (vigil_shim_connect() is not modelled).  Records, the verdict cache,
 *   mutes and stats appear only as touches of the session.  A waiter's
 *   vigil_fault() (a missed deadline) is among the watchdog's free choices.
 * - Each waiter makes one request at most, so "the request with this id"
 *   is "waiter i's request, if in the table".  The table's bound MAXW is 2,
 *   so both requests can be in it together (and -ENOSPC never happens: it
 *   takes the path of -ESHUTDOWN, vigil_emit_cancel()).
 *
 * Broken variants (spin -DNAME), each of which the check must catch:
 *
 *   BROKEN_NO_REMOVE       a waiter whose deadline passed returns without
 *                          vigil_pending_remove(): its stack frame goes
 *                          with the request still in the table, where the
 *                          next verdict or release-all would write to it
 *                          (the assertion when the frame goes).
 *   BROKEN_DOUBLE_RELEASE  vigil_pending_release_all() releases every
 *                          request in the table, not only those PENDING: a
 *                          request answered, or released by a degrade, and
 *                          not yet removed by its waiter, is released again
 *                          (verdicts[] > 1).
 *   BROKEN_CLOSE_NO_RELEASE  (with NO_DEADLINE) closing the session detaches
 *                          the hooks without releasing the waiters, then
 *                          waits for them to leave (synchronize_srcu()): a
 *                          waiter whose verdict never comes keeps the close
 *                          waiting for ever (an invalid end state).
 *   BROKEN_NO_SRCU         vigil_auth_stop() does not wait for the SRCU
 *                          readers: the session is freed as soon as the
 *                          table is drained, while a waiter still has to
 *                          unlock p->lock, give its place back or report:
 *                          freed before the waiter is done (TOUCH_S).
 */

#define NW		2	/* hook callers */
#define SRCMAX		1	/* source_max_waiters */
#define MAXW		2	/* max_waiters: the table's bound */

/* enum vigil_request_state */
#define PENDING		0
#define ANSWERED	1
#define RELEASED	2

/* enum vigil_auth_outcome, the ones that matter here */
#define O_NONE		0
#define O_ALLOW		1	/* no session: allowed, nothing asked */
#define O_DEGRADED	2
#define O_OVER_BUDGET	3	/* or O_KILLED: a kill while placing */
#define O_RELEASED	5
#define O_OVERFLOW	6
#define O_UNDELIVERED	7
#define O_MUTED		8
#define O_ANSWERED	9
#define O_MISSED	10

/* vigil_watchdog_state() */
#define ARMED		0
#define DEGRADED	1
#define TRIPPED		2

/* struct vigil_pending, in the session */
bool closed;
byte count;
bool plock;				/* p->lock, for the split remove */

/* The requests, on their waiters' stacks. */
bool req_alive[NW];
bool in_table[NW];
byte req_state[NW];
byte verdicts[NW];			/* ghost: state changes from PENDING */

/* The session and the shim. */
bool session_alive = true;
bool auth_published = true;		/* vigil_auth_session == s */
bool emit_published = true;		/* vigil_emit_session == s */
bool shim_session = true;		/* vigil_shim_session == s */
bool attached = true;			/* vigil_shim_attached */
bool shim_degraded;			/* vigil_shim_degraded */
bool shim_lock;				/* vigil_shim_lock */
byte wd_state = ARMED;			/* the watchdog's state (fault.c) */
byte places[2];				/* sources' waiters (atomic_t) */

/* RCU, SRCU, the module. */
bool rcu_in[NW];
bool srcu_in[NW];
byte modref = 1;			/* the broker's open file */
bool going;				/* MODULE_STATE_GOING */

/* Ghost: what each waiter got. */
bool entered[NW];
byte outcome[NW];
byte returned[NW];

/* Touch the session: it must not be freed. */
#define TOUCH_S		assert(session_alive)

/*
 * vigil_pending_release_all(), then vigil_sources_wake_all(); inside an
 * atomic step that made sure p->lock is free.
 */
inline release_waiters()
{
	TOUCH_S;
	closed = true;
	j = 0;
	do
	:: j < NW ->
#ifndef BROKEN_DOUBLE_RELEASE
		if
		:: in_table[j] && req_state[j] == PENDING ->
#else
		if
		:: in_table[j] ->
#endif
			assert(req_alive[j]);
			req_state[j] = RELEASED;	/* and wake_up(&req->wq) */
			verdicts[j]++;
			assert(verdicts[j] <= 1)
		:: else -> skip
		fi;
		j++
	:: else -> break
	od;
	j = 0
}

/* vigil_pending_reopen(), likewise */
inline reopen()
{
	TOUCH_S;
	closed = false
}

/*
 * synchronize_rcu() or synchronize_srcu() (@R is rcu_in or srcu_in): wait
 * for the readers seen at the start; readers that come later may go on.
 */
#define SYNCHRONIZE(R)							\
	d_step { seen[0] = R[0]; seen[1] = R[1] };			\
	(!seen[0] || !R[0]) && (!seen[1] || !R[1]);			\
	d_step { seen[0] = false; seen[1] = false }

proctype waiter(byte i)
{
	byte src, st;

	/* Waiter 0's source is 0; waiter 1's, 0 (the same) or 1. */
	if
	:: i == 0 -> src = 0
	:: i == 1 -> src = 0
	:: i == 1 -> src = 1
	fi;

	/* The hook runs if attached, and the module is not going. */
	if
	:: atomic { !going && attached -> modref++; entered[i] = true }
	:: else -> goto out
	fi;
	/* vigil_auth_decide(): rcu_read_lock(), vigil_auth_session */
	atomic {
		rcu_in[i] = true;
		if
		:: !auth_published -> rcu_in[i] = false; outcome[i] = O_ALLOW
		:: else -> skip
		fi
	}
	if
	:: outcome[i] == O_ALLOW -> goto done
	:: else -> skip
	fi;

	/*
	 * vigil_auth_quick() (assumed not to decide), rcu_read_unlock(),
	 * srcu_read_lock(), the second look at vigil_auth_session; then
	 * vigil_auth_slow(): vigil_auth_holds_session() (no), the watchdog.
	 */
	atomic {
		TOUCH_S;
		rcu_in[i] = false;
		srcu_in[i] = true;
		if
		:: !auth_published -> srcu_in[i] = false; outcome[i] = O_ALLOW
		:: else ->
			TOUCH_S;
			if
			:: wd_state == DEGRADED -> outcome[i] = O_DEGRADED
			:: else -> skip
			fi
		fi
	}
	if
	:: outcome[i] == O_ALLOW -> goto done
	:: outcome[i] == O_DEGRADED -> goto report
	:: else -> skip
	fi;

	/*
	 * vigil_auth_ask() -> vigil_auth_take_place(): a place of the source
	 * (vigil_source_waiter_get()), or, looking again each time a place
	 * is given back (vigil_source_waiter_wait()), the table closed
	 * (vigil_pending_closed(): -ESHUTDOWN), or half the deadline gone
	 * (-ETIMEDOUT; or -EINTR, a kill: the same here).
	 */
	if
	:: atomic { places[src] < SRCMAX -> TOUCH_S; places[src]++ }
	:: atomic { places[src] >= SRCMAX && closed -> outcome[i] = O_RELEASED }
		goto report
#ifndef NO_DEADLINE
	:: atomic { places[src] >= SRCMAX -> outcome[i] = O_OVER_BUDGET }
		goto report
#endif
	fi;

	/*
	 * vigil_auth_ask_placed(): vigil_emit_begin() (refused after
	 * vigil_emit_stop(): muted), vigil_pending_insert().
	 */
	atomic {
		!plock;
		if
		:: !emit_published -> outcome[i] = O_MUTED
		:: else ->
			TOUCH_S;
			if
			:: closed -> outcome[i] = O_RELEASED
			:: !closed && count >= MAXW -> outcome[i] = O_OVERFLOW
			:: else ->
				req_alive[i] = true;	/* on the stack */
				req_state[i] = PENDING;
				in_table[i] = true;
				count++
			fi
		fi
	}
	if
	:: outcome[i] != O_NONE -> goto put	/* vigil_emit_cancel() */
	:: else -> skip
	fi;

	/* vigil_emit_end(): the record to the AUTH lane, or a full lane */
	if
	:: atomic { TOUCH_S; outcome[i] = O_UNDELIVERED }
		goto remove
	:: TOUCH_S
	fi;
	/* vigil_auth_wait(): until vigil_request_done(), or the deadline */
	if
	:: req_state[i] != PENDING -> skip
#ifndef NO_DEADLINE
	:: outcome[i] = O_MISSED	/* or -EINTR: the same to the table */
#endif
	fi;
#ifdef BROKEN_NO_REMOVE
	if
	:: outcome[i] == O_MISSED -> goto put
	:: else -> skip
	fi;
#endif

remove:
	/* vigil_pending_remove(): the work under p->lock */
	atomic {
		!plock -> plock = true;
		TOUCH_S;
		assert(in_table[i] && req_alive[i]);
		in_table[i] = false;
		count--;
		st = req_state[i]		/* and wake_up(&p->drained) */
	}
	/* spin_unlock(&p->lock); the outcome */
	atomic {
		TOUCH_S;
		plock = false;
		if
		:: outcome[i] == O_UNDELIVERED -> skip
		:: else ->
			if
			:: st == ANSWERED -> outcome[i] = O_ANSWERED
			:: st == RELEASED -> outcome[i] = O_RELEASED
			:: else -> outcome[i] = O_MISSED
			fi
		fi;
		st = 0
	}

put:
	/* vigil_source_waiter_put() */
	atomic { TOUCH_S; assert(places[src] > 0); places[src]-- }

report:
	/*
	 * vigil_auth_report_fallback(), vigil_auth_count(); vigil_auth_slow()
	 * returns (the request's stack frame is gone); srcu_read_unlock().
	 */
	atomic {
		TOUCH_S;
		assert(!in_table[i] || !req_alive[i]);
		req_alive[i] = false;
		req_state[i] = PENDING;
		verdicts[i] = 0;
		srcu_in[i] = false
	}

done:
	atomic {
		returned[i]++;
		assert(returned[i] == 1 && outcome[i] != O_NONE);
		outcome[i] = O_NONE;		/* told: forget it */
		modref--
	}
out:
	skip
}

/* vigild: verdicts, then the close of /dev/vigil. */
proctype broker()
{
	byte answers, k, j;
	bool seen[NW];

	do
	:: answers < 2 ->
		/* VIGIL_IOC_VERDICT -> vigil_pending_answer(), for any id */
		atomic {
			!plock;
			TOUCH_S;
			if
			:: k = 0
			:: k = 1
			fi;
			if
			:: in_table[k] && req_state[k] == PENDING ->
				assert(req_alive[k]);
				req_state[k] = ANSWERED;
				verdicts[k]++;
				assert(verdicts[k] <= 1)
			:: else -> skip		/* -ENOENT */
			fi;
			k = 0;
			answers++
		}
	:: break
	od;

	/* vigil_session_close() -> vigil_shim_disconnect() */
	atomic {
		!shim_lock && !plock -> shim_lock = true;
		/* vigil_shim_session == s: the session is connected */
		if
		:: attached ->
			/* vigil_shim_detach() */
			attached = false;
#ifndef BROKEN_CLOSE_NO_RELEASE
			release_waiters()
#else
			skip
#endif
		:: else -> skip
		fi
	}
	/* vigil_emit_stop() */
	emit_published = false;
	SYNCHRONIZE(rcu_in);
	/* vigil_auth_stop() */
	auth_published = false;
	SYNCHRONIZE(rcu_in);
#ifndef BROKEN_NO_SRCU
	SYNCHRONIZE(srcu_in);
#endif
	/* vigil_watch_forget_all(), ... */
	shim_session = false;
	shim_lock = false;
	/* vigil_pending_wait_drained() */
	count == 0;
	/* vigil_sources_stop(), vigil_session_free() */
	session_alive = false;
	/* the file's reference on the module */
	modref--
}

/*
 * Up to two state changes of the watchdog, each applied under
 * vigil_shim_lock (one atomic step that finds it, and p->lock, free).
 */
proctype watchdog()
{
	byte n, j;

	do
	:: n < 2 && wd_state == ARMED ->
		/* broker faults: degraded */
		wd_state = DEGRADED;
		/* vigil_shim_apply() -> vigil_shim_apply_degrade() */
		atomic {
			!shim_lock && !plock;
			if
			:: shim_session && !shim_degraded ->
				shim_degraded = true;
				release_waiters()
			:: else -> skip
			fi;
			n++
		}
	:: n < 2 && wd_state == DEGRADED ->
		/* the broker healthy again */
		wd_state = ARMED;
		/* vigil_shim_apply() -> vigil_shim_apply_recovery() */
		atomic {
			!shim_lock && !plock;
			if
			:: shim_degraded && shim_session ->
				shim_degraded = false;
				reopen()
			:: else -> shim_degraded = false
			fi;
			n++
		}
	:: n < 2 && wd_state != TRIPPED ->
		/* shim faults: tripped */
		wd_state = TRIPPED;
		/* vigil_shim_apply() -> vigil_shim_apply_trip() */
		atomic {
			!shim_lock && !plock;
			shim_degraded = false;
			if
			:: shim_session && attached ->
				/* vigil_shim_detach() */
				attached = false;
				release_waiters()
			:: else -> skip
			fi;
			n++
		}
	:: n < 2 && wd_state == TRIPPED ->
		/* vigil_shim_rearm() */
		atomic {
			!shim_lock && !plock;
			if
			:: shim_session && !attached ->
				/* vigil_shim_attach() */
				reopen();
				attached = true
			:: else -> skip
			fi;
			wd_state = ARMED;
			/* vigil_shim_armed() */
			if
			:: shim_session && shim_degraded -> reopen()
			:: else -> skip
			fi;
			shim_degraded = false;
			n++
		}
	:: break
	od
}

/* delete_module(): once nothing holds the module. */
proctype unload()
{
	byte j;

	atomic { modref == 0 -> going = true }
	/* vigil_exit(): nothing of the session may be left */
	assert(!session_alive && count == 0 && !plock);
	assert(places[0] == 0 && places[1] == 0);
	j = 0;
	do
	:: j < NW ->
		assert(!in_table[j] && !req_alive[j] && verdicts[j] <= 1);
		assert(!entered[j] || returned[j] == 1);
		assert(!rcu_in[j] && !srcu_in[j]);
		j++
	:: else -> break
	od
}

init
{
	atomic {
		run waiter(0);
		run waiter(1);
		run broker();
		run watchdog();
		run unload()
	}
}
