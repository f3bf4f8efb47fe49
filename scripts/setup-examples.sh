#!/usr/bin/env bash
# Installs the example apps' bundlers and runtimes (examples/: Vite, React,
# webpack, Rollup, esbuild, Next.js, wrangler, Deno, Bun), one install for
# all of them, and only when examples/package-lock.json changed since the
# last one. tests/e2e/examples.test.mjs needs it; scripts/test.sh runs it in
# the background while the Rust tiers use the CPU (it is mostly download and
# disk: about 840 MB).
set -euo pipefail
cd "$(dirname "$0")/../examples"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
