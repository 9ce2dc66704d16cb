#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The KUnit lane: run kmod/'s KUnit suites (kmod/.kunitconfig, KASAN and
# lockdep on) in a UML kernel built from Debian's linux-source-6.12, with
# kmod/ linked into the tree as drivers/vigil.  The source tree and the
# build directory are cached under $VIGIL_CACHE (default
# ~/.cache/vigil), so later runs rebuild only what changed.
#
# Writes "PASSED FAILED" to $1 if given.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

result_file=${1:-}
src=$("$repo/scripts/kernel-source.sh")
build=$VIGIL_CACHE/kunit-build
log=$repo/build/kunit.log

# Kernel reports that fail the lane even when every case passed: KASAN,
# lockdep, and warnings from vigil's own code.
kernel_reports() {
	grep -aE 'BUG: KASAN|WARNING: possible|circular locking|WARNING: .*drivers/vigil|BUG: sleeping function' \
		"$build/test.log" || true
}

count_results() {
	local summary passed failed crashed

	summary=$(grep -a 'Testing complete' "$log" | tail -n 1 || true)
	passed=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<<"$summary")
	failed=$(sed -n 's/.*failed: \([0-9]*\).*/\1/p' <<<"$summary")
	crashed=$(sed -n 's/.*crashed: \([0-9]*\).*/\1/p' <<<"$summary")
	passed=${passed:-0}
	failed=$((${failed:-0} + ${crashed:-0}))
	[ -n "$summary" ] || failed=1	# the kernel did not build or boot
	if [ -n "$(kernel_reports)" ]; then
		kernel_reports
		failed=$((failed + 1))
	fi
	[ -n "$result_file" ] && echo "$passed $failed" >"$result_file"
	echo "kunit: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# Objects built from another checkout's kmod/ may be newer than this
# one's sources, so make would keep them: start drivers/vigil afresh
# whenever the link points somewhere new.
forget_other_checkouts() {
	local stamp=$build/.vigil-kmod-source

	if [ "$(cat "$stamp" 2>/dev/null)" != "$repo/kmod" ]; then
		rm -rf "$build/drivers/vigil"
		mkdir -p "$build"
		echo "$repo/kmod" >"$stamp"
	fi
}

vigil_link_kmod "$src"
forget_other_checkouts
mkdir -p "$repo/build"
note "KUnit on UML (log: $log)"
cd "$src"
status=0
python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$repo/kmod/.kunitconfig" \
	--build_dir="$build" --jobs="$(nproc)" --timeout=600 \
	>"$log" 2>&1 || status=$?
grep -aE '^\[[0-9:]+\] (\[(PASSED|FAILED|SKIPPED)\]|=+|Testing complete|.*(Elapsed|error))' "$log" || true
[ "$status" -eq 0 ] || tail -n 40 "$log"
count_results
