# Sourced by the bench scripts: the benchmark clips, made once into $CACHE.
# clip NAME SIZE SECONDS BITRATE prints the path of a camera-like H.264 clip (moving picture plus sensor
# noise, constrained bitrate, 25 fps, GOP 25, no B-frames), generating it on first use.
clip() {
  local path="$CACHE/$1_${3}s.mp4"
  if [[ ! -s "$path" ]]; then
    echo "generating $path" >&2
    ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi -i "testsrc2=s=$2:r=25,noise=alls=6:allf=t" \
      -frames:v $(( $3 * 25 )) -an -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p \
      -b:v "$4" -maxrate "$4" -bufsize "$4" -g 25 -keyint_min 25 -sc_threshold 0 -bf 0 "$path.tmp.mp4"
    mv "$path.tmp.mp4" "$path"
  fi
  echo "$path"
}
