#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The boot-guard test, in the VM, one boot at a time.  The state lives on
# a persistent virtio disk mounted at /var/lib/vigil, where the guard
# keeps its count, and where this script keeps which boot of the test
# this is.  QEMU runs without -no-reboot: a panic (panic=-1) or a reboot
# restarts the machine with the same disk, as a real machine would.
#
#   boots 1-3  vigilctl boot load, of a shim that crashes while loading
#              (inject_crash_on_load=1): the kernel panics, the machine
#              reboots
#   boot 4     the guard refuses to load: three unblessed boots in a row;
#              an administrator resets it
#   boot 5     the shim loads; the boot is blessed once healthy
#   boot 6     the count starts again from 0; the test ends
#
# With vigil.disable=1 on the kernel command line (the host's second
# run), the guard never loads the shim, and the module refuses to load.
# TAP on stdout (the second serial port, appended to across boots).

LIMIT=3
STATE=/var/lib/vigil
CTL=/vigil/bin/vigilctl
KO=/vigil/vigil.ko

# TAP numbers go on across boots: the last one is kept on the disk.
tap() {
	n=$(($(cat $STATE/test-n 2>/dev/null || echo 0) + 1))
	echo $n >$STATE/test-n
	echo "$1 $n - $2"
}
ok() { tap ok "$*"; }
not_ok() { tap "not ok" "$*"; }
check() {
	what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

mount_disk() {
	for m in $(cat /vigil/kmods/load-order); do
		insmod "/vigil/kmods/$m.ko" || echo "# insmod $m failed"
	done
	mkdir -p $STATE
	i=0
	while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	mount -t minix /dev/vda $STATE
}

loaded() { [ -d /sys/module/vigil ]; }
not_loaded() { ! loaded; }
state_is() { grep -qx "$1" $STATE/boot-state; }

# A counter of this test's own, beside the guard's state.
next_boot() {
	boot=$(($(cat $STATE/test-boot 2>/dev/null || echo 0) + 1))
	echo $boot >$STATE/test-boot
	sync
}

# This boot's results must reach the host before it ends: ttyS1 is a
# file the host appends to across boots, and a reboot or a panic does not
# wait for the serial port to drain.
drain() {
	sync
	sleep 1
}

finish_boot() {
	umount $STATE
	drain
	reboot -f
}

crashing_boot() {
	[ "$boot" -eq 1 ] && { echo "# vigil-test: bootguard"; echo "1..16"; }
	check "boot $boot: the count is $((boot - 1)) before loading" \
		state_is_or_fresh $((boot - 1))
	drain
	# The shim crashes while loading: the kernel panics, and reboots.
	$CTL boot load --limit $LIMIT --module $KO -- inject_crash_on_load=1
	not_ok "boot $boot: the injected crash did not happen (exit $?)"
	finish_boot
}

state_is_or_fresh() {
	if [ "$1" -eq 0 ]; then
		[ ! -e $STATE/boot-state ]
	else
		state_is "unblessed=$1" && state_is last=loading
	fi
}

refused_boot() {
	out=$($CTL boot status 2>&1)
	check "boot 4: status says the last boot stopped while loading" \
		grep -q "stopped while loading" <<EOT
$out
EOT
	$CTL boot load --limit $LIMIT --module $KO
	check "boot 4: the guard refuses (exit 3)" [ $? -eq 3 ]
	check "boot 4: the shim is not loaded" not_loaded
	check "boot 4: the state says refused, 3 unblessed" \
		sh -c "grep -qx unblessed=3 $STATE/boot-state && grep -qx last=refused $STATE/boot-state"
	$CTL status >/tmp/status 2>&1
	check "boot 4: vigilctl status exits 4 (not loaded)" [ $? -eq 4 ]
	check "boot 4: vigilctl status shows the refusal" \
		grep -q "3 unblessed boots in a row, limit 3; last: refused (this boot)" /tmp/status
	$CTL boot reset >/dev/null
	check "boot 4: reset sets the count to 0" state_is unblessed=0
	finish_boot
}

blessed_boot() {
	$CTL boot load --limit $LIMIT --module $KO
	check "boot 5: the shim loads after the reset" loaded
	check "boot 5: this boot counts, unblessed" state_is unblessed=1
	$CTL boot bless --healthy-for 3 >/dev/null
	check "boot 5: blessed once up 3 s" state_is last=blessed
	finish_boot
}

last_boot() {
	check "boot 6: the count starts from 0 after a blessed boot" state_is unblessed=0
	$CTL boot load --limit $LIMIT --module $KO
	check "boot 6: the shim loads" loaded
	check "boot 6: dmesg of this boot shows no crash" \
		sh -c '! dmesg | grep -qE "Kernel panic|BUG:|Oops"'
	echo "# vigil-test-exit: bootguard 0"
	sync
	umount $STATE
}

disabled_run() {
	echo "# vigil-test: bootguard-disabled"
	echo "1..4"
	$CTL boot load --limit $LIMIT --module $KO >/tmp/out 2>&1
	check "vigil.disable=1: the guard exits 0" [ $? -eq 0 ]
	check "vigil.disable=1: it says why" grep -q "vigil.disable=1" /tmp/out
	check "vigil.disable=1: the shim is not loaded" not_loaded
	insmod $KO disable=1 2>/dev/null
	check "disable=1: the module refuses to load" not_loaded
	echo "# vigil-test-exit: bootguard-disabled 0"
	umount $STATE
}

mount_disk || { echo "not ok - cannot mount the test disk"; exit 1; }
if grep -qw vigil.disable=1 /proc/cmdline; then
	disabled_run
	exit 0
fi
next_boot
case $boot in
1 | 2 | 3) crashing_boot ;;
4) refused_boot ;;
5) blessed_boot ;;
6) last_boot ;;
*) echo "not ok - boot $boot: the test should have ended" ;;
esac
