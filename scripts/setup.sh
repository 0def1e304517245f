#!/usr/bin/env bash
# Installs what RoboChain needs and is missing on a Debian or Ubuntu machine:
# Graphviz's C library (libgraphviz-dev), a CJK font (fonts-wqy-microhei, or Chinese labels
# render as empty boxes), zlib (for .xlsx models and workbooks), pkg-config and python3 (for the
# tests and the Python plugin), chromium and openpyxl (the tests open the HTML report and the
# workbook with them), and NetworkX for python3 (the tests read the GraphML and GEXF output with it).
# Swift itself (6.1 or later) must be on PATH; if it is not, this says how to get it.
set -euo pipefail

missing=()
pkg-config --version >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists libgvc 2>/dev/null || missing+=(libgraphviz-dev)
pkg-config --exists zlib 2>/dev/null || missing+=(zlib1g-dev)  # ZIPFoundation (the workbook) links zlib
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; } || missing+=(fonts-wqy-microhei)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
pkg-config --exists zlib 2>/dev/null || missing+=(zlib1g-dev)  # ZIPFoundation (.xlsx models)
# The report's tests open it in headless Chromium; the workbook's read it back with openpyxl.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import networkx' >/dev/null 2>&1; then
  echo "setup: installing networkx for python3" >&2
  python3 -m pip --version >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq python3-pip >/dev/null 2>&1 || true; }
  python3 -m pip install -q networkx 2>/dev/null || python3 -m pip install -q --break-system-packages networkx
fi

if ! python3 -c 'import openpyxl' >/dev/null 2>&1; then
  echo "setup: installing openpyxl (pip)" >&2
  python3 -m pip install -q openpyxl >&2 || python3 -m pip install -q --break-system-packages openpyxl >&2 \
    || { [ "$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-openpyxl >/dev/null; } \
    || echo "setup: could not install openpyxl; the workbook's reader test will be skipped" >&2
fi

# The tests check the protocol's JSON Schemas (docs/schemas) with an independent validator.
if ! python3 -c 'import jsonschema; jsonschema.Draft202012Validator' >/dev/null 2>&1; then
  echo "setup: installing jsonschema (Python) for the schema tests" >&2
  if ! python3 -m pip --version >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq python3-pip >/dev/null
  fi
  python3 -m pip install --quiet --user jsonschema 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages jsonschema
fi

if ! command -v swift >/dev/null 2>&1; then
  for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin "$HOME/.local/share/swiftly/bin"; do
    if [ -x "$candidate/swift" ]; then export PATH="$candidate:$PATH"; break; fi
  done
fi
if ! command -v swift >/dev/null 2>&1; then
  cat >&2 <<'MSG'
setup: Swift is not installed. Install Swift 6.1 or later, e.g. with swiftly:
  curl -O https://download.swift.org/swiftly/linux/swiftly-$(uname -m).tar.gz
  tar zxf swiftly-$(uname -m).tar.gz && ./swiftly init --quiet-shell-followup
  . ~/.local/share/swiftly/env.sh
then run this command again.
MSG
  exit 1
fi
