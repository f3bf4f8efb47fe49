#!/usr/bin/env bash
# `npm test`: installs what is missing, then runs every tier:
#   1. lint: rustfmt, clippy (native and wasm32), tsc on the public types
#   2. native: cargo test (known-answer vectors, state machine, local endpoint)
#   3. browser: wasm-pack test --headless --chrome (the same maths in Chromium)
#   4. end to end: the packed npm package in Node and in headless Chromium
#      against the local endpoint, the reference clients against the same
#      endpoint, a click-through of the demo page, and the example apps
#      (examples/) built and run with each bundler and runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver

tier() { printf '\n==== %s\n' "$*"; }

bash scripts/setup.sh
# The example apps' install, in the background (download and disk) while the
# Rust tiers use the CPU; waited for before the end-to-end tier.
examples_log=$(mktemp)
bash scripts/setup-examples.sh > "$examples_log" 2>&1 &
examples_install=$!

tier "lint"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
# The wasm crates as they are built for wasm32: the maths, the protocol
# core, each module of the bindings, and the admin module.
cargo clippy -p cognito-srp -p cognito-core --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy -p cognito-wasm --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy -p cognito-wasm --target wasm32-unknown-unknown --all-targets --no-default-features --features account -- -D warnings
cargo clippy -p cognito-admin --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy -p cognito-wasm-module --target wasm32-unknown-unknown --features sign-in -- -D warnings
cargo clippy -p cognito-wasm-module --target wasm32-unknown-unknown --features account -- -D warnings

tier "native: cargo test"
cargo test --workspace

tier "browser: wasm-pack test --headless --chrome"
wasm-pack test --headless --chrome --release crates/srp
wasm-pack test --headless --chrome --release crates/core

tier "build and pack"
bash scripts/build.sh
work=tests/e2e/.work
rm -rf "$work" && mkdir -p "$work/node_modules"
tarball=$(npm pack --silent --pack-destination "$work")
tar -xzf "$work/$tarball" -C "$work/node_modules" && mv "$work/node_modules/package" "$work/node_modules/cognito-wasm"
npx --no-install tsc -p tests/types
npx --no-install tsc -p tests/types/tsconfig.amplify.json

wait "$examples_install" || { cat "$examples_log"; echo "scripts/setup-examples.sh failed"; exit 1; }

tier "end to end: node --test"
node --test --test-concurrency=1 tests/e2e/
