/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot guard's state and rules, without I/O: the state file's format
 * (parsed strictly, and fuzzed), the kernel command line's vigil.disable,
 * and what loading and blessing do to the state.  boot.c does the I/O.
 *
 * The pattern is systemd's boot assessment: each boot that loads the shim
 * counts as unblessed until it has been up and healthy for a while; after
 * a limit of unblessed boots in a row, the shim is not loaded again until
 * an administrator resets the count.
 */
#ifndef VIGILCTL_BOOTSTATE_H
#define VIGILCTL_BOOTSTATE_H

#include <stddef.h>

#define BOOT_STATE_VERSION	1
#define BOOT_STATE_MAX_SIZE	4096	/* bytes in a state file */
#define BOOT_MAX_LIMIT		1000	/* largest limit of unblessed boots */
#define BOOT_ID_LEN		36	/* a boot_id, as the kernel gives it */

/* What happened last, as the state file's "last" says. */
enum boot_last {
	BOOT_NONE,	/* nothing yet */
	BOOT_LOADING,	/* counted, loading: a crash leaves it so */
	BOOT_LOADED,	/* the shim loaded */
	BOOT_FAILED,	/* loading failed (the module refused, say) */
	BOOT_REFUSED,	/* the guard refused: too many unblessed boots */
	BOOT_DISABLED,	/* vigil.disable=1 on the kernel command line */
	BOOT_BLESSED,	/* this boot was blessed: the count is 0 */
	BOOT_RESET,	/* an administrator reset the count */
	BOOT_LAST_COUNT
};

struct boot_state {
	unsigned int unblessed;		/* boots in a row not blessed */
	unsigned int limit;		/* the limit the last load used, or 0 */
	enum boot_last last;
	char boot_id[BOOT_ID_LEN + 1];	/* of the boot that did it, or "" */
};

/* What vigilctl boot load must do. */
enum boot_action {
	BOOT_DO_LOAD,		/* count this boot, then load */
	BOOT_DO_REFUSE,		/* too many unblessed boots */
	BOOT_DO_NOTHING,	/* vigil.disable=1 */
};

const char *boot_last_name(enum boot_last last);

void boot_state_init(struct boot_state *st);

/*
 * Parse a state file's @len bytes at @text into @st.  Returns 0, or
 * -EINVAL with a message naming the line in @err: an unknown or repeated
 * key, a value out of range, a missing version or count, a line too long.
 */
int boot_state_parse(const char *text, size_t len, struct boot_state *st,
		     char *err, size_t errlen);

/* Write @st as a state file into @buf; the length, or -ENOSPC. */
int boot_state_format(const struct boot_state *st, char *buf, size_t len);

/* Does the kernel command line @cmdline ask that vigil not load? */
int boot_cmdline_disabled(const char *cmdline);

/* Is @id a boot_id (36 characters: hex digits and dashes)? */
int boot_id_valid(const char *id);

/*
 * Decide a load, and update @st to what is recorded before loading:
 * counted and BOOT_LOADING, BOOT_REFUSED, or BOOT_DISABLED (count kept).
 */
enum boot_action boot_decide(struct boot_state *st, int disabled,
			     unsigned int limit, const char *boot_id);

/* Record the outcome of the load boot_decide() asked for. */
void boot_loaded(struct boot_state *st, int ok);

/*
 * Bless the boot @boot_id: if it is the boot that loaded (or failed to
 * load) the shim, the count goes back to 0.  Returns 1 if blessed, 0 if
 * there was nothing to bless (another boot's record, or a refusal, which
 * only vigilctl boot reset undoes).
 */
int boot_bless(struct boot_state *st, const char *boot_id);

void boot_reset(struct boot_state *st, const char *boot_id);

#endif /* VIGILCTL_BOOTSTATE_H */
