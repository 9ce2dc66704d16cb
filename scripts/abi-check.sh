#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ABI header may not change without a version bump (the model is
# Falco's driver API check).  kmod/ABI records the version and a hash of
# <linux/vigil.h> with comments and blank space taken out, so prose may
# change freely.  "abi-check.sh --update" records the current header,
# after VIGIL_ABI_MINOR (or MAJOR) has been bumped.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
header=$repo/kmod/include/uapi/linux/vigil.h
record=$repo/kmod/ABI

header_version() {
	local major minor

	major=$(sed -n 's/^#define VIGIL_ABI_MAJOR[[:space:]]*\([0-9]*\).*/\1/p' "$header")
	minor=$(sed -n 's/^#define VIGIL_ABI_MINOR[[:space:]]*\([0-9]*\).*/\1/p' "$header")
	echo "$major.$minor"
}

header_hash() {
	gcc -fpreprocessed -dD -E -P -x c "$header" 2>/dev/null |
		tr -s ' \t\n' ' ' | sha256sum | cut -d' ' -f1
}

version=$(header_version)
hash=$(header_hash)

if [ "${1:-}" = --update ]; then
	{
		echo "# ABI version and hash of <linux/vigil.h> without comments and"
		echo "# blank space; see scripts/abi-check.sh.  Do not edit by hand."
		echo "$version $hash"
	} >"$record"
	echo "recorded ABI $version"
	exit 0
fi

read -r rec_version rec_hash < <(grep -v '^#' "$record")
if [ "$rec_version" = "$version" ] && [ "$rec_hash" = "$hash" ]; then
	exit 0
fi
if [ "$rec_version" = "$version" ]; then
	echo "kmod/include/uapi/linux/vigil.h changed but ABI $version did not:"
	echo "bump VIGIL_ABI_MINOR (compatible change) or VIGIL_ABI_MAJOR,"
	echo "document it in Documentation/abi.rst, then run 'make abi-update'"
else
	echo "ABI is $version in the header but $rec_version in kmod/ABI:"
	echo "run 'make abi-update' to record the new version"
fi
exit 1
