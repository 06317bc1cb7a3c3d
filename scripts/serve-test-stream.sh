#!/usr/bin/env bash
# Serves the live "frame index barcode" test stream at rtsp://127.0.0.1:${PORT:-8554}/video
# (GStreamer RTSP server relaying an H.264 RTP stream pushed by ffmpeg), in the foreground.
# Frame N shows 16 black/white columns; column k (from the left) is white when bit k of N is 1.
#
# Environment: PORT (8554), RTP_PORT (a free UDP port), WIDTH (320), HEIGHT (240), FPS (25),
# MOUNTS ("video"; several names, e.g. "cam01 cam02 cam03", serve the same stream at /cam01, /cam02, ...,
# each client on its own RTSP session: many cameras behind one address),
# AUDIO ("none"; "aac" adds a 1 kHz tone in AAC-LC, 48 kHz mono; "mulaw" the tone in G.711 µ-law, 8 kHz
# mono: a camera with a microphone. The same ffmpeg pushes both, so their timestamps agree), AUDIO_PORT
# (a free UDP port, where the audio RTP arrives).
# Needs: apt-get install -y ffmpeg python3-gi gir1.2-gst-rtsp-server-1.0 \
#          gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
# Stop with Ctrl-C or SIGTERM: every process it started is gone within a few seconds
# (scripts/lib/children.sh).
set -euo pipefail

PORT="${PORT:-8554}"
WIDTH="${WIDTH:-320}"
HEIGHT="${HEIGHT:-240}"
FPS="${FPS:-25}"
AUDIO="${AUDIO:-none}"
PYTHON=/usr/bin/python3
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SERVER="$HERE/../tests/MpegCoder.Tests/Servers/rtsp_server.py"
read -r -a MOUNT_NAMES <<<"${MOUNTS:-video}"
URL="rtsp://127.0.0.1:${PORT}/${MOUNT_NAMES[0]}"
MOUNT_ARGS=()
for m in "${MOUNT_NAMES[@]}"; do MOUNT_ARGS+=(--mount "/$m"); done

case "$AUDIO" in
  none|aac|mulaw) ;;
  *) echo "error: AUDIO must be none, aac or mulaw, not '$AUDIO'" >&2; exit 1 ;;
esac

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' not found; install it with: apt-get install -y $2" >&2; exit 1; }; }
need ffmpeg ffmpeg
need ffprobe ffmpeg
[[ -x "$PYTHON" ]] || { echo "error: $PYTHON not found; install it with: apt-get install -y python3" >&2; exit 1; }
"$PYTHON" -c 'import gi; gi.require_version("GstRtspServer", "1.0"); from gi.repository import GstRtspServer' 2>/dev/null \
  || { echo "error: GStreamer RTSP server bindings missing; install them with: apt-get install -y python3-gi gir1.2-gst-rtsp-server-1.0" >&2; exit 1; }

free_udp_port() { "$PYTHON" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
RTP_PORT="${RTP_PORT:-$(free_udp_port)}"
AUDIO_SERVER_ARGS=()
AUDIO_INPUT=()
AUDIO_OUTPUT=()
case "$AUDIO" in
  aac)
    AUDIO_PORT="${AUDIO_PORT:-$(free_udp_port)}"
    AUDIO_INPUT=(-re -f lavfi -i "sine=frequency=1000:sample_rate=48000")
    AUDIO_OUTPUT=(-map 1:a -c:a aac -b:a 64k -ar 48000 -ac 1 -payload_type 97) ;;
  mulaw)
    AUDIO_PORT="${AUDIO_PORT:-$(free_udp_port)}"
    # 160 samples a frame: 20 ms packets, as cameras send G.711.
    AUDIO_INPUT=(-re -f lavfi -i "sine=frequency=1000:sample_rate=8000:samples_per_frame=160")
    AUDIO_OUTPUT=(-map 1:a -c:a pcm_mulaw -ar 8000 -ac 1) ;;
esac
if [[ "$AUDIO" != none ]]; then
  AUDIO_SERVER_ARGS=(--audio "$AUDIO" --audio-port "$AUDIO_PORT")
  AUDIO_OUTPUT+=(-f rtp "rtp://127.0.0.1:${AUDIO_PORT}")
fi

LOG_DIR="$(mktemp -d)"
source "$HERE/lib/children.sh"
stop_children_on_exit
trap 'trap - EXIT INT TERM; stop_children; rm -rf "$LOG_DIR"' EXIT

"$PYTHON" -u "$SERVER" --port "$PORT" --rtp-port "$RTP_PORT" "${MOUNT_ARGS[@]}" "${AUDIO_SERVER_ARGS[@]}" >"$LOG_DIR/server.out" 2> >(sed 's/^/[rtsp-server] /' >&2) &
SERVER_PID=$!

for _ in $(seq 1 150); do
  grep -q '^READY' "$LOG_DIR/server.out" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "error: RTSP server exited (port $PORT busy?)" >&2; exit 1; }
  sleep 0.1
done
grep -q '^READY' "$LOG_DIR/server.out" || { echo "error: RTSP server did not become ready" >&2; exit 1; }

# The frame-index barcode: geq draws one 2-pixel strip (it only depends on N and X), scaled
# vertically with nearest neighbour (byte-identical to a full-frame geq, much cheaper).
# One slice per frame (-threads 1, sliced-threads=0): multi-slice frames arrive damaged through the relay.
# With audio, the tone is a second input (read in real time too) sent to its own RTP output.
BITRATE=$(( WIDTH * HEIGHT * FPS / 2 )); (( BITRATE < 500000 )) && BITRATE=500000
ffmpeg -hide_banner -nostats -nostdin -loglevel warning \
  -re -f lavfi -i "nullsrc=s=${WIDTH}x2:r=${FPS},geq=lum='255*bitand(trunc(N/pow(2\,trunc(X*16/W)))\,1)':cb=128:cr=128,scale=${WIDTH}:${HEIGHT}:flags=neighbor,setsar=1,format=yuv420p" \
  "${AUDIO_INPUT[@]}" -map 0:v -an -c:v libx264 -preset ultrafast -tune zerolatency -threads 1 -x264-params sliced-threads=0:slices=1 \
  -g "$FPS" -keyint_min "$FPS" -sc_threshold 0 -bf 0 -b:v "$BITRATE" -maxrate "$BITRATE" -bufsize "$(( BITRATE / 2 ))" \
  -f rtp "rtp://127.0.0.1:${RTP_PORT}" "${AUDIO_OUTPUT[@]}" >/dev/null 2> >(sed 's/^/[ffmpeg] /' >&2) &
PUSHER_PID=$!

ok=""
for _ in $(seq 1 10); do
  kill -0 "$PUSHER_PID" 2>/dev/null || { echo "error: ffmpeg pusher exited" >&2; exit 1; }
  # In the background, awaited: a signal then stops the script at once, not after the probe.
  run_and_wait timeout 10 ffprobe -v error -rtsp_transport tcp -show_entries stream=codec_type,width,codec_name \
    -of csv=p=0 "$URL" >"$LOG_DIR/probe" 2>/dev/null </dev/null || true
  # One line a stream: "h264,video,320", and with audio "aac,audio" or "pcm_mulaw,audio".
  if grep -qx "h264,video,$WIDTH" "$LOG_DIR/probe" \
     && { [[ "$AUDIO" == none ]] || grep -qx "${AUDIO/mulaw/pcm_mulaw},audio" "$LOG_DIR/probe"; }; then
    ok=1; break
  fi
  sleep 0.5
done
WHAT="video"; [[ "$AUDIO" != none ]] && WHAT="video and $AUDIO audio"
[[ -n "$ok" ]] || { echo "error: $URL did not deliver $WHAT" >&2; exit 1; }

(( ${#MOUNT_NAMES[@]} > 1 )) && URL="rtsp://127.0.0.1:${PORT}/{$(IFS=,; echo "${MOUNT_NAMES[*]}")}"
WITH=""; [[ "$AUDIO" != none ]] && WITH=" with $AUDIO audio"
echo "Serving ${WIDTH}x${HEIGHT}@${FPS} frame-index barcode stream${WITH} at: $URL  (Ctrl-C to stop)"
wait -n "$PUSHER_PID" "$SERVER_PID" || true
echo "error: a child process exited" >&2
exit 1
