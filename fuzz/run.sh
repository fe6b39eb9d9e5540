#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 600), as docs/fuzzing.md describes. New inputs go to
# fuzz/runs/TARGET/ (git-ignored), the committed seeds in fuzz/corpus/TARGET/ are read but never
# written, findings land in fuzz/artifacts/TARGET/. Extra arguments go to libFuzzer.
#
#   fuzz/run.sh TARGET [SECONDS] [-flag=value ...]
#
# With a nightly toolchain it builds with AddressSanitizer (cargo-fuzz's default), which also
# checks the `unsafe` code of the dependencies; without one, on stable with `--sanitizer none`
# (coverage instrumentation is stable; `-Zsanitizer` is not). TOOLCHAIN=stable|nightly and
# SANITIZER=address|none choose by hand; FUZZ_TARGET_DIR sets cargo's target dir.
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
if [ -z "${TOOLCHAIN:-}" ]; then
  if cargo +nightly --version >/dev/null 2>&1; then TOOLCHAIN=nightly; else TOOLCHAIN=stable; fi
fi
if [ "$TOOLCHAIN" = nightly ]; then sanitizer=${SANITIZER:-address}; else sanitizer=none; fi
mkdir -p "runs/$target"
exec cargo "+$TOOLCHAIN" fuzz run --sanitizer "$sanitizer" \
  ${FUZZ_TARGET_DIR:+--target-dir "$FUZZ_TARGET_DIR"} "$target" "runs/$target" "corpus/$target" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
  -print_final_stats=1 "$@"
