#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make attack: the attack suite (tools/testing/vm/attack.sh) in QEMU, on
# each supported kernel (or those given), with the shim's shipped
# defaults.  Prints each kernel's TAP and the table of
# Documentation/watchdog.rst; counts every check.  ATTACK_ROWS=flood,sigstop
# runs only those attacks.  Writes "PASSED FAILED" to $VIGIL_RESULT if set.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

kernels=${*:-$(vigil_kernels)}
total_passed=0
total_failed=0
table=$repo/build/attack/table.txt
mkdir -p "$repo/build/attack"
printf '%-15s %-46s %5s %8s %23s %14s %19s\n' kernel attack trips degraded \
	"victim denied/allowed/missed" "p50/p99 ms" "shed: attacker/others" >"$table"

for kver in $kernels; do
	dir=$repo/build/attack/$kver
	vmlinuz=$VIGIL_CACHE/kernels/$kver/vmlinuz
	[ -f "$vmlinuz" ] || die "no kernel image for $kver: run 'make deps'"
	mkdir -p "$dir"
	"$repo/scripts/vm-image.sh" "$kver" "$dir/initramfs.cpio.gz"
	note "attack suite on $kver (logs: $dir)"
	start=$(date +%s)
	boot=0
	"$repo/tools/testing/vm/run.sh" --kernel "$vmlinuz" \
		--initramfs "$dir/initramfs.cpio.gz" --out "$dir" --mode attack \
		--timeout 900 ${ATTACK_ROWS:+--append "attack_rows=$ATTACK_ROWS"} ||
		boot=$?
	grep -E '^(not )?ok |^# ' "$dir/results.log" | grep -v '^# attack|' || true
	read -r p f < <(awk '/^ok /{p++} /^not ok /{f++} END{print p+0, f+0}' \
			    "$dir/results.log")
	if [ "$boot" -ne 0 ] || ! grep -q VIGIL-VM-DONE "$dir/results.log"; then
		echo "not ok - the attack VM on $kver did not finish (console: $dir/console.log)"
		f=$((f + 1))
	fi
	[ $((p + f)) -gt 0 ] || f=1
	sed -n 's/^# attack|//p' "$dir/results.log" |
		awk -F'|' -v k="${kver%%-*}" '{
			printf "%-15s %-46s %5s %7ss %23s %14s %19s\n", k, $1, $2, $3,
				$4 "/" $5 "/" $6, $7 "/" $8, $9 "/" $10
		}' >>"$table"
	echo "attack $kver: $p passed, $f failed ($(($(date +%s) - start))s)"
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
done

echo
cat "$table"
[ -n "${VIGIL_RESULT:-}" ] && echo "$total_passed $total_failed" >"$VIGIL_RESULT"
echo "attack: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
