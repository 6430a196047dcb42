#!/bin/sh
# Prints the Rust target to build for: the platform R's C compiler builds
# for, on Windows and macOS. Prints nothing elsewhere, where cargo builds for
# rustc's own platform (as on Linux). Run by ../configure, ../configure.win,
# ../src/Makevars and ../src/Makevars.win as
#   sh rust-target.sh "$(CC)"
# with R's C compiler command (it may carry flags, as "clang -arch x86_64").
#
# The compiler's predefined macros say what it builds for, flags included:
# an x86_64 R on an ARM Mac (or an ARM R for Windows) needs a library for its
# own architecture, whatever rustc's own is. R for Windows is built with
# Rtools' GNU toolchains: gcc on x86_64, LLVM on ARM (Rust's *-gnullvm).
macros=$(echo | $1 -E -dM -x c - 2>/dev/null)
defined() { printf '%s\n' "$macros" | grep -q "^#define $1 "; }

if defined __x86_64__; then
  arch=x86_64
elif defined __aarch64__; then
  arch=aarch64
else
  exit 0
fi
if defined _WIN32; then
  case $arch in
    x86_64) echo x86_64-pc-windows-gnu ;;
    aarch64) echo aarch64-pc-windows-gnullvm ;;
  esac
elif defined __APPLE__; then
  echo "$arch-apple-darwin"
fi
exit 0
