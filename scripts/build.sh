#!/usr/bin/env bash
# Builds the wasm module and its JS glue into pkg/ (git-ignored), shrinks the
# module with the npm binaryen wasm-opt (Debian's wasm-opt 108 breaks modern
# wasm, so wasm-pack's own wasm-opt step is off in Cargo.toml), and builds
# the local Cognito endpoint and the admin module.
#
# The sign-in module is the crate in module/: cognito-wasm linked without
# std, built with the `wasm-release` profile (size-optimized, the arithmetic
# speed-optimized; see Cargo.toml). wasm-bindgen names its glue
# cognito_wasm.js, and puts the JS that runs the requests in pkg/snippets/.
# The account module (module-account/: sign-up, password reset, attributes,
# MFA and device management, which index.js loads on first use) is built the
# same way into pkg/account/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# wasm_module CRATE NAME DIR: builds the crate's module with the
# `wasm-release` profile, its glue NAME.js and NAME_bg.wasm into DIR.
#
# -Os, not -Oz: -Oz's extra shrinking (merging similar functions) makes the
# module a few hundred bytes smaller raw but about 700 bytes larger gzipped,
# and gzip is what ships; the speed is the same. --low-memory-unused lets
# binaryen fold constant address offsets (about 230 bytes gzip): the lowest
# 1 KB is never used (the module's data starts at 1024, its stack after the
# data; module/build.rs).
# --encode-into always: TextEncoder.encodeInto is in every engine this
# package runs on (it needs Node 20; browsers have had it since 2020), so
# the glue's fallback goes (41 bytes gzip). --omit-default-module-path:
# index.js always says where the .wasm is (8 bytes).
# --skip-pass=memory-packing keeps LLVM's data segments whole: binaryen's
# memory packing cuts out every run of zeros longer than a segment header,
# which saves raw bytes but turned a table of empty cells (a 12-byte None
# every 12 bytes) into 64 one-byte segments, each with its own header and
# offset, which gzip compresses worse than the zeros (211 bytes gzip).
# scripts/short-names.mjs first gives the imports and exports short names in
# the .wasm and the glue (wasm-bindgen's carry hashes; about 1.8 KB gzip),
# trims the glue and drops the exports it no longer reads; wasm-opt, last,
# then removes the code only those exports used.
wasm_module() {
  local crate=$1 name=$2 dir=$3
  cargo build --profile wasm-release --target wasm32-unknown-unknown -p "$crate"
  wasm-bindgen --target web --no-typescript --encode-into always --omit-default-module-path --out-name "$name" --out-dir "$dir" \
    "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-release/${crate//-/_}.wasm"
  node scripts/short-names.mjs "$dir/$name.js" "$dir/${name}_bg.wasm"
  node_modules/.bin/wasm-opt -Os --converge --low-memory-unused --skip-pass=memory-packing \
    --strip-debug --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue \
    "$dir/${name}_bg.wasm" -o "$dir/${name}_bg.wasm"
}

rm -rf pkg
wasm_module cognito-wasm-module cognito_wasm pkg
wasm_module cognito-wasm-account cognito_wasm_account pkg/account
cargo build --release -p cognito-local
# The admin API (`cognito-wasm/admin`): a separate module, so browser bundles
# never carry it; built with the size-optimized `admin-release` profile.
cargo build --profile admin-release --target wasm32-unknown-unknown -p cognito-wasm-admin
rm -rf pkg-admin
wasm-bindgen --target web --no-typescript --out-name cognito_wasm_admin --out-dir pkg-admin \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/admin-release/cognito_wasm_admin.wasm"
node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  pkg-admin/cognito_wasm_admin_bg.wasm -o pkg-admin/cognito_wasm_admin_bg.wasm
