#!/usr/bin/env bash
# Writes the release archive OUTDIR/robochain-VERSION-linux-ARCH.tar.gz (default OUTDIR: dist):
#   bin/robochain            Swift standard library linked statically; needs from the system only
#                            Graphviz's runtime library (libgvc6) and, for Chinese labels, a CJK font
#                            (fonts-wqy-microhei), besides glibc and libstdc++ (.xlsx parts are read by
#                            RoboChain's own XML scanner, not libxml2)
#   share/man/man1/robochain.1, share/{bash-completion,zsh,fish}/…   man page and completions
#   install.sh, uninstall.sh  install the above under a PREFIX (nothing is built)
#   Models/, docs/, plugins/SupplierConcentration/, README.md, LICENSE
# VERSION is RoboChainVersion.current (Sources/RoboChainModel/Version.swift). The archive is
# reproducible: sorted names, owner root, times of the last commit.
# Usage: bash scripts/package.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/RoboChainModel/Version.swift)
case "$(uname -m)" in x86_64) arch=x86_64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
name=robochain-$version-linux-$arch

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/$name
bash scripts/stage.sh "$stage"
# Debug information out (a quarter of the size); symbols stay, for readable crash reports.
strip --strip-debug "$stage/bin/robochain"

cp README.md LICENSE "$stage/"
cp scripts/install.sh scripts/uninstall.sh "$stage/"
cp -R Models docs "$stage/"
mkdir -p "$stage/plugins"
cp -RL Plugins/SupplierConcentration "$stage/plugins/"  # -L: its helper module is a link to python/
find "$stage" -name __pycache__ -prune -exec rm -rf {} +

mtime=$(git log -1 --format=%ct 2>/dev/null || date +%s)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -C "$work" -czf "$out/$name.tar.gz" "$name"
echo "wrote $out/$name.tar.gz" >&2
echo "$out/$name.tar.gz"
