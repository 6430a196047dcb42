#!/usr/bin/env bash
# Regenerates every per-operation file (Rust operation tables, R functions,
# NAMESPACE, help pages) of every service in .ci/codegen/services.tsv from
# the pinned API models: the SDK crates locked in Cargo.lock and botocore's
# copy of each model with its documentation.
#   bash .ci/generate.sh           write the files
#   bash .ci/generate.sh --check   fail if any generated file is not fresh
# Moving to a new SDK version: bump the pin, run this, read the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
BOTOCORE_VERSION=1.44.8

cargo fetch --locked -q
crates="$(mktemp)"
trap 'rm -f "$crates"' EXIT
# The source directory of every locked crate, by name.
cargo metadata --format-version 1 --locked | python3 -c '
import json, os, sys
meta = json.load(sys.stdin)
json.dump({p["name"]: os.path.dirname(p["manifest_path"]) for p in meta["packages"]}, sys.stdout)' > "$crates"

cache="${XDG_CACHE_HOME:-$HOME/.cache}/cognitoidp"
wheel="$cache/botocore-$BOTOCORE_VERSION-py3-none-any.whl"
if [ ! -f "$wheel" ]; then
  mkdir -p "$cache"
  python3 -m pip download -q --disable-pip-version-check --no-deps -d "$cache" "botocore==$BOTOCORE_VERSION"
fi
python3 .ci/codegen/generate.py --crates "$crates" --botocore "$wheel" "$@"
