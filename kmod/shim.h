/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shim's state: which broker session is connected, and whether the
 * hooks are attached.  They are attached exactly while a broker is
 * connected and the watchdog is not tripped (the catalogue's, only those
 * it subscribes to); connecting, disconnecting, the watchdog's changes
 * (degrade, trip, recovery, re-arms) and a change of subscriptions are the
 * only changes, each made here under one lock.
 */
#ifndef _VIGIL_SHIM_H
#define _VIGIL_SHIM_H

#include <linux/types.h>

struct vigil_session;
struct vigil_watchdog_status;

int vigil_shim_connect(struct vigil_session *s, bool auth_lane);
void vigil_shim_disconnect(struct vigil_session *s);
void vigil_shim_apply(void);
int vigil_shim_rearm(void);
void vigil_shim_auto_rearm(void);
int vigil_shim_subscribe(struct vigil_session *s, u64 events);
void vigil_shim_status(struct vigil_watchdog_status *st);

#endif /* _VIGIL_SHIM_H */
