#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 600) on stable Rust, the way docs/fuzzing.md
# describes: new inputs go to fuzz/runs/TARGET/ (git-ignored), the committed seeds in
# fuzz/corpus/TARGET/ are read but never written, crashes land in fuzz/artifacts/TARGET/.
# Extra arguments go to libFuzzer.   Usage: fuzz/run.sh TARGET [SECONDS] [-flag=value ...]
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
mkdir -p "runs/$target"
exec cargo fuzz run --sanitizer none "$target" "runs/$target" "corpus/$target" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
  -print_final_stats=1 "$@"
