// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of the file record encoder, included in file_events.c. */

#include <kunit/test.h>
#include <linux/namei.h>

static void vigil_file_test_inode(struct kunit *test)
{
	struct vigil_file_event ev = {};
	struct path root;
	struct inode *inode;

	KUNIT_ASSERT_EQ(test, kern_path("/", 0, &root), 0);
	inode = d_backing_inode(root.dentry);
	vigil_rec_file_inode(&ev, inode, NULL);
	KUNIT_EXPECT_EQ(test, ev.ino, inode->i_ino);
	KUNIT_EXPECT_EQ(test, ev.mode, inode->i_mode);
	KUNIT_EXPECT_EQ(test, ev.uid, from_kuid(&init_user_ns, inode->i_uid));
	KUNIT_EXPECT_EQ(test, ev.dev, new_encode_dev(inode->i_sb->s_dev));
	/* A file not made yet: its directory's device, no inode. */
	memset(&ev, 0, sizeof(ev));
	vigil_rec_file_inode(&ev, NULL, inode);
	KUNIT_EXPECT_EQ(test, ev.ino, 0);
	KUNIT_EXPECT_EQ(test, ev.mode, 0);
	KUNIT_EXPECT_EQ(test, ev.dev, new_encode_dev(inode->i_sb->s_dev));
	path_put(&root);
}

/*
 * A rename's two paths in a record with room for one: the second is left
 * out, and the record says it was cut.
 */
static void vigil_file_test_rename_truncated(struct kunit *test)
{
	u32 cap = sizeof(struct vigil_file_event) + sizeof(struct vigil_field) + 16;
	void *buf = kunit_kmalloc(test, cap, GFP_KERNEL);
	const struct vigil_field *f;
	struct vigil_event *ev;
	struct vigil_rec rec;
	struct path root;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kern_path("/", 0, &root), 0);
	ev = vigil_rec_init(&rec, buf, cap, VIGIL_EVENT_FILE_RENAME,
			    sizeof(struct vigil_file_event), 1, 1);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, vigil_rec_put_path(&rec, VIGIL_FIELD_PATH, &root, NULL), 0);
	KUNIT_EXPECT_EQ(test, vigil_rec_put_path(&rec, VIGIL_FIELD_NEW_PATH, &root, NULL),
			-ENOSPC);
	vigil_rec_finish(&rec);
	KUNIT_EXPECT_EQ(test, ev->flags, VIGIL_EVENT_F_TRUNCATED);
	f = VIGIL_FIELD_FIRST(ev);
	KUNIT_ASSERT_TRUE(test, VIGIL_FIELD_OK(ev, f));
	KUNIT_EXPECT_EQ(test, f->type, VIGIL_FIELD_PATH);
	KUNIT_EXPECT_STREQ(test, (const char *)VIGIL_FIELD_DATA(f), "/");
	KUNIT_EXPECT_FALSE(test, VIGIL_FIELD_OK(ev, VIGIL_FIELD_NEXT(f)));
	path_put(&root);
}

static struct kunit_case vigil_file_test_cases[] = {
	KUNIT_CASE(vigil_file_test_inode),
	KUNIT_CASE(vigil_file_test_rename_truncated),
	{}
};

static struct kunit_suite vigil_file_test_suite = {
	.name = "vigil_file_events",
	.test_cases = vigil_file_test_cases,
};

kunit_test_suite(vigil_file_test_suite);
