#!/usr/bin/env bash
# Builds the libFuzzer targets (the asan tree: clang++-14, ASan + UBSan +
# libFuzzer coverage, the objects the tests link too) and runs each for
# SECONDS (default 20): first its corpus (fuzz/seeds/, fuzz/regressions/, the
# test fixtures and what earlier runs found in build/asan/fuzz/corpus/, kept),
# then fresh inputs for the rest of the time.
#   bash scripts/fuzz.sh [-j JOBS] [SECONDS_PER_TARGET] [TARGET...]
# -j: targets run side by side (default 1). Targets: load_feed json_input
# social_proof match attribution event_batch webhook signature_header
# (default all). A target fails when it breaks a property, crashes, or ran no
# fresh input (its corpus alone took the time).
# A failing input is written to build/asan/fuzz/artifacts/; once fixed, copy
# it to fuzz/regressions/<target>/ so that tests/fuzz/ replays it on every test run.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=1
if [ "${1:-}" = -j ]; then jobs=$2; shift 2; fi
seconds=${1:-20}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(load_feed json_input social_proof match attribution event_batch webhook signature_header)

# Configured once (again when the presets changed); a no-op when test.sh built it.
if [ ! -f build/asan/build.ninja ] || [ CMakePresets.json -nt build/asan/CMakeCache.txt ]; then
  cmake --preset asan >/dev/null
fi
cmake --build --preset fuzz
out=build/asan/fuzz
mkdir -p "$out/artifacts"

# fuzz TARGET: one run; prints its summary, and its whole log when it fails.
fuzz() {
  local target=$1 max_len=4096 seeds existing=() dir
  seeds=(fuzz/seeds/"$target" fuzz/regressions/"$target")
  case "$target" in
    load_feed) seeds+=(tests/fixtures); max_len=65536 ;;
    json_input) seeds=(fuzz/seeds/match fuzz/seeds/social_proof fuzz/seeds/attribution tests/fixtures/briefs
                       tests/fixtures/json-nonascii) ;;
    match) seeds+=(tests/fixtures/briefs) ;;
    attribution) max_len=65536 ;;
    event_batch | webhook) seeds+=(tests/fixtures/json-nonascii); max_len=65536 ;;
  esac
  local corpus=$out/corpus/$target log=$out/$target.log
  mkdir -p "$corpus"
  for dir in "${seeds[@]}"; do [ -d "$dir" ] && existing+=("$dir"); done
  # libFuzzer's progress goes to a log of its own; the summary is printed.
  if UBSAN_OPTIONS=print_stacktrace=1 "$out/fuzz_$target" "$corpus" "${existing[@]}" \
      -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
      -dict=fuzz/json.dict -artifact_prefix="$out/artifacts/$target-" -print_final_stats=1 \
      </dev/null 2>"$log"; then
    # The inputs it loaded (corpus replay) and all it ran: the rest were fresh.
    local loaded ran
    loaded=$(sed -n 's/^INFO: seed corpus: files: \([0-9]*\).*/\1/p' "$log" | head -1)
    ran=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$target: ${seconds} s, corpus ${loaded:-0} inputs replayed, $((ran - ${loaded:-0})) fresh inputs," \
      "$(sed -n 's/^stat::new_units_added: *//p' "$log") new in the corpus," \
      "peak $(sed -n 's/^stat::peak_rss_mb: *//p' "$log") MB"
    if [ "$((ran - ${loaded:-0}))" -le 0 ]; then
      echo "fuzz_$target: FAILED: no fresh input in $seconds s (the corpus replay took the time)" >&2
      return 1
    fi
  else
    grep -v -E '^(#[0-9]+|INFO:|MERGE-OUTER|MS: )' "$log" >&2 || true
    echo "fuzz_$target: FAILED (the input is in $out/artifacts/)" >&2
    return 1
  fi
}

passed=0 failed=0 running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    if wait -n; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    running=$((running - 1))
  fi
  fuzz "$target" &
  running=$((running + 1))
done
for ((; running > 0; running--)); do
  if wait -n; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "count: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
