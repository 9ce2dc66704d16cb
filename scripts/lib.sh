# SPDX-License-Identifier: GPL-2.0
# Shared by the scripts: paths, the supported kernels, messages.

VIGIL_CACHE=${VIGIL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil}

note() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The supported kernels: Debian 12's 6.1 and 6.12, as installed by
# scripts/deps.sh.  Prints one kernel release per line.
vigil_kernels() {
	local meta

	for meta in linux-headers-amd64 linux-headers-6.12-amd64; do
		dpkg-query -W -f='${Depends}\n' "$meta" 2>/dev/null |
			sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p'
	done
}

# vigil's version: dkms.conf's, which debian/changelog repeats.
vigil_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$repo/dkms.conf"
}
