#!/usr/bin/env bash
# The 30-minute soak: starts the local live test stream, runs tools/Soak against it for MINUTES
# (default 30), and prints a line a minute (RSS, threads, counters) and a pass/fail summary.
#   bash scripts/soak.sh [MINUTES]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PORT="${PORT:-8555}"
dotnet build tools/Soak -c Release -nologo -v quiet 2>&1 | tail -n 3
log="$(mktemp)"
PORT="$PORT" bash scripts/serve-test-stream.sh >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 60); do grep -q "^Serving" "$log" && break; sleep 0.5; done
grep -q "^Serving" "$log" || { cat "$log" >&2; exit 1; }
dotnet tools/Soak/bin/Release/net10.0/Soak.dll "rtsp://127.0.0.1:${PORT}/video" "${1:-30}"
