// SPDX-License-Identifier: GPL-2.0
/*
 * The hook table.
 *
 * Hooks are attached when a broker connects and detached when it goes.
 * Callers serialize attach and detach (see session.c).
 */

#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/vigil.h>

#include "auth_events.h"
#include "binfmt.h"
#include "fs_watch.h"
#include "hooks.h"
#include "kprobe.h"
#include "proc_events.h"
#include "tracepoint.h"

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
};

/*
 * Detach every attached hook, then wait, once per mechanism in use, until
 * no handler can still be running.
 */
void vigil_hooks_detach_all(void)
{
	const struct vigil_hook_ops *synced[ARRAY_SIZE(vigil_hooks)] = {};
	unsigned int i, j, nr_synced = 0;

	for (i = 0; i < ARRAY_SIZE(vigil_hooks); i++) {
		struct vigil_hook *hook = &vigil_hooks[i];

		if (!hook->attached)
			continue;
		hook->ops->detach(hook);
		hook->attached = false;
		for (j = 0; j < nr_synced && synced[j] != hook->ops; j++)
			;
		if (j == nr_synced)
			synced[nr_synced++] = hook->ops;
	}
	for (j = 0; j < nr_synced; j++)
		synced[j]->sync();
}

/**
 * vigil_hooks_attach_all() - attach every hook of the table
 *
 * Return: 0, or the error of the first hook that failed, after detaching
 * the others: all or nothing.
 */
int vigil_hooks_attach_all(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(vigil_hooks); i++) {
		struct vigil_hook *hook = &vigil_hooks[i];

		err = hook->ops->attach(hook);
		if (err) {
			pr_err("cannot attach to %s %s: %d\n", hook->ops->name,
			       hook->target, err);
			vigil_hooks_detach_all();
			return err;
		}
		hook->attached = true;
	}
	return 0;
}
