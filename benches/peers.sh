#!/usr/bin/env bash
# The peers of issue 8, measured on the same corpora as abstriage, when they can be had:
#   - ASReview's loader: `asreview.load_dataset(file)` (PyPI package `asreview`, in a venv),
#     the import measured apart; peak memory from getrusage.
#   - fzf --filter (Debian package `fzf`) over one line per record, without and with the
#     abstract, run once per typed character of the queries measure_latency types.
# Each peer that cannot be installed is reported as skipped; the script still succeeds.
#
# usage: benches/peers.sh [CORPUS.ris ...]
#   default corpora: $AB_DIR/{1k,10k,100k,300k}.ris that exist (benches/figures.sh makes them)
#   AB_DIR   scratch folder for venv, fzf lines (default /tmp/abstriage-bench)
#   RUNS     ASReview loads per corpus up to 100k records (default 3; 1 above)
#   SKIP_ASREVIEW=1, SKIP_FZF=1 to leave one out
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
AB_DIR=${AB_DIR:-/tmp/abstriage-bench}
RUNS=${RUNS:-3}
mkdir -p "$AB_DIR"
AB_DIR=$(realpath "$AB_DIR")

corpora=("$@")
if [ ${#corpora[@]} -eq 0 ]; then
  for n in 1k 10k 100k 300k; do
    [ -f "$AB_DIR/$n.ris" ] && corpora+=("$AB_DIR/$n.ris")
  done
fi
for i in "${!corpora[@]}"; do
  corpora[i]=$(realpath "${corpora[i]}")
done
# Work in the scratch folder: importing asreview leaves a synergy_cache.sqlite in the
# current folder.
cd "$AB_DIR"
if [ ${#corpora[@]} -eq 0 ]; then
  echo "peers.sh: no corpus given and none in $AB_DIR; run benches/figures.sh or gen_corpus first" >&2
  exit 1
fi

echo "# Peers ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo

# Percentiles of the numbers (ms) on stdin: "n p50 p95 max".
percentiles() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "0 - - -"; exit }
    i50 = int(0.50 * NR + 0.999999); i95 = int(0.95 * NR + 0.999999)
    printf "%d %.1f %.1f %.1f\n", NR, v[i50], v[i95], v[NR] }'
}

records_of() { grep -c '^TY  - ' "$1" 2>/dev/null || echo '?'; }

# --- ASReview ---------------------------------------------------------------------------
asreview_peer() {
  local venv="$AB_DIR/venv-asreview" py
  py="$venv/bin/python"
  if ! "$py" -c 'import asreview' 2>/dev/null; then
    echo "asreview: installing into $venv ..." >&2
    if ! { python3 -m venv "$venv" && timeout 900 "$venv/bin/pip" install -q asreview; } >&2; then
      echo "ASReview: skipped (python3 -m venv or pip install asreview failed)"
      echo
      return
    fi
  fi
  local version
  version=$("$py" -c 'import importlib.metadata as m; print(m.version("asreview"))')
  cat >"$AB_DIR/asreview_load.py" <<'PY'
import resource, sys, time
t0 = time.perf_counter()
import asreview
t1 = time.perf_counter()
db = asreview.load_dataset(sys.argv[1])
t2 = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{(t1 - t0) * 1000:.0f} {(t2 - t1) * 1000:.0f} {len(db.input)} {rss}")
PY
  echo "## ASReview $version: asreview.load_dataset(file), fresh process per run"
  echo
  echo "| corpus | records | load (median) | runs | import asreview | peak RSS |"
  echo "|---|---|---|---|---|---|"
  local corpus
  for corpus in "${corpora[@]}"; do
    local records runs loads=() imports=() rss=0 count=0 out
    records=$(records_of "$corpus")
    runs=$RUNS
    [ "$records" != '?' ] && [ "$records" -gt 100000 ] && runs=1
    for _ in $(seq "$runs"); do
      if ! out=$("$py" "$AB_DIR/asreview_load.py" "$corpus" 2>"$AB_DIR/asreview.err"); then
        echo "| $corpus | $records | failed: $(tail -1 "$AB_DIR/asreview.err") | | | |"
        continue 2
      fi
      read -r imp load count r <<<"$out"
      imports+=("$imp"); loads+=("$load")
      [ "$r" -gt "$rss" ] && rss=$r
    done
    local load_p imp_p
    load_p=$(printf '%s\n' "${loads[@]}" | percentiles | awk '{ print $2 }')
    imp_p=$(printf '%s\n' "${imports[@]}" | percentiles | awk '{ print $2 }')
    echo "| $corpus | $count | ${load_p} ms | $runs | ${imp_p} ms | $((rss / 1024)) MiB |"
  done
  echo
}

# --- fzf --filter -----------------------------------------------------------------------
fzf_peer() {
  if ! command -v fzf >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "fzf: installing the Debian package ..." >&2
      timeout 300 apt-get install -y -q fzf >/dev/null 2>&1 ||
        { timeout 300 apt-get update -q >/dev/null 2>&1 && timeout 300 apt-get install -y -q fzf >/dev/null 2>&1; }
    fi
  fi
  if ! command -v fzf >/dev/null; then
    echo "fzf: skipped (not installed, and apt-get install fzf was not possible)"
    echo
    return
  fi
  echo "## $(fzf --version | head -1 | sed 's/^/fzf /'): fzf --filter QUERY < lines, once per typed character"
  echo
  echo "Each run starts fzf and reads the whole file, as --filter does; lines are written by"
  echo "measure_latency --lines (title, authors, year, journal, keywords; then the abstract)."
  echo
  echo "| corpus | lines | n | p50 | p95 | max |"
  echo "|---|---|---|---|---|---|"
  # What starting fzf costs by itself: the floor under every figure below.
  local t0 t1 start=()
  for _ in $(seq 20); do
    t0=$EPOCHREALTIME
    fzf --filter q </dev/null >/dev/null
    t1=$EPOCHREALTIME
    start+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')")
  done
  read -r n p50 p95 max < <(printf '%s\n' "${start[@]}" | percentiles)
  echo "| (no input: start-up only) | - | $n | $p50 ms | $p95 ms | $max ms |"
  local corpus
  for corpus in "${corpora[@]}"; do
    local name lines
    name=$(basename "$corpus"); name=${name%.*}
    lines="$AB_DIR/lines-$name"
    if [ ! -f "$lines/queries.txt" ]; then
      (cd "$here" && cargo run -q --release --example measure_latency -- \
        --lines "$lines" --lines-only "$corpus") >&2 || {
        echo "| $corpus | failed to write lines | | | | |"
        continue
      }
    fi
    local set
    for set in fields abstracts; do
      local bytes every=1
      bytes=$(stat -c %s "$lines/$set.txt")
      # Big files: every few prefixes only (about 16 of 82), and the abstracts of the
      # biggest not at all unless FZF_ALL=1: one pass over them takes a minute.
      [ "$bytes" -gt 20000000 ] && every=5
      if [ "$bytes" -gt 300000000 ] && [ "${FZF_ALL:-0}" != 1 ]; then
        echo "| $corpus | $set | skipped: $((bytes / 1048576)) MiB of lines (FZF_ALL=1 to run) | | | |"
        continue
      fi
      # Read the file once so every run finds it in the page cache.
      cat "$lines/$set.txt" >/dev/null
      local q t0 t1 times=()
      while IFS= read -r q; do
        t0=$EPOCHREALTIME
        fzf --filter "$q" <"$lines/$set.txt" >/dev/null
        t1=$EPOCHREALTIME
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')")
      done < <(awk -v k="$every" '(NR - 1) % k == 0' "$lines/queries.txt")
      read -r n p50 p95 max < <(printf '%s\n' "${times[@]}" | percentiles)
      echo "| $corpus | $set | $n | $p50 ms | $p95 ms | $max ms |"
    done
  done
  echo
}

[ "${SKIP_ASREVIEW:-0}" = 1 ] || asreview_peer
[ "${SKIP_FZF:-0}" = 1 ] || fzf_peer
