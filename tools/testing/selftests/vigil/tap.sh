# SPDX-License-Identifier: GPL-2.0
# A minimal TAP producer for the shell selftests, in the kselftest format.
# Each test is a function; run_test NAME runs it in a subshell.

tap_n=0
tap_failed=0

tap_plan() { echo "TAP version 13"; echo "1..$1"; }

# The test's output goes to a file, not through a pipe: a background
# process the test left behind cannot keep the suite waiting for its end.
run_test() {
	local name=$1 tap_out=/tmp/tap_test.$$.out
	tap_n=$((tap_n + 1))
	if ("$name") >$tap_out 2>&1; then
		echo "ok $tap_n $name"
	else
		sed 's/^/# /' $tap_out
		echo "not ok $tap_n $name"
		tap_failed=$((tap_failed + 1))
	fi
	rm -f $tap_out
}

tap_done() { [ "$tap_failed" -eq 0 ]; }

# fail MESSAGE: end the current test as failed.
fail() { echo "FAIL: $*"; exit 1; }

# settle_device: wait until mdev has given /dev/vigil to the vigil group
# (990), as udevadm settle would; vigild, which runs as vigil, needs it.
settle_device() {
	for _ in $(seq 250); do
		[ "$(stat -c '%a %g' /dev/vigil 2>/dev/null)" = "660 990" ] && return 0
		sleep 0.02
	done
	fail "/dev/vigil did not get the vigil group"
}
