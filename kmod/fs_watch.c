// SPDX-License-Identifier: GPL-2.0
/*
 * Watched filesystems.
 *
 * A watch is the session's wish to hear about opens on one filesystem
 * (superblock); a mark is what makes fsnotify call us, while the hook is
 * attached.  The broker adds and removes watches (VIGIL_IOC_WATCH);
 * attaching the hook creates the fsnotify group and a mark per watch,
 * detaching it (a trip, or the broker leaving) destroys marks and group
 * but keeps the watches, so that re-arming marks the same filesystems
 * again.  The session's end forgets the watches.
 *
 * Each watch also holds, for its whole life, a mark with an empty mask in
 * a second group: it asks for no event, so it costs an open next to
 * nothing, but fsnotify detaches it when the filesystem is unmounted.
 * That is how a watch knows it ended, hooked or not, and how a superblock
 * met again is known to be the same one rather than a new filesystem
 * that reuses its memory and device number.
 *
 * A mark covers every mount of its superblock and every file on it,
 * created later or not; a filesystem mounted later is another superblock,
 * not covered until the broker watches it too.  When a watched filesystem
 * is unmounted, the watch ends, attached or not.
 *
 * Permission handlers run in the opening task, in a context that may
 * sleep, holding fsnotify's SRCU read lock: their wait must stay bounded,
 * and it is (see auth.c).
 */

#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/fsnotify_backend.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/vigil.h>

#include "compat.h"
#include "fs_watch.h"

struct vigil_watch_mark {
	struct fsnotify_mark mark;
};

/*
 * One watched filesystem.  The superblock is only compared, never
 * dereferenced once the path that named it is put: it is found again by
 * its type, which a reference on the type's module keeps alive.  While
 * @keep is attached, the superblock at @sb is the one watched.
 */
struct vigil_fs_watch {
	struct super_block *sb;		/* NULL: the slot is free */
	struct file_system_type *type;
	struct vigil_watch_mark *keep;	/* empty mask; ends with the sb */
	struct vigil_watch_mark *mark;	/* while the hook is attached */
};

typedef int (*vigil_open_handler_t)(struct file *file);

/* Protects the four below. */
static DEFINE_MUTEX(vigil_watch_lock);
static struct fsnotify_group *vigil_watch_group;	/* while attached */
static struct fsnotify_group *vigil_keep_group;	/* while anything is watched */
static vigil_open_handler_t vigil_watch_handler;
static struct vigil_fs_watch vigil_watches[VIGIL_WATCH_MAX];

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

/* A keep mark asks for nothing; fsnotify never calls this. */
static int vigil_keep_handle_event(struct fsnotify_group *group, u32 mask,
				   const void *data, int data_type,
				   struct inode *dir, const struct qstr *name,
				   u32 cookie, struct fsnotify_iter_info *iter)
{
	return 0;
}

static const struct fsnotify_ops vigil_keep_ops = {
	.handle_event = vigil_keep_handle_event,
	.free_mark = vigil_fsn_free_mark,
};

/* A new mark of @group for @mask on @sb, or an ERR_PTR. */
static struct vigil_watch_mark *vigil_mark_sb(struct fsnotify_group *group,
					      u32 mask, struct super_block *sb)
{
	struct vigil_watch_mark *m;
	int err;

	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m)
		return ERR_PTR(-ENOMEM);
	fsnotify_init_mark(&m->mark, group);
	m->mark.mask = mask;
	err = vigil_fsnotify_add_sb_mark(&m->mark, sb);
	if (err) {
		fsnotify_put_mark(&m->mark);
		return ERR_PTR(err);
	}
	return m;
}

/* Destroy *@mp, a mark of @group, if there is one. */
static void vigil_unmark(struct vigil_watch_mark **mp,
			 struct fsnotify_group *group)
{
	struct vigil_watch_mark *m = *mp;

	if (!m)
		return;
	if (READ_ONCE(m->mark.flags) & FSNOTIFY_MARK_FLAG_ATTACHED)
		fsnotify_destroy_mark(&m->mark, group);
	fsnotify_put_mark(&m->mark);
	*mp = NULL;
}

/* Give @w its permission mark.  Caller holds vigil_watch_lock; attached. */
static int vigil_watch_mark_sb(struct vigil_fs_watch *w, struct super_block *sb)
{
	struct vigil_watch_mark *m;

	m = vigil_mark_sb(vigil_watch_group, FS_OPEN_PERM, sb);
	if (IS_ERR(m))
		return PTR_ERR(m);
	w->mark = m;
	return 0;
}

static void vigil_watch_forget(struct vigil_fs_watch *w)
{
	vigil_unmark(&w->mark, vigil_watch_group);
	vigil_unmark(&w->keep, vigil_keep_group);
	module_put(w->type->owner);
	memset(w, 0, sizeof(*w));
}

/* Whether @w's filesystem was unmounted: fsnotify detached its keep mark. */
static bool vigil_watch_ended(const struct vigil_fs_watch *w)
{
	return !(READ_ONCE(w->keep->mark.flags) & FSNOTIFY_MARK_FLAG_ATTACHED);
}

/* The watch of @sb, or NULL; forgets watches unmount has ended. */
static struct vigil_fs_watch *vigil_watch_find(struct super_block *sb,
					    struct vigil_fs_watch **free_slot)
{
	struct vigil_fs_watch *found = NULL;
	unsigned int i;

	*free_slot = NULL;
	for (i = 0; i < VIGIL_WATCH_MAX; i++) {
		struct vigil_fs_watch *w = &vigil_watches[i];

		if (w->sb && vigil_watch_ended(w))
			vigil_watch_forget(w);
		if (!w->sb) {
			if (!*free_slot)
				*free_slot = w;
		} else if (w->sb == sb) {
			/* Not ended, so not freed: the same superblock. */
			found = w;
		}
	}
	return found;
}

/* The group of keep marks, made for the first watch. */
static int vigil_keep_group_get(void)
{
	struct fsnotify_group *group;

	if (vigil_keep_group)
		return 0;
	group = fsnotify_alloc_group(&vigil_keep_ops, 0);
	if (IS_ERR(group))
		return PTR_ERR(group);
	vigil_keep_group = group;
	return 0;
}

/* Watch @sb in slot @w; marked at once if the hook is attached. */
static int vigil_watch_start(struct vigil_fs_watch *w, struct super_block *sb)
{
	struct vigil_watch_mark *keep;
	int err;

	err = vigil_keep_group_get();
	if (err)
		return err;
	/* Cannot fail: a mounted filesystem's module is live. */
	if (!try_module_get(sb->s_type->owner))
		return -ENODEV;
	keep = vigil_mark_sb(vigil_keep_group, 0, sb);
	if (IS_ERR(keep)) {
		module_put(sb->s_type->owner);
		return PTR_ERR(keep);
	}
	w->sb = sb;
	w->type = sb->s_type;
	w->keep = keep;
	if (!vigil_watch_group)
		return 0;
	err = vigil_watch_mark_sb(w, sb);
	if (err)
		vigil_watch_forget(w);
	return err;
}

static int vigil_watch_change(const char __user *upath, bool add)
{
	struct vigil_fs_watch *found, *slot;
	struct super_block *sb;
	struct path path;
	int err;

	err = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, &path);
	if (err)
		return err;
	sb = path.mnt->mnt_sb;
	mutex_lock(&vigil_watch_lock);
	found = vigil_watch_find(sb, &slot);
	if (!add) {
		if (found)
			vigil_watch_forget(found);
		else
			err = -ENOENT;
	} else if (found) {
		err = -EEXIST;
	} else if (!slot) {
		err = -ENOSPC;
	} else {
		err = vigil_watch_start(slot, sb);
	}
	mutex_unlock(&vigil_watch_lock);
	path_put(&path);
	return err;
}

/**
 * vigil_watch_add() - watch the filesystem holding a path
 * @path: the path, in user memory, resolved as the caller sees it
 *
 * While the hook is detached the watch is kept, and takes effect when it
 * is attached.
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

/* Forget every watch: the session that made them is ending. */
void vigil_watch_forget_all(void)
{
	unsigned int i;

	mutex_lock(&vigil_watch_lock);
	for (i = 0; i < VIGIL_WATCH_MAX; i++)
		if (vigil_watches[i].sb)
			vigil_watch_forget(&vigil_watches[i]);
	/* Its marks hold the group until fsnotify has freed them. */
	if (vigil_keep_group)
		fsnotify_put_group(vigil_keep_group);
	vigil_keep_group = NULL;
	mutex_unlock(&vigil_watch_lock);
}

/* Returns once every mark the watches had is freed: before unloading. */
void vigil_watch_exit(void)
{
	fsnotify_wait_marks_destroyed();
}

struct vigil_remark {
	struct vigil_fs_watch *w;
	int err;
};

/* Called with the superblock's s_umount held: it cannot go meanwhile. */
static void vigil_watch_remark_one(struct super_block *sb, void *arg)
{
	struct vigil_remark *r = arg;
	struct vigil_fs_watch *w = r->w;

	/* A keep mark still attached: @sb is the superblock watched. */
	if (sb == w->sb && !vigil_watch_ended(w) && !w->mark)
		r->err = vigil_watch_mark_sb(w, sb);
}

/*
 * Mark again every watched filesystem that is still mounted; forget the
 * others.  Caller holds vigil_watch_lock; the group exists.  Return: 0,
 * or the error of a mark that could not be made.
 */
static int vigil_watch_remark_all(void)
{
	unsigned int i;

	for (i = 0; i < VIGIL_WATCH_MAX; i++) {
		struct vigil_remark r = { .w = &vigil_watches[i] };

		if (!r.w->sb)
			continue;
		iterate_supers_type(r.w->type, vigil_watch_remark_one, &r);
		if (r.err)
			return r.err;
		/* Not found: unmounted, or being unmounted. */
		if (!r.w->mark)
			vigil_watch_forget(r.w);
	}
	return 0;
}

/* Destroy every permission mark and the group; the watches stay. */
static void vigil_watch_unmark_all(struct fsnotify_group *group)
{
	unsigned int i;

	mutex_lock(&vigil_watch_lock);
	WRITE_ONCE(vigil_watch_handler, NULL);
	for (i = 0; i < VIGIL_WATCH_MAX; i++)
		vigil_unmark(&vigil_watches[i].mark, group);
	vigil_watch_group = NULL;
	mutex_unlock(&vigil_watch_lock);
	/* The marks hold the group until they are freed. */
	fsnotify_put_group(group);
}

static int vigil_fsn_attach(struct vigil_hook *hook)
{
	struct fsnotify_group *group;
	int err;

	group = fsnotify_alloc_group(&vigil_fsn_ops, 0);
	if (IS_ERR(group))
		return PTR_ERR(group);
	/* Permission events go only to groups of this priority. */
	group->priority = VIGIL_FSNOTIFY_PRIO_CONTENT;
	mutex_lock(&vigil_watch_lock);
	vigil_watch_group = group;
	err = vigil_watch_remark_all();
	if (!err)
		WRITE_ONCE(vigil_watch_handler, hook->handler);
	mutex_unlock(&vigil_watch_lock);
	if (err) {
		vigil_watch_unmark_all(group);
		return err;
	}
	hook->state = group;
	return 0;
}

static void vigil_fsn_detach(struct vigil_hook *hook)
{
	vigil_watch_unmark_all(hook->state);
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
