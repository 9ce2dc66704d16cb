#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the VM: the benchmarks named by $1 (proc, auth, catalogue or
# all).
case ${1:-all} in
proc) /vigil/bin/vigil_bench ;;
auth) /vigil/bin/vigil_auth_bench ;;
catalogue) /vigil/bin/vigil_catalogue_bench ;;
*) /vigil/bin/vigil_bench && echo && /vigil/bin/vigil_auth_bench && echo &&
	/vigil/bin/vigil_catalogue_bench ;;
esac
