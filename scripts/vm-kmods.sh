#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copy the kernel modules named after $2, with what they depend on, from
# Debian's kernel $1 (unpacked by scripts/deps.sh) into directory $2,
# uncompressed, and list them in $2/load-order in the order to load them.
# Modules built into that kernel are left out.  For the VM's initramfs.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

kver=$1
out=$2
shift 2
src=$VIGIL_CACHE/kernels/$kver/modules
[ -f "$src/.complete" ] || die "no modules of $kver unpacked: run 'make deps'"

declare -A seen
mkdir -p "$out"
: >"$out/load-order"

is_builtin() {
	grep -q "/$1\.ko\$" "$src/modules.builtin"
}

find_module() {
	find "$src/kernel" \( -name "$1.ko" -o -name "$1.ko.xz" \) -print -quit
}

add_module() {
	local name=$1 file dep

	[ -z "${seen[$name]:-}" ] || return 0
	seen[$name]=1
	is_builtin "$name" && return 0
	file=$(find_module "$name")
	[ -n "$file" ] || die "module $name of $kver not found in $src"
	for dep in $(modinfo -F depends "$file" | tr ',' ' '); do
		add_module "$dep"
	done
	case $file in
	*.xz) xz -dc "$file" >"$out/$name.ko" ;;
	*) cp "$file" "$out/$name.ko" ;;
	esac
	echo "$name" >>"$out/load-order"
}

for name in "$@"; do
	add_module "$name"
done
