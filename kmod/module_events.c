// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel module events: the module_load and module_free tracepoints, in
 * the task loading (init_module(2), finit_module(2)) or removing
 * (delete_module(2)) the module.  A module that fails to initialize is
 * freed again: its load is followed by an unload.
 */

#include <linux/module.h>
#include <linux/sched.h>
#include <trace/events/module.h>

#include "emit.h"
#include "module_events.h"

/**
 * vigil_rec_module() - a module record's fixed part and name
 * @rec: the builder
 * @ev: the record's fixed part
 * @name: the module's name
 * @taints: its taint flags (MODULE_LOAD), or 0
 */
void vigil_rec_module(struct vigil_rec *rec, struct vigil_module_event *ev,
		      const char *name, unsigned long taints)
{
	ev->taints = (u32)taints;
	vigil_rec_put_str(rec, VIGIL_FIELD_NAME, name, MODULE_NAME_LEN);
}

#ifdef CONFIG_MODULES
static void __maybe_unused vigil_module_events_check_types(void)
{
	check_trace_callback_type_module_load(vigil_on_module_load);
	check_trace_callback_type_module_free(vigil_on_module_free);
}

static void vigil_module_event(u32 type, struct module *mod, unsigned long taints)
{
	struct vigil_module_event *ev;
	struct vigil_emit em;

	if (current->flags & PF_KTHREAD)
		return;
	ev = vigil_emit_begin(&em, type, sizeof(*ev));
	if (!ev)
		return;
	vigil_emit_put_actor(&em, &ev->actor);
	vigil_rec_module(&em.rec, ev, mod->name, taints);
	vigil_emit_end(&em);
}

void vigil_on_module_load(void *data, struct module *mod)
{
	vigil_module_event(VIGIL_EVENT_MODULE_LOAD, mod, mod->taints);
}

void vigil_on_module_free(void *data, struct module *mod)
{
	vigil_module_event(VIGIL_EVENT_MODULE_UNLOAD, mod, 0);
}
#else
/*
 * A kernel without loadable modules (UML's coverage build of the KUnit
 * suites; vigil.ko itself needs them) has no module events: the
 * tracepoints do not exist, and these are never attached.
 */
void vigil_on_module_load(void *data, struct module *mod)
{
}

void vigil_on_module_free(void *data, struct module *mod)
{
}
#endif /* CONFIG_MODULES */

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "module_events_test.c"
#endif
