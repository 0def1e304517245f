#!/usr/bin/env bash
# Writes DIR/robochain.1, the man page of the robochain executable BINARY, with
# swift-argument-parser's generate-manual tool (the tool behind its `generate-manual` package
# plugin; built here on its own, from the checkout SwiftPM already has, so that the plugin does
# not rebuild the whole package in another configuration).
#
# generate-manual drops every non-ASCII character (Chinese terms, dashes). So robochain's help
# reaches it with each such character written as an ASCII placeholder, @U<hex>@, which is then
# turned into the roff escape \[u<hex>] that man(1) shows as the character.
# Usage: bash scripts/manpage.sh BINARY DIR
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=${2:?usage: bash scripts/manpage.sh BINARY DIR}
mkdir -p "$out"

swift build --product generate-manual >&2
tool=$(swift build --show-bin-path)/generate-manual

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/robochain" <<WRAPPER
#!/bin/sh
"$binary" "\$@" | perl -CSD -pe 's/([^\\x00-\\x7F])/sprintf("\\@U%X\\@", ord(\$1))/ge'
WRAPPER
chmod +x "$work/robochain"

# The date of the last commit, so that the page is the same however often it is made.
date=$(git log -1 --format=%cs 2>/dev/null || date -u +%Y-%m-%d)
mkdir -p "$work/man"
"$tool" "$work/robochain" --date "$date" --authors "RoboChain contributors" --output-directory "$work/man" >&2
# Placeholders to roff escapes; a blank line (mdoc warns about them) to a paragraph break.
perl -pe 's/\@U([0-9A-F]+)\@/\\[u$1]/g; s/^\s*$/.Pp\n/' "$work/man/robochain.1" >"$out/robochain.1"
echo "wrote $out/robochain.1" >&2
