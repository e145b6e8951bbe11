#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs Hopscotch with its installed tests into a scratch prefix and runs
# them from there, as a distribution would after `meson install`: with
# gnome-desktop-testing-runner when it is installed, otherwise by running
# the Exec line of each .test file. Fails when any test fails.
#
#   build-aux/run-installed-tests.sh [BUILDDIR]    (default: _build-installed)
#
# MESON_ARGS adds options to `meson setup`. The prefix is BUILDDIR/prefix,
# emptied before each install; the .test files' Exec lines name it, so the
# build is configured with it rather than installed with DESTDIR.
set -euo pipefail

cd "$(dirname "$0")/.."
builddir=${1:-_build-installed}
mkdir -p "$builddir"
prefix=$(cd "$builddir" && pwd)/prefix
log="$builddir/installed-tests.log"
: >"$log"

run() {
  if ! "$@" >>"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "FAILED: $* (the whole log is $log)" >&2
    exit 1
  fi
}

# shellcheck disable=SC2086
if [ -f "$builddir/build.ninja" ]; then
  run meson setup --reconfigure "$builddir" --prefix="$prefix" -Dinstalled_tests=true ${MESON_ARGS:-}
else
  run meson setup "$builddir" --prefix="$prefix" -Dinstalled_tests=true -Dexamples=false ${MESON_ARGS:-}
fi
run meson compile -C "$builddir"
rm -rf "$prefix"
run meson install -C "$builddir" --quiet

testdir="$prefix/share/installed-tests/hopscotch-1"
count=$(find "$testdir" -name '*.test' | wc -l)
echo "Installed $count tests in $prefix"
[ "$count" -gt 0 ] || { echo "No installed tests" >&2; exit 1; }

if command -v gnome-desktop-testing-runner >/dev/null; then
  echo "Running them with gnome-desktop-testing-runner"
  gnome-desktop-testing-runner --dir="$prefix/share" --parallel=0 --status=no \
      --log-directory="$builddir/installed-tests-logs" hopscotch-1 |
    grep -v '^Running test:'
else
  echo "Running them from their Exec lines (no gnome-desktop-testing-runner)"
  failed=0
  for test in "$testdir"/*.test; do
    exec_line=$(sed -n 's/^Exec=//p' "$test")
    name=$(basename "$test")
    if sh -c "$exec_line" >"$builddir/$name.log" 2>&1; then
      echo "PASS: $name"
    else
      echo "FAIL: $name (log: $builddir/$name.log)"
      tail -n 20 "$builddir/$name.log"
      failed=$((failed + 1))
    fi
  done
  echo "SUMMARY: total=$count; failed=$failed"
  [ "$failed" = 0 ]
fi
