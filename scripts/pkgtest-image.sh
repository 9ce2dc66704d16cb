#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packaging lane's test system:
#   pkgtest-image.sh KVER UPDATE_KVER OUTDIR DEB...
#
# A bookworm root from debootstrap, with systemd, DKMS and Debian's kernel
# KVER and its headers, cached in $VIGIL_CACHE/pkgtest/ (the first build
# downloads about 300 MB and takes some minutes).  Each run copies it,
# installs the packages with dpkg as a user would (vigil-dkms's postinst
# has DKMS build the module for KVER, in the root), then installs the
# headers of UPDATE_KVER as a kernel update would (DKMS's kernel hook must
# build the module for it too), adds the test's own unit, and writes
# OUTDIR/disk.img (ext4, for /dev/vda), and the kernel and initramfs to
# boot it with; then purges the packages from the root and checks nothing
# is left.  One TAP line per check goes to descriptor 3.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

kver=$1 update=$2 dest=$3
shift 3
# Bump when the recipe below changes, so that the cache is rebuilt.
recipe=2
cache=$VIGIL_CACHE/pkgtest/bookworm-$kver-r$recipe
root=$dest/root
mounted=()

# The Debian mirror this machine uses (the root's sources are the host's).
mirror() {
	local m

	m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		sed -n 's/^\(URIs:\|deb\)[[:space:]]\+\(\[[^]]*\][[:space:]]*\)\{0,1\}\(https\{0,1\}:[^ ]*\/debian\/\{0,1\}\)\([[:space:]].*\)\{0,1\}$/\3/p' |
		head -n 1)
	echo "${m:-http://deb.debian.org/debian}"
}

mount_chroot() {
	local r=$1

	mount -t proc proc "$r/proc" && mounted+=("$r/proc")
	mount -t sysfs sys "$r/sys" && mounted+=("$r/sys")
	mount --bind /dev "$r/dev" && mounted+=("$r/dev")
	mount -t tmpfs tmp "$r/tmp" && mounted+=("$r/tmp")
}

umount_chroot() {
	local i

	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount "${mounted[i]}" || umount -l "${mounted[i]}" || true
	done
	mounted=()
}
trap umount_chroot EXIT

in_root() { chroot "$1" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "${@:2}"; }

# The root a user would have: systemd, udev, DKMS, the kernel, its headers.
build_cache() {
	local tmp=$cache.tmp

	note "debootstrap bookworm (once; cached in $cache)"
	rm -rf "$VIGIL_CACHE/pkgtest/bookworm-$kver-r"*	# older recipes
	mkdir -p "$tmp"
	debootstrap --variant=minbase \
		--include=systemd,systemd-sysv,udev,dbus,kmod,procps,adduser,dkms,initramfs-tools \
		bookworm "$tmp" "$(mirror)"
	rm -f "$tmp/etc/apt/sources.list"	# the host's say the same, and more
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && cp "$f" "$tmp$f"
	done
	cp /etc/resolv.conf "$tmp/etc/resolv.conf"
	# An initramfs that mounts a virtio disk, without guessing (MODULES=dep
	# cannot, in a chroot).
	printf 'MODULES=list\n' >"$tmp/etc/initramfs-tools/conf.d/vigil-pkgtest"
	printf 'virtio_pci\nvirtio_blk\next4\n' >>"$tmp/etc/initramfs-tools/modules"
	mount_chroot "$tmp"
	in_root "$tmp" apt-get update -q
	in_root "$tmp" apt-get install -y -q --no-install-recommends \
		"linux-image-$kver" "linux-headers-$kver"
	in_root "$tmp" apt-get clean
	# The kernel update's headers, downloaded now, installed by each run.
	in_root "$tmp" apt-get install -d -y -q --no-install-recommends "linux-headers-$update"
	umount_chroot
	echo "/dev/vda / ext4 rw 0 1" >"$tmp/etc/fstab"
	echo vigil-pkgtest >"$tmp/etc/hostname"
	rm -f "$tmp/etc/resolv.conf"
	rm -rf "$cache"
	mv "$tmp" "$cache"
}

tap() {
	if "${@:2}"; then echo "ok - $1" >&3; else echo "not ok - $1" >&3; fi
}

# DKMS compresses it as the kernel's own modules are (vigil.ko.xz).
module_built() {
	compgen -G "$root/lib/modules/$1/updates/dkms/vigil.ko*" &&
		in_root "$root" dkms status vigil -k "$1" | grep ': installed'
}

dpkg_install() { in_root "$root" sh -c 'dpkg -i /var/cache/vigil-debs/*.deb'; }
kernel_update() {
	in_root "$root" apt-get install -y -q --no-download --no-install-recommends \
		"linux-headers-$update"
}

install_packages() {
	local deb

	mkdir -p "$root/var/cache/vigil-debs"
	for deb in "$@"; do cp "$deb" "$root/var/cache/vigil-debs/"; done
	mount_chroot "$root"
	tap "dpkg -i installs the packages in a bookworm system" dpkg_install
	tap "vigil-dkms's install has DKMS build vigil.ko for $kver" module_built "$kver"
	tap "a kernel update (linux-headers-$update) installs" kernel_update
	tap "DKMS's kernel hook builds vigil.ko for $update" module_built "$update"
	in_root "$root" dkms status vigil
	umount_chroot
	rm -rf "$root/var/cache/vigil-debs"
}

# dpkg --purge of the four packages leaves no module, source, unit, rule
# or configuration of vigil's, and DKMS knows no vigil.
purge_packages() {
	mount_chroot "$root"
	tap "dpkg --purge removes the packages" \
		in_root "$root" dpkg --purge vigil libvigil-dev libvigil1 vigil-dkms
	tap "nothing of vigil's is left behind" nothing_left
	umount_chroot
}

nothing_left() {
	local left

	left=$(cd "$root" && ls -d lib/modules/*/updates/dkms/vigil.ko* usr/src/vigil-* \
		var/lib/dkms/vigil lib/systemd/system/vigil* lib/udev/rules.d/60-vigil.rules \
		etc/vigil usr/sbin/vigild usr/include/vigil \
		etc/systemd/system/*/vigil-load.service etc/systemd/system/*/vigil-bless.timer \
		2>/dev/null)
	[ -z "$left" ] || { echo "left after purge: $left"; return 1; }
	[ -z "$(in_root "$root" dkms status vigil)" ]
}

add_test_unit() {
	install -m 0755 "$repo/tools/testing/pkgtest/guest-check.sh" "$root/usr/local/sbin/vigil-pkgtest"
	install -m 0644 "$repo/tools/testing/pkgtest/vigil-pkgtest.service" \
		"$root/etc/systemd/system/vigil-pkgtest.service"
	ln -sf /etc/systemd/system/vigil-pkgtest.service \
		"$root/etc/systemd/system/multi-user.target.wants/vigil-pkgtest.service"
	# No login prompts on the consoles the test writes to.
	ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
	ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS1.service"
}

make_disk() {
	local mb

	mb=$(($(du -sm "$root" | cut -f1) * 5 / 4 + 256))
	rm -f "$dest/disk.img"
	mkfs.ext4 -q -L root -d "$root" "$dest/disk.img" "${mb}M"
	cp "$root/boot/vmlinuz-$kver" "$dest/vmlinuz"
	cp "$root/boot/initrd.img-$kver" "$dest/initrd.img"
}

[ -f "$cache/boot/initrd.img-$kver" ] || build_cache
rm -rf "$dest"
mkdir -p "$dest"
note "the test system: a copy of $cache"
cp -a "$cache" "$root"
install_packages "$@"
add_test_unit
make_disk
# The disk is made: the root can now show that removal is clean too.
purge_packages
rm -rf "$root"
note "the test system is in $dest/disk.img"
