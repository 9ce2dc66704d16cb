/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The client protocol between vigild and libvigil, over a unix stream
 * socket: length-prefixed frames with a hard maximum size and a version.
 * Documentation/broker-protocol.rst is the specification; this header and
 * proto.c are its one implementation, shared by both ends.
 *
 * Every frame starts with struct vigil_frame_hdr; its payload is one
 * message, whose size and fields are checked whole before anyone acts on
 * it.  Integers are in the host's byte order: both ends run on one host.
 */
#ifndef VIGIL_PROTO_H
#define VIGIL_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/vigil.h>

#define VIGIL_PROTO_VERSION	1

/* The largest frame, header included; a longer one ends the connection. */
#define VIGIL_FRAME_MAX		8192

/**
 * struct vigil_frame_hdr - the start of every frame
 * @len: the frame's length in bytes, this header included:
 *       sizeof(struct vigil_frame_hdr) to VIGIL_FRAME_MAX
 * @version: VIGIL_PROTO_VERSION
 * @type: VIGIL_MSG_*
 * @seq: chosen by the sender of a request; its reply carries the same
 * @reserved: zero
 */
struct vigil_frame_hdr {
	uint32_t len;
	uint16_t version;
	uint16_t type;
	uint32_t seq;
	uint32_t reserved;
};

/* Requests, client to broker; each gets exactly one reply. */
#define VIGIL_MSG_HELLO		1	/* struct vigil_msg_hello */
#define VIGIL_MSG_SUBSCRIBE	2	/* struct vigil_msg_subscribe */
#define VIGIL_MSG_RESPOND	3	/* struct vigil_msg_respond */
#define VIGIL_MSG_MUTE		4	/* struct vigil_msg_mute */
#define VIGIL_MSG_STATS		5	/* no payload */
/* Administration requests: root only, and no hello needed. */
#define VIGIL_MSG_BROKER_STATUS	6	/* no payload */
#define VIGIL_MSG_CLIENTS	7	/* struct vigil_msg_clients_req */
/* Replies and notices, broker to client. */
#define VIGIL_MSG_WELCOME	32	/* struct vigil_msg_welcome, + ring fd */
#define VIGIL_MSG_RESULT	33	/* struct vigil_msg_result */
#define VIGIL_MSG_STATS_REPLY	34	/* struct vigil_msg_stats */
#define VIGIL_MSG_CUT_OFF	35	/* struct vigil_msg_cut_off */
#define VIGIL_MSG_BROKER_STATUS_REPLY 36 /* struct vigil_msg_broker_status */
#define VIGIL_MSG_CLIENTS_REPLY	37	/* struct vigil_msg_clients */

#define VIGIL_CLIENT_NAME_MAX	32	/* NUL included */

/*
 * hello.flags: the client reads an AUTH lane (client_ring.h): the memfd
 * that comes with the welcome holds a second ring, for AUTH and watchdog
 * records.  Without it, every record shares the one ring.
 */
#define VIGIL_HELLO_F_LANE	(1U << 0)

/**
 * struct vigil_msg_hello - the client's first message
 * @version: VIGIL_PROTO_VERSION as the client speaks it
 * @flags: VIGIL_HELLO_F_LANE or 0
 * @name: the client's name for logs and vigilctl: 1 to 31 printable
 *        ASCII characters, NUL-terminated, NUL-padded
 */
struct vigil_msg_hello {
	uint32_t version;
	uint32_t flags;
	char name[VIGIL_CLIENT_NAME_MAX];
};

/**
 * struct vigil_msg_welcome - the broker's answer to HELLO
 * @client_id: the client's number, unique while the broker runs
 * @deadline_ms: how long the broker waits for this client's verdicts
 * @ring_size: the data size of the event ring whose memfd comes with
 *             this message (SCM_RIGHTS); with VIGIL_HELLO_F_LANE, the
 *             lane follows it there
 * @abi_major: the shim's ABI, as the records in the ring follow it
 * @abi_minor: likewise
 */
struct vigil_msg_welcome {
	uint32_t client_id;
	uint32_t deadline_ms;
	uint64_t ring_size;
	uint32_t abi_major;
	uint32_t abi_minor;
};

/*
 * The event types a client may subscribe to (watchdog records always
 * come): the process and AUTH events, and the catalogue's (ABI 1.3), the
 * types from VIGIL_EVENT_CRED to VIGIL_EVENT_FILE_TRUNCATE.
 */
#define VIGIL_PROTO_CATALOGUE	(((VIGIL_EVENT_BIT(VIGIL_EVENT_FILE_TRUNCATE) << 1) - 1) & \
				 ~(VIGIL_EVENT_BIT(VIGIL_EVENT_CRED) - 1))
#define VIGIL_PROTO_EVENTS	(VIGIL_EVENT_BIT(VIGIL_EVENT_FORK) |	\
				 VIGIL_EVENT_BIT(VIGIL_EVENT_EXEC) |	\
				 VIGIL_EVENT_BIT(VIGIL_EVENT_EXIT) |	\
				 VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_EXEC) | \
				 VIGIL_EVENT_BIT(VIGIL_EVENT_AUTH_OPEN) | \
				 VIGIL_PROTO_CATALOGUE)

/* struct vigil_msg_subscribe - the types wanted: VIGIL_PROTO_EVENTS bits */
struct vigil_msg_subscribe {
	uint64_t events;
};

#define VIGIL_RESPOND_MAX	64

/**
 * struct vigil_msg_verdict - one answer
 * @id: the AUTH event's vigil_auth.id
 * @verdict: VIGIL_VERDICT_ALLOW or VIGIL_VERDICT_DENY
 * @flags: VIGIL_VERDICT_F_CACHE or 0
 */
struct vigil_msg_verdict {
	uint64_t id;
	uint32_t verdict;
	uint32_t flags;
};

/* struct vigil_msg_respond - 1 to VIGIL_RESPOND_MAX answers */
struct vigil_msg_respond {
	uint32_t count;
	uint32_t reserved;
	struct vigil_msg_verdict v[];
};

/**
 * struct vigil_msg_mute - mute or unmute, for this client only
 * @kind: VIGIL_MUTE_PROCESS, _EXE or _PATH (the shim's kinds)
 * @flags: VIGIL_MUTE_F_REMOVE or 0
 * @events: VIGIL_EVENT_BIT()s of the types muted; 0 for every type
 * @tgid: for VIGIL_MUTE_PROCESS, the process (not 0); otherwise zero
 * @path_len: for _EXE and _PATH, the path's length with its NUL (2 to
 *            VIGIL_MUTE_PATH_MAX); otherwise zero
 * @path: @path_len bytes: an absolute path, NUL-terminated, no other NUL
 */
struct vigil_msg_mute {
	uint32_t kind;
	uint32_t flags;
	uint64_t events;
	uint32_t tgid;
	uint32_t path_len;
	char path[];
};

#define VIGIL_MUTE_PATH_MAX	4096

/**
 * struct vigil_msg_result - the reply to a request
 * @error: 0, or a negative errno saying why nothing was done
 * @count: for RESPOND, the answers taken (all or none); otherwise zero
 */
struct vigil_msg_result {
	int32_t error;
	uint32_t count;
};

/**
 * struct vigil_msg_stats - one client's counters, as the broker sees them
 * @events: records put in the client's ring
 * @dropped: records not put there: the ring was full
 * @auth_asked: AUTH events sent to the client
 * @auth_answered: answered within the client's deadline
 * @auth_late: answered after it (ignored)
 * @auth_missed: not answered in time
 * @misses_in_row: misses since the last answer in time
 * @reserved: zero
 */
struct vigil_msg_stats {
	uint64_t events;
	uint64_t dropped;
	uint64_t auth_asked;
	uint64_t auth_answered;
	uint64_t auth_late;
	uint64_t auth_missed;
	uint32_t misses_in_row;
	uint32_t reserved;
};

/* Why a client was cut off. */
#define VIGIL_CUT_OFF_MISSES	1	/* too many deadlines missed in a row */
#define VIGIL_CUT_OFF_STALLED	2	/* stopped reading its ring or socket */
#define VIGIL_CUT_OFF_PROTOCOL	3	/* sent a frame that broke the protocol */

/**
 * struct vigil_msg_cut_off - a client was cut off (to it, and to others)
 * @client_id: which
 * @reason: VIGIL_CUT_OFF_*
 * @name: its name
 */
struct vigil_msg_cut_off {
	uint32_t client_id;
	uint32_t reason;
	char name[VIGIL_CLIENT_NAME_MAX];
};

/* The shim's drop causes a broker reports (VIGIL_DROP_RING_FULL...). */
#define VIGIL_STATUS_DROP_CAUSES	5

/**
 * struct vigil_msg_broker_status - the broker as a whole, for vigilctl
 * @uptime_ns: since the broker started
 * @abi_major: the shim's ABI
 * @abi_minor: likewise
 * @clients: clients that said hello, connected now
 * @max_clients: the configured limit
 * @produced: records the shim produced for the broker's session
 * @delivered: records the broker read from the shim's ring
 * @dropped: records the shim could not deliver, per VIGIL_DROP_* cause
 * @malformed: records the broker could not decode
 * @window_ns: the span of the rate window below (about 10 s), 0 if none
 * @window_delivered: records read within the window
 * @window_dropped: records dropped within the window
 * @refused: connections refused (allowlist, or too many clients)
 * @cut_off: clients cut off, per VIGIL_CUT_OFF_* reason (slot 0: unused)
 * @auth_by_clients: AUTH events the clients decided
 * @auth_by_rules: AUTH events the broker's own rules decided
 * @auth_unasked: AUTH events nobody was asked about: missing_verdict
 * @verdicts_late: verdicts the shim no longer waited for
 * @auth: the shim's counters of AUTH_EXEC ([0]) and AUTH_OPEN ([1]) for
 *        the broker's session (VIGIL_IOC_AUTH_STATS); type 0 if unknown
 */
struct vigil_msg_broker_status {
	uint64_t uptime_ns;
	uint32_t abi_major;
	uint32_t abi_minor;
	uint32_t clients;
	uint32_t max_clients;
	uint64_t produced;
	uint64_t delivered;
	uint64_t dropped[VIGIL_STATUS_DROP_CAUSES];
	uint64_t malformed;
	uint64_t window_ns;
	uint64_t window_delivered;
	uint64_t window_dropped;
	uint64_t refused;
	uint64_t cut_off[4];
	uint64_t auth_by_clients;
	uint64_t auth_by_rules;
	uint64_t auth_unasked;
	uint64_t verdicts_late;
	struct vigil_auth_stats auth[2];
};

/* struct vigil_msg_clients_req - the clients from @offset on; @reserved 0 */
struct vigil_msg_clients_req {
	uint32_t offset;
	uint32_t reserved;
};

/* vigil_msg_client_info.flags */
#define VIGIL_CLIENT_INFO_F_READY	(1U << 0)	/* said hello */

/**
 * struct vigil_msg_client_info - one connection, for vigilctl clients
 * @client_id: its number
 * @pid: its process, from SO_PEERCRED when it connected
 * @uid: its user, likewise
 * @flags: VIGIL_CLIENT_INFO_F_*
 * @events: the event types it subscribed to
 * @age_ns: how long it has been connected
 * @mutes: its mutes, of every kind
 * @deadline_ms: its time for a verdict
 * @name: the name it gave in hello; empty before
 * @st: its counters, as in stats_reply
 */
struct vigil_msg_client_info {
	uint32_t client_id;
	uint32_t pid;
	uint32_t uid;
	uint32_t flags;
	uint64_t events;
	uint64_t age_ns;
	uint32_t mutes;
	uint32_t deadline_ms;
	char name[VIGIL_CLIENT_NAME_MAX];
	struct vigil_msg_stats st;
};

#define VIGIL_CLIENTS_PER_REPLY	32

/**
 * struct vigil_msg_clients - a page of the broker's connections
 * @total: connections now, but the one asking
 * @count: entries in this reply, 0 to VIGIL_CLIENTS_PER_REPLY
 * @c: the connections from the requested offset, by slot
 */
struct vigil_msg_clients {
	uint32_t total;
	uint32_t count;
	struct vigil_msg_client_info c[];
};

#define VIGIL_PAYLOAD_MAX	(VIGIL_FRAME_MAX - sizeof(struct vigil_frame_hdr))

/*
 * A checked message: the header's fields and a copy of the payload, 8-byte
 * aligned, so that it can be read as the struct of its type.
 */
struct vigil_msg {
	uint16_t type;
	uint32_t seq;
	size_t len;		/* of the payload */
	_Alignas(8) unsigned char payload[VIGIL_PAYLOAD_MAX];
};

/*
 * Find the frame at the start of @buf (@avail bytes received so far).
 * Return: its length once it is all there and its header is valid; 0 if
 * more bytes are needed; -EBADMSG for a length below the header's,
 * -EMSGSIZE above VIGIL_FRAME_MAX, -EPROTONOSUPPORT for another version,
 * -EPROTO for a non-zero reserved field.  Errors are known from the
 * header alone, before the rest arrives.
 */
ssize_t vigil_frame_parse(const void *buf, size_t avail);

/*
 * Check the message in the complete frame @buf (as vigil_frame_parse()
 * measured it, @len bytes) and copy it to @msg.  @msg's type and seq
 * are set for any whole frame, even one whose message is refused, so
 * that the refusal can repeat its seq.
 * Return: 0; -EOPNOTSUPP for an unknown type; -EBADMSG for a payload of
 * the wrong size for its type; -EINVAL for a field out of its range
 * (each type's rules are in broker-protocol.rst).
 */
int vigil_msg_check(const void *buf, size_t len, struct vigil_msg *msg);

/*
 * Write a frame of @type with @payload (@payload_len bytes) into @buf.
 * Return: the frame's length, or -EMSGSIZE if it would not fit in @cap
 * or in VIGIL_FRAME_MAX.  The payload is not checked: the caller builds
 * it from the message structs above.
 */
ssize_t vigil_frame_build(void *buf, size_t cap, uint16_t type, uint32_t seq,
			  const void *payload, size_t payload_len);

/* The message type's name ("hello", ...), or NULL if unknown. */
const char *vigil_msg_name(uint16_t type);

/* Whether @type is a request a client may send. */
int vigil_msg_is_request(uint16_t type);

#endif /* VIGIL_PROTO_H */
