// SPDX-License-Identifier: GPL-2.0
/*
 * Record encoding.
 *
 * A record is built in one buffer of known capacity and never grows past
 * it: a field that does not fit whole is cut (VIGIL_FIELD_F_TRUNCATED) or,
 * if not even its header fits, left out (VIGIL_EVENT_F_TRUNCATED on the
 * record).  Every byte of the record is written, padding included, because
 * the buffers are reused and the record goes to user space.
 *
 * Context: any.  Nothing here sleeps.
 */

#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs_struct.h>
#include <linux/minmax.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>

#include "fault.h"
#include "record.h"

/**
 * vigil_rec_init() - start a record
 * @rec: the builder
 * @buf: where to build it
 * @cap: bytes available at @buf
 * @type: VIGIL_EVENT_*
 * @fixed_len: size of the type's fixed part (struct vigil_*_event)
 * @seq: the event's sequence number
 * @time_ns: when the event happened
 *
 * Return: the record's header, with the rest of the fixed part zeroed, or
 * NULL if the fixed part does not fit in @cap.
 */
struct vigil_event *vigil_rec_init(struct vigil_rec *rec, void *buf, u32 cap,
				   u32 type, u32 fixed_len, u64 seq,
				   u64 time_ns)
{
	struct vigil_event *ev = buf;

	if (VIGIL_BUG_ON(fixed_len < sizeof(*ev) || !IS_ALIGNED(fixed_len, 8)))
		return NULL;
	if (fixed_len > cap)
		return NULL;

	memset(buf, 0, fixed_len);
	ev->len = fixed_len;
	ev->version = VIGIL_EVENT_VERSION;
	ev->hdr_len = fixed_len;
	ev->type = type;
	ev->seq = seq;
	ev->time_ns = time_ns;

	rec->buf = buf;
	rec->cap = cap;
	rec->len = fixed_len;
	rec->last = 0;
	return ev;
}

/*
 * Open a field at the end of the record.  Return its header, with *room
 * set to the bytes its data may take, or NULL (and the record marked
 * truncated) if not even the header fits.
 */
static struct vigil_field *vigil_rec_field_open(struct vigil_rec *rec,
						u16 type, u32 *room)
{
	struct vigil_field *field = rec->buf + rec->len;
	u32 left = rec->cap - rec->len;

	/* A field gets its header and at least 8 bytes of data, or nothing. */
	if (left < sizeof(*field) + 8) {
		vigil_rec_event(rec)->flags |= VIGIL_EVENT_F_TRUNCATED;
		return NULL;
	}
	field->type = type;
	field->flags = 0;
	/* Keep the padding inside the buffer: the room is a multiple of 8. */
	*room = round_down(left - sizeof(*field), 8);
	return field;
}

/* Close the field opened last, with @data_len bytes of data written. */
static void vigil_rec_field_close(struct vigil_rec *rec,
				  struct vigil_field *field, u32 data_len,
				  u16 flags)
{
	u32 len = sizeof(*field) + data_len;
	u32 padded = round_up(len, 8);

	field->len = len;
	field->flags = flags;
	memset((void *)field + len, 0, padded - len);
	rec->last = rec->len;
	rec->len += padded;
	if (flags & VIGIL_FIELD_F_TRUNCATED)
		vigil_rec_event(rec)->flags |= VIGIL_EVENT_F_TRUNCATED;
}

/* Close a field whose value could not be had: an empty string. */
static void vigil_rec_field_close_empty(struct vigil_rec *rec,
					struct vigil_field *field, u16 flags)
{
	char *data = (char *)(field + 1);

	data[0] = '\0';
	vigil_rec_field_close(rec, field, 1, flags);
}

/**
 * vigil_rec_put_str() - append a NUL-terminated string field
 * @rec: the builder
 * @type: VIGIL_FIELD_*
 * @str: the string
 * @max: bound of the data, NUL included
 *
 * Return: 0, -ENOSPC if the field was left out, -EINVAL if @max is 0.
 */
int vigil_rec_put_str(struct vigil_rec *rec, u16 type, const char *str,
		      u32 max)
{
	struct vigil_field *field;
	u32 room, limit, n;
	char *data;

	if (VIGIL_BUG_ON(!max))
		return -EINVAL;
	field = vigil_rec_field_open(rec, type, &room);
	if (!field)
		return -ENOSPC;

	limit = min(max, room);
	data = (char *)(field + 1);
	n = strnlen(str, limit);
	if (n < limit) {
		memcpy(data, str, n + 1);
		vigil_rec_field_close(rec, field, n + 1, 0);
		return 0;
	}
	memcpy(data, str, limit - 1);
	data[limit - 1] = '\0';
	vigil_rec_field_close(rec, field, limit, VIGIL_FIELD_F_TRUNCATED);
	return 0;
}

/* True unless current's root directory is @view (or there is no @view). */
static bool vigil_other_root(const struct path *view)
{
	struct fs_struct *fs = current->fs;
	bool other;

	if (!view)
		return false;
	if (!fs)
		return true;
	/* Protects fs->root against a concurrent chroot(). */
	spin_lock(&fs->lock);
	other = !path_equal(&fs->root, view);
	spin_unlock(&fs->lock);
	return other;
}

/**
 * vigil_rec_put_path() - append the path of @path as a string field
 * @rec: the builder
 * @type: VIGIL_FIELD_*
 * @path: the path
 * @view: the root the reader resolves paths from, or NULL
 *
 * The path is resolved from current's root directory; if that is not
 * @view, the field is flagged VIGIL_FIELD_F_OTHER_ROOT.  A path longer
 * than VIGIL_PATH_MAX or the room left is given as an empty string flagged
 * truncated and unavailable: d_path() cannot cut one.
 *
 * Return: 0, or -ENOSPC if the field was left out.
 */
int vigil_rec_put_path(struct vigil_rec *rec, u16 type,
		       const struct path *path, const struct path *view)
{
	u16 root_flag = vigil_other_root(view) ? VIGIL_FIELD_F_OTHER_ROOT : 0;
	struct vigil_field *field;
	u32 room, limit;
	char *data, *name;
	size_t n;

	field = vigil_rec_field_open(rec, type, &room);
	if (!field)
		return -ENOSPC;

	limit = min_t(u32, VIGIL_PATH_MAX, room);
	data = (char *)(field + 1);
	/* d_path() builds the name backwards from the end of the buffer. */
	name = d_path(path, data, limit);
	if (IS_ERR(name)) {
		u16 flags = VIGIL_FIELD_F_UNAVAILABLE;

		if (PTR_ERR(name) == -ENAMETOOLONG)
			flags |= VIGIL_FIELD_F_TRUNCATED;
		vigil_rec_field_close_empty(rec, field, flags | root_flag);
		return 0;
	}
	n = strlen(name) + 1;
	memmove(data, name, n);
	vigil_rec_field_close(rec, field, n, root_flag);
	return 0;
}

/**
 * vigil_rec_put_user_strings() - append user memory holding NUL-terminated
 *	strings, such as a process's arguments
 * @rec: the builder
 * @type: VIGIL_FIELD_*
 * @start: first user address
 * @end: user address past the last byte
 * @max: bound of the data
 *
 * Context: the task whose memory it is; any context: this does not fault
 * pages in.  Memory that cannot be read gives an empty field flagged
 * unavailable.  A cut field still ends in a NUL.
 *
 * Return: 0, or -ENOSPC if the field was left out.
 */
int vigil_rec_put_user_strings(struct vigil_rec *rec, u16 type,
			       unsigned long start, unsigned long end,
			       u32 max)
{
	struct vigil_field *field;
	u32 room, n;
	u16 flags = 0;
	char *data;

	field = vigil_rec_field_open(rec, type, &room);
	if (!field)
		return -ENOSPC;

	if (!start || end < start) {
		vigil_rec_field_close_empty(rec, field,
					    VIGIL_FIELD_F_UNAVAILABLE);
		return 0;
	}
	n = min3(end - start, (unsigned long)max, (unsigned long)room);
	if (n < end - start)
		flags |= VIGIL_FIELD_F_TRUNCATED;
	data = (char *)(field + 1);
	if (n && copy_from_user_nofault(data, (const void __user *)start, n)) {
		vigil_rec_field_close_empty(rec, field,
					    VIGIL_FIELD_F_UNAVAILABLE);
		return 0;
	}
	if (n && data[n - 1] != '\0') {
		data[n - 1] = '\0';
		flags |= VIGIL_FIELD_F_TRUNCATED;
	}
	vigil_rec_field_close(rec, field, n, flags);
	return 0;
}

/**
 * vigil_rec_put_strings() - append NUL-terminated strings from kernel memory
 * @rec: the builder
 * @type: VIGIL_FIELD_*
 * @data: the strings, one after the other
 * @len: their bytes
 * @flags: VIGIL_FIELD_F_* the caller already knows of
 *
 * Bytes past the room left are cut and flagged; a cut field still ends in
 * a NUL.
 *
 * Return: 0, or -ENOSPC if the field was left out.
 */
int vigil_rec_put_strings(struct vigil_rec *rec, u16 type, const char *data,
			  u32 len, u16 flags)
{
	struct vigil_field *field;
	char *dst;
	u32 room;

	field = vigil_rec_field_open(rec, type, &room);
	if (!field)
		return -ENOSPC;
	if (len > room) {
		len = room;
		flags |= VIGIL_FIELD_F_TRUNCATED;
	}
	dst = (char *)(field + 1);
	memcpy(dst, data, len);
	if (len && dst[len - 1] != '\0') {
		dst[len - 1] = '\0';
		flags |= VIGIL_FIELD_F_TRUNCATED;
	}
	vigil_rec_field_close(rec, field, len, flags);
	return 0;
}

/* The field appended last, or NULL. */
const struct vigil_field *vigil_rec_last_field(const struct vigil_rec *rec)
{
	return rec->last ? rec->buf + rec->last : NULL;
}

/* Finish the record: return its length, now also in its header. */
u32 vigil_rec_finish(struct vigil_rec *rec)
{
	vigil_rec_event(rec)->len = rec->len;
	return rec->len;
}

/**
 * vigil_rec_fill_proc() - describe a task in a process block
 * @proc: the block
 * @task: the task; current, or a task the caller holds
 */
void vigil_rec_fill_proc(struct vigil_proc *proc, struct task_struct *task)
{
	const struct cred *cred;

	/* Protects the task's cred and real_parent pointers. */
	rcu_read_lock();
	cred = __task_cred(task);
	proc->pid = task_pid_nr(task);
	proc->tgid = task_tgid_nr(task);
	proc->ppid = task_tgid_nr(rcu_dereference(task->real_parent));
	proc->uid = from_kuid_munged(&init_user_ns, cred->uid);
	proc->gid = from_kgid_munged(&init_user_ns, cred->gid);
	proc->euid = from_kuid_munged(&init_user_ns, cred->euid);
	proc->egid = from_kgid_munged(&init_user_ns, cred->egid);
	rcu_read_unlock();
	proc->reserved = 0;
	proc->start_ns = task->group_leader->start_time;
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "record_test.c"
#endif
