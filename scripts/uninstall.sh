#!/usr/bin/env bash
# Removes what scripts/install.sh installed under PREFIX (default: /usr/local as root, ~/.local
# otherwise): the files listed in PREFIX/share/robochain/installed-files, that list, and the
# directories left empty. Usage: bash scripts/uninstall.sh [PREFIX]
set -euo pipefail
if [ "$(id -u)" -eq 0 ]; then default_prefix=/usr/local; else default_prefix=$HOME/.local; fi
prefix=${1:-$default_prefix}
manifest=$prefix/share/robochain/installed-files
if [ ! -f "$manifest" ]; then
  echo "uninstall: robochain is not installed in $prefix (no $manifest)" >&2
  exit 1
fi
while IFS= read -r file; do
  [ -n "$file" ] || continue
  case "$file" in /* | *..*) echo "uninstall: skipping unexpected entry '$file'" >&2; continue ;; esac
  if rm -f "$prefix/$file"; then echo "removed $prefix/$file" >&2; fi
  # Directories the installation may have created, when now empty (never PREFIX itself).
  directory=$(dirname "$file")
  while [ "$directory" != . ]; do
    rmdir "$prefix/$directory" 2>/dev/null || break
    directory=$(dirname "$directory")
  done
done <"$manifest"
rm -f "$manifest"
rmdir "$prefix/share/robochain" "$prefix/share" 2>/dev/null || true
echo "robochain uninstalled from $prefix" >&2
