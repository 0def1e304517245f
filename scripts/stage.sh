#!/usr/bin/env bash
# Builds robochain for release and lays out what an installation holds, under DIR:
#   DIR/bin/robochain                                   (Swift standard library linked statically)
#   DIR/share/man/man1/robochain.1                      (swift-argument-parser's generate-manual)
#   DIR/share/bash-completion/completions/robochain     (bash)
#   DIR/share/zsh/site-functions/_robochain             (zsh)
#   DIR/share/fish/vendor_completions.d/robochain.fish  (fish)
# Used by scripts/install.sh and scripts/package.sh. Usage: bash scripts/stage.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${1:?usage: bash scripts/stage.sh DIR}
. scripts/setup.sh

echo "==> building robochain (release, Swift standard library linked statically)" >&2
swift build -c release --static-swift-stdlib --product robochain >&2
binary=$(swift build -c release --static-swift-stdlib --show-bin-path)/robochain

mkdir -p "$stage/bin" "$stage/share/man/man1" "$stage/share/bash-completion/completions" \
  "$stage/share/zsh/site-functions" "$stage/share/fish/vendor_completions.d"
install -m 755 "$binary" "$stage/bin/robochain"

echo "==> man page" >&2
bash scripts/manpage.sh "$stage/bin/robochain" "$stage/share/man/man1"

echo "==> shell completions" >&2
"$stage/bin/robochain" --generate-completion-script bash >"$stage/share/bash-completion/completions/robochain"
"$stage/bin/robochain" --generate-completion-script zsh >"$stage/share/zsh/site-functions/_robochain"
"$stage/bin/robochain" --generate-completion-script fish >"$stage/share/fish/vendor_completions.d/robochain.fish"
