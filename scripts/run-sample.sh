#!/usr/bin/env bash
# The main job: installs what is missing, starts a local RTSP server serving a live test stream at
# rtsp://127.0.0.1:${PORT:-8554}/video, and runs the sample client (samples/StreamClient) against it.
# Extra arguments go to the sample: [address] [batches]. Stops the server when the sample ends; Ctrl-C
# or SIGTERM stops both, and every process it started is gone within a few seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh sample
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# No build servers: MSBuild nodes and the compiler server would otherwise outlive the script.
dotnet build samples/StreamClient -c Release -nologo -v quiet --disable-build-servers 2>&1 | tail -n 3
# exec: a signal sent to this script reaches with-test-stream.sh itself, which stops what it started.
PORT="${PORT:-8554}" exec bash scripts/with-test-stream.sh \
  dotnet samples/StreamClient/bin/Release/net10.0/StreamClient.dll "${1:-rtsp://localhost:${PORT:-8554}/video}" "${2:-10}"
