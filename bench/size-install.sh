#!/usr/bin/env bash
# Install time and size from a clean clone: clones the repository's committed
# state (uncommitted changes are not included), installs the R package with
# an EMPTY cargo target directory, and reports the wall and CPU time of
# `R CMD INSTALL`, the installed package's size and its shared library's size.
#
#   bash bench/size-install.sh      (takes minutes: the whole AWS SDK compiles)
#
# Cargo's download cache (~/.cargo/registry) is reused: crates already
# downloaded are not fetched again, so network time is not in the number.
# Prints numbers only; never fails on a timing.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(git -C "$here" rev-parse --show-toplevel)"
work="$(mktemp -d "${TMPDIR:-/tmp}/cognitoidp-size.XXXXXX")"
log="${TMPDIR:-/tmp}/cognitoidp-size-install.log"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

git clone -q "$repo" "$work/src" || { echo "size-install: git clone failed"; exit 1; }
commit="$(git -C "$work/src" rev-parse --short HEAD)"
mkdir -p "$work/lib" "$work/target"

echo
echo "== Install from a clean clone (commit $commit; empty CARGO_TARGET_DIR; $(nproc) cores) =="
TIMEFORMAT='%R %U %S'
{ time (cd "$work/src" && CARGO_TARGET_DIR="$work/target" R CMD INSTALL -l "$work/lib" rpkg >"$log" 2>&1); } 2>"$work/time"
status=$?
read -r wall user sys <"$work/time"
if [ "$status" -ne 0 ] || [ ! -d "$work/lib/cognitoidp" ]; then
  echo "R CMD INSTALL failed (exit $status); the last lines of $log:"
  tail -20 "$log"
  exit 1
fi

so="$work/lib/cognitoidp/libs/cognitoidp.so"
so_bytes="$(stat -c %s "$so")"
pkg_kb="$(du -sk "$work/lib/cognitoidp" | cut -f1)"
compiled="$(grep -c '^ *Compiling ' "$log" || true)"
downloaded="$(grep -c '^ *Downloaded ' "$log" || true)"
awk -v w="$wall" -v u="$user" -v s="$sys" -v kb="$pkg_kb" -v so="$so_bytes" 'BEGIN {
  printf "R CMD INSTALL wall time:     %6.1f s = %.2f min   (goal <= 5 min: %s)\n", w, w / 60, (w <= 300 ? "met" : "NOT met")
  printf "  CPU time (user + sys):     %6.1f s\n", u + s
  printf "installed package (du -sk):  %6.1f MB   (goal <= 20 MB: %s)\n", kb / 1024, (kb / 1024 <= 20 ? "met" : "NOT met")
  printf "shared library cognitoidp.so: %5.1f MB (%d bytes)\n", so / 1024 / 1024, so
}'
echo "  du -sh: $(du -sh "$work/lib/cognitoidp" | cut -f1)   $(file -b "$so" | grep -o 'not stripped\|stripped' | head -1)"
echo "  crates compiled: $compiled; crates downloaded during the build: $downloaded (the rest came from ~/.cargo/registry)"
echo "  cargo target dir after the build: $(du -sh "$work/target" | cut -f1) (removed); full log: $log"
exit 0
