/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel module events: see module_events.c. */
#ifndef _VIGIL_MODULE_EVENTS_H
#define _VIGIL_MODULE_EVENTS_H

#include <linux/types.h>

struct module;
struct vigil_rec;
struct vigil_module_event;

void vigil_on_module_load(void *data, struct module *mod);
void vigil_on_module_free(void *data, struct module *mod);

/* The encoder, for the KUnit tests too. */
void vigil_rec_module(struct vigil_rec *rec, struct vigil_module_event *ev,
		      const char *name, unsigned long taints);

#endif /* _VIGIL_MODULE_EVENTS_H */
