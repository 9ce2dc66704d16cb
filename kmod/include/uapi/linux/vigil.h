/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vigil: the user-space ABI of the vigil shim, /dev/vigil.
 *
 * The shim (vigil.ko) turns kernel events into records and hands them to
 * one broker process (vigild) through a ring buffer that the broker maps.
 * This header is the whole contract between the two; Documentation/abi.rst
 * is its long form.
 *
 * Session
 * -------
 *
 * Only one process may hold /dev/vigil open for reading and writing at a
 * time; a second open(2) with O_RDWR fails with EBUSY.  That descriptor
 * is a session:
 *
 *   1. open("/dev/vigil", O_RDWR)
 *   2. ioctl(VIGIL_IOC_HANDSHAKE): agree on the ABI and learn the ring
 *      geometry.  Events start flowing when the handshake succeeds.
 *   3. mmap the consumer page and the producer page plus data area, of
 *      the ring and (clients of 1.4 and later) of the AUTH lane.
 *   4. poll(2) for POLLIN, read records, the AUTH lane's first, advance
 *      the consumer positions.
 *   5. close(2): the hooks are detached and the rings are freed once the
 *      last mapping is gone.
 *
 * Every command other than the handshake and the watchdog commands, and
 * mmap(2), fails with EPROTO until the handshake has succeeded.
 *
 * An open with O_RDONLY is a control handle, for administration tools
 * (vigilctl): any number may be open, alongside the session.  It takes
 * only VIGIL_IOC_WATCHDOG and VIGIL_IOC_REARM; every other command, and
 * mmap(2), fail on it with EBADF, and poll(2) reports POLLERR.  An open
 * with O_WRONLY fails with EINVAL.
 *
 * Watchdog
 * --------
 *
 * The shim counts faults: the broker closed the device while subscribed
 * to AUTH events (gone), the broker left work waiting for a whole
 * heartbeat period (hung), an AUTH deadline passed, an internal error, a
 * hook that ran past its time budget.  A full ring is not a fault (1.4):
 * it is load, which the ring sheds and counts in dropped[], so that
 * whoever makes the load cannot switch the sensor off with it.  Faults
 * are graded by who caused them (1.4); a number of one grade within a
 * window (module parameters) acts:
 *
 *   - the broker's (gone, hung, deadlines) degrade the shim: every AUTH
 *     waiter is released with its miss verdict, and AUTH events get it at
 *     once without asking, while notifications flow; the shim is armed
 *     again by itself once the heartbeat finds the broker healthy;
 *   - the shim's own (internal errors, slow hooks) trip it: every hook is
 *     detached, every AUTH waiter released; it re-arms by itself after a
 *     backoff, watchdog_auto_rearms times, then stays off until an
 *     administrator re-arms it (VIGIL_IOC_REARM, or a write to
 *     /sys/kernel/vigil/watchdog/rearm).
 *
 * The session stays open through either; re-arming attaches the hooks
 * again, with the session's subscriptions, mutes and watches.  The broker
 * learns of each change from a VIGIL_EVENT_WATCHDOG record; one is also
 * the first record of a session that connects while the shim is tripped
 * or degraded.  A broker that means to stop without counting a fault
 * unsubscribes from AUTH events before it closes the device.
 *
 * Permission (AUTH) events
 * ------------------------
 *
 * An AUTH record asks the broker whether an operation may go on: an exec
 * (VIGIL_EVENT_AUTH_EXEC, before the exec's point of no return) or a file
 * open (VIGIL_EVENT_AUTH_OPEN, on filesystems the broker watches with
 * VIGIL_IOC_WATCH).  The caller sleeps until the broker answers with
 * VIGIL_IOC_VERDICT or until the record's deadline; then the event type's
 * miss verdict applies (a module parameter: allow unless the administrator
 * chose deny).  AUTH events are off until the broker subscribes to them.
 * Processes holding the session's file never wait (the broker cannot
 * deadlock itself); a verdict sent with VIGIL_VERDICT_F_CACHE answers
 * repeats in the kernel until the file changes.
 *
 * Commands
 * --------
 *
 * VIGIL_IOC_HANDSHAKE (struct vigil_handshake, read/write)
 *   The client states the ABI version it was built for.  The shim answers
 *   with its own version, its feature bits and the ring geometry.  The
 *   struct may grow at the end in later minor versions: the size encoded
 *   in the command is the size the client knows, and the shim accepts
 *   any size from the first version's up, provided unknown trailing
 *   bytes are zero.  Errors:
 *     EINVAL           struct smaller than version 1's, flags != 0, or
 *                      client_minor >= 4 with a struct smaller than
 *                      version 2's
 *     E2BIG            non-zero bytes past the end of the shim's struct,
 *                      or a struct larger than a page
 *     EFAULT           the argument cannot be read or written
 *     EPROTONOSUPPORT  client_major != VIGIL_ABI_MAJOR; abi_major and
 *                      abi_minor are still filled in, so that the client
 *                      can say which version the shim speaks
 *     EALREADY         this session has already completed a handshake
 *     ENOENT           a kernel hook point the shim needs is missing
 *
 * VIGIL_IOC_SUBSCRIBE (struct vigil_subscribe, write)
 *   Set the event types delivered, VIGIL_EVENT_BIT() of each.  After the
 *   handshake: fork, exec and exit.  EINVAL for unknown bits or flags.
 *
 * VIGIL_IOC_VERDICT (struct vigil_verdicts, read/write)
 *   Answer AUTH events, up to VIGIL_VERDICT_BATCH_MAX at once.  The whole
 *   batch is checked first: EINVAL for a count of 0 or past the maximum,
 *   an entry size below version 1's or past 256, a verdict other than
 *   ALLOW or DENY, unknown flags, a non-zero reserved field, or an id
 *   given twice; E2BIG for non-zero bytes past the shim's entry; EFAULT.
 *   Then each entry is applied on its own: its error is 0, or -ENOENT if
 *   no event waits with that id (unknown, past its deadline, or already
 *   answered), which changes nothing.  applied counts the entries applied;
 *   the command fails with ENOENT if it is less than count.  EFAULT while
 *   writing the results back comes after the verdicts were applied.
 *
 * VIGIL_IOC_WATCH (struct vigil_watch, write)
 *   Watch (or with VIGIL_WATCH_F_REMOVE stop watching) the filesystem
 *   holding a path, for VIGIL_EVENT_AUTH_OPEN.  A watch covers every mount
 *   of that filesystem, and files created later; a filesystem mounted
 *   later is not covered until it is watched.  Errors: EINVAL (flags),
 *   EFAULT, ENOENT/ENOTDIR/EACCES/ENAMETOOLONG (the path, resolved as the
 *   caller), EEXIST (already watched), ENOENT (removing an unwatched
 *   one), ENOSPC (VIGIL_WATCH_MAX watches already), ENODEV (the shim's
 *   hooks are detached).
 *
 * VIGIL_IOC_MUTE (struct vigil_mute, write)
 *   Mute (or with VIGIL_MUTE_F_REMOVE unmute) events: of a process, of the
 *   processes running an executable, or about paths under a prefix.  A
 *   muted event is not produced: it costs no record, and an AUTH event is
 *   allowed without asking.  Errors: EINVAL (kind, flags, reserved bits,
 *   unknown event bits, a tgid of 0, a prefix not absolute), EFAULT,
 *   ENAMETOOLONG, ESRCH (no process with that tgid), ENOENT (an
 *   executable that does not exist, or removing a mute that is not
 *   there), EEXIST (already muted), ENOSPC (VIGIL_MUTE_MAX of that kind
 *   already).  A muted process or executable is held by the mute: its
 *   pid or inode cannot be reused for another under it.
 *
 * VIGIL_IOC_CACHE_FLUSH (struct vigil_cache_flush, write)
 *   Forget every cached verdict.  EINVAL for flags.
 *
 * VIGIL_IOC_AUTH_STATS (struct vigil_auth_stats, read/write)
 *   Counters of one AUTH event type for this session.  EINVAL for another
 *   type or non-zero reserved fields.
 *
 * VIGIL_IOC_WATCHDOG (struct vigil_watchdog_status, read/write)
 *   The watchdog's state, the reason and time of its last trip, its fault
 *   counters and its configuration.  On sessions, before the handshake
 *   too, and on control handles.  EINVAL for flags != 0.
 *
 * VIGIL_IOC_LIMIT (struct vigil_limit, read/write)
 *   Limit the records of one NOTIFY type to so many per second (fixed
 *   one-second windows; 0: no limit), or with VIGIL_LIMIT_F_GET read the
 *   limit; both return how many were skipped so far.  A skipped event
 *   takes its sequence number and counts in dropped[VIGIL_DROP_RATE_LIMIT].
 *   Errors: EINVAL (an AUTH, watchdog or unknown type, unknown flags),
 *   EFAULT.
 *
 * VIGIL_IOC_REARM (struct vigil_rearm, write)
 *   Re-arm a tripped shim, or recover a degraded one at once: the hooks
 *   are attached again for the connected broker, if any, and fault
 *   counting starts afresh.  On sessions and
 *   control handles.  Errors: EPERM without CAP_SYS_ADMIN; EINVAL for
 *   flags != 0; EALREADY if the shim is armed; EAGAIN while tripped and
 *   the backoff after repeated trips lasts (vigil_watchdog_status.rearm_after_ns says
 *   until when); the error of a hook that could not be attached, after
 *   which the shim stays tripped.
 *
 *   Any other command number fails with ENOTTY.
 *
 * Ring
 * ----
 *
 * The ring is modelled on the kernel's BPF ring buffer.  Its mmap layout:
 *
 *   offset ring_consumer_off, length ring_page_size:
 *     struct vigil_ring_consumer, the only page the broker may write.
 *     It must be mapped MAP_SHARED; PROT_WRITE is allowed.
 *   offset ring_producer_off, length ring_page_size + 2 * ring_data_size:
 *     struct vigil_ring_producer on the first page, then the data area,
 *     mapped twice in a row so that a record that wraps around the end is
 *     still contiguous in memory.  Read-only: a mapping with PROT_WRITE
 *     or PROT_EXEC fails with EPERM, and mprotect(2) cannot add either.
 *   Any other offset, another length or MAP_PRIVATE fails with EINVAL.
 *
 * The data area holds records, each preceded by a struct vigil_ring_hdr
 * and padded to 8 bytes.  Positions are byte counts that only grow; the
 * record at position P is at data + (P & (ring_data_size - 1)).  To
 * consume:
 *
 *   cons = consumer->pos;
 *   prod = load_acquire(&producer->pos);
 *   while (cons < prod) {
 *           hdr = data + (cons & mask);
 *           len = load_acquire(&hdr->len);
 *           if (len & VIGIL_RING_BUSY)
 *                   break;             // being written; poll again
 *           if (!(len & VIGIL_RING_DISCARD))
 *                   handle(hdr + 1, len & VIGIL_RING_LEN_MASK);
 *           cons += VIGIL_RING_RECORD_SIZE(len);
 *           store_release(&consumer->pos, cons);
 *   }
 *
 * poll(2) reports POLLIN while the producer position is ahead of the
 * consumer position.  Wake-ups are batched: the shim wakes the broker
 * only for a record written at the consumer's current position, and for
 * NOTIFY records at most once per 10 milliseconds: at once if the last
 * wake-up is older, else when the 10 ms are up, so that a burst costs one
 * wake-up.  It wakes it at once for an AUTH record, and when a quarter of
 * the ring is full.
 *
 * Nothing is lost silently: every event the shim produced for this
 * session took a sequence number, and every one that did not reach the
 * ring is counted in producer->dropped[] by cause, so that
 * delivered + sum(dropped) == produced.
 *
 * The AUTH lane (1.4)
 * -------------------
 *
 * A permission event must not wait behind a backlog of notifications: a
 * client that states client_minor 4 or later in its handshake gets a
 * second ring, the AUTH lane, of auth_ring_data_size bytes, mapped and
 * read exactly as the ring is, at auth_ring_consumer_off and
 * auth_ring_producer_off.  It carries the AUTH records and the watchdog's
 * records (VIGIL_LANE_EVENTS); the ring carries every other one.  Each
 * has its own sequence numbers and counters, and delivered + dropped ==
 * produced holds for each.  A broker reads the lane first, and again
 * between batches of the ring's records.  A client of an older minor gets
 * every record in the ring, as before, and cannot map the lane (EINVAL).
 *
 * Records
 * -------
 *
 * A record is a struct vigil_event header, the fixed part of its type
 * (the header is the first member of every fixed part, so hdr_len is the
 * size of the whole fixed part), then zero or more variable-length
 * fields (struct vigil_field), each starting on an 8-byte boundary.  Use
 * VIGIL_EVENT_OK() before trusting a record, VIGIL_EVENT_HAS() before
 * reading its fixed part, and VIGIL_FIELD_FOREACH() to walk its fields;
 * skip field types you do not know.
 *
 * VIGIL_EVENT_FORK   struct vigil_fork_event: a process or thread was
 *                    created.  The acting process is the parent.
 * VIGIL_EVENT_EXEC   struct vigil_exec_event: a process executed a new
 *                    program.  Fields: VIGIL_FIELD_EXE, VIGIL_FIELD_FILENAME,
 *                    VIGIL_FIELD_ARGV.
 * VIGIL_EVENT_EXIT   struct vigil_exit_event: a thread exited.
 * VIGIL_EVENT_AUTH_EXEC  struct vigil_auth_exec_event: may this exec go
 *                    on?  Fields: VIGIL_FIELD_EXE, _FILENAME, _ARGV.
 * VIGIL_EVENT_AUTH_OPEN  struct vigil_auth_open_event: may this open go
 *                    on?  Field: VIGIL_FIELD_PATH.
 * VIGIL_EVENT_AUTH_FALLBACK  struct vigil_auth_fallback_event (1.4): an
 *   AUTH event the broker did not decide, and the verdict applied.
 * VIGIL_EVENT_WATCHDOG  struct vigil_watchdog_event: the watchdog tripped
 *                    or was re-armed.  Always delivered: it cannot be
 *                    unsubscribed or muted.
 *
 * The catalogue (1.3).  Each record starts with a struct vigil_actor, the
 * process acting, and carries its executable in VIGIL_FIELD_EXE.  Each
 * type's hook is attached only while a broker subscribes to it, so that
 * an event nobody wants costs nothing.  Operations are reported when the
 * kernel checks them (its security hooks), before they are carried out:
 * one that then fails for another reason was reported all the same.
 *
 * VIGIL_EVENT_CRED   struct vigil_cred_event: a process's uids, gids or
 *                    capabilities changed (setuid(2), a set-user-ID
 *                    exec, capset(2)...): old and new values.
 * VIGIL_EVENT_SIGNAL  struct vigil_signal_event: a process sent a signal
 *                    to another process (kill(2), tgkill(2),
 *                    sigqueue(3)); signals the kernel sends are not
 *                    reported.
 * VIGIL_EVENT_PTRACE  struct vigil_ptrace_event: a process became traced.
 * VIGIL_EVENT_MODULE_LOAD, _MODULE_UNLOAD  struct vigil_module_event: a
 *                    kernel module was loaded or removed.  Field:
 *                    VIGIL_FIELD_NAME.
 * VIGIL_EVENT_MOUNT, _UMOUNT  struct vigil_mount_event: a filesystem was
 *                    mounted (mount(2), or move_mount(2)) or unmounted.
 *                    Fields: VIGIL_FIELD_SOURCE (mounts), VIGIL_FIELD_PATH
 *                    (the mount point), VIGIL_FIELD_FSTYPE.
 * VIGIL_EVENT_NET_CONNECT, _NET_BIND, _NET_LISTEN, _NET_ACCEPT
 *                    struct vigil_net_event: a socket of AF_INET, AF_INET6
 *                    or AF_UNIX connected, was bound, listened, or
 *                    accepted a connection.  Fields for AF_UNIX:
 *                    VIGIL_FIELD_LOCAL_PATH, VIGIL_FIELD_PEER_PATH.
 * VIGIL_EVENT_FILE_OPEN, _FILE_CLOSE_WRITE, _FILE_CREATE, _FILE_UNLINK,
 * _FILE_RENAME, _FILE_ATTR, _FILE_LINK, _FILE_TRUNCATE
 *                    struct vigil_file_event: a file was opened, closed
 *                    after being opened for writing, created, removed,
 *                    renamed, changed mode or owner, linked (hard or
 *                    symbolic) or truncated.  Fields: VIGIL_FIELD_PATH;
 *                    VIGIL_FIELD_NEW_PATH for a rename (the new name) and
 *                    a hard link (the link made; PATH is the file linked
 *                    to); VIGIL_FIELD_TARGET for a symbolic link (its
 *                    contents; PATH is the link).  Directories are only
 *                    reported when removed.
 *
 * Kernel threads are not reported: not their creation, not their exit.
 * Ids are in the initial pid namespace, uids and gids in the initial user
 * namespace, times are CLOCK_MONOTONIC nanoseconds.
 */
#ifndef _UAPI_LINUX_VIGIL_H
#define _UAPI_LINUX_VIGIL_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * 1.0: process events (fork, exec, exit), the ring, the handshake.
 * 1.1: AUTH events (exec, open), verdicts, watches, mutes, the verdict
 *      cache, subscriptions, AUTH stats.
 * 1.2: the watchdog: its status and re-arm commands, its record, control
 *      handles (O_RDONLY opens), the internal-error drop cause.
 * 1.3: the catalogue: credential, signal, ptrace, module, mount, network
 *      and file records, each with the actor block; rate limits
 *      (VIGIL_IOC_LIMIT) and their drop cause.
 */
#define VIGIL_ABI_MAJOR		1
#define VIGIL_ABI_MINOR		4

/* Feature bits, returned in vigil_handshake.features. */
#define VIGIL_FEATURE_PROC_EVENTS	(1ULL << 0)	/* fork, exec, exit */
#define VIGIL_FEATURE_AUTH_EXEC		(1ULL << 1)	/* AUTH_EXEC */
#define VIGIL_FEATURE_AUTH_OPEN		(1ULL << 2)	/* AUTH_OPEN, watches */
#define VIGIL_FEATURE_VERDICT_CACHE	(1ULL << 3)	/* VIGIL_VERDICT_F_CACHE */
#define VIGIL_FEATURE_MUTES		(1ULL << 4)	/* VIGIL_IOC_MUTE */
#define VIGIL_FEATURE_WATCHDOG		(1ULL << 5)	/* the watchdog, control handles */
#define VIGIL_FEATURE_CATALOGUE		(1ULL << 6)	/* the 1.3 records, limits */
#define VIGIL_FEATURE_AUTH_LANE		(1ULL << 7)	/* the AUTH lane (1.4) */

/**
 * struct vigil_handshake - agree on the ABI, learn the ring geometry
 * @client_major: in: the VIGIL_ABI_MAJOR the client was built with
 * @client_minor: in: the VIGIL_ABI_MINOR the client was built with
 * @flags: in: must be 0
 * @abi_major: out: the shim's VIGIL_ABI_MAJOR
 * @abi_minor: out: the shim's VIGIL_ABI_MINOR
 * @features: out: VIGIL_FEATURE_* bits this shim supports
 * @ring_data_size: out: bytes in the data area, a power of two
 * @ring_consumer_off: out: mmap offset of the consumer page
 * @ring_producer_off: out: mmap offset of the producer page and data area
 * @ring_page_size: out: length of the consumer page and of the producer
 *	page; the data area starts this many bytes into the producer mapping
 * @max_record_size: out: upper bound of vigil_event.len
 * @auth_ring_data_size: out (1.4): bytes in the AUTH lane's data area
 * @auth_ring_consumer_off: out (1.4): mmap offset of its consumer page
 * @auth_ring_producer_off: out (1.4): mmap offset of its producer page
 *	and data area
 *
 * Output fields are overwritten; their input values are ignored.  A
 * client that states client_minor 4 or later must pass the struct of 1.4
 * (VIGIL_HANDSHAKE_SIZE_VER2 bytes or more), which tells it where the
 * AUTH lane is: a shorter one fails with EINVAL.
 */
struct vigil_handshake {
	__u32 client_major;
	__u32 client_minor;
	__aligned_u64 flags;
	__u32 abi_major;
	__u32 abi_minor;
	__aligned_u64 features;
	__aligned_u64 ring_data_size;
	__aligned_u64 ring_consumer_off;
	__aligned_u64 ring_producer_off;
	__u32 ring_page_size;
	__u32 max_record_size;
	__aligned_u64 auth_ring_data_size;
	__aligned_u64 auth_ring_consumer_off;
	__aligned_u64 auth_ring_producer_off;
};

#define VIGIL_HANDSHAKE_SIZE_VER1	64
#define VIGIL_HANDSHAKE_SIZE_VER2	88	/* 1.4: the AUTH lane */

#define VIGIL_IOC_MAGIC		0xB9
#define VIGIL_IOC_HANDSHAKE	_IOWR(VIGIL_IOC_MAGIC, 0x00, struct vigil_handshake)

/* The bit of an event type in masks of event types. */
#define VIGIL_EVENT_BIT(type)	(1ULL << (type))

/**
 * struct vigil_subscribe - choose the event types delivered
 * @events: VIGIL_EVENT_BIT() of each type wanted
 * @flags: must be 0
 */
struct vigil_subscribe {
	__aligned_u64 events;
	__aligned_u64 flags;
};

#define VIGIL_IOC_SUBSCRIBE	_IOW(VIGIL_IOC_MAGIC, 0x01, struct vigil_subscribe)

/* vigil_verdict.verdict */
#define VIGIL_VERDICT_ALLOW	1
#define VIGIL_VERDICT_DENY	2

/* vigil_verdict.flags */
#define VIGIL_VERDICT_F_CACHE	(1U << 0)	/* remember for this file */

#define VIGIL_VERDICT_BATCH_MAX	256

/**
 * struct vigil_verdict - the answer to one AUTH event
 * @id: the event's vigil_auth.id
 * @verdict: VIGIL_VERDICT_ALLOW or VIGIL_VERDICT_DENY
 * @flags: VIGIL_VERDICT_F_*
 * @error: out: 0 if applied, -ENOENT if no event waits with this id
 * @reserved: zero
 */
struct vigil_verdict {
	__aligned_u64 id;
	__u32 verdict;
	__u32 flags;
	__s32 error;
	__u32 reserved;
};

#define VIGIL_VERDICT_SIZE_VER1	24

/**
 * struct vigil_verdicts - a batch of answers
 * @entries: user pointer to @count entries of @entry_size bytes
 * @count: 1 to VIGIL_VERDICT_BATCH_MAX
 * @entry_size: sizeof(struct vigil_verdict) as the client knows it
 * @applied: out: entries applied
 * @reserved: zero
 */
struct vigil_verdicts {
	__aligned_u64 entries;
	__u32 count;
	__u32 entry_size;
	__u32 applied;
	__u32 reserved;
};

#define VIGIL_IOC_VERDICT	_IOWR(VIGIL_IOC_MAGIC, 0x02, struct vigil_verdicts)

#define VIGIL_WATCH_F_REMOVE	(1U << 0)
#define VIGIL_WATCH_MAX		64

/**
 * struct vigil_watch - watch a filesystem for AUTH_OPEN
 * @path: user pointer to a NUL-terminated path on the filesystem
 * @flags: VIGIL_WATCH_F_*
 * @reserved: zero
 */
struct vigil_watch {
	__aligned_u64 path;
	__u32 flags;
	__u32 reserved;
};

#define VIGIL_IOC_WATCH		_IOW(VIGIL_IOC_MAGIC, 0x03, struct vigil_watch)

/* vigil_mute.kind */
#define VIGIL_MUTE_PROCESS	1	/* the process @tgid */
#define VIGIL_MUTE_EXE		2	/* processes running the file @path */
#define VIGIL_MUTE_PATH		3	/* paths under the directory @path */

#define VIGIL_MUTE_F_REMOVE	(1U << 0)
#define VIGIL_MUTE_MAX		256	/* of each kind */

/**
 * struct vigil_mute - mute or unmute events
 * @kind: VIGIL_MUTE_*
 * @flags: VIGIL_MUTE_F_*
 * @events: VIGIL_EVENT_BIT() of the types muted; 0 for every type
 * @tgid: VIGIL_MUTE_PROCESS: the process
 * @reserved: zero
 * @path: VIGIL_MUTE_EXE, VIGIL_MUTE_PATH: user pointer to a NUL-terminated
 *	path.  An executable is resolved when muted and matched by file
 *	identity; a prefix is an absolute path, matched as a string, by whole
 *	components, against paths resolved from the broker's root.
 */
struct vigil_mute {
	__u32 kind;
	__u32 flags;
	__aligned_u64 events;
	__u32 tgid;
	__u32 reserved;
	__aligned_u64 path;
};

#define VIGIL_IOC_MUTE		_IOW(VIGIL_IOC_MAGIC, 0x04, struct vigil_mute)

/**
 * struct vigil_cache_flush - forget cached verdicts
 * @flags: must be 0
 */
struct vigil_cache_flush {
	__aligned_u64 flags;
};

#define VIGIL_IOC_CACHE_FLUSH	_IOW(VIGIL_IOC_MAGIC, 0x05, struct vigil_cache_flush)

#define VIGIL_LATENCY_BUCKETS	8

/**
 * struct vigil_auth_stats - counters of one AUTH event type
 * @type: in: VIGIL_EVENT_AUTH_EXEC or VIGIL_EVENT_AUTH_OPEN
 * @reserved: zero
 * @requests: events decided: allowed + denied
 * @allowed: events allowed
 * @denied: events denied
 * @answered: decided by the broker's verdict
 * @missed: the deadline passed: the miss verdict applied
 * @overflow: too many waiters: the miss verdict applied at once
 * @undelivered: the record did not fit in the ring: the miss verdict
 * @released: the broker closed the device: the miss verdict
 * @killed: the waiting task was killed: denied
 * @cache_hits: decided by a cached verdict
 * @cache_misses: looked up in the cache and not found
 * @muted: muted: allowed without asking
 * @self: from a process holding the session's file: allowed at once
 * @latency: answered events by time from record to verdict: bucket i
 *	counts those under 10^(i+1) microseconds, the last one the rest
 * @degraded: (1.4) the watchdog was degraded: the miss verdict at once,
 *	without asking
 * @over_budget: (1.4) its source had source_max_waiters waiting until the
 *	deadline: denied, without asking
 *
 * answered + missed + overflow + undelivered + released + killed +
 * cache_hits + muted + self + degraded + over_budget == requests.
 */
struct vigil_auth_stats {
	__u32 type;
	__u32 reserved;
	__aligned_u64 requests;
	__aligned_u64 allowed;
	__aligned_u64 denied;
	__aligned_u64 answered;
	__aligned_u64 missed;
	__aligned_u64 overflow;
	__aligned_u64 undelivered;
	__aligned_u64 released;
	__aligned_u64 killed;
	__aligned_u64 cache_hits;
	__aligned_u64 cache_misses;
	__aligned_u64 muted;
	__aligned_u64 self;
	__aligned_u64 latency[VIGIL_LATENCY_BUCKETS];
	__aligned_u64 degraded;
	__aligned_u64 over_budget;
};

#define VIGIL_AUTH_STATS_SIZE_VER1	176

#define VIGIL_IOC_AUTH_STATS	_IOWR(VIGIL_IOC_MAGIC, 0x06, struct vigil_auth_stats)

/* Watchdog states, vigil_watchdog_status.state and vigil_watchdog_event.state. */
#define VIGIL_WATCHDOG_ARMED	1	/* hooks attached while a broker is connected */
#define VIGIL_WATCHDOG_TRIPPED	2	/* the shim's faults: hooks detached until re-armed */
#define VIGIL_WATCHDOG_DEGRADED	3	/* the broker's faults: AUTH not asked (1.4) */

/*
 * Fault classes: the reason of a degrade or a trip, and indexes of
 * vigil_watchdog_status.faults (slot 0 is unused).  The broker's (1 to 3)
 * degrade the shim; the shim's own (5, 6) trip it.
 */
#define VIGIL_FAULT_BROKER_GONE		1	/* closed while subscribed to AUTH */
#define VIGIL_FAULT_BROKER_HUNG		2	/* work left waiting a heartbeat period */
#define VIGIL_FAULT_DEADLINE_MISSED	3	/* an AUTH event's deadline passed */
#define VIGIL_FAULT_RING_OVERFLOW	4	/* retired in 1.4: a full ring is load, never a fault */
#define VIGIL_FAULT_INTERNAL_ERROR	5	/* the shim found itself in error */
#define VIGIL_FAULT_SLOW_HOOK		6	/* a hook ran past its time budget */
#define VIGIL_FAULT_SLOTS		8	/* size of the array */

/**
 * struct vigil_watchdog_status - the watchdog's state
 * @flags: in: must be 0
 * @state: VIGIL_WATCHDOG_ARMED, _DEGRADED or _TRIPPED
 * @reason: VIGIL_FAULT_* of the fault that degraded or tripped it last; 0
 *	if neither happened since the module was loaded
 * @trips: trips since the module was loaded
 * @trip_time_ns: CLOCK_MONOTONIC time of the last trip; 0 if none
 * @rearm_after_ns: while tripped, the CLOCK_MONOTONIC time from which it
 *	may be re-armed (the backoff after repeated trips); 0 if at once
 * @window_faults: faults within the current window, of the grade (the
 *	broker's, the shim's) that has more and can still act
 * @max_faults: faults within a window that trip it (watchdog_faults)
 * @window_ms: the window (watchdog_window_ms)
 * @heartbeat_ms: the heartbeat period (watchdog_heartbeat_ms)
 * @hooks_attached: 1 while the hooks are attached, else 0
 * @broker_connected: 1 while a broker has a session past its handshake
 * @faults: faults of each VIGIL_FAULT_* class since the module was loaded
 * @degrades: (1.4) degrades since the module was loaded
 * @auto_rearms: (1.4) re-arms the shim made by itself since then
 * @degrade_time_ns: (1.4) CLOCK_MONOTONIC time of the last degrade; 0 if none
 * @recover_after_ns: (1.4) while degraded, the CLOCK_MONOTONIC time from
 *	which a healthy broker brings it back; else 0
 * @auto_rearm_ns: (1.4) while tripped, the CLOCK_MONOTONIC time at which it
 *	re-arms by itself; 0 if it will not (the administrator must)
 * @max_auto_rearms: (1.4) re-arms it may make by itself (watchdog_auto_rearms)
 * @reserved: zero
 *
 * Every field but @flags is output.
 */
struct vigil_watchdog_status {
	__u32 flags;
	__u32 state;
	__u32 reason;
	__u32 trips;
	__aligned_u64 trip_time_ns;
	__aligned_u64 rearm_after_ns;
	__u32 window_faults;
	__u32 max_faults;
	__u32 window_ms;
	__u32 heartbeat_ms;
	__u32 hooks_attached;
	__u32 broker_connected;
	__aligned_u64 faults[VIGIL_FAULT_SLOTS];
	__u32 degrades;
	__u32 auto_rearms;
	__aligned_u64 degrade_time_ns;
	__aligned_u64 recover_after_ns;
	__aligned_u64 auto_rearm_ns;
	__u32 max_auto_rearms;
	__u32 reserved;
};

#define VIGIL_WATCHDOG_STATUS_SIZE_VER1	120

#define VIGIL_IOC_WATCHDOG	_IOWR(VIGIL_IOC_MAGIC, 0x07, struct vigil_watchdog_status)

/**
 * struct vigil_rearm - re-arm a tripped watchdog
 * @flags: must be 0
 */
struct vigil_rearm {
	__aligned_u64 flags;
};

#define VIGIL_IOC_REARM		_IOW(VIGIL_IOC_MAGIC, 0x08, struct vigil_rearm)

/* vigil_limit.flags */
#define VIGIL_LIMIT_F_GET	(1U << 0)	/* read the limit, change nothing */

/**
 * struct vigil_limit - a rate limit on one NOTIFY event type
 * @type: in: VIGIL_EVENT_*, not an AUTH type nor VIGIL_EVENT_WATCHDOG
 * @per_second: in: records of @type let through per second, 0 for no
 *	limit; with VIGIL_LIMIT_F_GET, out: the limit
 * @flags: in: VIGIL_LIMIT_F_*
 * @skipped: out: events of @type the limit skipped in this session
 */
struct vigil_limit {
	__u32 type;
	__u32 per_second;
	__aligned_u64 flags;
	__aligned_u64 skipped;
};

#define VIGIL_IOC_LIMIT		_IOWR(VIGIL_IOC_MAGIC, 0x09, struct vigil_limit)

/**
 * struct vigil_ring_consumer - the page the broker writes
 * @pos: position up to which the broker has consumed; store with release
 *	semantics after the records before it have been read
 */
struct vigil_ring_consumer {
	__aligned_u64 pos;
};

/* Causes of drops, indexes into vigil_ring_producer.dropped. */
#define VIGIL_DROP_RING_FULL	0	/* no room in the ring */
#define VIGIL_DROP_NESTED	1	/* a hook ran inside another on one CPU */
#define VIGIL_DROP_DISCARDED	2	/* written, then withdrawn by the shim */
#define VIGIL_DROP_INTERNAL	3	/* lost to an internal error of the shim */
#define VIGIL_DROP_RATE_LIMIT	4	/* skipped by a rate limit (VIGIL_IOC_LIMIT) */
#define VIGIL_DROP_SOURCE_BUDGET 5	/* 1.4: its source holds its share of the ring */
#define VIGIL_DROP_SLOTS	16	/* size of the array; unused slots are 0 */

/**
 * struct vigil_ring_producer - the read-only page the shim writes
 * @pos: position up to which records have been reserved; load with acquire
 *	semantics before reading the records it covers
 * @produced: events produced for this session, delivered or dropped
 * @dropped: events that did not reach the ring, per VIGIL_DROP_* cause
 */
struct vigil_ring_producer {
	__aligned_u64 pos;
	__aligned_u64 produced;
	__aligned_u64 dropped[VIGIL_DROP_SLOTS];
};

/**
 * struct vigil_ring_hdr - precedes every record in the data area
 * @len: length of the record that follows, ORed with VIGIL_RING_BUSY while
 *	the shim is writing it and VIGIL_RING_DISCARD if the shim withdrew it
 * @reserved: the shim's (1.4: the source it charged the record to); ignore
 */
struct vigil_ring_hdr {
	__u32 len;
	__u32 reserved;
};

#define VIGIL_RING_BUSY		(1U << 31)
#define VIGIL_RING_DISCARD	(1U << 30)
#define VIGIL_RING_LEN_MASK	(VIGIL_RING_DISCARD - 1)
/* Bytes a record occupies in the data area, header and padding included. */
#define VIGIL_RING_RECORD_SIZE(len) \
	((((len) & VIGIL_RING_LEN_MASK) + sizeof(struct vigil_ring_hdr) + 7) & ~7U)

/* Record types, vigil_event.type.  Retired numbers stay listed here. */
#define VIGIL_EVENT_FORK	1
#define VIGIL_EVENT_EXEC	2
#define VIGIL_EVENT_EXIT	3
#define VIGIL_EVENT_AUTH_EXEC	4
#define VIGIL_EVENT_AUTH_OPEN	5
#define VIGIL_EVENT_WATCHDOG	6
#define VIGIL_EVENT_CRED	7
#define VIGIL_EVENT_SIGNAL	8
#define VIGIL_EVENT_PTRACE	9
#define VIGIL_EVENT_MODULE_LOAD	10
#define VIGIL_EVENT_MODULE_UNLOAD 11
#define VIGIL_EVENT_MOUNT	12
#define VIGIL_EVENT_UMOUNT	13
#define VIGIL_EVENT_NET_CONNECT	14
#define VIGIL_EVENT_NET_BIND	15
#define VIGIL_EVENT_NET_LISTEN	16
#define VIGIL_EVENT_NET_ACCEPT	17
#define VIGIL_EVENT_FILE_OPEN	18
#define VIGIL_EVENT_FILE_CLOSE_WRITE 19
#define VIGIL_EVENT_FILE_CREATE	20
#define VIGIL_EVENT_FILE_UNLINK	21
#define VIGIL_EVENT_FILE_RENAME	22
#define VIGIL_EVENT_FILE_ATTR	23
#define VIGIL_EVENT_FILE_LINK	24
#define VIGIL_EVENT_FILE_TRUNCATE 25
#define VIGIL_EVENT_AUTH_FALLBACK 26	/* 1.4: an AUTH decision not the broker's */
#define VIGIL_EVENT_SOURCE	27	/* 1.4: what one source produced and lost */

/* The records that travel in the AUTH lane (1.4), for clients that have it. */
#define VIGIL_LANE_EVENTS	(VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC) |	\
				 VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_OPEN) |	\
				 VIGIL_EVENT_BIT(VIGIL_EVENT_WATCHDOG) |	\
				 VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_FALLBACK) | \
				 VIGIL_EVENT_BIT(VIGIL_EVENT_SOURCE))

#define VIGIL_EVENT_VERSION	1

/* vigil_event.flags */
#define VIGIL_EVENT_F_TRUNCATED	(1U << 0)	/* a field was cut or left out */

/**
 * struct vigil_event - common header of every record
 * @len: length of the whole record, a multiple of 8
 * @version: VIGIL_EVENT_VERSION; a record of another version has another
 *	header layout
 * @hdr_len: length of the fixed part (this header included); the first
 *	field starts here
 * @type: VIGIL_EVENT_*
 * @flags: VIGIL_EVENT_F_*
 * @seq: the session's sequence number of this event, starting at 1; a gap
 *	means dropped events.  Records of different CPUs may appear slightly
 *	out of order.
 * @time_ns: when the event happened, CLOCK_MONOTONIC
 */
struct vigil_event {
	__u32 len;
	__u16 version;
	__u16 hdr_len;
	__u32 type;
	__u32 flags;
	__aligned_u64 seq;
	__aligned_u64 time_ns;
};

/**
 * struct vigil_proc - the process an event is about
 * @pid: thread id
 * @tgid: process id
 * @ppid: process id of the real parent
 * @uid: real user id
 * @gid: real group id
 * @euid: effective user id
 * @egid: effective group id
 * @reserved: zero
 * @start_ns: start time of the process (its thread-group leader),
 *	CLOCK_MONOTONIC; (tgid, start_ns) names a process across pid reuse
 */
struct vigil_proc {
	__u32 pid;
	__u32 tgid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 euid;
	__u32 egid;
	__u32 reserved;
	__aligned_u64 start_ns;
};

/**
 * struct vigil_fork_event - VIGIL_EVENT_FORK
 * @hdr: common header
 * @parent: the process that called fork/clone
 * @child_pid: thread id of the new task
 * @child_tgid: process id of the new task; equal to parent.tgid for a thread
 */
struct vigil_fork_event {
	struct vigil_event hdr;
	struct vigil_proc parent;
	__u32 child_pid;
	__u32 child_tgid;
};

/**
 * struct vigil_exec_event - VIGIL_EVENT_EXEC
 * @hdr: common header
 * @proc: the process, with the credentials of the new program
 * @old_pid: thread id that called execve (differs from proc.pid when a
 *	thread other than the leader executed)
 * @argc: number of arguments, even when VIGIL_FIELD_ARGV is truncated
 * @exe_dev: device of the file executed, as stat(2) gives st_dev
 * @reserved: zero
 * @exe_ino: inode number of the file executed: with @exe_dev, names the
 *	file whatever root or mount namespace the process sees it through
 *
 * Fields: VIGIL_FIELD_EXE, VIGIL_FIELD_FILENAME and VIGIL_FIELD_ARGV.
 */
struct vigil_exec_event {
	struct vigil_event hdr;
	struct vigil_proc proc;
	__u32 old_pid;
	__u32 argc;
	__u32 exe_dev;
	__u32 reserved;
	__aligned_u64 exe_ino;
};

/* vigil_exit_event.flags */
#define VIGIL_EXIT_F_PROCESS	(1U << 0)	/* the last thread: the process is gone */

/**
 * struct vigil_exit_event - VIGIL_EVENT_EXIT
 * @hdr: common header
 * @proc: the exiting thread and its process
 * @exit_code: the wait(2) status: exit status << 8, or the terminating
 *	signal, ORed with 0x80 if a core was dumped
 * @flags: VIGIL_EXIT_F_*
 */
struct vigil_exit_event {
	struct vigil_event hdr;
	struct vigil_proc proc;
	__u32 exit_code;
	__u32 flags;
};

/**
 * struct vigil_auth - what every AUTH record carries first
 * @id: the id to answer with, in VIGIL_IOC_VERDICT
 * @deadline_ns: CLOCK_MONOTONIC time at which the shim stops waiting and
 *	applies the miss verdict
 */
struct vigil_auth {
	__aligned_u64 id;
	__aligned_u64 deadline_ns;
};

/* vigil_auth_exec_event.flags */
#define VIGIL_AUTH_EXEC_F_INTERPRETER	(1U << 0)	/* for a script */

/**
 * struct vigil_auth_exec_event - VIGIL_EVENT_AUTH_EXEC
 * @hdr: common header
 * @auth: id and deadline
 * @proc: the process calling execve, as it is before the exec
 * @argc: number of arguments, even when VIGIL_FIELD_ARGV is truncated
 * @flags: VIGIL_AUTH_EXEC_F_INTERPRETER if the file is the interpreter of
 *	a script (the script had its own AUTH_EXEC record just before)
 * @exe_dev: device of the file to run, as stat(2) gives st_dev
 * @reserved: zero
 * @exe_ino: inode number of the file to run
 *
 * Fields: VIGIL_FIELD_EXE (the file to run), VIGIL_FIELD_FILENAME (the
 * path given to execve) and VIGIL_FIELD_ARGV.
 */
struct vigil_auth_exec_event {
	struct vigil_event hdr;
	struct vigil_auth auth;
	struct vigil_proc proc;
	__u32 argc;
	__u32 flags;
	__u32 exe_dev;
	__u32 reserved;
	__aligned_u64 exe_ino;
};

/* vigil_auth_open_event.access */
#define VIGIL_ACCESS_READ	(1U << 0)
#define VIGIL_ACCESS_WRITE	(1U << 1)
#define VIGIL_ACCESS_EXEC	(1U << 2)	/* opened to be executed */

/**
 * struct vigil_auth_open_event - VIGIL_EVENT_AUTH_OPEN
 * @hdr: common header
 * @auth: id and deadline
 * @proc: the process opening the file
 * @open_flags: the flags given to open(2): O_ACCMODE, O_TRUNC, O_APPEND...
 * @access: VIGIL_ACCESS_* the file is opened for
 * @dev: device of the file, as stat(2) gives st_dev
 * @reserved: zero
 * @ino: inode number of the file
 *
 * Field: VIGIL_FIELD_PATH.  Directories are not reported.
 */
struct vigil_auth_open_event {
	struct vigil_event hdr;
	struct vigil_auth auth;
	struct vigil_proc proc;
	__u32 open_flags;
	__u32 access;
	__u32 dev;
	__u32 reserved;
	__aligned_u64 ino;
};

/**
 * struct vigil_watchdog_event - VIGIL_EVENT_WATCHDOG
 * @hdr: common header; hdr.time_ns is when the change took effect
 * @state: VIGIL_WATCHDOG_TRIPPED (hooks detached, no events until
 *	re-armed), VIGIL_WATCHDOG_DEGRADED (1.4: notifications flow, AUTH
 *	events get their miss verdict without asking until the broker is
 *	healthy) or VIGIL_WATCHDOG_ARMED (re-armed or recovered)
 * @reason: VIGIL_FAULT_* of the fault that degraded or tripped it last;
 *	0 if none
 * @trips: trips since the module was loaded
 * @reserved: zero
 * @trip_time_ns: CLOCK_MONOTONIC time of the last trip; 0 if none
 */
struct vigil_watchdog_event {
	struct vigil_event hdr;
	__u32 state;
	__u32 reason;
	__u32 trips;
	__u32 reserved;
	__aligned_u64 trip_time_ns;
};

/**
 * struct vigil_actor - the process acting, first in each record of 1.3
 * @proc: the process, as in the process records
 * @cgroup_id: the id of its cgroup in the cgroup v2 hierarchy (the inode
 *	number of the cgroup's directory, as bpf_get_current_cgroup_id()
 *	gives it): which container it runs in; 0 if unknown
 *
 * Its executable is the record's VIGIL_FIELD_EXE.
 */
struct vigil_actor {
	struct vigil_proc proc;
	__aligned_u64 cgroup_id;
};

/* vigil_auth_fallback_event.cause: why the broker did not decide. */
#define VIGIL_FALLBACK_MISSED		1	/* asked; the deadline passed */
#define VIGIL_FALLBACK_OVERFLOW		2	/* not asked: auth_max_waiters wait */
#define VIGIL_FALLBACK_UNDELIVERED	3	/* not asked: no room in the lane */
#define VIGIL_FALLBACK_RELEASED		4	/* asked; released: degrade, trip, close */
#define VIGIL_FALLBACK_DEGRADED		5	/* not asked: the watchdog is degraded */
#define VIGIL_FALLBACK_OVER_BUDGET	6	/* not asked: no place for its source */

/**
 * struct vigil_auth_fallback_event - VIGIL_EVENT_AUTH_FALLBACK (1.4)
 * @hdr: common header; hdr.time_ns is when the verdict applied
 * @actor: the process whose exec or open it was
 * @auth_type: VIGIL_EVENT_AUTH_EXEC or VIGIL_EVENT_AUTH_OPEN
 * @verdict: VIGIL_VERDICT_* the shim applied: the type's miss verdict
 * @cause: VIGIL_FALLBACK_*
 * @reserved: zero
 * @id: the id of the AUTH record the broker was sent; 0 if none was
 *
 * Every AUTH event decided neither by the broker nor by its own policy
 * (a cached verdict, a mute, a holder of the session) has one, in the AUTH
 * lane, so that nothing is allowed unseen.  It comes with a subscription
 * to AUTH events (it cannot be subscribed to alone), to brokers of 1.4 and
 * later.  Fields: VIGIL_FIELD_EXE (the actor's executable) and
 * VIGIL_FIELD_PATH (the file executed or opened).
 */
struct vigil_auth_fallback_event {
	struct vigil_event hdr;
	struct vigil_actor actor;
	__u32 auth_type;
	__u32 verdict;
	__u32 cause;
	__u32 reserved;
	__aligned_u64 id;
};

/* vigil_source_event.uid of the uids past the shim's table of sources. */
#define VIGIL_SOURCE_UID_OTHERS	0xffffffffU

/**
 * struct vigil_source_event - VIGIL_EVENT_SOURCE (1.4)
 * @hdr: common header
 * @uid: the source: a real uid, or VIGIL_SOURCE_UID_OTHERS for every uid
 *	past the 62 a session has a place for
 * @reserved: zero
 * @produced: records produced in this session about its processes (the
 *	shim's own reports, VIGIL_EVENT_AUTH_FALLBACK, excepted), in both
 *	rings, delivered or dropped
 * @dropped: those dropped, per VIGIL_DROP_* cause
 *
 * Load is shed per source: one may hold source_ring_share percent of a
 * ring, past which its records are dropped (VIGIL_DROP_SOURCE_BUDGET), and
 * source_max_waiters AUTH waiters.  Within 100 ms of a drop, the broker
 * gets one of these in the AUTH lane, with the counters so far: what was
 * lost, and whose.  Counting the records it got about the source's
 * processes (by their real uid), a broker finds delivered + sum(dropped)
 * == produced.  Always delivered to brokers of 1.4 and later; cannot be
 * subscribed to or muted.
 */
struct vigil_source_event {
	struct vigil_event hdr;
	__u32 uid;
	__u32 reserved;
	__aligned_u64 produced;
	__aligned_u64 dropped[VIGIL_DROP_SLOTS];
};

/* vigil_cred_event.changed */
#define VIGIL_CRED_UIDS		(1U << 0)	/* uid, euid, suid or fsuid */
#define VIGIL_CRED_GIDS		(1U << 1)	/* gid, egid, sgid or fsgid */
#define VIGIL_CRED_CAPS		(1U << 2)	/* a capability set */

/**
 * struct vigil_ids - the user and group ids of a process
 * @uid: real user id
 * @euid: effective
 * @suid: saved
 * @fsuid: for filesystem access
 * @gid: real group id
 * @egid: effective
 * @sgid: saved
 * @fsgid: for filesystem access
 */
struct vigil_ids {
	__u32 uid;
	__u32 euid;
	__u32 suid;
	__u32 fsuid;
	__u32 gid;
	__u32 egid;
	__u32 sgid;
	__u32 fsgid;
};

/**
 * struct vigil_caps - the capability sets of a process, CAP_* bits
 * @effective: effective
 * @permitted: permitted
 * @inheritable: inheritable
 * @ambient: ambient
 */
struct vigil_caps {
	__aligned_u64 effective;
	__aligned_u64 permitted;
	__aligned_u64 inheritable;
	__aligned_u64 ambient;
};

/**
 * struct vigil_cred_event - VIGIL_EVENT_CRED
 * @hdr: common header
 * @actor: the process whose credentials change; its ids as they were
 * @old_ids: before
 * @new_ids: after
 * @old_caps: before
 * @new_caps: after
 * @changed: VIGIL_CRED_* of what differs
 * @reserved: zero
 *
 * Reported when the change is made (commit_creds()); a change that only
 * touches other parts of the credentials (keyrings, securebits) is not.
 */
struct vigil_cred_event {
	struct vigil_event hdr;
	struct vigil_actor actor;
	struct vigil_ids old_ids;
	struct vigil_ids new_ids;
	struct vigil_caps old_caps;
	struct vigil_caps new_caps;
	__u32 changed;
	__u32 reserved;
};

/* vigil_signal_event.flags */
#define VIGIL_SIGNAL_F_GROUP	(1U << 0)	/* to the process, not a thread */

/**
 * struct vigil_signal_event - VIGIL_EVENT_SIGNAL
 * @hdr: common header
 * @actor: the sender
 * @target_pid: thread id of the target
 * @target_tgid: process id of the target
 * @signo: the signal number
 * @code: its si_code: SI_USER (kill), SI_TKILL (tkill, tgkill), SI_QUEUE...
 * @flags: VIGIL_SIGNAL_F_*
 * @result: what the kernel made of it: 0 delivered, 1 ignored, 2 already
 *	pending, 3 queue overflow, 4 delivered without its information
 */
struct vigil_signal_event {
	struct vigil_event hdr;
	struct vigil_actor actor;
	__u32 target_pid;
	__u32 target_tgid;
	__u32 signo;
	__s32 code;
	__u32 flags;
	__s32 result;
};

/* vigil_ptrace_event.flags */
#define VIGIL_PTRACE_F_TRACEME	(1U << 0)	/* the target asked (PTRACE_TRACEME) */
#define VIGIL_PTRACE_F_FORK	(1U << 1)	/* a traced process's new child */

/**
 * struct vigil_ptrace_event - VIGIL_EVENT_PTRACE
 * @hdr: common header
 * @actor: the process that made it happen: the tracer attaching
 *	(PTRACE_ATTACH, PTRACE_SEIZE), the target itself, or the traced
 *	parent of the target
 * @tracer_pid: thread id of the tracer
 * @tracer_tgid: process id of the tracer
 * @target_pid: thread id of the thread now traced
 * @target_tgid: its process id
 * @flags: VIGIL_PTRACE_F_*
 * @reserved: zero
 */
struct vigil_ptrace_event {
	struct vigil_event hdr;
	struct vigil_actor actor;
	__u32 tracer_pid;
	__u32 tracer_tgid;
	__u32 target_pid;
	__u32 target_tgid;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct vigil_module_event - VIGIL_EVENT_MODULE_LOAD, _MODULE_UNLOAD
 * @hdr: common header
 * @actor: the process that loaded or removed it
 * @taints: MODULE_LOAD: the taint flags the module brings (1 << TAINT_*);
 *	otherwise 0
 * @reserved: zero
 *
 * Field: VIGIL_FIELD_NAME, the module's name.
 */
struct vigil_module_event {
	struct vigil_event hdr;
	struct vigil_actor actor;
	__u32 taints;
	__u32 reserved;
};

/* vigil_mount_event.flags: besides mount(2)'s MS_* flags */
#define VIGIL_MOUNT_F_MOVE_MOUNT (1ULL << 63)	/* by move_mount(2) */

/**
 * struct vigil_mount_event - VIGIL_EVENT_MOUNT, _UMOUNT
 * @hdr: common header
 * @actor: the process mounting or unmounting
 * @flags: MOUNT: mount(2)'s flags (MS_BIND, MS_REMOUNT, MS_MOVE...), or
 *	VIGIL_MOUNT_F_MOVE_MOUNT; UMOUNT: umount2(2)'s flags (MNT_*)
 *
 * Fields: VIGIL_FIELD_SOURCE (MOUNT: what mount(2) was given to mount,
 * a device, a directory or a name; for move_mount(2) the path of the
 * mount moved), VIGIL_FIELD_PATH (the mount point), VIGIL_FIELD_FSTYPE
 * (the filesystem's type, absent when mount(2) needs none).
 */
struct vigil_mount_event {
	struct vigil_event hdr;
	struct vigil_actor actor;
	__aligned_u64 flags;
};

/**
 * struct vigil_sockaddr - an address of a socket
 * @family: AF_INET, AF_INET6 or AF_UNIX; 0 if the socket has none
 * @port: the port, in host order; 0 for AF_UNIX
 * @scope_id: AF_INET6: the scope (interface) id; otherwise 0
 * @addr: AF_INET: the address in its first 4 bytes, network order;
 *	AF_INET6: 16 bytes; AF_UNIX: zero (the path is a field)
 */
struct vigil_sockaddr {
	__u16 family;
	__u16 port;
	__u32 scope_id;
	__u8 addr[16];
};

/**
 * struct vigil_net_event - VIGIL_EVENT_NET_CONNECT, _BIND, _LISTEN, _ACCEPT
 * @hdr: common header
 * @actor: the process
 * @family: the socket's: AF_INET, AF_INET6 or AF_UNIX
 * @type: SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET...
 * @protocol: IPPROTO_TCP, IPPROTO_UDP...; 0 for AF_UNIX
 * @reserved: zero
 * @backlog: NET_LISTEN: the backlog asked for; otherwise 0
 * @reserved2: zero
 * @local: the socket's own address: for NET_BIND the one asked for; for
 *	NET_CONNECT and NET_LISTEN the one it has (AF_INET: 0.0.0.0 port 0
 *	before it is bound); for NET_ACCEPT the new connection's
 * @remote: NET_CONNECT: the address to connect to; NET_ACCEPT: the peer;
 *	otherwise family 0
 *
 * Fields for AF_UNIX: VIGIL_FIELD_LOCAL_PATH and VIGIL_FIELD_PEER_PATH,
 * the paths of @local and @remote; an abstract name (sun_path[0] NUL) is
 * given with '@' in place of its NUL and flagged VIGIL_FIELD_F_ABSTRACT;
 * an unnamed address has no field.
 */
struct vigil_net_event {
	struct vigil_event hdr;
	struct vigil_actor actor;
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u16 reserved;
	__u32 backlog;
	__u32 reserved2;
	struct vigil_sockaddr local;
	struct vigil_sockaddr remote;
};

/* vigil_file_event.flags, by type */
#define VIGIL_FILE_F_DIR	(1U << 0)	/* UNLINK: a directory (rmdir) */
#define VIGIL_FILE_F_SYMLINK	(1U << 0)	/* LINK: a symbolic link */
#define VIGIL_ATTR_MODE		(1U << 0)	/* ATTR: the mode changes */
#define VIGIL_ATTR_UID		(1U << 1)	/* ATTR: the owner changes */
#define VIGIL_ATTR_GID		(1U << 2)	/* ATTR: the group changes */

/**
 * struct vigil_file_event - the VIGIL_EVENT_FILE_* records
 * @hdr: common header
 * @actor: the process
 * @flags: OPEN: the flags given to open(2) (O_ACCMODE, O_CREAT, O_TRUNC,
 *	O_APPEND...); UNLINK: VIGIL_FILE_F_DIR; RENAME: renameat2(2)'s
 *	flags (RENAME_NOREPLACE, _EXCHANGE, _WHITEOUT); ATTR: VIGIL_ATTR_*;
 *	LINK: VIGIL_FILE_F_SYMLINK; otherwise 0
 * @mode: CREATE: the new file's mode, its type included (S_IFREG...);
 *	ATTR with VIGIL_ATTR_MODE: the new mode; otherwise the file's mode
 * @uid: ATTR with VIGIL_ATTR_UID: the new owner; otherwise the file's
 * @gid: ATTR with VIGIL_ATTR_GID: the new group; otherwise the file's
 * @dev: the file's device, as stat(2) gives st_dev (CREATE, and LINK of
 *	a symbolic link: the directory's)
 * @reserved: zero
 * @ino: the file's inode number; 0 for a file not made yet (CREATE, and
 *	LINK of a symbolic link)
 *
 * Uids and gids are in the initial user namespace.  Fields: see the
 * record types above.
 */
struct vigil_file_event {
	struct vigil_event hdr;
	struct vigil_actor actor;
	__u32 flags;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 dev;
	__u32 reserved;
	__aligned_u64 ino;
};

/*
 * Variable-length field types, vigil_field.type.
 *
 * VIGIL_FIELD_EXE       string: path of the file executed (for a script,
 *                       its interpreter), as the process sees it
 * VIGIL_FIELD_FILENAME  string: the path as given to execve(2)
 * VIGIL_FIELD_ARGV      the arguments, each ending in a NUL
 * VIGIL_FIELD_PATH      string: the file an AUTH_OPEN or a file record is
 *                       about, the mount point of a mount record
 * VIGIL_FIELD_NEW_PATH  string: a rename's new name, a link's new link
 * VIGIL_FIELD_TARGET    string: the contents of a new symbolic link
 * VIGIL_FIELD_NAME      string: a kernel module's name
 * VIGIL_FIELD_SOURCE    string: what a mount mounts
 * VIGIL_FIELD_FSTYPE    string: a filesystem type
 * VIGIL_FIELD_LOCAL_PATH  string: a unix socket's own path
 * VIGIL_FIELD_PEER_PATH   string: a unix socket's peer's path
 *
 * Paths are resolved from the process's root directory.  When that is not
 * the broker's (a chroot, another mount namespace), the path names the
 * file in the process's own view, and VIGIL_FIELD_F_OTHER_ROOT says so:
 * use a file identity (exe_dev, exe_ino) to decide anything about it.
 */
#define VIGIL_FIELD_EXE		1
#define VIGIL_FIELD_FILENAME	2
#define VIGIL_FIELD_ARGV	3
#define VIGIL_FIELD_PATH	4
#define VIGIL_FIELD_NEW_PATH	5
#define VIGIL_FIELD_TARGET	6
#define VIGIL_FIELD_NAME	7
#define VIGIL_FIELD_SOURCE	8
#define VIGIL_FIELD_FSTYPE	9
#define VIGIL_FIELD_LOCAL_PATH	10
#define VIGIL_FIELD_PEER_PATH	11

/* vigil_field.flags */
#define VIGIL_FIELD_F_TRUNCATED		(1U << 0)	/* cut to fit a bound */
#define VIGIL_FIELD_F_UNAVAILABLE	(1U << 1)	/* could not be read: empty */
#define VIGIL_FIELD_F_OTHER_ROOT	(1U << 2)	/* path from another root */
#define VIGIL_FIELD_F_ABSTRACT		(1U << 3)	/* a unix socket's abstract name */

/* Bounds of field data, the terminating NUL included. */
#define VIGIL_PATH_MAX		4096
#define VIGIL_ARGV_MAX		2048

/**
 * struct vigil_field - header of a variable-length field
 * @type: VIGIL_FIELD_*
 * @flags: VIGIL_FIELD_F_*
 * @len: length of this header and its data, not counting the padding to
 *	the next 8-byte boundary.  String data always ends in a NUL, even
 *	when truncated.
 */
struct vigil_field {
	__u16 type;
	__u16 flags;
	__u32 len;
};

/* True if a record of @size readable bytes at @ev can be walked safely. */
#define VIGIL_EVENT_OK(ev, size)					\
	((size) >= sizeof(struct vigil_event) &&			\
	 (ev)->len >= sizeof(struct vigil_event) &&			\
	 (ev)->len <= (size) && ((ev)->len & 7) == 0 &&			\
	 (ev)->version == VIGIL_EVENT_VERSION &&			\
	 (ev)->hdr_len >= sizeof(struct vigil_event) &&			\
	 (ev)->hdr_len <= (ev)->len)

/* True if the fixed part of @ev holds a whole struct of type @type. */
#define VIGIL_EVENT_HAS(ev, type)	((ev)->hdr_len >= sizeof(type))

#define VIGIL_FIELD_FIRST(ev)						\
	((const struct vigil_field *)((const char *)(ev) +		\
				      (((ev)->hdr_len + 7) & ~7U)))

#define VIGIL_FIELD_OK(ev, f)						\
	((const char *)(f) + sizeof(struct vigil_field) <=		\
		(const char *)(ev) + (ev)->len &&			\
	 (f)->len >= sizeof(struct vigil_field) &&			\
	 (f)->len <= (__u32)((const char *)(ev) + (ev)->len -		\
			     (const char *)(f)))

#define VIGIL_FIELD_NEXT(f)						\
	((const struct vigil_field *)((const char *)(f) +		\
				      (((f)->len + 7) & ~7U)))

#define VIGIL_FIELD_FOREACH(ev, f)					\
	for ((f) = VIGIL_FIELD_FIRST(ev); VIGIL_FIELD_OK(ev, f);	\
	     (f) = VIGIL_FIELD_NEXT(f))

#define VIGIL_FIELD_DATA(f)	((const void *)((f) + 1))
#define VIGIL_FIELD_DATA_LEN(f)	((f)->len - sizeof(struct vigil_field))

#endif /* _UAPI_LINUX_VIGIL_H */
