/* SPDX-License-Identifier: GPL-2.0 */
/* AUTH events: the exec and open hooks' handlers. */
#ifndef _VIGIL_AUTH_EVENTS_H
#define _VIGIL_AUTH_EVENTS_H

struct file;
struct linux_binprm;

int vigil_on_auth_exec(struct linux_binprm *bprm);
int vigil_on_auth_open(struct file *file);

#endif /* _VIGIL_AUTH_EVENTS_H */
