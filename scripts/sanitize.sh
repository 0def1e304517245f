#!/usr/bin/env bash
# Builds and runs the test suite once under AddressSanitizer and UndefinedBehaviorSanitizer
# (in .build/sanitize, apart from the normal build). Any report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
swift build --build-path .build/sanitize --sanitize address --sanitize undefined --build-tests 2>&1 \
    | grep -v "Cannot export local symbol"
swift test --build-path .build/sanitize --sanitize address --sanitize undefined --skip-build "$@"
