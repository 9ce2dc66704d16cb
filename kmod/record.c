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

#include <linux/bits.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/ipv6.h>
#include <linux/fs_struct.h>
#include <linux/minmax.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/un.h>
#include <linux/user_namespace.h>

#include <asm/byteorder.h>

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

/**
 * vigil_rec_room() - the bytes of data the next field may take
 * @rec: the builder
 *
 * A field gets its header and at least 8 bytes of data, or nothing; the
 * room is a multiple of 8, so that the padding stays inside the buffer.
 *
 * Return: the room, or 0 if the next field would be left out.
 */
u32 vigil_rec_room(const struct vigil_rec *rec)
{
	u32 left = rec->cap - rec->len;

	if (left < sizeof(struct vigil_field) + 8)
		return 0;
	return round_down(left - sizeof(struct vigil_field), 8);
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

	*room = vigil_rec_room(rec);
	if (!*room) {
		vigil_rec_event(rec)->flags |= VIGIL_EVENT_F_TRUNCATED;
		return NULL;
	}
	field->type = type;
	field->flags = 0;
	return field;
}

/*
 * Zero the padding after the first @len bytes of @field, up to the next
 * multiple of 8: the rest of the 8-byte word that holds byte @len - 1
 * (fields start 8-aligned).  One masked store, where a memset() of at
 * most 7 bytes is a call costing more than the bytes.
 */
static void vigil_rec_field_zero_padding(struct vigil_field *field, u32 len)
{
	u32 keep = len % 8;
	__le64 *word;

	if (!keep)
		return;
	word = (__le64 *)((char *)field + len - keep);
	*word = cpu_to_le64(le64_to_cpu(*word) & GENMASK_ULL(8 * keep - 1, 0));
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
	vigil_rec_field_zero_padding(field, len);
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

/**
 * vigil_current_root() - current's root directory, to compare with
 * @root: set to it; the pointers only, no reference is taken
 *
 * Where it may not lock (vigil_rec_may_lock()) it neither takes
 * fs->lock nor waits for a writer of fs->seq, and gives up instead.
 *
 * Return: false if current has none (an exiting task), or if it could not
 * be read without waiting.
 */
bool vigil_current_root(struct path *root)
{
	struct fs_struct *fs = current->fs;
	unsigned int seq;

	if (!fs)
		return false;
	if (vigil_rec_may_lock()) {
		/* Protects fs->root against a concurrent chroot(). */
		spin_lock(&fs->lock);
		*root = fs->root;
		spin_unlock(&fs->lock);
		return true;
	}
	/* Pairs with set_fs_root()'s and set_fs_pwd()'s write_seqcount_begin(). */
	seq = raw_read_seqcount(&fs->seq);
	if (seq & 1)
		return false;
	*root = fs->root;
	return !read_seqcount_retry(&fs->seq, seq);
}

/*
 * True unless current's root directory is @view (or there is no @view).
 * False too where it may not lock, where no path is built to flag.
 */
static bool vigil_other_root(const struct path *view)
{
	struct path root;

	if (!view || !vigil_rec_may_lock())
		return false;
	return !vigil_current_root(&root) || !path_equal(&root, view);
}

/*
 * d_path() of @path into the open @field, at most @limit bytes: the
 * length with the NUL, or 0 once the field is closed empty (unavailable;
 * truncated too if the name did not fit).
 */
static size_t vigil_rec_field_d_path(struct vigil_rec *rec,
				     struct vigil_field *field,
				     const struct path *path, u32 limit,
				     u16 root_flag)
{
	char *data = (char *)(field + 1);
	char *name;
	size_t n;

	/*
	 * d_path() resolves from current->fs, which an exiting task has let
	 * go of before its last files are closed (exit_fs(), then the
	 * deferred __fput()s).  Only current changes its own fs.  Nor may it
	 * run with interrupts or softirqs disabled: see vigil_rec_may_lock().
	 */
	if (!current->fs || !vigil_rec_may_lock()) {
		vigil_rec_field_close_empty(rec, field,
					    VIGIL_FIELD_F_UNAVAILABLE | root_flag);
		return 0;
	}
	/* d_path() builds the name backwards from the end of the buffer. */
	name = d_path(path, data, limit);
	if (IS_ERR(name)) {
		u16 flags = VIGIL_FIELD_F_UNAVAILABLE;

		if (PTR_ERR(name) == -ENAMETOOLONG)
			flags |= VIGIL_FIELD_F_TRUNCATED;
		vigil_rec_field_close_empty(rec, field, flags | root_flag);
		return 0;
	}
	/*
	 * d_path() puts the name's NUL in the buffer's last byte, and names
	 * hold no NUL; a d_dname() method such as pipefs's need not end there.
	 */
	if (path->dentry->d_op && path->dentry->d_op->d_dname)
		n = strlen(name) + 1;
	else
		n = data + limit - name;
	memmove(data, name, n);
	return n;
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
	u32 room;
	size_t n;

	field = vigil_rec_field_open(rec, type, &room);
	if (!field)
		return -ENOSPC;
	n = vigil_rec_field_d_path(rec, field, path,
				   min_t(u32, VIGIL_PATH_MAX, room), root_flag);
	if (n)
		vigil_rec_field_close(rec, field, n, root_flag);
	return 0;
}

/*
 * Append "/name" to the directory path of @n bytes (its NUL not counted)
 * at @data, of room @limit:
 * the length with the NUL, or 0 if it does not fit.
 */
static u32 vigil_append_name(char *data, size_t n, u32 limit,
			     const char *name, u32 len)
{
	size_t slash = n == 1 ? 0 : 1;	/* "/" needs no second one */

	if (n + slash + len + 1 > limit)
		return 0;
	if (slash)
		data[n++] = '/';
	memcpy(data + n, name, len);
	data[n + len] = '\0';
	return n + len + 1;
}

/**
 * vigil_rec_put_child_path() - append the path of @dentry in @dir
 * @rec: the builder
 * @type: VIGIL_FIELD_*
 * @dir: the directory
 * @dentry: the entry, which may not exist yet (a negative dentry, whose
 *	own path d_path() would give as "(deleted)")
 * @view: as for vigil_rec_put_path()
 *
 * Context: the caller holds @dir's inode lock, or @dentry's name cannot
 * change otherwise.  Return: 0, or -ENOSPC if the field was left out.
 */
int vigil_rec_put_child_path(struct vigil_rec *rec, u16 type,
			     const struct path *dir, struct dentry *dentry,
			     const struct path *view)
{
	u16 root_flag = vigil_other_root(view) ? VIGIL_FIELD_F_OTHER_ROOT : 0;
	struct vigil_field *field;
	u32 room, limit, len;
	size_t n;

	field = vigil_rec_field_open(rec, type, &room);
	if (!field)
		return -ENOSPC;
	limit = min_t(u32, VIGIL_PATH_MAX, room);
	n = vigil_rec_field_d_path(rec, field, dir, limit, root_flag);
	if (!n)
		return 0;
	/* d_lock keeps the name whole against a concurrent rename. */
	spin_lock(&dentry->d_lock);
	len = vigil_append_name((char *)(field + 1), n - 1, limit,
				dentry->d_name.name, dentry->d_name.len);
	spin_unlock(&dentry->d_lock);
	if (!len) {
		vigil_rec_field_close_empty(rec, field, VIGIL_FIELD_F_UNAVAILABLE |
					    VIGIL_FIELD_F_TRUNCATED | root_flag);
		return 0;
	}
	vigil_rec_field_close(rec, field, len, root_flag);
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
	proc->uid = vigil_rec_uid(cred->uid);
	proc->gid = vigil_rec_gid(cred->gid);
	proc->euid = vigil_rec_uid(cred->euid);
	proc->egid = vigil_rec_gid(cred->egid);
	rcu_read_unlock();
	proc->reserved = 0;
	proc->start_ns = task->group_leader->start_time;
}

/* The id of @task's cgroup in the cgroup v2 hierarchy: its container. */
static u64 vigil_task_cgroup_id(struct task_struct *task)
{
#ifdef CONFIG_CGROUPS
	u64 id;

	/* Protects the task's css_set against a concurrent migration. */
	rcu_read_lock();
	id = cgroup_id(task_dfl_cgroup(task));
	rcu_read_unlock();
	return id;
#else
	return 0;
#endif
}

/**
 * vigil_rec_fill_actor() - describe the process acting, for a 1.3 record
 * @actor: the block
 * @task: the task; current, or a task the caller holds
 */
void vigil_rec_fill_actor(struct vigil_actor *actor, struct task_struct *task)
{
	vigil_rec_fill_proc(&actor->proc, task);
	actor->cgroup_id = vigil_task_cgroup_id(task);
}

/*
 * An AF_UNIX address of @len bytes at @sun: where its path starts and how
 * many bytes of sun_path it has (0: unnamed).
 */
static u32 vigil_sun_path_len(const struct sockaddr_un *sun, int len)
{
	int n = len - (int)offsetof(struct sockaddr_un, sun_path);

	return n <= 0 ? 0 : min_t(u32, n, sizeof(sun->sun_path));
}

/**
 * vigil_rec_fill_sockaddr() - describe a socket address
 * @out: the record's block, zeroed by the caller
 * @sa: the address, in kernel memory
 * @len: its bytes, as the caller of bind(2) or connect(2) gave them
 *
 * An address too short for its family is described as none (family 0):
 * the kernel refuses it anyway.
 *
 * Return: for AF_UNIX, the bytes of sun_path to append with
 * vigil_rec_put_unix_path(); otherwise 0.
 */
u32 vigil_rec_fill_sockaddr(struct vigil_sockaddr *out,
			    const struct sockaddr *sa, int len)
{
	if (len < (int)sizeof(sa->sa_family))
		return 0;
	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *sin = (const void *)sa;

		if (len < (int)sizeof(*sin))
			return 0;
		out->family = AF_INET;
		out->port = ntohs(sin->sin_port);
		memcpy(out->addr, &sin->sin_addr, sizeof(sin->sin_addr));
		return 0;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		if (len < SIN6_LEN_RFC2133)
			return 0;
		out->family = AF_INET6;
		out->port = ntohs(sin6->sin6_port);
		memcpy(out->addr, &sin6->sin6_addr, sizeof(sin6->sin6_addr));
		if (len >= (int)sizeof(*sin6))
			out->scope_id = sin6->sin6_scope_id;
		return 0;
	}
	case AF_UNIX:
		out->family = AF_UNIX;
		return vigil_sun_path_len((const void *)sa, len);
	}
	return 0;
}

/**
 * vigil_rec_put_unix_path() - append the path of an AF_UNIX address
 * @rec: the builder
 * @type: VIGIL_FIELD_LOCAL_PATH or VIGIL_FIELD_PEER_PATH
 * @sun: the address
 * @n: bytes of sun_path, from vigil_rec_fill_sockaddr(); 0 appends nothing
 *
 * A path name ends at its first NUL.  An abstract name (sun_path[0] is
 * NUL) has all its @n bytes, each NUL given as '@', flagged
 * VIGIL_FIELD_F_ABSTRACT.
 *
 * Return: 0, or -ENOSPC if the field was left out.
 */
int vigil_rec_put_unix_path(struct vigil_rec *rec, u16 type,
			    const struct sockaddr_un *sun, u32 n)
{
	char name[sizeof(sun->sun_path) + 1];
	u32 i;

	if (!n)
		return 0;
	if (sun->sun_path[0]) {
		n = strnlen(sun->sun_path, n);
		memcpy(name, sun->sun_path, n);
		name[n] = '\0';
		return vigil_rec_put_strings(rec, type, name, n + 1, 0);
	}
	for (i = 0; i < n; i++)
		name[i] = sun->sun_path[i] ? sun->sun_path[i] : '@';
	name[n] = '\0';
	return vigil_rec_put_strings(rec, type, name, n + 1, VIGIL_FIELD_F_ABSTRACT);
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "record_test.c"
#endif
