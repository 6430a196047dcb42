#!/usr/bin/env bash
# Installs everything building, testing and the demo need, on Debian 12 as
# root (as CI runs): R and its packages from Debian (CRAN is not reachable;
# bench for bench/run.sh; future, future.apply, knitr, rmarkdown and pandoc
# for other parts of the project; plumber for the token-checking example;
# commonmark and xml2, with which news() reads NEWS.md; xz-utils to vendor
# the crates; mingw-w64 to link the Windows DLL in .ci/platforms.sh; for the
# Shiny sign-in tests in a real browser: shiny and later, headless chromium
# driven by chromedriver through Debian's python3-selenium (it imports only
# into /usr/bin/python3), zbar-tools to decode QR codes from images and
# python3-qrcode (with python3-pil) to make a QR image that proves the
# decoding helper works, python3-cryptography with which the device test
# server signs its tokens for the module),
# moto's and ministack's Cognito emulators in virtualenvs, and the pinned
# crates.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(r-base-dev r-cran-testthat r-cran-processx r-cran-withr r-cran-curl r-cran-jsonlite r-cran-cli
  r-cran-bench r-cran-future r-cran-future.apply r-cran-knitr r-cran-rmarkdown r-cran-plumber
  r-cran-commonmark r-cran-xml2 pandoc
  curl openssl xz-utils gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64
  r-cran-shiny r-cran-later chromium chromium-driver python3-selenium zbar-tools python3-qrcode python3-pil python3-cryptography)
missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# botocore is pinned too: the wire tests (tests/wire_properties.rs) use its
# serializer and parser as the reference, the model the generator reads.
MOTO_VENV="${MOTO_VENV:-/opt/moto-venv}"
BOTOCORE_VERSION=1.44.8
if [ ! -x "$MOTO_VENV/bin/moto_server" ] ||
   ! "$MOTO_VENV/bin/python" -c "import sys, botocore; sys.exit(botocore.__version__ != '$BOTOCORE_VERSION')" 2>/dev/null; then
  echo "setup: installing moto and botocore $BOTOCORE_VERSION into $MOTO_VENV"
  python3 -m venv "$MOTO_VENV"
  "$MOTO_VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==5.2.5" \
    "botocore==$BOTOCORE_VERSION" "boto3==$BOTOCORE_VERSION"
fi

# ministack, the emulator that checks SRP proofs and secret hashes (the
# sign-in tests), in a virtualenv of its own: it pins its own botocore.
# cryptography lets it sign tokens with real keys.
MINISTACK_VENV="${MINISTACK_VENV:-/opt/ministack-venv}"
if [ ! -x "$MINISTACK_VENV/bin/ministack" ]; then
  echo "setup: installing ministack into $MINISTACK_VENV"
  python3 -m venv "$MINISTACK_VENV"
  "$MINISTACK_VENV/bin/pip" install -q --disable-pip-version-check "ministack==1.5.33" "cryptography==50.0.2"
fi

cargo fetch --locked -q

# The Rust standard library for Windows, for .ci/platforms.sh.
if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx x86_64-pc-windows-gnu; then
  echo "setup: adding the Rust target x86_64-pc-windows-gnu"
  rustup target add x86_64-pc-windows-gnu
fi
