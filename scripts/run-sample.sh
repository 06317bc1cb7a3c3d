#!/usr/bin/env bash
# The main job: installs what is missing, starts a local RTSP server serving a live test stream at
# rtsp://127.0.0.1:${PORT:-8554}/video, and runs the sample client (samples/StreamClient) against it.
# Extra arguments go to the sample: [address] [batches]. Stops the server when the sample ends.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PORT="${PORT:-8554}"

dotnet build samples/StreamClient -c Release -nologo -v quiet 2>&1 | tail -n 3

log="$(mktemp)"
PORT="$PORT" bash scripts/serve-test-stream.sh >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 60); do
  grep -q "^Serving" "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.5
done
grep -q "^Serving" "$log" || { cat "$log" >&2; echo "error: the test server did not start" >&2; exit 1; }
cat "$log"

dotnet samples/StreamClient/bin/Release/net10.0/StreamClient.dll "${1:-rtsp://localhost:${PORT}/video}" "${2:-10}"
