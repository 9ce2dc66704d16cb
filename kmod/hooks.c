// SPDX-License-Identifier: GPL-2.0
/*
 * The hook table.
 *
 * Hooks are attached when a broker connects and detached when it goes;
 * the catalogue's only while the broker subscribes to their events.
 * Callers serialize attach and detach (see shim.c).
 */

#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/vigil.h>

#include "auth_events.h"
#include "binfmt.h"
#include "compat.h"
#include "file_events.h"
#include "fs_watch.h"
#include "hooks.h"
#include "kprobe.h"
#include "module_events.h"
#include "mount_events.h"
#include "net_events.h"
#include "proc_events.h"
#include "task_events.h"
#include "tracepoint.h"

/* A row of the catalogue, attached while its event is subscribed. */
#define VIGIL_ON_DEMAND(ev, mechanism, tgt, fn)				\
	{ .event = (ev), .ops = &vigil_##mechanism##_ops, .target = (tgt), \
	  .handler = (fn), .on_demand = true }

static struct vigil_hook vigil_hooks[] = {
	{
		.event = VIGIL_EVENT_FORK,
		.ops = &vigil_tracepoint_ops,
		.target = "sched_process_fork",
		.handler = vigil_on_fork,
	},
	{
		.event = VIGIL_EVENT_EXEC,
		.ops = &vigil_tracepoint_ops,
		.target = "sched_process_exec",
		.handler = vigil_on_exec,
	},
	/*
	 * Not the sched_process_exit tracepoint: before 6.16 it does not say
	 * whether the thread is the last of its process, and signal->live
	 * cannot tell when threads exit at once.  do_exit() passes exactly
	 * that to taskstats_exit(), right after setting the exit code.
	 */
	{
		.event = VIGIL_EVENT_EXIT,
		.ops = &vigil_kprobe_ops,
		.target = "taskstats_exit",
		.handler = vigil_on_exit,
	},
	/* Before an exec's point of no return, where it may still fail. */
	{
		.event = VIGIL_EVENT_AUTH_EXEC,
		.ops = &vigil_binfmt_ops,
		.target = "the head of the binary formats",
		.handler = vigil_on_auth_exec,
	},
	/* Marks on the superblocks the broker watches, added later. */
	{
		.event = VIGIL_EVENT_AUTH_OPEN,
		.ops = &vigil_fsnotify_ops,
		.target = "FS_OPEN_PERM of watched filesystems",
		.handler = vigil_on_auth_open,
	},
	/*
	 * The catalogue: each attached only while a broker subscribes to its
	 * event.  Tracepoints where one says all; otherwise the security
	 * hooks, whose names and arguments are the same on every kernel
	 * supported, and where every way of doing the thing passes.
	 */
	VIGIL_ON_DEMAND(VIGIL_EVENT_CRED, kprobe, "commit_creds", vigil_on_commit_creds),
	/*
	 * These two make their records with interrupts off, where a path
	 * may not be built; each has a hook before, to build it.
	 */
	VIGIL_ON_DEMAND(VIGIL_EVENT_SIGNAL, kprobe, "security_task_kill", vigil_on_task_kill),
	VIGIL_ON_DEMAND(VIGIL_EVENT_SIGNAL, tracepoint, "signal_generate", vigil_on_signal),
	VIGIL_ON_DEMAND(VIGIL_EVENT_PTRACE, kprobe, "security_ptrace_access_check",
			vigil_on_ptrace_access_check),
	VIGIL_ON_DEMAND(VIGIL_EVENT_PTRACE, kprobe, "__ptrace_link", vigil_on_ptrace_link),
	VIGIL_ON_DEMAND(VIGIL_EVENT_MODULE_LOAD, tracepoint, "module_load",
			vigil_on_module_load),
	VIGIL_ON_DEMAND(VIGIL_EVENT_MODULE_UNLOAD, tracepoint, "module_free",
			vigil_on_module_free),
	VIGIL_ON_DEMAND(VIGIL_EVENT_MOUNT, kprobe, "security_sb_mount", vigil_on_sb_mount),
	VIGIL_ON_DEMAND(VIGIL_EVENT_MOUNT, kprobe, "security_move_mount",
			vigil_on_move_mount),
	VIGIL_ON_DEMAND(VIGIL_EVENT_UMOUNT, kprobe, "security_sb_umount", vigil_on_sb_umount),
	VIGIL_ON_DEMAND(VIGIL_EVENT_NET_CONNECT, kprobe, "security_socket_connect",
			vigil_on_socket_connect),
	VIGIL_ON_DEMAND(VIGIL_EVENT_NET_BIND, kprobe, "security_socket_bind",
			vigil_on_socket_bind),
	VIGIL_ON_DEMAND(VIGIL_EVENT_NET_LISTEN, kprobe, "security_socket_listen",
			vigil_on_socket_listen),
	/* accept(2) grafts the new connection on its socket once established. */
	VIGIL_ON_DEMAND(VIGIL_EVENT_NET_ACCEPT, kprobe, "security_sock_graft",
			vigil_on_sock_graft),
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_OPEN, kprobe, "security_file_open",
			vigil_on_file_open),
	/* The last close: no security hook before 6.8, no tracepoint. */
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_CLOSE_WRITE, kprobe, "__fput", vigil_on_fput),
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_CREATE, kprobe, "security_path_mknod",
			vigil_on_path_mknod),
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_UNLINK, kprobe, "security_path_unlink",
			vigil_on_path_unlink),
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_UNLINK, kprobe, "security_path_rmdir",
			vigil_on_path_rmdir),
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_RENAME, kprobe, "security_path_rename",
			vigil_on_path_rename),
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_ATTR, kprobe, "security_path_chmod",
			vigil_on_path_chmod),
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_ATTR, kprobe, "security_path_chown",
			vigil_on_path_chown),
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_LINK, kprobe, "security_path_link",
			vigil_on_path_link),
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_LINK, kprobe, "security_path_symlink",
			vigil_on_path_symlink),
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_TRUNCATE, kprobe, "security_path_truncate",
			vigil_on_path_truncate),
#if VIGIL_HAVE_FILE_TRUNCATE_HOOK
	VIGIL_ON_DEMAND(VIGIL_EVENT_FILE_TRUNCATE, kprobe, "security_file_truncate",
			vigil_on_file_truncate),
#endif
};

/* Note that @ops was used for a detach, once; the mechanisms to sync. */
static void vigil_hooks_note_sync(const struct vigil_hook_ops **synced,
				  unsigned int *nr, const struct vigil_hook_ops *ops)
{
	unsigned int j;

	for (j = 0; j < *nr && synced[j] != ops; j++)
		;
	if (j == *nr)
		synced[(*nr)++] = ops;
}

/*
 * Detach the attached hooks that @keep says not to keep, then wait, once
 * per mechanism in use, until no handler can still be running.
 */
static void vigil_hooks_detach(bool (*keep)(const struct vigil_hook *, u64),
			       u64 events)
{
	const struct vigil_hook_ops *synced[ARRAY_SIZE(vigil_hooks)] = {};
	unsigned int i, j, nr_synced = 0;

	for (i = 0; i < ARRAY_SIZE(vigil_hooks); i++) {
		struct vigil_hook *hook = &vigil_hooks[i];

		if (!hook->attached || keep(hook, events))
			continue;
		hook->ops->detach(hook);
		hook->attached = false;
		vigil_hooks_note_sync(synced, &nr_synced, hook->ops);
	}
	for (j = 0; j < nr_synced; j++)
		synced[j]->sync();
}

static bool vigil_hook_keep_none(const struct vigil_hook *hook, u64 events)
{
	return false;
}

/* Whether @hook belongs attached while @events are subscribed. */
static bool vigil_hook_wanted(const struct vigil_hook *hook, u64 events)
{
	return !hook->on_demand || (events & VIGIL_EVENT_BIT(hook->event));
}

/* Detach every attached hook. */
void vigil_hooks_detach_all(void)
{
	vigil_hooks_detach(vigil_hook_keep_none, 0);
}

/*
 * Attach the hooks @events want that are not attached; on a failure,
 * detach those this call attached.  Return: 0, or the first error.
 */
static int vigil_hooks_attach_wanted(u64 events)
{
	bool fresh[ARRAY_SIZE(vigil_hooks)] = {};
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(vigil_hooks); i++) {
		struct vigil_hook *hook = &vigil_hooks[i];

		if (hook->attached || !vigil_hook_wanted(hook, events))
			continue;
		err = hook->ops->attach(hook);
		if (err) {
			pr_err("cannot attach to %s %s: %d\n", hook->ops->name,
			       hook->target, err);
			goto err_undo;
		}
		hook->attached = true;
		fresh[i] = true;
	}
	return 0;

err_undo:
	while (i--) {
		if (fresh[i]) {
			vigil_hooks[i].ops->detach(&vigil_hooks[i]);
			vigil_hooks[i].attached = false;
			vigil_hooks[i].ops->sync();
		}
	}
	return err;
}

/**
 * vigil_hooks_attach_all() - attach the hooks for a broker subscribed to
 *	@events: every hook that is not on demand, and those @events want
 *
 * Return: 0, or the error of the first hook that failed, after detaching
 * the others: all or nothing.
 */
int vigil_hooks_attach_all(u64 events)
{
	int err = vigil_hooks_attach_wanted(events);

	if (err)
		vigil_hooks_detach_all();
	return err;
}

/**
 * vigil_hooks_update() - follow a change of subscriptions while attached
 * @events: the subscriptions from now on
 *
 * Attaches the on-demand hooks @events want, then detaches those it does
 * not.  Return: 0; or the error of a hook that could not be attached,
 * after which the hooks are as they were.
 */
int vigil_hooks_update(u64 events)
{
	int err = vigil_hooks_attach_wanted(events);

	if (err)
		return err;
	vigil_hooks_detach(vigil_hook_wanted, events);
	return 0;
}
