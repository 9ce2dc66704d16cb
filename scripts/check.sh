#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is needed, run every lane, end with one line
# "N passed, N failed".  A lane that breaks down without counting counts
# as one failure.  Exits non-zero if anything failed.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

results=$repo/build/results
rm -rf "$results"
mkdir -p "$results"

# The host's boot before anything runs; the hostboot lane compares.
"$repo/scripts/hostboot.sh" --snapshot "$results/boot.before"
if ! "$repo/scripts/deps.sh"; then
	echo "0 passed, 1 failed"
	exit 1
fi

lanes=(buildtest kunit unittest fuzz models vmtest attack pkgtest hostboot)
declare -A seconds

run_lane() {
	local lane=$1 start status=0

	note "lane: $lane"
	start=$(date +%s)
	case $lane in
	vmtest | attack) VIGIL_RESULT=$results/$lane "$repo/scripts/$lane.sh" || status=$? ;;
	*) "$repo/scripts/$lane.sh" "$results/$lane" || status=$? ;;
	esac
	seconds[$lane]=$(($(date +%s) - start))
	if [ ! -s "$results/$lane" ]; then
		echo "0 1" >"$results/$lane"
	fi
}

for lane in "${lanes[@]}"; do
	run_lane "$lane"
done

total_passed=0
total_failed=0
printf '\n%-10s %7s %7s %8s\n' lane passed failed seconds
for lane in "${lanes[@]}"; do
	read -r passed failed <"$results/$lane"
	printf '%-10s %7d %7d %8d\n' "$lane" "$passed" "$failed" "${seconds[$lane]}"
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
done
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
