#!/usr/bin/env bash
# The scale benchmark (issue 6): RoboChain against ../shared/bench/reference.py, in one run.
#
#   bash bench/run.sh [--firms N] [--runs K] [--data DIR]
#
# Generates the model if absent (gen_chain.py --firms N, default 1,000,000), builds robochain in
# release mode, then runs, alternately, K times each (default 3):
#   reference:  python3 reference.py DIR --scope CN-GD
#   analyze:    robochain analyze DIR --with gap-detection --with localisation-share --scope CN-GD
#               --format json --output FILE
#   validate:   robochain validate DIR
#   scenario:   robochain analyze … (as above) --without region:JP (a country's firms removed, SPEC §6)
#   compare:    robochain compare DIR --with gap-detection --with localisation-share --scope CN-GD
#               --without region:JP --format json --output FILE (two runs of both, one load, SPEC §7)
# and, on a 10,000-firm model converted to YAML, robochain validate FILE.yaml. Prints the median
# wall time and peak resident memory (/usr/bin/time) of each, the ratios, and whether the JSON
# agrees with the reference. Needs ../shared beside the checkout (or SHARED=path).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=${SHARED:-$root/../shared}
firms=1000000
runs=3
data=""
while [ $# -gt 0 ]; do
  case "$1" in
    --firms) firms=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    *) echo "usage: bash bench/run.sh [--firms N] [--runs K] [--data DIR]" >&2; exit 64 ;;
  esac
done
[ -f "$shared/bench/reference.py" ] || { echo "bench: no $shared/bench/reference.py (set SHARED)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
data=${data:-$root/bench/data/chain-$firms}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -f "$data/supplies.csv" ]; then
  echo "bench: generating $data ($firms firms)" >&2
  python3 "$shared/bench/gen_chain.py" --firms "$firms" --out "$data" >&2
fi
yaml=$root/bench/data/chain-10000.yaml
mkdir -p "$root/bench/data"
if [ ! -f "$yaml" ]; then
  python3 "$shared/bench/gen_chain.py" --firms 10000 --out "$work/yaml-source" >/dev/null
  python3 bench/csv_to_yaml.py "$work/yaml-source" "$yaml" --home CN-GD
fi

echo "bench: building robochain (release)" >&2
swift build -c release --product robochain >&2
robochain=$(swift build -c release --show-bin-path)/robochain

# measure NAME COMMAND...: appends "seconds kilobytes" to $work/NAME
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@"
  cat "$work/time" >> "$work/$name"
}

for run in $(seq "$runs"); do
  echo "bench: run $run of $runs" >&2
  measure reference python3 "$shared/bench/reference.py" "$data" --scope CN-GD > "$work/reference.json"
  measure analyze "$robochain" analyze "$data" --with gap-detection --with localisation-share --scope CN-GD \
    --format json --output "$work/robochain.json"
  measure validate "$robochain" validate "$data" > /dev/null
  measure scenario "$robochain" analyze "$data" --with gap-detection --with localisation-share --scope CN-GD \
    --without region:JP --format json --output "$work/scenario.json"
  measure compare "$robochain" compare "$data" --with gap-detection --with localisation-share --scope CN-GD \
    --without region:JP --format json --output "$work/compare.json"
  measure yaml "$robochain" validate "$yaml" > /dev/null
done

agreement=$(python3 bench/compare.py "$work/robochain.json" "$work/reference.json" || true)

python3 - "$work" "$runs" "$firms" "$agreement" <<'PY'
import os, statistics, sys
work, runs, firms, agreement = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def load(name):
    rows = [line.split() for line in open(os.path.join(work, name)) if line.strip()]
    return [float(r[0]) for r in rows], [int(r[1]) for r in rows]
results = {name: load(name) for name in ["reference", "analyze", "validate", "yaml", "scenario", "compare"]}
def med(xs): return statistics.median(xs)
print(f"model: {firms:,} firms (CSV), {runs} alternating runs; medians")
print(f"{'command':<44}{'wall s':>9}{'peak MiB':>10}   runs (s)")
labels = {"reference": "python3 reference.py --scope CN-GD", "analyze": "robochain analyze (both analyses, JSON file)",
          "validate": "robochain validate (CSV)", "yaml": "robochain validate (YAML, 10,000 firms)",
          "scenario": "robochain analyze --without region:JP", "compare": "robochain compare --without region:JP"}
for name, (times, kb) in results.items():
    print(f"{labels[name]:<44}{med(times):>9.2f}{med(kb) / 1024:>10.0f}   {' '.join(f'{t:.2f}' for t in times)}")
ref_t, ref_m = med(results["reference"][0]), med(results["reference"][1])
an_t, an_m = med(results["analyze"][0]), med(results["analyze"][1])
print(f"speed: analyze is {ref_t / an_t:.1f}x faster than the reference (target 20x)")
print(f"memory: analyze peaks at {an_m / ref_m:.2f} of the reference's (target at most 0.33)")
print(f"validate: {med(results['validate'][0]):.2f} s (target under 1.5 s); YAML 10,000 firms: {med(results['yaml'][0]):.2f} s (target under 1 s)")
print(f"scenario: analyze --without region:JP takes {med(results['scenario'][0]) / an_t:.2f} of analyze's time (target at most 1.2)")
print(f"compare: two runs of both analyses take {med(results['compare'][0]) / an_t:.2f} of analyze's time (target at most 2.2)")
print(f"output: {agreement}")
PY
