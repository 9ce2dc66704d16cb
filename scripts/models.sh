#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The model checks: the Promela models of tools/testing/models/, verified
# exhaustively with spin (Debian's package "spin", and gcc).
#
#   models.sh [RESULT]
#
# For each model: spin -a, gcc pan.c, ./pan, in build/models/NAME/ (the
# trail of an error stays there: "cd build/models/NAME && spin -t -p
# model.pml" replays it, with the same -D options).  A model passes when
# pan searched its whole state space and found no error; each deliberately
# broken variant (BROKEN_*) passes when pan does find one.  TAP on
# standard output, "PASSED FAILED" into RESULT; exits non-zero if anything
# About 40 s and under 600 MB on a 2-core machine.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

result_file=${1:-}
models=$repo/tools/testing/models
out=$repo/build/models

# Exhaustive safety search (assertions, invalid end states), with the
# state vectors compressed; pan gives up past 1 GiB rather than swap.
PAN_CFLAGS=(-O2 -w -DSAFETY -DCOLLAPSE -DVECTORSZ=1024 -DMEMLIM=1024)
PAN_FLAGS=(-m10000 -w22)

n=0
passed=0
failed=0

# verify DIR MODEL [-DNAME...]: spin, gcc and pan in DIR; pan's output in
# DIR/pan.out.  Returns 0 if pan ran to its end.
verify() {
	local dir=$1 model=$2

	shift 2
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$models/$model.pml" "$dir/model.pml"
	(
		cd "$dir"
		spin "$@" -a model.pml >spin.out 2>&1 &&
			gcc "${PAN_CFLAGS[@]}" -o pan pan.c >gcc.out 2>&1 &&
			timeout 120 ./pan "${PAN_FLAGS[@]}" >pan.out 2>&1
	) || [ -s "$dir/pan.out" ]
}

# The number pan printed before "states, stored".
states() {
	sed -n 's/^ *\([0-9][0-9]*\) states, stored.*/\1/p' "$1/pan.out"
}

# A search that stopped short proves nothing.
complete() {
	grep -q 'errors: 0$' "$1/pan.out" &&
		! grep -qE 'reached -DMEMLIM bound|max search depth too small|Search not completed' "$1/pan.out"
}

# report OK TEXT
report() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
		passed=$((passed + 1))
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

# The first error pan reported, as a TAP comment.
why() {
	grep -m1 -E '^pan:1:|error:' "$1/pan.out" | sed 's/^/# /' || true
}

# check NAME MODEL TEXT [-DNAME...]: the model verifies, with no error.
check() {
	local dir=$out/$1 model=$2 text=$3

	shift 3
	if verify "$dir" "$model" "$@" && complete "$dir"; then
		report ok "$text ($(states "$dir") states)"
	else
		report "not ok" "$text"
		why "$dir"
		cat "$dir/spin.out" "$dir/gcc.out" 2>/dev/null | head -5 | sed 's/^/# /'
	fi
}

# broken NAME MODEL LABEL WHAT [-DNAME...]: the broken variant fails the
# check: pan finds an error.
broken() {
	local dir=$out/$1 model=$2 text="the broken $3 model ($4) fails the check"

	shift 4
	if verify "$dir" "$model" "$@" && grep -qE 'errors: [1-9]' "$dir/pan.out"; then
		report ok "$text"
		why "$dir"
	else
		report "not ok" "$text"
		cat "$dir/spin.out" "$dir/gcc.out" 2>/dev/null | head -5 | sed 's/^/# /'
	fi
}

command -v spin >/dev/null || die "spin is not installed (apt-get install spin)"
command -v gcc >/dev/null || die "gcc is not installed"
mkdir -p "$out"
start=$(date +%s)

check ring ring \
	"the ring model: no record overwritten, no wake-up lost, delivered + dropped = produced" \
	-DHRTIMER_IS_QUEUED
check ring-window ring \
	"the ring model with the hrtimer callback's window: no wake-up lost" \
	-DHRTIMER_WINDOW -DHRTIMER_IS_QUEUED
broken ring-hrtimer-active ring ring "the wake-up tests hrtimer_active(), as ring.c did: one lost as the callback returns" \
	-DHRTIMER_WINDOW
broken ring-no-busy ring ring "position published before the record is written" \
	-DBROKEN_NO_BUSY
broken ring-no-recheck ring ring "poll looks before it waits, not after" \
	-DBROKEN_NO_RECHECK
broken ring-no-room-check ring ring "no check of the consumer's and accounted positions" \
	-DBROKEN_NO_ROOM_CHECK

check auth auth_waiter \
	"the AUTH waiter model: each waiter released once, nothing used after it is freed"
check auth-no-deadline auth_waiter \
	"the AUTH waiter model without deadlines: verdicts and release-alls leave no waiter behind" \
	-DNO_DEADLINE
broken auth-no-remove auth_waiter "AUTH waiter" "a waiter past its deadline does not leave the table" \
	-DBROKEN_NO_REMOVE
broken auth-double-release auth_waiter "AUTH waiter" "release-all releases answered requests again" \
	-DBROKEN_DOUBLE_RELEASE
broken auth-close-no-release auth_waiter "AUTH waiter" "closing the session does not release the waiters" \
	-DNO_DEADLINE -DBROKEN_CLOSE_NO_RELEASE
broken auth-no-srcu auth_waiter "AUTH waiter" "the session freed before its waiters are done" \
	-DBROKEN_NO_SRCU

echo "1..$n"
[ -n "$result_file" ] && echo "$passed $failed" >"$result_file"
echo "models: $passed passed, $failed failed, in $(($(date +%s) - start)) s"
[ "$failed" -eq 0 ]
