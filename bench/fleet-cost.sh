#!/usr/bin/env bash
# What one camera costs a CameraFleet silo (samples/CameraFleet): one silo process with N cameras, all on
# the live barcode stream (scripts/serve-test-stream.sh, one RTSP session per camera), for each N given.
# After a warm-up, the silo's CPU (user + system time over the window, in % of one core) and its RSS are
# read from /proc; the per-camera figure is the difference between the largest and the smallest N,
# divided by the difference of N. Needs redis-server (a throwaway one is started on a free port).
#
#   bash bench/fleet-cost.sh [WIDTHxHEIGHT] [FPS] [N...]      (default 160x120 15 1 8)
#
# Prints a Markdown table with `uptime` load. The RTSP relay and ffmpeg encoder run on the same machine
# and are not counted.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE="${1:-160x120}"; FPS="${2:-15}"; shift $(( $# >= 2 ? 2 : $# ))
COUNTS=("$@"); (( ${#COUNTS[@]} )) || COUNTS=(1 8)
WIDTH="${SIZE%x*}"; HEIGHT="${SIZE#*x}"
WARMUP="${WARMUP:-10}"; WINDOW="${WINDOW:-20}"
command -v redis-server >/dev/null || { echo "redis-server is needed: apt-get install redis-server" >&2; exit 1; }

dotnet build "$ROOT/samples/CameraFleet/CameraFleet.csproj" -c Release -nologo -v quiet >/dev/null
SILO="$ROOT/samples/CameraFleet/bin/Release/net10.0/CameraFleet.dll"

source "$ROOT/scripts/lib/children.sh"
WORK="$(mktemp -d)"
stop_children_on_exit
trap 'trap - EXIT INT TERM; stop_children; rm -rf "$WORK"' EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

max=0; for n in "${COUNTS[@]}"; do (( n > max )) && max=$n; done
MOUNTS=""; for i in $(seq 1 "$max"); do MOUNTS+="cam$(printf %02d "$i") "; done
RTSP_PORT=$(free_port)
PORT=$RTSP_PORT WIDTH=$WIDTH HEIGHT=$HEIGHT FPS=$FPS MOUNTS="$MOUNTS" bash "$ROOT/scripts/serve-test-stream.sh" >"$WORK/relay.log" 2>&1 &
for _ in $(seq 1 300); do grep -q '^Serving' "$WORK/relay.log" && break; sleep 0.1; done
grep -q '^Serving' "$WORK/relay.log" || { cat "$WORK/relay.log" >&2; exit 1; }

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
echo "| cameras | size | fps | silo CPU % of a core | silo RSS MB | load |"
echo "|---:|---|---:|---:|---:|---:|"
declare -A CPU RSS
for n in "${COUNTS[@]}"; do
  { echo '{ "Fleet": { "Cameras": ['
    for i in $(seq 1 "$n"); do
      name="cam$(printf %02d "$i")"
      echo "{ \"Name\": \"$name\", \"Address\": \"rtsp://127.0.0.1:$RTSP_PORT/$name\" }$([[ $i -lt $n ]] && echo ,)"
    done
    echo '] } }'; } >"$WORK/cameras.json"
  dotnet "$SILO" --redis "127.0.0.1:$REDIS_PORT" --cluster-id "cost-$n" --silo-port "$(free_port)" --gateway-port "$(free_port)" \
    --cameras "$WORK/cameras.json" >"$WORK/silo-$n.log" 2>&1 &
  pid=$!
  sleep "$WARMUP"
  active=$(grep -c '^CAMERA-ACTIVE' "$WORK/silo-$n.log" || true)
  [[ "$active" == "$n" ]] || { echo "only $active of $n cameras active:" >&2; tail -20 "$WORK/silo-$n.log" >&2; exit 1; }
  t0=$(cpu_ticks $pid); sleep "$WINDOW"; t1=$(cpu_ticks $pid)
  hz=$(getconf CLK_TCK)
  CPU[$n]=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v w="$WINDOW" 'BEGIN { printf "%.1f", (b - a) / hz / w * 100 }')
  RSS[$n]=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
  echo "| $n | ${WIDTH}x${HEIGHT} | $FPS | ${CPU[$n]} | ${RSS[$n]} | $(cut -d' ' -f1 /proc/loadavg) |"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
lo=${COUNTS[0]}; hi=${COUNTS[-1]}
if (( hi > lo )); then
  awk -v c1="${CPU[$lo]}" -v c2="${CPU[$hi]}" -v r1="${RSS[$lo]}" -v r2="${RSS[$hi]}" -v d=$(( hi - lo )) \
    'BEGIN { printf "\nper camera (%d to %d cameras): %.2f %% of a core, %.1f MB RSS\n", '"$lo"', '"$hi"', (c2 - c1) / d, (r2 - r1) / d }'
fi
