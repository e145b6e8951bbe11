#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Robustness checks, run by CI after the test suite (build-aux/quickstart.sh
# test), or by hand once the main build directory exists:
#
#   1. the C suites under valgrind (meson test --setup valgrind --suite c):
#      no memory errors, no definite or possible leaks (GLib's glib.supp and
#      build-aux/hopscotch.supp);
#   2. a separate build with -Db_sanitize=address,undefined (introspection
#      off: ASan cannot run under Python or GJS) running the C suites;
#   3. when clang with libFuzzer is there (Debian 12: clang and
#      libclang-rt-14-dev), the fuzz target for FUZZ_SECONDS (default 60)
#      with ASan and UBSan. A crash fails; its input is left in
#      <fuzz build>/fuzz-artifacts/ and belongs in tests/fuzz/corpus/.
#
# BUILDDIR names the main build directory (default: _build); the sanitizer
# and fuzz builds go to $BUILDDIR-asan and $BUILDDIR-fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."

builddir=${BUILDDIR:-_build}
asandir=$builddir-asan
fuzzdir=$builddir-fuzz
fuzz_seconds=${FUZZ_SECONDS:-60}
start=$SECONDS

setup() {
  # setup DIR OPTIONS...: configure DIR, or reconfigure it when it exists.
  local dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

step() {
  echo
  echo "== $* ($((SECONDS - start)) s)"
}

step "The C suites under valgrind"
if ! command -v valgrind >/dev/null; then
  echo "valgrind is missing (Debian: apt-get install valgrind)" >&2
  exit 1
fi
if [ ! -f "$builddir/build.ninja" ]; then
  echo "$builddir is not configured: run build-aux/quickstart.sh first" >&2
  exit 1
fi
meson compile -C "$builddir" >/dev/null
meson test -C "$builddir" --setup valgrind --suite c --print-errorlogs --num-processes 2

step "The C suites with AddressSanitizer and UndefinedBehaviorSanitizer"
setup "$asandir" -Db_sanitize=address,undefined -Db_lundef=false \
  -Dintrospection=disabled -Dexamples=false -Ddocs=false
meson compile -C "$asandir" >/dev/null
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
G_SLICE=always-malloc \
  meson test -C "$asandir" --suite c --print-errorlogs --num-processes 2

step "The fuzz target, $fuzz_seconds s"
fuzz_check='int LLVMFuzzerTestOneInput (const unsigned char *d, unsigned long n) { return 0; }'
if ! command -v clang >/dev/null ||
   ! echo "$fuzz_check" | clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
  echo "clang with libFuzzer not found (Debian: apt-get install clang libclang-rt-14-dev): skipped"
else
  # The library too is instrumented for coverage (fuzzer-no-link), or the
  # fuzzer would see only the target's own branches.
  CC=clang setup "$fuzzdir" -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link -Dintrospection=disabled -Dexamples=false -Ddocs=false
  meson compile -C "$fuzzdir" tests/fuzz/fuzz-registry >/dev/null
  work=$fuzzdir/fuzz-corpus
  artifacts=$fuzzdir/fuzz-artifacts
  mkdir -p "$work" "$artifacts"
  # libFuzzer's own leak checks would run after most inputs (the thread
  # caches keep memory across inputs) and slow it tenfold; the target
  # checks for leaked objects itself, and valgrind checks its corpus.
  if ! ASAN_OPTIONS=quarantine_size_mb=64:abort_on_error=1 \
       UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
       G_SLICE=always-malloc \
       "$fuzzdir/tests/fuzz/fuzz-registry" -max_total_time="$fuzz_seconds" -max_len=1280 \
         -timeout=20 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 \
         -artifact_prefix="$artifacts/" "$work" tests/fuzz/corpus \
       >"$fuzzdir/fuzz.log" 2>&1; then
    tail -n 60 "$fuzzdir/fuzz.log"
    echo "The fuzzer found a crash: add the input in $artifacts to tests/fuzz/corpus/" >&2
    exit 1
  fi
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$fuzzdir/fuzz.log" || true
fi

step "Robustness checks passed"
