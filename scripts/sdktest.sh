#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libvigil as a vendor gets it: installed into a scratch root, then an
# example built against that copy alone (pkg-config, shared and static),
# run; the shared library exports exactly what libvigil.map lists, each
# at its version; the header compiles as C++; the man pages render.  Prints
# one TAP line per check.  Run by scripts/unittest.sh after the user-space build.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build/ubroker
root=$repo/build/sdk-root
log=$repo/build/sdktest.log

check() {
	local name=$1 status=0

	shift
	"$@" >>"$log" 2>&1 || status=$?
	if [ "$status" -eq 0 ]; then echo "ok - $name"; else echo "not ok - $name (log: $log)"; fi
}

exports_match_the_map() {
	local so=$build/libvigil/libvigil.so got want

	# Each symbol at the version node that lists it.
	got=$(nm -D --defined-only "$so" | awk '$2 != "A" { print $3 }' | sort)
	want=$(awk '/^VIGIL_[0-9.]* \{/ { node = $1 }
		    /^[[:space:]]*vigil_[a-z_]*;$/ { sub(/;/, ""); print $1 "@@" node }' \
		"$repo/ubroker/libvigil/libvigil.map" | sort)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
	readelf -d "$so" | grep 'SONAME.*\[libvigil\.so\.1\]' >/dev/null
}

install_sdk() {
	rm -rf "$root"
	make -s -C "$repo/ubroker" install DESTDIR="$root" PREFIX=/usr
	[ -f "$root/usr/include/vigil/vigil.h" ] &&
		[ -f "$root/usr/include/vigil/linux/vigil.h" ] &&
		[ -L "$root/usr/lib/libvigil.so" ] &&
		[ -f "$root/usr/share/man/man3/vigil.3" ]
}

pc() {
	PKG_CONFIG_PATH=$root/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root \
		pkg-config "$@" vigil
}

# Only the installed tree: no -I into the source, no build directory.
build_against_installed() {
	local out=$root/vigil-log

	# shellcheck disable=SC2046
	cc -std=gnu11 -Wall -Wextra -Werror -o "$out" \
		"$repo/ubroker/examples/vigil-log.c" $(pc --cflags --libs) &&
		LD_LIBRARY_PATH=$root/usr/lib "$out" --help | grep '^usage: vigil-log' >/dev/null &&
		LD_LIBRARY_PATH=$root/usr/lib ldd "$out" | grep "$root/usr/lib/libvigil.so.1" >/dev/null
}

build_static_against_installed() {
	local out=$root/vigil-exec-guard

	# shellcheck disable=SC2046
	cc -std=gnu11 -Wall -Wextra -Werror -static -o "$out" \
		"$repo/ubroker/examples/vigil-exec-guard.c" $(pc --cflags) \
		"$root/usr/lib/libvigil.a" &&
		"$out" --help | grep '^usage: vigil-exec-guard' >/dev/null
}

# groff prints what it cannot render; -ww turns every warning on.
man_pages_render() {
	local page out

	for page in "$repo"/ubroker/man/*.[38]; do
		out=$(groff -man -ww -z "$page" 2>&1)
		[ -z "$out" ] || { echo "$page: $out"; return 1; }
	done
}

header_is_cxx_clean() {
	echo '#include <vigil/vigil.h>
int main() { return vigil_event_from_name("exec") == VIGIL_EVENT_EXEC ? 0 : 1; }' |
		g++ -x c++ -Wall -Wextra -Werror -o "$root/cxx" - $(pc --cflags --libs) &&
		LD_LIBRARY_PATH=$root/usr/lib "$root/cxx"
}

: >"$log"
check "libvigil.so exports exactly libvigil.map's symbols, each at its version" exports_match_the_map
check "make install puts libvigil, its headers and man page in place" install_sdk
check "vigil-log builds and runs against the installed libvigil.so (pkg-config)" \
	build_against_installed
check "vigil-exec-guard builds statically against the installed libvigil.a" \
	build_static_against_installed
check "<vigil/vigil.h> compiles and links as C++" header_is_cxx_clean
check "the man pages (vigil.3, vigild.8, vigilctl.8) render without a warning" man_pages_render
