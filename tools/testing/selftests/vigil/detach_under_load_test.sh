#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Brokers connect and go, sixty times, while processes exec and exit on
# every CPU: every connect attaches the hooks (tracepoints, the kprobe, the
# AUTH hooks) and every close detaches them, under load.  The kernel must
# take it: no oops, no warning, no hung task, and the load goes on.
. "$(dirname "$0")/tap.sh"

CHILD=/vigil/bin/vigil_child

test_hooks_come_and_go_under_load() {
	( while :; do $CHILD exit 0; done ) &
	load1=$!
	( while :; do $CHILD exit 0; done ) &
	load2=$!
	i=0
	while [ $i -lt 60 ]; do
		if [ $((i % 2)) -eq 0 ]; then
			$CHILD as-broker /vigil/bin/vigild --auth >/dev/null 2>&1 &
		else
			$CHILD as-broker /vigil/bin/vigild >/dev/null 2>&1 &
		fi
		broker=$!
		sleep 0.2
		kill -TERM $broker
		wait $broker || fail "vigild failed in round $i"
		i=$((i + 1))
	done
	kill -0 $load1 && kill -0 $load2 || fail "the load died"
	kill $load1 $load2
	wait
	bad=$(dmesg | grep -E 'Oops|BUG:|WARNING:|blocked for more than' || true)
	[ -z "$bad" ] || fail "kernel log: $bad"
}

tap_plan 1
run_test test_hooks_come_and_go_under_load
tap_done
