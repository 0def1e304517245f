#!/usr/bin/env bash
# The scale benchmark (issue 6): RoboChain against ../shared/bench/reference.py, in one run.
#
#   bash bench/run.sh [--firms N] [--runs K] [--data DIR] [--core] [--no-peers]
#   bash bench/run.sh --sizes 100000,1000000,3000000[,10000000] [--runs K] [--no-peers]
#
# Generates the model if absent (gen_chain.py --firms N, default 1,000,000), builds robochain in
# release mode, then runs, alternately, K times each (default 3):
#   reference:  python3 reference.py DIR --scope CN-GD
#   analyze:    robochain analyze DIR --with gap-detection --with localisation-share --scope CN-GD
#               --format json --output FILE
#   five:       the same with all five built-ins (also value-origin, recruitment, critical-firms)
#   validate:   robochain validate DIR
#   scenario:   robochain analyze … (as above) --without region:JP (a country's firms removed, SPEC §6)
#   compare:    robochain compare DIR --with gap-detection --with localisation-share --scope CN-GD
#               --without region:JP --format json --output FILE (two runs of both, one load, SPEC §7)
# and, on a 10,000-firm model converted to YAML, robochain validate FILE.yaml. Prints the median
# wall time and peak resident memory (/usr/bin/time) of each, the ratios, and whether the JSON
# agrees with the reference. Needs ../shared beside the checkout (or SHARED=path).
#
# Issue 17 (speed against the peers): in the same alternating runs, the two peers of
# ../shared/bench/peers/ (DuckDB SQL and polars, the same SPEC §2–3 results), run from a virtual
# environment of the benchmark's own, bench/.venv (created here with `pip install duckdb polars`
# when absent; gitignored):
#   duckdb:     python3 peer_duckdb.py DIR --scope CN-GD --out OUTDIR
#   polars:     python3 peer_polars.py DIR --scope CN-GD --out OUTDIR
# each checked against the reference with compare_peer.py. Then the physical floor of the CSV
# bytes (bench/floor.c, compiled here: read(2) from the page cache, a separator scan, a field
# split with a hash of every field), and the issue's targets, each printed as met or NOT met:
# analyze ≥3× faster than the faster peer and in less memory than either (100k–3M); at 10M
# analyze ≤10 s and ≤2048 MiB, validate ≤5 s; ≥25× the reference in every run (1M and above);
# the JSON identical to the reference. The load average is printed before and after.
#   --core      only reference, analyze, validate and the peers (for the size curve: skips
#               five, scenario, compare and the YAML model)
#   --no-peers  skip the peers (and the virtual environment)
#   --no-reference  skip reference.py (at 10M it needs about 10 minutes of CPU and 9.4 GB): no
#               ratio to it and no comparison of the JSON with it
#   --sizes A,B,...  the size curve (issue 17): a --core run at each size in turn (each model
#               generated into bench/data if absent), every size's targets, then the curve — wall
#               and CPU seconds per million firms, peak memory — and whether the time per firm
#               from 1M to the largest size stays within 1.2x.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=${SHARED:-$root/../shared}
firms=1000000
runs=3
data=""
core=0
peers=1
sizes=""
reference=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --no-reference) reference=0; shift ;;
    --firms) firms=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --core) core=1; shift ;;
    --no-peers) peers=0; shift ;;
    *) echo "usage: bash bench/run.sh [--firms N | --sizes A,B,...] [--runs K] [--data DIR] [--core] [--no-peers]" >&2; exit 64 ;;
  esac
done
if [ -n "$sizes" ]; then
  curve=$(mktemp -d)
  trap 'rm -rf "$curve"' EXIT
  extra=()
  [ "$peers" = 0 ] && extra+=(--no-peers)
  [ "$reference" = 0 ] && extra+=(--no-reference)
  for size in ${sizes//,/ }; do
    echo "bench: size $size" >&2
    bash "$0" --firms "$size" --runs "$runs" --core "${extra[@]}" | tee "$curve/$size.txt"
    echo
  done
  python3 - "$curve" ${sizes//,/ } <<'PY'
import re, sys
folder, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
print("the curve (medians of each size's alternating runs):")
print(f"{'firms':>11} {'analyze s':>10} {'s / M firms':>12} {'CPU s':>8} {'CPU s / M':>10} {'peak MiB':>9} {'validate s':>11}   targets")
rows = {}
for size in sizes:
    text = open(f"{folder}/{size}.txt").read()
    m = re.search(r"curve: \d+ firms, analyze ([\d.]+) s = ([\d.]+) s per million firms \(CPU ([\d.]+) s = ([\d.]+) s per million\), (\d+) MiB; validate ([\d.]+) s", text)
    if not m:
        print(f"{size:>11,}   (no curve line)")
        continue
    wall, per, cpu, cpuper, mib, val = m.groups()
    rows[size] = (float(per), float(cpuper))
    targets = re.findall(r"^target: (.*)$", text, re.M)
    unmet = [t for t in targets if "NOT met" in t]
    print(f"{size:>11,} {float(wall):>10.3f} {float(per):>12.3f} {float(cpu):>8.2f} {float(cpuper):>10.3f} {int(mib):>9} {float(val):>11.3f}   "
          f"{len(targets) - len(unmet)} of {len(targets)} met")
    for t in unmet:
        print(f"{'':>11}   NOT met: {t}")
big = [s for s in rows if s >= 1_000_000]
if 1_000_000 in rows and max(big) > 1_000_000:
    top = max(big)
    wall_ratio = rows[top][0] / rows[1_000_000][0]
    cpu_ratio = rows[top][1] / rows[1_000_000][1]
    verdict = lambda ok: "met" if ok else "NOT met"
    print(f"target: time per firm from 1M to {top:,} within 1.2x: wall {wall_ratio:.2f}x, {verdict(wall_ratio <= 1.2)}; "
          f"CPU {cpu_ratio:.2f}x, {verdict(cpu_ratio <= 1.2)}")
PY
  exit 0
fi
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

venv=$root/bench/.venv
peerdir=$shared/bench/peers
if [ "$peers" = 1 ]; then
  [ -f "$peerdir/peer_duckdb.py" ] || { echo "bench: no $peerdir/peer_duckdb.py (or use --no-peers)" >&2; exit 1; }
  if ! "$venv/bin/python" -c 'import duckdb, polars' 2>/dev/null; then
    echo "bench: setting up $venv (pip install duckdb polars)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet duckdb polars >&2
  fi
fi
cc -O2 -o "$work/floor" bench/floor.c

echo "bench: building robochain (release)" >&2
swift build -c release --product robochain >&2
robochain=$(swift build -c release --show-bin-path)/robochain

# measure NAME COMMAND...: appends "seconds kilobytes user-seconds system-seconds" to $work/NAME
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@"
  cat "$work/time" >> "$work/$name"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq "$runs"); do
  echo "bench: run $run of $runs (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  if [ "$reference" = 1 ]; then
    measure reference python3 "$shared/bench/reference.py" "$data" --scope CN-GD > "$work/reference.json"
  fi
  measure analyze "$robochain" analyze "$data" --with gap-detection --with localisation-share --scope CN-GD \
    --format json --output "$work/robochain.json"
  if [ "$peers" = 1 ]; then
    measure duckdb "$venv/bin/python" "$peerdir/peer_duckdb.py" "$data" --scope CN-GD --out "$work/out-duckdb" > /dev/null
    measure analyze "$robochain" analyze "$data" --with gap-detection --with localisation-share --scope CN-GD \
      --format json --output "$work/robochain.json"
    measure polars "$venv/bin/python" "$peerdir/peer_polars.py" "$data" --scope CN-GD --out "$work/out-polars" > /dev/null
  fi
  measure validate "$robochain" validate "$data" > /dev/null
  [ "$core" = 1 ] && continue
  measure five "$robochain" analyze "$data" --with gap-detection --with localisation-share --with value-origin \
    --with recruitment --with critical-firms --scope CN-GD --format json --output "$work/five.json"
  measure scenario "$robochain" analyze "$data" --with gap-detection --with localisation-share --scope CN-GD \
    --without region:JP --format json --output "$work/scenario.json"
  measure compare "$robochain" compare "$data" --with gap-detection --with localisation-share --scope CN-GD \
    --without region:JP --format json --output "$work/compare.json"
  measure yaml "$robochain" validate "$yaml" > /dev/null
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
agreement="not compared (--no-reference)"
[ "$reference" = 1 ] && agreement=$(python3 bench/compare.py "$work/robochain.json" "$work/reference.json" || true)
peer_agreement=""
if [ "$peers" = 1 ] && [ "$reference" = 1 ]; then
  for peer in duckdb polars; do
    peer_agreement+="$peer: $(python3 "$peerdir/compare_peer.py" "$work/out-$peer" "$work/reference.json" 2>&1 | head -n 3 | tr '\n' ' ' || true)"$'\n'
  done
fi
echo "bench: the floor (bench/floor.c, 5 repeats)" >&2
"$work/floor" "$data" 5 > "$work/floor.txt"

python3 - "$work" "$runs" "$firms" "$agreement" "$peer_agreement" "$load_before" "$load_after" <<'PY'
import os, statistics, sys
work, runs, firms, agreement, peer_agreement = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
load_before, load_after = sys.argv[6], sys.argv[7]
def load(name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return None
    rows = [line.split() for line in open(path) if line.strip()]
    return [float(r[0]) for r in rows], [int(r[1]) for r in rows], [float(r[2]) + float(r[3]) for r in rows]
names = ["reference", "analyze", "duckdb", "polars", "five", "validate", "yaml", "scenario", "compare"]
results = {name: r for name in names if (r := load(name)) is not None}
def med(xs): return statistics.median(xs)
print(f"model: {firms:,} firms (CSV), {runs} alternating runs; medians; load average {load_before} before, {load_after} after")
print(f"{'command':<44}{'wall s':>9}{'peak MiB':>10}{'CPU s':>8}   runs (s)")
labels = {"reference": "python3 reference.py --scope CN-GD", "analyze": "robochain analyze (both analyses, JSON file)",
          "five": "robochain analyze (all five analyses, JSON)",
          "validate": "robochain validate (CSV)", "yaml": "robochain validate (YAML, 10,000 firms)",
          "scenario": "robochain analyze --without region:JP", "compare": "robochain compare --without region:JP",
          "duckdb": "peer_duckdb.py (DuckDB SQL)", "polars": "peer_polars.py (polars)"}
for name, (times, kb, cpu) in results.items():
    print(f"{labels[name]:<44}{med(times):>9.2f}{med(kb) / 1024:>10.0f}{med(cpu):>8.2f}   {' '.join(f'{t:.2f}' for t in times)}")
an_t, an_m = med(results["analyze"][0]), med(results["analyze"][1])
def verdict(ok): return "met" if ok else "NOT met"
if "reference" in results:
    ref_t, ref_m = med(results["reference"][0]), med(results["reference"][1])
    print(f"speed: analyze is {ref_t / an_t:.1f}x faster than the reference (target 20x)")
    # every run against the reference: analyze runs twice per run when the peers run; its first run pairs with the reference
    an_first = results["analyze"][0][::2] if "duckdb" in results else results["analyze"][0]
    per_run = [r / a for r, a in zip(results["reference"][0], an_first)]
    if firms >= 1_000_000:
        print(f"target: at least 25x the reference in every run ({' '.join(f'{x:.1f}x' for x in per_run)}): {verdict(min(per_run) >= 25)}")
    print(f"memory: analyze peaks at {an_m / ref_m:.2f} of the reference's (target at most 0.33)")
print(f"validate: {med(results['validate'][0]):.2f} s (target under 1.5 s at 1M)")
if "five" in results:
    print(f"five analyses: {med(results['five'][0]) / an_t:.2f}x the time of the two built-ins (target at most 2x)")
    print(f"YAML 10,000 firms: {med(results['yaml'][0]):.2f} s (target under 1 s)")
    print(f"scenario: analyze --without region:JP takes {med(results['scenario'][0]) / an_t:.2f} of analyze's time (target at most 1.2)")
    print(f"compare: two runs of both analyses take {med(results['compare'][0]) / an_t:.2f} of analyze's time (target at most 2.2)")
if "duckdb" in results:
    dk_t, dk_m = med(results["duckdb"][0]), med(results["duckdb"][1])
    pl_t, pl_m = med(results["polars"][0]), med(results["polars"][1])
    faster = min(dk_t, pl_t)
    an_c, dk_c, pl_c = med(results["analyze"][2]), med(results["duckdb"][2]), med(results["polars"][2])
    print(f"peers: DuckDB {dk_t / an_t:.2f}x analyze's time, polars {pl_t / an_t:.2f}x; "
          f"memory: DuckDB {dk_m / 1024:.0f} MiB, polars {pl_m / 1024:.0f} MiB, analyze {an_m / 1024:.0f} MiB")
    print(f"peers, CPU time (user + system, less sensitive to load): DuckDB {dk_c / an_c:.2f}x analyze's, polars {pl_c / an_c:.2f}x")
    if firms < 10_000_000:
        print(f"target: analyze at least 3x faster than the faster peer: {faster / an_t:.2f}x, {verdict(faster / an_t >= 3)}")
        print(f"target: analyze in less memory than either peer: {verdict(an_m < min(dk_m, pl_m))}")
    for line in peer_agreement.strip().splitlines():
        print(f"peer output: {line}")
if firms >= 10_000_000:
    print(f"target: analyze at most 10 s: {an_t:.2f} s, {verdict(an_t <= 10)}")
    print(f"target: analyze in at most 2048 MiB: {an_m / 1024:.0f} MiB, {verdict(an_m / 1024 <= 2048)}")
    print(f"target: validate at most 5 s: {med(results['validate'][0]):.2f} s, {verdict(med(results['validate'][0]) <= 5)}")
an_cpu = med(results["analyze"][2])
print(f"curve: {firms} firms, analyze {an_t:.3f} s = {an_t / firms * 1e6:.3f} s per million firms (CPU {an_cpu:.2f} s = {an_cpu / firms * 1e6:.3f} s per million), {an_m / 1024:.0f} MiB; "
      f"validate {med(results['validate'][0]):.3f} s (load average {load_after})")
for line in open(os.path.join(work, "floor.txt")):
    print(line.rstrip())
print(f"output: {agreement}")
if "reference" in results:
    print(f"target: results identical to the reference: {verdict(agreement.startswith('agree'))}")
PY
