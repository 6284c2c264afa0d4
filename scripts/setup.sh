#!/usr/bin/env bash
# Idempotent set-up for a fresh machine: the wasm toolchain, wasm-bindgen-cli at exactly the
# version in Cargo.lock, npm dependencies and (for the browser tests) Chromium. Skips what is there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$ROOT"
log() { echo "[setup] $*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }
APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || { log "no apt-get: install $* yourself"; return 1; }
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# 1. Rust for wasm32.
[ -f Cargo.lock ] || cargo generate-lockfile
detect_wasm_mode
if [ "$WASM_MODE" = debian ]; then
  need=()
  [ -x /usr/bin/rustc ] && /usr/bin/rustc --version | grep -q . || need+=(rustc-web cargo-web)
  [ -d /usr/lib/rustlib/src/rust/library ] || need+=(rust-web-src)
  [ -n "$DEBIAN_LD" ] || need+=(lld-22)
  if [ ${#need[@]} -gt 0 ]; then
    log "no rustup wasm32 target here; installing Debian's ${need[*]}"
    apt_install rustc-web cargo-web rust-web-src lld-22
    detect_wasm_mode
  fi
  log "wasm toolchain: Debian $(/usr/bin/rustc --version), build-std, linker $DEBIAN_LD"
else
  if [ ! -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    # Optional: with rust-src, std is rebuilt for size (smaller wasm). Never wait long for it.
    timeout 60 rustup component add rust-src >/dev/null 2>&1 || log "rust-src not available; building with the prebuilt std"
  fi
  log "wasm toolchain: rustup with the wasm32-unknown-unknown target$([ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ] && echo ', std rebuilt for size')"
fi

# 2. wasm-bindgen-cli, exactly the version of the wasm-bindgen crate in Cargo.lock.
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)"
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WB_VERSION"; then
  log "installing wasm-bindgen-cli $WB_VERSION (a few minutes)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --quiet
fi
log "$(wasm-bindgen --version)"

# 3. npm dependencies (binaryen's wasm-opt, miniflare/workerd, playwright-core, jose, ...).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund >/dev/null; else npm install --no-audit --no-fund >/dev/null; fi
fi

# 4. Chromium for the browser tests (never a downloaded browser build).
if [ "${SKIP_CHROMIUM:-0}" != 1 ] && ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  log "installing Debian's chromium for the browser tests"
  apt_install chromium chromium-driver || log "could not install chromium; browser tests will fail"
fi
log "ready"
