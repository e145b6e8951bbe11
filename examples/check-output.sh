#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs an example (the arguments after the first) and compares what it
# prints with the expected output in the file named first.
expected="$1"
shift
actual=$("$@") || { echo "example failed: $*" >&2; exit 1; }
if [ "$actual" != "$(cat "$expected")" ]; then
  echo "example output differs from $expected:" >&2
  printf '%s\n' "$actual" | diff "$expected" - >&2
  exit 1
fi
printf '%s\n' "$actual"
