#!/usr/bin/env bash
# Installs what RoboChain needs and is missing on a Debian or Ubuntu machine:
# Graphviz's C library (libgraphviz-dev), a CJK font (fonts-wqy-microhei, or Chinese labels
# render as empty boxes), zlib (for .xlsx models), pkg-config and python3 (for the tests and the Python plugin).
# Swift itself (6.1 or later) must be on PATH; if it is not, this says how to get it.
set -euo pipefail

missing=()
pkg-config --version >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists libgvc 2>/dev/null || missing+=(libgraphviz-dev)
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; } || missing+=(fonts-wqy-microhei)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
pkg-config --exists zlib 2>/dev/null || missing+=(zlib1g-dev)  # ZIPFoundation (.xlsx models)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
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
