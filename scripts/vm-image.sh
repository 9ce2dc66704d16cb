#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the VM's initramfs for kernel release $1 into $2: busybox-static,
# the module built for that kernel, the static broker, test and benchmark
# binaries, and tools/testing/vm/init.  Builds what is missing first.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

kver=$1
out=$2
build=$repo/build
stage=$build/vm/$kver/root

"$repo/scripts/build-vm-userspace.sh" >/dev/null
ko=$build/kmod/$kver/vigil.ko
[ -f "$ko" ] || VIGIL_KERNELS=$kver "$repo/scripts/build-modules.sh" >/dev/null
[ -f "$ko" ] || die "no vigil.ko for $kver"
file -L /bin/busybox | grep -q 'statically linked' ||
	die "/bin/busybox is not static: install busybox-static"

rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,vigil/bin,vigil/tests}
cp /bin/busybox "$stage/bin/"
cp "$repo/tools/testing/vm/init" "$stage/init"
cp "$repo/tools/testing/vm/run-tests.sh" "$repo/tools/testing/vm/demo.sh" \
	"$repo/tools/testing/vm/bench.sh" "$stage/vigil/"
cp "$ko" "$stage/vigil/"
cp "$build/ubroker/static/vigild" "$build/ubroker/static/vigild-abi2" \
	"$build/bench/vigil_bench" "$build/bench/vigil_auth_bench" \
	"$build/selftests/vigil_child" "$stage/vigil/bin/"
cp -a "$build/selftests/." "$stage/vigil/tests/"
(cd "$stage" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$out"
