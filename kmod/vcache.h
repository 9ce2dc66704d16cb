/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel verdict cache: verdicts the broker sent with
 * VIGIL_VERDICT_F_CACHE, answered again in the kernel for repeats.
 */
#ifndef _VIGIL_VCACHE_H
#define _VIGIL_VCACHE_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define VIGIL_VCACHE_BUCKETS	1024

/*
 * What a verdict is about: the file (the inode itself, with its number,
 * generation and filesystem, so that neither btrfs snapshots, which share
 * numbers, nor a reused inode are taken for one another), the event type
 * and access, and the credentials of the caller.
 */
struct vigil_vkey {
	u64 inode;
	u64 sb;
	u64 ino;
	u32 generation;
	u32 type;
	u32 access;
	u32 uid;
	u32 gid;
	u32 reserved;
};

struct vigil_ventry {
	struct hlist_node node;		/* in a bucket, if used */
	struct list_head lru;		/* most recently used first */
	struct vigil_vkey key;
	u64 change;			/* the file's i_version when cached */
	u32 verdict;
};

struct vigil_vcache {
	spinlock_t lock;		/* protects everything below */
	unsigned int size;		/* entries; 0: the cache is off */
	unsigned int used;
	struct vigil_ventry *entries;
	struct list_head lru;		/* used entries */
	struct list_head free;		/* unused entries */
	u64 generation;			/* bumped by every flush */
	struct hlist_head buckets[VIGIL_VCACHE_BUCKETS];
};

int vigil_vcache_init(struct vigil_vcache *c, unsigned int size);
void vigil_vcache_uninit(struct vigil_vcache *c);
u32 vigil_vcache_lookup(struct vigil_vcache *c, const struct vigil_vkey *key,
			u64 change);
u64 vigil_vcache_generation(struct vigil_vcache *c);
void vigil_vcache_insert(struct vigil_vcache *c, const struct vigil_vkey *key,
			 u64 change, u32 verdict, u64 generation);
void vigil_vcache_flush(struct vigil_vcache *c);

#endif /* _VIGIL_VCACHE_H */
