#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install / uninstall / dkms-install, and the file sets the Debian
# packaging takes from here.
#
#   install.sh install        vigild, vigilctl, libvigil, the systemd units,
#                             the udev rule, the sysusers entry, and vigil.ko
#                             for each kernel built in build/kmod/
#   install.sh uninstall      remove what install put in place (its manifest)
#                             and vigil's DKMS registration, if any
#   install.sh dkms-source    the module's source, as DKMS takes it, in
#                             $DESTDIR/usr/src/vigil-VERSION
#   install.sh dkms-install   dkms-source, then DKMS builds and installs it
#                             for every installed kernel that has headers
#   install.sh system-files   only the units, udev rule, sysusers entry and
#                             /etc/vigil/ (never over files already there)
#
# DESTDIR= stages into a directory (and then nothing is run on the system);
# PREFIX= (default /usr/local), LIBDIR=, UNITDIR=, UDEVRULESDIR=,
# SYSUSERSDIR= choose where.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
LIBDIR=${LIBDIR:-$PREFIX/lib}
UNITDIR=${UNITDIR:-$PREFIX/lib/systemd/system}
SYSUSERSDIR=${SYSUSERSDIR:-$PREFIX/lib/sysusers.d}
# udev reads neither /usr/local nor a prefix of our choosing.
if [ "$PREFIX" = /usr ]; then
	UDEVRULESDIR=${UDEVRULESDIR:-/usr/lib/udev/rules.d}
else
	UDEVRULESDIR=${UDEVRULESDIR:-/etc/udev/rules.d}
fi
MANIFEST=$PREFIX/share/vigil/installed-files
VERSION=$(vigil_version)

# Install one file and note it in the manifest: install_file MODE SRC DEST.
install_file() {
	install -D -m "$1" "$2" "$DESTDIR$3"
	echo "$3" >>"$manifest_tmp"
}

system_files() {
	local unit

	for unit in "$repo"/packaging/systemd/*; do
		local name=${unit##*/}

		name=${name%.in}
		sed "s|@SBINDIR@|$PREFIX/sbin|g" "$unit" >"$stage/$name"
		install_file 0644 "$stage/$name" "$UNITDIR/$name"
	done
	install_file 0644 "$repo/packaging/udev/60-vigil.rules" "$UDEVRULESDIR/60-vigil.rules"
	install_file 0644 "$repo/packaging/sysusers/vigil.conf" "$SYSUSERSDIR/vigil.conf"
	config_file vigild.conf
	config_file clients.allow
}

# The broker's configuration, where vigild reads it; never over an
# administrator's own.
config_file() {
	if [ -e "$DESTDIR/etc/vigil/$1" ]; then
		note "/etc/vigil/$1 is there already: left as it is"
		return
	fi
	install_file 0644 "$repo/packaging/etc/$1" "/etc/vigil/$1"
}

# ubroker's make install, into a staging directory: every file it put
# there goes into the manifest.
userspace() {
	local f

	make -s -C "$repo/ubroker" install DESTDIR="$stage/root" PREFIX="$PREFIX" \
		LIBDIR="$LIBDIR" >/dev/null
	(cd "$stage/root" && find . ! -type d | sed 's|^\.||' | sort) >"$stage/files"
	mkdir -p "$DESTDIR/"
	cp -a "$stage/root/." "$DESTDIR/"
	cat "$stage/files" >>"$manifest_tmp"
}

# vigil.ko for each kernel built in build/kmod/, where depmod looks first.
modules() {
	local ko kver

	for ko in "$repo"/build/kmod/*/vigil.ko; do
		[ -e "$ko" ] || die "no vigil.ko built: run 'make modules' first"
		kver=$(basename "$(dirname "$ko")")
		[ "$kver" = custom ] && continue
		install_file 0644 "$ko" "/lib/modules/$kver/updates/vigil.ko"
		if [ -z "$DESTDIR" ]; then depmod "$kver"; fi
	done
}

# What a running system needs told, when this is not a staging install.
activate() {
	[ -n "$DESTDIR" ] && return
	if command -v systemd-sysusers >/dev/null; then
		systemd-sysusers "$SYSUSERSDIR/vigil.conf"
	elif ! getent passwd vigil >/dev/null; then
		adduser --system --group --no-create-home --home /nonexistent vigil
	fi
	if command -v udevadm >/dev/null; then
		udevadm control --reload || note "udev did not reload its rules"
	fi
	if [ -d /run/systemd/system ]; then
		systemctl daemon-reload
		systemctl enable vigil-load.service vigil-bless.timer
	fi
}

do_install() {
	manifest_tmp=$stage/manifest
	: >"$manifest_tmp"
	case $1 in
	install) userspace; system_files; modules ;;
	system-files) system_files ;;
	esac
	echo "$MANIFEST" >>"$manifest_tmp"
	install -D -m 0644 "$manifest_tmp" "$DESTDIR$MANIFEST"
	activate
	note "installed $(wc -l <"$manifest_tmp") files; 'make uninstall' removes them"
}

do_uninstall() {
	local f dir

	[ -f "$DESTDIR$MANIFEST" ] || die "nothing to uninstall: $DESTDIR$MANIFEST is missing"
	while read -r f; do
		rm -f "$DESTDIR$f"
		dir=$(dirname "$DESTDIR$f")
		# The directories only vigil uses go with their last file.
		case $f in
		*/include/vigil/* | */share/vigil/* | /etc/vigil/*)
			rmdir -p --ignore-fail-on-non-empty "$dir" ;;
		esac
	done <"$DESTDIR$MANIFEST"
	if [ -z "$DESTDIR" ]; then
		for dir in /lib/modules/*/; do depmod "$(basename "$dir")" 2>/dev/null || true; done
		[ -d /run/systemd/system ] && systemctl daemon-reload
		dkms_remove
	fi
	note "uninstalled"
}

# The module's source as DKMS builds it: dkms.conf, Kbuild and kmod/.
dkms_source() {
	local dest=$DESTDIR/usr/src/vigil-$VERSION

	rm -rf "$dest"
	mkdir -p "$dest"
	cp "$repo/dkms.conf" "$repo/Kbuild" "$dest/"
	cp -a "$repo/kmod" "$dest/"
	find "$dest/kmod" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
		-o -name Module.symvers -o -name modules.order -o -name .kunitconfig -o -name ABI \) -delete
	echo "$dest"
}

dkms_remove() {
	command -v dkms >/dev/null || return 0
	if dkms status -m vigil -v "$VERSION" | grep . >/dev/null; then
		dkms remove -m vigil -v "$VERSION" --all
	fi
	rm -rf "/usr/src/vigil-$VERSION"
}

# Every kernel with headers gets the module; one that fails is reported
# and the others still get theirs.
dkms_install() {
	local kdir kver failed=0

	[ -z "$DESTDIR" ] || die "dkms-install registers with this system's DKMS: no DESTDIR"
	command -v dkms >/dev/null || die "dkms is not installed (apt-get install dkms)"
	dkms_remove
	dkms_source >/dev/null
	dkms add -m vigil -v "$VERSION"
	for kdir in /lib/modules/*/; do
		kver=$(basename "$kdir")
		[ -e "$kdir/build/Makefile" ] || { note "$kver: no headers, skipped"; continue; }
		dkms install -m vigil -v "$VERSION" -k "$kver" || failed=1
	done
	return $failed
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
case ${1:-} in
install | system-files) do_install "$1" ;;
uninstall) do_uninstall ;;
dkms-source) dkms_source ;;
dkms-install) dkms_install ;;
*) die "usage: install.sh install|uninstall|system-files|dkms-source|dkms-install" ;;
esac
