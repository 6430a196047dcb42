#!/bin/sh
# Unpacks the vendored crates (src/rust/vendor.tar.xz, see vendor.sh) into
# directory $2, unless it is already there; run by src/Makevars as
#   sh ../tools/unpack-crates.sh rust/vendor.tar.xz DIR
# With tar (and xz), or with R's own untar if that fails. The archive is
# unpacked beside DIR and then moved into place, so DIR is always complete.
set -u
archive=$1
dest=$2
[ -d "$dest" ] && exit 0

tmp="$dest.tmp$$"
rm -rf "$tmp"
mkdir -p "$tmp" || exit 1
echo "unpacking $archive into $dest"
if ! tar -xf "$archive" -C "$tmp" 2>/dev/null; then
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! "$R_HOME/bin/Rscript" -e 'a <- commandArgs(TRUE); utils::untar(a[1], exdir = a[2], tar = "internal")' \
       "$archive" "$tmp"; then
    echo "cannot unpack $archive" >&2
    rm -rf "$tmp"
    exit 1
  fi
fi
# Another install may have put DIR there meanwhile: then keep that one.
[ -d "$dest" ] || mv "$tmp/vendor" "$dest"
rm -rf "$tmp"
[ -d "$dest" ]
