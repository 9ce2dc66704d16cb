#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the VM: every selftest in tests.list order, each under a time
# limit, each framed so the host can count it even if it dies midway.
#
# The suite provokes faults on purpose; it runs with a watchdog that needs
# 64 faults within a second to trip (see VT_SUITE_PARAMS in vigil_test.h,
# which must say the same).
export VIGIL_SUITE_PARAMS="watchdog_faults=64 watchdog_window_ms=1000"
for p in $VIGIL_SUITE_PARAMS; do
	echo "${p#*=}" >"/sys/module/vigil/parameters/${p%%=*}"
done

# busybox's timeout leaves a watcher process behind that sees the test is
# gone only at its next once-a-second look.  Its exit is an event, which
# would land in the next test's session: end it now, and wait until it is
# gone (pid 1 reaps it), so that every test starts on a quiet system.
end_timeout_watcher() {
	w=$(pidof timeout) || return 0
	kill $w 2>/dev/null
	n=0
	while pidof timeout >/dev/null; do
		n=$((n + 1))
		if [ $n -gt 200 ]; then
			echo "# run-tests.sh: timeout's watcher $w did not exit"
			return 0
		fi
		usleep 10000
	done
}

# On the debug kernel (vigil_checks=1 on its command line), each test file
# is followed by two cases of its own, "<test>.kernel": the kernel log the
# test produced holds no report of the kernel's checkers, and kmemleak
# finds nothing leaked (it reports objects 5 s old and more: wait that
# long first).
KMEMLEAK=/sys/kernel/debug/kmemleak
REPORTS='BUG:|WARNING:|KASAN|UBSAN|Oops|general protection|possible circular|possible recursive|inconsistent lock|suspicious RCU|lockdep|rcu_sched self-detected|rcu: INFO|stall on CPU|blocked for more than|soft lockup|list_add corruption|list_del corruption|ODEBUG|kmemleak:'

checks_begin() {
	[ -n "${vigil_checks:-}" ] || return 0
	echo "vigil-checks: $1 begins" >/dev/kmsg
	echo clear >$KMEMLEAK
}

checks_end() {
	local t=$1 bad leaks

	[ -n "${vigil_checks:-}" ] || return 0
	echo "# vigil-test: $t.kernel"
	echo "1..2"
	# kmemleak's own note when an injected failure (alloc_fail_test)
	# costs it a scan area is no report.
	bad=$(dmesg | sed -n "/vigil-checks: $t begins/,\$p" | grep -E "$REPORTS" |
		grep -v 'kmemleak: Cannot allocate a scan area')
	if [ -z "$bad" ]; then
		echo "ok 1 - no kernel report during $t"
	else
		echo "$bad" | head -n 40 | sed 's/^/# /'
		echo "not ok 1 - no kernel report during $t"
	fi
	sleep 5
	echo scan >$KMEMLEAK
	leaks=$(cat $KMEMLEAK)
	if [ -z "$leaks" ]; then
		echo "ok 2 - kmemleak finds no leak after $t"
	else
		echo "$leaks" | head -n 60 | sed 's/^/# /'
		echo "not ok 2 - kmemleak finds no leak after $t"
	fi
	echo "# vigil-test-exit: $t.kernel 0"
}

# The module's coverage on the debug kernel (gcov), for
# scripts/coverage.sh: its .gcda files, as a tar on the disk the host
# attached.  debugfs gives them no size: cat copies them whole, tar
# would not.
export_coverage() {
	[ -n "${vigil_checks:-}" ] && [ -b /dev/vda ] && [ -d /sys/kernel/debug/gcov ] ||
		return 0
	mkdir -p /tmp/gcov
	find /sys/kernel/debug/gcov -name '*.gcda' | while read -r f; do
		cat "$f" >"/tmp/gcov/${f##*/}"
	done
	tar -C /tmp/gcov -cf /dev/vda . && sync
	echo "# coverage: $(ls /tmp/gcov | wc -l) .gcda files written to /dev/vda"
}

cd /vigil/tests || exit 1
echo "# kernel $(uname -r)"
# The debug kernel runs debug-tests.list too (trinity), unless a
# developer's VIGIL_TESTS named the tests.
list=tests.list
limit=600
[ -z "${vigil_checks:-}" ] || limit=900		# the debug kernel is slower
[ -z "${vigil_trinity_seconds:-}" ] || limit=2400	# make fuzz's trinity
if [ -n "${vigil_checks:-}" ] && [ -s debug-tests.list ]; then
	cat tests.list debug-tests.list >/tmp/all-tests.list
	list=/tmp/all-tests.list
fi
while read -r t; do
	checks_begin "$t"
	echo "# vigil-test: $t"
	timeout "$limit" "./$t" 2>&1
	rc=$?
	end_timeout_watcher
	echo "# vigil-test-exit: $t $rc"
	checks_end "$t"
done <$list
export_coverage
