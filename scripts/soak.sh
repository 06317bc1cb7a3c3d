#!/usr/bin/env bash
# The 30-minute soak: starts the local live test stream, runs tools/Soak against it for MINUTES
# (default 30), and prints a line a minute (RSS, threads, counters) and a pass/fail summary.
#   bash scripts/soak.sh [MINUTES]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh sample
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tools/Soak -c Release -nologo -v quiet 2>&1 | tail -n 3
PORT="${PORT:-8555}" bash scripts/with-test-stream.sh dotnet tools/Soak/bin/Release/net10.0/Soak.dll {URL} "${1:-30}"
