# Sourced by the scripts here: one cargo target directory for `cargo test`,
# `R CMD INSTALL` and `R CMD check`, so the AWS SDK compiles once.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export MOTO_VENV="${MOTO_VENV:-/opt/moto-venv}"
export PATH="$MOTO_VENV/bin:$PATH"

source "$(dirname "${BASH_SOURCE[0]}")/moto.sh"
