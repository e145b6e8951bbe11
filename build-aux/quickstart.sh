#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The quick start, on Debian 12:
#   build-aux/quickstart.sh examples   install what is missing, build, run the examples
#   build-aux/quickstart.sh test       the same, then run the whole test suite,
#                                      build the API reference, run the installed
#                                      tests, check the release tarball and run
#                                      build-aux/robustness.sh
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
# gtkdoc-check, the API reference's test, reads BUILDDIR as its own directory.
unset BUILDDIR

packages=(
  meson ninja-build pkg-config gcc
  libglib2.0-dev gobject-introspection libgirepository1.0-dev gir1.2-glib-2.0
  python3-gi gjs gettext dbus
  gtk-doc-tools libglib2.0-doc gnome-desktop-testing chromium
  valac libgtk-4-dev gir1.2-gtk-4.0 xvfb xauth libpeas-dev
  valgrind clang libclang-rt-14-dev
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
  # The API reference in a build of its own, every gtk-doc warning fatal,
  # then its checks: gtkdoc-check, and the suite "docs" (links, rendering
  # in Chromium); the release tarball is checked from that build, with its
  # options.
  echo
  echo "== The API reference (gtk-doc, warnings fatal)"
  docsdir="$builddir-docs"
  log="$builddir/meson-logs/docs.log"
  # shellcheck disable=SC2086
  if ! { { [ -f "$docsdir/build.ninja" ] ||
           meson setup "$docsdir" ${MESON_ARGS:-} -Ddocs=true -Dwerror=true; } &&
         meson compile -C "$docsdir" &&
         meson test -C "$docsdir" --print-errorlogs hopscotch-1-doc-check &&
         meson test -C "$docsdir" --print-errorlogs --suite docs; } >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "FAILED: the API reference (the whole log is $log)" >&2
    exit 1
  fi
  grep -E 'symbol docs coverage|not documented' "$docsdir/docs/hopscotch-undocumented.txt" | paste -sd' '
  echo "HTML in $docsdir/docs/html"

  echo
  echo "== The installed tests"
  build-aux/run-installed-tests.sh "$builddir-installed"

  echo
  echo "== The release tarball"
  build-aux/dist-check.sh "$docsdir"

  echo
  echo "== Robustness: valgrind, sanitizers, fuzzing"
  BUILDDIR="$builddir" build-aux/robustness.sh

  # Last, so that its summary closes the output.
  echo
  echo "== The test suite"
  status=0
  meson test -C "$builddir" --print-errorlogs || status=$?
  /usr/bin/python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
with open(sys.argv[1]) as log:
    for line in log:
        result = json.loads(line)["result"]
        key = {"EXPECTEDFAIL": "OK", "TIMEOUT": "FAIL", "ERROR": "FAIL",
               "UNEXPECTEDPASS": "FAIL"}.get(result, result)
        counts[key] = counts.get(key, 0) + 1
print(f"tests: {counts['OK']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
PY
  exit "$status"
fi
