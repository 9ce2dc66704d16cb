#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The shim's line coverage, merged from two runs:
#
#   - the debug kernel's VM run (vmtest.sh debug: the module built with
#     gcov, its .gcda files written to a disk of the VM's);
#   - KUnit on UML (kmod/.kunitconfig, without CONFIG_MODULES, which UML's
#     gcov excludes, plus the kernel's coverage_uml.config), run here in a
#     build directory of its own, $VIGIL_CACHE/kunit-cov-build: UML is a
#     program, and writes its .gcda files when it exits.
#
# Prints a per-file table of kmod/'s code (its KUnit files and the test
# build's fault injection left out), the total, and the lines no test
# reaches (build/coverage/uncovered.txt); writes an HTML report in
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
kunit_build=$VIGIL_CACHE/kunit-cov-build

# UML's linker script keeps .init_array.* but drops .fini_array.* out of
# __fini_array: gcc (7 and later) puts libgcov's dump at exit in
# .fini_array.00100, so a UML built with CONFIG_GCOV never wrote a .gcda
# file (the kernel's KUnit documentation warns of it).  One line in the
# unpacked source, as in .init_array; a UML without such destructors (the
# KUnit lane's) links as before.
uml_runs_prioritized_destructors() {
	local lds=$1/arch/um/include/asm/common.lds.S

	grep -qF '*(.fini_array.*)' "$lds" ||
		sed -i 's/^\t\*(\.fini_array)$/\t*(.fini_array.*)\n&/' "$lds"
	grep -qF '*(.fini_array.*)' "$lds"
}

# KUnit's suites on UML with gcov: the counts into $out/kunit.info.
kunit_coverage() {
	local src config=$out/kunit-coverage.kunitconfig

	src=$("$repo/scripts/kernel-source.sh")
	vigil_link_kmod "$src"
	uml_runs_prioritized_destructors "$src" || return 1
	{
		grep -v '^CONFIG_MODULES=' "$repo/kmod/.kunitconfig"
		grep '^CONFIG_' "$src/tools/testing/kunit/configs/coverage_uml.config"
		echo '# CONFIG_MODULES is not set'
		# gcov's counters and KASAN's redzones together: a KUnit
		# case's frame passes 2048 bytes.
		echo 'CONFIG_FRAME_WARN=4096'
	} >"$config"
	find "$kunit_build" -name '*.gcda' -delete 2>/dev/null || true
	note "KUnit on UML with gcov (log: $out/kunit.log)"
	# libgcov has a mangle_path() of its own, as fs/seq_file.c does.
	(cd "$src" && python3 tools/testing/kunit/kunit.py run --kunitconfig="$config" \
		--build_dir="$kunit_build" --jobs="$(nproc)" --timeout=600 \
		--make_options=KCFLAGS=-Dmangle_path=kernel_mangle_path) \
		>"$out/kunit.log" 2>&1 || return 1
	grep -a 'Testing complete' "$out/kunit.log" | tail -n 1
	lcov --quiet --gcov-tool gcov-12 --capture --directory "$kunit_build/drivers/vigil" \
		--output-file "$out/kunit.info" 2>>"$out/lcov.log"
}

# The lines no run reached, as "file function: lines", a function's
# uncovered lines in ranges (Documentation/coverage.rst says why).
uncovered() {
	awk -F'[:,]' '
	function flush(   i, out, a, b) {
		if (n == 0) return
		out = ""; a = ln[0]; b = a
		for (i = 1; i <= n; i++) {
			if (i < n && ln[i] == b + 1) { b = ln[i]; continue }
			out = out (out == "" ? "" : ",") (a == b ? a : a "-" b)
			if (i < n) { a = ln[i]; b = a }
		}
		printf "%-16s %-36s %s\n", file, fn, out
		n = 0
	}
	/^SF:/ { file = $2; sub(/.*\//, "", file); nf = 0 }
	/^FN:/ { fl[nf] = $2 + 0; fname[nf++] = $3 }
	/^DA:/ && $3 == 0 {
		f = "?"
		for (i = 0; i < nf; i++)
			if (fl[i] <= $2 + 0 && (f == "?" || fl[i] >= best)) { best = fl[i]; f = fname[i] }
		if (f != fn || file != lastfile) { flush(); fn = f; lastfile = file }
		ln[n++] = $2 + 0
	}
	/^end_of_record/ { flush() }
	' "$out/shim.info"
}

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
	--output-file "$out/vm.info" 2>"$out/lcov.log" || fail "lcov failed ($out/lcov.log)"
kunit_coverage || fail "no coverage from KUnit (log: $out/kunit.log)"
# Both name the shim's files as kmod/ does (the VM's build has copies,
# UML's has drivers/vigil): then lcov adds their counts up.
sed -i "s|^SF:$objs/\([^/]*\)\$|SF:$repo/kmod/\1|" "$out/vm.info"
sed -i "s|^SF:.*/drivers/vigil/\([^/]*\)\$|SF:$repo/kmod/\1|" "$out/kunit.info"
# The lines counted are the module's, as the build that ships compiles
# them: UML's build, with other options, attributes some code to other
# lines (inlined helpers, its own init), which no run could cover.  KUnit
# adds its hits to the module's lines.
awk -F'[:,]' 'FNR == NR { if ($1 == "SF") f = $2; else if ($1 == "DA") seen[f "|" $2] = 1; next }
	$1 == "SF" { f = $2 }
	$1 == "LF" || $1 == "LH" { next }
	$1 != "DA" || (f "|" $2) in seen' "$out/vm.info" "$out/kunit.info" >"$out/kunit-lines.info"
lcov --quiet --add-tracefile "$out/vm.info" --add-tracefile "$out/kunit-lines.info" \
	--output-file "$out/all.info" 2>>"$out/lcov.log" || fail "lcov could not merge ($out/lcov.log)"
lcov --quiet --extract "$out/all.info" "$repo/kmod/*.c" --output-file "$out/kmod.info" \
	2>>"$out/lcov.log"
lcov --quiet --remove "$out/kmod.info" '*_test.c' '*/inject.c' \
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
uncovered >"$out/uncovered.txt"
echo "lines no test reaches, by function: $out/uncovered.txt"
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
