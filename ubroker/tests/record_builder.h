/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building records by hand, laid out as the ABI says, to feed the decoder
 * and the formatter good and bad input.  Test code only.
 */
#ifndef VIGIL_RECORD_BUILDER_H
#define VIGIL_RECORD_BUILDER_H

#include <stdint.h>
#include <string.h>
#include <linux/vigil.h>

struct rb {
	unsigned char buf[8192] __attribute__((aligned(8)));
	uint32_t len;
};

static inline struct vigil_event *rb_event(struct rb *rb)
{
	return (struct vigil_event *)rb->buf;
}

static inline void *rb_init(struct rb *rb, uint32_t type, uint32_t fixed_len,
			    uint64_t seq)
{
	struct vigil_event *ev = rb_event(rb);

	memset(rb->buf, 0, sizeof(rb->buf));
	ev->version = VIGIL_EVENT_VERSION;
	ev->hdr_len = fixed_len;
	ev->type = type;
	ev->seq = seq;
	ev->time_ns = 1000 + seq;
	rb->len = (fixed_len + 7) & ~7U;
	ev->len = rb->len;
	return ev;
}

static inline void rb_field(struct rb *rb, uint16_t type, uint16_t flags,
			    const void *data, uint32_t len)
{
	struct vigil_field f = { .type = type, .flags = flags,
				 .len = sizeof(f) + len };

	memcpy(rb->buf + rb->len, &f, sizeof(f));
	memcpy(rb->buf + rb->len + sizeof(f), data, len);
	rb->len += (f.len + 7) & ~7U;
	rb_event(rb)->len = rb->len;
}

static inline void rb_str(struct rb *rb, uint16_t type, const char *s)
{
	rb_field(rb, type, 0, s, strlen(s) + 1);
}

/* The shim's report of an exec of /tmp/x by pid 77, uid 1000, that missed its deadline (1.4). */
static inline void rb_auth_fallback(struct rb *rb)
{
	struct vigil_auth_fallback_event *ev;

	ev = rb_init(rb, VIGIL_EVENT_AUTH_FALLBACK, sizeof(*ev), 9);
	ev->actor.proc.pid = 77;
	ev->actor.proc.tgid = 77;
	ev->actor.proc.uid = 1000;
	ev->auth_type = VIGIL_EVENT_AUTH_EXEC;
	ev->verdict = VIGIL_VERDICT_ALLOW;
	ev->cause = VIGIL_FALLBACK_MISSED;
	ev->id = 12;
	rb_str(rb, VIGIL_FIELD_EXE, "/bin/sh");
	rb_str(rb, VIGIL_FIELD_PATH, "/tmp/x");
}

/* An exec record of /bin/ls -l by pid 42, uid 1000. */
static inline void rb_exec_ls(struct rb *rb)
{
	struct vigil_exec_event *ex;

	ex = rb_init(rb, VIGIL_EVENT_EXEC, sizeof(*ex), 7);
	ex->proc.pid = 42;
	ex->proc.tgid = 42;
	ex->proc.ppid = 1;
	ex->proc.uid = 1000;
	ex->proc.gid = 100;
	ex->proc.euid = 1000;
	ex->proc.egid = 100;
	ex->proc.start_ns = 555;
	ex->old_pid = 42;
	ex->argc = 2;
	ex->exe_dev = 2049;
	ex->exe_ino = 131;
	rb_str(rb, VIGIL_FIELD_EXE, "/usr/bin/ls");
	rb_str(rb, VIGIL_FIELD_FILENAME, "/bin/ls");
	rb_field(rb, VIGIL_FIELD_ARGV, 0, "ls\0-l", 6);
}

/* An AUTH_EXEC record of @exe by pid 42, with id @id. */
static inline void rb_auth_exec(struct rb *rb, uint64_t id, const char *exe)
{
	struct vigil_auth_exec_event *ev;

	ev = rb_init(rb, VIGIL_EVENT_AUTH_EXEC, sizeof(*ev), 11);
	ev->auth.id = id;
	ev->auth.deadline_ns = 5000;
	ev->proc.pid = 42;
	ev->proc.tgid = 42;
	ev->argc = 1;
	ev->exe_dev = 2049;
	ev->exe_ino = 77;
	rb_str(rb, VIGIL_FIELD_EXE, exe);
	rb_str(rb, VIGIL_FIELD_FILENAME, exe);
	rb_field(rb, VIGIL_FIELD_ARGV, 0, "x", 2);
}

/* An AUTH_OPEN record of @path by pid 42, with id @id. */
static inline void rb_auth_open(struct rb *rb, uint64_t id, const char *path,
				uint32_t access)
{
	struct vigil_auth_open_event *ev;

	ev = rb_init(rb, VIGIL_EVENT_AUTH_OPEN, sizeof(*ev), 12);
	ev->auth.id = id;
	ev->auth.deadline_ns = 6000;
	ev->proc.pid = 42;
	ev->proc.tgid = 42;
	ev->open_flags = 01101;		/* O_WRONLY | O_CREAT | O_TRUNC */
	ev->access = access;
	ev->dev = 2049;
	ev->ino = 78;
	rb_str(rb, VIGIL_FIELD_PATH, path);
}

/* The actor block every catalogue record starts with: pid 42, uid 1000. */
static inline void rb_actor(struct vigil_actor *a)
{
	a->proc.pid = 43;
	a->proc.tgid = 42;
	a->proc.ppid = 1;
	a->proc.uid = 1000;
	a->proc.gid = 100;
	a->proc.euid = 1000;
	a->proc.egid = 100;
	a->proc.start_ns = 555;
	a->cgroup_id = 9001;
}

/* A FILE_RENAME record of @from to @to by /usr/bin/mv. */
static inline void rb_file_rename(struct rb *rb, const char *from, const char *to)
{
	struct vigil_file_event *ev;

	ev = rb_init(rb, VIGIL_EVENT_FILE_RENAME, sizeof(*ev), 21);
	rb_actor(&ev->actor);
	ev->flags = 1;			/* RENAME_NOREPLACE */
	ev->mode = 0100644;
	ev->uid = 1000;
	ev->gid = 100;
	ev->dev = 2049;
	ev->ino = 4242;
	rb_str(rb, VIGIL_FIELD_EXE, "/usr/bin/mv");
	rb_str(rb, VIGIL_FIELD_PATH, from);
	rb_str(rb, VIGIL_FIELD_NEW_PATH, to);
}

/* A NET_CONNECT record: a TCP socket to 192.0.2.7 port 443. */
static inline void rb_net_connect(struct rb *rb)
{
	struct vigil_net_event *ev;
	static const unsigned char addr[4] = { 192, 0, 2, 7 };

	ev = rb_init(rb, VIGIL_EVENT_NET_CONNECT, sizeof(*ev), 22);
	rb_actor(&ev->actor);
	ev->family = 2;			/* AF_INET */
	ev->type = 1;			/* SOCK_STREAM */
	ev->protocol = 6;		/* IPPROTO_TCP */
	ev->local.family = 2;
	ev->remote.family = 2;
	ev->remote.port = 443;
	memcpy(ev->remote.addr, addr, sizeof(addr));
	rb_str(rb, VIGIL_FIELD_EXE, "/usr/bin/curl");
}

/* A MODULE_LOAD record of module @name, with its taints. */
static inline void rb_module_load(struct rb *rb, const char *name, uint32_t taints)
{
	struct vigil_module_event *ev;

	ev = rb_init(rb, VIGIL_EVENT_MODULE_LOAD, sizeof(*ev), 23);
	rb_actor(&ev->actor);
	ev->taints = taints;
	rb_str(rb, VIGIL_FIELD_EXE, "/usr/sbin/insmod");
	rb_str(rb, VIGIL_FIELD_NAME, name);
}

#endif /* VIGIL_RECORD_BUILDER_H */
