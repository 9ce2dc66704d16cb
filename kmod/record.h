/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Record encoding: build one self-describing record (struct vigil_event,
 * its fixed part, then 8-byte aligned fields) in a caller's buffer.
 */
#ifndef _VIGIL_RECORD_H
#define _VIGIL_RECORD_H

#include <linux/highuid.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/vigil.h>

struct path;
struct task_struct;

/* Upper bound of vigil_event.len: room for every field at its bound. */
#define VIGIL_RECORD_MAX	(16U << 10)

struct vigil_rec {
	void *buf;
	u32 cap;	/* bytes available at buf */
	u32 len;	/* bytes used, a multiple of 8 */
	u32 last;	/* offset of the last field appended, or 0 */
};

struct vigil_event *vigil_rec_init(struct vigil_rec *rec, void *buf, u32 cap,
				   u32 type, u32 fixed_len, u64 seq,
				   u64 time_ns);
int vigil_rec_put_str(struct vigil_rec *rec, u16 type, const char *str,
		      u32 max);
int vigil_rec_put_path(struct vigil_rec *rec, u16 type,
		       const struct path *path, const struct path *view);
struct dentry;
int vigil_rec_put_child_path(struct vigil_rec *rec, u16 type,
			     const struct path *dir, struct dentry *dentry,
			     const struct path *view);
int vigil_rec_put_user_strings(struct vigil_rec *rec, u16 type,
			       unsigned long start, unsigned long end,
			       u32 max);
int vigil_rec_put_strings(struct vigil_rec *rec, u16 type, const char *data,
			  u32 len, u16 flags);
const struct vigil_field *vigil_rec_last_field(const struct vigil_rec *rec);
u32 vigil_rec_room(const struct vigil_rec *rec);
bool vigil_current_root(struct path *root);

/*
 * May a record take locks that are held with interrupts and softirqs
 * enabled (fs->lock, and d_path()'s rename_lock and mount_lock), or wait
 * for their writers?  Not with interrupts disabled: the hook may then hold
 * a lock that an interrupt takes (a siglock, tasklist_lock), and the CPU
 * holding ours may be in that very interrupt, waiting for it.  Nor with
 * softirqs disabled, for the same reason one level down: accept(2) grafts
 * its socket (security_sock_graft()) under sk_callback_lock, taken with
 * write_lock_bh() and ordered after TCP's softirq-safe bind-hash lock
 * (the debug kernel's lockdep found it).
 */
static inline bool vigil_rec_may_lock(void)
{
	return !irqs_disabled() && !in_softirq();
}

/*
 * @uid as the initial user namespace sees it: what
 * from_kuid_munged(&init_user_ns, uid) returns, without its map_id_up()
 * search.  That namespace's map is the identity for every id but
 * INVALID_UID, and it never changes.  A record reads four to twenty ids,
 * and the searches were about 7 % of the cost of a file_open record.
 */
static inline u32 vigil_rec_uid(kuid_t uid)
{
	return uid_valid(uid) ? __kuid_val(uid) : (u32)overflowuid;
}

/* @gid as the initial user namespace sees it: see vigil_rec_uid(). */
static inline u32 vigil_rec_gid(kgid_t gid)
{
	return gid_valid(gid) ? __kgid_val(gid) : (u32)overflowgid;
}

static inline struct vigil_event *vigil_rec_event(const struct vigil_rec *rec)
{
	return rec->buf;
}
u32 vigil_rec_finish(struct vigil_rec *rec);

void vigil_rec_fill_proc(struct vigil_proc *proc, struct task_struct *task);
void vigil_rec_fill_actor(struct vigil_actor *actor, struct task_struct *task);

struct sockaddr;
struct sockaddr_un;

u32 vigil_rec_fill_sockaddr(struct vigil_sockaddr *out,
			    const struct sockaddr *sa, int len);
int vigil_rec_put_unix_path(struct vigil_rec *rec, u16 type,
			    const struct sockaddr_un *sun, u32 n);

#endif /* _VIGIL_RECORD_H */
