#!/usr/bin/env bash
# Starts the local live test stream (scripts/serve-test-stream.sh) at rtsp://127.0.0.1:${PORT}/video,
# waits until it delivers, runs the given command with {URL} in its arguments replaced by the stream's
# address, and stops the server when the command ends (its exit status is kept). Ctrl-C or SIGTERM
# stops the command and the server: every process it started is gone within a few seconds
# (scripts/lib/children.sh).
#   PORT=8554 bash scripts/with-test-stream.sh dotnet app.dll {URL}
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/children.sh
PORT="${PORT:-8554}"
URL="rtsp://127.0.0.1:${PORT}/video"

log="$(mktemp)"
stop_children_on_exit
trap 'trap - EXIT INT TERM; stop_children; rm -f "$log"' EXIT
PORT="$PORT" bash scripts/serve-test-stream.sh >"$log" 2>&1 </dev/null &
server=$!
for _ in $(seq 1 60); do
  grep -q "^Serving" "$log" && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.5
done
grep -q "^Serving" "$log" || { cat "$log" >&2; echo "error: the test stream did not start" >&2; exit 1; }
cat "$log"

args=()
for a in "$@"; do args+=("${a//\{URL\}/$URL}"); done
status=0
run_and_wait "${args[@]}" || status=$?
exit "$status"
