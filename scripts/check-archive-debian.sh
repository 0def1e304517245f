#!/usr/bin/env bash
# Runs a release archive (scripts/package.sh) on a minimal Debian 12 that has only the runtime
# packages robochain needs — libgvc6 and fonts-wqy-microhei, no libxml2, no Swift, no -dev package — in a
# chroot made with debootstrap (minbase, about 250 MB, a minute or two the first time; kept in
# ROOT for the next run). It checks --version, validate, analyze, render (PNG, SVG, PDF) and
# install.sh, --help and bash completion from the installed files. Needs root and debootstrap
# (apt-get install debootstrap), and the network for Debian's packages.
# Usage: bash scripts/check-archive-debian.sh ARCHIVE [ROOT]   (default ROOT: .build/debian-runtime)
set -euo pipefail
archive=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
root=${2:-.build/debian-runtime}
mkdir -p "$(dirname "$root")"
root=$(cd "$(dirname "$root")" && pwd)/$(basename "$root")

# robochain, as any program linked with the static Swift standard library, reads its arguments
# from /proc/self/cmdline: without /proc it would see none.
mounted=
trap '[ -z "$mounted" ] || umount "$root/proc"' EXIT
mount_proc() { mount --bind /proc "$root/proc" && mounted=1; }

# The root is kept between runs, and rebuilt when the runtime packages it was made with change.
packages="libgvc6 fonts-wqy-microhei"
if [ ! -x "$root/usr/bin/apt-get" ] || [ "$(cat "$root/.runtime-ready" 2>/dev/null)" != "$packages" ]; then
  echo "==> debootstrap Debian 12 (minbase) into $root" >&2
  rm -rf "$root"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >&2
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount_proc
  chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin DEBIAN_FRONTEND=noninteractive /bin/sh -c \
    "apt-get update -qq && apt-get install -y -qq --no-install-recommends $packages >/dev/null" >&2
  echo "$packages" > "$root/.runtime-ready"
fi
if chroot "$root" /usr/bin/dpkg-query -W -f '${Package}\n' | grep -E -- '-dev$|^swift' >&2; then
  echo "check: the runtime root has -dev or Swift packages; remove $root and run again" >&2
  exit 1
fi

[ -n "$mounted" ] || mount_proc
name=$(basename "$archive" .tar.gz)
rm -rf "$root/tmp/check" "$root/usr/local/bin/robochain"
mkdir -p "$root/tmp/check"
cp "$archive" "$root/tmp/check/"
chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root NO_COLOR=1 /bin/bash ${CHECK_TRACE:+-x} -euo pipefail -c "
  cd /tmp/check && tar xzf '$name.tar.gz' && cd '$name'
  ./bin/robochain --version
  ./bin/robochain validate Models/guangdong-robots.yaml >/tmp/check/validate.txt
  ./bin/robochain analyze Models/guangdong-robots.yaml --format json >/tmp/check/analysis.json
  for format in png svg pdf; do
    ./bin/robochain render Models/guangdong-robots.yaml --with gap-detection --with localisation-share \
      --output /tmp/check/map.\$format 2>/tmp/check/render.err
    if [ -s /tmp/check/render.err ]; then cat /tmp/check/render.err >&2; exit 1; fi
  done
  bash install.sh /usr/local 2>/dev/null
  robochain --help >/tmp/check/help.txt
  grep -q '^OVERVIEW: Map an industry chain' /tmp/check/help.txt
  set +eu  # completion functions are written for interactive shells (unset is empty, (( )) may be 0)
  . /usr/local/share/bash-completion/completions/robochain
  COMP_WORDS=(robochain analyze Models/guangdong-robots.yaml --scope CN-GD-S); COMP_CWORD=4
  COMP_LINE=\"\${COMP_WORDS[*]}\"; COMP_POINT=\${#COMP_LINE}; COMPREPLY=()
  _robochain robochain CN-GD-S --scope
  [ \"\${COMPREPLY[*]}\" = CN-GD-SZ ] || { echo \"completion gave: \${COMPREPLY[*]}\" >&2; exit 1; }
  set -e
  bash uninstall.sh /usr/local 2>/dev/null
  [ ! -e /usr/local/bin/robochain ]
"
echo "check: $name runs on Debian 12 with only libgvc6 and fonts-wqy-microhei" >&2
