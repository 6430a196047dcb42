#!/usr/bin/env bash
# The demo, from a fresh clone: set-up, install the package, then run
# demo("workflow"). Without COGNITOIDP_DEMO_AWS=true it runs against a local
# moto server (no AWS account needed): a user pool, an app client, a user
# who signs in without AWS credentials, a paginated listing and the pool's
# MFA configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh
source .ci/env.sh
echo "demo: building and installing the package; the first build compiles the AWS SDK for Rust"
echo "demo: (several minutes on 2 cores; cargo's progress follows)"
log="$(mktemp)"
set +o pipefail
R CMD INSTALL rpkg 2>&1 | tee "$log" | grep --line-buffered -E "^ +(Compiling|Finished) |^\* DONE"
status=${PIPESTATUS[0]}
set -o pipefail
if [ "$status" -ne 0 ]; then
  cat "$log" >&2
  echo "demo: the install failed" >&2
  exit 1
fi
rm -f "$log"

if [ "${COGNITOIDP_DEMO_AWS:-false}" != "true" ]; then
  start_moto
  trap 'kill "$MOTO_PID" 2>/dev/null || true' EXIT
  export COGNITOIDP_DEMO_ENDPOINT="$MOTO_ENDPOINT"
fi
Rscript -e 'demo("workflow", package = "cognitoidp", ask = FALSE, echo = FALSE)'
