// SPDX-License-Identifier: GPL-2.0
/*
 * AUTH events: what the exec and open hooks ask the broker, and the
 * records they send.  The decision itself is auth.c's.
 */

#include <linux/binfmts.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vigil.h>

#include "auth.h"
#include "auth_events.h"
#include "compat.h"
#include "emit.h"

struct vigil_exec_auth {
	struct linux_binprm *bprm;
	char *argv;		/* the first bytes of the arguments */
	u32 argv_len;
	u16 argv_flags;		/* VIGIL_FIELD_F_* */
};

/* Copy one page's worth of arguments; return the bytes copied, or -1. */
static int vigil_exec_argv_page(struct vigil_exec_auth *a, unsigned long pos,
				u32 *strings)
{
	struct linux_binprm *bprm = a->bprm;
	unsigned long off = offset_in_page(pos);
	u32 n = min_t(u32, PAGE_SIZE - off, VIGIL_ARGV_MAX - a->argv_len);
	struct page *page;
	const char *kaddr;
	long got;
	u32 i;

	mmap_read_lock(bprm->mm);
	got = vigil_get_user_page_remote(bprm->mm, pos, &page);
	mmap_read_unlock(bprm->mm);
	if (got != 1)
		return -1;
	kaddr = kmap_local_page(page);
	for (i = 0; i < n && *strings < bprm->argc; i++) {
		a->argv[a->argv_len++] = kaddr[off + i];
		*strings += !kaddr[off + i];
	}
	kunmap_local(kaddr);
	put_page(page);
	return i;
}

/*
 * The arguments are in the new program's memory, not yet current's:
 * read them page by page.  Sleeps.
 */
static int vigil_exec_auth_prepare(void *arg)
{
	struct vigil_exec_auth *a = arg;
	unsigned long pos = a->bprm->p;
	u32 strings = 0;

	a->argv = kmalloc(VIGIL_ARGV_MAX, GFP_KERNEL);
	if (!a->argv)
		goto unavailable;
	while (a->argv_len < VIGIL_ARGV_MAX && strings < a->bprm->argc) {
		int n = vigil_exec_argv_page(a, pos, &strings);

		if (n < 0)
			goto unavailable;
		pos += n;
	}
	if (strings < a->bprm->argc)
		a->argv_flags |= VIGIL_FIELD_F_TRUNCATED;
	return 0;

unavailable:
	a->argv_len = 0;
	a->argv_flags = VIGIL_FIELD_F_UNAVAILABLE;
	return 0;
}

static bool vigil_exec_auth_fill(struct vigil_emit *em, void *fixed, void *arg)
{
	struct vigil_auth_exec_event *ev = fixed;
	struct vigil_exec_auth *a = arg;
	struct linux_binprm *bprm = a->bprm;
	struct inode *inode = file_inode(bprm->file);
	bool muted;

	vigil_rec_fill_proc(&ev->proc, current);
	ev->argc = bprm->argc;
	/* A script's handler changed interp to the interpreter's name. */
	if (bprm->interp != bprm->filename)
		ev->flags |= VIGIL_AUTH_EXEC_F_INTERPRETER;
	ev->exe_dev = new_encode_dev(inode->i_sb->s_dev);
	ev->exe_ino = inode->i_ino;
	vigil_emit_put_path(em, VIGIL_FIELD_EXE, &bprm->file->f_path);
	muted = vigil_emit_path_muted(em);
	vigil_rec_put_str(&em->rec, VIGIL_FIELD_FILENAME, bprm->filename,
			  VIGIL_PATH_MAX);
	if (a->argv_len)
		vigil_rec_put_strings(&em->rec, VIGIL_FIELD_ARGV, a->argv,
				      a->argv_len, a->argv_flags);
	else
		vigil_rec_put_strings(&em->rec, VIGIL_FIELD_ARGV, "", 1,
				      a->argv_flags);
	return muted;
}

/**
 * vigil_on_auth_exec() - the binfmt handler: may this exec go on?
 * @bprm: the exec
 *
 * Return: -ENOEXEC to let the exec go on to the real handlers; -EACCES if
 * the broker (or the miss verdict) denied it; -EINTR if killed meanwhile.
 */
int vigil_on_auth_exec(struct linux_binprm *bprm)
{
	struct vigil_exec_auth a = { .bprm = bprm };
	struct vigil_auth_call call = {
		.type = VIGIL_EVENT_AUTH_EXEC,
		.fixed_len = sizeof(struct vigil_auth_exec_event),
		.inode = file_inode(bprm->file),
		.path = &bprm->file->f_path,
		.prepare = vigil_exec_auth_prepare,
		.fill = vigil_exec_auth_fill,
		.arg = &a,
	};
	int err = vigil_auth_decide(&call);

	kfree(a.argv);
	return err ? err : -ENOEXEC;
}

struct vigil_open_auth {
	struct file *file;
	u32 access;
};

static bool vigil_open_auth_fill(struct vigil_emit *em, void *fixed, void *arg)
{
	struct vigil_auth_open_event *ev = fixed;
	struct vigil_open_auth *a = arg;
	struct inode *inode = file_inode(a->file);

	vigil_rec_fill_proc(&ev->proc, current);
	ev->open_flags = a->file->f_flags & VALID_OPEN_FLAGS;
	ev->access = a->access;
	ev->dev = new_encode_dev(inode->i_sb->s_dev);
	ev->ino = inode->i_ino;
	vigil_emit_put_path(em, VIGIL_FIELD_PATH, &a->file->f_path);
	return vigil_emit_path_muted(em);
}

/**
 * vigil_on_auth_open() - the fsnotify handler: may this open go on?
 * @file: the file being opened, on a watched filesystem
 *
 * Return: 0 to allow, -EACCES to deny, -EINTR if killed meanwhile.
 */
int vigil_on_auth_open(struct file *file)
{
	struct vigil_open_auth a = { .file = file };
	struct vigil_auth_call call = {
		.type = VIGIL_EVENT_AUTH_OPEN,
		.fixed_len = sizeof(struct vigil_auth_open_event),
		.inode = file_inode(file),
		.path = &file->f_path,
		.fill = vigil_open_auth_fill,
		.arg = &a,
	};

	if (S_ISDIR(file_inode(file)->i_mode))
		return 0;
	if (file->f_mode & FMODE_READ)
		a.access |= VIGIL_ACCESS_READ;
	/* O_TRUNC writes, even on a file opened for reading only. */
	if ((file->f_mode & FMODE_WRITE) || (file->f_flags & O_TRUNC))
		a.access |= VIGIL_ACCESS_WRITE;
	if (file->f_flags & __FMODE_EXEC)
		a.access |= VIGIL_ACCESS_EXEC;
	call.access = a.access;
	return vigil_auth_decide(&call);
}
