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
cd /vigil/tests || exit 1
echo "# kernel $(uname -r)"
while read -r t; do
	echo "# vigil-test: $t"
	timeout 600 "./$t" 2>&1
	echo "# vigil-test-exit: $t $?"
done <tests.list
