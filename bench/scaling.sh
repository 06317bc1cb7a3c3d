#!/usr/bin/env bash
# Resizing algorithms side by side: MpegCoder (decode + resize + RGB24 into its ring) and the ffmpeg
# CLI (decode + resize + RGB24 to /dev/null) with the same swscale flag, on one camera-like H.264 clip.
# Prints a Markdown table: frames per second (wall) and CPU seconds, best of RUNS runs.
#
#   bash bench/scaling.sh [SECONDS (10)] [SIZE (640x360)] [FLAGS ("bilinear bicubic")] [RUNS (3)]
#
# Needs what scripts/install-deps.sh installs and GNU time; builds the harness; generates the clip once
# into ${MPEGCODER_BENCH_CACHE:-~/.cache/mpegcoder-bench}.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MPEGCODER_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mpegcoder-bench}"
SECS="${1:-10}"; SIZE="${2:-640x360}"; FLAGS="${3:-bilinear bicubic}"; RUNS="${4:-3}"
command -v /usr/bin/time >/dev/null || { echo "error: GNU time is missing: apt-get install -y time" >&2; exit 1; }

dotnet build "$ROOT/bench/MpegCoder.Benchmarks" -c Release -nologo -v quiet >/dev/null
RUNNER="$ROOT/bench/MpegCoder.Benchmarks/bin/Release/net10.0/MpegCoder.Benchmarks"

mkdir -p "$CACHE"
CLIP="$CACHE/h264_1080p_${SECS}s.mp4"
if [[ ! -s "$CLIP" ]]; then
  ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi -i "testsrc2=s=1920x1080:r=25,noise=alls=6:allf=t" \
    -frames:v $(( SECS * 25 )) -an -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p \
    -b:v 6M -maxrate 6M -bufsize 6M -g 25 -keyint_min 25 -sc_threshold 0 -bf 0 "$CLIP.tmp.mp4"
  mv "$CLIP.tmp.mp4" "$CLIP"
fi
FRAMES=$(( SECS * 25 ))

# measure KIND COMMAND...: the best FPS of RUNS runs and its CPU seconds. KIND "time": the whole
# process, from GNU time (the CLI); "result": the harness's RESULT line, the work without the .NET
# runtime's start-up.
measure() {
  local kind="$1"; shift
  local best_fps=0 best_cpu=0 i log fps cpu wall user sys
  log="$(mktemp)"
  for (( i = 0; i < RUNS; i++ )); do
    if [[ "$kind" == time ]]; then
      /usr/bin/time -f "TIME %e %U %S" -o "$log" "$@" >/dev/null 2>&1
      read -r _ wall user sys <"$log"
      fps=$(awk -v f="$FRAMES" -v w="$wall" 'BEGIN { printf "%.1f", f / w }')
      cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    else
      "$@" 2>/dev/null | grep '^RESULT' >"$log"
      fps=$(grep -o 'fps=[0-9.]*' "$log" | cut -d= -f2)
      cpu=$(grep -o 'cpu=[0-9.]*' "$log" | cut -d= -f2)
    fi
    if awk -v a="$fps" -v b="$best_fps" 'BEGIN { exit !(a > b) }'; then best_fps=$fps; best_cpu=$cpu; fi
  done
  rm -f "$log"
  echo "$best_fps $best_cpu"
}

echo "1080p H.264, $FRAMES frames -> RGB24 $SIZE; best of $RUNS; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| Scaling | ffmpeg CLI fps | ffmpeg CLI CPU s | MpegCoder fps | MpegCoder CPU s |"
echo "|---|---:|---:|---:|---:|"
for flag in $FLAGS; do
  read -r cli_fps cli_cpu < <(measure time ffmpeg -hide_banner -nostdin -loglevel error -threads 0 -i "$CLIP" \
    -s "$SIZE" -sws_flags "$flag" -f rawvideo -pix_fmt rgb24 -y /dev/null)
  read -r lib_fps lib_cpu < <(measure result "$RUNNER" library "$CLIP" --threads 0 --size "$SIZE" --scaling "$flag")
  echo "| $flag | $cli_fps | $cli_cpu | $lib_fps | $lib_cpu |"
done
