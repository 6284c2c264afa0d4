#!/usr/bin/env bash
# Builds the npm package's wasm: cargo (release, size-tuned) -> wasm-bindgen --target web -> wasm-opt.
# Four builds of the same crate (Cargo features gate only the wasm exports; see Cargo.toml):
#   pkg/            the package (`send` + `receive`, no `simulator`): `graph-call-transfer`
#   pkg/send/       `send` only: `graph-call-transfer/send` (build, send, parse the response, retry)
#   pkg/receive/    `receive` only: `graph-call-transfer/receive` (verify callbacks, notifications)
#   pkg/simulator/  with the Graph simulator, for `graph-call-transfer/simulator` (tests, playground)
# then scripts/bundle.mjs bundles and minifies js/ + the glue into dist/ (the files `exports` name).
# Output is generated, not committed. The hand-written entry points live in js/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$ROOT"
detect_wasm_mode
WASM="$(wasm_target_dir)/wasm32-unknown-unknown/release/graph_call_transfer.wasm"
WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"
[ -x "$WASM_OPT" ] || echo "[build] wasm-opt not found (run scripts/setup.sh); the wasm is not size-optimised" >&2

# bindgen OUT_DIR: wasm-bindgen + wasm-opt of the wasm cargo just linked.
bindgen() {
  local out="$1"
  wasm-bindgen --target web --out-dir "$out" --out-name graph_call_transfer "$WASM"
  if [ -x "$WASM_OPT" ]; then
    "$WASM_OPT" -Oz --strip-debug --strip-producers \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
      --enable-multivalue --enable-sign-ext --enable-mutable-globals \
      "$out/graph_call_transfer_bg.wasm" -o "$out/graph_call_transfer_bg.wasm"
  fi
}

rm -rf pkg.tmp
wasm_cargo build --release --lib --quiet --no-default-features --features send,receive
bindgen pkg.tmp
wasm_cargo build --release --lib --quiet --no-default-features --features send
bindgen pkg.tmp/send
wasm_cargo build --release --lib --quiet --no-default-features --features receive
bindgen pkg.tmp/receive
wasm_cargo build --release --lib --quiet
bindgen pkg.tmp/simulator
rm -rf pkg && mv pkg.tmp pkg
# The entry points of package.json `exports`: js/ + pkg glue bundled and minified into dist/.
node scripts/bundle.mjs
echo "[build] pkg/graph_call_transfer_bg.wasm: $(wc -c < pkg/graph_call_transfer_bg.wasm) bytes; pkg/send: $(wc -c < pkg/send/graph_call_transfer_bg.wasm); pkg/receive: $(wc -c < pkg/receive/graph_call_transfer_bg.wasm); pkg/simulator: $(wc -c < pkg/simulator/graph_call_transfer_bg.wasm) bytes ($WASM_MODE toolchain)"
