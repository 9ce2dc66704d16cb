#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel: Debian's linux-source-6.12 built with the kernel's
# checkers (KASAN, lockdep, kmemleak, debug objects and lists, fault
# injection, gcov), from x86_64_defconfig, kernel/configs/kvm_guest.config
# and tools/testing/debug-kernel/vigil-debug.config, once per source
# version and configuration: the build lives in
# $VIGIL_CACHE/debug-kernel/KEY/, KEY a hash of all three and the
# source's version.
#
# Then it is one more kernel of the VM lanes, as Debian's are: its image,
# configuration and (built-in) module list in $VIGIL_CACHE/kernels/RELEASE/,
# its build tree as $(vigil_kdir RELEASE).  Prints RELEASE
# (6.12.N-vigil-debug).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

src=$("$repo/scripts/kernel-source.sh")
fragment=$repo/tools/testing/debug-kernel/vigil-debug.config
defconfig=$src/arch/x86/configs/x86_64_defconfig
guest=$src/kernel/configs/kvm_guest.config
key=$(cat "$src/.vigil-source-version" "$defconfig" "$guest" "$fragment" |
	sha256sum | cut -c1-12)
out=$VIGIL_CACHE/debug-kernel/$key
log=$out/build.log

# Every option the fragment sets must have stuck: Kconfig drops what a
# dependency rules out, silently.
options_missing() {
	local line

	grep -E '^CONFIG_[A-Z0-9_]+=' "$fragment" | while read -r line; do
		grep -qxF "$line" "$out/.config" || echo "$line"
	done
	sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' "$fragment" |
		while read -r line; do
			! grep -q "^$line=" "$out/.config" || echo "# $line is not set"
		done
}

configure() {
	make -C "$src" O="$out" x86_64_defconfig
	(cd "$src" && scripts/kconfig/merge_config.sh -m -O "$out" \
		"$out/.config" "$guest" "$fragment")
	make -C "$src" O="$out" olddefconfig
}

build() {
	local missing

	mkdir -p "$out"
	note "building the debug kernel $key (about 20 minutes on two cores; log: $log)"
	vigil_link_kmod "$src"
	configure >"$log" 2>&1 || { tail -n 40 "$log"; die "the debug kernel's configuration failed"; }
	missing=$(options_missing)
	[ -z "$missing" ] || die "the debug kernel's configuration lost: $missing"
	make -C "$src" O="$out" -j"$(nproc)" >>"$log" 2>&1 ||
		{ tail -n 40 "$log"; die "the debug kernel did not build (log: $log)"; }
	touch "$out/.complete"
	# Builds of older configurations or sources: 900 MB each.
	find "$VIGIL_CACHE/debug-kernel" -mindepth 1 -maxdepth 1 -type d ! -name "$key" \
		-exec rm -rf {} +
}

# The layout scripts/deps.sh gives Debian's kernels: its modules (minix,
# for the catalogue test) under modules/kernel/.
install_as_vm_kernel() {
	local release=$1 dir=$VIGIL_CACHE/kernels/$1 stage

	stage=$(mktemp -d)
	make -C "$src" O="$out" INSTALL_MOD_PATH="$stage" INSTALL_MOD_STRIP=1 \
		modules_install >>"$log" 2>&1 ||
		{ rm -rf "$stage"; die "the debug kernel's modules did not install (log: $log)"; }
	rm -rf "$dir"
	mkdir -p "$dir/modules" "$VIGIL_HEADERS/usr/src"
	cp -r "$stage/lib/modules/$release/kernel" "$dir/modules/"
	rm -rf "$stage"
	cp "$out/arch/x86/boot/bzImage" "$dir/vmlinuz"
	cp "$out/.config" "$dir/config"
	cp "$out/modules.builtin" "$dir/modules/"
	touch "$dir/modules/.complete"
	ln -sfn "$out" "$(vigil_kdir "$release")"
}

[ -f "$out/.complete" ] || build
release=$(cat "$out/include/config/kernel.release")
install_as_vm_kernel "$release"
echo "$release"
