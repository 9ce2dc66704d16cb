// SPDX-License-Identifier: GPL-2.0
/*
 * The binfmt hook mechanism: a binary format handler at the head of the
 * kernel's list, which every exec asks first, before its point of no
 * return, in a context that may sleep.  It never loads anything: its
 * handler returns -ENOEXEC to let the real handlers go on, or an error to
 * refuse the exec.  For a script, the kernel asks again about the
 * interpreter.
 */

#include <linux/binfmts.h>
#include <linux/module.h>

#include "binfmt.h"

/* While a handler runs, the kernel holds a reference on this module. */
static struct linux_binfmt vigil_binfmt = {
	.module = THIS_MODULE,
};

static int vigil_binfmt_attach(struct vigil_hook *hook)
{
	vigil_binfmt.load_binary = hook->handler;
	__register_binfmt(&vigil_binfmt, 1);
	hook->state = &vigil_binfmt;
	return 0;
}

static void vigil_binfmt_detach(struct vigil_hook *hook)
{
	unregister_binfmt(&vigil_binfmt);
	hook->state = NULL;
}

/*
 * unregister_binfmt() does not wait for handlers already running; they
 * are inside vigil_auth_decide(), which vigil_auth_stop() waits for.
 */
static void vigil_binfmt_sync(void)
{
}

const struct vigil_hook_ops vigil_binfmt_ops = {
	.name = "binfmt",
	.attach = vigil_binfmt_attach,
	.detach = vigil_binfmt_detach,
	.sync = vigil_binfmt_sync,
};
