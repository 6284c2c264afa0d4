#!/usr/bin/env bash
# Builds the npm package's wasm: cargo (release, size-tuned) -> wasm-bindgen --target web -> wasm-opt.
# Output: pkg/ (generated, not committed). The hand-written entry points live in js/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$ROOT"
detect_wasm_mode
wasm_cargo build --release --lib --quiet
WASM="$(wasm_target_dir)/wasm32-unknown-unknown/release/graph_call_transfer.wasm"
rm -rf pkg.tmp
wasm-bindgen --target web --out-dir pkg.tmp --out-name graph_call_transfer "$WASM"
WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"
if [ -x "$WASM_OPT" ]; then
  "$WASM_OPT" -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
    --enable-multivalue --enable-sign-ext --enable-mutable-globals \
    pkg.tmp/graph_call_transfer_bg.wasm -o pkg.tmp/graph_call_transfer_bg.wasm
else
  echo "[build] wasm-opt not found (run scripts/setup.sh); the wasm is not size-optimised" >&2
fi
rm -rf pkg && mv pkg.tmp pkg
echo "[build] pkg/graph_call_transfer_bg.wasm: $(wc -c < pkg/graph_call_transfer_bg.wasm) bytes ($WASM_MODE toolchain)"
