#!/usr/bin/env bash
# Installs robochain, its man page and its bash, zsh and fish completions under PREFIX
# (default: /usr/local as root, ~/.local otherwise):
#   PREFIX/bin/robochain
#   PREFIX/share/man/man1/robochain.1
#   PREFIX/share/bash-completion/completions/robochain
#   PREFIX/share/zsh/site-functions/_robochain
#   PREFIX/share/fish/vendor_completions.d/robochain.fish
# From a clone, it first builds robochain for release (Swift standard library linked statically,
# through scripts/stage.sh; Swift and libgraphviz-dev needed). From an unpacked release archive
# (bin/robochain beside this script), it installs what the archive holds; nothing is built.
# The files installed are listed in PREFIX/share/robochain/installed-files; scripts/uninstall.sh
# removes them. Usage: bash scripts/install.sh [PREFIX]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -eq 0 ]; then default_prefix=/usr/local; else default_prefix=$HOME/.local; fi
prefix=${1:-$default_prefix}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)

if [ -x "$here/bin/robochain" ]; then
  stage=$here
else
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  bash "$here/stage.sh" "$stage"
fi

files=(bin/robochain share/man/man1/robochain.1 share/bash-completion/completions/robochain
  share/zsh/site-functions/_robochain share/fish/vendor_completions.d/robochain.fish)
manifest=$prefix/share/robochain/installed-files
mkdir -p "$(dirname "$manifest")"
: >"$manifest"
for file in "${files[@]}"; do
  mode=644; [ "$file" = bin/robochain ] && mode=755
  install -D -m "$mode" "$stage/$file" "$prefix/$file"
  echo "$file" >>"$manifest"
  echo "installed $prefix/$file" >&2
done

# What the user may still have to do.
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "note: add $prefix/bin to PATH, e.g. export PATH=\"$prefix/bin:\$PATH\"" >&2 ;; esac
command -v man >/dev/null 2>&1 || echo "note: man is not installed (apt-get install man-db); the page is $prefix/share/man/man1/robochain.1" >&2
if [ ! -f /usr/share/bash-completion/bash_completion ]; then
  echo "note: for bash completion install bash-completion, or add to ~/.bashrc: . $prefix/share/bash-completion/completions/robochain" >&2
elif [ "$prefix" != /usr/local ] && [ "$prefix" != /usr ] && [ "$prefix" != "$HOME/.local" ]; then
  echo "note: bash does not look in $prefix for completions; add to ~/.bashrc: . $prefix/share/bash-completion/completions/robochain" >&2
fi
if [ "$prefix" != /usr/local ] && [ "$prefix" != /usr ]; then
  echo "note: for zsh completion add to ~/.zshrc before compinit: fpath=($prefix/share/zsh/site-functions \$fpath)" >&2
fi
echo "robochain $("$prefix/bin/robochain" --version) installed in $prefix; try: robochain --help, man robochain" >&2
