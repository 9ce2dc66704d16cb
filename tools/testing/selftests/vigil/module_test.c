// SPDX-License-Identifier: GPL-2.0
/*
 * The module's life: load and unload, bad parameters, and unloading while
 * a broker runs, which must be refused without harm.  Every case leaves
 * the module loaded, as it found it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vigil_test.h"

#define VIGILD_OUT "/tmp/module_test_vigild.out"
#define VIGILD_ERR "/tmp/module_test_vigild.err"

static int ensure_loaded(void)
{
	int err = vt_module_loaded() ? 0 : vt_module_load(NULL);

	return err == -EEXIST ? 0 : err;
}

/* Wait up to 10 s for @needle to appear in @path. */
static int wait_contains(const char *path, const char *needle)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (vt_file_contains(path, needle))
			return 1;
		usleep(10 * 1000);
	}
	return 0;
}

static pid_t start_vigild(void)
{
	char *const argv[] = { "vigild", NULL };

	return vt_spawn_vigild(VIGILD_OUT, VIGILD_ERR, argv);
}

FIXTURE(module) {
	int unused;
};

FIXTURE_SETUP(module)
{
	ASSERT_EQ(0, ensure_loaded());
}

FIXTURE_TEARDOWN(module)
{
	ensure_loaded();
}

TEST_F(module, unload_and_load)
{
	struct stat st;

	/* As the udev rule (mdev's, here) gives it: to the vigil group. */
	ASSERT_EQ(0, stat(VT_DEVICE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0660, st.st_mode & 0777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(VT_BROKER_ID, st.st_gid);

	ASSERT_EQ(0, vt_module_unload());
	EXPECT_FALSE(vt_module_loaded());
	EXPECT_EQ(-1, stat(VT_DEVICE, &st));
	EXPECT_EQ(ENOENT, errno);

	ASSERT_EQ(0, vt_module_load(NULL));
	EXPECT_TRUE(vt_module_loaded());
	EXPECT_EQ(0, stat(VT_DEVICE, &st));
	/* A reloaded shim serves a broker as before. */
	{
		struct vigil_shim shim;

		EXPECT_EQ(0, vt_connect(&shim));
		vigil_shim_close(&shim);
	}
}

TEST_F(module, load_twice_is_eexist)
{
	EXPECT_EQ(-EEXIST, vt_module_load(NULL));
}

TEST_F(module, bad_ring_size_at_load_is_einval)
{
	ASSERT_EQ(0, vt_module_unload());
	EXPECT_EQ(-EINVAL, vt_module_load("ring_size=12345"));
	EXPECT_FALSE(vt_module_loaded());
	EXPECT_EQ(-EINVAL, vt_module_load("ring_size=128M"));
	EXPECT_EQ(-EINVAL, vt_module_load("ring_size=4Mx"));
	EXPECT_FALSE(vt_module_loaded());
	EXPECT_EQ(0, vt_module_load("ring_size=1M"));
	{
		char val[64];

		ASSERT_EQ(0, vt_param_read("ring_size", val, sizeof(val)));
		EXPECT_STREQ("1048576", val);
	}
	ASSERT_EQ(0, vt_module_unload());
}

TEST_F(module, bad_ring_size_at_runtime_is_einval_and_changes_nothing)
{
	struct vigil_shim shim;
	char before[64], after[64];

	ASSERT_EQ(0, vt_param_read("ring_size", before, sizeof(before)));
	EXPECT_EQ(-EINVAL, vt_param_write("ring_size", "3"));
	EXPECT_EQ(-EINVAL, vt_param_write("ring_size", "-1"));
	EXPECT_EQ(-EINVAL, vt_param_write("ring_size", "lots"));
	ASSERT_EQ(0, vt_param_read("ring_size", after, sizeof(after)));
	EXPECT_STREQ(before, after);

	/* A good value applies to the next session. */
	ASSERT_EQ(0, vt_param_write("ring_size", "128K"));
	ASSERT_EQ(0, vt_connect(&shim));
	EXPECT_EQ(128 << 10, shim.hs.ring_data_size);
	vigil_shim_close(&shim);
	ASSERT_EQ(0, vt_param_write("ring_size", before));
}

TEST_F(module, unload_while_broker_runs_is_refused_safely)
{
	char *argv[] = { "vigil_child", "exit", "3", NULL };
	pid_t vigild, child;
	int status;

	vigild = start_vigild();
	ASSERT_LT(0, vigild);
	ASSERT_TRUE(wait_contains(VIGILD_ERR, "connected"));

	/* The broker holds the module: unloading is refused, EAGAIN. */
	EXPECT_EQ(-EAGAIN, vt_module_unload());
	EXPECT_TRUE(vt_module_loaded());

	/* ...and the shim keeps working for the broker. */
	child = vt_spawn(VT_CHILD, argv);
	EXPECT_EQ(3 << 8, vt_reap(child));
	EXPECT_TRUE(wait_contains(VIGILD_OUT, "\"exe\":\"" VT_CHILD "\""));

	kill(vigild, SIGTERM);
	ASSERT_EQ(vigild, waitpid(vigild, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* Once the broker is gone, the module unloads. */
	EXPECT_EQ(0, vt_module_unload());
	EXPECT_FALSE(vt_module_loaded());
}

TEST_F(module, unload_while_ring_still_mapped_is_refused)
{
	struct vigil_shim shim;
	void *producer;
	size_t len;

	ASSERT_EQ(0, vt_connect(&shim));
	/* Keep a mapping, close everything else. */
	len = shim.main.producer_len;
	producer = mmap(NULL, len, PROT_READ, MAP_SHARED, shim.fd,
			shim.hs.ring_producer_off);
	ASSERT_NE(MAP_FAILED, producer);
	vigil_shim_close(&shim);

	EXPECT_EQ(-EAGAIN, vt_module_unload());
	munmap(producer, len);
	EXPECT_EQ(0, vt_module_unload());
}

TEST_HARNESS_MAIN
