/* SPDX-License-Identifier: GPL-2.0 */
/* Network events: see net_events.c. */
#ifndef _VIGIL_NET_EVENTS_H
#define _VIGIL_NET_EVENTS_H

struct kprobe;
struct pt_regs;

int vigil_on_socket_connect(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_socket_bind(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_socket_listen(struct kprobe *kp, struct pt_regs *regs);
int vigil_on_sock_graft(struct kprobe *kp, struct pt_regs *regs);

#endif /* _VIGIL_NET_EVENTS_H */
