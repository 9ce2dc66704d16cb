// SPDX-License-Identifier: GPL-2.0
/*
 * Watched filesystems.
 *
 * Attaching the hook creates the fsnotify group; the broker then adds a
 * mark per superblock it watches (VIGIL_IOC_WATCH).  A mark covers every
 * mount of its superblock and every file on it, created later or not; a
 * filesystem mounted later is another superblock, not covered until the
 * broker watches it too.  When a watched filesystem is unmounted, fsnotify
 * detaches the mark and the watch ends.
 *
 * Permission handlers run in the opening task, in a context that may
 * sleep, holding fsnotify's SRCU read lock: their wait must stay bounded,
 * and it is (see auth.c).
 */

#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/fsnotify_backend.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/vigil.h>

#include "compat.h"
#include "fs_watch.h"

struct vigil_watch_mark {
	struct fsnotify_mark mark;
	struct super_block *sb;		/* compared only while attached */
};

typedef int (*vigil_open_handler_t)(struct file *file);

/* Protects the three below. */
static DEFINE_MUTEX(vigil_watch_lock);
static struct fsnotify_group *vigil_watch_group;
static vigil_open_handler_t vigil_watch_handler;
static struct vigil_watch_mark *vigil_watches[VIGIL_WATCH_MAX];

static int vigil_fsn_handle_event(struct fsnotify_group *group, u32 mask,
				  const void *data, int data_type,
				  struct inode *dir, const struct qstr *name,
				  u32 cookie, struct fsnotify_iter_info *iter)
{
	const struct path *path = fsnotify_data_path(data, data_type);
	vigil_open_handler_t handler = READ_ONCE(vigil_watch_handler);

	if (!(mask & FS_OPEN_PERM) || !path || !handler)
		return 0;
	/* fsnotify_open_perm() sends FS_OPEN_PERM with &file->f_path. */
	return handler(container_of(path, struct file, f_path));
}

static void vigil_fsn_free_mark(struct fsnotify_mark *mark)
{
	kfree(container_of(mark, struct vigil_watch_mark, mark));
}

static const struct fsnotify_ops vigil_fsn_ops = {
	.handle_event = vigil_fsn_handle_event,
	.free_mark = vigil_fsn_free_mark,
};

static bool vigil_watch_attached(const struct vigil_watch_mark *w)
{
	return READ_ONCE(w->mark.flags) & FSNOTIFY_MARK_FLAG_ATTACHED;
}

/* Drop our reference to watch @i; detach it first if still attached. */
static void vigil_watch_drop(unsigned int i)
{
	struct vigil_watch_mark *w = vigil_watches[i];

	if (vigil_watch_attached(w))
		fsnotify_destroy_mark(&w->mark, vigil_watch_group);
	fsnotify_put_mark(&w->mark);
	vigil_watches[i] = NULL;
}

/* The slot watching @sb, or -1; forgets watches unmount has ended. */
static int vigil_watch_find(struct super_block *sb, int *free_slot)
{
	int i, found = -1;

	*free_slot = -1;
	for (i = 0; i < VIGIL_WATCH_MAX; i++) {
		struct vigil_watch_mark *w = vigil_watches[i];

		if (w && !vigil_watch_attached(w))
			vigil_watch_drop(i);
		if (!vigil_watches[i]) {
			if (*free_slot < 0)
				*free_slot = i;
		} else if (vigil_watches[i]->sb == sb) {
			found = i;
		}
	}
	return found;
}

static int vigil_watch_mark_sb(struct super_block *sb, int slot)
{
	struct vigil_watch_mark *w;
	int err;

	w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w)
		return -ENOMEM;
	fsnotify_init_mark(&w->mark, vigil_watch_group);
	w->mark.mask = FS_OPEN_PERM;
	w->sb = sb;
	err = vigil_fsnotify_add_sb_mark(&w->mark, sb);
	if (err) {
		fsnotify_put_mark(&w->mark);
		return err;
	}
	vigil_watches[slot] = w;
	return 0;
}

static int vigil_watch_change(const char __user *upath, bool add)
{
	struct path path;
	int found, slot, err;

	err = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, &path);
	if (err)
		return err;
	mutex_lock(&vigil_watch_lock);
	if (!vigil_watch_group) {
		err = -ENODEV;
		goto out_unlock;
	}
	found = vigil_watch_find(path.mnt->mnt_sb, &slot);
	if (!add) {
		if (found < 0)
			err = -ENOENT;
		else
			vigil_watch_drop(found);
	} else if (found >= 0) {
		err = -EEXIST;
	} else if (slot < 0) {
		err = -ENOSPC;
	} else {
		err = vigil_watch_mark_sb(path.mnt->mnt_sb, slot);
	}
out_unlock:
	mutex_unlock(&vigil_watch_lock);
	path_put(&path);
	return err;
}

/**
 * vigil_watch_add() - watch the filesystem holding a path
 * @path: the path, in user memory, resolved as the caller sees it
 *
 * Return: 0; the path's lookup error; -EEXIST if watched already;
 * -ENOSPC if VIGIL_WATCH_MAX filesystems are watched; -ENOMEM.
 */
int vigil_watch_add(const char __user *path)
{
	return vigil_watch_change(path, true);
}

/* Stop watching the filesystem holding @path: 0, or -ENOENT if unwatched. */
int vigil_watch_remove(const char __user *path)
{
	return vigil_watch_change(path, false);
}

static int vigil_fsn_attach(struct vigil_hook *hook)
{
	struct fsnotify_group *group;

	group = fsnotify_alloc_group(&vigil_fsn_ops, 0);
	if (IS_ERR(group))
		return PTR_ERR(group);
	/* Permission events go only to groups of this priority. */
	group->priority = VIGIL_FSNOTIFY_PRIO_CONTENT;
	mutex_lock(&vigil_watch_lock);
	vigil_watch_group = group;
	WRITE_ONCE(vigil_watch_handler, hook->handler);
	mutex_unlock(&vigil_watch_lock);
	hook->state = group;
	return 0;
}

static void vigil_fsn_detach(struct vigil_hook *hook)
{
	unsigned int i;

	mutex_lock(&vigil_watch_lock);
	for (i = 0; i < VIGIL_WATCH_MAX; i++)
		if (vigil_watches[i])
			vigil_watch_drop(i);
	WRITE_ONCE(vigil_watch_handler, NULL);
	vigil_watch_group = NULL;
	mutex_unlock(&vigil_watch_lock);
	/* The marks hold the group until they are freed. */
	fsnotify_put_group(hook->state);
	hook->state = NULL;
}

/* Returns once the marks are gone and no handler of theirs runs. */
static void vigil_fsn_sync(void)
{
	fsnotify_wait_marks_destroyed();
}

const struct vigil_hook_ops vigil_fsnotify_ops = {
	.name = "fsnotify",
	.attach = vigil_fsn_attach,
	.detach = vigil_fsn_detach,
	.sync = vigil_fsn_sync,
};
