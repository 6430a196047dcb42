# The part of ../src/Makevars and ../src/Makevars.win that is the same on
# every platform: building the Rust crate in src/rust (in a git checkout, a
# link to the repository root; R CMD build stores real copies) into the
# static library $(STATLIB) that the package's library links. Included by
# both after they set SHLIB_FINISH (the step after the link, or nothing).
# ../configure has checked cargo and rustc and printed their versions.
#
# R CMD SHLIB reads Makevars before R's Makeconf, so a variable made from
# Makeconf's (as $(CC)) is worked out when first used, once, by the idiom
#   NAME = $(eval NAME := $$(...))$(NAME)
#
# The target: R's own platform, which may not be rustc's (./rust-target.sh);
# none on Linux, where cargo builds for rustc's host.
RUST_TARGET = $(eval RUST_TARGET := $$(shell sh ../tools/rust-target.sh "$$(CC)"))$(RUST_TARGET)
#
# CARGO_TARGET_DIR, when set, is shared with `cargo test` and other builds
# so the AWS SDK compiles once; otherwise the build stays inside this
# directory and is removed afterwards.
#
# Where the crates come from: a tarball made by R CMD build carries them in
# rust/vendor.tar.xz (see ../cleanup). They are unpacked (into rust/vendor,
# removed afterwards) and cargo builds --offline from them, through a source
# replacement given with --config, with a private CARGO_HOME (cargo writes its
# cache locks there; removed afterwards), so the build needs no network and
# leaves ~/.cargo alone. A git checkout has no archive: cargo fetches the
# crates in Cargo.lock as usual.
#
# Cargo recompiles a crate whose source path changed, and rust/ is in a new
# temporary directory at every install of a tarball. So with a shared
# CARGO_TARGET_DIR, builds from the vendored crates get their own part of it,
# vendored/, and the crates are unpacked there, at a path fixed by
# Cargo.lock's checksum and kept: successive installs of tarballs reuse what
# they compiled, and builds from the registry (cargo test, a checkout) keep
# theirs.
#
# The paths given to cargo are absolute. Rtools' make and sh see Windows
# paths as /c/...; `pwd -W` gives the C:/... form cargo understands there.
SRC_DIR := $(shell pwd -W 2>/dev/null || pwd)
VENDOR_ARCHIVE = $(wildcard rust/vendor.tar.xz)
ifeq ($(VENDOR_ARCHIVE),)
CARGO_TARGET = $(if $(CARGO_TARGET_DIR),$(CARGO_TARGET_DIR),$(SRC_DIR)/rust/target)
else ifneq ($(CARGO_TARGET_DIR),)
CARGO_TARGET = $(CARGO_TARGET_DIR)/vendored
VENDOR_DIR = $(CARGO_TARGET)/crates-$(shell cksum < rust/Cargo.lock | cut -d ' ' -f 1)
else
CARGO_TARGET = $(SRC_DIR)/rust/target
VENDOR_DIR = $(SRC_DIR)/rust/vendor
endif
ifneq ($(VENDOR_ARCHIVE),)
CARGO_ENV = CARGO_HOME="$(SRC_DIR)/rust/cargo-home"
CARGO_SOURCE = --offline --config 'source.crates-io.replace-with="vendored-sources"' \
  --config 'source.vendored-sources.directory="$(VENDOR_DIR)"'
endif
# cargo puts what it builds for a --target in a directory of that name.
LIBDIR = $(CARGO_TARGET)/$(if $(RUST_TARGET),$(RUST_TARGET)/)release
STATLIB = $(LIBDIR)/libcognitoidp.a

# rustup puts cargo here, and R's PATH may not have it (as in ../configure).
export PATH := $(PATH):$(HOME)/.cargo/bin

all: $(SHLIB) $(SHLIB_FINISH) clean_private_target

# The library's path is no make target: on Windows it may start with C:.
$(SHLIB): cargo_build

.PHONY: cargo_build clean_private_target
# Cargo decides what to rebuild, so this always runs. Two jobs at most (CRAN
# policy); --locked builds exactly the pinned crates.
cargo_build:
	@if [ -n "$(VENDOR_ARCHIVE)" ]; then \
	  rm -rf rust/cargo-home && mkdir rust/cargo-home && \
	  R_HOME="$(R_HOME)" sh ../tools/unpack-crates.sh rust/vendor.tar.xz "$(VENDOR_DIR)"; \
	fi
	$(CARGO_ENV) CARGO_TARGET_DIR="$(CARGO_TARGET)" cargo build --release --locked $(CARGO_SOURCE) --lib -j 2 \
	  $(if $(RUST_TARGET),--target $(RUST_TARGET)) --manifest-path="$(SRC_DIR)/rust/Cargo.toml"
	$(if $(VENDOR_ARCHIVE),rm -rf rust/vendor rust/cargo-home)

clean_private_target: $(SHLIB) $(SHLIB_FINISH)
	@if [ -z "$(CARGO_TARGET_DIR)" ]; then rm -rf "$(SRC_DIR)/rust/target"; fi
