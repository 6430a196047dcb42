#!/usr/bin/env bash
# Interleaved A/B of the per-call cost of two commits of the package: each
# is installed into a library of its own (from a git worktree), then
# BENCH_AB_PAIRS (5) pairs of fresh processes, one of each, alternating which
# goes first, make BENCH_AB_CALLS (3,000) calls each against the same stub
# (bench/ab.R). A machine whose speed drifts hits both alike.
#
#   bash bench/ab.sh [A [B]]     (commits; default 12776a9, 0.2.0, and HEAD)
#
# Prints numbers only; never fails on a timing.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
a="${1:-12776a9}"
b="${2:-HEAD}"
pairs="${BENCH_AB_PAIRS:-5}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
work="$(mktemp -d)"
stub_pids=()
cleanup() {
  for pid in "${stub_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for side in a b; do git -C "$repo" worktree remove --force "$work/$side" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

for side in a b; do
  rev="$a"; [ "$side" = b ] && rev="$b"
  git -C "$repo" worktree add -q --detach "$work/$side" "$rev" || exit 1
  mkdir -p "$work/lib-$side"
  echo "installing $side = $(git -C "$work/$side" rev-parse --short HEAD) ..."
  if ! R CMD INSTALL -l "$work/lib-$side" "$work/$side/rpkg" >"$work/install-$side.log" 2>&1; then
    tail -20 "$work/install-$side.log"; exit 1
  fi
done

python3 "$here/stub.py" 0 >"$work/stub.out" 2>"$work/stub.err" &
stub_pids+=($!)
for _ in $(seq 100); do grep -q '^ready' "$work/stub.out" 2>/dev/null && break; sleep 0.1; done
stub_pids+=("$(awk '/^ready/ {print $3}' "$work/stub.out")")
export BENCH_STUB_URL="http://127.0.0.1:$(awk '/^ready/ {print $2}' "$work/stub.out")"

echo "pair  A median µs  A CPU µs   B median µs  B CPU µs   (A = $a, B = $b; ${BENCH_AB_CALLS:-3000} calls per process)"
for i in $(seq "$pairs"); do
  order="a b"; [ $((i % 2)) -eq 0 ] && order="b a"
  declare -A result=()
  for side in $order; do
    result[$side]="$(R_LIBS="$work/lib-$side" Rscript "$here/ab.R")"
  done
  read -r am ac <<<"${result[a]}"
  read -r bm bc <<<"${result[b]}"
  printf "%4d  %11s  %8s   %11s  %8s\n" "$i" "$am" "$ac" "$bm" "$bc"
done
