#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM lane: for each supported kernel (or those given), boot Debian's
# own kernel under QEMU with the module and run the selftests; then the
# boot-guard test, across real reboots with a persistent disk
# (tools/testing/vm/bootguard.sh), and once more with vigil.disable=1.
# The kernel "debug" (scripts/vmtest.sh debug; make check's lane debugvm)
# is the debug kernel (scripts/debug-kernel.sh, built once and cached):
# the selftests alone, with the kernel log and kmemleak checked after each
# (vigil_checks=1, tools/testing/vm/run-tests.sh).
# VIGIL_VM_RUNS picks among the runs: selftests, bootguard,
# bootguard-disabled (default: all); VIGIL_VM_APPEND adds to the debug
# kernel's command line (make fuzz: trinity's and the ioctl fuzzer's
# length).  Counts every test case of every
# kernel; a test binary that dies counts as failed, as does a boot that
# hangs or panics.  VIGIL_VM_JOBS=2 runs two kernels side by side (each
# VM runs its vCPUs in one host thread); by default one at a time.  Writes
# "PASSED FAILED" to the file named by VIGIL_RESULT, if set.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

kernels=${*:-$(vigil_kernels)}
total_passed=0
total_failed=0

# Count the TAP of results.log: per test binary, its plan, its ok and
# not-ok lines, and its exit status.  A failed case is shown with the
# diagnostic lines it printed (the last 20), so that a CI log says why.
count_tap() {
	awk '
	function forget(i) { for (i = 0; i < ndiag; i++) delete diag[i]; ndiag = 0 }
	function show(i) {
		for (i = (ndiag > 20 ? ndiag - 20 : 0); i < ndiag; i++)
			print "  " diag[i] > "/dev/stderr"
	}
	/^# vigil-test: / { name = $3; plan = 0; ok = 0; nok = 0; open = 1; forget(); next }
	open && /^1\.\.[0-9]+/ { split($0, a, "."); plan = a[3] + 0; next }
	open && /^# / && !/^# vigil-test-exit: / { diag[ndiag++] = $0; next }
	open && /^ok / { ok++; forget(); next }
	open && /^not ok / {
		nok++; print "FAILED: " name ": " $0 > "/dev/stderr"; show(); forget(); next
	}
	/^# vigil-test-exit: / {
		rc = $4 + 0
		if (ok + nok < plan) {
			print "FAILED: " name ": " plan - ok - nok " cases did not run" > "/dev/stderr"
			show()
			nok += plan - ok - nok
		}
		if (rc != 0 && nok == 0) {
			print "FAILED: " name ": exit status " rc > "/dev/stderr"
			show()
			nok = 1
		}
		passed += ok; failed += nok; open = 0; next
	}
	END {
		if (open) {
			print "FAILED: " name ": did not finish" > "/dev/stderr"
			show()
			failed += (plan > ok + nok ? plan - ok : 1)
			passed += ok
		}
		print passed + 0, failed + 0
	}' "$1"
}

# vm_run NAME TIMEOUT ARGS...: boot once (or, with --reboot, until the
# success token), count its TAP into $passed and $failed.
vm_run() {
	local name=$1 timeout=$2 out=$dir/$1 boot=0 p f

	shift 2
	mkdir -p "$out"
	"$repo/tools/testing/vm/run.sh" --kernel "$vmlinuz" \
		--initramfs "$dir/initramfs.cpio.gz" --out "$out" \
		--timeout "$timeout" "$@" || boot=$?
	read -r p f < <(count_tap "$out/results.log")
	[ "$boot" -eq 0 ] || f=$((f + 1))
	passed=$((passed + p))
	failed=$((failed + f))
}

# A fresh minix disk for the boot guard's state: Debian's kernel has the
# filesystem as a module, which the initramfs carries.
new_disk() {
	rm -f "$1"
	truncate -s 8M "$1"
	mkfs.minix "$1" >/dev/null
}

# run_kernel KVER CHECKS: every run of one kernel (CHECKS=1: the debug
# kernel's: the selftests alone, with its checkers, slower), in the
# background; its counts go to build/vm/KVER/counts, its output to
# build/vm/KVER/lane.log.
run_kernel() {
	local kver=$1 checks=$2 run runs start timeout=1500
	local dir=$repo/build/vm/$1 vmlinuz=$VIGIL_CACHE/kernels/$1/vmlinuz

	passed=0
	failed=0
	[ -f "$vmlinuz" ] || die "no kernel image for $kver: run 'make deps'"
	mkdir -p "$dir"
	"$repo/scripts/vm-image.sh" "$kver" "$dir/initramfs.cpio.gz"
	start=$(date +%s)
	runs=${VIGIL_VM_RUNS:-selftests bootguard bootguard-disabled}
	# The debug kernel's run takes 17 to 22 minutes; make fuzz's long
	# pass (VIGIL_VM_APPEND) an hour.
	[ -z "$checks" ] || { runs=selftests; timeout=2700; }
	[ -z "$checks" ] || [ -z "${VIGIL_VM_APPEND:-}" ] || timeout=5400
	for run in $runs; do
		case $run in
		selftests)
			# The debug kernel's run writes the module's coverage
			# to a disk of its own (scripts/coverage.sh reads it).
			rm -f "$dir/gcov.img"
			[ -z "$checks" ] || truncate -s 64M "$dir/gcov.img"
			vm_run selftests "$timeout" --mode test \
				${checks:+--append "vigil_checks=1 ${VIGIL_VM_APPEND:-}" --disk "$dir/gcov.img"}
			;;
		bootguard)
			new_disk "$dir/bootguard.img"
			vm_run bootguard 600 --mode bootguard --reboot \
				--disk "$dir/bootguard.img"
			;;
		bootguard-disabled)
			new_disk "$dir/bootguard.img"
			vm_run bootguard-disabled 300 --mode bootguard \
				--disk "$dir/bootguard.img" --append vigil.disable=1
			;;
		*) die "VIGIL_VM_RUNS: unknown run $run" ;;
		esac
	done
	echo "vmtest $kver: $passed passed, $failed failed ($(($(date +%s) - start))s)"
	echo "$passed $failed" >"$dir/counts"
}

# The kernels' releases, the debug kernel's built first (a failed build
# counts as one failure) and run first: it takes longest, the others run
# one after the other beside it.
releases=()
debug_release=
for kver in $kernels; do
	if [ "$kver" = debug ]; then
		if debug_release=$("$repo/scripts/debug-kernel.sh"); then
			releases=("$debug_release" "${releases[@]}")
		else
			total_failed=$((total_failed + 1))
		fi
	else
		releases+=("$kver")
	fi
done

# What every image holds, built once before the kernels run side by side.
"$repo/scripts/build-vm-userspace.sh" >/dev/null
jobs_max=${VIGIL_VM_JOBS:-1}
for kver in "${releases[@]}"; do
	mkdir -p "$repo/build/vm/$kver"
	rm -f "$repo/build/vm/$kver/counts"
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
		wait -n || true
	done
	note "VM tests on $kver (logs: $repo/build/vm/$kver)"
	checks=
	[ "$kver" != "$debug_release" ] || checks=1
	run_kernel "$kver" "$checks" >"$repo/build/vm/$kver/lane.log" 2>&1 &
done
wait

for kver in "${releases[@]}"; do
	cat "$repo/build/vm/$kver/lane.log"
	if read -r p f <"$repo/build/vm/$kver/counts" 2>/dev/null; then
		total_passed=$((total_passed + p))
		total_failed=$((total_failed + f))
	else
		echo "vmtest $kver: the lane broke down"
		total_failed=$((total_failed + 1))
	fi
done

[ -n "${VIGIL_RESULT:-}" ] && echo "$total_passed $total_failed" >"$VIGIL_RESULT"
echo "vmtest: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
