#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The build lane.  For each supported kernel, vigil.ko must build with
# zero warnings under W=1 and sparse (C=2), both as it ships and as the
# VM lane tests it (with fault injection); checkpatch.pl from Debian's
# linux-source-6.12 must find nothing; the ABI header must not change
# without a version bump; Documentation/ must build without a warning.
# One test each.  Writes "PASSED FAILED" to $1.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

result_file=${1:-}
passed=0
failed=0
logdir=$repo/build/buildtest
mkdir -p "$logdir"

result() {
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok - $1"
	else
		failed=$((failed + 1))
		echo "not ok - $1"
	fi
}

# Zero warnings: the compiler's and sparse's both say "warning:".
build_kernel() {
	local kver=$1 test_build=$2 log=$logdir/$1${2:+-test}.log status=0

	VIGIL_KERNELS=$kver VIGIL_TEST_BUILD=$test_build \
		"$repo/scripts/build-modules.sh" W=1 C=2 >"$log" 2>&1 || status=$?
	if [ "$status" -ne 0 ] || grep -qE 'warning:|error:' "$log"; then
		grep -E 'warning:|error:' "$log" | head -n 20
		echo "(log: $log)"
		return 1
	fi
}

# checkpatch.pl, default checks.  compat.h is where version tests belong,
# so it alone may compare LINUX_VERSION_CODE.
checkpatch() {
	local cp=$VIGIL_CACHE/linux-source-6.12/scripts/checkpatch.pl out status=0
	local files

	"$repo/scripts/kernel-source.sh" >/dev/null
	cd "$repo/kmod"
	files=$(ls *.c *.h Kbuild Kconfig include/uapi/linux/*.h | grep -v '^compat.h$')
	out=$("$cp" --no-tree --quiet --show-types -f $files 2>&1) || status=1
	out+=$("$cp" --no-tree --quiet --show-types \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f compat.h 2>&1) || status=1
	cd - >/dev/null
	[ -z "$out" ] || printf '%s\n' "$out"
	return $status
}

for kver in $(vigil_kernels); do
	status=0
	build_kernel "$kver" "" || status=1
	result "vigil.ko builds for $kver with W=1 and sparse, zero warnings" $status
	status=0
	build_kernel "$kver" 1 || status=1
	result "the test build of vigil.ko (fault injection) builds for $kver with W=1 and sparse, zero warnings" $status
done
# The build that ships has no fault injection; the test build has it.
injection_only_in_test_builds() {
	local kver

	for kver in $(vigil_kernels); do
		if modinfo -p "$repo/build/kmod/$kver/vigil.ko" | grep '^inject_' >/dev/null; then
			echo "build/kmod/$kver/vigil.ko has fault injection parameters"
			return 1
		fi
		modinfo -p "$repo/build/kmod-test/$kver/vigil.ko" |
			grep '^inject_crash_on_load' >/dev/null || {
			echo "build/kmod-test/$kver/vigil.ko lacks fault injection"
			return 1
		}
	done
}

status=0
injection_only_in_test_builds || status=1
result "only the test build of vigil.ko has fault injection" $status
status=0
checkpatch || status=1
result "checkpatch.pl finds nothing in kmod/" $status
status=0
"$repo/scripts/abi-check.sh" || status=1
result "the ABI header matches its recorded version" $status
status=0
sphinx-build -W -q -b html "$repo/Documentation" "$repo/build/docs" || status=1
result "Documentation/ builds with sphinx-build -W" $status

[ -n "$result_file" ] && echo "$passed $failed" >"$result_file"
echo "buildtest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
