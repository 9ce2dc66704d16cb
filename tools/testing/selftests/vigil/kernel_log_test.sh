#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs last: after everything the other tests did to the shim, the kernel
# log has no warning, oops, KASAN or lockdep report, and no hung task; and
# the watchdog neither tripped nor counted an internal error or a slow hook
# before watchdog_test set out to make it.  The log is read from the
# shim's first load on: what the kernel says while booting (a debug
# kernel's "RCU lockdep checking is enabled", kmemleak's start) is no
# report.
. "$(dirname "$0")/tap.sh"

REPORTS='WARNING:|BUG:|Oops|general protection|Call Trace|KASAN|UBSAN|possible circular|possible recursive|inconsistent lock|suspicious RCU|blocked for more than|soft lockup|stall on CPU|list_(add|del) corruption|ODEBUG|kmemleak: [0-9]+ new suspected'

test_kernel_log_is_clean() {
	dmesg | grep -q 'vigil: ABI .* ready' || fail "the shim's load is not in the log"
	bad=$(dmesg | sed -n '/vigil: ABI .* ready/,$p' | grep -E "$REPORTS" || true)
	[ -z "$bad" ] || fail "kernel log: $bad"
}

test_no_trip_before_the_watchdog_tests() {
	dmesg | grep -q 'vigil-test: watchdog_test begins' ||
		fail "watchdog_test did not mark the log"
	bad=$(dmesg | sed '/vigil-test: watchdog_test begins/,$d' |
		grep -E 'watchdog tripped|internal error|past its budget' || true)
	[ -z "$bad" ] || fail "before watchdog_test: $bad"
}

tap_plan 2
run_test test_kernel_log_is_clean
run_test test_no_trip_before_the_watchdog_tests
tap_done
