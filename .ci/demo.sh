#!/usr/bin/env bash
# The demo, from a fresh clone: set-up, install the package, then run
# demo("mfa-config"). Without COGNITOIDP_DEMO_AWS=true it runs against a local
# moto server (no AWS account needed): it creates a user pool there, sets
# and reads back the MFA configuration, and prints the results.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh
source .ci/env.sh
R CMD INSTALL rpkg >/dev/null 2>&1 || R CMD INSTALL rpkg

if [ "${COGNITOIDP_DEMO_AWS:-false}" != "true" ]; then
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  moto_server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
  moto_pid=$!
  trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.2
  done
  export COGNITOIDP_DEMO_ENDPOINT="http://127.0.0.1:$port"
fi
Rscript -e 'demo("mfa-config", package = "cognitoidp", ask = FALSE, echo = FALSE)'
