// SPDX-License-Identifier: GPL-2.0
/* Who may connect to vigild: parsing the allowlist, and checking a peer. */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "allowlist.h"
#include "conf.h"

/* The id of @name in a passwd (@group 0) or group file. */
static int lookup_file(int group, const char *name, uint32_t *id)
{
	FILE *f = fopen(group ? "/etc/group" : "/etc/passwd", "re");
	int err = -ENOENT;

	if (!f)
		return -errno;
	for (;;) {
		if (group) {
			struct group *gr = fgetgrent(f);

			if (!gr)
				break;
			if (!strcmp(gr->gr_name, name)) {
				*id = gr->gr_gid;
				err = 0;
				break;
			}
		} else {
			struct passwd *pw = fgetpwent(f);

			if (!pw)
				break;
			if (!strcmp(pw->pw_name, name)) {
				*id = pw->pw_uid;
				err = 0;
				break;
			}
		}
	}
	fclose(f);
	return err;
}

int allowlist_resolve_files(int group, const char *name, uint32_t *id)
{
	return lookup_file(group, name, id);
}

/* A name as useradd accepts it: letters, digits, "_", "-", "." ("$" last). */
static int name_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n > 32 || s[0] == '-' || isdigit((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isalnum(c) && c != '_' && c != '-' && c != '.' &&
		    !(c == '$' && i == n - 1))
			return 0;
	}
	return 1;
}

/* An id, or a name resolved to one; (uid_t)-1 is never an id. */
static int parse_id(struct conf_reader *r, int group, const char *word,
		    allowlist_resolver resolve, uint32_t *id)
{
	const char *kind = group ? "group" : "user";
	uint64_t v;

	if (isdigit((unsigned char)word[0])) {
		if (conf_parse_u64(word, 0, UINT32_MAX - 1, &v))
			return conf_fail(r, "%s id \"%.32s\" is not 0 to 4294967294",
					 kind, word);
		*id = (uint32_t)v;
		return 0;
	}
	if (!name_valid(word))
		return conf_fail(r, "\"%.32s\" is not a %s name", word, kind);
	if (resolve(group, word, id))
		return conf_fail(r, "no %s named \"%s\"", kind, word);
	return 0;
}

static int add_entry(struct conf_reader *r, struct allowlist *list, int group,
		     uint32_t id)
{
	size_t *n = group ? &list->n_groups : &list->n_users;

	if (*n == ALLOWLIST_MAX)
		return conf_fail(r, "more than %d %s entries", ALLOWLIST_MAX,
				 group ? "group" : "user");
	if (group)
		list->groups[(*n)++] = id;
	else
		list->users[(*n)++] = id;
	return 0;
}

static int parse_line(struct conf_reader *r, char *line,
		      allowlist_resolver resolve, struct allowlist *list)
{
	char *kind = strtok(line, " \t"), *word = strtok(NULL, " \t");
	uint32_t id;
	int group, ret;

	if (!strcmp(kind, "user"))
		group = 0;
	else if (!strcmp(kind, "group"))
		group = 1;
	else
		return conf_fail(r, "\"%.32s\" is not user or group", kind);
	if (!word)
		return conf_fail(r, "%s of whom?", kind);
	if (strtok(NULL, " \t"))
		return conf_fail(r, "one %s per line", kind);
	ret = parse_id(r, group, word, resolve, &id);
	return ret ? ret : add_entry(r, list, group, id);
}

int allowlist_parse(const char *text, size_t len, allowlist_resolver resolve,
		    struct allowlist *out, char *err, size_t errlen)
{
	struct allowlist next;
	struct conf_reader r;
	char *line;
	int ret;

	memset(&next, 0, sizeof(next));
	conf_reader_init(&r, text, len, err, errlen);
	while ((ret = conf_next(&r, &line)) > 0) {
		ret = parse_line(&r, line, resolve, &next);
		if (ret)
			return ret;
	}
	if (ret)
		return ret;
	*out = next;
	return 0;
}

static int contains(const uint32_t *ids, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

int allowlist_allows(const struct allowlist *list, uid_t uid,
		     const gid_t *gids, size_t ngids)
{
	size_t i;

	if (uid == 0 || contains(list->users, list->n_users, uid))
		return 1;
	for (i = 0; i < ngids; i++)
		if (contains(list->groups, list->n_groups, gids[i]))
			return 1;
	return 0;
}
