# SPDX-License-Identifier: GPL-2.0
#
# vigil.  The two commands that matter:
#
#   make demo     boot a VM with the shim and vigild, and watch events
#   make check    run every test lane; ends with "N passed, N failed"
#
# Both install what they need (Debian packages, Debian's kernel images).
# Other targets:
#
#   make              vigil.ko for every supported kernel, and vigild
#   make modules      vigil.ko; KDIR=/path/to/kernel/build picks one tree
#   make vigild       the broker, in build/ubroker/
#   make deps         install the dependencies only
#   make buildtest    build lane: W=1, sparse, checkpatch, ABI check
#   make kunit        KUnit lane (UML, KASAN, lockdep)
#   make unittest     user-space unit tests (ASan, UBSan)
#   make fuzz         each fuzzer for FUZZ_SECONDS (default 60), then
#                     trinity and 10^6 ioctls in the debug kernel
#   make models       the spin models of the ring and the AUTH waiters
#   make vmtest       selftests in QEMU on Debian's 6.1 and 6.12 kernels
#                     (scripts/vmtest.sh debug: on the debug kernel, as
#                     make check's lane debugvm does)
#   make coverage     the debug kernel's selftests, then the shim's line
#                     coverage with KUnit's on UML (table, total, the
#                     lines no test reaches, HTML in build/coverage/)
#   make attack       the attack suite in QEMU on both kernels; prints its
#                     table (ATTACK_ROWS=flood,sigstop picks attacks)
#   make bench        benchmarks in the VM; prints tables
#   make abi-update   record the ABI header after a version bump
#   make install      vigil.ko for each supported kernel, vigild, vigilctl,
#                     libvigil, the systemd units and udev rule (PREFIX=,
#                     default /usr/local; DESTDIR= to stage)
#   make dkms-install the module's source to /usr/src, built by DKMS for
#                     every installed kernel, and again at each update
#   make uninstall    remove what install and dkms-install put in place
#   make deb          the Debian packages, in build/deb/
#   make pkgtest      packaging lane: build the packages, install them in
#                     a bookworm root, boot it with systemd, reboot
#   make clean

export KDIR

.PHONY: all modules vigild deps check demo buildtest kunit unittest fuzz \
	models coverage vmtest attack bench abi-update install uninstall dkms-install deb pkgtest clean

all: modules vigild

modules:
	scripts/build-modules.sh

vigild:
	$(MAKE) -C ubroker all

deps:
	scripts/deps.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh

buildtest: deps
	scripts/buildtest.sh

kunit: deps
	scripts/kunit.sh

unittest: deps
	scripts/unittest.sh

# Then the long pass in the debug kernel: trinity for 10 minutes per user,
# and a million random ioctls.
fuzz: deps
	FUZZ_SECONDS=$${FUZZ_SECONDS:-60} scripts/fuzz.sh
	VIGIL_TESTS="ioctl_fuzz_test trinity_test.sh" VIGIL_VM_RUNS=selftests \
		VIGIL_VM_APPEND="vigil_trinity_seconds=600 vigil_ioctl_calls=1000000" \
		scripts/vmtest.sh debug

models: deps
	scripts/models.sh

coverage: deps
	scripts/vmtest.sh debug
	scripts/coverage.sh

vmtest: deps
	scripts/vmtest.sh

attack: deps
	scripts/attack.sh

bench: deps
	scripts/bench.sh

abi-update:
	scripts/abi-check.sh --update

install: all
	scripts/install.sh install

uninstall:
	scripts/install.sh uninstall

dkms-install:
	scripts/install.sh dkms-install

deb: deps
	scripts/deb.sh

pkgtest: deps
	scripts/pkgtest.sh

clean:
	rm -rf build
