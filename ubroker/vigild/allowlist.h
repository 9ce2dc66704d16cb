/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may connect to vigild: the allowlist file (by default
 * /etc/vigil/clients.allow), one entry per line:
 *
 *   user NAME-OR-UID      a client running as this user
 *   group NAME-OR-GID     a client with this group, primary or supplementary
 *
 * A client's peer credentials (SO_PEERCRED, SO_PEERGROUPS) are checked
 * against it when it connects.  root is always allowed: it could take
 * over the broker anyway.  Names are resolved when the file is read, from
 * /etc/passwd and /etc/group.
 */
#ifndef VIGILD_ALLOWLIST_H
#define VIGILD_ALLOWLIST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ALLOWLIST_MAX	256	/* entries of each kind */

struct allowlist {
	size_t n_users;
	size_t n_groups;
	uint32_t users[ALLOWLIST_MAX];	/* uids */
	uint32_t groups[ALLOWLIST_MAX];	/* gids */
};

/*
 * Resolve a user (@group false) or group name to its id: 0 and *@id set,
 * or -ENOENT.  vigild passes allowlist_resolve_files, the tests their own.
 */
typedef int (*allowlist_resolver)(int group, const char *name, uint32_t *id);

/*
 * Names from /etc/passwd and /etc/group themselves (fgetpwent), not NSS:
 * the broker admits local accounts only, and a static build can read them.
 */
int allowlist_resolve_files(int group, const char *name, uint32_t *id);

/*
 * Parse an allowlist file's @len bytes at @text.  Return: 0 with @out
 * set; or -EINVAL, @out unchanged and the reason in @err ("line N: ..."):
 * a kind other than user or group, a missing or extra word, a name that
 * does not resolve, an id past 4294967294, too many entries.
 */
int allowlist_parse(const char *text, size_t len, allowlist_resolver resolve,
		    struct allowlist *out, char *err, size_t errlen);

/* May a peer with @uid and the groups @gids (@ngids of them) connect? */
int allowlist_allows(const struct allowlist *list, uid_t uid,
		     const gid_t *gids, size_t ngids);

#endif /* VIGILD_ALLOWLIST_H */
