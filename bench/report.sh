#!/usr/bin/env bash
# The report at scale (issue 14): a generated model of N firms (default 100,000), its HTML report
# and workbook written by a release robochain, and the report opened in headless Chromium K times
# (default 3). Prints the time to write each file, its size, and for the page: when its script
# had drawn the map's controls and the first page of every table (performance.now() after the
# report's script, from navigation start), the load event, and the wall time of the whole
# chromium process (start-up and exit included).
#
#   bash bench/report.sh [--firms N] [--runs K]
#
# Needs ../shared/bench/gen_chain.py beside the checkout (or SHARED=path) and chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=${SHARED:-$root/../shared}
firms=100000
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --firms) firms=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: bash bench/report.sh [--firms N] [--runs K]" >&2; exit 64 ;;
  esac
done
data=$root/bench/data/chain-$firms
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -f "$data/supplies.csv" ]; then
  echo "bench: generating $data ($firms firms)" >&2
  python3 "$shared/bench/gen_chain.py" --firms "$firms" --out "$data" >&2
fi
swift build -c release --product robochain >&2
robochain=$(swift build -c release --show-bin-path)/robochain
analyses=(--with gap-detection --with localisation-share --scope CN-GD)

/usr/bin/time -f "report: %e s, peak %M KiB" "$robochain" report "$data" "${analyses[@]}" --output "$work/report.html"
/usr/bin/time -f "workbook: %e s, peak %M KiB" "$robochain" analyze "$data" "${analyses[@]}" --output "$work/analysis.xlsx"
ls -l "$work/report.html" "$work/analysis.xlsx" | awk '{print $5, $9}'

# The page with a probe: it records when the report's own script has run, then the load event.
python3 - "$work/report.html" "$work/probe.html" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
catch = '<script>window.__e=[];addEventListener("error",function(e){__e.push(String(e.message))});</script>'
probe = ('<script>window.__ready=performance.now();addEventListener("load",function(){var p=document.createElement("pre");'
         'p.id="probe";p.textContent=JSON.stringify({scriptDone:Math.round(__ready),load:Math.round(performance.now()),'
         'errors:__e,mapNodes:document.querySelectorAll("#mapwrap g.node").length,'
         'rowsShown:document.querySelectorAll("div.table tbody tr").length});document.body.appendChild(p);});</script>')
page = page.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + catch, 1).replace("</body>", probe + "</body>")
open(sys.argv[2], "w", encoding="utf-8").write(page)
PY
for run in $(seq "$runs"); do
  start=$(date +%s.%N)
  probe=$(chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=10000 --dump-dom "file://$work/probe.html" 2>/dev/null \
    | grep -o '<pre id="probe">[^<]*' | sed 's/<pre id="probe">//')
  end=$(date +%s.%N)
  echo "chromium run $run: $probe (ms from navigation start); process wall $(echo "$end - $start" | bc) s"
done
