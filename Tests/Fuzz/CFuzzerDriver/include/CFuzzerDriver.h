#ifndef ROBOCHAIN_CFUZZERDRIVER_H
#define ROBOCHAIN_CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (in the runtime that -sanitize=fuzzer links): runs the fuzzing loop with
/// `callback` as the target, taking libFuzzer's own command-line flags. A Swift executable has
/// its own `main`, so the fuzz targets call this from it instead of defining
/// `LLVMFuzzerTestOneInput` for libFuzzer's `main`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
