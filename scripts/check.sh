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

# The lanes, in order.  debugvm, the selftests on the debug kernel (the
# longest, a VM of its own in one host thread), starts in the background
# when vmtest does and runs beside vmtest, attack and pkgtest (one VM at a
# time, on the other core); coverage waits for it.
lanes=(buildtest kunit unittest fuzz models debugkernel vmtest debugvm attack pkgtest
       coverage hostboot)
background=debugvm

# run_lane LANE: its counts into $results/LANE, its seconds into
# $results/LANE.seconds.
run_lane() {
	local lane=$1 start status=0

	note "lane: $lane"
	start=$(date +%s)
	case $lane in
	vmtest | attack) VIGIL_RESULT=$results/$lane "$repo/scripts/$lane.sh" || status=$? ;;
	debugvm) VIGIL_RESULT=$results/$lane "$repo/scripts/vmtest.sh" debug || status=$? ;;
	debugkernel)
		if "$repo/scripts/debug-kernel.sh" >/dev/null; then
			echo "1 0" >"$results/$lane"
		fi
		;;
	*) "$repo/scripts/$lane.sh" "$results/$lane" || status=$? ;;
	esac
	echo $(($(date +%s) - start)) >"$results/$lane.seconds"
	if [ ! -s "$results/$lane" ]; then
		echo "0 1" >"$results/$lane"
	fi
}

bg_pid=
for lane in "${lanes[@]}"; do
	if [ "$lane" = "$background" ]; then
		continue
	elif [ "$lane" = vmtest ]; then
		# What every VM image holds, built before two lanes use it.
		"$repo/scripts/build-vm-userspace.sh" >/dev/null ||
			echo "warning: the VMs' programs did not build; the VM lanes will say why"
		run_lane "$background" >"$results/$background.log" 2>&1 &
		bg_pid=$!
	elif [ "$lane" = coverage ] && [ -n "$bg_pid" ]; then
		note "waiting for the $background lane (log: $results/$background.log)"
		wait "$bg_pid"
		cat "$results/$background.log"
		bg_pid=
	fi
	run_lane "$lane"
done

total_passed=0
total_failed=0
printf '\n%-11s %7s %7s %8s\n' lane passed failed seconds
for lane in "${lanes[@]}"; do
	read -r passed failed <"$results/$lane"
	printf '%-11s %7d %7d %8d%s\n' "$lane" "$passed" "$failed" \
		"$(cat "$results/$lane.seconds" 2>/dev/null || echo 0)" \
		"$([ "$lane" != "$background" ] || echo ' (beside vmtest, attack, pkgtest)')"
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
done
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
