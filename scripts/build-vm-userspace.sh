#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the static user-space programs that go into the VM: vigild (and
# vigild-abi2, a broker that claims ABI 2), the selftests, the benchmark.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib.sh"

ksft=$("$repo/scripts/kernel-source.sh")/tools/testing/selftests
make -s -C "$repo/ubroker" static
make -s -C "$repo/tools/testing/selftests/vigil" KSFT_DIR="$ksft"
make -s -C "$repo/tools/testing/bench"
