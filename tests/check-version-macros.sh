#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# check-version-macros.sh SOURCE CC [CFLAGS...]: HS_VERSION_MAX_ALLOWED keeps
# newer API from a program that asked for an older version.
set -u
source=$1
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if ! "$@" -Werror=deprecated-declarations -c "$source" -o "$out/current.o" 2>"$out/current.log"; then
  echo "FAIL: 0.2 API with the default HS_VERSION_MAX_ALLOWED:" >&2
  cat "$out/current.log" >&2
  exit 1
fi
if "$@" -Werror=deprecated-declarations -DHS_VERSION_MAX_ALLOWED=HS_VERSION_0_1 \
     -c "$source" -o "$out/old.o" 2>"$out/old.log"; then
  echo "FAIL: 0.2 API compiled without a warning with HS_VERSION_MAX_ALLOWED=HS_VERSION_0_1" >&2
  exit 1
fi
if ! grep -q 'hs_inject_auto' "$out/old.log"; then
  echo "FAIL: the warning does not name hs_inject_auto:" >&2
  cat "$out/old.log" >&2
  exit 1
fi
if "$@" -DHS_VERSION_MIN_REQUIRED=HS_VERSION_0_2 -DHS_VERSION_MAX_ALLOWED=HS_VERSION_0_1 \
     -c "$source" -o "$out/bad.o" 2>/dev/null; then
  echo "FAIL: HS_VERSION_MAX_ALLOWED < HS_VERSION_MIN_REQUIRED compiled" >&2
  exit 1
fi
echo "ok: HS_VERSION_MAX_ALLOWED and HS_VERSION_MIN_REQUIRED"
