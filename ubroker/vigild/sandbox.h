/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vigild's privileges, in one place: it runs as an unprivileged user (the
 * vigil user, given /dev/vigil by group), refuses root unless told, holds
 * no capability, sets no_new_privs, and once started up confines itself
 * to the system calls it serves with (a seccomp allowlist).
 */
#ifndef VIGILD_SANDBOX_H
#define VIGILD_SANDBOX_H

#include <stddef.h>

/*
 * Before anything else.  As root without @allow_root: -EPERM and why in
 * @err.  As root with it: 0, and a warning in @err.  Otherwise 0, @err "".
 */
int vigild_check_user(int allow_root, char *err, size_t errlen);

/*
 * Once the device is open, the ring mapped and the subscriptions made:
 * drop every capability (and, as root, the bounding set), set
 * no_new_privs, load the seccomp allowlist.  0, or a negative errno and
 * what failed in @err; vigild must not go on then.
 */
int vigild_sandbox(char *err, size_t errlen);

#endif /* VIGILD_SANDBOX_H */
