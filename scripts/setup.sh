#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping what is already there.
# Safe to run again and again; `npm test` and `npm start` call it first.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== setup: %s\n' "$*"; }

# `--build`: only what building needs (npm start); no browser or test oracles.
BUILD_ONLY=false
[ "${1:-}" = "--build" ] && BUILD_ONLY=true

# The wasm-bindgen CLI must equal the wasm-bindgen crate version pinned in Cargo.toml.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
WASM_PACK_VERSION=0.15.1
export PATH="$HOME/.cargo/bin:$PATH"

# The toolchain rust-toolchain.toml pins (with wasm-bindgen, below). rustup
# looks for a toolchain of that name and would download it; a machine with
# only its stock toolchain and no internet can still build when that stock
# toolchain is the pinned version: it is then also made known under the
# pinned name (rustup refuses `toolchain link` for names like 1.95.0, so a
# link in its toolchains directory, as rustup's own installs are found).
RUST_PINNED=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
RUSTUP_DIR=${RUSTUP_HOME:-$HOME/.rustup}
HOST=$(rustup run stable rustc -vV | sed -n 's/^host: //p')
if [ ! -e "$RUSTUP_DIR/toolchains/$RUST_PINNED-$HOST" ]; then
  if [ "$(rustup run stable rustc --version | awk '{print $2}')" = "$RUST_PINNED" ]; then
    say "the stock toolchain is $RUST_PINNED: known under that name too"
    ln -s "$RUSTUP_DIR/toolchains/stable-$HOST" "$RUSTUP_DIR/toolchains/$RUST_PINNED-$HOST"
  else
    say "rustup toolchain install $RUST_PINNED (rust-toolchain.toml's pin)"
    rustup toolchain install "$RUST_PINNED" --profile minimal -c rustfmt -c clippy -t wasm32-unknown-unknown
  fi
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# No --locked: the registry mirror here lacks some locked transitive versions.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force
fi
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  say "wasm-pack $WASM_PACK_VERSION (about 5 minutes)"
  cargo install wasm-pack --version "=$WASM_PACK_VERSION" --force
fi

if [ ! -d node_modules/binaryen ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm devDependencies (wasm-opt, the JS test oracles, playwright-core, typescript)"
  npm ci --no-audit --no-fund
fi

$BUILD_ONLY && exit 0

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "Debian chromium and chromium-driver"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! .venv/bin/python -c 'import pycognito, boto3' 2>/dev/null; then
  say "Python test oracles (pycognito, boto3) in .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r scripts/requirements-oracles.txt
fi
