#!/usr/bin/env bash
# MpegCoder side by side with the tools users would pick instead, on the same clips, in one go:
#   - decode + RGB24 at the source size and at 640x360: the ffmpeg CLI (the practical limit), MpegCoder,
#     the CLI piped into a .NET process (a plain Process, and FFMpegCore), PyAV and OpenCV;
#   - dstFrameRate 5 on a 25 fps 1080p clip against FFmpeg's decode-only cost (-f null), with the
#     decoder skip modes;
#   - ExtractFrame(5) at 1080p against a plain memory copy (BenchmarkDotNet, MemoryDiagnoser);
#   - live freshness and how many live 640x480 streams one machine keeps up with, on a local RTSP server.
# Prints one Markdown table (and the BenchmarkDotNet, freshness and scale figures) with `uptime` load.
#
#   bash bench/side-by-side.sh            the full run (long clips, BenchmarkDotNet's default job)
#   bash bench/side-by-side.sh --quick    a trial run: short clips, a few seconds per figure
#
# Installs what it needs (scripts/install-deps.sh plus python3-av, python3-opencv and time), builds the
# harness, and generates the clips once into ${MPEGCODER_BENCH_CACHE:-~/.cache/mpegcoder-bench}.
# Results: the table on standard output, raw logs in the cache folder's results-<date>/.
set -euo pipefail

QUICK=""
[[ "${1:-}" == "--quick" ]] && QUICK=1
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MPEGCODER_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mpegcoder-bench}"
PYTHON=/usr/bin/python3
THREADS=0 # the same for every tool: FFmpeg's automatic choice (-threads 0)

# --- what it needs -------------------------------------------------------------------------------
bash "$ROOT/scripts/install-deps.sh"
BENCH_PACKAGES=(
  python3-av      # PyAV, the Python anchor built on the same FFmpeg
  python3-opencv  # OpenCV's VideoCapture
  time            # GNU time: CPU seconds and peak RSS of each process
)
missing=()
for p in "${BENCH_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
if (( ${#missing[@]} )); then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

dotnet build "$ROOT/bench/MpegCoder.Benchmarks" -c Release -nologo -v quiet >/dev/null
RUNNER="$ROOT/bench/MpegCoder.Benchmarks/bin/Release/net10.0/MpegCoder.Benchmarks"

OUT="$CACHE/results-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$CACHE" "$OUT"
RESULTS="$OUT/results.tsv"
: >"$RESULTS"

# --- clips: camera-like H.264 (moving picture plus sensor noise, constrained bitrate, GOP 25, no B-frames)
if [[ -n "$QUICK" ]]; then SECONDS_HD=4; SECONDS_4K=2; else SECONDS_HD=30; SECONDS_4K=10; fi
source "$ROOT/bench/clips.sh"
CLIP_1080=$(clip h264_1080p 1920x1080 "$SECONDS_HD" 6M)
CLIP_720=$(clip h264_720p 1280x720 "$SECONDS_HD" 3M)
CLIP_4K=$(clip h264_2160p 3840x2160 "$SECONDS_4K" 20M)

load() { cut -d' ' -f1 /proc/loadavg; }

# run GROUP TOOL VIDEO_SECONDS KIND COMMAND...: KIND "result" = the command prints a RESULT line,
# "ffmpeg" = the ffmpeg CLI with -benchmark (its own utime/stime/rtime, frames from its stats).
run() {
  local group="$1" tool="$2" video_s="$3" kind="$4"; shift 4
  local log="$OUT/$(echo "$group $tool" | tr -c 'A-Za-z0-9' '_').log" l; l=$(load)
  /usr/bin/time -f "TIME %U %S %M" -o "$log.time" "$@" >"$log" 2>&1 || echo "warning: $tool failed on $group (see $log)" >&2
  local frames="" wall="" cpu=""
  if [[ "$kind" == ffmpeg ]]; then
    frames=$(tr '\r' '\n' <"$log" | grep -o 'frame= *[0-9]*' | tail -1 | grep -o '[0-9]*$' || true)
    wall=$(grep -o 'rtime=[0-9.]*' "$log" | tail -1 | cut -d= -f2 || true)
    cpu=$(grep -o 'utime=[0-9.]*s stime=[0-9.]*' "$log" | tail -1 | sed 's/utime=\([0-9.]*\)s stime=\([0-9.]*\)/\1 \2/' | awk '{print $1+$2}' || true)
  else
    local r; r=$(grep '^RESULT' "$log" | tail -1 || true)
    frames=$(grep -o 'frames=[0-9]*' <<<"$r" | cut -d= -f2 || true)
    wall=$(grep -o 'wall=[0-9.]*' <<<"$r" | cut -d= -f2 || true)
    cpu=$(grep -o 'cpu=[0-9.]*' <<<"$r" | cut -d= -f2 || true)
  fi
  local cpu_total rss
  cpu_total=$(awk '/^TIME/ {print $2+$3}' "$log.time")
  rss=$(awk '/^TIME/ {print $4}' "$log.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$group" "$tool" "$frames" "$wall" "$cpu" "$cpu_total" "$rss" "$video_s" "$l" >>"$RESULTS"
  echo "  $group | $tool: frames=$frames wall=$wall cpu=$cpu (load $l)" >&2
}

FF=(ffmpeg -hide_banner -nostdin -benchmark -threads "$THREADS")

# --- decode + RGB24 --------------------------------------------------------------------------------
for spec in "1080p:$CLIP_1080:$SECONDS_HD" "720p:$CLIP_720:$SECONDS_HD" "2160p:$CLIP_4K:$SECONDS_4K"; do
  IFS=: read -r name path secs <<<"$spec"
  for size in native 640x360; do
    group="$name -> RGB24 $size"
    sarg=(); rarg=()
    [[ "$size" != native ]] && sarg=(-s "$size") && rarg=(--size "$size")
    echo "== $group" >&2
    run "$group" "ffmpeg CLI -f rawvideo" "$secs" ffmpeg "${FF[@]}" -i "$path" "${sarg[@]}" -f rawvideo -pix_fmt rgb24 -y /dev/null
    run "$group" "MpegCoder" "$secs" result "$RUNNER" library "$path" --threads "$THREADS" "${rarg[@]}"
    run "$group" "ffmpeg piped to .NET Process" "$secs" result "$RUNNER" pipe "$path" --threads "$THREADS" "${rarg[@]}"
    run "$group" "FFMpegCore (pipe)" "$secs" result "$RUNNER" ffmpegcore "$path" --threads "$THREADS" "${rarg[@]}"
    run "$group" "PyAV" "$secs" result "$PYTHON" "$ROOT/bench/anchors.py" pyav "$path" --threads "$THREADS" "${rarg[@]}"
    run "$group" "OpenCV" "$secs" result "$PYTHON" "$ROOT/bench/anchors.py" opencv "$path" --threads "$THREADS" "${rarg[@]}"
  done
done

# --- few frames wanted: dstFrameRate 5 on the 25 fps 1080p clip ---------------------------------
group="1080p, 5 of 25 fps"
echo "== $group" >&2
run "$group" "ffmpeg CLI -f null (decode only)" "$SECONDS_HD" ffmpeg "${FF[@]}" -i "$CLIP_1080" -f null -
run "$group" "ffmpeg CLI -r 5 -f rawvideo" "$SECONDS_HD" ffmpeg "${FF[@]}" -i "$CLIP_1080" -r 5 -f rawvideo -pix_fmt rgb24 -y /dev/null
run "$group" "MpegCoder dstFrameRate 5" "$SECONDS_HD" result "$RUNNER" library "$CLIP_1080" --threads "$THREADS" --rate 5/1
run "$group" "MpegCoder dstFrameRate 5, SkipFrames NonReference" "$SECONDS_HD" result "$RUNNER" library "$CLIP_1080" --threads "$THREADS" --rate 5/1 --skip noref
run "$group" "MpegCoder SkipFrames NonKey (1 of 25)" "$SECONDS_HD" result "$RUNNER" library "$CLIP_1080" --threads "$THREADS" --skip nokey
run "$group" "ffmpeg CLI -skip_frame nokey -f rawvideo" "$SECONDS_HD" ffmpeg "${FF[@]}" -skip_frame nokey -i "$CLIP_1080" -f rawvideo -pix_fmt rgb24 -y /dev/null

echo
echo "## Side by side ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $([[ -n "$QUICK" ]] && echo quick || echo full) run)"
echo
"$PYTHON" "$ROOT/bench/table.py" "$RESULTS"

# --- ExtractFrame against a memory copy (BenchmarkDotNet, in process) ----------------------------
echo
echo "## ExtractFrame of 5 frames at 1080p (BenchmarkDotNet, load $(load))"
BDN_JOB=(); [[ -n "$QUICK" ]] && BDN_JOB=(--job short)
# Out of process (BenchmarkDotNet's default toolchain): in process its own engine adds a few bytes
# to the allocation column.
MPEGCODER_BENCH_CLIP="$CLIP_1080" "$RUNNER" bdn --filter '*ExtractFrameBenchmarks*' --memory \
  --artifacts "$OUT/bdn" "${BDN_JOB[@]}" >"$OUT/bdn.log" 2>&1 || echo "warning: BenchmarkDotNet failed (see $OUT/bdn.log)" >&2
cat "$OUT"/bdn/results/*-report-github.md 2>/dev/null | grep '^|' || true
echo
"$RUNNER" alloc "$CLIP_1080" --calls 500 2>/dev/null | grep '^RESULT' || echo "warning: the allocation check failed" >&2

# --- live: freshness and scale on a local RTSP server (640x480, 25 fps barcode) -------------------
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="rtsp://127.0.0.1:$PORT/video"
PORT=$PORT WIDTH=640 HEIGHT=480 FPS=25 bash "$ROOT/scripts/serve-test-stream.sh" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do grep -q '^Serving' "$OUT/server.log" && break; sleep 0.1; done
grep -q '^Serving' "$OUT/server.log" || { echo "error: the test stream did not start (see $OUT/server.log)" >&2; exit 1; }

if [[ -n "$QUICK" ]]; then LIVE_S=6; else LIVE_S=30; fi
echo
echo "## Freshness of the newest frame, $URL 640x480 25 fps, ${LIVE_S} s (load $(load))"
"$RUNNER" fresh "$URL" --seconds "$LIVE_S" 2>"$OUT/fresh.err" | tee "$OUT/fresh.log" | grep -v '^\[' || true

if [[ -n "$QUICK" ]]; then STEPS="1 2 4 8"; SCALE_S=6; else STEPS="1 2 4 8 16 32 48 64 96 128 192 256"; SCALE_S=15; fi
echo
echo "## Live 640x480 25 fps streams kept up with (lag growth < 0.4 s over ${SCALE_S} s each)"
for tool in lib cli; do
  for n in $STEPS; do
    line=$("$RUNNER" scale "$URL" --tool "$tool" --streams "$n" --seconds "$SCALE_S" 2>>"$OUT/scale.err" | grep '^RESULT' || echo "RESULT tool=$tool streams=$n kept_up=0 error=failed")
    echo "$line load=$(load)" | tee -a "$OUT/scale.log"
    kept=$(grep -o 'kept_up=[0-9]*' <<<"$line" | cut -d= -f2)
    (( kept < n )) && break
  done
done
echo
echo "raw logs: $OUT"
