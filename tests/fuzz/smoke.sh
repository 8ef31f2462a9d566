#!/bin/bash
# A few seconds of every libFuzzer target (frame and mailbox decoders,
# config space, bonding procfs, netlink, model JSON, ip-link JSON, bundle
# reader, model JSON through correlation and every rule, ...) from the
# committed seeds, plus their regression inputs;
# `make fuzz` runs them for longer.
set -u
cd "$TOP"
command -v clang >/dev/null || { echo "clang not installed"; exit 77; }
make -s fuzz-bin SETUP=0 >/dev/null 2>&1 || { echo "libFuzzer build failed (clang's fuzzer runtime missing?)"; exit 77; }
FUZZ_SECS=${FUZZ_SMOKE_SECS:-3} tests/fuzz-run
