#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs last: after everything the other tests did to the shim, the kernel
# log has no warning, oops, KASAN or lockdep report, and no hung task.
. "$(dirname "$0")/tap.sh"

test_kernel_log_is_clean() {
	bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|Call Trace|KASAN|lockdep|blocked for more than|kmemleak' || true)
	[ -z "$bad" ] || fail "kernel log: $bad"
}

tap_plan 1
run_test test_kernel_log_is_clean
tap_done
