#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The packaging test, inside the installed bookworm system, once per
# boot (vigil-pkgtest.service, after multi-user.target).  It checks what
# an administrator relies on after "apt install vigil vigil-dkms": the
# shim loaded at boot, /dev/vigil for the vigil group, vigild running as
# vigil with no capability and pinging systemd's watchdog, vigilctl
# status armed.  Boot 1 then reboots; boot 2 checks it all again and
# powers off.  TAP goes to the second serial port, across both boots.

TAP=/dev/ttyS1
BOOTS=/var/lib/vigil-pkgtest/boot

boot=$(($(cat $BOOTS 2>/dev/null || echo 0) + 1))
mkdir -p "${BOOTS%/*}"
echo $boot >$BOOTS
sync

n=$(( (boot - 1) * 100 ))
say() { echo "$*" >$TAP; }
check() {
	what=$1
	shift
	n=$((n + 1))
	if "$@" >/tmp/check.out 2>&1; then
		say "ok $n - boot $boot: $what"
	else
		say "not ok $n - boot $boot: $what"
		sed 's/^/# /' /tmp/check.out >$TAP
	fi
}

# Wait up to $1 seconds for a command to succeed.
wait_for() {
	t=$1
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$t" -le 0 ] && return 1
		sleep 1
		t=$((t - 1))
	done
}

vigild_pid() { systemctl show -p MainPID --value vigild.service; }
proc_field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

loader_ran() { systemctl is-active vigil-load.service; }
module_loaded() { test -d /sys/module/vigil; }
module_is_dkms() {
	modinfo -n vigil | tee /dev/stderr | grep -q "/updates/dkms/vigil.ko"
}
device_group() { test "$(stat -c '%G %a' /dev/vigil)" = "vigil 660"; }
vigild_active() { systemctl is-active vigild.service; }
vigild_user() {
	pid=$(vigild_pid)
	test "$(ps -o user= -p "$pid")" = vigil &&
		test "$(proc_field "$pid" Uid | cut -f1)" != 0
}
vigild_no_caps() {
	pid=$(vigild_pid)
	for k in CapInh CapPrm CapEff CapBnd CapAmb; do
		v=$(proc_field "$pid" $k)
		echo "$k $v"
		[ "$v" = 0000000000000000 ] || return 1
	done
	test "$(proc_field "$pid" NoNewPrivs)" = 1 && test "$(proc_field "$pid" Seccomp)" = 2
}
status_armed() {
	vigilctl status | tee /dev/stderr | grep -q '^watchdog: armed' &&
		vigilctl status | grep -q 'broker: connected'
}
watchdog_set() { test "$(systemctl show -p WatchdogUSec --value vigild.service)" = 30s; }
# A ping moves systemd's watchdog timestamp; vigild pings every 15 s.
watchdog_pinged() {
	first=$(systemctl show -p WatchdogTimestampMonotonic --value vigild.service)
	wait_for 40 sh -c "test \"\$(systemctl show -p WatchdogTimestampMonotonic --value vigild.service)\" != '$first'"
}
# Counted and loaded; or blessed already, if the boot was slow enough for
# vigil-bless.timer (2 minutes) to come first.
guard_counted() {
	vigilctl boot status | tee /dev/stderr |
		grep -Eq "(^boot guard: [1-9][0-9]* unblessed boots? in a row.*last: loaded|^boot guard: 0 unblessed boots in a row.*last: blessed) \(this boot\)"
}
bless_timer() { systemctl is-active vigil-bless.timer; }
socket_there() { test -S /run/vigil/vigild.sock; }
# The broker's priority: what users' processes cannot take from it.
vigild_priority() {
	pid=$(vigild_pid)
	echo "nice $(ps -o ni= -p "$pid") oom_score_adj $(cat /proc/$pid/oom_score_adj)" \
		"CPUWeight $(systemctl show -p CPUWeight --value vigild.service)"
	test "$(ps -o ni= -p "$pid" | tr -d ' ')" = -10 &&
		test "$(cat /proc/$pid/oom_score_adj)" = -900 &&
		test "$(systemctl show -p CPUWeight --value vigild.service)" = 1000
}

# What went wrong, for the log.
why_not_vigild() {
	systemctl status --no-pager vigild.service 2>&1 | sed 's/^/# /' >$TAP
	journalctl -b --no-pager -u vigild.service 2>&1 | tail -n 20 | sed 's/^/# /' >$TAP
}

say "# boot $boot"
wait_for 90 vigild_active || why_not_vigild
check "vigil-load.service loaded the shim at boot" loader_ran
check "vigil.ko is loaded" module_loaded
check "it is the module DKMS built (updates/dkms)" module_is_dkms
check "/dev/vigil is group vigil, mode 0660" device_group
check "vigild.service is active" vigild_active
check "vigild runs as the vigil user" vigild_user
check "vigild has no capability, no_new_privs and a seccomp filter" vigild_no_caps
check "vigild serves clients on /run/vigil/vigild.sock" socket_there
check "vigild runs at nice -10, oom_score_adj -900, CPUWeight 1000" vigild_priority
check "vigilctl status: armed, broker connected" status_armed
check "vigild.service has WatchdogSec=30s" watchdog_set
check "vigild pings systemd's watchdog" watchdog_pinged
check "the boot guard counted this boot, then loaded the shim" guard_counted
check "vigil-bless.timer is waiting to bless the boot" bless_timer

if [ "$boot" -eq 1 ]; then
	say "# rebooting"
	systemctl reboot
else
	say "VIGIL-VM-DONE"
	systemctl poweroff
fi
