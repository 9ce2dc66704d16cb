// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel verdict cache.
 *
 * A bounded hash table with least-recently-used eviction, allocated whole
 * when the broker connects, so that nothing is allocated in the AUTH path.
 * An entry records the file's change counter (i_version) when the verdict
 * was given; a lookup with another counter finds the file modified, drops
 * the entry and misses.  Callers only cache files whose filesystem keeps
 * i_version and that nobody has open for writing (see auth.c).
 */

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vcache.h"

int vigil_vcache_init(struct vigil_vcache *c, unsigned int size)
{
	unsigned int i;

	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->lru);
	INIT_LIST_HEAD(&c->free);
	for (i = 0; i < VIGIL_VCACHE_BUCKETS; i++)
		INIT_HLIST_HEAD(&c->buckets[i]);
	c->size = size;
	c->used = 0;
	c->entries = NULL;
	if (!size)
		return 0;
	/* A failure is the handshake's ENOMEM, not a log line. */
	c->entries = kvcalloc(size, sizeof(*c->entries),
			      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!c->entries)
		return -ENOMEM;
	for (i = 0; i < size; i++)
		list_add_tail(&c->entries[i].lru, &c->free);
	return 0;
}

void vigil_vcache_uninit(struct vigil_vcache *c)
{
	kvfree(c->entries);
	c->entries = NULL;
	c->size = 0;
}

/* The inode and the event type spread keys enough; compare the rest. */
static struct hlist_head *vigil_vcache_bucket(struct vigil_vcache *c,
					      const struct vigil_vkey *key)
{
	return &c->buckets[hash_64(key->inode ^ key->type,
				   ilog2(VIGIL_VCACHE_BUCKETS))];
}

static bool vigil_vkey_equal(const struct vigil_vkey *a,
			     const struct vigil_vkey *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static struct vigil_ventry *vigil_vcache_find(struct vigil_vcache *c,
					      const struct vigil_vkey *key)
{
	struct vigil_ventry *e;

	hlist_for_each_entry(e, vigil_vcache_bucket(c, key), node)
		if (vigil_vkey_equal(&e->key, key))
			return e;
	return NULL;
}

static void vigil_vcache_drop(struct vigil_vcache *c, struct vigil_ventry *e)
{
	hlist_del(&e->node);
	list_move(&e->lru, &c->free);
	c->used--;
}

/**
 * vigil_vcache_lookup() - find the cached verdict for @key
 * @c: the cache
 * @key: what the verdict is about
 * @change: the file's change counter now
 *
 * Return: the verdict, or 0 if there is none (or it was for an earlier
 * version of the file, and is now gone).
 */
u32 vigil_vcache_lookup(struct vigil_vcache *c, const struct vigil_vkey *key,
			u64 change)
{
	struct vigil_ventry *e;
	u32 verdict = 0;

	if (!c->size)
		return 0;
	spin_lock(&c->lock);
	e = vigil_vcache_find(c, key);
	if (e && e->change != change) {
		vigil_vcache_drop(c, e);
	} else if (e) {
		list_move(&e->lru, &c->lru);
		verdict = e->verdict;
	}
	spin_unlock(&c->lock);
	return verdict;
}

/* The cache's generation now: a verdict asked for now may be inserted. */
u64 vigil_vcache_generation(struct vigil_vcache *c)
{
	/* Pairs with WRITE_ONCE() in vigil_vcache_flush(). */
	return READ_ONCE(c->generation);
}

/**
 * vigil_vcache_insert() - remember @verdict for @key
 * @c: the cache
 * @key: what the verdict is about
 * @change: the file's change counter when the verdict was asked for
 * @verdict: the verdict
 * @generation: vigil_vcache_generation() when the verdict was asked for:
 *	a verdict from before a flush is not remembered after it
 *
 * Evicts the least recently used entry if the cache is full.
 */
void vigil_vcache_insert(struct vigil_vcache *c, const struct vigil_vkey *key,
			 u64 change, u32 verdict, u64 generation)
{
	struct vigil_ventry *e;

	if (!c->size)
		return;
	spin_lock(&c->lock);
	if (generation != c->generation)
		goto out_unlock;
	e = vigil_vcache_find(c, key);
	if (!e) {
		if (list_empty(&c->free))
			vigil_vcache_drop(c, list_last_entry(&c->lru,
							     struct vigil_ventry,
							     lru));
		e = list_first_entry(&c->free, struct vigil_ventry, lru);
		e->key = *key;
		hlist_add_head(&e->node, vigil_vcache_bucket(c, key));
		c->used++;
	}
	e->change = change;
	e->verdict = verdict;
	list_move(&e->lru, &c->lru);
out_unlock:
	spin_unlock(&c->lock);
}

/* Forget every verdict. */
void vigil_vcache_flush(struct vigil_vcache *c)
{
	struct vigil_ventry *e, *tmp;

	spin_lock(&c->lock);
	list_for_each_entry_safe(e, tmp, &c->lru, lru)
		vigil_vcache_drop(c, e);
	/* Pairs with READ_ONCE() in vigil_vcache_generation(). */
	WRITE_ONCE(c->generation, c->generation + 1);
	spin_unlock(&c->lock);
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "vcache_test.c"
#endif
