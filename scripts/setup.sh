#!/usr/bin/env bash
# Installs what RoboChain needs and is missing on a Debian or Ubuntu machine, through apt-get
# (with sudo when not root):
# - to build and run it: Graphviz's C library (libgraphviz-dev), zlib (zlib1g-dev, for .xlsx
#   models and workbooks), pkg-config, a CJK font (fonts-wqy-microhei, or Chinese labels render
#   as empty boxes) and python3 (the Python plugin example);
# - only for the tests (when sourced with ROBOCHAIN_SETUP_TESTS=1, as scripts/test.sh does):
#   chromium (the report's tests open it in a headless browser) and, for python3 through pip,
#   openpyxl (reads the workbook back), networkx (reads GraphML and GEXF) and jsonschema (checks
#   the protocol's schemas with an independent validator).
# Swift itself (6.1 or later) must be on PATH; if it is not, this says how to get it.
set -euo pipefail

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
missing=()
pkg-config --version >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists libgvc 2>/dev/null || missing+=(libgraphviz-dev)
pkg-config --exists zlib 2>/dev/null || missing+=(zlib1g-dev)
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; } || missing+=(fonts-wqy-microhei)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${ROBOCHAIN_SETUP_TESTS:-0}" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# pip_module PACKAGE CHECK: installs a Python package the tests use when CHECK fails.
pip_module() {
  python3 -c "$2" >/dev/null 2>&1 && return 0
  echo "setup: installing $1 for python3 (the tests use it)" >&2
  python3 -m pip install -q "$1" >&2 2>/dev/null || python3 -m pip install -q --break-system-packages "$1" >&2
}
if [ "${ROBOCHAIN_SETUP_TESTS:-0}" = 1 ]; then
  pip_module networkx 'import networkx'
  pip_module openpyxl 'import openpyxl'
  pip_module jsonschema 'import jsonschema; jsonschema.Draft202012Validator'
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
