#!/usr/bin/env bash
# Reproduces the end-to-end figures of docs/performance.md on this machine: generates the
# corpora, then measures the real binary's open (time to first frame, peak memory), the
# steps of an open, key/decision/search latencies, and the peers (benches/peers.sh).
# The in-process micro-benchmarks are `cargo bench` (see docs/performance.md).
#
# usage: benches/figures.sh [SIZE ...]        (default: 1k 10k 100k 300k)
#   AB_DIR      where corpora, fzf lines and the report go (default /tmp/abstriage-bench)
#   SKIP_PEERS=1  leave out benches/peers.sh
# Needs ../shared/corpora (or $ABSTRIAGE_CORPORA) for the figures to compare with the doc.
# Takes about an hour on two cores with all four sizes, most of it at 300k and in peers.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
export AB_DIR=${AB_DIR:-/tmp/abstriage-bench}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1k 10k 100k 300k)
mkdir -p "$AB_DIR"
report="$AB_DIR/figures.md"
: >"$report"
say() { tee -a "$report"; }

echo "building the release binary and the measuring examples ..." >&2
cargo build -q --release
cargo build -q --release --example gen_corpus --example measure_load --example measure_latency
target=${CARGO_TARGET_DIR:-$here/target}

corpora=()
for n in "${sizes[@]}"; do
  file="$AB_DIR/$n.ris"
  if [ ! -f "$file" ]; then
    "$target/release/examples/gen_corpus" --records "$n" --format ris --out "$file"
  fi
  corpora+=("$file")
done

{
  echo "# abstriage figures, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'),"
  echo "$(free -g | awk '/^Mem:/ { print $2 }') GB; commit $(git rev-parse --short HEAD);"
  echo "load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
} | say

# Cold: the load cache off, every open reads its files. Warm: a scratch cache, filled by
# measure_load's warm-up run, so the runs timed read the copy (corpora of 4 MiB or more).
cache_dir="$AB_DIR/cache"
for mode in cold warm; do
  { echo "## Open to first frame and to the whole corpus listed, $mode (real binary in a pty)"; echo; } | say
  rm -rf "$cache_dir"
  setting=off
  [ "$mode" = warm ] && setting=$cache_dir
  for file in "${corpora[@]}"; do
    runs=3
    [ "$(stat -c %s "$file")" -gt 500000000 ] && runs=1
    ABSTRIAGE_CACHE=$setting "$target/release/examples/measure_load" --runs "$runs" \
      --binary "$target/release/abstriage" "$file" \
      | { [ "$file" = "${corpora[0]}" ] && cat || tail -n +3; } | say
  done
  echo | say
done

{ echo "## Steps of an open (in process; cold, then written to the cache, then warm)"; echo; echo '```'; } | say
rm -rf "$cache_dir"
for file in "${corpora[@]}"; do
  ABSTRIAGE_CACHE=off "$target/release/examples/measure_load" --steps "$file" 2>&1 | say
  ABSTRIAGE_CACHE=$cache_dir "$target/release/examples/measure_load" --steps "$file" 2>&1 | say
  ABSTRIAGE_CACHE=$cache_dir "$target/release/examples/measure_load" --steps "$file" 2>&1 | say
done
rm -rf "$cache_dir"
{ echo '```'; echo; } | say

for file in "${corpora[@]}"; do
  keys=2000
  [ "$(stat -c %s "$file")" -gt 500000000 ] && keys=500
  "$target/release/examples/measure_latency" --keys "$keys" "$file" 2>"$AB_DIR/latency.err" | say
  { echo; echo '```'; grep -v 'opened in' "$AB_DIR/latency.err"; echo '```'; echo; } | say
done

if [ "${SKIP_PEERS:-0}" != 1 ]; then
  benches/peers.sh "${corpora[@]}" | say
fi
echo "report: $report" >&2
