# The stage runner of scripts/test.sh (sourced, bash 5.1+). A stage is a named
# command and the stages it needs; run_stages starts each stage as soon as
# the stages it needs have passed, several at once while cores are free, and
# prints a table of every stage's wall time, CPU time and test count.
#
#   stage NAME [--needs "A B"] [--cores N] -- COMMAND [ARG...]
#   run_stages [NAME...]   # runs every declared stage (or these and what they
#                          # need); fails when one failed
#
# COMMAND is a program or a shell function, run with `set -euo pipefail` from
# the repository root. Its output goes to var/test-logs/NAME.log; the log is
# printed when the stage fails (and with VOUCH_TEST_VERBOSE=1 always). A
# failed stage's dependants are skipped; the others still run.
# --cores: how many cores the stage keeps busy (default 1; a build at -j2
# says 2). A stage starts only while the running stages' cores, its own
# included, stay within VOUCH_TEST_CORES (default: twice the machine's, as
# builds and browser tests leave cores idle while they link or wait). A stage
# that needs more than that runs alone.
# Tests are counted from the log: node's test runner summary (# pass N,
# # fail N, ...), ctest's "N tests failed out of M", a Catch2 program's
# summary, and a line "count: N passed, M failed" that a stage prints itself.
# The table also goes to var/test-times.txt; the previous run's is kept as
# var/test-times.prev.txt and shown beside it.

declare -a stage_names=()
declare -A stage_needs=() stage_cores=() stage_cmd=() stage_state=() stage_pid=() stage_began=()
declare -A stage_wall=() stage_cpu=() stage_tests=()
stage_logs=var/test-logs

stage() {
  local name=$1 needs="" cores=1
  shift
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    case $1 in
      --needs) needs=$2; shift 2 ;;
      --cores) cores=$2; shift 2 ;;
      *) echo "stage $name: unknown option $1" >&2; return 2 ;;
    esac
  done
  [ "${1:-}" = "--" ] || { echo "stage $name: missing -- COMMAND" >&2; return 2; }
  shift
  local need
  for need in $needs; do
    [ -n "${stage_state[$need]:-}" ] || { echo "stage $name needs $need, declared after it" >&2; return 2; }
  done
  stage_names+=("$name")
  stage_needs[$name]=$needs
  stage_cores[$name]=$cores
  stage_cmd[$name]=$(printf '%q ' "$@")
  stage_state[$name]=waiting
}

# The body of one stage, in its own process group: the command, then the CPU
# seconds of everything it ran (bash's `times`: the waited-for children).
stage_body() {
  local name=$1 status
  set +e   # (a subshell whose status is tested ignores its own set -e)
  (set -euo pipefail; eval "${stage_cmd[$name]}")
  status=$?
  times > "$stage_logs/$name.cpu"   # (not into a pipe: that would be a subshell's times)
  awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' \
    "$stage_logs/$name.cpu" > "$stage_logs/$name.cpu.tmp" && mv "$stage_logs/$name.cpu.tmp" "$stage_logs/$name.cpu"
  return "$status"
}

# "N passed, M failed" from a stage's log, or nothing when it ran no counted test.
stage_count() {
  awk '
    /^(# |ℹ )(pass|todo) [0-9]+$/ { pass += $3; seen = 1 }
    /^(# |ℹ )(fail|cancelled) [0-9]+$/ { fail += $3; seen = 1 }
    /tests? failed out of [0-9]+$/ { fail += $(NF - 4); pass += $NF - $(NF - 4); seen = 1 }
    /^count: [0-9]+ passed, [0-9]+ failed$/ { pass += $2; fail += $4; seen = 1 }
    /^All tests passed \([0-9]+ assertions? in [0-9]+ test cases?\)$/ { pass += $(NF - 2); seen = 1 }
    /^test cases: +[0-9]+ [|] +[0-9]+ passed [|] +[0-9]+ failed/ { pass += $5; fail += $8; seen = 1 }
    END { if (seen) printf "%d passed, %d failed\n", pass, fail }' "$1"
}

# stage_select [NAME...]: leaves out every stage that none of NAMEs needs.
stage_select() {
  (($#)) || return 0
  local -A wanted=()
  local -a todo=("$@")
  local name need
  while ((${#todo[@]})); do
    name=${todo[-1]}
    unset 'todo[-1]'
    [ -n "${stage_state[$name]:-}" ] || { echo "no stage named $name (stages: ${stage_names[*]})" >&2; return 1; }
    [ -n "${wanted[$name]:-}" ] && continue
    wanted[$name]=1
    for need in ${stage_needs[$name]}; do todo+=("$need"); done
  done
  local -a kept=()
  for name in "${stage_names[@]}"; do [ -n "${wanted[$name]:-}" ] && kept+=("$name"); done
  stage_names=("${kept[@]}")
}

stage_ready() { # NAME: 0 when every stage it needs passed, 1 when one is unfinished, 2 when one failed
  local need
  for need in ${stage_needs[$1]}; do
    case ${stage_state[$need]} in
      passed) ;;
      failed | skipped) return 2 ;;
      *) return 1 ;;
    esac
  done
}

stage_start() {
  local name=$1
  echo "== start: $name"
  stage_state[$name]=running
  stage_began[$name]=$EPOCHREALTIME
  stage_body "$name" > "$stage_logs/$name.log" 2>&1 </dev/null &
  stage_pid[$name]=$!
}

stage_finish() { # NAME STATUS
  local name=$1 status=$2 log=$stage_logs/$1.log
  stage_wall[$name]=$(awk -v a="${stage_began[$name]}" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
  stage_cpu[$name]=$(cat "$stage_logs/$name.cpu" 2>/dev/null || echo "?")
  stage_tests[$name]=$(stage_count "$log")
  if [ "$status" -eq 0 ]; then
    stage_state[$name]=passed
    [ "${VOUCH_TEST_VERBOSE:-0}" = 1 ] && cat "$log"
    echo "== passed: $name (${stage_wall[$name]} s${stage_tests[$name]:+, ${stage_tests[$name]}})"
  else
    stage_state[$name]=failed
    echo "== FAILED: $name (exit status $status after ${stage_wall[$name]} s; log $log):"
    cat "$log"
    echo "== end of $name's log"
  fi
}

# Stops what is still running (a failure elsewhere, or Ctrl-C): each stage is
# a process group of its own.
stage_stop_all() {
  local name
  for name in "${stage_names[@]}"; do
    [ "${stage_state[$name]}" = running ] && kill -TERM -- "-${stage_pid[$name]}" 2>/dev/null
  done
  return 0
}

run_stages() {
  local limit=${VOUCH_TEST_CORES:-$(($(nproc) * 2))} busy name pid status progress began=$EPOCHREALTIME
  mkdir -p "$stage_logs"
  stage_select "$@" || return 2
  set -m   # each background stage in its own process group
  trap 'stage_stop_all; exit 130' INT TERM
  for (( ; ; )); do
    progress=0
    busy=0
    for name in "${stage_names[@]}"; do
      [ "${stage_state[$name]}" = running ] && busy=$((busy + stage_cores[$name]))
    done
    for name in "${stage_names[@]}"; do
      [ "${stage_state[$name]}" = waiting ] || continue
      status=0
      stage_ready "$name" || status=$?
      if [ "$status" -eq 2 ]; then
        stage_state[$name]=skipped
        echo "== skipped: $name (a stage it needs failed)"
        progress=1
      elif [ "$status" -eq 0 ] && { [ $((busy + stage_cores[$name])) -le "$limit" ] || [ "$busy" -eq 0 ]; }; then
        stage_start "$name"
        busy=$((busy + stage_cores[$name]))
        progress=1
      fi
    done
    ((progress)) && continue
    [ "$busy" -eq 0 ] && break
    status=0
    wait -n -p pid || status=$?
    for name in "${stage_names[@]}"; do
      [ "${stage_state[$name]}" = running ] && [ "${stage_pid[$name]}" = "$pid" ] && stage_finish "$name" "$status"
    done
  done
  trap - INT TERM
  set +m
  stage_table "$began"
}

stage_table() { # BEGAN: prints the table, writes var/test-times.txt, fails when a stage did not pass
  local name failed=0 pass=0 fail=0 cpu=0 p f table
  stage_wall[total]=$(awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
  for name in "${stage_names[@]}"; do
    read -r p f < <(echo "${stage_tests[$name]:-0 passed, 0 failed}" | awk '{ print $1, $3 }')
    # A stage that failed without a counted failure (a build, a budget) counts as one.
    [ "${stage_state[$name]}" = passed ] || { failed=1; [ "$f" -gt 0 ] || f=1; }
    pass=$((pass + p)) fail=$((fail + f))
    [[ ${stage_cpu[$name]:-} =~ ^[0-9]+$ ]] && cpu=$((cpu + stage_cpu[$name]))
  done
  [ -f var/test-times.txt ] && mv var/test-times.txt var/test-times.prev.txt
  table=$(
    printf '%-18s %6s %6s %6s  %s\n' stage wall cpu last tests
    for name in "${stage_names[@]}"; do
      printf '%-18s %6s %6s %6s  %s\n' "$name" "${stage_wall[$name]:--}" "${stage_cpu[$name]:--}" \
        "$(stage_last "$name")" "${stage_state[$name]}${stage_tests[$name]:+: ${stage_tests[$name]}}"
    done
    printf '%-18s %6s %6s %6s  %s\n' total "${stage_wall[total]}" "$cpu" "$(stage_last total)" "$pass passed, $fail failed"
  )
  echo "== stage times in seconds (wall, CPU; last: wall in the run before, var/test-times.prev.txt)"
  echo "$table"
  { echo "# $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD 2>/dev/null || echo ?), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$table"; } > var/test-times.txt
  if ((failed)); then echo "== FAILED"; else echo "== all stages passed"; fi
  echo "tests: $pass passed, $fail failed"
  return "$failed"
}

stage_last() { # NAME: its wall seconds in the previous run's table
  [ -f var/test-times.prev.txt ] || { echo -; return; }
  awk -v n="$1" '$1 == n { print $2; found = 1 } END { if (!found) print "-" }' var/test-times.prev.txt
}
