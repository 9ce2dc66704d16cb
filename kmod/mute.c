// SPDX-License-Identifier: GPL-2.0
/*
 * Mutes.
 *
 * The set in force is one immutable snapshot: a change builds a new one
 * and publishes it, waits for a grace period, then frees the old one and
 * drops its references (which may sleep).  Hooks match against the
 * snapshot under RCU (their preemption-disabled sections count) without
 * taking any lock.
 */

#include <linux/dcache.h>
#include <linux/errno.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vigil.h>

#include "mute.h"

void vigil_mute_set_init(struct vigil_mute_set *set)
{
	mutex_init(&set->lock);
	RCU_INIT_POINTER(set->cur, NULL);
}

/* Free a snapshot no reader can see any more, and drop its references. */
static void vigil_mutes_free(struct vigil_mutes *m)
{
	unsigned int i;

	for (i = 0; m && i < m->nr; i++) {
		put_pid(m->spec[i].pid);
		path_put(&m->spec[i].exe);
	}
	kfree(m);
}

/* Readers are gone: the session is closing. */
void vigil_mute_set_uninit(struct vigil_mute_set *set)
{
	vigil_mutes_free(rcu_dereference_protected(set->cur, true));
	RCU_INIT_POINTER(set->cur, NULL);
	mutex_destroy(&set->lock);
}

static bool vigil_mute_same(const struct vigil_mute_spec *a,
			    const struct vigil_mute_spec *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case VIGIL_MUTE_PROCESS:
		return a->pid == b->pid;
	case VIGIL_MUTE_EXE:
		return d_inode(a->exe.dentry) == d_inode(b->exe.dentry);
	default:
		return a->len == b->len && !memcmp(a->prefix, b->prefix, a->len);
	}
}

static unsigned int vigil_mutes_count(const struct vigil_mutes *m, u32 kind)
{
	unsigned int i, n = 0;

	for (i = 0; m && i < m->nr; i++)
		n += m->spec[i].kind == kind;
	return n;
}

/*
 * Build a snapshot of @old's entries but @skip (if not NULL), plus @add
 * (if not NULL), its prefixes copied after the array.
 */
static struct vigil_mutes *vigil_mutes_build(const struct vigil_mutes *old,
					     const struct vigil_mute_spec *skip,
					     const struct vigil_mute_spec *add)
{
	unsigned int i, nr = (old ? old->nr : 0) + (add ? 1 : 0);
	size_t strings = add && add->prefix ? add->len + 1 : 0;
	struct vigil_mutes *m;
	char *str;

	for (i = 0; old && i < old->nr; i++)
		if (old->spec[i].prefix)
			strings += old->spec[i].len + 1;
	m = kzalloc(struct_size(m, spec, nr) + strings, GFP_KERNEL_ACCOUNT);
	if (!m)
		return NULL;
	str = (char *)&m->spec[nr];
	for (i = 0; i < nr; i++) {
		const struct vigil_mute_spec *from;

		from = old && i < old->nr ? &old->spec[i] : add;
		if (skip && from == skip)
			continue;
		m->spec[m->nr] = *from;
		get_pid(from->pid);
		path_get(&from->exe);
		if (from->prefix) {
			memcpy(str, from->prefix, from->len + 1);
			m->spec[m->nr].prefix = str;
			str += from->len + 1;
		}
		m->nr++;
	}
	return m;
}

static void vigil_mute_set_publish(struct vigil_mute_set *set,
				   struct vigil_mutes *old,
				   struct vigil_mutes *new)
{
	/* Pairs with rcu_dereference*() of the hooks' matching. */
	rcu_assign_pointer(set->cur, new);
	/* Waits for the hooks still matching against @old. */
	synchronize_rcu();
	vigil_mutes_free(old);
}

static const struct vigil_mute_spec *
vigil_mutes_find(const struct vigil_mutes *m, const struct vigil_mute_spec *spec)
{
	unsigned int i;

	for (i = 0; m && i < m->nr; i++)
		if (vigil_mute_same(&m->spec[i], spec))
			return &m->spec[i];
	return NULL;
}

/**
 * vigil_mute_set_add() - mute
 * @set: the set
 * @spec: the mute; its prefix is copied
 *
 * Return: 0; -EEXIST if muted already; -ENOSPC if VIGIL_MUTE_MAX mutes of
 * its kind exist; -ENOMEM.
 */
int vigil_mute_set_add(struct vigil_mute_set *set,
		       const struct vigil_mute_spec *spec)
{
	struct vigil_mutes *old, *new;
	int err = 0;

	mutex_lock(&set->lock);
	old = rcu_dereference_protected(set->cur, lockdep_is_held(&set->lock));
	if (vigil_mutes_find(old, spec)) {
		err = -EEXIST;
	} else if (vigil_mutes_count(old, spec->kind) >= VIGIL_MUTE_MAX) {
		err = -ENOSPC;
	} else {
		new = vigil_mutes_build(old, NULL, spec);
		if (new)
			vigil_mute_set_publish(set, old, new);
		else
			err = -ENOMEM;
	}
	mutex_unlock(&set->lock);
	return err;
}

/* Unmute: 0, -ENOENT if not muted, -ENOMEM. */
int vigil_mute_set_remove(struct vigil_mute_set *set,
			  const struct vigil_mute_spec *spec)
{
	const struct vigil_mute_spec *found;
	struct vigil_mutes *old, *new;
	int err = 0;

	mutex_lock(&set->lock);
	old = rcu_dereference_protected(set->cur, lockdep_is_held(&set->lock));
	found = vigil_mutes_find(old, spec);
	if (!found) {
		err = -ENOENT;
	} else {
		new = vigil_mutes_build(old, found, NULL);
		if (new)
			vigil_mute_set_publish(set, old, new);
		else
			err = -ENOMEM;
	}
	mutex_unlock(&set->lock);
	return err;
}

/* Is an event of @type by process @tgid, running @exe (or NULL), muted? */
bool vigil_mutes_process(const struct vigil_mutes *m, u32 type,
			 const struct pid *tgid, const struct inode *exe)
{
	unsigned int i;

	for (i = 0; m && i < m->nr; i++) {
		const struct vigil_mute_spec *s = &m->spec[i];

		if (!(s->events & VIGIL_EVENT_BIT(type)))
			continue;
		if (s->kind == VIGIL_MUTE_PROCESS && s->pid == tgid)
			return true;
		if (s->kind == VIGIL_MUTE_EXE && exe &&
		    d_inode(s->exe.dentry) == exe)
			return true;
	}
	return false;
}

/* Does @prefix name @path or a directory above it, by whole components? */
static bool vigil_path_under(const char *path, u32 len, const char *prefix,
			     u32 plen)
{
	if (plen > len || memcmp(path, prefix, plen))
		return false;
	return plen == 1 || plen == len || path[plen] == '/';
}

/* Is an event of @type about the @len bytes of @path muted? */
bool vigil_mutes_path(const struct vigil_mutes *m, u32 type,
		      const char *path, u32 len)
{
	unsigned int i;

	for (i = 0; m && i < m->nr; i++) {
		const struct vigil_mute_spec *s = &m->spec[i];

		if (s->kind == VIGIL_MUTE_PATH &&
		    (s->events & VIGIL_EVENT_BIT(type)) &&
		    vigil_path_under(path, len, s->prefix, s->len))
			return true;
	}
	return false;
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "mute_test.c"
#endif
