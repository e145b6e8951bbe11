#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The quick start, on Debian 12:
#   build-aux/quickstart.sh examples   install what is missing, build, run the examples
#   build-aux/quickstart.sh test       the same, then run the whole test suite
#
# MESON_ARGS adds options to `meson setup`; BUILDDIR names the build
# directory (default: _build).
set -euo pipefail

mode=${1:-examples}
case "$mode" in
  examples|test) ;;
  *) echo "usage: $0 examples|test" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
builddir=${BUILDDIR:-_build}

packages=(
  meson ninja-build pkg-config gcc
  libglib2.0-dev gobject-introspection libgirepository1.0-dev gir1.2-glib-2.0
  python3-gi gjs gettext
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# shellcheck disable=SC2086
if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure "$builddir" ${MESON_ARGS:-}
else
  meson setup "$builddir" ${MESON_ARGS:-}
fi
meson compile -C "$builddir"

echo
echo "== The examples"
meson test -C "$builddir" --suite examples --print-errorlogs --verbose

if [ "$mode" = test ]; then
  echo
  echo "== The test suite"
  meson test -C "$builddir" --print-errorlogs
fi
