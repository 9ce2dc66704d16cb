/* SPDX-License-Identifier: GPL-2.0 */
/* The binfmt hook mechanism, for AUTH_EXEC. */
#ifndef _VIGIL_BINFMT_H
#define _VIGIL_BINFMT_H

#include "hooks.h"

extern const struct vigil_hook_ops vigil_binfmt_ops;

void vigil_binfmt_init(void);
void vigil_binfmt_uninit(void);

#endif /* _VIGIL_BINFMT_H */
