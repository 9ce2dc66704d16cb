// SPDX-License-Identifier: GPL-2.0
/*
 * The binfmt hook mechanism: a binary format handler at the head of the
 * kernel's list, which every exec asks first, before its point of no
 * return, in a context that may sleep.  It never loads anything: it
 * returns -ENOEXEC to let the real handlers go on, or an error to refuse
 * the exec.  For a script, the kernel asks again about the interpreter.
 *
 * The handler is registered for the whole life of the module, and
 * attaching only points it at the hook's function: search_binary_handler()
 * goes on from a handler's list entry after it returns, so the entry must
 * not be unlinked while an exec may be in it.  Module exit is safe: a
 * running handler holds a reference on the module.
 */

#include <linux/binfmts.h>
#include <linux/errno.h>
#include <linux/module.h>

#include "binfmt.h"

typedef int (*vigil_exec_handler_t)(struct linux_binprm *bprm);

/* The attached hook's function, or NULL. */
static vigil_exec_handler_t vigil_binfmt_handler;

static int vigil_binfmt_load(struct linux_binprm *bprm)
{
	vigil_exec_handler_t handler = READ_ONCE(vigil_binfmt_handler);

	return handler ? handler(bprm) : -ENOEXEC;
}

static struct linux_binfmt vigil_binfmt = {
	.module = THIS_MODULE,
	.load_binary = vigil_binfmt_load,
};

void vigil_binfmt_init(void)
{
	__register_binfmt(&vigil_binfmt, 1);
}

void vigil_binfmt_uninit(void)
{
	unregister_binfmt(&vigil_binfmt);
}

static int vigil_binfmt_attach(struct vigil_hook *hook)
{
	WRITE_ONCE(vigil_binfmt_handler, hook->handler);
	hook->state = &vigil_binfmt;
	return 0;
}

static void vigil_binfmt_detach(struct vigil_hook *hook)
{
	WRITE_ONCE(vigil_binfmt_handler, NULL);
	hook->state = NULL;
}

/*
 * Handlers still running after detach are inside vigil_auth_decide(),
 * which vigil_auth_stop() waits for.
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
