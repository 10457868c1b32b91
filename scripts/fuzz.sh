#!/usr/bin/env bash
# Builds the libFuzzer targets (the fuzz preset: clang++-14 with ASan + UBSan)
# and runs each for SECONDS (default 20), seeded from fuzz/seeds/, the test
# fixtures and what earlier runs found (build/fuzz/corpus/, kept).
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Targets: load_feed json_input social_proof match attribution event_batch
# webhook signature_header (default all).
# A failing input is written to build/fuzz/artifacts/; once fixed, copy it to
# fuzz/regressions/<target>/ so that tests/fuzz/ replays it on every test run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(load_feed json_input social_proof match attribution event_batch webhook signature_header)

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

mkdir -p build/fuzz/artifacts
status=0
for target in "${targets[@]}"; do
  seeds=(fuzz/seeds/"$target" fuzz/regressions/"$target")
  max_len=4096
  case "$target" in
    load_feed) seeds+=(tests/fixtures); max_len=65536 ;;
    json_input) seeds=(fuzz/seeds/match fuzz/seeds/social_proof fuzz/seeds/attribution tests/fixtures/briefs
                       tests/fixtures/json-nonascii) ;;
    match) seeds+=(tests/fixtures/briefs) ;;
    attribution) max_len=65536 ;;
    event_batch | webhook) seeds+=(tests/fixtures/json-nonascii); max_len=65536 ;;
  esac
  corpus=build/fuzz/corpus/$target
  mkdir -p "$corpus"
  existing=()
  for dir in "${seeds[@]}"; do [ -d "$dir" ] && existing+=("$dir"); done
  echo "== fuzz_$target: ${seconds} s"
  # libFuzzer's progress goes to a log of its own (build/fuzz/TARGET.log);
  # the summary is printed, and the whole log when the target fails.
  log=build/fuzz/$target.log
  if UBSAN_OPTIONS=print_stacktrace=1 ./build/fuzz/fuzz/fuzz_"$target" "$corpus" "${existing[@]}" \
      -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
      -dict=fuzz/json.dict -artifact_prefix=build/fuzz/artifacts/"$target"- -print_final_stats=1 \
      </dev/null 2>"$log"; then
    grep -E '^(Done|stat::(number_of_executed_units|new_units_added|peak_rss_mb))' "$log" || true
  else
    grep -v -E '^(#[0-9]+|INFO:|MERGE-OUTER|MS: )' "$log" >&2 || true
    echo "fuzz_$target: FAILED (the input is in build/fuzz/artifacts/)" >&2
    status=1
  fi
done
exit $status
