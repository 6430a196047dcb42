#!/usr/bin/env bash
# Regenerates every per-operation file (Rust operation table, R functions,
# NAMESPACE, help pages) from the pinned API model: the SDK crate locked in
# Cargo.lock and botocore's copy of the model with its documentation.
#   bash .ci/generate.sh           write the files
#   bash .ci/generate.sh --check   fail if any generated file is not fresh
# Moving to a new SDK version: bump the pin, run this, read the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
BOTOCORE_VERSION=1.44.8

cargo fetch --locked -q
sdk_dir="$(cargo metadata --format-version 1 --locked | python3 -c '
import json, os, sys
meta = json.load(sys.stdin)
pkg = next(p for p in meta["packages"] if p["name"] == "aws-sdk-cognitoidentityprovider")
print(os.path.dirname(pkg["manifest_path"]))')"

cache="${XDG_CACHE_HOME:-$HOME/.cache}/cognitoidp"
wheel="$cache/botocore-$BOTOCORE_VERSION-py3-none-any.whl"
if [ ! -f "$wheel" ]; then
  mkdir -p "$cache"
  python3 -m pip download -q --disable-pip-version-check --no-deps -d "$cache" "botocore==$BOTOCORE_VERSION"
fi
exec python3 .ci/codegen/generate.py --sdk "$sdk_dir" --botocore "$wheel" "$@"
