#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack Debian's linux-source-6.12 under $VIGIL_CACHE once per package
# version, and print its path.  Used for checkpatch.pl, the kselftest
# harness and the KUnit lane.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

src=$VIGIL_CACHE/linux-source-6.12
stamp=$src/.vigil-source-version
version=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
	die "linux-source-6.12 is not installed: run 'make deps'"
if ! [ -f "$stamp" ] || [ "$(cat "$stamp")" != "$version" ]; then
	note "unpacking linux-source-6.12 $version into $src"
	rm -rf "$src" "$VIGIL_CACHE/kunit-build"
	mkdir -p "$VIGIL_CACHE"
	tar -C "$VIGIL_CACHE" -xf /usr/src/linux-source-6.12.tar.xz
	echo "$version" >"$stamp"
fi
echo "$src"
