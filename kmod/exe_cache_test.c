// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of the executable-path cache, included in exe_cache.c. */

#include <kunit/test.h>
#include <linux/file.h>

#define TTL	VIGIL_EXE_CACHE_TTL_NS

static const struct vigil_exe_key vigil_exe_test_key = {
	.file = (void *)0x1000, .mnt = (void *)0x2000, .dentry = (void *)0x3000,
	.root_mnt = (void *)0x4000, .root_dentry = (void *)0x5000,
	.start_ns = 6, .exec_id = 7, .tgid = 8, .rename_seq = 10,
};

/* An entry is good for its own key, for less than the TTL. */
static void vigil_exe_test_valid_for_its_key(struct kunit *test)
{
	struct vigil_exe_entry *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_FALSE(test, vigil_exe_entry_valid(e, &vigil_exe_test_key, 0));
	vigil_exe_entry_store(e, &vigil_exe_test_key, "/bin/x", 7, 0, 1000);
	KUNIT_EXPECT_TRUE(test, vigil_exe_entry_valid(e, &vigil_exe_test_key, 1000));
	KUNIT_EXPECT_TRUE(test, vigil_exe_entry_valid(e, &vigil_exe_test_key,
						      1000 + TTL - 1));
	KUNIT_EXPECT_FALSE(test, vigil_exe_entry_valid(e, &vigil_exe_test_key,
						       1000 + TTL));
	/* A clock that went back: not trusted either. */
	KUNIT_EXPECT_FALSE(test, vigil_exe_entry_valid(e, &vigil_exe_test_key, 999));
	KUNIT_EXPECT_STREQ(test, e->path, "/bin/x");
}

/* vigil_exe_test_key with its part number @part changed. */
static struct vigil_exe_key vigil_exe_test_key_but(unsigned int part)
{
	struct vigil_exe_key k = vigil_exe_test_key;

	switch (part) {
	case 0:
		k.file = (void *)0x1008;
		break;
	case 1:
		k.mnt = (void *)0x2008;
		break;
	case 2:
		k.dentry = (void *)0x3008;
		break;
	case 3:
		k.root_mnt = (void *)0x4008;
		break;
	case 4:
		k.root_dentry = (void *)0x5008;
		break;
	case 5:
		k.start_ns++;
		break;
	case 6:
		k.exec_id++;
		break;
	case 7:
		k.tgid++;
		break;
	default:
		k.rename_seq += 2;
		break;
	}
	return k;
}

/* Any part of the key that differs makes the entry no good. */
static void vigil_exe_test_every_key_part_counts(struct kunit *test)
{
	struct vigil_exe_entry *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	struct vigil_exe_key k;
	unsigned int part;

	KUNIT_ASSERT_NOT_NULL(test, e);
	vigil_exe_entry_store(e, &vigil_exe_test_key, "/bin/x", 7, 0, 0);
	KUNIT_EXPECT_TRUE(test, vigil_exe_entry_valid(e, &vigil_exe_test_key, 1));
	for (part = 0; part < 9; part++) {
		k = vigil_exe_test_key_but(part);
		KUNIT_EXPECT_FALSE_MSG(test, vigil_exe_entry_valid(e, &k, 1),
				       "key part %u", part);
	}
}

/* Nothing empty or past VIGIL_PATH_MAX is kept, and a failed store clears. */
static void vigil_exe_test_store_bounds(struct kunit *test)
{
	struct vigil_exe_entry *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	char *big = kunit_kzalloc(test, VIGIL_PATH_MAX + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_ASSERT_NOT_NULL(test, big);
	memset(big, 'a', VIGIL_PATH_MAX);
	vigil_exe_entry_store(e, &vigil_exe_test_key, big, VIGIL_PATH_MAX, 0, 0);
	KUNIT_EXPECT_TRUE(test, vigil_exe_entry_valid(e, &vigil_exe_test_key, 0));
	vigil_exe_entry_store(e, &vigil_exe_test_key, big, VIGIL_PATH_MAX + 1, 0, 0);
	KUNIT_EXPECT_FALSE(test, vigil_exe_entry_valid(e, &vigil_exe_test_key, 0));
	vigil_exe_entry_store(e, &vigil_exe_test_key, "/x", 3, 0, 0);
	vigil_exe_entry_store(e, &vigil_exe_test_key, "", 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, vigil_exe_entry_valid(e, &vigil_exe_test_key, 0));
}

/*
 * vigil_exe_put_with(@e) into a fresh record, with interrupts disabled if
 * @irqs_off; its field's data and flags.
 */
static const char *vigil_exe_test_put_as(struct kunit *test, struct vigil_exe_entry *e,
					 struct file *exe, const struct path *view,
					 u64 now, bool irqs_off, u16 *flags)
{
	void *buf = kunit_kzalloc(test, VIGIL_RECORD_MAX, GFP_KERNEL);
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;
	unsigned long irq;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	ev = vigil_rec_init(&rec, buf, VIGIL_RECORD_MAX, VIGIL_EVENT_FILE_OPEN,
			    sizeof(struct vigil_file_event), 1, now);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	if (irqs_off) {
		local_irq_save(irq);
		vigil_exe_put_with(e, &rec, exe, view, now);
		local_irq_restore(irq);
	} else {
		vigil_exe_put_with(e, &rec, exe, view, now);
	}
	vigil_rec_finish(&rec);
	f = VIGIL_FIELD_FIRST(ev);
	KUNIT_ASSERT_TRUE(test, VIGIL_FIELD_OK(ev, f));
	KUNIT_EXPECT_EQ(test, f->type, VIGIL_FIELD_EXE);
	*flags = f->flags;
	return (const char *)VIGIL_FIELD_DATA(f);
}

static const char *vigil_exe_test_put(struct kunit *test, struct vigil_exe_entry *e,
				      struct file *exe, const struct path *view,
				      u64 now, u16 *flags)
{
	return vigil_exe_test_put_as(test, e, exe, view, now, false, flags);
}

static void vigil_exe_test_plant(struct vigil_exe_entry *e)
{
	strscpy(e->path, "/planted", sizeof(e->path));
	e->len = sizeof("/planted");
}

/* "/" opened, standing in for an executable; @root set to current's. */
static struct file *vigil_exe_test_open_root(struct kunit *test, struct path *root)
{
	struct file *exe = filp_open("/", O_RDONLY, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR(exe));
	KUNIT_ASSERT_TRUE(test, vigil_current_root(root));
	return exe;
}

/*
 * The real thing on "/", with an entry of the test's own: built once and
 * kept; reused (a planted path shows it); built again after the TTL and
 * after a rename anywhere; not after a mere chdir.
 */
static void vigil_exe_test_put_reuses_until_a_rename(struct kunit *test)
{
	struct vigil_exe_entry *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	struct path root, other = {};
	struct file *exe = vigil_exe_test_open_root(test, &root);
	u16 flags;

	KUNIT_ASSERT_NOT_NULL(test, e);

	KUNIT_EXPECT_STREQ(test, vigil_exe_test_put(test, e, exe, &root, 100, &flags), "/");
	KUNIT_EXPECT_EQ(test, flags, 0);
	KUNIT_EXPECT_EQ(test, e->len, 2);
	vigil_exe_test_plant(e);
	KUNIT_EXPECT_STREQ(test, vigil_exe_test_put(test, e, exe, &root, 200, &flags),
			   "/planted");
	/* The reader's root is not the process's: flagged, from the cache too. */
	other.dentry = (void *)1;
	KUNIT_EXPECT_STREQ(test, vigil_exe_test_put(test, e, exe, &other, 300, &flags),
			   "/planted");
	KUNIT_EXPECT_EQ(test, flags, VIGIL_FIELD_F_OTHER_ROOT);
	/* An entry past its TTL is built again. */
	KUNIT_EXPECT_STREQ(test, vigil_exe_test_put(test, e, exe, &root, 100 + TTL, &flags),
			   "/");
	vigil_exe_test_plant(e);
	/* What d_move() does around every rename. */
	write_seqlock(&rename_lock);
	write_sequnlock(&rename_lock);
	KUNIT_EXPECT_STREQ(test, vigil_exe_test_put(test, e, exe, &root, 200 + TTL, &flags),
			   "/");
	/*
	 * fs->seq moves on at a chdir too: only a move during a build
	 * matters, and the root itself is in the key.
	 */
	vigil_exe_test_plant(e);
	spin_lock(&current->fs->lock);
	write_seqcount_begin(&current->fs->seq);
	write_seqcount_end(&current->fs->seq);
	spin_unlock(&current->fs->lock);
	KUNIT_EXPECT_STREQ(test, vigil_exe_test_put(test, e, exe, &root, 300 + TTL, &flags),
			   "/planted");
	fput(exe);
}

/*
 * With interrupts disabled the path is never built: the entry's, while
 * valid, or an empty field flagged unavailable, and the entry untouched.
 */
static void vigil_exe_test_irqs_off_takes_the_entry_or_nothing(struct kunit *test)
{
	struct vigil_exe_entry *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	struct path root;
	struct file *exe = vigil_exe_test_open_root(test, &root);
	u16 flags;

	KUNIT_ASSERT_NOT_NULL(test, e);

	KUNIT_EXPECT_STREQ(test, vigil_exe_test_put_as(test, e, exe, &root, 100, true, &flags),
			   "");
	KUNIT_EXPECT_EQ(test, flags, VIGIL_FIELD_F_UNAVAILABLE);
	KUNIT_EXPECT_EQ(test, e->len, 0);
	/* Built with interrupts on, as a warm-up does; then taken. */
	KUNIT_EXPECT_STREQ(test, vigil_exe_test_put(test, e, exe, &root, 200, &flags), "/");
	vigil_exe_test_plant(e);
	KUNIT_EXPECT_STREQ(test, vigil_exe_test_put_as(test, e, exe, &root, 300, true, &flags),
			   "/planted");
	KUNIT_EXPECT_EQ(test, flags, 0);
	/* Past its TTL, or after a rename: nothing. */
	KUNIT_EXPECT_STREQ(test, vigil_exe_test_put_as(test, e, exe, &root, 200 + TTL, true,
						       &flags), "");
	KUNIT_EXPECT_EQ(test, flags, VIGIL_FIELD_F_UNAVAILABLE);
	write_seqlock(&rename_lock);
	write_sequnlock(&rename_lock);
	KUNIT_EXPECT_STREQ(test, vigil_exe_test_put_as(test, e, exe, &root, 400, true, &flags),
			   "");
	KUNIT_EXPECT_STREQ(test, e->path, "/planted");
	fput(exe);
}

static struct kunit_case vigil_exe_cache_test_cases[] = {
	KUNIT_CASE(vigil_exe_test_valid_for_its_key),
	KUNIT_CASE(vigil_exe_test_every_key_part_counts),
	KUNIT_CASE(vigil_exe_test_store_bounds),
	KUNIT_CASE(vigil_exe_test_put_reuses_until_a_rename),
	KUNIT_CASE(vigil_exe_test_irqs_off_takes_the_entry_or_nothing),
	{}
};

static struct kunit_suite vigil_exe_cache_test_suite = {
	.name = "vigil_exe_cache",
	.test_cases = vigil_exe_cache_test_cases,
};
kunit_test_suite(vigil_exe_cache_test_suite);
