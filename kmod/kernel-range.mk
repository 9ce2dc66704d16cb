# SPDX-License-Identifier: GPL-2.0
#
# The kernels vigil.ko supports: a kernel outside this range stops the
# build here, with a message saying so, rather than in the compiler.
# kbuild sets VERSION and PATCHLEVEL (the kernel's top Makefile exports
# them); scripts/pkgtest.sh checks this file with other values.

VIGIL_KERNEL_MIN := 6.1
VIGIL_KERNEL_MAX := 6.12

vigil_kernel_code = $(shell echo $$(( $(word 1,$(subst ., ,$(1))) * 1000 + $(word 2,$(subst ., ,$(1))) )))

ifeq ($(VERSION)$(PATCHLEVEL),)
$(error vigil.ko is built by the kernel's build system: make -C /lib/modules/RELEASE/build M=$$PWD)
endif
ifneq ($(shell [ $(call vigil_kernel_code,$(VERSION).$(PATCHLEVEL)) -ge $(call vigil_kernel_code,$(VIGIL_KERNEL_MIN)) ] && [ $(call vigil_kernel_code,$(VERSION).$(PATCHLEVEL)) -le $(call vigil_kernel_code,$(VIGIL_KERNEL_MAX)) ] && echo yes),yes)
$(error vigil supports Linux $(VIGIL_KERNEL_MIN) to $(VIGIL_KERNEL_MAX); this kernel is $(VERSION).$(PATCHLEVEL) ($(KERNELRELEASE)). See Documentation/admin-guide.rst, "Supported kernels")
endif
