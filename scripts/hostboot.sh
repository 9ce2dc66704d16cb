#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host's boot is not make check's to change: no kernel image goes
# into /boot, and no kernel image package is installed or removed
# (scripts/deps.sh unpacks Debian's kernels into the cache instead), nor
# could be: no package deps.sh installs depends on one, however deep.
#
#   hostboot.sh --snapshot FILE   note the host's boot state in FILE
#   hostboot.sh RESULT            compare the state now with the snapshot
#                                 ($VIGIL_BOOT_SNAPSHOT, by default
#                                 build/results/boot.before); TAP, and
#                                 "PASSED FAILED" into RESULT
#
# VIGIL_BOOT_DIR names another directory than /boot (to show the check
# fail on a directory that changed, without touching the host's).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
boot=${VIGIL_BOOT_DIR:-/boot}
snapshot=${VIGIL_BOOT_SNAPSHOT:-$repo/build/results/boot.before}

# Every file under /boot (name, type, size, time, link target), then the
# kernel image packages dpkg has installed.
boot_files() {
	find "$boot" -xdev -printf '%P|%y|%s|%T@|%l\n' 2>/dev/null | sort
}

image_packages() {
	dpkg-query -W -f='${db:Status-Abbrev}${Package} ${Version}\n' 'linux-image*' 2>/dev/null |
		sed -n 's/^ii *//p' | sort
}

state() {
	boot_files | sed 's/^/file /'
	image_packages | sed 's/^/package /'
}

if [ "${1:-}" = --snapshot ]; then
	mkdir -p "$(dirname "$2")"
	state >"$2"
	exit
fi
result=${1:?usage: hostboot.sh --snapshot FILE | hostboot.sh RESULT}
passed=0
failed=0
n=0

# check NAME KIND: the lines of KIND ("file", "package") are unchanged.
check() {
	local changes

	n=$((n + 1))
	changes=$(diff <(grep "^$2 " "$snapshot") <(state | grep "^$2 ") || true)
	if [ -z "$changes" ]; then
		echo "ok $n - $1"
		passed=$((passed + 1))
	else
		echo "not ok $n - $1"
		printf '%s\n' "$changes" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

# The dependency closure of deps.sh's packages, as apt would resolve it
# on a fresh machine (recommends are not installed), whatever this one has
# installed already: one package per line.
closure() {
	local -a pkgs

	mapfile -t pkgs < <("$repo/scripts/deps.sh" --list)
	apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "${pkgs[@]}" 2>/dev/null |
		sed -n 's/^\([^ <]\S*\)$/\1/p' | sort -u
}

[ -f "$snapshot" ] || { echo "hostboot.sh: no snapshot $snapshot" >&2; exit 1; }
echo "1..3"
check "$boot is as it was before make check" file
check "no kernel image package was installed or removed" package
n=$((n + 1))
deps=$(closure || true)
images=$(grep '^linux-image-' <<<"$deps" || true)
if [ -n "$images" ] || ! grep -q '^gcc-12$' <<<"$deps"; then
	echo "not ok $n - no package deps.sh installs pulls in a kernel image"
	[ -n "$deps" ] || echo "# apt-cache depends resolved nothing"
	printf '# pulled in: %s\n' $images
	failed=$((failed + 1))
else
	echo "ok $n - no package deps.sh installs pulls in a kernel image"
	passed=$((passed + 1))
fi
echo "$passed $failed" >"$result"
[ "$failed" -eq 0 ]
