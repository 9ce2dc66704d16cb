/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * libvigil: the SDK on which security vendors build their products.
 *
 * A product is an ordinary, unprivileged process, a client of the broker
 * vigild.  It connects, subscribes to the event types it wants, and gets
 * every such event as a message; for a permission (AUTH) event it answers
 * allow or deny, optionally letting the kernel cache the verdict.  It may
 * mute processes, executables and path prefixes it does not care about.
 * The broker gives it a deadline per AUTH event, shorter than the
 * kernel's; a client that misses too many in a row, or stops reading, is
 * cut off, and the broker answers for it by policy.  One product's bug
 * costs at most one event's deadline; it never slows another product.
 *
 *     static void on_message(struct vigil_client *c,
 *                            const struct vigil_message *m, void *ctx)
 *     {
 *             const char *exe = vigil_message_exe(m);
 *
 *             if (vigil_message_type(m) == VIGIL_EVENT_AUTH_EXEC)
 *                     vigil_respond(c, m, exe && !strncmp(exe, "/tmp/", 5) ?
 *                                   VIGIL_VERDICT_DENY : VIGIL_VERDICT_ALLOW,
 *                                   VIGIL_VERDICT_F_CACHE);
 *     }
 *
 *     VIGIL_OPTS(vigil_client_opts, opts, .name = "guard",
 *                .on_message = on_message);
 *     struct vigil_client *c;
 *     int err = vigil_client_open(&opts, &c);
 *
 *     if (!err)
 *             err = vigil_subscribe(c, VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC));
 *     if (!err)
 *             err = vigil_client_run(c);
 *
 * Conventions:
 *
 *   - Every function that can fail returns 0 (or a count) on success and
 *     a negative errno on failure; the errors of each are listed with it.
 *     Nothing is done when an error is returned, unless it says otherwise.
 *   - Structs that may grow start with a size field, sz, which the caller
 *     sets to sizeof() of the struct it was built with (VIGIL_OPTS() does
 *     it).  A library that knows a longer struct treats the rest as zero;
 *     one that knows a shorter struct refuses unknown non-zero bytes past
 *     its end with -E2BIG; sz below the first version's size is -EINVAL.
 *   - A client is used from one thread at a time.  Callbacks run inside
 *     vigil_client_process() and the functions that call it, on that
 *     thread; they may call any function of this library but
 *     vigil_client_close().
 *   - Records and their fields are those of the shim's ABI, <linux/vigil.h>
 *     (Documentation/abi.rst), included here: VIGIL_EVENT_*, struct
 *     vigil_proc, struct vigil_exec_event and the others.
 *
 * The protocol underneath is in Documentation/broker-protocol.rst; the
 * vendor guide, Documentation/vendor-guide.rst, tells how to use all this.
 * vigil(3) is the man page.
 */
#ifndef VIGIL_VIGIL_H
#define VIGIL_VIGIL_H

#include <stddef.h>
#include <stdint.h>

/* Next to this header when installed, or in the kernel module's tree. */
#include "linux/vigil.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LIBVIGIL_MAJOR	1
#define LIBVIGIL_MINOR	1	/* 1.1: the catalogue's records (ABI 1.3) */

/* Where vigild serves clients, unless the environment's VIGIL_SOCKET says. */
#define VIGIL_SOCKET_PATH	"/run/vigil/vigild.sock"

/* Longest client name, NUL included; the name is printable ASCII. */
#define VIGIL_NAME_MAX		32

/* Declare and size an options struct: VIGIL_OPTS(vigil_client_opts, o, ...). */
#define VIGIL_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = { .sz = sizeof(struct TYPE), __VA_ARGS__ }

struct vigil_client;
struct vigil_message;

/* ---- notices: what happens to the connection ---------------------------- */

/* vigil_notice.kind */
#define VIGIL_NOTICE_CONNECTED		1	/* connected again after a loss */
#define VIGIL_NOTICE_DISCONNECTED	2	/* lost the broker */
#define VIGIL_NOTICE_PEER_CUT_OFF	3	/* the broker cut another client off */

/* vigil_notice.reason: why a client was cut off, or 0 */
#define VIGIL_REASON_MISSES	1	/* missed its deadline too often in a row */
#define VIGIL_REASON_STALLED	2	/* stopped reading its events or replies */
#define VIGIL_REASON_PROTOCOL	3	/* sent what the protocol forbids */

/**
 * struct vigil_notice - a change of the connection, or news of another client
 * @kind: VIGIL_NOTICE_*
 * @reason: DISCONNECTED: VIGIL_REASON_* if the broker cut this client
 *          off, 0 if the broker went away; PEER_CUT_OFF: why it cut the
 *          other client off
 * @client_id: CONNECTED: this client's new number; PEER_CUT_OFF: the
 *             other client's
 * @reconnecting: DISCONNECTED: 1 if the library will connect again (with
 *                a backoff), 0 if not (VIGIL_CLIENT_F_NO_RECONNECT, or
 *                cut off for VIGIL_REASON_PROTOCOL: a bug to fix first)
 * @name: PEER_CUT_OFF: the other client's name; otherwise ""
 *
 * Events that came while disconnected are not delivered; AUTH events
 * waiting for this client's answer when it was lost were decided by the
 * broker's policy.  After CONNECTED the subscriptions and mutes are what
 * they were.
 */
struct vigil_notice {
	uint32_t kind;
	uint32_t reason;
	uint32_t client_id;
	int reconnecting;
	const char *name;
};

typedef void (*vigil_message_fn)(struct vigil_client *client,
				 const struct vigil_message *msg, void *ctx);
typedef void (*vigil_notice_fn)(struct vigil_client *client,
				const struct vigil_notice *notice, void *ctx);

/* vigil_client_opts.flags */
#define VIGIL_CLIENT_F_NO_RECONNECT	(1U << 0)	/* a lost broker is final */

/**
 * struct vigil_client_opts - how to connect
 * @sz: sizeof(struct vigil_client_opts)
 * @socket_path: the broker's socket; NULL: $VIGIL_SOCKET, or else
 *               VIGIL_SOCKET_PATH
 * @name: this client's name in the broker's logs and in vigilctl: 1 to 31
 *        printable ASCII characters
 * @on_message: called for each event (required)
 * @on_notice: called for each notice, or NULL
 * @ctx: passed to both
 * @flags: VIGIL_CLIENT_F_*
 * @request_timeout_ms: how long a request waits for the broker's reply;
 *                      0: 2000
 * @reconnect_max_ms: the longest wait between attempts to reconnect
 *                    (they start at 100 ms and double); 0: 5000
 */
struct vigil_client_opts {
	size_t sz;
	const char *socket_path;
	const char *name;
	vigil_message_fn on_message;
	vigil_notice_fn on_notice;
	void *ctx;
	uint32_t flags;
	uint32_t request_timeout_ms;
	uint32_t reconnect_max_ms;
};

/* ---- the client --------------------------------------------------------- */

/**
 * vigil_client_open() - connect to the broker
 * @opts: how (see struct vigil_client_opts)
 * @client: where the new client goes
 *
 * Connects and says hello: the broker maps an event ring for this client
 * and tells its deadline.  Nothing is subscribed yet.
 *
 * Return: 0; -EINVAL (no @opts, @client or @opts->on_message, a bad name,
 * unknown flags, an @opts->sz below the first version's); -E2BIG
 * (non-zero bytes past the options this library knows); -ENAMETOOLONG
 * (the socket path); -ENOENT (no broker's socket there), -ECONNREFUSED
 * (nobody listens on it), -EACCES (the socket's permissions, or the
 * broker's allowlist, refuse this user); -EUSERS (the broker has its
 * max_clients); -EPROTONOSUPPORT (the broker speaks another protocol
 * version); -ETIMEDOUT (no welcome within request_timeout_ms);
 * -ECONNRESET (the broker closed the connection before its welcome);
 * -EPROTO (the broker's answer broke the protocol); -ENOMEM; -EMFILE
 * (this process has no descriptor left for the ring).
 */
int vigil_client_open(const struct vigil_client_opts *opts,
		      struct vigil_client **client);

/**
 * vigil_client_close() - disconnect and free the client
 * @client: the client, or NULL
 *
 * AUTH events still waiting for this client's answer are decided by the
 * broker's policy.  Messages copied with vigil_message_copy() stay valid.
 */
void vigil_client_close(struct vigil_client *client);

/**
 * vigil_client_fd() - a descriptor to poll
 * @client: the client
 *
 * Readable (POLLIN, EPOLLIN) when vigil_client_process() has something to
 * do: events, replies, notices, a reconnect attempt due.  It stays the
 * same descriptor across reconnects.  Do not read it or close it.
 *
 * Return: the descriptor.
 */
int vigil_client_fd(const struct vigil_client *client);

/**
 * vigil_client_process() - handle what is pending, without waiting
 * @client: the client
 *
 * Calls on_message for each event in the ring, on_notice for each notice,
 * and tries to reconnect if that is due.
 *
 * Return: the number of messages delivered (0 or more); -EINVAL (no
 * client); -EBUSY (called from one of its own callbacks); -ECONNRESET if
 * the broker was lost and will not be reconnected to (see struct
 * vigil_notice); -EPROTO likewise, having been cut off for breaking the
 * protocol.
 */
int vigil_client_process(struct vigil_client *client);

/**
 * vigil_client_poll() - wait for something to do, then do it
 * @client: the client
 * @timeout_ms: the longest wait, in milliseconds; -1: no limit
 *
 * Return: as vigil_client_process(); 0 if nothing came in time; -EINTR
 * if a signal came.
 */
int vigil_client_poll(struct vigil_client *client, int timeout_ms);

/**
 * vigil_client_run() - serve events until vigil_client_stop()
 * @client: the client
 *
 * Signals do not end it: a handler that wants it to end calls
 * vigil_client_stop().
 *
 * Return: 0 when stopped; otherwise the error of vigil_client_process()
 * that ended it.
 */
int vigil_client_run(struct vigil_client *client);

/**
 * vigil_client_stop() - make vigil_client_run() return
 * @client: the client
 *
 * From a callback, or a signal handler on the client's thread.
 */
void vigil_client_stop(struct vigil_client *client);

/**
 * struct vigil_client_info - the connection, as the broker set it up
 * @sz: sizeof(struct vigil_client_info)
 * @connected: 1 while connected; the other fields are of the last
 *             connection
 * @client_id: this client's number, unique while the broker runs
 * @deadline_ms: the broker's deadline for this client's verdicts
 * @ring_size: bytes of this client's event ring
 * @abi_major: the shim's ABI version, as the records follow it
 * @abi_minor: likewise
 * @events: the event types subscribed to
 */
struct vigil_client_info {
	size_t sz;
	int connected;
	uint32_t client_id;
	uint32_t deadline_ms;
	uint64_t ring_size;
	uint32_t abi_major;
	uint32_t abi_minor;
	uint64_t events;
};

/**
 * vigil_client_info() - what the broker told this client
 * @client: the client
 * @info: filled in, up to @info->sz
 *
 * Return: 0; -EINVAL (NULL, or @info->sz too small).
 */
int vigil_client_info(const struct vigil_client *client,
		      struct vigil_client_info *info);

/**
 * struct vigil_client_stats - how this client is doing
 * @sz: sizeof(struct vigil_client_stats)
 * @events: the broker's counters for this connection: records put in
 *          this client's ring
 * @dropped: records not put there: the ring was full
 * @auth_asked: AUTH events this client was asked about
 * @auth_answered: answered within its deadline
 * @auth_late: answered after it (the answer was ignored)
 * @auth_missed: not answered in time
 * @misses_in_row: misses since the last answer in time
 * @messages: this library's counters, across reconnects: messages
 *            delivered to on_message
 * @malformed: records that could not be decoded, not delivered
 * @responses: verdicts sent
 * @responses_late: verdicts the broker said came too late
 * @reconnects: connections made again after a loss
 * @notices_dropped: notices lost because too many came at once
 */
struct vigil_client_stats {
	size_t sz;
	uint64_t events;
	uint64_t dropped;
	uint64_t auth_asked;
	uint64_t auth_answered;
	uint64_t auth_late;
	uint64_t auth_missed;
	uint64_t misses_in_row;
	uint64_t messages;
	uint64_t malformed;
	uint64_t responses;
	uint64_t responses_late;
	uint64_t reconnects;
	uint64_t notices_dropped;
};

/**
 * vigil_client_stats() - this client's counters
 * @client: the client
 * @stats: filled in, up to @stats->sz
 *
 * Asks the broker for its counters of this connection.
 *
 * Return: 0; -EINVAL (NULL, or @stats->sz too small); -ENOTCONN,
 * -ETIMEDOUT, -ECONNRESET (disconnected, no answer in time, the broker
 * lost meanwhile: the broker's part is 0, the library's is filled in all
 * the same); -EPROTO (the broker's answer broke the protocol).
 */
int vigil_client_stats(struct vigil_client *client,
		       struct vigil_client_stats *stats);

/* ---- subscriptions and mutes -------------------------------------------- */

/*
 * Event types are given as masks of VIGIL_EVENT_BIT(type): fork, exec and
 * exit (NOTIFY: delivered after the fact), AUTH_EXEC and AUTH_OPEN
 * (permission events, to answer), and the catalogue's NOTIFY types,
 * VIGIL_EVENT_CRED to VIGIL_EVENT_FILE_TRUNCATE (<linux/vigil.h>).
 * VIGIL_EVENT_WATCHDOG records always come.  AUTH_OPEN comes for
 * filesystems the broker watches (vigild --watch).
 *
 * Each of the functions below waits for the broker's reply, up to
 * request_timeout_ms; messages that come meanwhile wait for the next
 * vigil_client_process().  Their errors, besides those listed: -EINVAL
 * for a NULL client; -ENOTCONN while disconnected (reconnecting);
 * -ETIMEDOUT (the broker did not answer in time: what it did is not
 * known); -ECONNRESET (the broker was lost meanwhile); -EPROTO (its answer
 * broke the protocol: the connection is dropped and made again).  What
 * they set is set again, by the library, after a reconnect.
 */

/**
 * vigil_subscribe() - add event types
 * @client: the client
 * @events: VIGIL_EVENT_BIT()s to add
 *
 * On return the broker has subscribed the shim too: an event that happens
 * after it is delivered.
 *
 * Return: 0; -EINVAL for a bit that is not an event type one may
 * subscribe to; the shim's error if it refused (a hook it could not
 * attach, -ENOENT or -ENOMEM), the subscription then unchanged.
 */
int vigil_subscribe(struct vigil_client *client, uint64_t events);

/**
 * vigil_unsubscribe() - remove event types
 * @client: the client
 * @events: VIGIL_EVENT_BIT()s to remove
 *
 * Events of those types already in the ring are still delivered.
 *
 * Return: 0; -EINVAL as for vigil_subscribe().
 */
int vigil_unsubscribe(struct vigil_client *client, uint64_t events);

/*
 * Mutes, for this client only: muted events are not put in its ring, and
 * it is not asked about a muted AUTH event (the other clients still are).
 * @events is a mask of the types muted, 0 for every type.  At most 32 of
 * each kind.  A process is named by its tgid; an executable by its path,
 * as records give it (exec and AUTH_EXEC records, which carry it); a path
 * prefix matches whole components of an AUTH_OPEN's path and of the
 * executable in other records.  Errors: -EINVAL (a tgid of 0, a path not
 * absolute, bad event bits); -ENAMETOOLONG (4096 bytes with the NUL);
 * -EEXIST (muted already: unmute to change the types); -ENOENT (unmuting
 * what is not muted); -ENOSPC (32 of the kind already); -ENOMEM.
 */

/**
 * vigil_mute_process() - mute events of a process
 * @client: the client
 * @tgid: the process (its thread-group id)
 * @events: the types muted; 0 for all
 *
 * Return: 0, or an error above.
 */
int vigil_mute_process(struct vigil_client *client, uint32_t tgid,
		       uint64_t events);

/**
 * vigil_unmute_process() - unmute a process
 * @client: the client
 * @tgid: the process
 *
 * Return: 0, or an error above.
 */
int vigil_unmute_process(struct vigil_client *client, uint32_t tgid);

/**
 * vigil_mute_exe() - mute events of processes running an executable
 * @client: the client
 * @path: the executable's absolute path, as records name it
 * @events: the types muted; 0 for all
 *
 * Return: 0, or an error above.
 */
int vigil_mute_exe(struct vigil_client *client, const char *path,
		   uint64_t events);

/**
 * vigil_unmute_exe() - unmute an executable
 * @client: the client
 * @path: as muted
 *
 * Return: 0, or an error above.
 */
int vigil_unmute_exe(struct vigil_client *client, const char *path);

/**
 * vigil_mute_path() - mute events about paths under a prefix
 * @client: the client
 * @prefix: an absolute path: that file or directory and all below it
 * @events: the types muted; 0 for all
 *
 * Return: 0, or an error above.
 */
int vigil_mute_path(struct vigil_client *client, const char *prefix,
		    uint64_t events);

/**
 * vigil_unmute_path() - unmute a path prefix
 * @client: the client
 * @prefix: as muted
 *
 * Return: 0, or an error above.
 */
int vigil_unmute_path(struct vigil_client *client, const char *prefix);

/* ---- answering AUTH events ---------------------------------------------- */

/**
 * vigil_respond() - answer an AUTH event
 * @client: the client
 * @msg: the AUTH_EXEC or AUTH_OPEN message, or a copy of it
 * @verdict: VIGIL_VERDICT_ALLOW or VIGIL_VERDICT_DENY
 * @flags: VIGIL_VERDICT_F_CACHE (let the kernel answer the same operation
 *         on the same file again until the file changes), or 0
 *
 * Any deny of any client wins.  The broker waits for this client until
 * vigil_message_deadline_ns(); an answer after it is ignored (and counted,
 * responses_late).  The answer is sent at once; the broker's
 * acknowledgement is counted by a later vigil_client_process().
 *
 * Return: 0; -EINVAL (NULL, a message that is not an AUTH event, a bad
 * verdict or flags); -EALREADY (answered already); -ESTALE (a copy from
 * an earlier connection: that event was decided without this client);
 * -ENOTCONN (disconnected); -ETIMEDOUT, -ECONNRESET (the broker does not
 * take it, or was lost); -EPROTO (what the broker sent meanwhile broke
 * the protocol).
 */
int vigil_respond(struct vigil_client *client, const struct vigil_message *msg,
		  uint32_t verdict, uint32_t flags);

/* ---- messages ----------------------------------------------------------- */

/*
 * A message is one record of the shim, as the broker passed it on.  It is
 * valid during the on_message call that delivers it; keep it longer with
 * vigil_message_copy().  Accessors of a type return NULL (or 0) for a
 * message of another type: check vigil_message_type() first, or check for
 * NULL.  Records of types this library does not know (a newer shim's)
 * are delivered too; read them with vigil_message_record().
 */

/* The record type: VIGIL_EVENT_*. */
uint32_t vigil_message_type(const struct vigil_message *msg);

/* The record's layout version (VIGIL_EVENT_VERSION); see abi.rst. */
uint32_t vigil_message_version(const struct vigil_message *msg);

/* The shim's sequence number of the event: gaps mean the shim dropped. */
uint64_t vigil_message_seq(const struct vigil_message *msg);

/* When it happened: CLOCK_MONOTONIC nanoseconds. */
uint64_t vigil_message_time_ns(const struct vigil_message *msg);

/* VIGIL_EVENT_F_*: VIGIL_EVENT_F_TRUNCATED if a field was cut. */
uint32_t vigil_message_flags(const struct vigil_message *msg);

/* Whether the library knows this type: the accessors below work. */
int vigil_message_known(const struct vigil_message *msg);

/*
 * The process acting: the parent of a fork, the process of an exec, exit
 * or AUTH event, the actor of a catalogue record.  NULL for a watchdog
 * record, or a type not known.
 */
const struct vigil_proc *vigil_message_process(const struct vigil_message *msg);

/*
 * The actor of a catalogue record (VIGIL_EVENT_CRED to _FILE_TRUNCATE):
 * the process block and its cgroup id (its container); its executable is
 * vigil_message_exe().  NULL for other records.  (libvigil 1.1)
 */
const struct vigil_actor *vigil_message_actor(const struct vigil_message *msg);

/* The whole fixed part of a record of that type, or NULL. */
const struct vigil_fork_event *vigil_message_fork(const struct vigil_message *msg);
const struct vigil_exec_event *vigil_message_exec(const struct vigil_message *msg);
const struct vigil_exit_event *vigil_message_exit(const struct vigil_message *msg);
const struct vigil_auth_exec_event *
vigil_message_auth_exec(const struct vigil_message *msg);
const struct vigil_auth_open_event *
vigil_message_auth_open(const struct vigil_message *msg);
const struct vigil_watchdog_event *
vigil_message_watchdog(const struct vigil_message *msg);
/* The catalogue's (libvigil 1.1): each for the types its struct serves. */
const struct vigil_cred_event *vigil_message_cred(const struct vigil_message *msg);
const struct vigil_signal_event *vigil_message_signal(const struct vigil_message *msg);
const struct vigil_ptrace_event *vigil_message_ptrace(const struct vigil_message *msg);
const struct vigil_module_event *vigil_message_module(const struct vigil_message *msg);
const struct vigil_mount_event *vigil_message_mount(const struct vigil_message *msg);
const struct vigil_net_event *vigil_message_net(const struct vigil_message *msg);
const struct vigil_file_event *vigil_message_file(const struct vigil_message *msg);

/* Whether the message is an AUTH event, to be answered with vigil_respond(). */
int vigil_message_is_auth(const struct vigil_message *msg);

/* An AUTH event's id, or 0. */
uint64_t vigil_message_auth_id(const struct vigil_message *msg);

/*
 * An AUTH event: when the broker stops waiting for this client, in
 * CLOCK_MONOTONIC nanoseconds (a conservative estimate: never later than
 * the broker's), or 0 for other messages.
 */
uint64_t vigil_message_deadline_ns(const struct vigil_message *msg);

/*
 * The record's strings, NUL-terminated, or NULL if the record has none:
 * the executable (exec, AUTH_EXEC), the path given to execve (the same),
 * the file opened (AUTH_OPEN).  A string cut to fit ends early and has
 * VIGIL_FIELD_F_TRUNCATED in vigil_message_field_flags().
 */
const char *vigil_message_exe(const struct vigil_message *msg);
const char *vigil_message_filename(const struct vigil_message *msg);
const char *vigil_message_path(const struct vigil_message *msg);

/*
 * Any string field: VIGIL_FIELD_NEW_PATH, _TARGET, _NAME, _SOURCE,
 * _FSTYPE, _LOCAL_PATH, _PEER_PATH (the catalogue's), or the above; NULL
 * if the record has none.  An abstract unix socket name is flagged
 * VIGIL_FIELD_F_ABSTRACT.  (libvigil 1.1)
 */
const char *vigil_message_string(const struct vigil_message *msg, uint32_t field);

/*
 * The i-th argument (from 0) of an exec or AUTH_EXEC, or NULL past the
 * last one recorded (which may be fewer than argc: see the flags).
 */
const char *vigil_message_arg(const struct vigil_message *msg, unsigned int i);

/* The arguments recorded, at most argc. */
unsigned int vigil_message_arg_count(const struct vigil_message *msg);

/*
 * VIGIL_FIELD_F_* of the field @field (any VIGIL_FIELD_*) of the record,
 * or 0 if it has none.
 */
uint32_t vigil_message_field_flags(const struct vigil_message *msg,
				   uint32_t field);

/* The record as the shim wrote it, and its length. */
const void *vigil_message_record(const struct vigil_message *msg, size_t *len);

/*
 * A copy that outlives the callback, to be freed with
 * vigil_message_free(); NULL without memory.  A copy may be answered, on
 * the same connection, until its deadline.
 */
struct vigil_message *vigil_message_copy(const struct vigil_message *msg);
void vigil_message_free(struct vigil_message *msg);

/* ---- names -------------------------------------------------------------- */

/* "fork", "exec", "exit", "auth_exec", "auth_open", "watchdog"; or NULL. */
const char *vigil_event_name(uint32_t type);

/* The VIGIL_EVENT_* named so, or 0. */
uint32_t vigil_event_from_name(const char *name);

/* "misses", "stalled", "protocol"; or NULL. */
const char *vigil_reason_name(uint32_t reason);

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_VIGIL_H */
