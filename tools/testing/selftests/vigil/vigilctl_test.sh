#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vigilctl, as an administrator uses it: status and its exit codes, re-arm,
# configuration and its errors, and the boot guard's commands within one
# boot (tools/testing/vm/bootguard.sh tests it across real reboots).
. "$(dirname "$0")/tap.sh"

CTL=/vigil/bin/vigilctl
KO=/vigil/vigil.ko
SUITE_PARAMS=${VIGIL_SUITE_PARAMS:-}
STATE=/tmp/vigilctl_test_state
P=/sys/module/vigil/parameters

reload() {
	rmmod vigil 2>/dev/null
	insmod $KO $SUITE_PARAMS || fail "insmod failed"
	settle_device
}

# run EXPECTED_STATUS CMD...: run, keep its output in $out, check the status.
run() {
	want=$1
	shift
	out=$("$@" 2>&1)
	got=$?
	[ "$got" -eq "$want" ] || fail "$*: exit $got, want $want: $out"
}

expect_out() {
	case $out in
	*"$1"*) ;;
	*) fail "output lacks '$1': $out" ;;
	esac
}

# sysfs_agrees JSON: /sys/kernel/vigil/watchdog/, one value per file, says
# what vigilctl's JSON status (the same ioctl) says.
sysfs_agrees() {
	wd=/sys/kernel/vigil/watchdog
	# The watchdog's object, up to its faults (the boot guard's has a state too).
	json=$(echo "$1" | sed -n 's/.*"watchdog":{\([^{}]*\),"faults":{.*/\1/p')
	[ -n "$json" ] || fail "no watchdog in vigilctl's JSON: $1"
	for key in state reason trips trip_time_ns auto_rearms degrades window_faults; do
		want=$(echo "$json" | sed -n "s/.*\"$key\":\"*\([a-z_0-9]*\).*/\1/p")
		[ -n "$want" ] && [ "$(cat $wd/$key)" = "$want" ] ||
			fail "sysfs $key is '$(cat $wd/$key)', vigilctl says '$want'"
	done
	hooks=detached
	case $json in *'"hooks_attached":true'*) hooks=attached ;; esac
	[ "$(cat $wd/hooks)" = $hooks ] || fail "sysfs hooks is '$(cat $wd/hooks)', not $hooks"
	for key in rearm_wait_ms auto_rearm_wait_ms recover_wait_ms; do
		case $(cat $wd/$key) in
		'' | *[!0-9]*) fail "sysfs $key is '$(cat $wd/$key)', not a number" ;;
		esac
	done
	[ "$(cat $wd/faults/internal_error)" = 3 ] ||
		fail "sysfs faults/internal_error is '$(cat $wd/faults/internal_error)'"
}

test_status_of_an_armed_shim() {
	run 0 $CTL --state-dir $STATE status
	expect_out "watchdog: armed"
	expect_out "hooks: detached; broker: none"
	run 0 $CTL --json --state-dir $STATE
	expect_out '"loaded":true,"watchdog":{"state":"armed"'
	run 0 $CTL rearm
	expect_out "armed already"
}

test_trip_status_and_rearm() {
	run 0 $CTL config watchdog_faults=3 watchdog_window_ms=60000
	/vigil/bin/vigil_child as-broker /vigil/bin/vigild >/dev/null 2>/tmp/vigilctl_test.err &
	broker=$!
	sleep 1
	echo 3 >$P/inject_internal_errors
	i=0
	while [ "$(cat $P/inject_internal_errors)" != 0 ] && [ $i -lt 100 ]; do
		/vigil/bin/vigil_child exit 0
		i=$((i + 1))
	done
	sleep 1
	run 3 $CTL status
	expect_out "watchdog: tripped (internal_error)"
	expect_out "internal_error=3"
	expect_out "hooks: detached; broker: connected"
	run 3 $CTL -j status
	expect_out '"state":"tripped","reason":"internal_error","trips":1'
	sysfs_agrees "$out"
	run 0 $CTL rearm
	expect_out "watchdog re-armed"
	run 0 $CTL status
	expect_out "hooks: attached; broker: connected"
	kill $broker
	wait $broker || fail "vigild failed"
	grep -q "tripped (internal_error" /tmp/vigilctl_test.err ||
		fail "vigild did not say it tripped"
	grep -q "armed again" /tmp/vigilctl_test.err ||
		fail "vigild did not say it was re-armed"
	reload
}

test_config_errors_change_nothing() {
	before=$(cat $P/watchdog_faults)
	run 1 $CTL config watchdog_faults=0
	expect_out "refused by the shim"
	run 1 $CTL config watchdog_faults=65
	[ "$(cat $P/watchdog_faults)" = "$before" ] || fail "watchdog_faults changed"
	run 1 $CTL config no_such_parameter=1
	expect_out "no such parameter"
	run 2 $CTL config ../../x=1
	expect_out "not a parameter name"
	run 1 $CTL config disable=1
	expect_out "cannot be set now"
	run 0 $CTL config watchdog_heartbeat_ms
	expect_out "watchdog_heartbeat_ms=5000"
	run 0 $CTL config
	expect_out "watchdog_faults="
	expect_out "auth_open_miss=allow"
}

test_usage_errors() {
	run 2 $CTL bogus
	run 2 $CTL boot
	run 2 $CTL boot load --limit 0
	run 2 $CTL boot load --limit many
	run 2 $CTL boot bless extra
	run 2 $CTL status extra
	run 2 $CTL rearm --now
	run 0 $CTL --help
	expect_out "usage: vigilctl"
}

boot_load() {
	rmmod vigil 2>/dev/null
	run "$1" $CTL boot load --state-dir $STATE --limit 2 --module $KO \
		${2:+--cmdline $2} -- $SUITE_PARAMS
}

state_has() {
	grep -qx "$1" $STATE/boot-state || fail "boot-state lacks $1: $(cat $STATE/boot-state)"
}

test_boot_guard_counts_refuses_and_resets() {
	rm -rf $STATE
	run 0 $CTL boot status --state-dir $STATE
	expect_out "no state yet"
	boot_load 0
	expect_out "unblessed boot 1 of 2"
	[ -d /sys/module/vigil ] || fail "not loaded"
	state_has unblessed=1
	state_has last=loaded
	boot_load 0
	state_has unblessed=2
	boot_load 3
	expect_out "not loading the shim"
	[ -d /sys/module/vigil ] && fail "loaded although refused"
	state_has last=refused
	run 4 $CTL --state-dir $STATE status
	expect_out "shim: not loaded"
	expect_out "last: refused (this boot)"
	run 0 $CTL boot bless --state-dir $STATE --healthy-for 0
	expect_out "nothing to bless"
	state_has unblessed=2
	run 0 $CTL boot reset --state-dir $STATE
	state_has unblessed=0
	boot_load 0
	run 0 $CTL boot bless --state-dir $STATE --healthy-for 0
	expect_out "blessed"
	state_has unblessed=0
	state_has last=blessed
	reload
}

test_boot_guard_honours_vigil_disable() {
	rm -rf $STATE
	echo "ro quiet vigil.disable=1" >/tmp/cmdline_disabled
	boot_load 0 /tmp/cmdline_disabled
	expect_out "vigil.disable=1"
	[ -d /sys/module/vigil ] && fail "loaded although disabled"
	state_has last=disabled
	state_has unblessed=0
	run 0 $CTL boot status --state-dir $STATE --cmdline /tmp/cmdline_disabled
	expect_out "vigil.disable=1 is on the kernel command line"
	# The module itself refuses, whoever loads it.
	insmod $KO disable=1 2>/dev/null && fail "insmod disable=1 loaded it"
	reload
}

test_boot_guard_refuses_a_corrupt_state() {
	rm -rf $STATE
	mkdir -p $STATE
	printf 'version=1\nunblessed=1\nsurprise=yes\n' >$STATE/boot-state
	boot_load 1
	expect_out "line 3: unknown key 'surprise'"
	[ -d /sys/module/vigil ] && fail "loaded from a corrupt state"
	run 1 $CTL boot status --state-dir $STATE
	run 0 $CTL boot reset --state-dir $STATE
	boot_load 0
	reload
}

tap_plan 7
run_test test_status_of_an_armed_shim
run_test test_trip_status_and_rearm
run_test test_config_errors_change_nothing
run_test test_usage_errors
run_test test_boot_guard_counts_refuses_and_resets
run_test test_boot_guard_honours_vigil_disable
run_test test_boot_guard_refuses_a_corrupt_state
reload
tap_done
