/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook table: every place the shim hooks into the kernel is one row,
 * and everything is attached and detached through it.
 */
#ifndef _VIGIL_HOOKS_H
#define _VIGIL_HOOKS_H

#include <linux/types.h>

struct vigil_hook;

/* A hook mechanism: tracepoints, kprobes, binfmt, fsnotify. */
struct vigil_hook_ops {
	const char *name;
	int (*attach)(struct vigil_hook *hook);
	void (*detach)(struct vigil_hook *hook);
	/* Wait until no handler detached so far can still be running. */
	void (*sync)(void);
};

/**
 * struct vigil_hook - one row of the hook table
 * @event: the VIGIL_EVENT_* the hook produces
 * @ops: the mechanism
 * @target: what to hook, in the mechanism's terms (a tracepoint name)
 * @handler: the function to run there
 * @state: the mechanism's, while attached
 * @attached: whether the hook is attached now
 * @on_demand: attached only while a broker subscribes to @event (the
 *	catalogue's hooks), so that an event nobody wants costs nothing;
 *	the others are attached whenever a broker is connected
 */
struct vigil_hook {
	u32 event;
	const struct vigil_hook_ops *ops;
	const char *target;
	void *handler;
	void *state;
	bool attached;
	bool on_demand;
};

int vigil_hooks_attach_all(u64 events);
int vigil_hooks_update(u64 events);
void vigil_hooks_detach_all(void);

#endif /* _VIGIL_HOOKS_H */
