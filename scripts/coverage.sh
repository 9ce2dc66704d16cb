#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The shim's line coverage, from the debug kernel's VM run (vmtest.sh
# debug: the module built with gcov, its .gcda files written to a disk of
# the VM's): a per-file table of kmod/'s code (its KUnit files and the
# test build's fault injection left out), the total, and an HTML report in
# build/coverage/html/.
#
#   coverage.sh [RESULT]   after a debug-kernel VM run; "PASSED FAILED"
#                          into RESULT: one check, the total at least
#                          VIGIL_COVERAGE_MIN percent (default below)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

result=${1:-}
min=${VIGIL_COVERAGE_MIN:-90}
out=$repo/build/coverage
release=$(ls "$VIGIL_CACHE/kernels" | grep -- '-vigil-debug$' | tail -n 1 || true)
objs=$repo/build/kmod-test/$release
disk=$repo/build/vm/$release/gcov.img

fail() {
	echo "not ok 1 - the shim's line coverage: $*"
	[ -z "$result" ] || echo "0 1" >"$result"
	exit 1
}

[ -n "$release" ] && [ -f "$disk" ] || fail "no debug-kernel VM run to read (make vmtest)"
ls "$objs"/*.gcno >/dev/null 2>&1 || fail "no .gcno files in $objs"
rm -rf "$out"
mkdir -p "$out/gcda"
tar -C "$out/gcda" -xf "$disk" 2>/dev/null || fail "no coverage data on $disk"
ls "$out/gcda"/*.gcda >/dev/null 2>&1 || fail "no .gcda files on $disk"
cp "$out/gcda"/*.gcda "$objs/"

lcov --quiet --gcov-tool gcov-12 --capture --directory "$objs" \
	--output-file "$out/all.info" 2>"$out/lcov.log" || fail "lcov failed ($out/lcov.log)"
lcov --quiet --remove "$out/all.info" '*_test.c' '*/inject.c' '/usr/*' '*/include/*' \
	--output-file "$out/shim.info" 2>>"$out/lcov.log"
genhtml --quiet --output-directory "$out/html" "$out/shim.info" >>"$out/lcov.log" 2>&1 || true

# lcov's list, as file, lines found, lines hit, percent; then the total.
lcov --list "$out/shim.info" 2>/dev/null |
	awk -F'|' '/\.c *\|/ {
		split($1, p, "/"); name = p[length(p)]; gsub(/ /, "", name)
		split($2, l, " "); printf "%-22s %6s %6s\n", name, l[1], l[2]
	}' >"$out/table.txt"
read -r found hit < <(awk '/^LF:/ {f += substr($0, 4)} /^LH:/ {h += substr($0, 4)}
	END {print f + 0, h + 0}' "$out/shim.info")
[ "$found" -gt 0 ] || fail "no lines found"
printf '%-22s %6s %6s\n' file coverage lines
cat "$out/table.txt"
pct=$((hit * 1000 / found))
printf 'total: %d.%d%% of %d lines (%d hit); report: %s\n' $((pct / 10)) $((pct % 10)) \
	"$found" "$hit" "$out/html/index.html"
if [ "$pct" -ge $((min * 10)) ]; then
	echo "ok 1 - the shim's line coverage, $((pct / 10)).$((pct % 10))%, is at least $min%"
	[ -z "$result" ] || echo "1 0" >"$result"
else
	echo "not ok 1 - the shim's line coverage, $((pct / 10)).$((pct % 10))%, is at least $min%"
	[ -z "$result" ] || echo "0 1" >"$result"
	exit 1
fi
