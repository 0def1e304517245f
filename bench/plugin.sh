#!/usr/bin/env bash
# The HHI example plugin at scale (issue 11): `robochain analyze` with the two built-ins and the
# Python plugin Plugins/SupplierConcentration (`"input": "csv"`) on a generated model, this
# checkout's code against another revision's, in alternating runs.
#
#   bash bench/plugin.sh [--firms N] [--runs K] [--before REV] [--no-build] [--plugin-only]
#
# Generates the model if absent (../shared/bench/gen_chain.py --firms N, default 1,000,000),
# builds robochain in release mode, and runs, alternately, K times each (default 3):
#   after:   robochain analyze DIR --with gap-detection --with localisation-share
#            --with supplier-concentration --scope CN-GD --format json --output FILE
#            (this checkout's robochain and Plugins/)
#   before:  the same command with the robochain and the Plugins/ of revision REV (default
#            HEAD), extracted with `git archive` into bench/data/rev-REV and built there in
#            release mode once (kept for the next run; bench/data is not committed)
# --no-build uses the release robochain already built in this checkout (while a `swift test`
# holds the build directory, say). --plugin-only runs the HHI plugin alone (`--with
# supplier-concentration`, no built-ins): the example's own time, as issue 11's target states it.
# Prints the median wall time, peak resident memory and CPU time of each, the ratio of every
# pair of runs, and whether the plugin's result (the supplier-concentration entry of the JSON
# output: findings, metrics, table, its hhi of every component) is the same in both: exactly,
# or (against a revision whose plugin wrote fewer members or summed in another order) in every
# member both have, numbers to 1e-9.
# The load average is printed before and after. Needs ../shared beside the checkout (or
# SHARED=path) and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=${SHARED:-$root/../shared}
firms=1000000
runs=3
before=HEAD
build=1
builtins=(--with gap-detection --with localisation-share)
label="analyze, both built-ins and the HHI plugin"
while [ $# -gt 0 ]; do
  case "$1" in
    --firms) firms=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --before) before=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --plugin-only) builtins=(); label="analyze, the HHI plugin alone"; shift ;;
    *) echo "usage: bash bench/plugin.sh [--firms N] [--runs K] [--before REV] [--no-build] [--plugin-only]" >&2; exit 64 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
data=$root/bench/data/chain-$firms
if [ ! -f "$data/supplies.csv" ]; then
  [ -f "$shared/bench/gen_chain.py" ] || { echo "bench: no $shared/bench/gen_chain.py (set SHARED)" >&2; exit 1; }
  echo "bench: generating $data ($firms firms)" >&2
  python3 "$shared/bench/gen_chain.py" --firms "$firms" --out "$data" >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

revision=$(git rev-parse --short "$before")
old=$root/bench/data/rev-$revision
if [ ! -x "$old/robochain" ]; then
  echo "bench: building robochain of $revision in $old (release, once)" >&2
  rm -rf "$old/src"
  mkdir -p "$old/src"
  git archive "$revision" | tar -x -C "$old/src"
  (cd "$old/src" && swift build -c release --product robochain >&2)
  cp "$(cd "$old/src" && swift build -c release --show-bin-path)/robochain" "$old/robochain"
fi
if [ "$build" = 1 ]; then
  echo "bench: building robochain (release)" >&2
  swift build -c release --product robochain >&2
fi
new=$root/.build/release/robochain
[ -x "$new" ] || { echo "bench: no $new (build it, or leave out --no-build)" >&2; exit 1; }

# measure NAME ROBOCHAIN PLUGINS: one run of the command, "seconds kilobytes user system" appended to $work/NAME
measure() {
  ROBOCHAIN_PLUGIN_PATH=$3 /usr/bin/time -f "%e %M %U %S" -o "$work/time" \
    "$2" analyze "$data" "${builtins[@]}" --with supplier-concentration \
    --scope CN-GD --format json --output "$work/$1.json"
  cat "$work/time" >> "$work/$1"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq "$runs"); do
  echo "bench: run $run of $runs (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  measure before "$old/robochain" "$old/src/Plugins"
  measure after "$new" "$root/Plugins"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$work" "$firms" "$runs" "$revision" "$load_before" "$load_after" "$label" <<'PY'
import json, os, statistics, sys
work, firms, runs, revision, load_before, load_after, label = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:]
def load(name):
    rows = [line.split() for line in open(os.path.join(work, name)) if line.strip()]
    return [float(r[0]) for r in rows], [int(r[1]) for r in rows], [float(r[2]) + float(r[3]) for r in rows]
before, after = load("before"), load("after")
print(f"model: {firms:,} firms (CSV), {runs} alternating runs; medians; load average {load_before} before, {load_after} after")
print(f"{'command (' + label + ')':<56}{'wall s':>8}{'peak MiB':>10}{'CPU s':>8}   runs (s)")
for label, (times, kb, cpu) in [(f"before: robochain and Plugins/ of {revision}", before), ("after: this checkout", after)]:
    print(f"{label:<56}{statistics.median(times):>8.2f}{statistics.median(kb) / 1024:>10.0f}{statistics.median(cpu):>8.2f}"
          f"   {' '.join(f'{t:.2f}' for t in times)}")
pairs = [a / b for a, b in zip(after[0], before[0])]
print(f"after / before, wall, pair by pair: {' '.join(f'{p:.2f}' for p in pairs)}; median {statistics.median(pairs):.2f}"
      f" ({1 / statistics.median(pairs):.1f}x faster)")
print(f"after / before, CPU: {statistics.median(after[2]) / statistics.median(before[2]):.2f}; "
      f"peak memory: {statistics.median(after[1]) / statistics.median(before[1]):.2f}")
def plugin_result(name):
    document = json.load(open(os.path.join(work, f"{name}.json")))
    results = document["results"] if isinstance(document, dict) and "results" in document else document
    if isinstance(results, dict):
        results = [results]  # one analysis: its result object alone
    found = [r for r in results if isinstance(r, dict) and r.get("analysis") == "supplier-concentration"]
    return found[0] if found else None
b, a = plugin_result("before"), plugin_result("after")
def close(x, y):
    """x and y equal, numbers to 1e-9 relative, objects compared on the members both have."""
    if isinstance(x, dict) and isinstance(y, dict):
        return all(close(x[k], y[k]) for k in x.keys() & y.keys())
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(close(i, j) for i, j in zip(x, y))
    if isinstance(x, float) or isinstance(y, float):
        return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))
    return x == y
def by_component(result):
    return {f["component"]: f for f in result["findings"]}
if a is not None and a == b:
    verdict = "exactly the same in both"
elif a is not None and b is not None and a["hhi"].keys() == b["hhi"].keys() and close(a["hhi"], b["hhi"]) \
        and close(a["metrics"], b["metrics"]) and by_component(a).keys() == by_component(b).keys() \
        and all(close(f, by_component(b)[c]) for c, f in by_component(a).items()):
    moved = sum(x["component"] != y["component"] for x, y in zip(a["findings"], b["findings"]))
    verdict = ("the same findings (components, kinds, severities, suppliers, top suppliers, messages), metrics and HHI "
               "of every component, numbers to 1e-9, in the members both have"
               + (f"; {moved} findings in another place, among HHIs equal to 1e-9" if moved else ""))
else:
    verdict = "DIFFERENT"
print(f"plugin result: {verdict}" + (f" ({len(a['findings'])} findings, {len(a['hhi'])} components with an HHI)" if a else ""))
PY
