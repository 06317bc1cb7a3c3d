#!/usr/bin/env bash
# What a hosted camera costs: the camera wall sample (samples/CameraWall, MpegCoder.Hosting) with N
# cameras on the live 320x240 / 25 fps barcode test stream, every frame decoded and stored (no frame
# rate set) and no browser attached. For each N it prints the app's CPU (% of one core, over SECONDS
# after a 10 s warm-up), RSS, threads and frames stored per camera; the difference between two N is
# the cost per camera. With RECORD=1 every camera also records (continuous 10 s MP4 segments, crash-safe,
# into a temporary folder); AUDIO=aac gives the test stream an AAC track, which the recording keeps.
#
#   bash bench/camera-wall.sh [COUNTS ("2 6")] [SECONDS (30)]
#   RECORD=1 AUDIO=aac bash bench/camera-wall.sh "1 2 6" 30
#
# Environment: PORT (8654) for the test stream, WALL_PORT (5391) for the app, RECORD (0), AUDIO (none).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COUNTS="${1:-2 6}"; SECS="${2:-30}"
PORT="${PORT:-8654}"; WALL_PORT="${WALL_PORT:-5391}"
URL="rtsp://127.0.0.1:${PORT}/video"
LOGS="$(mktemp -d)"

dotnet build "$ROOT/samples/CameraWall" -c Release -nologo -v quiet --disable-build-servers >/dev/null
source "$ROOT/scripts/lib/children.sh"
stop_children_on_exit

PORT="$PORT" AUDIO="${AUDIO:-none}" bash "$ROOT/scripts/serve-test-stream.sh" >"$LOGS/stream.log" 2>&1 </dev/null &
for _ in $(seq 120); do grep -q "Serving" "$LOGS/stream.log" && break; sleep 0.5; done
grep -q "Serving" "$LOGS/stream.log" || { cat "$LOGS/stream.log" >&2; exit 1; }

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
echo "| cameras | CPU (% of one core) | RSS (MB) | threads | frames stored per camera in ${SECS} s |"
echo "| --- | --- | --- | --- | --- |"
for n in $COUNTS; do
  args=(--urls "http://127.0.0.1:${WALL_PORT}" --Logging:LogLevel:Default=Warning)
  for ((i = 0; i < n; i++)); do
    c="--MpegCoder:Cameras:$i"
    args+=("$c:Name=cam$i" "$c:Address=$URL" "$c:Options:FrameRate=" "$c:Options:Width=320" "$c:Options:Height=240" "$c:Options:RtspTransport=Tcp")
    if [[ "${RECORD:-0}" == 1 ]]; then
      args+=("$c:Recording:Mode=Continuous" "$c:Recording:Path=$LOGS/rec/cam$i-{1:0000}.mp4" "$c:Recording:SegmentDuration=00:00:10")
    fi
  done
  dotnet "$ROOT/samples/CameraWall/bin/Release/net10.0/CameraWall.dll" "${args[@]}" >"$LOGS/wall.log" 2>&1 </dev/null &
  app=$!
  sleep 10
  stored() { curl -s "http://127.0.0.1:${WALL_PORT}/api/cameras" | /usr/bin/python3 -c 'import json, sys; print(" ".join(str(c["framesStored"]) for c in json.load(sys.stdin)))'; }
  before=($(stored)); t0=$(ticks $app); s0=$(date +%s.%N)
  sleep "$SECS"
  after=($(stored)); t1=$(ticks $app); s1=$(date +%s.%N)
  cpu=$(echo "($t1 - $t0) / $(getconf CLK_TCK) / ($s1 - $s0) * 100" | bc -l)
  rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$app/status"); threads=$(awk '/Threads/ { print $2 }' "/proc/$app/status")
  frames=""; for ((i = 0; i < n; i++)); do frames+="$(( after[i] - before[i] )) "; done
  printf '| %d | %.1f | %d | %d | %s|\n' "$n" "$cpu" "$rss" "$threads" "$frames"
  kill "$app"; wait "$app" 2>/dev/null || true
  if [[ -d "$LOGS/rec" ]]; then
    echo "  ($n cameras recorded $(ls "$LOGS/rec" | wc -l) files, $(du -sm "$LOGS/rec" | cut -f1) MB)" >&2
    rm -rf "$LOGS/rec"
  fi
done
