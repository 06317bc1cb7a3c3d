#!/usr/bin/env bash
# Debian roots with another FFmpeg, for the distribution tests (and for people adding a layout table).
#
#   debian-root.sh build SUITE    builds the root of SUITE (bullseye, trixie, sid) once and prints its folder;
#                                 later calls reuse the cached root
#   debian-root.sh probe SUITE    prints the layout table of SUITE's FFmpeg (layout_probe.c compiled
#                                 with the root's gcc against the root's headers), as C# initializer
#                                 lines for src/MpegCoder/Interop/Layouts/FFmpegReleases.cs; SUITE
#                                 "host" compiles against this machine's own headers
#   debian-root.sh run SUITE [--bind HOST:INROOT[:ro]]... [--env NAME=VALUE]... -- COMMAND...
#                                 runs COMMAND chrooted in the root, with /proc, /dev, a fresh /tmp and
#                                 HOME, the given bind mounts (onto the /mpegcoder/* folders or
#                                 /usr/share/dotnet) and a clean environment plus the given variables
#
# Roots are cached in $MPEGCODER_TEST_ROOTS (default /var/cache/mpegcoder-test-roots), one folder per
# suite, built atomically (debootstrap --variant=minbase into a temporary folder, then a rename) and
# stamped with their package list: a root whose stamp differs from the list below is built again.
# Packages come from the Debian mirror the machine's apt uses ($MPEGCODER_DEBIAN_MIRROR overrides it).
# When the archive drops a package a root needs (or the whole suite), the build fails naming the
# package and the FFmpeg release whose runtime proof is lost. Needs root and debootstrap.
#
# `run` mounts in a private mount namespace (unshare --mount): nothing it mounts is visible outside,
# it unmounts everything itself on exit (lazily as a last resort), and the kernel drops whatever is
# left when the namespace ends, also when the command is killed. The cached root is never written.
set -euo pipefail

ROOTS="${MPEGCODER_TEST_ROOTS:-/var/cache/mpegcoder-test-roots}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# FFmpeg's libraries and headers, and what compiles the layout probe. libstdc++6: the host's dotnet
# (bind-mounted by `run`) needs it; ICU is not needed (runs use invariant globalization).
PACKAGES=(libavformat-dev libavcodec-dev libavutil-dev libswscale-dev gcc libc6-dev pkg-config libstdc++6)
# Per suite, besides: sid's headers are FFmpeg 9.0's, and it still carries FFmpeg 8.1's libraries
# (without headers): the tests load them through the folder override.
declare -A SUITE_PACKAGES=([sid]="libavformat62 libavcodec62 libavutil60 libswscale9")
# The FFmpeg release each root proves at run time, and the packages that prove another one: what a
# failed build names when the archive has dropped a package (docs/ffmpeg-versions.md says how each
# release is proven once its root is gone).
declare -A SUITE_RELEASE=([bullseye]="4.x" [trixie]="7.1" [sid]="9.0")
declare -A PACKAGE_RELEASE=([libavformat62]="8.x" [libavcodec62]="8.x" [libavutil60]="8.x" [libswscale9]="8.x")
# Folders `run` mounts onto, made at build time so that a run never writes into the cached root.
MOUNT_POINTS=(/mpegcoder /mpegcoder/tests /mpegcoder/clips /mpegcoder/results /mpegcoder/probe /usr/share/dotnet)

die() { echo "error: $*" >&2; exit 1; }

# The Debian archive the machine's apt uses: the first "deb" entry (one-line or deb822 format) whose
# URI ends in /debian; deb.debian.org when there is none.
debian_mirror() {
  local files=() f
  [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do [[ -f "$f" ]] && files+=("$f"); done
  local uri
  uri="$( (( ${#files[@]} )) && awk '
    /^[[:space:]]*#/ { next }
    /^deb[[:space:]]/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }
    /^Types:/ { deb = ($0 ~ /[[:space:]]deb([[:space:]]|$)/) }
    /^URIs:/ && deb { for (i = 2; i <= NF; i++) print $i }
    /^[[:space:]]*$/ { deb = 0 }' "${files[@]}" | sed 's:/*$::' | grep -E '/debian$' | head -n 1 || true)"
  echo "${MPEGCODER_DEBIAN_MIRROR:-${uri:-http://deb.debian.org/debian}}"
}

# $MPEGCODER_ROOT_EXTRA_PACKAGES: more packages for every root (to try one before adding it here).
packages() { echo "${PACKAGES[*]}${SUITE_PACKAGES[$1]:+ ${SUITE_PACKAGES[$1]}}${MPEGCODER_ROOT_EXTRA_PACKAGES:+ $MPEGCODER_ROOT_EXTRA_PACKAGES}"; }

# Why a debootstrap failed, when the archive is the cause: the suite or a package is gone from it.
explain_failure() {
  local suite="$1" mirror="$2" log="$3" p release="$1's FFmpeg"
  [[ -n "${SUITE_RELEASE[$1]:-}" ]] && release="FFmpeg ${SUITE_RELEASE[$1]}"
  if grep -q "Failed getting release file\|Release signed by unknown key\|Invalid Release file" "$log"; then
    echo "error: Debian $suite is not (or no longer) served by $mirror: the root cannot be built, and the runtime proof of $release is lost until a mirror that keeps it is set (MPEGCODER_DEBIAN_MIRROR=http://archive.debian.org/debian for a retired release); see docs/ffmpeg-versions.md" >&2
  fi
  for p in $(sed -n "s/.*Couldn't find these debs: //p" "$log"); do
    echo "error: package $p has left Debian $suite ($mirror): the runtime proof of ${PACKAGE_RELEASE[$p]:+FFmpeg }${PACKAGE_RELEASE[$p]:-$release} in the $suite root is lost (a cached root keeps it); see docs/ffmpeg-versions.md for how that release is proven without it" >&2
  done
}
stamp_text() { printf 'suite=%s\npackages=%s\n' "$1" "$(packages "$1")"; }

build() {
  local suite="$1" root="$ROOTS/$1"
  [[ $(id -u) -eq 0 ]] || die "building a Debian root needs root"
  command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install -y debootstrap"
  mkdir -p "$ROOTS"
  exec 9>"$ROOTS/.$suite.lock"
  flock 9 # one builder per suite; the others wait and then reuse its root
  if [[ -f "$root/.mpegcoder-stamp" ]] && diff -q <(stamp_text "$suite") <(grep -E '^(suite|packages)=' "$root/.mpegcoder-stamp") >/dev/null; then
    exec 9>&- # not inherited by what `run` starts
    echo "$root"; return
  fi
  local mirror tmp start
  mirror="$(debian_mirror)"
  tmp="$(mktemp -d "$ROOTS/.$suite.build.XXXXXX")"
  start=$(date +%s)
  echo "Building the Debian $suite root from $mirror (once; cached in $root)" >&2
  if ! debootstrap --variant=minbase --include="$(packages "$suite" | tr ' ' ,)" "$suite" "$tmp" "$mirror" >"$tmp.log" 2>&1; then
    tail -n 30 "$tmp.log" >&2
    explain_failure "$suite" "$mirror" "$tmp.log"
    # debootstrap may leave its own mounts behind on failure
    grep -F " $tmp/" /proc/self/mountinfo | awk '{ print $5 }' | sort -r | xargs -r -n 1 umount -l || true
    rm -rf "$tmp" "$tmp.log"
    die "debootstrap of $suite failed (log above)"
  fi
  rm -f "$tmp.log"
  rm -rf "$tmp/var/cache/apt/archives/"*.deb
  local p; for p in "${MOUNT_POINTS[@]}"; do mkdir -p "$tmp$p"; done
  { stamp_text "$suite"
    echo "mirror=$mirror"
    echo "built=$(date -u +%FT%TZ) in $(( $(date +%s) - start )) s"
    chroot "$tmp" dpkg-query -W -f='${Package}=${Version}\n' $(packages "$suite")
  } >"$tmp/.mpegcoder-stamp"
  [[ -e "$root" ]] && { mv -T "$root" "$ROOTS/.$suite.old.$$"; rm -rf "$ROOTS/.$suite.old.$$"; }
  mv -T "$tmp" "$root"
  exec 9>&-
  echo "Built the Debian $suite root in $(( $(date +%s) - start )) s" >&2
  echo "$root"
}

run() {
  local suite="$1"; shift
  local root binds=() extra_envs=()
  root="$(build "$suite")"
  while (( $# )); do
    case "$1" in
      --bind) binds+=("$2"); shift 2 ;;
      --env) extra_envs+=("$2"); shift 2 ;;
      --) shift; break ;;
      *) die "unknown option $1" ;;
    esac
  done
  (( $# )) || die "run: no command"
  local envs=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1)
  envs+=("${extra_envs[@]}")
  exec unshare --mount --propagation private -- /bin/bash -c '
    set -euo pipefail
    root="$1"; nbinds="$2"; shift 2
    binds=("${@:1:$nbinds}"); shift "$nbinds"
    nenvs="$1"; shift
    envs=("${@:1:$nenvs}"); shift "$nenvs"
    cleanup() {
      # Everything under the root, deepest first, then the root itself; lazily when busy. The
      # namespace drops whatever is left.
      { grep -F " $root/" /proc/self/mountinfo | awk "{ print \$5 }" | sort -r; echo "$root"; } | while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
      done
    }
    trap cleanup EXIT
    # The cached root itself read-only: runs write only to their own tmpfs /tmp and HOME.
    mount --bind "$root" "$root"
    mount -o remount,bind,ro "$root"
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs tmpfs "$root/tmp"
    mount -t tmpfs tmpfs "$root/root"
    for b in "${binds[@]}"; do
      IFS=: read -r host inroot mode <<<"$b"
      [[ -d "$root$inroot" ]] || { echo "error: mount point $inroot is not in the root" >&2; exit 1; }
      mount --bind "$host" "$root$inroot"
      [[ "$mode" == ro ]] && mount -o remount,bind,ro "$root$inroot"
    done
    status=0
    chroot "$root" /usr/bin/env -i "${envs[@]}" "$@" || status=$?
    exit $status
  ' run "$root" "${#binds[@]}" "${binds[@]}" "${#envs[@]}" "${envs[@]}" "$@"
}

PROBE='gcc $(pkg-config --cflags libavformat libavcodec libavutil) -Wall -Werror -Wno-deprecated-declarations -o "$1/probe" "$2" && "$1/probe"'
probe() {
  local suite="$1"
  {
    if [[ "$suite" == host ]]; then
      local dir; dir="$(mktemp -d)"; trap 'rm -rf "$dir"' RETURN
      /bin/sh -c "$PROBE" probe "$dir" "$HERE/../LayoutProbe/layout_probe.c"
    else
      run "$suite" --bind "$HERE/../LayoutProbe:/mpegcoder/probe:ro" -- /bin/sh -c "$PROBE" probe /tmp /mpegcoder/probe/layout_probe.c
    fi
  } | awk -F= '{ printf "            %s = %s,\n", $1, $2 }'
}

case "${1:-}" in
  build) [[ $# -eq 2 ]] || die "usage: $0 build SUITE"; build "$2" ;;
  probe) [[ $# -eq 2 ]] || die "usage: $0 probe SUITE"; probe "$2" ;;
  run) [[ $# -ge 2 ]] || die "usage: $0 run SUITE [--bind HOST:INROOT[:ro]]... [--env NAME=VALUE]... -- COMMAND..."; shift; run "$@" ;;
  *) die "usage: $0 build|probe|run SUITE ..." ;;
esac
