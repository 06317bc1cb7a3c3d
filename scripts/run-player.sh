#!/usr/bin/env bash
# The stream player sample: installs what is missing, starts the local RTSP test server at
# rtsp://127.0.0.1:${PORT:-8554}/video in the background and the player (samples/StreamPlayer) in
# the foreground at http://127.0.0.1:${PLAYER_PORT:-5080}/, and prints both addresses. Open the page
# in a browser, enter the stream address, press Connect, then Start. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PORT="${PORT:-8554}"
PLAYER_PORT="${PLAYER_PORT:-5080}"

dotnet build samples/StreamPlayer -c Release -nologo -v quiet 2>&1 | tail -n 3

# The test server prints "Serving ... at: rtsp://..." once a client really receives its stream.
PORT="$PORT" bash scripts/serve-test-stream.sh &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "Test stream:  rtsp://127.0.0.1:${PORT}/video (starting)"
# In the foreground, so that Ctrl-C reaches it; it prints "Player page: http://..." once it listens.
dotnet samples/StreamPlayer/bin/Release/net10.0/StreamPlayer.dll --urls "http://127.0.0.1:${PLAYER_PORT}" \
  --Logging:LogLevel:Default=Warning
