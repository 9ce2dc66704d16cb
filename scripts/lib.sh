# SPDX-License-Identifier: GPL-2.0
# Shared by the scripts: paths, the supported kernels, messages.

VIGIL_CACHE=${VIGIL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil}

note() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian's kernel headers, unpacked (never installed) by scripts/deps.sh.
VIGIL_HEADERS=$VIGIL_CACHE/headers

# The supported kernels: Debian 12's 6.1 and 6.12, as scripts/deps.sh
# found them in the archive.  Prints one kernel release per line.
vigil_kernels() {
	cat "$VIGIL_HEADERS/kernels" 2>/dev/null || true
}

# The build tree of kernel release $1, for make -C.
vigil_kdir() {
	echo "$VIGIL_HEADERS/usr/src/linux-headers-$1"
}

# Make kmod/ a driver of the kernel tree $1 (the unpacked
# linux-source-6.12): one Kconfig line, one Makefile line, and the link,
# to this checkout (the KUnit lane builds it in; the debug kernel does not).
vigil_link_kmod() {
	ln -sfn "$repo/kmod" "$1/drivers/vigil"
	grep -q 'drivers/vigil/Kconfig' "$1/drivers/Kconfig" ||
		sed -i '$i source "drivers/vigil/Kconfig"' "$1/drivers/Kconfig"
	grep -q 'CONFIG_VIGIL)' "$1/drivers/Makefile" ||
		echo 'obj-$(CONFIG_VIGIL) += vigil/' >>"$1/drivers/Makefile"
}

# vigil's version: dkms.conf's, which debian/changelog repeats.
vigil_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$repo/dkms.conf"
}
