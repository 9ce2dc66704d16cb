#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packaging lane (make pkgtest; make check runs it).  On the host:
# build the Debian packages (lintian: no errors); DKMS builds the module
# for each supported kernel; a kernel outside the range is refused with
# a message; vigild.service's systemd-analyze security score; make
# install and make uninstall.  Then the real thing: a bookworm root
# (debootstrap, cached) with the VM's kernel and its headers, where the
# packages are installed (DKMS builds the module there), booted under
# QEMU with systemd as init, rebooted once; tools/testing/pkgtest/
# guest-check.sh checks each boot.
# Writes "PASSED FAILED" to $1 if given; exits non-zero on a failure.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

result=${1:-}
out=$repo/build/pkgtest
log=$out/pkgtest.log
version=$(vigil_version)
# The VM's kernel: the newest supported one; the other is the test
# system's kernel update.
kver=$(vigil_kernels | tail -n 1)
update_kver=$(vigil_kernels | head -n 1)
passed=0
failed=0

rm -rf "$out"
mkdir -p "$out"
: >"$log"

check() {
	local what=$1

	shift
	echo "# $what" >>"$log"
	if "$@" >>"$log" 2>&1; then
		echo "ok - $what"
		passed=$((passed + 1))
	else
		echo "not ok - $what (log: $log)"
		failed=$((failed + 1))
	fi
}

finish() {
	echo "pkgtest: $passed passed, $failed failed"
	[ -n "$result" ] && echo "$passed $failed" >"$result"
	[ "$failed" -eq 0 ]
	exit
}

packages_build() { "$repo/scripts/deb.sh"; }

# The .deb files but the debug symbols.
debs() { ls "$repo"/build/deb/*.deb | grep -v -- -dbgsym_; }

four_packages() {
	local p

	for p in vigil-dkms_"$version"_all vigil_"$version"_amd64 \
		libvigil1_"$version"_amd64 libvigil-dev_"$version"_amd64; do
		[ -f "$repo/build/deb/$p.deb" ] || { echo "missing $p.deb"; return 1; }
	done
}

# DKMS with a tree of its own, so that the host's DKMS is left alone, and
# the headers deps.sh unpacked (the host has none installed).
dkms_builds() {
	local k=$1 tree=$out/dkms ko

	if [ ! -d "$tree/vigil/$version" ]; then
		mkdir -p "$tree"
		DESTDIR=$out/dkms-src "$repo/scripts/install.sh" dkms-source &&
		dkms add -m vigil -v "$version" --dkmstree "$tree" \
			--sourcetree "$out/dkms-src/usr/src" || return 1
	fi
	dkms build -m vigil -v "$version" -k "$k" --dkmstree "$tree" \
		--sourcetree "$out/dkms-src/usr/src" \
		--kernelsourcedir "$(vigil_kdir "$k")" || return 1
	# vigil.ko, or vigil.ko.xz where the kernel compresses its modules.
	ko=$(compgen -G "$tree/vigil/$version/$k/x86_64/module/vigil.ko*" | head -n 1)
	[ -n "$ko" ] || { echo "dkms build left no vigil.ko for $k"; return 1; }
	modinfo -F vermagic "$ko" | tee /dev/stderr | grep "^$k " >/dev/null
}

# kmod/kernel-range.mk as kbuild includes it, with other kernels' numbers.
range_refuses() {
	local v msg

	for v in "5 15" "6 0" "6 13" "7 0"; do
		set -- $v
		if msg=$(make -s -f "$repo/kmod/kernel-range.mk" VERSION=$1 PATCHLEVEL=$2 \
			KERNELRELEASE="$1.$2.0-test" 2>&1); then
			echo "Linux $1.$2 was accepted"
			return 1
		fi
		echo "$msg"
		echo "$msg" | grep -q "vigil supports Linux 6.1 to 6.12; this kernel is $1.$2" || return 1
	done
}

# Past the check, make finds nothing else to do in the fragment.
range_accepts() {
	local v msg

	for v in "6 1" "6 6" "6 12"; do
		set -- $v
		msg=$(make -s -f "$repo/kmod/kernel-range.mk" VERSION=$1 PATCHLEVEL=$2 2>&1)
		echo "$1.$2: $msg"
		case $msg in
		*"vigil supports"*) return 1 ;;
		*"No targets"*) ;;
		*) return 1 ;;
		esac
	done
}

# "OK" or better: SAFE or OK.  The unit as the package ships it.
security_score() {
	local dir=$out/unit line

	mkdir -p "$dir"
	dpkg-deb -x "$repo/build/deb/vigil_${version}_amd64.deb" "$dir"
	line=$(cd "$dir/lib/systemd/system" &&
		systemd-analyze security --offline=yes --no-pager ./vigild.service |
		grep 'Overall exposure level')
	echo "$line" | tee "$out/security-score"
	echo "$line" | grep -Eq ' (SAFE|OK) '
}

# make install into a staging directory, then make uninstall: nothing of
# vigil's stays.
install_uninstall() {
	local dest=$out/destdir left

	[ -n "$(ls "$repo"/build/kmod/*/vigil.ko 2>/dev/null)" ] ||
		"$repo/scripts/build-modules.sh" >/dev/null || return 1
	DESTDIR=$dest "$repo/scripts/install.sh" install || return 1
	for f in /usr/local/sbin/vigild /usr/local/sbin/vigilctl \
		/usr/local/lib/libvigil.so.1 /usr/local/include/vigil/vigil.h \
		/usr/local/lib/systemd/system/vigild.service \
		/etc/udev/rules.d/60-vigil.rules /usr/local/lib/sysusers.d/vigil.conf \
		"/lib/modules/$kver/updates/vigil.ko"; do
		[ -e "$dest$f" ] || [ -L "$dest$f" ] || { echo "make install left out $f"; return 1; }
	done
	grep -q '^ExecStart=/usr/local/sbin/vigild ' "$dest/usr/local/lib/systemd/system/vigild.service" ||
		{ echo "vigild.service does not run /usr/local/sbin/vigild"; return 1; }
	grep -qx 'libdir=/usr/local/lib' "$dest/usr/local/lib/pkgconfig/vigil.pc" ||
		{ echo "vigil.pc does not say /usr/local/lib"; return 1; }
	DESTDIR=$dest "$repo/scripts/install.sh" uninstall || return 1
	left=$(find "$dest" ! -type d)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

note "packages"
check "dpkg-buildpackage builds the packages offline; lintian finds no error" packages_build
check "the four packages are there: vigil-dkms, vigil, libvigil1, libvigil-dev" four_packages
note "DKMS and the supported kernels"
for k in $(vigil_kernels); do
	check "dkms build on the host for $k" dkms_builds "$k"
done
check "a kernel outside 6.1-6.12 stops the build with a message" range_refuses
check "kernels inside 6.1-6.12 pass the range check" range_accepts
check "systemd-analyze security rates vigild.service OK or better" security_score
check "make install (DESTDIR) puts every file in place; make uninstall removes them" \
	install_uninstall
[ "$failed" -eq 0 ] || finish

note "a bookworm system with the packages installed, booted with systemd"
image=0
"$repo/scripts/pkgtest-image.sh" "$kver" "$update_kver" "$out/image" $(debs) \
	3>"$out/image.tap" >"$out/image.log" 2>&1 || image=$?
cat "$out/image.tap"
read -r p f < <(awk '/^ok /{p++} /^not ok /{f++} END{print p+0, f+0}' "$out/image.tap")
passed=$((passed + p))
failed=$((failed + f))
if [ "$image" -ne 0 ] || [ "$f" -ne 0 ]; then
	tail -30 "$out/image.log"
	echo "not ok - the test system is built (log: $out/image.log)"
	failed=$((failed + 1))
	finish
fi

boot=0
"$repo/tools/testing/vm/run.sh" --kernel "$out/image/vmlinuz" \
	--initramfs "$out/image/initrd.img" --disk "$out/image/disk.img" --reboot \
	--out "$out/vm" --timeout 1200 --append "root=/dev/vda rw" || boot=$?
read -r p f < <(awk '/^ok /{p++} /^not ok /{f++} END{print p+0, f+0}' "$out/vm/results.log")
grep -v '^VIGIL-VM-DONE' "$out/vm/results.log"
# Two boots, each making every check of guest-check.sh.
want=$((2 * $(grep -c '^check "' "$repo/tools/testing/pkgtest/guest-check.sh")))
[ $((p + f)) -eq "$want" ] || { echo "not ok - $((want - p - f)) boot checks did not run"; f=$((f + want - p - f)); }
[ "$boot" -eq 0 ] || { echo "not ok - the VM did not finish (console: $out/vm/console.log)"; f=$((f + 1)); }
passed=$((passed + p))
failed=$((failed + f))
finish
