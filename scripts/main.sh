#!/usr/bin/env bash
# The main job on the default model, Models/guangdong-robots.yaml: validate it, run the five
# built-in analyses — gap detection, localisation share, value origin, recruitment (招商) and
# critical firms (单点) — (shown here, and saved as Markdown, CSV, JSON and an Excel workbook),
# write the HTML report (in English and in Chinese), draw the chain map with gap detection's and
# localisation share's colours and badges (PNG, SVG, and a 16:9 slide), a second map with value
# origin's, recruitment's and critical firms' (SVG), and write the chain as GraphML and GEXF.
# Outputs go to robochain-output/ (or the directory given).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
out=${1:-robochain-output}
model=Models/guangdong-robots.yaml
mkdir -p "$out"

echo "==> building robochain (release)" >&2
swift build -c release --product robochain >&2
robochain=$(swift build -c release --show-bin-path)/robochain

echo "==> robochain validate $model" >&2
"$robochain" validate "$model"

analyses=(--with gap-detection --with localisation-share --with value-origin --with recruitment --with critical-firms)
echo "==> robochain analyze $model ${analyses[*]}" >&2
"$robochain" analyze "$model" "${analyses[@]}"
"$robochain" analyze "$model" "${analyses[@]}" --output "$out/guangdong-analysis.md"
"$robochain" analyze "$model" "${analyses[@]}" --output "$out/guangdong-analysis.csv"
"$robochain" analyze "$model" "${analyses[@]}" --output "$out/guangdong-analysis.json"

"$robochain" analyze "$model" "${analyses[@]}" --output "$out/guangdong-analysis.xlsx"

echo "==> robochain report $model ${analyses[*]}" >&2
"$robochain" report "$model" "${analyses[@]}" --output "$out/guangdong-report.html"
"$robochain" report "$model" "${analyses[@]}" --lang zh --output "$out/guangdong-report-zh.html"

maps=(--with gap-detection --with localisation-share)
echo "==> robochain render $model ${maps[*]}" >&2
"$robochain" render "$model" "${maps[@]}" --output "$out/guangdong-map.png"
"$robochain" render "$model" "${maps[@]}" --output "$out/guangdong-map.svg"
value_maps=(--with value-origin --with recruitment --with critical-firms)
echo "==> robochain render $model ${value_maps[*]}" >&2
"$robochain" render "$model" "${value_maps[@]}" --output "$out/guangdong-value-map.svg"
"$robochain" render "$model" "${maps[@]}" --page 16:9 --output "$out/guangdong-map-16x9.png"
# The same chain for Gephi, Cytoscape and NetworkX.
"$robochain" render "$model" "${maps[@]}" --output "$out/guangdong-chain.graphml"
"$robochain" render "$model" "${maps[@]}" --output "$out/guangdong-chain.gexf"

echo "==> wrote $(ls "$out" | sed "s|^|$out/|" | tr '\n' ' ')" >&2
