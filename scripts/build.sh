#!/usr/bin/env bash
# Builds the wasm module and its JS glue into pkg/ (git-ignored), shrinks the
# module with the npm binaryen wasm-opt (Debian's wasm-opt 108 breaks modern
# wasm, so wasm-pack's own wasm-opt step is off in Cargo.toml), and builds
# the local Cognito endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
wasm-pack build --release --target web --no-typescript --no-pack --out-dir pkg
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/cognito_wasm_bg.wasm -o pkg/cognito_wasm_bg.wasm
cargo build --release -p cognito-local
# The admin API (`cognito-wasm/admin`): a separate module, so browser bundles never carry it.
wasm-pack build admin --release --target web --no-typescript --no-pack --out-dir ../pkg-admin
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg-admin/cognito_wasm_admin_bg.wasm -o pkg-admin/cognito_wasm_admin_bg.wasm
