#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot Debian's kernel under QEMU with the shim, start vigild,
# run a few commands and show the events they produced.  The module cannot
# be loaded into this machine's own kernel, so the VM is the machine.
# VIGIL_DEMO_KERNEL picks the kernel release (default: the newest).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

"$repo/scripts/deps.sh"
kver=${VIGIL_DEMO_KERNEL:-$(vigil_kernels | tail -n 1)}
dir=$repo/build/vm/$kver
mkdir -p "$dir"
note "building the shim for $kver, vigild and the VM image"
"$repo/scripts/vm-image.sh" "$kver" "$dir/demo.cpio.gz" release
note "booting Linux $kver under QEMU (software emulation, about 10 s)"
"$repo/tools/testing/vm/run.sh" --kernel "$VIGIL_CACHE/kernels/$kver/vmlinuz" \
	--initramfs "$dir/demo.cpio.gz" --mode demo --out "$dir/demo" --timeout 300
