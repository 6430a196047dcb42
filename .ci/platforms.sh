#!/usr/bin/env bash
# What can be checked here of the builds for the platforms other than Linux:
#
#   bash .ci/platforms.sh TARBALL LINUX_LIB
#
# TARBALL is the package made by R CMD build, LINUX_LIB the static library
# of the crate an install of it built here (libcognitoidp.a).
#
# 1. src/Makevars passes a linker flag only where a test link takes it, so
#    each linker gets its own flags and no other: evaluated with R's C
#    compiler here (GNU ld), with a stand-in for Apple's linker (it refuses
#    GNU's options, as ld64 does) and with one that refuses every flag.
#    configure.win, for R on Windows on ARM, picks aarch64-pc-windows-gnullvm
#    and, that target's standard library missing, stops with the command that
#    installs it.
# 2. Windows: the crate cross-compiles for x86_64-pc-windows-gnu and the DLL
#    links, by make with the files an install on Windows uses (the tarball's
#    configure.win, src/Makevars.win and cognitoidp-win.def, and R's own
#    winshlib.mk), read in R CMD SHLIB's order, with a Makeconf holding the
#    settings of R for Windows' (mingw-w64's gcc for Rtools'), against an
#    import library for R.dll made from the R API symbols LINUX_LIB takes
#    from libR. Fails if a symbol is unresolved or the DLL exports anything
#    but R_init_cognitoidp. Builds from the tarball's vendored crates,
#    offline, in $CARGO_TARGET_DIR/vendored as the Linux installs of tarballs
#    do (the same crate graph: only the target's crates compile again).
#
# Not checked here: a macOS link (only a Mac has Apple's linker and SDK),
# the DLL loading into R on Windows, and the aarch64 Windows build (Rtools'
# LLVM toolchain).
set -euo pipefail
export LC_ALL=C
if [ "$#" -ne 2 ] || [ ! -f "$1" ] || [ ! -f "$2" ]; then
  echo "usage: bash .ci/platforms.sh TARBALL LINUX_LIB" >&2
  exit 2
fi
tarball="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
linux_lib="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
R_HOME="$(R RHOME)"
R_SHARE_DIR="$(Rscript -e 'cat(R.home("share"))')"
export R_HOME R_SHARE_DIR
MINGW=x86_64-w64-mingw32
WIN_TARGET=x86_64-pc-windows-gnu

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
pkg="$work/cognitoidp"
fail() {
  echo "platforms: $*" >&2
  exit 1
}

echo "== Makevars: each linker gets only the flags a test link takes"
# A compiler that prints the predefined macros it is given ($MACROS) and
# refuses any link with a flag matching $REFUSE (an ERE).
cat >"$work/fake-cc" <<'EOF'
#!/bin/sh
case " $* " in *" -dM "*) printf '%b' "$MACROS"; exit 0 ;; esac
for arg; do
  if [ -n "$REFUSE" ] && printf '%s\n' "$arg" | grep -Eq -- "$REFUSE"; then exit 1; fi
done
exit 0
EOF
chmod +x "$work/fake-cc"
# Prints Makevars' link flags, as make reads them in src/ with the makefiles
# in R CMD SHLIB's order (Makevars first, then R's Makeconf); with the C
# compiler $1 defined after both, if given, as Makeconf defines R's.
makevars_flags() {
  {
    [ -z "${1:-}" ] || echo "CC = $1"
    printf 'print:\n\t@echo "$(PKG_LIBS)"\n'
  } >"$work/print.mk"
  (cd "$pkg/src" && make -s -f Makevars -f "$R_HOME/etc/Makeconf" -f "$work/print.mk" SHLIB=cognitoidp.so print) |
    tr -s " "
}
expect_flags() { # NAME ACTUAL EXPECTED-ERE
  if ! printf '%s\n' "$2" | grep -Eq -- "$3"; then
    fail "Makevars with $1 gives '$2', expected /$3/"
  fi
  echo "$1: $2"
}
here=$(makevars_flags)
expect_flags "R's compiler (GNU ld)" "$here" \
  '^-L[^ ]*/release -lcognitoidp -Wl,--gc-sections -Wl,--version-script=[^ ]*exports\.map( -Wl,-z,pack-relative-relocs)? *$'
apple=$(MACROS='#define __aarch64__ 1\n#define __APPLE__ 1\n' REFUSE='^-Wl,(--|-z)' makevars_flags "$work/fake-cc")
expect_flags "Apple's linker (stand-in)" "$apple" \
  '^-L[^ ]*/aarch64-apple-darwin/release -lcognitoidp -Wl,-dead_strip -Wl,-exported_symbols_list,[^ ]*exports\.txt -framework Security -framework CoreFoundation *$'
none=$(MACROS='' REFUSE='.' makevars_flags "$work/fake-cc")
expect_flags "a linker that takes no flags" "$none" '^-L[^ ]*/release -lcognitoidp *$'

echo "== configure: the Rust target of R's compiler, and the fix when its standard library is missing"
# R CMD config answering as R for Windows on ARM would (Rtools' clang).
mkdir -p "$work/fake-r/bin"
printf '#!/bin/sh\n[ "$*" = "CMD config CC" ] && echo "$FAKE_CC"\n' >"$work/fake-r/bin/R"
chmod +x "$work/fake-r/bin/R"
arm_target=aarch64-pc-windows-gnullvm
printf '#!/bin/sh\nMACROS="#define __aarch64__ 1\\n#define _WIN32 1\\n" REFUSE= exec "%s" "$@"\n' "$work/fake-cc" \
  >"$work/arm-cc"
chmod +x "$work/arm-cc"
if (cd "$pkg" && R_HOME="$work/fake-r" FAKE_CC="$work/arm-cc" sh ./configure.win) >"$work/arm.log" 2>&1; then
  grep -q "building for $arm_target" "$work/arm.log" || fail "configure.win did not choose $arm_target for ARM"
  echo "configure.win for ARM: $arm_target (its standard library is installed here)"
else
  grep -q "rustup target add $arm_target" "$work/arm.log" || {
    cat "$work/arm.log" >&2
    fail "configure.win failed for ARM without the command that fixes it"
  }
  echo "configure.win for ARM: stops before compiling, with 'rustup target add $arm_target'"
fi

echo "== Windows: $WIN_TARGET, linked by make with Makevars.win"
start=$SECONDS
for tool in "$MINGW-gcc" "$MINGW-dlltool" "$MINGW-objdump"; do
  command -v "$tool" >/dev/null || fail "$tool is missing (bash .ci/setup.sh installs it)"
done

# R.dll's import library: the symbols the Linux build of the crate takes from
# libR.so, variables marked DATA (reached through the import table, as on
# Windows). All those of the static library, not only the ones the Linux
# library keeps: GNU ld for Windows resolves every symbol of the archive
# members it takes before it drops unused sections (and it keeps every
# function with unwinding data, so it drops few).
mkdir "$work/rimport"
nm --undefined-only "$linux_lib" 2>/dev/null | awk '$1 == "U" { print $2 }' | sort -u >"$work/imports"
nm -D --defined-only "$R_HOME/lib/libR.so" | awk '{ print $3, $2 }' | sort -u >"$work/libR-symbols"
{
  echo "LIBRARY R.dll"
  echo "EXPORTS"
  join "$work/imports" "$work/libR-symbols" | awk '{ print "  " $1 ($2 ~ /^[TtWi]$/ ? "" : " DATA") }'
} >"$work/rimport/R.def"
echo "R.dll import library: $(($(wc -l <"$work/rimport/R.def") - 2)) symbols of R's API, from $linux_lib"
"$MINGW-dlltool" -d "$work/rimport/R.def" -D R.dll -l "$work/rimport/libR.dll.a"

# The Makeconf of R for Windows, as far as the package's build reads it.
cat >"$work/Makeconf" <<EOF
CC = $MINGW-gcc
CFLAGS = -O2 -Wall -std=gnu99
ALL_CPPFLAGS = -I"$R_HOME/include" -DNDEBUG
ALL_CFLAGS = \$(PKG_CFLAGS) \$(CFLAGS)
SHLIB_LD = \$(CC)
SHLIB_LDFLAGS = -shared
DLLFLAGS = -s -static-libgcc
LIBR = -L"$work/rimport" -lR
ALL_LIBS = \$(PKG_LIBS) \$(SHLIB_LIBADD) \$(LIBR)
NM = $MINGW-nm
SED = sed
RM = rm -f
ECHO = echo
.c.o:
	\$(CC) \$(ALL_CPPFLAGS) \$(ALL_CFLAGS) -c \$< -o \$@
EOF

# configure.win, with R CMD config answering as R for Windows would.
(cd "$pkg" && R_HOME="$work/fake-r" FAKE_CC="$MINGW-gcc" sh ./configure.win) | tee "$work/configure.log"
grep -q "building for $WIN_TARGET" "$work/configure.log" || fail "configure.win did not choose $WIN_TARGET"

log="$work/make.log"
if ! (cd "$pkg/src" && env CARGO_NET_OFFLINE=true make -f Makevars.win -f "$work/Makeconf" \
        -f "$R_SHARE_DIR/make/winshlib.mk" SHLIB=cognitoidp.dll OBJECTS=entrypoint.o) >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  fail "the Windows DLL did not build or link (log above)"
fi
grep -E "^$MINGW-gcc .*-o cognitoidp.dll" "$log" | sed 's/^/link: /'
echo "crates compiled for $WIN_TARGET: $(grep -c '^ *Compiling ' "$log" || true)"
if grep -Ei 'undefined reference|unresolved' "$log"; then
  fail "unresolved symbols in the Windows link"
fi
dll="$pkg/src/cognitoidp.dll"
[ -f "$dll" ] || fail "no cognitoidp.dll"
"$MINGW-objdump" -p "$dll" >"$work/dll-headers"
exports=$(sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/{/Table$/d;s/^.*\] //p;}' "$work/dll-headers")
[ "$exports" = R_init_cognitoidp ] || fail "the DLL exports '$exports', not R_init_cognitoidp alone"
imports=$(sed -n 's/^[[:space:]]*DLL Name: //p' "$work/dll-headers" | sort -fu | tr '\n' ' ')
echo "cognitoidp.dll: $(stat -c %s "$dll") bytes; exports R_init_cognitoidp only; imports from: $imports"
echo "Windows check: $((SECONDS - start)) s"
