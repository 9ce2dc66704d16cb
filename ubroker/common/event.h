/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding the shim's records.  The decoder trusts nothing: it is the
 * parser between kernel memory the broker only reads and everything
 * downstream, and it is fuzzed (ubroker/fuzz/).
 */
#ifndef VIGIL_EVENT_H
#define VIGIL_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vigil.h>

/* A string or byte field of a record, as found; data is NULL if absent. */
struct vigil_field_view {
	const char *data;
	uint32_t len;		/* bytes of data, the final NUL included */
	uint16_t flags;		/* VIGIL_FIELD_F_* */
};

struct vigil_event_view {
	uint32_t type;		/* VIGIL_EVENT_*; others are only counted */
	uint32_t flags;		/* VIGIL_EVENT_F_* */
	uint64_t seq;
	uint64_t time_ns;
	int known;		/* a type this decoder knows: fixed is valid */
	union {
		struct vigil_fork_event fork;
		struct vigil_exec_event exec;
		struct vigil_exit_event exit;
		struct vigil_auth_exec_event auth_exec;
		struct vigil_auth_open_event auth_open;
		struct vigil_watchdog_event watchdog;
		struct vigil_cred_event cred;
		struct vigil_signal_event signal;
		struct vigil_ptrace_event ptrace;
		struct vigil_module_event module;
		struct vigil_mount_event mount;
		struct vigil_net_event net;
		struct vigil_file_event file;
		struct vigil_auth_fallback_event auth_fallback;
		struct vigil_source_event source;
	} fixed;
	struct vigil_field_view exe;
	struct vigil_field_view filename;
	struct vigil_field_view argv;
	struct vigil_field_view path;
	struct vigil_field_view new_path;
	struct vigil_field_view target;
	struct vigil_field_view name;
	struct vigil_field_view source;
	struct vigil_field_view fstype;
	struct vigil_field_view local_path;
	struct vigil_field_view peer_path;
};

/* Whether @type is one of the catalogue's (ABI 1.3): it has an actor. */
int vigil_event_is_catalogue(uint32_t type);

/*
 * The acting process of a catalogue record or an AUTH fallback (1.4), or
 * NULL for other records.
 */
const struct vigil_actor *vigil_event_actor(const struct vigil_event_view *view);

/* The process block of any known record with one, or NULL (watchdog). */
const struct vigil_proc *vigil_event_proc(const struct vigil_event_view *view);

/* The vigil_auth block of an AUTH record, or NULL for other records. */
const struct vigil_auth *vigil_event_auth(const struct vigil_event_view *view);

/*
 * Decode the record of @len bytes at @buf (any alignment) into @view,
 * which points into @buf.  Returns 0, or -EBADMSG for a malformed record:
 * lengths that do not add up, a fixed part shorter than its type's, a
 * string without its NUL, a field given twice.  Unknown field types are
 * skipped; an unknown record type decodes with known == 0.
 */
int vigil_event_decode(const void *buf, size_t len,
		       struct vigil_event_view *view);

/* Name of a record type ("fork", "exec", "auth_exec"...), or NULL. */
const char *vigil_event_type_name(uint32_t type);

/* Name of a fault class ("broker_hung"...), "none" for 0, or NULL. */
const char *vigil_fault_name(uint32_t fault);

/* Name of a watchdog state ("armed", "degraded", "tripped"), or NULL. */
const char *vigil_watchdog_state_name(uint32_t state);

/* Name of an AUTH fallback's cause ("missed", "degraded"...), or NULL. */
const char *vigil_fallback_cause_name(uint32_t cause);

#endif /* VIGIL_EVENT_H */
