// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl commands of /dev/vigil.
 *
 * Each command is one row of vigil_ioctls: its number, the smallest
 * struct size it accepts, whether it may run before the handshake, and
 * whether it may run on a control handle (an O_RDONLY open: no session).
 * Arguments are versioned structs, read with copy_struct_from_user(): a
 * client may pass a newer, longer struct as long as the bytes the shim
 * does not know are zero.  Every value is checked before anything is done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vigil.h>

#include "auth.h"
#include "fs_watch.h"
#include "limit.h"
#include "ioctl.h"
#include "mute.h"
#include "pending.h"
#include "record.h"
#include "ring.h"
#include "session.h"
#include "shim.h"
#include "vcache.h"

typedef long (*vigil_ioctl_fn)(struct vigil_session *s, void __user *arg,
			       u32 usize);

struct vigil_ioctl {
	unsigned int cmd;	/* the command, with the current struct size */
	u32 min_size;		/* size of the struct's first version */
	bool before_handshake;	/* allowed before the handshake */
	bool control;		/* allowed on control handles: s is NULL */
	vigil_ioctl_fn fn;
};

static void vigil_handshake_fill(struct vigil_session *s,
				 struct vigil_handshake *hs)
{
	hs->abi_major = VIGIL_ABI_MAJOR;
	hs->abi_minor = VIGIL_ABI_MINOR;
	hs->features = VIGIL_FEATURE_PROC_EVENTS | VIGIL_FEATURE_AUTH_EXEC |
		       VIGIL_FEATURE_AUTH_OPEN | VIGIL_FEATURE_VERDICT_CACHE |
		       VIGIL_FEATURE_MUTES | VIGIL_FEATURE_WATCHDOG |
		       VIGIL_FEATURE_CATALOGUE | VIGIL_FEATURE_AUTH_LANE;
	hs->ring_data_size = vigil_ring_data_size(s->ring);
	hs->ring_consumer_off = VIGIL_RING_PGOFF_CONSUMER * PAGE_SIZE;
	hs->ring_producer_off = VIGIL_RING_PGOFF_PRODUCER * PAGE_SIZE;
	hs->ring_page_size = PAGE_SIZE;
	hs->max_record_size = VIGIL_RECORD_MAX;
	hs->auth_ring_data_size = vigil_ring_data_size(s->auth_ring);
	hs->auth_ring_consumer_off = (VIGIL_RING_PGOFF_LANE +
				      VIGIL_RING_PGOFF_CONSUMER) * PAGE_SIZE;
	hs->auth_ring_producer_off = (VIGIL_RING_PGOFF_LANE +
				      VIGIL_RING_PGOFF_PRODUCER) * PAGE_SIZE;
}

/*
 * The answer is written back before the version check, so that a client
 * of another major version learns which one the shim speaks.
 */
static long vigil_ioctl_handshake(struct vigil_session *s, void __user *arg,
				  u32 usize)
{
	struct vigil_handshake hs;
	int err;

	err = copy_struct_from_user(&hs, sizeof(hs), arg, usize);
	if (err)
		return err;
	if (hs.flags)
		return -EINVAL;
	/* A client of 1.4 or later reads the AUTH lane: it must learn where. */
	if (hs.client_major == VIGIL_ABI_MAJOR && hs.client_minor >= 4 &&
	    usize < VIGIL_HANDSHAKE_SIZE_VER2)
		return -EINVAL;

	vigil_handshake_fill(s, &hs);
	if (copy_to_user(arg, &hs, min_t(u32, usize, sizeof(hs))))
		return -EFAULT;
	if (hs.client_major != VIGIL_ABI_MAJOR) {
		pr_warn_ratelimited("broker built for ABI %u.%u refused: this shim speaks ABI %u.%u\n",
				    hs.client_major, hs.client_minor,
				    VIGIL_ABI_MAJOR, VIGIL_ABI_MINOR);
		return -EPROTONOSUPPORT;
	}
	return vigil_session_connect(s, hs.client_minor >= 4);
}

static long vigil_ioctl_subscribe(struct vigil_session *s, void __user *arg,
				  u32 usize)
{
	struct vigil_subscribe sub;
	int err;

	err = copy_struct_from_user(&sub, sizeof(sub), arg, usize);
	if (err)
		return err;
	if (sub.flags || (sub.events & ~VIGIL_KNOWN_EVENTS))
		return -EINVAL;
	return vigil_shim_subscribe(s, sub.events);
}

/* A batch is checked whole before any verdict is applied. */
static int vigil_verdicts_check(const struct vigil_verdict *v, u32 count)
{
	u32 i, j;

	for (i = 0; i < count; i++) {
		if ((v[i].verdict != VIGIL_VERDICT_ALLOW &&
		     v[i].verdict != VIGIL_VERDICT_DENY) ||
		    (v[i].flags & ~VIGIL_VERDICT_F_CACHE) || v[i].reserved)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (v[j].id == v[i].id)
				return -EINVAL;
	}
	return 0;
}

static int vigil_verdicts_copy_in(struct vigil_verdict *v,
				  const struct vigil_verdicts *vs)
{
	const char __user *entries = u64_to_user_ptr(vs->entries);
	u32 i;
	int err;

	for (i = 0; i < vs->count; i++) {
		err = copy_struct_from_user(&v[i], sizeof(v[i]),
					    entries + i * vs->entry_size,
					    vs->entry_size);
		if (err)
			return err;
	}
	return vigil_verdicts_check(v, vs->count);
}

/*
 * Apply each verdict and write its error back.  Return: 0, or -EFAULT if
 * an error could not be written back (the verdicts are applied anyway,
 * and vs->applied says how many).
 */
static int vigil_verdicts_apply(struct vigil_session *s, struct vigil_verdict *v,
				struct vigil_verdicts *vs)
{
	char __user *entries = u64_to_user_ptr(vs->entries);
	u64 now = ktime_get_ns();
	int err = 0;
	u32 i;

	vs->applied = 0;
	for (i = 0; i < vs->count; i++) {
		s32 __user *uerr = (s32 __user *)(entries + i * vs->entry_size +
						  offsetof(struct vigil_verdict,
							   error));

		v[i].error = vigil_pending_answer(&s->pending, v[i].id,
						  v[i].verdict, v[i].flags, now);
		vs->applied += !v[i].error;
		if (put_user(v[i].error, uerr))
			err = -EFAULT;
	}
	return err;
}

static long vigil_ioctl_verdict(struct vigil_session *s, void __user *arg,
				u32 usize)
{
	struct vigil_verdicts vs;
	struct vigil_verdict *v;
	int err;

	err = copy_struct_from_user(&vs, sizeof(vs), arg, usize);
	if (err)
		return err;
	if (vs.reserved || !vs.count || vs.count > VIGIL_VERDICT_BATCH_MAX ||
	    vs.entry_size < VIGIL_VERDICT_SIZE_VER1 || vs.entry_size > 256)
		return -EINVAL;
	v = kcalloc(vs.count, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	err = vigil_verdicts_copy_in(v, &vs);
	if (!err) {
		err = vigil_verdicts_apply(s, v, &vs);
		/* Once verdicts are applied, always say how many. */
		if (copy_to_user(arg, &vs, min_t(u32, usize, sizeof(vs))))
			err = -EFAULT;
	}
	if (!err && vs.applied < vs.count)
		err = -ENOENT;
	kfree(v);
	return err;
}

static long vigil_ioctl_watch(struct vigil_session *s, void __user *arg,
			      u32 usize)
{
	struct vigil_watch w;
	int err;

	err = copy_struct_from_user(&w, sizeof(w), arg, usize);
	if (err)
		return err;
	if ((w.flags & ~VIGIL_WATCH_F_REMOVE) || w.reserved)
		return -EINVAL;
	if (w.flags & VIGIL_WATCH_F_REMOVE)
		return vigil_watch_remove(u64_to_user_ptr(w.path));
	return vigil_watch_add(u64_to_user_ptr(w.path));
}

/* An absolute path prefix, without its trailing slash (but "/"). */
static char *vigil_mute_prefix(u64 upath, u32 *len)
{
	char *buf = kmalloc(VIGIL_PATH_MAX, GFP_KERNEL);
	long n;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	n = strncpy_from_user(buf, u64_to_user_ptr(upath), VIGIL_PATH_MAX);
	if (n < 0 || n == VIGIL_PATH_MAX || buf[0] != '/') {
		kfree(buf);
		if (n == VIGIL_PATH_MAX)
			return ERR_PTR(-ENAMETOOLONG);
		return ERR_PTR(n < 0 ? n : -EINVAL);
	}
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	*len = n;
	return buf;
}

/* The process @tgid (in the initial pid namespace), referenced. */
static int vigil_mute_process(u32 tgid, struct vigil_mute_spec *spec)
{
	struct pid *pid;

	/* Protects the pid until we hold it. */
	rcu_read_lock();
	pid = find_pid_ns(tgid, &init_pid_ns);
	if (pid && pid_task(pid, PIDTYPE_TGID))
		spec->pid = get_pid(pid);
	rcu_read_unlock();
	return spec->pid ? 0 : -ESRCH;
}

static int vigil_mute_spec_from(const struct vigil_mute *m,
				struct vigil_mute_spec *spec, char **prefix)
{
	*prefix = NULL;
	memset(spec, 0, sizeof(*spec));
	spec->kind = m->kind;
	spec->events = m->events ? m->events : U64_MAX;
	switch (m->kind) {
	case VIGIL_MUTE_PROCESS:
		if (!m->tgid || m->path)
			return -EINVAL;
		return vigil_mute_process(m->tgid, spec);
	case VIGIL_MUTE_EXE:
		if (m->tgid)
			return -EINVAL;
		/* Held, so that the inode cannot be reused under the mute. */
		return user_path_at(AT_FDCWD, u64_to_user_ptr(m->path),
				    LOOKUP_FOLLOW, &spec->exe);
	case VIGIL_MUTE_PATH: {
		char *p;

		if (m->tgid)
			return -EINVAL;
		p = vigil_mute_prefix(m->path, &spec->len);
		if (IS_ERR(p))
			return PTR_ERR(p);
		*prefix = p;
		spec->prefix = p;
		return 0;
	}
	}
	return -EINVAL;
}

static long vigil_ioctl_mute(struct vigil_session *s, void __user *arg,
			     u32 usize)
{
	struct vigil_mute_spec spec;
	struct vigil_mute m;
	char *prefix;
	int err;

	err = copy_struct_from_user(&m, sizeof(m), arg, usize);
	if (err)
		return err;
	if ((m.flags & ~VIGIL_MUTE_F_REMOVE) || m.reserved ||
	    (m.events & ~VIGIL_KNOWN_EVENTS))
		return -EINVAL;
	err = vigil_mute_spec_from(&m, &spec, &prefix);
	if (!err && (m.flags & VIGIL_MUTE_F_REMOVE)) {
		err = vigil_mute_set_remove(&s->mutes, &spec);
	} else if (!err) {
		err = vigil_mute_set_add(&s->mutes, &spec);
		/* A cached verdict must not outlive a mute of its event. */
		if (!err)
			vigil_vcache_flush(&s->cache);
	}
	/* The set holds references of its own. */
	put_pid(spec.pid);
	path_put(&spec.exe);
	kfree(prefix);
	return err;
}

static long vigil_ioctl_cache_flush(struct vigil_session *s, void __user *arg,
				    u32 usize)
{
	struct vigil_cache_flush f;
	int err;

	err = copy_struct_from_user(&f, sizeof(f), arg, usize);
	if (err)
		return err;
	if (f.flags)
		return -EINVAL;
	vigil_vcache_flush(&s->cache);
	return 0;
}

static long vigil_ioctl_auth_stats(struct vigil_session *s, void __user *arg,
				   u32 usize)
{
	struct vigil_auth_stats st;
	int err;

	err = copy_struct_from_user(&st, sizeof(st), arg, usize);
	if (err)
		return err;
	if ((st.type != VIGIL_EVENT_AUTH_EXEC &&
	     st.type != VIGIL_EVENT_AUTH_OPEN) || st.reserved)
		return -EINVAL;
	vigil_auth_stats_read(s, st.type, &st);
	if (copy_to_user(arg, &st, min_t(u32, usize, sizeof(st))))
		return -EFAULT;
	return 0;
}

/* On sessions and control handles alike: @s may be NULL. */
static long vigil_ioctl_watchdog(struct vigil_session *s, void __user *arg,
				 u32 usize)
{
	struct vigil_watchdog_status st;
	int err;

	err = copy_struct_from_user(&st, sizeof(st), arg, usize);
	if (err)
		return err;
	if (st.flags)
		return -EINVAL;
	vigil_shim_status(&st);
	if (copy_to_user(arg, &st, min_t(u32, usize, sizeof(st))))
		return -EFAULT;
	return 0;
}

/* On sessions and control handles alike: @s may be NULL. */
static long vigil_ioctl_rearm(struct vigil_session *s, void __user *arg,
			      u32 usize)
{
	struct vigil_rearm r;
	int err;

	err = copy_struct_from_user(&r, sizeof(r), arg, usize);
	if (err)
		return err;
	if (r.flags)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return vigil_shim_rearm();
}

/* The types a rate limit may apply to: NOTIFY events. */
#define VIGIL_LIMITABLE_EVENTS	(VIGIL_KNOWN_EVENTS & ~VIGIL_AUTH_EVENTS)

static long vigil_ioctl_limit(struct vigil_session *s, void __user *arg,
			      u32 usize)
{
	struct vigil_limit lim;
	int err;

	err = copy_struct_from_user(&lim, sizeof(lim), arg, usize);
	if (err)
		return err;
	BUILD_BUG_ON(VIGIL_EVENT_FILE_TRUNCATE >= VIGIL_LIMIT_TYPES);
	if ((lim.flags & ~VIGIL_LIMIT_F_GET) || lim.type >= VIGIL_LIMIT_TYPES ||
	    !(VIGIL_LIMITABLE_EVENTS & VIGIL_EVENT_BIT(lim.type)))
		return -EINVAL;
	if (lim.flags & VIGIL_LIMIT_F_GET)
		lim.per_second = vigil_limit_get(&s->limits, lim.type);
	else
		vigil_limit_set(&s->limits, lim.type, lim.per_second);
	lim.skipped = vigil_limit_skipped(&s->limits, lim.type);
	if (copy_to_user(arg, &lim, min_t(u32, usize, sizeof(lim))))
		return -EFAULT;
	return 0;
}

static const struct vigil_ioctl vigil_ioctls[] = {
	{
		.cmd = VIGIL_IOC_HANDSHAKE,
		.min_size = VIGIL_HANDSHAKE_SIZE_VER1,
		.before_handshake = true,
		.fn = vigil_ioctl_handshake,
	},
	{
		.cmd = VIGIL_IOC_SUBSCRIBE,
		.min_size = sizeof(struct vigil_subscribe),
		.fn = vigil_ioctl_subscribe,
	},
	{
		.cmd = VIGIL_IOC_VERDICT,
		.min_size = sizeof(struct vigil_verdicts),
		.fn = vigil_ioctl_verdict,
	},
	{
		.cmd = VIGIL_IOC_WATCH,
		.min_size = sizeof(struct vigil_watch),
		.fn = vigil_ioctl_watch,
	},
	{
		.cmd = VIGIL_IOC_MUTE,
		.min_size = sizeof(struct vigil_mute),
		.fn = vigil_ioctl_mute,
	},
	{
		.cmd = VIGIL_IOC_CACHE_FLUSH,
		.min_size = sizeof(struct vigil_cache_flush),
		.fn = vigil_ioctl_cache_flush,
	},
	{
		.cmd = VIGIL_IOC_AUTH_STATS,
		.min_size = VIGIL_AUTH_STATS_SIZE_VER1,
		.fn = vigil_ioctl_auth_stats,
	},
	{
		.cmd = VIGIL_IOC_WATCHDOG,
		.min_size = VIGIL_WATCHDOG_STATUS_SIZE_VER1,
		.before_handshake = true,
		.control = true,
		.fn = vigil_ioctl_watchdog,
	},
	{
		.cmd = VIGIL_IOC_REARM,
		.min_size = sizeof(struct vigil_rearm),
		.before_handshake = true,
		.control = true,
		.fn = vigil_ioctl_rearm,
	},
	{
		.cmd = VIGIL_IOC_LIMIT,
		.min_size = sizeof(struct vigil_limit),
		.fn = vigil_ioctl_limit,
	},
};

/* The row of @cmd: same type, number and direction; any size. */
static const struct vigil_ioctl *vigil_ioctl_find(unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vigil_ioctls); i++) {
		unsigned int known = vigil_ioctls[i].cmd;

		if (_IOC_TYPE(cmd) == _IOC_TYPE(known) &&
		    _IOC_NR(cmd) == _IOC_NR(known) &&
		    _IOC_DIR(cmd) == _IOC_DIR(known))
			return &vigil_ioctls[i];
	}
	return NULL;
}

/**
 * vigil_ioctl_dispatch() - run an ioctl command
 * @s: the session, or NULL for a control handle
 * @cmd: the command
 * @arg: its argument, a user pointer
 *
 * Every command on a session is a sign of the broker's life, for the
 * heartbeat, even one that fails.
 *
 * Return: the command's result; -ENOTTY for an unknown command, -EINVAL
 * for a struct smaller than the command's first version, -E2BIG for one
 * larger than a page, -EBADF for a session's command on a control handle,
 * -EPROTO before the handshake.
 */
long vigil_ioctl_dispatch(struct vigil_session *s, unsigned int cmd,
			  unsigned long arg)
{
	const struct vigil_ioctl *ioc = vigil_ioctl_find(cmd);
	u32 usize = _IOC_SIZE(cmd);

	if (s)
		atomic_long_inc(&s->activity);
	if (!ioc)
		return -ENOTTY;
	if (usize < ioc->min_size)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (!s && !ioc->control)
		return -EBADF;
	if (s && !ioc->before_handshake && !vigil_session_connected(s))
		return -EPROTO;
	return ioc->fn(s, (void __user *)arg, usize);
}
