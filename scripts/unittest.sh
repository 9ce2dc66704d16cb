#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The user-space unit tests (cmocka, under ASan and UBSan), the -Werror
# build of vigild, vigilctl, libvigil and its examples, and the SDK as a
# vendor installs it (scripts/sdktest.sh).  Writes "PASSED FAILED" to $1.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

result_file=${1:-}
log=$repo/build/unittest.log
mkdir -p "$repo/build"
build_failed=0
make -s -C "$repo/ubroker" all >"$log" 2>&1 || build_failed=1
make -s -C "$repo/ubroker" unittest >>"$log" 2>&1
[ "$build_failed" -eq 0 ] && "$repo/scripts/sdktest.sh" >>"$log" 2>&1
grep -E '^(not )?ok ' "$log"
passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
if [ "$build_failed" -ne 0 ] || grep -qE 'error:|ERROR: AddressSanitizer|runtime error' "$log"; then
	grep -E 'error:|ERROR|runtime error' "$log" | head -n 20
	failed=$((failed + 1))
fi
[ -n "$result_file" ] && echo "$passed $failed" >"$result_file"
echo "unittest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
