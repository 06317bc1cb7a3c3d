#!/usr/bin/env bash
# The stream player sample: installs what is missing, starts the local RTSP test server at
# rtsp://127.0.0.1:${PORT:-8554}/video in the background and the player (samples/StreamPlayer) in
# the foreground at http://127.0.0.1:${PLAYER_PORT:-5080}/, and prints both addresses. Open the page
# in a browser, enter the stream address, press Connect, then Start. Ctrl-C or SIGTERM stops both: every
# process it started is gone within a few seconds (scripts/lib/children.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh sample
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PORT="${PORT:-8554}"
PLAYER_PORT="${PLAYER_PORT:-5080}"

# No build servers: MSBuild nodes and the compiler server would otherwise outlive the script.
dotnet build samples/StreamPlayer -c Release -nologo -v quiet --disable-build-servers 2>&1 | tail -n 3
source scripts/lib/children.sh
stop_children_on_exit

# The test server prints "Serving ... at: rtsp://..." once a client really receives its stream.
PORT="$PORT" bash scripts/serve-test-stream.sh </dev/null &

echo "Test stream:  rtsp://127.0.0.1:${PORT}/video (starting)"
# It prints "Player page: http://..." once it listens. Awaited in the background, so that a signal
# reaches this script's trap at once, which stops the player and the server.
run_and_wait dotnet samples/StreamPlayer/bin/Release/net10.0/StreamPlayer.dll --urls "http://127.0.0.1:${PLAYER_PORT}" \
  --Logging:LogLevel:Default=Warning
