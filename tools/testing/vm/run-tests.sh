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

cd /vigil/tests || exit 1
echo "# kernel $(uname -r)"
while read -r t; do
	echo "# vigil-test: $t"
	timeout 600 "./$t" 2>&1
	rc=$?
	end_timeout_watcher
	echo "# vigil-test-exit: $t $rc"
done <tests.list
