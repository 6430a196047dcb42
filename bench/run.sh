#!/usr/bin/env bash
# The benchmarks, in one command:
#
#   bash bench/run.sh                  install the package into a private
#                                      library, start the stubs, run the
#                                      latency, cold-start, memory and
#                                      concurrency benchmarks, stop the stubs
#   bash bench/run.sh --with-install   also the clean-clone install time and
#                                      size (several minutes)
#
# Then, with no stub: the Rust core alone (cargo examples, pinned to one
# core): the codec (bench/codec.rs), one SRP sign-in's local work
# (bench/srp.rs) and token verification (bench/jwt.rs), beside PyJWT
# verifying the same token (bench/pyjwt.py, in a virtualenv of its own:
# BENCH_PYJWT_VENV, default /tmp/cognitoidp-bench-pyjwt), token
# verification from R (bench/tokens.R), and a whole sign-in from R against
# ministack (bench/signin.R), and the time a key-set host that never finishes
# holds a verification (bench/jwks-deadline.R), and one identity-pool
# exchange's local work (bench/exchange.R). bench/ab.sh compares two
# commits call by call (run it by hand).
#
# Environment: BENCH_LIB (private library, default /tmp/cognitoidp-bench-lib),
# CARGO_TARGET_DIR (default ./target, shared with the other scripts),
# BENCH_CONC_DELAY_MS (the delayed stub's latency, default 5), and the knobs of
# each script (see their headers). Needs python3 (the stub) and R with the
# bench, curl, jsonlite and processx packages.
#
# The benchmarks print numbers; none fails on a timing.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
with_install=false
for arg in "$@"; do
  case "$arg" in
    --with-install) with_install=true ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (see --help)"; exit 2 ;;
  esac
done

lib="${BENCH_LIB:-/tmp/cognitoidp-bench-lib}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
export BENCH_CONC_DELAY_MS="${BENCH_CONC_DELAY_MS:-5}"

echo "== cognitoidp benchmarks =="
echo "date:    $(date)"
echo "commit:  $(git -C "$repo" rev-parse --short HEAD 2>/dev/null)$(git -C "$repo" diff --quiet HEAD -- src rpkg Cargo.toml Cargo.lock 2>/dev/null || echo ' (with uncommitted changes)')"
echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') RAM, kernel $(uname -r), load average$(uptime | sed 's/.*load average//')"
echo "R:       $(R --version | head -1)"
echo "rustc:   $(rustc --version 2>/dev/null)"

mkdir -p "$lib"
echo
echo "Installing into $lib (CARGO_TARGET_DIR=$CARGO_TARGET_DIR) ..."
if ! (cd "$repo" && R CMD INSTALL -l "$lib" rpkg >"$lib/install.log" 2>&1); then
  echo "R CMD INSTALL failed; the last lines of $lib/install.log:"
  tail -20 "$lib/install.log"
  exit 1
fi
export R_LIBS="$lib${R_LIBS:+:$R_LIBS}"

# The stubs' own PIDs (from their "ready PORT PID" line) and those of the
# commands that started them (`python3` may be a wrapper such as a pyenv shim).
stub_pids=()
stop_stubs() {
  for pid in "${stub_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${stub_pids[@]}"; do wait "$pid" 2>/dev/null; done
  stub_pids=()
}
trap 'stop_stubs; rm -rf "${work:-}"' EXIT
work="$(mktemp -d)"

# Starts a stub on a free loopback port with the given delay (ms); sets
# stub_url to its URL.
start_stub() {
  local delay=$1 out="$work/stub-$1.out" port=""
  python3 "$here/stub.py" 0 --delay-ms "$delay" >"$out" 2>"$work/stub-$1.err" &
  stub_pids+=($!)
  for _ in $(seq 100); do grep -q '^ready' "$out" 2>/dev/null && break; sleep 0.1; done
  port="$(awk '/^ready/ {print $2}' "$out")"
  if [ -z "$port" ]; then echo "the stub did not start:"; cat "$work/stub-$1.err"; exit 1; fi
  stub_pids+=("$(awk '/^ready/ {print $3}' "$out")")
  stub_url="http://127.0.0.1:$port"
}
# Two stubs: one answers at once, one after BENCH_CONC_DELAY_MS.
start_stub 0
export BENCH_STUB_URL="$stub_url"
start_stub "$BENCH_CONC_DELAY_MS"
export BENCH_STUB_DELAY_URL="$stub_url"
echo "stubs:   $BENCH_STUB_URL (0 ms), $BENCH_STUB_DELAY_URL ($BENCH_CONC_DELAY_MS ms)"

Rscript "$here/latency.R"
bash "$here/coldstart.sh"
Rscript "$here/memory.R"
Rscript "$here/concurrency.R"
stop_stubs

# The Rust core alone, on one core (taskset, where there is one).
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
for example in codec srp jwt; do
  (cd "$repo" && cargo build --quiet --release --example "$example") || { echo "cargo build --example $example failed"; exit 1; }
  "${pin[@]}" "$CARGO_TARGET_DIR/release/examples/$example"
done
venv="${BENCH_PYJWT_VENV:-/tmp/cognitoidp-bench-pyjwt}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import jwt, cryptography" 2>/dev/null; then
  python3 -m venv "$venv" && "$venv/bin/pip" install --quiet "pyjwt[crypto]==2.15.1"
fi
if "$venv/bin/python" -c "import jwt, cryptography" 2>/dev/null; then
  (cd "$repo" && "${pin[@]}" "$venv/bin/python" "$here/pyjwt.py")
else
  echo "PyJWT could not be installed into $venv: its comparison is left out"
fi
# Distinct tokens for tokens.R, signed with the fixture key by the example.
"$CARGO_TARGET_DIR/release/examples/jwt" --mint 4000 >"$work/tokens.txt" &&
  export BENCH_JWT_TOKENS="$work/tokens.txt"
"${pin[@]}" Rscript "$here/tokens.R"
Rscript "$here/signin.R"
# How long a key-set host that never finishes holds cognito_verify_token().
(cd "$repo" && Rscript "$here/jwks-deadline.R")
# One identity-pool exchange's local work.
(cd "$repo" && Rscript "$here/exchange.R")

if $with_install; then
  bash "$here/size-install.sh"
fi
echo
echo "done: $(date); load average$(uptime | sed 's/.*load average//')"
exit 0
