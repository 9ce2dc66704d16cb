#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Brokers connect and go, sixty times, while processes exec and exit on
# every CPU: every connect attaches the hooks (tracepoints, the kprobe, the
# AUTH hooks) and every close detaches them, under load.  The kernel must
# take it: no oops, no warning, no hung task, and the load goes on.
. "$(dirname "$0")/tap.sh"

CHILD=/vigil/bin/vigil_child

ERR=/tmp/detach_under_load_vigild.err

# connected: vigild has said so on its standard error, within 20 s.
connected() {
	for _ in $(seq 200); do
		grep -q connected $ERR 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

test_hooks_come_and_go_under_load() {
	echo "vigil-test: detach_under_load begins" >/dev/kmsg
	( while :; do $CHILD exit 0; done ) &
	load1=$!
	( while :; do $CHILD exit 0; done ) &
	load2=$!
	# A failure ends the test here: the loads go with it (they would keep
	# run_test's output open, and the suite waiting, forever).
	trap 'kill $load1 $load2 2>/dev/null' EXIT
	i=0
	while [ $i -lt 60 ]; do
		rm -f $ERR
		if [ $((i % 2)) -eq 0 ]; then
			$CHILD as-broker /vigil/bin/vigild --auth >/dev/null 2>$ERR &
		else
			$CHILD as-broker /vigil/bin/vigild >/dev/null 2>$ERR &
		fi
		broker=$!
		# Connected (the hooks attached), then gone: a TERM before its
		# handler is in place would kill it, on a slow kernel.
		connected || fail "vigild did not connect in round $i: $(tail -n 5 $ERR)"
		kill -TERM $broker
		rc=0
		wait $broker || rc=$?
		[ $rc -eq 0 ] || fail "vigild failed in round $i (status $rc): $(tail -n 5 $ERR)"
		i=$((i + 1))
	done
	kill -0 $load1 && kill -0 $load2 || fail "the load died"
	kill $load1 $load2
	wait
	trap - EXIT
	# What the kernel said since this test began (the debug kernel was
	# seen to report a KASAN access in an interrupt while booting).
	bad=$(dmesg | sed -n '/vigil-test: detach_under_load begins/,$p' |
		grep -E 'Oops|BUG:|WARNING:|blocked for more than' || true)
	[ -z "$bad" ] || fail "kernel log: $bad"
}

tap_plan 1
run_test test_hooks_come_and_go_under_load
tap_done
