#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boot each supported kernel (or those given) in QEMU and run
# the benchmarks there (VIGIL_BENCH=proc, auth or catalogue for one of
# them); print their tables.  Figures within one table come from one boot; compare
# ratios, not absolute numbers, which depend on the host and on software
# emulation.  VIGIL_BENCH_ICOUNT=1 ties the guest's clock to instructions;
# VIGIL_BENCH_MTTCG=1 gives each vCPU a host thread (see run.sh).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

for kver in ${*:-$(vigil_kernels)}; do
	dir=$repo/build/vm/$kver
	mkdir -p "$dir"
	"$repo/scripts/vm-image.sh" "$kver" "$dir/bench.cpio.gz" release
	note "benchmark on $kver"
	"$repo/tools/testing/vm/run.sh" --kernel "$VIGIL_CACHE/kernels/$kver/vmlinuz" \
		--initramfs "$dir/bench.cpio.gz" --mode bench --out "$dir/bench" \
		--timeout 1800 ${VIGIL_BENCH_ICOUNT:+--icount} \
		${VIGIL_BENCH_MTTCG:+--mttcg} \
		--append "vigil_bench=${VIGIL_BENCH:-all}"
	if [ -n "${VIGIL_BENCH_ICOUNT:-}" ]; then
		echo "Linux $kver, QEMU TCG with -icount, 1 vCPU"
	elif [ -n "${VIGIL_BENCH_MTTCG:-}" ]; then
		echo "Linux $kver, QEMU TCG, 2 vCPUs, a host thread each"
	else
		echo "Linux $kver, QEMU TCG, 2 vCPUs in one host thread"
	fi
	grep -v '^VIGIL-VM-DONE' "$dir/bench/results.log"
done
