# Sourced by the scripts that start servers. Whatever stops such a script (Ctrl-C, SIGTERM from
# `timeout`, systemd or a CI runner, or its own normal end), every process it started is gone within
# a few seconds.
#
#   source scripts/lib/children.sh
#   stop_children_on_exit          # traps EXIT, INT and TERM
#   run_and_wait COMMAND...        # a long command, in a way that a signal interrupts at once
#
# Why it is done this way:
# - bash runs a trap only once the foreground command has returned, so a long command (a probe, the
#   sample itself) runs in the background and is awaited with `wait`, which a signal interrupts.
# - `timeout` and Ctrl-C signal the whole process group, and a log prefixer (sed) may die before the
#   server that writes to it, which can then fail in its own signal handler and keep running; a CI
#   runner may signal the script alone. So the script stops every descendant itself, and kills with
#   SIGKILL whatever is still there after STOP_GRACE seconds (default 3).

# The process ids of every living descendant of process $1: zombies are gone already, and the
# subshell running this function (with its ps and awk) is left out.
descendants_of() {
  ps -e -o pid=,ppid=,stat= | awk -v root="$1" -v self="$BASHPID" '
    { parent[$1] = $2; state[$1] = $3 }
    END {
      for (pid in parent) {
        if (state[pid] ~ /^Z/ || pid == self) continue
        for (p = parent[pid]; p > 1; p = parent[p]) {
          if (p == self) break
          if (p == root) { print pid; break }
        }
      }
    }'
}

stop_children() {
  local pids alive deadline
  pids=$(descendants_of $$)
  [[ -n "$pids" ]] || return 0
  kill -TERM $pids 2>/dev/null || true
  deadline=$((SECONDS + ${STOP_GRACE:-3}))
  while :; do
    alive=$(descendants_of $$)
    [[ -n "$alive" ]] || break
    if (( SECONDS >= deadline )); then
      kill -KILL $alive 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  wait 2>/dev/null || true # reap our own children
}

stop_children_on_exit() {
  trap 'trap - EXIT INT TERM; stop_children' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Runs COMMAND in the background with this script's standard input and waits for it; returns its status.
run_and_wait() {
  "$@" <&0 &
  local pid=$! status=0
  wait "$pid" || status=$?
  return "$status"
}
