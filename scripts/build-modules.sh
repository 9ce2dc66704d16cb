#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build vigil.ko for each supported kernel, against the headers
# scripts/deps.sh unpacked (or those listed in VIGIL_KERNELS), into build/kmod/<release>/; or for
# the tree named by KDIR= alone, into build/kmod/custom/.  Extra arguments
# go to kbuild (W=1, C=2, ...).  With VIGIL_TEST_BUILD=1, the test build,
# with fault injection (kmod/inject.c), goes to build/kmod-test/ instead:
# the VM lane runs that one.
# Prints the log; exits non-zero if a build fails.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

# build_one KDIR OUTDIR [KBUILD ARGS]: kbuild builds in the module's
# directory, so each kernel gets its own copy of kmod/.
build_one() {
	local kdir=$1 out=$2

	shift 2
	mkdir -p "$out"
	cp -a "$repo/kmod/." "$out/"
	make -C "$kdir" M="$out" "$@" modules
}

if [ -n "${KDIR:-}" ]; then
	[ -d "$KDIR" ] || die "KDIR=$KDIR: no such kernel tree"
	build_one "$KDIR" "$repo/build/kmod/custom" "$@"
	exit
fi
outdir=$repo/build/kmod
if [ -n "${VIGIL_TEST_BUILD:-}" ]; then
	outdir=$repo/build/kmod-test
	set -- VIGIL_FAULT_INJECTION=1 "$@"
fi
kernels=${VIGIL_KERNELS:-$(vigil_kernels)}
[ -n "$kernels" ] || die "no supported kernel headers: run 'make deps' or set KDIR="
# A kernel with gcov (the debug kernel) gets a module that records its
# coverage (scripts/coverage.sh reads it).
for kver in $kernels; do
	gcov=
	grep -qx 'CONFIG_GCOV_KERNEL=y' "$(vigil_kdir "$kver")/.config" && gcov=VIGIL_GCOV=1
	build_one "$(vigil_kdir "$kver")" "$outdir/$kver" $gcov "$@"
done
