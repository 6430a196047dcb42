#!/bin/sh
# Writes src/rust/vendor.tar.xz: the sources of every crate in Cargo.lock
# (cargo vendor), for an install without the internet. Run from the package
# directory by ./cleanup, in R CMD build's copy of the package; it needs cargo
# and xz, and the crates in cargo's cache or crates.io.
#
# Dropped from the vendored crates: the Windows import libraries (lib/*) of
# the targets no R build uses. R for Windows builds with Rtools' GNU
# toolchains (x86_64-pc-windows-gnu, and aarch64-pc-windows-gnullvm on ARM),
# never with MSVC, and has had no 32-bit build since R 4.2; so the
# *_msvc, i686 and x86_64 gnullvm libraries go (about 35 MB unpacked).
# Cargo checks every vendored file against .cargo-checksum.json, so a crate
# that loses files gets an empty file list (its package checksum stays).
#
# Also checks that no vendored crate needs a newer rustc than DESCRIPTION's
# SystemRequirements says (configure checks against that version).
set -eu
PATH="$PATH:$HOME/.cargo/bin"
export PATH

required=$(sed -n 's/.*rustc[[:space:]]*>=[[:space:]]*\([0-9][0-9.]*\).*/\1/p' DESCRIPTION | head -n 1)
if [ -z "$required" ]; then
  echo "vendor.sh: no 'rustc >= X.Y.Z' in DESCRIPTION's SystemRequirements"
  exit 1
fi
cd src/rust
rm -rf vendor vendor.tar vendor.tar.xz
cargo --version
cargo vendor --locked --quiet --manifest-path Cargo.toml vendor >/dev/null

needed=$(sed -n 's/^rust-version[[:space:]]*=[[:space:]]*"\([0-9.]*\)".*/\1/p' vendor/*/Cargo.toml |
  awk -F. '{ v = sprintf("%05d%05d%05d", $1, $2, $3); if (v > max) { max = v; best = $0 } } END { print best }')
newer=$(printf '%s\n%s\n' "$required" "$needed" |
  awk -F. '{ v[NR] = sprintf("%05d%05d%05d", $1, $2, $3) } END { print (v[2] > v[1]) ? "yes" : "no" }')
if [ "$newer" = yes ]; then
  echo "vendor.sh: a vendored crate needs rustc $needed, but DESCRIPTION's SystemRequirements says rustc >= $required; update it"
  exit 1
fi

for crate in vendor/windows_*_msvc* vendor/windows_i686_* vendor/windows_x86_64_gnullvm* \
             vendor/winapi-i686-pc-windows-gnu*; do
  [ -d "$crate/lib" ] || continue
  rm -rf "$crate"/lib/*
  sum=$(sed -n 's/.*"package":[[:space:]]*"\([0-9a-f]*\)".*/\1/p' "$crate/.cargo-checksum.json")
  if [ -n "$sum" ]; then
    printf '{"files":{},"package":"%s"}' "$sum" >"$crate/.cargo-checksum.json"
  else
    printf '{"files":{}}' >"$crate/.cargo-checksum.json"
  fi
done

COPYFILE_DISABLE=1 tar -cf vendor.tar vendor
rm -rf vendor
xz -9 vendor.tar
echo "vendor.sh: $(ls vendor.tar.xz) written ($(wc -c <vendor.tar.xz) bytes)"
