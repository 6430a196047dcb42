#!/usr/bin/env bash
# The source tarball installs without the internet:
#
#   bash .ci/offline-install.sh cognitoidp_X.Y.Z.tar.gz
#
# Installs the tarball (made by R CMD build) into a temporary library with an
# empty CARGO_HOME and CARGO_NET_OFFLINE=true, where possible in a network
# namespace with no network at all (unshare -n, as root). Then loads the
# package and makes one call against a local moto server. Prints the
# tarball's size and the install time; fails if the tarball has no vendored
# crates, the install writes into CARGO_HOME, or the install or call fails.
#
# Without CARGO_TARGET_DIR every crate compiles from the tarball's vendored
# sources (a clean install: several minutes). With it (as in test.sh), what
# earlier installs of tarballs with the same Cargo.lock compiled is reused
# (see rpkg/src/Makevars); cargo still reads every crate from the tarball.
set -euo pipefail
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: bash .ci/offline-install.sh TARBALL" >&2
  exit 2
fi
tarball="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
cd "$(dirname "$0")/.."
MOTO_VENV="${MOTO_VENV:-/opt/moto-venv}"

echo "== offline install of the tarball"
echo "tarball: $tarball ($(stat -c %s "$tarball") bytes, $(du -h "$tarball" | cut -f1))"
pkg="$(basename "$tarball" | sed 's/_.*//')"
if ! tar -tzf "$tarball" "$pkg/src/rust/vendor.tar.xz" >/dev/null 2>&1; then
  echo "offline-install: the tarball has no src/rust/vendor.tar.xz (vendored crates)" >&2
  tar -xzOf "$tarball" "$pkg/src/rust/vendor-failed.txt" >&2 2>/dev/null || true
  exit 1
fi
echo "vendored crates: $(tar -xzOf "$tarball" "$pkg/src/rust/vendor.tar.xz" | wc -c) bytes (src/rust/vendor.tar.xz)"

work="$(mktemp -d)"
moto_pid=""
cleanup() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/lib" "$work/cargo-home"

# No network at all if this user may make a network namespace; otherwise
# cargo is only told to stay offline.
isolate=()
if unshare -n true 2>/dev/null; then
  isolate=(unshare -n)
  echo "network: none (unshare -n)"
else
  echo "network: available, but CARGO_NET_OFFLINE=true (unshare -n is not permitted here)"
fi

if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  echo "cargo target: $CARGO_TARGET_DIR/vendored (shared with earlier installs of tarballs)"
else
  echo "cargo target: a new one (a clean install: every crate compiles)"
fi

log="$work/install.log"
start=$(date +%s.%N)
if ! env CARGO_HOME="$work/cargo-home" CARGO_NET_OFFLINE=true \
     "${isolate[@]}" R CMD INSTALL -l "$work/lib" "$tarball" >"$log" 2>&1; then
  echo "offline-install: R CMD INSTALL failed; the last lines of its log:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi
end=$(date +%s.%N)
grep '^configure: ' "$log" || true
echo "install time ($(nproc) cores): $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f s", b - a }'); crates compiled: $(grep -c '^ *Compiling ' "$log" || true)"
if [ -n "$(ls -A "$work/cargo-home")" ]; then
  echo "offline-install: the install wrote into the empty CARGO_HOME:" >&2
  ls -A "$work/cargo-home" >&2
  exit 1
fi

source .ci/moto.sh
start_moto
moto_pid=$MOTO_PID
pool_id="$(curl -sS -X POST "$MOTO_ENDPOINT/" \
  -H 'X-Amz-Target: AWSCognitoIdentityProviderService.CreateUserPool' \
  -H 'Content-Type: application/x-amz-json-1.1' \
  -d '{"PoolName":"p"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["UserPool"]["Id"])')"
echo "moto: $MOTO_ENDPOINT, user pool $pool_id"

AWS_ENDPOINT_URL="$MOTO_ENDPOINT" AWS_REGION=us-east-1 \
AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
R_LIBS="$work/lib" POOL_ID="$pool_id" Rscript -e '
  library(cognitoidp)
  res <- cognitoidentityprovider_get_user_pool_mfa_config(UserPoolId = Sys.getenv("POOL_ID"))
  stopifnot(identical(res$MfaConfiguration, "OFF"))
  cat("get_user_pool_mfa_config: MfaConfiguration =", res$MfaConfiguration, "\n")
'
echo "offline install: OK"
