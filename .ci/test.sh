#!/usr/bin/env bash
# The whole test suite, from a fresh clone: set-up, the Rust tests (unit and
# against moto), R CMD build, an install of the tarball without the internet,
# R CMD check of the tarball (no ERROR or WARNING allowed), the checks of the
# Windows and macOS builds that can be made here (.ci/platforms.sh), then the
# testthat suite against a real moto server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh
source .ci/env.sh
export COGNITOIDP_REQUIRE_MOTO=true
# paws's signatures, which the tests compare with the generated functions.
export COGNITOIDP_PAWS_SIGNATURES="$PWD/.ci/codegen/paws-signatures.tsv"

echo "== generated code is fresh"
bash .ci/generate.sh --check

echo "== cargo test"
cargo test --release --locked

echo "== R CMD build"
work="$(mktemp -d)"
# The vignette's code runs against a moto server when it is built and checked.
start_moto
trap 'kill "$MOTO_PID" 2>/dev/null || true; rm -rf "$work"' EXIT
export COGNITOIDP_VIGNETTE_ENDPOINT="$MOTO_ENDPOINT"
(cd "$work" && R CMD build --no-manual "$OLDPWD/rpkg")
tarball="$(ls "$work"/cognitoidp_*.tar.gz)"
bash .ci/offline-install.sh "$tarball"

echo "== R CMD check"
(cd "$work" && _R_CHECK_FORCE_SUGGESTS_=false R CMD check --no-manual --no-tests "$tarball")
log="$work/cognitoidp.Rcheck/00check.log"
if grep -E "^\* .*\.\.\. (WARNING|ERROR)" "$log"; then
  echo "R CMD check reported a WARNING or ERROR" >&2
  exit 1
fi

echo "== testthat (package installed from the tarball)"
mkdir -p "$work/lib"
R CMD INSTALL --no-test-load -l "$work/lib" "$tarball" >/dev/null
# The browser tests keep the signed-in page's screenshot and the times they
# measured here (not committed).
export COGNITOIDP_ARTIFACTS="${COGNITOIDP_ARTIFACTS:-$PWD/artifacts}"
R_LIBS="$work/lib" Rscript .ci/testthat.R

echo "== other platforms: Makevars' flags for each linker, the Windows DLL"
bash .ci/platforms.sh "$tarball" "$CARGO_TARGET_DIR/vendored/release/libcognitoidp.a"

echo "== all tests passed in ${SECONDS} s"
