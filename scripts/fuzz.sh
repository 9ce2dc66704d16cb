#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fuzz lane: each libFuzzer harness in ubroker/fuzz/ for
# FUZZ_SECONDS (default 15 in make check, 60 in make fuzz), starting from
# its seed corpus.  A crash, leak or sanitizer report fails it.  Writes
# "PASSED FAILED" to $1.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

result_file=${1:-}
log=$repo/build/fuzz.log
mkdir -p "$repo/build"
make -s -C "$repo/ubroker" fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-15}" >"$log" 2>&1
cat "$log" | grep -vE '^(clang|\s)' || true
passed=$(grep -c '^ok - ' "$log")
failed=$(grep -c '^not ok - ' "$log")
[ "$((passed + failed))" -gt 0 ] || failed=1	# the harnesses did not build
[ -n "$result_file" ] && echo "$passed $failed" >"$result_file"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
