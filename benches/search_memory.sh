#!/usr/bin/env bash
# Peak memory of a session that searches: the release binary opened on a corpus in tmux
# (120x40), VmHWM and VmRSS of /proc/<pid>/status read once the corpus is listed, then after
# typing "smith" in the search prompt and after typing "random" in a new search, a key every
# 1.5 s. The open's own peak is measure_load's; this is what searching adds to it.
#
# usage: benches/search_memory.sh CORPUS [BINARY]
#   BINARY   default target/release/abstriage (cargo build --release first)
#   WAIT     seconds to wait for the whole corpus to be listed (default 6; about 3 s cold at
#            100k records)
# Runs with ABSTRIAGE_CACHE as set in the environment (unset: the user's load cache).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(realpath "$1")
binary=$(realpath "${2:-$here/target/release/abstriage}")
WAIT=${WAIT:-6}
session=abstriage-memory-$$
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 1; }
tmux new -d -s "$session" -x 120 -y 40 "exec '$binary' '$corpus'"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
sleep "$WAIT"
pid=$(tmux list-panes -t "$session" -F '#{pane_pid}')
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$pid/status"; }
report() { echo "$1: peak $(( $(kib VmHWM) / 1024 )) MiB, resident $(( $(kib VmRSS) / 1024 )) MiB"; }
type_slowly() {
  tmux send-keys -t "$session" /
  sleep 0.5
  for key in $(echo "$1" | fold -w1); do
    tmux send-keys -t "$session" "$key"
    sleep 1.5
  done
  tmux send-keys -t "$session" Escape
  sleep 0.5
}
size=$(stat -c %s "$corpus" 2>/dev/null || echo 0)
echo "$corpus: $(( size / 1024 / 1024 )) MiB on disk"
report "listed"
type_slowly smith
report "after \"smith\""
type_slowly random
report "after \"random\""
tmux send-keys -t "$session" q
sleep 1
