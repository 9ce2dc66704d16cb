#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel and an initramfs under QEMU (software emulation: there is
# no KVM here) and wait for the success token.
#
#   run.sh --kernel VMLINUZ --initramfs FILE
#          --mode test|demo|bench|attack|shell|bootguard
#          [--out DIR] [--timeout SECONDS] [--append ARGS] [--icount]
#          [--mttcg] [--disk FILE] [--reboot]
#
# --disk attaches FILE as a virtio disk (raw).  --reboot lets a reboot or a
# panic restart the machine (QEMU's -no-reboot is off), as the boot-guard
# test needs; the run still ends at the success token and a power-off.
#
# QEMU runs its vCPUs in one host thread (-accel tcg,thread=single) unless
# --mttcg is given: with one thread per vCPU, QEMU 7.2 was seen to let a
# vCPU run kernel text another vCPU had just patched as it was before the
# patch (a stale int3 at a kprobe site looping forever, a call through a
# freed ftrace trampoline), when hooks were attached and detached while
# processes exec'd and exited.  One thread serializes code modification.
#
# --icount ties the guest's clock to the instructions it executes, so that
# time measured in the guest depends little on the host's load.  It runs
# one vCPU: QEMU runs every vCPU in one host thread under -icount anyway,
# and Debian's 6.1 does not bring a second one up in that mode.
#
# A test can ask the host to take the vCPUs away, as a loaded host
# deschedules a VM: the line "# vigil-steal: N MS" on the results port
# stops QEMU (SIGSTOP) N times for MS milliseconds, MS apart.  The guest
# sees its clocks jump and gets no tick meanwhile, as under real steal.
#
# The console (kernel log) goes to DIR/console.log, the second serial port
# (test output) to DIR/results.log; in demo and shell modes the console is
# this terminal.  A boot that hangs or panics is reported as a failure;
# the console log stays for a post-mortem.  At the timeout the VM first
# gets an NMI (QEMU's monitor, on DIR/monitor.sock): with
# unknown_nmi_panic and panic_print=0x41 on its command line, its kernel
# panics and prints every task's stack and every CPU's backtrace, so that
# the log says where it hung.  Then QEMU is killed.
set -euo pipefail

kernel= initramfs= mode=test out=. timeout=600 append= smp=2
accel=(-accel tcg,thread=single)
disk=() reboot=(-no-reboot)
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--initramfs) initramfs=$2; shift 2 ;;
	--mode) mode=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--icount) accel=(-icount shift=4,sleep=off); smp=1; shift ;;
	--mttcg) accel=(-accel tcg,thread=multi); shift ;;
	--disk) disk=(-drive "file=$2,format=raw,if=virtio"); shift 2 ;;
	--reboot) reboot=(); shift ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -f "$kernel" ] && [ -f "$initramfs" ] || {
	echo "run.sh: --kernel and --initramfs must name files" >&2
	exit 2
}
mkdir -p "$out"
: >"$out/results.log"

cmdline="console=ttyS0 panic=-1 unknown_nmi_panic panic_print=0x41 vigil_mode=$mode $append"
serial=(-serial "file:$out/console.log" -serial "file:$out/results.log")
case $mode in
demo | shell)
	cmdline+=" quiet loglevel=1"
	serial=(-serial stdio -serial "file:$out/results.log")
	;;
esac

# Serve each "# vigil-steal: N MS" request once, in order (see above).
steal_on_request() {
	local served=0 line n ms secs i

	while sleep 0.1; do
		line=$(grep -a '^# vigil-steal: ' "$out/results.log" |
			sed -n "$((served + 1)){s/\r//;p}") || true
		[ -n "$line" ] || continue
		served=$((served + 1))
		read -r _ _ n ms <<<"$line" || true
		if ! [[ $n =~ ^[1-9][0-9]{0,2}$ && $ms =~ ^[1-9][0-9]{0,3}$ ]]; then
			echo "run.sh: ignoring a bad request: $line" >&2
			continue
		fi
		secs=$((ms / 1000)).$(printf %03d $((ms % 1000)))
		for ((i = 0; i < n; i++)); do
			kill -STOP "$(cat "$out/qemu.pid")" || break
			sleep "$secs"
			kill -CONT "$(cat "$out/qemu.pid")" || break
			sleep "$secs"
		done
	done
}
rm -f "$out/qemu.pid"
steal_on_request &
stealer=$!
trap 'kill $stealer 2>/dev/null || true' EXIT

# exited PID SECONDS: true once PID has exited, false after SECONDS.
exited() {
	local i

	for ((i = 0; i < $2; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 1
	done
	! kill -0 "$1" 2>/dev/null
}

# monitor COMMAND: one command to QEMU's monitor.
monitor() {
	python3 - "$out/monitor.sock" "$1" <<-'EOF' || true
	import socket, sys, time
	s = socket.socket(socket.AF_UNIX)
	s.connect(sys.argv[1])
	s.sendall(sys.argv[2].encode() + b"\n")
	time.sleep(1)
	EOF
}

status=0
rm -f "$out/monitor.sock"
qemu-system-x86_64 -pidfile "$out/qemu.pid" \
	-machine q35 -cpu max -smp "$smp" -m 1G \
	-nodefaults -no-user-config -display none "${reboot[@]}" "${disk[@]}" \
	-kernel "$kernel" -initrd "$initramfs" -append "$cmdline" "${accel[@]}" \
	-monitor "unix:$out/monitor.sock,server,nowait" "${serial[@]}" &
qemu=$!
if exited $qemu "$timeout"; then
	wait $qemu || status=$?
else
	echo "run.sh: the VM did not finish within ${timeout}s: an NMI asks its kernel for its stacks" >&2
	monitor nmi
	exited $qemu 60 || kill -KILL $qemu 2>/dev/null || true
	wait $qemu 2>/dev/null || true
	status=124
fi

if ! grep -q '^VIGIL-VM-DONE' "$out/results.log"; then
	if [ "$status" -eq 124 ]; then
		echo "run.sh: the VM did not finish within ${timeout}s: stopped" >&2
	else
		echo "run.sh: the VM stopped before finishing (QEMU status $status)" >&2
	fi
	[ -f "$out/console.log" ] && {
		echo "run.sh: last lines of $out/console.log:" >&2
		sed '/NMI received for unknown reason/,$d' "$out/console.log" | tail -n 30 >&2
		# The NMI's report: every user task and every kernel thread
		# not idle, with the stacks of those not sleeping
		# interruptibly (R, D), and the CPUs' backtraces.
		sed -n '/NMI received for unknown reason/,$p' "$out/console.log" |
			awk '/\] task:/ { show = $0 !~ / state:[SI] /
					 if (show || $0 !~ / ppid:(0|2) /) print
					 next }
			     /Kernel panic|NMI backtrace|Sending NMI|CPU: [0-9]/ { show = 1 }
			     show' | head -n 800 >&2
	}
	exit 1
fi
