#!/usr/bin/env bash
# Installs what MpegCoder needs on Debian/Ubuntu (run as root, or with sudo available), skipping apt
# entirely when every package is already installed.
#   bash scripts/install-deps.sh sample   FFmpeg and the local RTSP test stream: what the samples need
#   bash scripts/install-deps.sh          (or "tests") all of the above and every test server and tool
set -euo pipefail
SET="${1:-tests}"
[[ "$SET" == sample || "$SET" == tests ]] || { echo "usage: $0 [sample|tests]" >&2; exit 2; }

SAMPLE_PACKAGES=(
  # FFmpeg's shared libraries (the library loads them) and the CLI (the live test source)
  ffmpeg
  # The RTSP test server: GStreamer's rtsp-server through Debian's Python bindings
  python3 python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-tools
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
)

TEST_PACKAGES=(
  # FFmpeg's headers: the binding's layout test compiles a C probe against them
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev pkg-config gcc libc6-dev
  # zip inspection of the NuGet package in the packaging test
  unzip
  # Native AOT: the sample's AOT publish test links with clang against zlib
  clang zlib1g-dev
  # The interop tests: OpenCvSharp's native runtime (OpenCvSharp4.official.runtime.linux-x64) links
  # against GTK 3, libjpeg and libpng; ONNX Runtime's needs libatomic
  libgtk-3-0 libjpeg62-turbo libpng16-16 libatomic1
  # The stream player's browser tests: Debian's headless Chromium, driven by Playwright for .NET
  chromium
  # The protocol tests' servers: nginx (HTTP files, HLS, basic auth) with its RTMP module, an FTP daemon
  # (pyftpdlib, for Debian's python3), OpenSSH's sshd for SFTP (ssh-keygen makes its throwaway keys)
  nginx libnginx-mod-rtmp python3-pyftpdlib openssh-server openssh-client
  # The distribution tests: debootstrap builds the Debian 11, 13 and unstable roots (FFmpeg 4.x, 7.1,
  # 8.x, 9.0) that tests/MpegCoder.Tests/Distributions/debian-root.sh caches; unshare (util-linux) gives
  # each in-root run its own mount namespace
  debootstrap util-linux
  # The camera fleet sample's test: Orleans silos keep their cluster membership in a throwaway Redis
  redis-server
  # The Windows tests: tests/MpegCoder.Tests/Windows/windows-ffmpeg.sh cross-builds FFmpeg's DLLs from
  # Debian's source packages (apt-get source needs dpkg-dev; mingw-w64 and make build them) and Wine
  # runs a win-x64 .NET against them
  wine64 gcc-mingw-w64-x86-64 make dpkg-dev xz-utils
)

PACKAGES=("${SAMPLE_PACKAGES[@]}")
[[ "$SET" == sample ]] || PACKAGES+=("${TEST_PACKAGES[@]}")
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
if (( ${#missing[@]} )); then
  echo "Installing: ${missing[*]}" >&2
  # Wait for another apt (e.g. a second checkout's run) instead of failing on its lock.
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  # Ubuntu ships the SDK as a distribution package; Debian does not (install it from Microsoft's feed).
  for sdk in dotnet-sdk-10.0 dotnet-sdk-8.0; do
    if apt-cache show "$sdk" >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$sdk" >/dev/null && break
    fi
  done
fi
command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET SDK (10 or later) is needed: https://learn.microsoft.com/dotnet/core/install/linux" >&2; exit 1; }
