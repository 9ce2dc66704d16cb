// SPDX-License-Identifier: GPL-2.0
/*
 * The kprobe hook mechanism: for hook points that have no tracepoint, or
 * whose tracepoint lacks what a record needs.  The target is a function
 * name; the handler is a kprobe pre-handler, which runs in atomic context.
 */

#include <linux/kprobes.h>
#include <linux/slab.h>

#include "kprobe.h"

static int vigil_kprobe_attach(struct vigil_hook *hook)
{
	struct kprobe *kp = kzalloc(sizeof(*kp), GFP_KERNEL);
	int err;

	if (!kp)
		return -ENOMEM;
	kp->symbol_name = hook->target;
	kp->pre_handler = hook->handler;
	err = register_kprobe(kp);
	if (err) {
		kfree(kp);
		return err;
	}
	hook->state = kp;
	return 0;
}

/* unregister_kprobe() returns once no handler of the probe is running. */
static void vigil_kprobe_detach(struct vigil_hook *hook)
{
	unregister_kprobe(hook->state);
	kfree(hook->state);
	hook->state = NULL;
}

static void vigil_kprobe_sync(void)
{
}

const struct vigil_hook_ops vigil_kprobe_ops = {
	.name = "kprobe",
	.attach = vigil_kprobe_attach,
	.detach = vigil_kprobe_detach,
	.sync = vigil_kprobe_sync,
};
