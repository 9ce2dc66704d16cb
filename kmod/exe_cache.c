// SPDX-License-Identifier: GPL-2.0
/*
 * The executable-path cache.
 *
 * Every catalogue record names its actor's executable (VIGIL_FIELD_EXE),
 * and in a small record such as a file open, d_path() of it is the
 * costliest single part: a walk up the dentries and mounts under two
 * seqlocks.  A storm of events comes from one process on one CPU, so each
 * CPU keeps the last executable path it built and reuses it while nothing
 * the path was built from has changed:
 *
 *  - the process (its tgid and its leader's start time) and its exec (the
 *    kernel's self_exec_id, which every exec moves on);
 *  - its executable: the same struct file, at the same mount and dentry;
 *  - current's root directory, from which d_path() resolves (read before
 *    and checked after, against fs->seq, for threads that share it);
 *  - the dentry tree: rename_lock's sequence moves on at every rename
 *    anywhere, which is how d_path() itself knows;
 *  - the file is still linked (else d_path() says "(deleted)") and its
 *    mount not unmounted (a lazy umount sets MNT_UMOUNT on every mount it
 *    detaches);
 *  - and the entry is at most VIGIL_EXE_CACHE_TTL_NS old.  A mount moved
 *    above the executable is seen at once: attaching it makes its root
 *    and its new place mount points, and d_set_mounted() takes
 *    rename_lock.  Not when both already are (stacked mounts), which the
 *    module cannot tell: the mount tree's own sequence is not exported.
 *    That staleness is left, and bounded.
 *
 * The pointers of the key are compared, not held, so they could be
 * reused: not within one exec for the executable's, since the mm holds
 * it, but for a process that swaps its executable twice within the TTL
 * (PR_SET_MM_EXE_FILE, PR_SET_MM_MAP), which then gets the path of one
 * it had.  It names its executable as it likes that way anyway.
 *
 * Executables whose name the filesystem makes up (d_dname: memfd and
 * other pseudo files) are never cached.  Nor are paths that are cut or
 * unavailable.
 *
 * Context: the entry of a CPU is used only by the outermost record being
 * built on it (scratch level 0, see emit.c), with preemption disabled: a
 * hook nested in an interrupt builds its path the long way.
 *
 * A hook that runs with interrupts disabled (signal_generate under the
 * target's siglock, __ptrace_link() under tasklist_lock) must not build a
 * path at all: d_path() and fs->lock could wait for a CPU that waits for
 * that lock in an interrupt.  It takes the entry or nothing; the hook's
 * warm-up (vigil_emit_warm_exe(), before the lock) fills the entry.
 */

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "exe_cache.h"
#include "record.h"

/*
 * What an executable's path was built from.  Pointers are only compared,
 * never followed.
 */
struct vigil_exe_key {
	const struct file *file;	/* mm->exe_file */
	const void *mnt;		/* its f_path */
	const void *dentry;
	const void *root_mnt;		/* current's root directory */
	const void *root_dentry;
	u64 start_ns;			/* the process: its leader's start */
	u64 exec_id;			/* and how many execs it is at */
	pid_t tgid;
	unsigned int rename_seq;	/* rename_lock's, even */
};

struct vigil_exe_entry {
	struct vigil_exe_key key;
	u64 built_ns;			/* when the path was built */
	u32 len;			/* bytes of @path, its NUL included; 0: none */
	u16 flags;			/* VIGIL_FIELD_F_* but OTHER_ROOT */
	char path[VIGIL_PATH_MAX];
};

/* This CPU's entry; NULL until vigil_exe_cache_init() (or if it failed). */
static DEFINE_PER_CPU(struct vigil_exe_entry *, vigil_exe_cache);

int vigil_exe_cache_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct vigil_exe_entry *e = kvzalloc(sizeof(*e), GFP_KERNEL);

		if (!e) {
			vigil_exe_cache_uninit();
			return -ENOMEM;
		}
		*per_cpu_ptr(&vigil_exe_cache, cpu) = e;
	}
	return 0;
}

/* Call once no hook can run: after vigil_emit_stop() or before any start. */
void vigil_exe_cache_uninit(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		kvfree(*per_cpu_ptr(&vigil_exe_cache, cpu));
		*per_cpu_ptr(&vigil_exe_cache, cpu) = NULL;
	}
}

static bool vigil_exe_key_equal(const struct vigil_exe_key *a,
				const struct vigil_exe_key *b)
{
	return a->file == b->file && a->mnt == b->mnt &&
	       a->dentry == b->dentry && a->root_mnt == b->root_mnt &&
	       a->root_dentry == b->root_dentry && a->start_ns == b->start_ns &&
	       a->exec_id == b->exec_id && a->tgid == b->tgid &&
	       a->rename_seq == b->rename_seq;
}

/**
 * vigil_exe_entry_valid() - may @e stand for the path @key describes now?
 * @e: the entry
 * @key: what the path would be built from now
 * @now: the time now, in ktime_get_ns()'s clock
 */
static bool vigil_exe_entry_valid(const struct vigil_exe_entry *e,
				  const struct vigil_exe_key *key, u64 now)
{
	return e->len && now >= e->built_ns &&
	       now - e->built_ns < VIGIL_EXE_CACHE_TTL_NS &&
	       vigil_exe_key_equal(&e->key, key);
}

/**
 * vigil_exe_entry_store() - remember the path built from @key
 * @e: the entry
 * @key: what it was built from
 * @path: the path, NUL included
 * @len: its bytes, at most VIGIL_PATH_MAX (else nothing is stored)
 * @flags: its field's VIGIL_FIELD_F_*, but VIGIL_FIELD_F_OTHER_ROOT
 * @now: when it was built
 */
static void vigil_exe_entry_store(struct vigil_exe_entry *e,
				  const struct vigil_exe_key *key,
				  const char *path, u32 len, u16 flags, u64 now)
{
	e->len = 0;
	if (!len || len > sizeof(e->path))
		return;
	memcpy(e->path, path, len);
	e->key = *key;
	e->flags = flags;
	e->built_ns = now;
	e->len = len;
}

/*
 * What current's executable @exe's path would be built from now, seen
 * from @root.  Return: false if a rename is under way, so that the path
 * built now must not be kept.
 */
static bool vigil_exe_key_fill(struct vigil_exe_key *key, const struct file *exe,
			       const struct path *root)
{
	key->file = exe;
	key->mnt = exe->f_path.mnt;
	key->dentry = exe->f_path.dentry;
	key->root_mnt = root->mnt;
	key->root_dentry = root->dentry;
	key->start_ns = current->group_leader->start_time;
	key->exec_id = READ_ONCE(current->self_exec_id);
	key->tgid = task_tgid_nr(current);
	/* Pairs with the write_seqlock() of d_move(); read_seqcount_retry() below. */
	key->rename_seq = raw_read_seqcount(&rename_lock.seqcount);
	return !(key->rename_seq & 1);
}

/* Is @exe's path one that the key above describes whole? */
static bool vigil_exe_cacheable(const struct file *exe)
{
	const struct dentry *dentry = exe->f_path.dentry;

	return !(dentry->d_op && dentry->d_op->d_dname) && !d_unlinked(dentry) &&
	       !(READ_ONCE(exe->f_path.mnt->mnt_flags) & MNT_UMOUNT);
}

/*
 * Build the field the long way, and keep it in @e if it may be: @fs_seq
 * is current->fs->seq from before @key's root was read.
 */
static void vigil_exe_build(struct vigil_exe_entry *e, struct vigil_rec *rec,
			    const struct file *exe, const struct path *view,
			    const struct vigil_exe_key *key, bool keep,
			    unsigned int fs_seq, u64 now)
{
	const struct vigil_field *f;

	vigil_rec_put_path(rec, VIGIL_FIELD_EXE, &exe->f_path, view);
	f = vigil_rec_last_field(rec);
	if (!keep || !f || f->type != VIGIL_FIELD_EXE ||
	    (f->flags & (VIGIL_FIELD_F_TRUNCATED | VIGIL_FIELD_F_UNAVAILABLE)))
		return;
	/*
	 * d_path() read the root itself, and a thread sharing current's fs
	 * may have changed it meanwhile: then the path is not the key's.
	 * Pairs with set_fs_root()'s write_seqcount_begin().
	 */
	if (read_seqcount_retry(&current->fs->seq, fs_seq))
		return;
	/* Pairs with raw_read_seqcount() in vigil_exe_key_fill(). */
	if (read_seqcount_retry(&rename_lock.seqcount, key->rename_seq))
		return;
	vigil_exe_entry_store(e, key, (const char *)VIGIL_FIELD_DATA(f),
			      VIGIL_FIELD_DATA_LEN(f),
			      f->flags & ~VIGIL_FIELD_F_OTHER_ROOT, now);
}

/* vigil_exe_cache_put() with entry @e, which no one else uses meanwhile. */
static void vigil_exe_put_with(struct vigil_exe_entry *e, struct vigil_rec *rec,
			       struct file *exe, const struct path *view, u64 now)
{
	struct fs_struct *fs = current->fs;
	struct vigil_exe_key key;
	unsigned int fs_seq;
	struct path root;
	bool keep;

	if (!e || !fs) {
		vigil_rec_put_path(rec, VIGIL_FIELD_EXE, &exe->f_path, view);
		return;
	}
	/* Before the root is read; retried in vigil_exe_build(). */
	fs_seq = raw_read_seqcount(&fs->seq);
	keep = !(fs_seq & 1) && vigil_current_root(&root) &&
	       vigil_exe_key_fill(&key, exe, &root) && vigil_exe_cacheable(exe);
	if (keep && vigil_exe_entry_valid(e, &key, now) &&
	    e->len <= vigil_rec_room(rec)) {
		u16 root_flag = view && !path_equal(&root, view) ?
				VIGIL_FIELD_F_OTHER_ROOT : 0;

		vigil_rec_put_strings(rec, VIGIL_FIELD_EXE, e->path, e->len,
				      e->flags | root_flag);
		return;
	}
	/* With interrupts disabled, the field comes out unavailable, unkept. */
	vigil_exe_build(e, rec, exe, view, &key, keep, fs_seq, now);
}

/**
 * vigil_exe_cache_put() - append current's executable path as VIGIL_FIELD_EXE
 * @rec: the record, the outermost one being built on this CPU
 * @exe: current's executable, which the caller holds a reference to
 * @view: the root the reader resolves paths from, or NULL
 * @now: the record's time
 *
 * The same field as vigil_rec_put_path() would append, from this CPU's
 * entry when it is still valid.  With interrupts disabled the path is not
 * built (see vigil_rec_may_lock()): without a valid entry the field is
 * empty and flagged unavailable.
 *
 * Context: preemption disabled, scratch level 0.
 */
void vigil_exe_cache_put(struct vigil_rec *rec, struct file *exe,
			 const struct path *view, u64 now)
{
	/* Only this CPU's outermost record uses it; preemption is off. */
	vigil_exe_put_with(this_cpu_read(vigil_exe_cache), rec, exe, view, now);
}

#ifdef CONFIG_VIGIL_KUNIT_TEST
#include "exe_cache_test.c"
#endif
