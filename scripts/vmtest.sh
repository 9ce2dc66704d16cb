#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM lane: for each supported kernel (or those given), boot Debian's
# own kernel under QEMU with the module and run the selftests; then the
# boot-guard test, across real reboots with a persistent disk
# (tools/testing/vm/bootguard.sh), and once more with vigil.disable=1.
# VIGIL_VM_RUNS picks among the runs: selftests, bootguard,
# bootguard-disabled (default: all).  Counts every test case of every
# kernel; a test binary that dies counts as failed, as does a boot that
# hangs or panics.  Writes "PASSED FAILED"
# to the file named by VIGIL_RESULT, if set.
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

for kver in $kernels; do
	dir=$repo/build/vm/$kver
	vmlinuz=$VIGIL_CACHE/kernels/$kver/vmlinuz
	[ -f "$vmlinuz" ] || die "no kernel image for $kver: run 'make deps'"
	mkdir -p "$dir"
	"$repo/scripts/vm-image.sh" "$kver" "$dir/initramfs.cpio.gz"
	note "VM tests on $kver (logs: $dir)"
	start=$(date +%s)
	passed=0
	failed=0
	for run in ${VIGIL_VM_RUNS:-selftests bootguard bootguard-disabled}; do
		case $run in
		selftests) vm_run selftests 1500 --mode test ;;
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
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
done

[ -n "${VIGIL_RESULT:-}" ] && echo "$total_passed $total_failed" >"$VIGIL_RESULT"
echo "vmtest: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
