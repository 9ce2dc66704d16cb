// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoint hook mechanism.
 *
 * The scheduler's tracepoints are not exported by name to modules, so they
 * are found by walking the core kernel's tracepoints.  Their probes run
 * with preemption disabled: handlers copy what they need and return.
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "tracepoint.h"

struct vigil_tp_lookup {
	const char *name;
	struct tracepoint *found;
};

static void vigil_tp_match(struct tracepoint *tp, void *priv)
{
	struct vigil_tp_lookup *lookup = priv;

	if (!lookup->found && !strcmp(tp->name, lookup->name))
		lookup->found = tp;
}

static struct tracepoint *vigil_tp_find(const char *name)
{
	struct vigil_tp_lookup lookup = { .name = name };

	for_each_kernel_tracepoint(vigil_tp_match, &lookup);
	return lookup.found;
}

static int vigil_tp_attach(struct vigil_hook *hook)
{
	struct tracepoint *tp = vigil_tp_find(hook->target);
	int err;

	if (!tp)
		return -ENOENT;
	err = tracepoint_probe_register(tp, hook->handler, NULL);
	if (err)
		return err;
	hook->state = tp;
	return 0;
}

static void vigil_tp_detach(struct vigil_hook *hook)
{
	tracepoint_probe_unregister(hook->state, hook->handler, NULL);
	hook->state = NULL;
}

const struct vigil_hook_ops vigil_tracepoint_ops = {
	.name = "tracepoint",
	.attach = vigil_tp_attach,
	.detach = vigil_tp_detach,
	.sync = tracepoint_synchronize_unregister,
};
