#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The release tarball must build and pass its tests. `meson dist` makes it
# from the committed tree (git archive of HEAD), then unpacks it, configures
# it with the options of BUILDDIR, builds it, runs its tests and installs it
# into a scratch directory.
#
#   build-aux/dist-check.sh [BUILDDIR]    (default: $BUILDDIR, or _build)
#
# BUILDDIR is configured first, with MESON_ARGS, when it does not exist.
# Outside a git checkout there is nothing to pack, and with uncommitted
# changes the tarball would not hold them: the check is skipped then,
# except in CI (CI set), where the checkout must be clean.
set -euo pipefail

cd "$(dirname "$0")/.."
builddir=${1:-${BUILDDIR:-_build}}
# gtkdoc-check, among the tarball's tests, reads BUILDDIR as its own directory.
unset BUILDDIR

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "Skipped: not a git checkout"
  exit 0
fi
if ! git diff-index --quiet HEAD --; then
  if [ -n "${CI:-}" ]; then
    git status --short >&2
    echo "FAILED: the checkout has uncommitted changes" >&2
    exit 1
  fi
  echo "Skipped: uncommitted changes, which meson dist would leave out"
  exit 0
fi

# shellcheck disable=SC2086
[ -f "$builddir/build.ninja" ] || meson setup "$builddir" ${MESON_ARGS:-} >/dev/null

log="$builddir/meson-logs/dist.log"
if meson dist -C "$builddir" --formats=xztar >"$log" 2>&1; then
  grep -E '^(Ok|Fail|Expected Fail|Unexpected Pass|Skipped|Timeout): ' "$log" | tr -s ' ' | paste -sd' ' || true
  grep -E '^(Created |Distribution package .* tested)' "$log"
else
  tail -n 60 "$log" >&2
  echo "FAILED: meson dist (the whole log is $log)" >&2
  exit 1
fi
