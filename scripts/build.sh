#!/usr/bin/env bash
# Builds the wasm module and its JS glue into pkg/ (git-ignored), and the
# local Cognito endpoint. wasm-opt is off in Cargo.toml (Debian's one breaks
# modern wasm); issue #6's size work runs the npm binaryen one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
wasm-pack build --release --target web --no-typescript --no-pack --out-dir pkg
cargo build --release -p cognito-local
