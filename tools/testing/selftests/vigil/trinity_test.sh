#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# trinity, Debian's syscall fuzzer, against the shim on the debug kernel
# (it runs there only: debug-tests.list), with the shipped watchdog
# parameters and a broker that takes every event and answers AUTH:
#
#   - as an unprivileged user (uid 1000): random system calls, which fire
#     the hooks (files, processes, signals, mounts, the network);
#   - as a member of the vigil group (uid 1001), with /dev/vigil as its
#     victim file: random ioctls and mmaps on the device as well.  (An
#     unprivileged user cannot open it.)
#
# Each pass runs vigil_trinity_seconds (the kernel command line's; 45 by
# default, 600 in make fuzz).  trinity stops at a new taint of the kinds
# that mean a kernel bug (-T DIE,WARN,BAD_PAGE): Debian's kernels taint
# themselves when fanotify permission events are used, which is no bug.
# After each pass the shim is armed, or armed again by itself within 30 s;
# the kernel's checkers' reports fail the test file after it
# (run-tests.sh).
#
# trinity itself crashes now and then (Debian's 1.9 was seen to segfault
# in its main process after a minute): a pass then starts it again, with
# a new seed, until its time is up.  Each crash is said; more than
# MAX_CRASHES in one pass fail it, as a run that fuzzed too little.
. "$(dirname "$0")/tap.sh"

CHILD=/vigil/bin/vigil_child
WD=/sys/kernel/vigil/watchdog
SECONDS_EACH=${vigil_trinity_seconds:-45}
MAX_CRASHES=5
ERR=/tmp/trinity_vigild.err

start_vigild() {
	rm -f $ERR
	$CHILD as-broker /vigil/bin/vigild --auth --deny-exec /tmp/trinity-denied \
		-e all >/dev/null 2>$ERR &
	vigild=$!
	for _ in $(seq 100); do
		grep -q connected $ERR 2>/dev/null && return 0
		sleep 0.1
	done
	fail "vigild did not connect"
}

stop_vigild() {
	kill -CONT $vigild 2>/dev/null
	kill -TERM $vigild 2>/dev/null
	wait $vigild 2>/dev/null
}

# armed_again: the shim is armed, with its hooks, within 30 s.
armed_again() {
	for _ in $(seq 300); do
		[ "$(cat $WD/state)" = armed ] && return 0
		sleep 0.1
	done
	fail "the shim is $(cat $WD/state) 30 s after trinity"
}

# trinity_as HOW ID [ARG...]: one pass, as vigil_child's HOW (as-user or
# as-member) ID, in a directory of that user's.
trinity_as() {
	how=$1 id=$2 dir=/tmp/trinity-$2 out=/tmp/trinity-$2.log
	shift 2
	mkdir -p $dir
	chown "$id:$id" $dir
	start_vigild
	: >$out
	crashes=0
	end=$(($(uptime_s) + SECONDS_EACH))
	while [ "$(uptime_s)" -lt $end ]; do
		(cd $dir && timeout $((end - $(uptime_s) + 1)) $CHILD "$how" "$id" \
			/vigil/bin/trinity -q -C 2 -T DIE,WARN,BAD_PAGE "$@" >>$out 2>&1)
		rc=$?
		! grep -qi 'kernel became tainted\|kernel is tainted' $out ||
			{ grep -i 'taint' $out | head -n 5; stop_vigild; fail "trinity saw a taint"; }
		# timeout's SIGTERM ends a run that lasted its time: 143, or 124.
		case $rc in
		0 | 124 | 143) ;;
		*)
			crashes=$((crashes + 1))
			echo "# trinity exited with $rc (its own crash, $crashes of at most $MAX_CRASHES): again"
			tail -n 3 $out | sed 's/^/#   /'
			[ $crashes -le $MAX_CRASHES ] || { stop_vigild; fail "trinity crashed $crashes times"; }
			;;
		esac
	done
	kill -0 $vigild 2>/dev/null || fail "vigild died: $(tail -n 5 $ERR)"
	stop_vigild
	echo "# trinity as $how $id: $(grep -c . $out) lines of output, $SECONDS_EACH s, $crashes crashes of its own"
	armed_again
}

uptime_s() { cut -d. -f1 /proc/uptime; }

test_trinity_as_a_user() {
	trinity_as as-user 1000
}

# trinity takes its victims from a directory tree: one holding a node of
# /dev/vigil, with the device's owner and mode.
test_trinity_on_dev_vigil_as_a_vigil_member() {
	mkdir -p /tmp/trinity-victims
	rm -f /tmp/trinity-victims/vigil
	set -- $(stat -c '%t %T' /dev/vigil)
	mknod /tmp/trinity-victims/vigil c $((0x$1)) $((0x$2))
	chown root:990 /tmp/trinity-victims/vigil
	chmod 0660 /tmp/trinity-victims/vigil
	trinity_as as-member 1001 -V /tmp/trinity-victims
}

tap_plan 2
settle_device
run_test test_trinity_as_a_user
run_test test_trinity_on_dev_vigil_as_a_vigil_member
tap_done
