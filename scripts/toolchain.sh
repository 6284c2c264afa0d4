# Sourced by setup.sh and build.sh: decides how to build for wasm32 on this machine and exports
# WASM_CARGO (the cargo command prefix) and WASM_MODE (rustup | debian). Cached in target/.wasm-mode
# so that a hanging `rustup target add` is only tried once per checkout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE_FILE="$ROOT/target/.wasm-mode"
DEBIAN_LD=""

detect_wasm_mode() {
  if [ -f "$MODE_FILE" ]; then
    WASM_MODE="$(cat "$MODE_FILE")"
  else
    WASM_MODE=""
    if command -v rustup >/dev/null 2>&1; then
      if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
        WASM_MODE=rustup
      elif timeout 25 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
        WASM_MODE=rustup
      fi
    fi
    [ -n "$WASM_MODE" ] || WASM_MODE=debian
    mkdir -p "$ROOT/target"
    echo "$WASM_MODE" > "$MODE_FILE"
  fi
  if [ "$WASM_MODE" = debian ]; then
    for ld in wasm-ld-22 wasm-ld-21 wasm-ld-20 wasm-ld-19 wasm-ld; do
      if command -v "$ld" >/dev/null 2>&1; then DEBIAN_LD="$ld"; break; fi
    done
  fi
  export WASM_MODE
}

# LLVM's inliner at a lower threshold than opt-level 3's default (250): the wasm is 4.0 KiB gzip
# smaller (98.8 -> 94.8) with request and notification parsing speed unchanged within noise
# (docs/perf.md, "State at the end of session 2"; 25 saved 5.9 KiB but parsing looked ~4% slower).
WASM_BASE_RUSTFLAGS="-Cllvm-args=-inline-threshold=60"

# The two build-std routes run with RUSTC_BOOTSTRAP, so they also set `--cfg gct_opt_attr`: the
# crate's per-function `#[optimize(size)]` / `#[optimize(speed)]` attributes (feature
# optimize_attribute, src/lib.rs) apply there and nowhere else (docs/perf.md, session 3).
# `-Zlocation-detail=none` drops the file/line strings of panic locations (a panic aborts at
# once in these builds, so nothing ever printed them): -0.3 KiB gzip.
# Runs cargo for the wasm32 target with the right toolchain and flags: "$@" are extra cargo args.
wasm_cargo() {
  local sub="$1"; shift
  if [ "$WASM_MODE" = rustup ] && [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    # rust-src is installed: rebuild std for size too, as the Debian route does (RUSTC_BOOTSTRAP
    # unlocks -Z flags on stable; a separate target dir keeps native builds untouched).
    RUSTC_BOOTSTRAP=1 \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none --cfg gct_opt_attr $WASM_BASE_RUSTFLAGS ${WASM_EXTRA_RUSTFLAGS:-}" \
      cargo "$sub" --target wasm32-unknown-unknown --target-dir "$ROOT/target/wasm-rustup" \
      -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size "$@"
  elif [ "$WASM_MODE" = rustup ]; then
    RUSTFLAGS="${RUSTFLAGS:-} $WASM_BASE_RUSTFLAGS ${WASM_EXTRA_RUSTFLAGS:-}" cargo "$sub" --target wasm32-unknown-unknown "$@"
  else
    PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$DEBIAN_LD" \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none --cfg gct_opt_attr $WASM_BASE_RUSTFLAGS ${WASM_EXTRA_RUSTFLAGS:-}" \
      /usr/bin/cargo "$sub" --target wasm32-unknown-unknown --target-dir "$ROOT/target/wasm-debian" \
      -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size "$@"
  fi
}

wasm_target_dir() {
  if [ "$WASM_MODE" = debian ]; then
    echo "$ROOT/target/wasm-debian"
  elif [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    echo "$ROOT/target/wasm-rustup"
  else
    echo "$ROOT/target"
  fi
}
