#!/usr/bin/env bash
# Builds and runs the test suite once under AddressSanitizer (all code) and
# UndefinedBehaviorSanitizer (the C code: CSpawn, CTermination, libyaml, the Graphviz shim; Swift
# traps its own overflows and out-of-bounds accesses, and swiftc has no -sanitize=undefined on
# Linux), in .build/sanitize, apart from the normal build. Any report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:suppressions=$PWD/scripts/asan-suppressions.txt:${ASAN_OPTIONS:-}"
# The Swift backtracer would wait on a process that ASan aborts.
export SWIFT_BACKTRACE="enable=no"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
flags=(--build-path .build/sanitize --sanitize address
    -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined
    -Xswiftc -Xclang-linker -Xswiftc -fsanitize=undefined)
# The linker warns about every ASan symbol it cannot export; only errors matter.
swift build "${flags[@]}" --build-tests 2>&1 | sed '/Cannot export local symbol/d'
swift test "${flags[@]}" --skip-build "$@"
