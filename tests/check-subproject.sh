#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# check-subproject.sh SRCDIR: builds tests/subproject, a small project that
# gets Hopscotch with dependency('hopscotch-1') from subprojects/hopscotch
# (this source tree), forced so that an installed Hopscotch is not used,
# and runs its program.
set -eu
srcdir=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$srcdir/tests/subproject/meson.build" "$srcdir/tests/subproject/consumer.c" "$work/"
mkdir "$work/subprojects"
ln -s "$srcdir" "$work/subprojects/hopscotch"
meson setup "$work/build" "$work" --force-fallback-for=hopscotch-1 >"$work/setup.log" 2>&1 ||
  { cat "$work/setup.log"; exit 1; }
meson compile -C "$work/build" >"$work/compile.log" 2>&1 ||
  { cat "$work/compile.log"; exit 1; }
output=$("$work/build/consumer")
echo "$output"
case "$output" in
  "Hopscotch "*" as a subproject: got a GObject") ;;
  *) echo "unexpected output" >&2; exit 1 ;;
esac
