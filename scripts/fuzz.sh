#!/usr/bin/env bash
# Coverage-guided fuzzing of the notification parser and the transfer tracker (cargo-fuzz /
# libFuzzer, nightly toolchain). Not part of `npm test`.
#
#   scripts/fuzz.sh [RUNS] [TARGET...]     RUNS per target (default 10000000); targets default to
#                                          notify_parse notify_tracker. RUNS=smoke: 20000 runs.
#
# Seeds are committed in fuzz/corpus/<target>/; new inputs found during a run go to
# fuzz/target/work-corpus/<target>/ (not committed). Crashes land in fuzz/artifacts/<target>/.
# Prints, per target, the executions, the executions per second and the crashes found.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/fuzz"
RUNS="${1:-10000000}"
[ "$RUNS" = smoke ] && RUNS=20000
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(notify_parse notify_tracker)

command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
# No sanitizer: the crate forbids unsafe code, so ASan adds cost and no coverage; overflow
# checks and debug assertions stay on (-a).
FLAGS=(-O -a --sanitizer none)
mkdir -p target
if ! cargo +nightly fuzz build "${FLAGS[@]}" >target/build.log 2>&1; then
  echo "fuzz build failed; see fuzz/target/build.log" >&2
  tail -20 target/build.log >&2
  exit 1
fi

status=0
echo "| target | executions | exec/s | crashes | seconds |"
echo "|---|---:|---:|---:|---:|"
for t in "${TARGETS[@]}"; do
  mkdir -p "target/work-corpus/$t" "artifacts/$t"
  log="target/$t.log"
  MAXLEN=8192; [ "$t" = notify_tracker ] && MAXLEN=128
  start=$(date +%s)
  set +e
  cargo +nightly fuzz run "${FLAGS[@]}" "$t" "target/work-corpus/$t" "corpus/$t" -- \
    -runs="$RUNS" -max_len="$MAXLEN" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  secs=$(( $(date +%s) - start ))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(find "artifacts/$t" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)
  [ "$rc" -eq 0 ] || { status=1; [ "$crashes" -gt 0 ] || crashes="run failed (rc $rc), see fuzz/$log"; }
  echo "| $t | ${execs:-?} | ${rate:-?} | $crashes | $secs |"
done
exit $status
