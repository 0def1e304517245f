#!/usr/bin/env bash
# A bounded fuzzing campaign: builds every libFuzzer target of Tests/Fuzz (with
# -sanitize=fuzzer,address, in .build/fuzz) and runs each for SECONDS (default 60), starting
# from the committed seed corpus (Tests/Fuzz/Corpus/<name>). Any crash, memory error, timeout (10 s per
# input) or out-of-memory (2 GiB) fails the campaign; the input that caused it is saved under
# .build/fuzz/artifacts/<name>/ and printed in hex. Prints, per target, the executions run and
# the coverage reached (libFuzzer's "cov" edges and "ft" features).
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET ...]
#
# With ROBOCHAIN_FUZZ_KEEP=1, each target's corpus is then merged into its seed corpus
# (libFuzzer's -merge=1: only the inputs that add coverage), to be committed, so that the next
# campaign, CI's included, starts where this one stopped instead of from the first seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
all=(FuzzYAMLModel:yaml-model FuzzJSONModel:json-model FuzzCSVModel:csv-model FuzzWorkbookModel:workbook-model FuzzWorkbookParts:workbook-parts FuzzPluginResponse:plugin-response FuzzPluginManifest:plugin-manifest)
chosen=("$@")
export ROBOCHAIN_FUZZ=1
# Scratch files of the targets (the CSV one writes its input as files) stay in the build.
export TMPDIR="$PWD/.build/fuzz/tmp"
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR"
failed=0
summary=()
for entry in "${all[@]}"; do
    target="${entry%%:*}"
    corpus="${entry##*:}"
    if [ ${#chosen[@]} -gt 0 ] && [[ ! " ${chosen[*]} " =~ " ${target} " ]]; then continue; fi
    echo "== $target: building"
    # The linker warns about every ASan symbol it cannot export; only errors matter.
    swift build --build-path .build/fuzz -c debug -Xswiftc -sanitize=fuzzer,address --product "$target" 2>&1 \
        | sed '/Cannot export local symbol/d'
    binary=".build/fuzz/debug/$target"
    [ -x "$binary" ] || { echo "error: $target did not build"; exit 1; }
    work=".build/fuzz/corpus/$corpus"
    artifacts=".build/fuzz/artifacts/$corpus"
    mkdir -p "$work" "$artifacts"
    echo "== $target: fuzzing for $seconds s"
    log=".build/fuzz/$target.log"
    status=0
    # ZIPFoundation 0.9.20 leaks the path buffer of every archive it opens by URL (about 40 bytes,
    # FileManager.fileSystemRepresentation never freed): not ours to fix, and not a crash.
    leaks=()
    if [ "$target" = FuzzWorkbookModel ] || [ "$target" = FuzzWorkbookParts ]; then leaks=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"); fi
    "${leaks[@]}" "$binary" -max_total_time="$seconds" -timeout=10 -detect_leaks=0 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "Tests/Fuzz/Corpus/$corpus" >"$log" 2>&1 || status=$?
    runs=$(grep -Eo '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
    coverage=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -Eo 'cov: [0-9]+ ft: [0-9]+' || echo "cov: ? ft: ?")
    summary+=("$target: $runs executions, $coverage, corpus $(ls "$work" | wc -l) inputs")
    if [ "${ROBOCHAIN_FUZZ_KEEP:-0}" = 1 ] && [ "$status" -eq 0 ]; then
        before=$(ls "Tests/Fuzz/Corpus/$corpus" | wc -l)
        "${leaks[@]}" "$binary" -merge=1 -timeout=10 -detect_leaks=0 -rss_limit_mb=2048 -max_len=65536 \
            "Tests/Fuzz/Corpus/$corpus" "$work" >>"$log" 2>&1
        summary+=("  seeds of $target: $before -> $(ls "Tests/Fuzz/Corpus/$corpus" | wc -l) inputs")
    fi
    if [ "$status" -ne 0 ]; then
        failed=1
        echo "error: $target failed (status $status); the end of its log:"
        tail -40 "$log"
        for input in "$artifacts"/*; do
            [ -f "$input" ] || continue
            echo "-- saved input $input ($(wc -c <"$input") bytes):"
            head -c 4096 "$input" | od -A d -t x1 | head -40
        done
    fi
done
echo "== fuzzing summary"
printf '%s\n' "${summary[@]}"
exit "$failed"
