#!/usr/bin/env bash
# The main job on the default model, Models/guangdong-robots.yaml: validate it, run gap
# detection and localisation share (shown here, and saved as Markdown, CSV, JSON and an Excel
# workbook), write the HTML report (in English and in Chinese), and draw the chain map with
# their colours and badges (PNG and SVG). Outputs go to robochain-output/ (or the directory given).
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

analyses=(--with gap-detection --with localisation-share)
echo "==> robochain analyze $model ${analyses[*]}" >&2
"$robochain" analyze "$model" "${analyses[@]}"
"$robochain" analyze "$model" "${analyses[@]}" --output "$out/guangdong-analysis.md"
"$robochain" analyze "$model" "${analyses[@]}" --output "$out/guangdong-analysis.csv"
"$robochain" analyze "$model" "${analyses[@]}" --output "$out/guangdong-analysis.json"

"$robochain" analyze "$model" "${analyses[@]}" --output "$out/guangdong-analysis.xlsx"

echo "==> robochain report $model ${analyses[*]}" >&2
"$robochain" report "$model" "${analyses[@]}" --output "$out/guangdong-report.html"
"$robochain" report "$model" "${analyses[@]}" --lang zh --output "$out/guangdong-report-zh.html"

echo "==> robochain render $model ${analyses[*]}" >&2
"$robochain" render "$model" "${analyses[@]}" --output "$out/guangdong-map.png"
"$robochain" render "$model" "${analyses[@]}" --output "$out/guangdong-map.svg"

echo "==> wrote $(ls "$out" | sed "s|^|$out/|" | tr '\n' ' ')" >&2
