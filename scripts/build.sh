#!/usr/bin/env bash
# Builds the wasm module and its JS glue into pkg/ (git-ignored), shrinks the
# module with the npm binaryen wasm-opt (Debian's wasm-opt 108 breaks modern
# wasm, so wasm-pack's own wasm-opt step is off in Cargo.toml), and builds
# the local Cognito endpoint and the admin module.
#
# The sign-in module is the bindings crate (src/) with the `sign-in`
# feature, linked without std, built with the `wasm-release` profile
# (size-optimized, the SRP arithmetic speed-optimized; see Cargo.toml).
# wasm-bindgen names its glue cognito_wasm.js, and puts the JS that runs the
# requests in pkg/snippets/. The account module (the `account` feature:
# sign-up, password reset, attributes, MFA and device management, which
# index.js loads on first use) is built the same way into pkg/account/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# wasm_module FEATURE NAME DIR: builds the bindings crate (cognito-wasm,
# src/) as the module of FEATURE (`sign-in` or `account`) with the
# `wasm-release` profile, its glue NAME.js and NAME_bg.wasm into DIR.
#
# -Os, not -Oz: -Oz's extra shrinking (merging similar functions) makes the
# module a few hundred bytes smaller raw but about 700 bytes larger gzipped,
# and gzip is what ships; the speed is the same.
# --low-memory-unused lets binaryen fold constant additions into load and
# store offsets: measured 4.5% fewer instructions per sign-in (callgrind,
# docs/size.md). It assumes no access wraps around 2^32 into the lowest
# 1 KB; Rust's pointers never wrap, and a stack overflow (the stack is
# first, below the data) still runs below 0 and traps.
# --skip-pass=memory-packing keeps LLVM's data segments whole: binaryen's
# memory packing splits out runs of zeros into many small segments, which
# gzip compresses worse than the zeros.
# --encode-into always: TextEncoder.encodeInto is in every engine this
# package runs on (Node 20; browsers since 2020), so the glue needs no
# fallback. --omit-default-module-path: the package's loader always says
# where the .wasm is.
# scripts/wasm-names.mjs first gives the imports and exports short names in
# the .wasm and the glue (wasm-bindgen's carry hashes; about 1.8 KB gzip) and
# exports the glue's imports object for the package's one loader
# (js/loader.js); wasm-opt then removes the code only the unused exports
# needed. Last, scripts/inline-wasm.mjs writes the .wasm as a JS module
# beside it (NAME_bg.wasm.js, its bytes), for the server entries
# (js/server.js, js/admin-server.js).
wasm_module() {
  local feature=$1 name=$2 dir=$3
  cargo build --profile wasm-release --target wasm32-unknown-unknown -p cognito-wasm-module --features "$feature"
  wasm-bindgen --target web --no-typescript --encode-into always --omit-default-module-path --out-name "$name" --out-dir "$dir" \
    "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-release/cognito_wasm_module.wasm"
  node scripts/wasm-names.mjs "$dir/$name.js" "$dir/${name}_bg.wasm"
  node_modules/.bin/wasm-opt -Os --converge --low-memory-unused --skip-pass=memory-packing \
    --strip-debug --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue \
    "$dir/${name}_bg.wasm" -o "$dir/${name}_bg.wasm"
  node scripts/inline-wasm.mjs "$dir/${name}_bg.wasm"
}

rm -rf pkg
wasm_module sign-in cognito_wasm pkg
wasm_module account cognito_wasm_account pkg/account
cargo build --release -p cognito-local
# The admin API (`cognito-wasm/admin`): a separate module, so browser bundles
# never carry it; built with the size-optimized `admin-release` profile.
cargo build --profile admin-release --target wasm32-unknown-unknown -p cognito-admin
rm -rf pkg-admin
wasm-bindgen --target web --no-typescript --out-name cognito_wasm_admin --out-dir pkg-admin \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/admin-release/cognito_admin.wasm"
node scripts/wasm-names.mjs pkg-admin/cognito_wasm_admin.js pkg-admin/cognito_wasm_admin_bg.wasm
node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  pkg-admin/cognito_wasm_admin_bg.wasm -o pkg-admin/cognito_wasm_admin_bg.wasm
node scripts/inline-wasm.mjs pkg-admin/cognito_wasm_admin_bg.wasm
