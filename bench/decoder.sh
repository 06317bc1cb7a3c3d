#!/usr/bin/env bash
# MpegDecoder against the ffmpeg CLI on the same clips, in one go (a few seconds per figure):
#   - sequential decode to RGB24 at the source size, 1080p and 2160p: the ffmpeg CLI writing raw RGB24 to
#     /dev/null with the library's scaler flags, and MpegDecoder.ExtractFrame(Span) in batches of 4 (the caller's buffer counts in the RSS);
#     frames per second of each and their ratio;
#   - random access: the mean time of ExtractFrame(n, 1) at random n, in sequential frames, with the GOP length;
#   - peak RSS of each process (GNU time's maximum resident set size).
#
#   bash bench/decoder.sh [SECONDS_1080P] [SECONDS_2160P]     (default 8 and 3)
#
# Clips (camera-like H.264 as in side-by-side.sh: moving picture plus noise, GOP 25, no B-frames) are made
# once into ${MPEGCODER_BENCH_CACHE:-~/.cache/mpegcoder-bench}. Prints a Markdown table with `uptime` load.
set -euo pipefail
RANDOM_LINES=""

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MPEGCODER_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mpegcoder-bench}"
SECONDS_HD="${1:-8}"; SECONDS_4K="${2:-3}"
SWS_FLAGS=bicubic # the library's default scaling (Scaling.Bicubic): the CLI converts with the same
mkdir -p "$CACHE"
command -v /usr/bin/time >/dev/null || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }

dotnet build "$ROOT/bench/MpegCoder.Benchmarks" -c Release -nologo -v quiet >/dev/null
RUNNER="$ROOT/bench/MpegCoder.Benchmarks/bin/Release/net10.0/MpegCoder.Benchmarks"

source "$ROOT/bench/clips.sh"

echo "| clip | tool | frames | wall s | fps | fps vs CLI | peak RSS MB | load |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for spec in "h264_1080p 1920x1080 $SECONDS_HD 6M" "h264_2160p 3840x2160 $SECONDS_4K 20M"; do
  set -- $spec
  path=$(clip "$1" "$2" "$3" "$4")
  log=$(mktemp)
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "TIME %M" -o "$log.time" ffmpeg -hide_banner -nostdin -benchmark -threads 0 -i "$path" \
    -sws_flags "$SWS_FLAGS" -pix_fmt rgb24 -f rawvideo -y /dev/null >"$log" 2>&1
  cli_frames=$(tr '\r' '\n' <"$log" | grep -o 'frame= *[0-9]*' | tail -1 | grep -o '[0-9]*$')
  cli_wall=$(grep -o 'rtime=[0-9.]*' "$log" | tail -1 | cut -d= -f2)
  cli_fps=$(awk -v f="$cli_frames" -v w="$cli_wall" 'BEGIN { printf "%.1f", f / w }')
  cli_rss=$(awk '/^TIME/ { printf "%.0f", $2 / 1024 }' "$log.time")
  echo "| $2 | ffmpeg CLI | $cli_frames | $cli_wall | $cli_fps | 1.00 | $cli_rss | $load |"

  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "TIME %M" -o "$log.time" "$RUNNER" decode "$path" --threads 0 --batch 4 >"$log" 2>&1
  line=$(grep '^RESULT' "$log")
  frames=$(grep -o 'frames=[0-9]*' <<<"$line" | cut -d= -f2)
  wall=$(grep -o 'wall=[0-9.]*' <<<"$line" | cut -d= -f2)
  fps=$(grep -o 'fps=[0-9.]*' <<<"$line" | cut -d= -f2)
  rss=$(awk '/^TIME/ { printf "%.0f", $2 / 1024 }' "$log.time")
  ratio=$(awk -v a="$fps" -v b="$cli_fps" 'BEGIN { printf "%.2f", a / b }')
  echo "| $2 | MpegDecoder | $frames | $wall | $fps | $ratio | $rss | $load |"

  "$RUNNER" decode "$path" --threads 0 --batch 4 --random 30 | grep '^RANDOM' | sed "s/^/    $2 /" >>"$log.random"
  rm -f "$log" "$log.time"
  RANDOM_LINES+="$(cat "$log.random")"$'\n'
  rm -f "$log.random"
done
echo
echo "Random access (30 single frames at random positions, after one sequential pass):"
printf '%s' "$RANDOM_LINES"
