#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: the Debian packages (vigil-dkms, vigil, libvigil1,
# libvigil-dev), built offline with dpkg-buildpackage from a copy of the
# tree, into build/deb/; then lintian, which must find no error.
# Prints the packages' paths; exits non-zero if the build or lintian fails.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

out=$repo/build/deb
version=$(vigil_version)
src=$out/vigil-$version

# The tree as git knows it (committed or not, but not ignored), or all of
# it but build/ outside git.
copy_tree() {
	rm -rf "$out"
	mkdir -p "$src"
	if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$repo" ls-files -z --cached --others --exclude-standard |
			(cd "$repo" && xargs -0 tar -c --no-recursion -f - 2>/dev/null) |
			tar -x -C "$src"
	else
		tar -c -C "$repo" --exclude=./build -f - . | tar -x -C "$src"
	fi
}

changelog_version=$(sed -n '1s/^vigil (\([^)]*\)).*/\1/p' "$repo/debian/changelog")
[ "$changelog_version" = "$version" ] ||
	die "debian/changelog says $changelog_version, dkms.conf $version: make them agree"

copy_tree
note "dpkg-buildpackage (log: $out/build.log)"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1); then
	tail -30 "$out/build.log" >&2
	die "dpkg-buildpackage failed"
fi
note "lintian (log: $out/lintian.log)"
lintian --fail-on error --no-tag-display-limit "$out"/vigil_*.changes >"$out/lintian.log" 2>&1 ||
	{ cat "$out/lintian.log" >&2; die "lintian found errors"; }
ls "$out"/*.deb
