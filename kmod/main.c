// SPDX-License-Identifier: GPL-2.0
/*
 * vigil: a minimal shim that forwards kernel events to an unprivileged
 * user-space broker.  See Documentation/ and <linux/vigil.h>.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/module.h>
#include <linux/stddef.h>
#include <linux/vigil.h>

#include "binfmt.h"
#include "device.h"
#include "emit.h"
#include "fault.h"
#include "fs_watch.h"
#include "inject.h"
#include "params.h"
#include "record.h"
#include "sysfs.h"

/*
 * vigil.disable=1 on the kernel command line reaches the module through
 * modprobe, which passes module options from there; vigilctl's boot guard
 * reads the command line itself.
 */
static bool vigil_disable;
module_param_named(disable, vigil_disable, bool, 0444);
MODULE_PARM_DESC(disable, "Refuse to load (vigil.disable=1 on the kernel command line)");

/* The uapi structs have the sizes and offsets the ABI spec gives: no holes. */
static void __init build_check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct vigil_handshake) != VIGIL_HANDSHAKE_SIZE_VER2);
	BUILD_BUG_ON(offsetof(struct vigil_handshake, auth_ring_data_size) !=
		     VIGIL_HANDSHAKE_SIZE_VER1);
	BUILD_BUG_ON(offsetof(struct vigil_handshake, abi_major) != 16);
	BUILD_BUG_ON(offsetof(struct vigil_handshake, ring_page_size) != 56);
	BUILD_BUG_ON(sizeof(struct vigil_ring_consumer) != 8);
	BUILD_BUG_ON(sizeof(struct vigil_ring_producer) != 16 + 8 * VIGIL_DROP_SLOTS);
	BUILD_BUG_ON(sizeof(struct vigil_ring_hdr) != 8);
	BUILD_BUG_ON(sizeof(struct vigil_event) != 32);
	BUILD_BUG_ON(offsetof(struct vigil_event, seq) != 16);
	BUILD_BUG_ON(sizeof(struct vigil_proc) != 40);
	BUILD_BUG_ON(offsetof(struct vigil_proc, start_ns) != 32);
	BUILD_BUG_ON(sizeof(struct vigil_fork_event) != 80);
	BUILD_BUG_ON(sizeof(struct vigil_exec_event) != 96);
	BUILD_BUG_ON(offsetof(struct vigil_exec_event, exe_ino) != 88);
	BUILD_BUG_ON(sizeof(struct vigil_exit_event) != 80);
	BUILD_BUG_ON(sizeof(struct vigil_field) != 8);
	BUILD_BUG_ON(sizeof(struct vigil_watchdog_status) != 160);
	BUILD_BUG_ON(offsetof(struct vigil_watchdog_status, degrades) !=
		     VIGIL_WATCHDOG_STATUS_SIZE_VER1);
	BUILD_BUG_ON(sizeof(struct vigil_auth_stats) != 192);
	BUILD_BUG_ON(sizeof(struct vigil_source_event) != 176);
	BUILD_BUG_ON(offsetof(struct vigil_auth_stats, degraded) !=
		     VIGIL_AUTH_STATS_SIZE_VER1);
	BUILD_BUG_ON(offsetof(struct vigil_watchdog_status, faults) != 56);
	BUILD_BUG_ON(sizeof(struct vigil_rearm) != 8);
	BUILD_BUG_ON(sizeof(struct vigil_watchdog_event) != 56);
	BUILD_BUG_ON(offsetof(struct vigil_watchdog_event, trip_time_ns) != 48);
	BUILD_BUG_ON(sizeof(struct vigil_limit) != 24);
	BUILD_BUG_ON(sizeof(struct vigil_auth_fallback_event) != 104);
	BUILD_BUG_ON(offsetof(struct vigil_auth_fallback_event, actor) !=
		     sizeof(struct vigil_event));
	BUILD_BUG_ON(sizeof(struct vigil_actor) != 48);
	BUILD_BUG_ON(sizeof(struct vigil_ids) != 32);
	BUILD_BUG_ON(sizeof(struct vigil_caps) != 32);
	BUILD_BUG_ON(sizeof(struct vigil_cred_event) != 216);
	BUILD_BUG_ON(offsetof(struct vigil_cred_event, changed) != 208);
	BUILD_BUG_ON(sizeof(struct vigil_signal_event) != 104);
	BUILD_BUG_ON(sizeof(struct vigil_ptrace_event) != 104);
	BUILD_BUG_ON(sizeof(struct vigil_module_event) != 88);
	BUILD_BUG_ON(sizeof(struct vigil_mount_event) != 88);
	BUILD_BUG_ON(sizeof(struct vigil_sockaddr) != 24);
	BUILD_BUG_ON(sizeof(struct vigil_net_event) != 144);
	BUILD_BUG_ON(offsetof(struct vigil_net_event, local) != 96);
	BUILD_BUG_ON(sizeof(struct vigil_file_event) != 112);
	BUILD_BUG_ON(offsetof(struct vigil_file_event, ino) != 104);
	BUILD_BUG_ON(VIGIL_RECORD_MAX > VIGIL_RING_LEN_MASK);
	BUILD_BUG_ON(sizeof(struct vigil_exec_event) + 3 * sizeof(struct vigil_field) +
		     2 * VIGIL_PATH_MAX + VIGIL_ARGV_MAX + 3 * 8 > VIGIL_RECORD_MAX);
	/* A file record: the actor's exe and two more paths (or a target). */
	BUILD_BUG_ON(sizeof(struct vigil_file_event) + 3 * sizeof(struct vigil_field) +
		     3 * VIGIL_PATH_MAX + 3 * 8 > VIGIL_RECORD_MAX);
}

static int __init vigil_init(void)
{
	int err;

	build_check_abi();
	if (vigil_disable) {
		pr_info("not loading: vigil.disable=1\n");
		return -ECANCELED;
	}
	vigil_inject_crash_on_load();
	vigil_fault_init();
	err = vigil_emit_init();
	if (err)
		return err;
	vigil_binfmt_init();
	err = vigil_sysfs_init();
	if (err)
		goto err_binfmt;
	err = vigil_device_init();
	if (err)
		goto err_sysfs;
	pr_info("ABI %u.%u ready on /dev/vigil (ring_size=%lu), watchdog armed\n",
		VIGIL_ABI_MAJOR, VIGIL_ABI_MINOR, vigil_param_ring_size());
	return 0;

err_sysfs:
	vigil_sysfs_uninit();
err_binfmt:
	vigil_binfmt_uninit();
	vigil_emit_uninit();
	vigil_fault_uninit();
	return err;
}

/*
 * No session is left (each held a reference on the module), but a fault
 * counted as the last one closed may still have its work queued, and the
 * marks of its watches may not be freed yet.
 */
static void __exit vigil_exit(void)
{
	vigil_device_uninit();
	vigil_watch_exit();
	vigil_sysfs_uninit();
	vigil_fault_uninit();
	vigil_binfmt_uninit();
	vigil_emit_uninit();
	pr_info("unloaded\n");
}

module_init(vigil_init);
module_exit(vigil_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vigil: forwards kernel events to an unprivileged broker");
MODULE_AUTHOR("The vigil developers");
