#!/usr/bin/env bash
# Cold start: the wall time of a fresh `Rscript` that loads cognitoidp, builds
# the service and makes one call against the stub, minus that of
# `Rscript -e NULL`. Median over BENCH_COLD_RUNS (15) runs of each, the
# variants interleaved (in a rotating order) so that a change of machine load
# hits all of them alike. Two intermediate variants (library() alone;
# library() + service) show where the time goes. If hyperfine is installed,
# it measures the two main commands as well, as a cross-check.
#
#   bash bench/coldstart.sh         (R_LIBS must find cognitoidp; the stub's
#                                    URL comes from BENCH_STUB_URL, or a stub
#                                    is started here)
#
# Prints numbers only; never fails on a timing.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runs="${BENCH_COLD_RUNS:-15}"
warmup=2

stub_pid=""
stub_server_pid=""
cleanup() {
  # The server's own PID (from its "ready PORT PID" line) and that of the
  # command that started it (`python3` may be a wrapper such as a pyenv shim).
  if [ -n "$stub_server_pid" ]; then kill "$stub_server_pid" 2>/dev/null; fi
  if [ -n "$stub_pid" ]; then kill "$stub_pid" 2>/dev/null; wait "$stub_pid" 2>/dev/null; fi
  rm -rf "${work:-}"
}
trap cleanup EXIT
work="$(mktemp -d)"

url="${BENCH_STUB_URL:-}"
if [ -z "$url" ]; then
  python3 "$here/stub.py" 0 >"$work/stub.out" 2>"$work/stub.err" &
  stub_pid=$!
  for _ in $(seq 100); do grep -q '^ready' "$work/stub.out" 2>/dev/null && break; sleep 0.1; done
  port="$(awk '/^ready/ {print $2}' "$work/stub.out")"
  stub_server_pid="$(awk '/^ready/ {print $3}' "$work/stub.out")"
  [ -n "$port" ] || { echo "coldstart: the stub did not start"; cat "$work/stub.err"; exit 0; }
  url="http://127.0.0.1:$port"
fi
case "$url" in
  http://127.0.0.1:*|http://localhost:*|http://\[::1\]:*) ;;
  *) echo "coldstart: BENCH_STUB_URL must be a loopback address, got $url"; exit 0 ;;
esac

svc_expr="svc <- cognitoidp::cognitoidentityprovider(config = list(endpoint = '$url', region = 'us-east-1', credentials = list(creds = list(access_key_id = 'AKIAIOSFODNN7EXAMPLE', secret_access_key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'))))"
call_expr="r <- svc\$set_user_pool_mfa_config(UserPoolId = 'us-east-1_bench', SoftwareTokenMfaConfiguration = list(Enabled = TRUE), MfaConfiguration = 'ON'); if (!identical(r\$MfaConfiguration, 'ON')) quit(status = 3)"

names=(null library service call)
exprs=(
  "NULL"
  "library(cognitoidp)"
  "library(cognitoidp); $svc_expr"
  "library(cognitoidp); $svc_expr; $call_expr"
)

# The full command must work before anything is timed.
if ! Rscript -e "${exprs[3]}" >"$work/check.out" 2>&1; then
  echo "coldstart: the one-call script failed:"; cat "$work/check.out"; exit 0
fi

run_one() { # index -> appends seconds to $work/<name>
  local i=$1 t0 t1
  t0=$EPOCHREALTIME
  Rscript -e "${exprs[$i]}" >/dev/null 2>&1
  t1=$EPOCHREALTIME
  echo "$t0 $t1" | awk '{printf "%.6f\n", $2 - $1}' >>"$work/${names[$i]}"
}

n=${#names[@]}
for ((r = 0; r < warmup; r++)); do for ((i = 0; i < n; i++)); do run_one "$i"; done; done
for name in "${names[@]}"; do : >"$work/$name"; done
for ((r = 0; r < runs; r++)); do
  for ((k = 0; k < n; k++)); do run_one $(((r + k) % n)); done
done

echo
echo "== Cold start in a fresh Rscript (median of $runs runs each, interleaved; stub $url) =="
python3 - "$work" "${names[@]}" <<'EOF'
import statistics, sys
work, names = sys.argv[1], sys.argv[2:]
t = {n: [float(x) for x in open(f"{work}/{n}") if x.strip()] for n in names}
med = {n: statistics.median(v) * 1000 for n, v in t.items()}
labels = {
    "null": "Rscript -e NULL",
    "library": "+ library(cognitoidp)",
    "service": "+ cognitoidentityprovider(...)",
    "call": "+ one call (the full script)",
}
print(f"{'':34s} {'median ms':>10s} {'min ms':>8s} {'max ms':>8s} {'minus NULL':>11s}")
for n in names:
    v = [x * 1000 for x in t[n]]
    print(f"{labels[n]:34s} {med[n]:10.1f} {min(v):8.1f} {max(v):8.1f} {med[n] - med['null']:11.1f}")
d = med["call"] - med["null"]
print(f"cold start (full script - NULL): {d:.1f} ms   (goal <= 40 ms: {'met' if d <= 40 else 'NOT met'})")
print(f"  library() {med['library'] - med['null']:.1f} ms, service {med['service'] - med['library']:.1f} ms, "
      f"first call {med['call'] - med['service']:.1f} ms")
EOF

if command -v hyperfine >/dev/null 2>&1 && [ "${BENCH_HYPERFINE:-1}" != 0 ]; then
  echo
  echo "hyperfine cross-check ($runs runs each, $warmup warm-up, not interleaved):"
  printf '%s\n' "${exprs[3]}" >"$work/call.R"
  hyperfine -N --warmup "$warmup" --runs "$runs" --style none --export-json "$work/hf.json" \
    -n null "Rscript -e NULL" -n call "Rscript $work/call.R" >/dev/null 2>&1
  python3 - "$work/hf.json" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
for k in ("null", "call"):
    print(f"  {k:5s} median {r[k]['median'] * 1000:7.1f} ms  mean {r[k]['mean'] * 1000:7.1f} ms +- {r[k]['stddev'] * 1000:.1f}")
print(f"  difference of medians: {(r['call']['median'] - r['null']['median']) * 1000:.1f} ms")
EOF
fi
exit 0
