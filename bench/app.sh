#!/usr/bin/env bash
# Whole-app benchmark: time from launch to the queue painted, and resident memory of the app
# with its WebKit processes, side by side with a bare Tauri window built from the same versions.
# Release builds, under Xvfb and a private D-Bus session bus. `make bench` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
ISSUES=${ISSUES:-100000}

# As shipped: `tauri build` turns on tauri/custom-protocol (assets from the binary, no dev mode).
cargo build --release -q -p frontline -p frontline-bare-window --features tauri/custom-protocol
work=$(mktemp -d)
trap 'rm -rf "$work"; kill "${xvfb:-0}" 2>/dev/null || true' EXIT
data="$work/data"
cargo run --release -q -p frontline-core --example seed -- "$data" "$ISSUES" 1000

Xvfb :97 -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=:97 NO_COLOR=1 NO_AT_BRIDGE=1
for _ in $(seq 250); do [ -S /tmp/.X11-unix/X97 ] && break; sleep 0.02; done
[ -S /tmp/.X11-unix/X97 ] || { echo "Xvfb did not start on :97" >&2; exit 1; }

# Resident memory (kB) of a process and all its descendants.
tree_rss() {
  local total=0 pid rss
  for pid in $(pstree -p -T "$1" | grep -o '([0-9]*)' | tr -d '()'); do
    # A process that has just ended (or a zombie) has no VmRSS line: it counts as 0.
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${rss:-0}))
  done
  echo "$total"
}

# mark_ms LOG MARK: the time ("ms=N") on the first line of LOG with MARK, once that line is
# whole. A program may write a line in pieces ("painted ms=", the number, the newline): read
# half-way, the number was missing or cut short, and the run stopped without a word.
mark_ms() {
  local snap="$work/snapshot.log" whole=0
  cp "$1" "$snap" 2>/dev/null || return 0
  [ "$(tail -c1 "$snap" | od -An -tx1 | tr -d ' ')" = 0a ] && whole=1
  awk -v mark="$2" -v whole="$whole" '
    { gsub(/\033\[[0-9;]*m/, "") }
    found == "" && index($0, mark) && match($0, /ms=[0-9]+/) { found = substr($0, RSTART + 3, RLENGTH - 3); at = NR }
    END { if (found != "" && (whole || at < NR)) print found }' "$snap"
}

# measure NAME BINARY PATTERN: prints "ms rss_mb" for one launch.
measure() {
  local log="$work/$1.log"
  # A step that fails says which (the launch's log follows), rather than an empty result.
  trap 'echo "measuring $1 stopped at line $LINENO: $BASH_COMMAND" >&2; cat "$log" >&2 2>/dev/null' ERR
  FRONTLINE_DATA_DIR="$data" dbus-run-session -- "$2" 2>"$log" >/dev/null &
  local runner=$! waited=0 ms=""
  until ms=$(mark_ms "$log" "$3") && [ -n "$ms" ]; do
    sleep 0.02; waited=$((waited + 1))
    [ $waited -lt 1500 ] || { echo "no paint after 30 s" >&2; cat "$log" >&2; exit 1; }
  done
  sleep 2
  local app; app=$(pgrep -n -f "^$2" || true)
  local rss; rss=$(tree_rss "${app:-$runner}")
  kill "$app" 2>/dev/null || true; wait "$runner" 2>/dev/null || true
  echo "$ms $((rss / 1024))"
}

# Launches alternate (bare, Frontline, bare, …) so that a machine getting busier or calmer
# during the run weighs on both sides alike; each side's median and the ratio of the medians.
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
declare -a bare_ms=() bare_rss=() app_ms=() app_rss=()
for _ in $(seq "$RUNS"); do
  read -r m r < <(measure "bare" "$PWD/target/release/frontline-bare-window" "painted ms=") ||
    { echo "the bare window's launch could not be measured" >&2; exit 1; }
  bare_ms+=("$m"); bare_rss+=("$r")
  read -r m r < <(measure "frontline" "$PWD/target/release/frontline" "queue painted") ||
    { echo "Frontline's launch could not be measured" >&2; exit 1; }
  app_ms+=("$m"); app_rss+=("$r")
done

echo "== launch to first paint and memory, $RUNS runs each (alternating), Frontline with $ISSUES issues =="
row() {
  printf '%-22s painted (ms): %-28s median %5s | RSS (MB): %-24s median %4s\n' "$1" "$2" "$3" "$4" "$5"
}
row "bare Tauri window" "${bare_ms[*]}" "$(median "${bare_ms[@]}")" "${bare_rss[*]}" "$(median "${bare_rss[@]}")"
row "Frontline" "${app_ms[*]}" "$(median "${app_ms[@]}")" "${app_rss[*]}" "$(median "${app_rss[@]}")"
awk -v a="$(median "${app_ms[@]}")" -v b="$(median "${bare_ms[@]}")" \
  -v m="$(median "${app_rss[@]}")" -v n="$(median "${bare_rss[@]}")" \
  'BEGIN { printf "%-22s launch %.2fx the bare window, memory %.2fx (goal: both at most 1.30x)\n", "ratio", a / b, m / n }'

# A second launch while one runs: it hands over to the running window (single instance per data
# folder) and exits; the time from starting it to its exit, median of $RUNS.
second_launch() {
  local log="$work/second.log" app=$PWD/target/release/frontline
  FRONTLINE_DATA_DIR="$data" "$app" 2>"$log" >/dev/null &
  local first=$! waited=0
  until grep -q "queue painted" "$log" 2>/dev/null; do
    sleep 0.02; waited=$((waited + 1))
    [ $waited -lt 1500 ] || { echo "no paint after 30 s" >&2; exit 1; }
  done
  local -a ms=()
  for _ in $(seq "$RUNS"); do
    local s e; s=$(date +%s%N)
    FRONTLINE_DATA_DIR="$data" "$app" >/dev/null 2>&1
    e=$(date +%s%N); ms+=($(( (e - s) / 1000000 )))
  done
  kill "$first" 2>/dev/null || true; wait "$first" 2>/dev/null || true
  printf '%-22s hand-over (ms): %-24s median %5s\n' "second launch" "${ms[*]}" \
    "$(printf '%s\n' "${ms[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")"
}
export -f second_launch
export work data RUNS
dbus-run-session -- bash -c second_launch
