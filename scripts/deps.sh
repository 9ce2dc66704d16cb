#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what vigil's build, tests and demo need, from Debian's archive,
# idempotently: packages only when missing, and Debian's own 6.1 and 6.12
# kernel images (the -unsigned packages) unpacked into $VIGIL_CACHE for
# the VM, never installed on the host.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

packages=(
	build-essential bc bison flex kmod libelf-dev libssl-dev
	sparse
	linux-headers-amd64		# Debian 12's 6.1
	linux-headers-6.12-amd64	# Debian 12's 6.12
	linux-source-6.12		# checkpatch, kselftest harness, KUnit
	qemu-system-x86 busybox-static cpio xz-utils
	util-linux			# mkfs.minix, for the boot-guard test's disk
	python3 python3-sphinx	# Documentation/
	libcmocka-dev clang libclang-rt-14-dev
	libseccomp-dev			# vigild's sandbox
	pkg-config			# building against the installed libvigil
	groff-base			# checking the man pages
	debhelper dh-dkms dkms lintian	# the Debian packages (make deb)
	debootstrap e2fsprogs		# the packaging lane's test system
)

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing_packages() {
	local pkg

	for pkg in "${packages[@]}"; do
		dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$pkg"
	done
}

install_packages() {
	local missing

	mapfile -t missing < <(missing_packages)
	[ "${#missing[@]}" -eq 0 ] && return
	note "installing ${missing[*]}"
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The VM boots Debian's own kernel of each version whose headers we build
# against: fetch the -unsigned image package and unpack vmlinuz, and the
# few modules the boot-guard test needs for its persistent disk (virtio
# block and PCI, the minix filesystem) into modules/.
kernel_modules=(
	"kernel/drivers/virtio/*" "kernel/drivers/block/virtio_blk.ko*"
	"kernel/fs/minix/*" modules.builtin
)

fetch_kernel() {
	local kver=$1 dir=$VIGIL_CACHE/kernels/$1 tmp pattern
	local -a members

	[ -s "$dir/vmlinuz" ] && [ -f "$dir/modules/.complete" ] && return
	note "fetching linux-image-$kver-unsigned"
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -q "linux-image-$kver-unsigned" 2>&1 |
		grep -v '^W: Download is performed unsandboxed' || true)
	ls "$tmp"/*.deb >/dev/null 2>&1 || die "cannot download linux-image-$kver-unsigned"
	members=("./boot/vmlinuz-$kver" "./boot/config-$kver")
	for pattern in "${kernel_modules[@]}"; do
		members+=("./lib/modules/$kver/$pattern")
	done
	dpkg-deb --fsys-tarfile "$tmp"/*.deb |
		tar -x -C "$tmp" --wildcards "${members[@]}"
	mkdir -p "$dir"
	mv "$tmp/boot/vmlinuz-$kver" "$dir/vmlinuz"
	mv "$tmp/boot/config-$kver" "$dir/config"
	rm -rf "$dir/modules"
	mv "$tmp/lib/modules/$kver" "$dir/modules"
	touch "$dir/modules/.complete"
	rm -rf "$tmp"
}

install_packages
for kver in $(vigil_kernels); do
	[ -d "/usr/src/linux-headers-$kver" ] || die "headers for $kver are missing"
	fetch_kernel "$kver"
done
note "dependencies ready: kernels $(vigil_kernels | tr '\n' ' ')"
