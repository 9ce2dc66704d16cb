#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the VM's initramfs for kernel release $1 into $2: busybox-static,
# the module for that kernel, the static broker, vigilctl and the SDK's
# examples, test and benchmark binaries, and tools/testing/vm/init.  The module is the test
# build (with fault injection), or with $3 = release the build that ships:
# the demo and the benchmarks use that one.  Builds what is missing first.
# VIGIL_TESTS, if set, names the only selftests the VM runs.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

kver=$1
out=$2
flavour=${3:-test}
build=$repo/build
stage=$build/vm/$kver/root

mkdir -p "$build/vm"
"$repo/scripts/build-vm-userspace.sh" >/dev/null
case $flavour in
test) ko=$build/kmod-test/$kver/vigil.ko test_build=1 ;;
release) ko=$build/kmod/$kver/vigil.ko test_build= ;;
*) die "vm-image.sh: unknown flavour $flavour" ;;
esac
VIGIL_TEST_BUILD=$test_build VIGIL_KERNELS=$kver "$repo/scripts/build-modules.sh" \
	>"$build/vm/$kver-$flavour.build.log" 2>&1 ||
	{ cat "$build/vm/$kver-$flavour.build.log"; die "vigil.ko did not build for $kver"; }
[ -f "$ko" ] || die "no vigil.ko for $kver"
file -L /bin/busybox | grep -q 'statically linked' ||
	die "/bin/busybox is not static: install busybox-static"

rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,etc,proc,sys,tmp,vigil/bin,vigil/tests}
cp /bin/busybox "$stage/bin/"
# The vigil user, and mdev's rule giving it /dev/vigil (udev's, for mdev).
cp "$repo"/tools/testing/vm/etc/{passwd,group,mdev.conf} "$stage/etc/"
cp "$repo/tools/testing/vm/init" "$stage/init"
cp "$repo/tools/testing/vm/run-tests.sh" "$repo/tools/testing/vm/demo.sh" \
	"$repo/tools/testing/vm/bench.sh" "$repo/tools/testing/vm/bootguard.sh" \
	"$repo/tools/testing/vm/attack.sh" "$stage/vigil/"
cp "$ko" "$stage/vigil/"
# What the boot-guard test needs for its persistent disk.
"$repo/scripts/vm-kmods.sh" "$kver" "$stage/vigil/kmods" virtio_pci virtio_blk minix
cp "$build/ubroker/static/vigild" "$build/ubroker/static/vigild-abi2" \
	"$build/ubroker/static/vigilctl" "$build/ubroker/static/vigil-log" \
	"$build/ubroker/static/vigil-exec-guard" \
	"$build/bench/vigil_bench" "$build/bench/vigil_auth_bench" \
	"$build/bench/vigil_catalogue_bench" \
	"$build/selftests/vigil_child" "$build/selftests/vigil_attack" \
	"$stage/vigil/bin/"
cp -a "$build/selftests/." "$stage/vigil/tests/"
# trinity (trinity_test.sh, on the debug kernel), with the C library it
# is linked with: the one dynamic program in the image.
cp /usr/bin/trinity "$stage/vigil/bin/"
for lib in $(ldd /usr/bin/trinity | grep -o '/[^ ]*'); do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done
# A developer's shortcut: VIGIL_TESTS="auth_test mmap_test" runs only those.
if [ -n "${VIGIL_TESTS:-}" ]; then
	printf '%s\n' $VIGIL_TESTS >"$stage/vigil/tests/tests.list"
	: >"$stage/vigil/tests/debug-tests.list"
fi
(cd "$stage" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$out"
