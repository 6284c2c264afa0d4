#!/usr/bin/env bash
# `npm test`: on a fresh clone, with nothing run before it, sets up, builds and runs every test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
step() { echo; echo "=== $* ==="; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy (warnings denied, native and wasm32)"
cargo clippy --all-targets --quiet -- -D warnings
# The package's wasm is built without the simulator feature: that combination must be clean too.
cargo clippy --all-targets --no-default-features --quiet -- -D warnings
source scripts/toolchain.sh
detect_wasm_mode
if [ "$WASM_MODE" = rustup ]; then
  wasm_cargo clippy --lib --quiet -- -D warnings
  # The package's three wasm builds (scripts/build.sh): both halves, send only, receive only.
  for features in send,receive send receive; do
    wasm_cargo clippy --lib --quiet --no-default-features --features "$features" -- -D warnings
  done
else
  # Debian's toolchain has no clippy of its own version; compile the wasm layer with warnings denied.
  WASM_EXTRA_RUSTFLAGS="-Dwarnings" wasm_cargo check --lib --quiet
  for features in send,receive send receive; do
    WASM_EXTRA_RUSTFLAGS="-Dwarnings" wasm_cargo check --lib --quiet --no-default-features --features "$features"
  done
fi
step "cargo test (native core)"
cargo test --quiet
step "build the wasm package"
bash scripts/build.sh
step "TypeScript declarations type-check"
node_modules/.bin/tsc -p tests/ts/tsconfig.json
step "JS tests (node:test) in Node, workerd and Chromium"
node --test --test-reporter=spec tests/js/
