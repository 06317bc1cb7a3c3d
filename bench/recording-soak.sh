#!/usr/bin/env bash
# The recording soak: starts the local live test stream and records it for MINUTES (default 10) with
# tools/Soak --record: 10 s crash-safe MP4 segments, MaxAge = 1 minute, into a temporary folder. Prints
# a line every 10 s (files and bytes in the folder, RSS, CPU) and at the end a pass/fail summary: the
# folder stayed bounded, every deletion was of a finished file older than MaxAge, no file was lost,
# every file left decodes with the ffmpeg CLI without an error and its frames follow on from the file
# before (read from the frames' barcodes).
# AUDIO=aac (or mulaw) gives the test stream a sound track, which the recording keeps.
#   bash bench/recording-soak.sh [MINUTES]
#   AUDIO=aac bash bench/recording-soak.sh 3
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tools/Soak -c Release -nologo -v quiet 2>&1 | tail -n 3
folder="$(mktemp -d)"
trap 'rm -rf "$folder"' EXIT
PORT="${PORT:-8556}" bash scripts/with-test-stream.sh \
  dotnet tools/Soak/bin/Release/net10.0/Soak.dll --record {URL} "${1:-10}" "$folder"
