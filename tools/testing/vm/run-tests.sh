#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the VM: every selftest in tests.list order, each under a time
# limit, each framed so the host can count it even if it dies midway.
cd /vigil/tests || exit 1
echo "# kernel $(uname -r)"
while read -r t; do
	echo "# vigil-test: $t"
	timeout 300 "./$t" 2>&1
	echo "# vigil-test-exit: $t $?"
done <tests.list
