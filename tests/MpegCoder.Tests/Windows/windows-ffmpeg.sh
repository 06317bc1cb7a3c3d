#!/usr/bin/env bash
# FFmpeg's Windows DLLs, cross-built from a Debian release's own FFmpeg source package, for the tests
# that run MpegCoder under Wine (and for anyone who wants to try a Windows FFmpeg on Linux).
#
#   windows-ffmpeg.sh build SUITE   builds FFmpeg's shared DLLs (x86_64, mingw-w64) from the ffmpeg
#                                   source package of SUITE (bookworm: 5.1, trixie: 7.1) once and
#                                   prints the install folder (bin/*.dll, include/); later calls reuse it
#                                   while the archive's source version stays the same
#   windows-ffmpeg.sh probe SUITE   prints the layout table of that build: layout_probe.c compiled
#                                   with mingw-w64 against the build's headers and run under Wine,
#                                   i.e. the offsets of the Windows ABI (where a C long has 32 bits)
#
# Builds are cached in $MPEGCODER_TEST_ROOTS/windows (default /var/cache/mpegcoder-test-roots/windows),
# one folder per suite (beside them: the private apt state and the Wine prefix the tests use), built in a temporary folder and renamed into place, stamped with the source
# version and the configure line: a new source version in the archive (a Debian point release or
# security update) or a changed configure line builds it again. The source comes through apt-get
# source with a private apt state (no change to the machine's apt sources). Needs
# gcc-mingw-w64-x86-64, make, dpkg-dev and wine64 (for probe).
set -euo pipefail

ROOTS="${MPEGCODER_TEST_ROOTS:-/var/cache/mpegcoder-test-roots}"
CACHE="$ROOTS/windows"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WINE=/usr/lib/wine/wine64

# What MpegCoder and its tests need, and nothing else: the H.264 decoder and parser, MP4 files,
# RTSP (with RTP over UDP or TCP), swscale. No assembly (no nasm needed; the layouts do not depend
# on it), no external libraries, Win32 threads.
CONFIGURE=(--target-os=mingw32 --arch=x86_64 --cross-prefix=x86_64-w64-mingw32- --pkg-config=false
  --enable-shared --disable-static --disable-programs --disable-doc --disable-x86asm
  --disable-autodetect --enable-w32threads --disable-everything
  --disable-avdevice --disable-avfilter --disable-swresample
  --enable-decoder=h264 --enable-parser=h264 --enable-demuxer=mov,rtsp,sdp,rtp,h264
  --enable-protocol=file,tcp,udp,rtp --extra-ldflags=-static-libgcc)

die() { echo "error: $*" >&2; exit 1; }

# apt-get or apt-cache (TOOL) with a private state folder that knows only SUITE's source packages.
suite_apt() {
  local tool="$1" suite="$2"; shift 2
  local state="$CACHE/apt-$suite"
  "$tool" -o Dir::Etc::SourceList="$state/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$state/lists" -o Dir::Cache="$state/cache" -o Dir::State::Status=/dev/null \
    -o APT::Sandbox::User=root -qq "$@"
}

source_version() {
  local suite="$1" state="$CACHE/apt-$suite" mirror="http://deb.debian.org/debian"
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
  printf 'deb-src %s %s main\n' "$mirror" "$suite" >"$state/sources.list"
  # Stable releases get their point fixes through the security archive; unstable has none.
  [[ "$suite" == sid || "$suite" == unstable ]] || printf 'deb-src %s-security %s-security main\n' "$mirror" "$suite" >>"$state/sources.list"
  # The index is asked again when it is older than $MPEGCODER_SOURCE_CHECK_HOURS (default 12): a new
  # source version is built at the first run after that, and other runs cost no download.
  local fresh="${MPEGCODER_SOURCE_CHECK_HOURS:-12}"
  if [[ -z "$(find "$state/updated" -mmin -$(( fresh * 60 )) 2>/dev/null)" ]]; then
    rm -f "$state/updated"
    suite_apt apt-get "$suite" update >&2 || die "apt-get update of $suite's source packages failed"
    touch "$state/updated"
  fi
  suite_apt apt-cache "$suite" showsrc ffmpeg | awk '/^Version:/ { print $2 }' | sort -V | tail -n 1
}

# libpostproc is built by default up to FFmpeg 7.1 and gone from 8.0 on (so is its option).
postproc_option() { if grep -q -- '--disable-postproc' configure; then echo --disable-postproc; fi; }

stamp_text() { printf 'suite=%s\nsource=ffmpeg %s\nconfigure=%s\n' "$1" "$2" "${CONFIGURE[*]}"; }

build() {
  local suite="$1" out="$CACHE/ffmpeg-$1"
  command -v x86_64-w64-mingw32-gcc >/dev/null || die "x86_64-w64-mingw32-gcc is missing: apt-get install -y gcc-mingw-w64-x86-64"
  command -v dpkg-source >/dev/null || die "dpkg-source is missing: apt-get install -y dpkg-dev"
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.$suite.lock"
  flock 9 # one builder per suite; the others wait and then reuse its build
  local version
  if ! version="$(source_version "$suite")" || [[ -z "$version" ]]; then
    # No archive: a cached build is still a build of a real release.
    [[ -f "$out/.mpegcoder-stamp" ]] || die "no ffmpeg source package found for $suite, and nothing cached"
    echo "warning: could not ask the archive for $suite's ffmpeg source version; using the cached build" >&2
    exec 9>&-; echo "$out"; return
  fi
  if [[ -f "$out/.mpegcoder-stamp" ]] && diff -q <(stamp_text "$suite" "$version") <(grep -E '^(suite|source|configure)=' "$out/.mpegcoder-stamp") >/dev/null; then
    exec 9>&-; echo "$out"; return
  fi
  local tmp start
  tmp="$(mktemp -d "$CACHE/.$suite.build.XXXXXX")"
  start=$(date +%s)
  echo "Building FFmpeg $version's Windows DLLs from Debian $suite's source package (once; cached in $out)" >&2
  if ! ( cd "$tmp" && suite_apt apt-get "$suite" source "ffmpeg=$version" >"$tmp/log" 2>&1 \
        && cd ffmpeg-*/ && ./configure --prefix="$tmp/install" "${CONFIGURE[@]}" $(postproc_option) >>"$tmp/log" 2>&1 \
        && make -j"$(nproc)" >>"$tmp/log" 2>&1 && make install >>"$tmp/log" 2>&1 ); then
    tail -n 30 "$tmp/log" >&2
    rm -rf "$tmp"
    die "building FFmpeg $version for Windows failed (log above)"
  fi
  { stamp_text "$suite" "$version"; echo "built=$(date -u +%FT%TZ) in $(( $(date +%s) - start )) s"; } >"$tmp/install/.mpegcoder-stamp"
  [[ -e "$out" ]] && { mv -T "$out" "$CACHE/.$suite.old.$$"; rm -rf "$CACHE/.$suite.old.$$"; }
  mv -T "$tmp/install" "$out"
  rm -rf "$tmp"
  exec 9>&-
  echo "Built FFmpeg $version's Windows DLLs in $(( $(date +%s) - start )) s" >&2
  echo "$out"
}

probe() {
  local suite="$1" out dir
  out="$(build "$suite")"
  [[ -x "$WINE" ]] || die "$WINE is missing: apt-get install -y wine64"
  dir="$(mktemp -d)"; trap 'rm -rf "$dir"' RETURN
  mkdir -p "$CACHE"
  x86_64-w64-mingw32-gcc -I"$out/include" -Wall -Werror -Wno-deprecated-declarations -o "$dir/probe.exe" "$HERE/../LayoutProbe/layout_probe.c"
  WINEPREFIX="$CACHE/wine-prefix" WINEDEBUG=-all "$WINE" "$dir/probe.exe" | tr -d '\r' | awk -F= '{ printf "            %s = %s,\n", $1, $2 }'
}

case "${1:-}" in
  build) [[ $# -eq 2 ]] || die "usage: $0 build SUITE"; build "$2" ;;
  probe) [[ $# -eq 2 ]] || die "usage: $0 probe SUITE"; probe "$2" ;;
  *) die "usage: $0 build|probe SUITE" ;;
esac
