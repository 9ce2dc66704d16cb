#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what vigil's build, tests and demo need, from Debian's archive,
# idempotently: packages only when missing.  Debian's own 6.1 and 6.12
# kernels are never installed on the host: their headers (to build the
# module against) and their images (the -unsigned packages, for the VM)
# are unpacked into $VIGIL_CACHE.  Installing linux-headers-6.12-amd64
# would pull in the signed linux-image-6.12 package, which lands in the
# host's /boot and becomes its default kernel at the next reboot.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

packages=(
	build-essential bc bison flex kmod libelf-dev libssl-dev
	gcc-12				# what Debian's 6.1 and 6.12 are built with
	sparse
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
	spin				# the model checks (tools/testing/models/)
	lcov				# the shim's coverage (scripts/coverage.sh)
	trinity				# the syscall fuzzer, in the debug VM
)

# deps.sh --list: the packages it installs, one per line (hostboot.sh).
if [ "${1:-}" = --list ]; then
	printf '%s\n' "${packages[@]}"
	exit
fi

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

# The kernel releases that Debian 12's header metapackages point at: 6.1
# and 6.12, in that order.
kernel_metas=(linux-headers-amd64 linux-headers-6.12-amd64)

resolve_kernels() {
	local meta kver

	for meta in "${kernel_metas[@]}"; do
		kver=$(apt-cache show --no-all-versions "$meta" 2>/dev/null |
			sed -n 's/^Depends: linux-headers-\([^ ,]*\).*/\1/p')
		[ -n "$kver" ] || return 1
		echo "$kver"
	done
}

# The headers of $1, and the packages they need to build a module (their
# -common part, linux-kbuild): downloaded and unpacked into
# $VIGIL_HEADERS, whose flavour Makefile is pointed at the unpacked
# -common tree instead of /usr/src.
fetch_headers() {
	local kver=$1 tmp deb
	local kdir=$VIGIL_HEADERS/usr/src/linux-headers-$1
	local -a pkgs

	[ -f "$kdir/.complete" ] && return
	note "fetching the headers of $kver (unpacked into $VIGIL_HEADERS, not installed)"
	mapfile -t pkgs < <(apt-cache show --no-all-versions "linux-headers-$kver" |
		sed -n 's/^Depends: //p' | tr ',' '\n' |
		sed -n 's/^ *\(linux-\(headers\|kbuild\)-[^ ]*\).*/\1/p')
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -q "linux-headers-$kver" "${pkgs[@]}" 2>&1 |
		grep -v '^W: Download is performed unsandboxed' || true)
	[ "$(ls "$tmp"/*.deb 2>/dev/null | wc -l)" -eq $((${#pkgs[@]} + 1)) ] ||
		die "cannot download linux-headers-$kver ${pkgs[*]}"
	mkdir -p "$VIGIL_HEADERS"
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$VIGIL_HEADERS"
	done
	rm -rf "$tmp"
	sed -i "s|^include /usr/src/|include $VIGIL_HEADERS/usr/src/|" "$kdir/Makefile"
	grep -q "^include $VIGIL_HEADERS/" "$kdir/Makefile" ||
		die "$kdir/Makefile: unexpected contents"
	touch "$kdir/.complete"
}

install_packages
mapfile -t kernels < <(resolve_kernels)
if [ "${#kernels[@]}" -ne "${#kernel_metas[@]}" ]; then
	as_root apt-get update -q	# no package lists yet
	mapfile -t kernels < <(resolve_kernels)
	[ "${#kernels[@]}" -eq "${#kernel_metas[@]}" ] ||
		die "cannot find ${kernel_metas[*]} in Debian's archive"
fi
for kver in "${kernels[@]}"; do
	fetch_headers "$kver"
	fetch_kernel "$kver"
done
printf '%s\n' "${kernels[@]}" >"$VIGIL_HEADERS/kernels"
note "dependencies ready: kernels ${kernels[*]}"
