#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM lane: for each supported kernel (or those given), boot Debian's
# own kernel under QEMU with the module and run the selftests.  Counts
# every test case of every kernel; a test binary that dies counts as
# failed, as does a boot that hangs or panics.  Writes "PASSED FAILED" to
# the file named by VIGIL_RESULT, if set.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

kernels=${*:-$(vigil_kernels)}
total_passed=0
total_failed=0

# Count the TAP of results.log: per test binary, its plan, its ok and
# not-ok lines, and its exit status.
count_tap() {
	awk '
	/^# vigil-test: / { name = $3; plan = 0; ok = 0; nok = 0; open = 1; next }
	open && /^1\.\.[0-9]+/ { split($0, a, "."); plan = a[3] + 0; next }
	open && /^ok / { ok++; next }
	open && /^not ok / { nok++; print "FAILED: " name ": " $0 > "/dev/stderr"; next }
	/^# vigil-test-exit: / {
		rc = $4 + 0
		if (ok + nok < plan) {
			print "FAILED: " name ": " plan - ok - nok " cases did not run" > "/dev/stderr"
			nok += plan - ok - nok
		}
		if (rc != 0 && nok == 0) {
			print "FAILED: " name ": exit status " rc > "/dev/stderr"
			nok = 1
		}
		passed += ok; failed += nok; open = 0; next
	}
	END {
		if (open) {
			print "FAILED: " name ": did not finish" > "/dev/stderr"
			failed += (plan > ok + nok ? plan - ok : 1)
			passed += ok
		}
		print passed + 0, failed + 0
	}' "$1"
}

for kver in $kernels; do
	dir=$repo/build/vm/$kver
	vmlinuz=$VIGIL_CACHE/kernels/$kver/vmlinuz
	[ -f "$vmlinuz" ] || die "no kernel image for $kver: run 'make deps'"
	mkdir -p "$dir"
	"$repo/scripts/vm-image.sh" "$kver" "$dir/initramfs.cpio.gz"
	note "VM tests on $kver (logs: $dir)"
	start=$(date +%s)
	boot=0
	"$repo/tools/testing/vm/run.sh" --kernel "$vmlinuz" \
		--initramfs "$dir/initramfs.cpio.gz" --mode test --out "$dir" \
		--timeout 900 || boot=$?
	read -r passed failed < <(count_tap "$dir/results.log")
	[ "$boot" -eq 0 ] || failed=$((failed + 1))
	echo "vmtest $kver: $passed passed, $failed failed ($(($(date +%s) - start))s)"
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
done

[ -n "${VIGIL_RESULT:-}" ] && echo "$total_passed $total_failed" >"$VIGIL_RESULT"
echo "vmtest: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
