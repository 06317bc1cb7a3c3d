#!/usr/bin/env bash
# Prints the layout table of the FFmpeg whose installed headers are in INCLUDE (the folder holding
# libavcodec/, libavformat/, libavutil/): layout_probe.c compiled with this machine's gcc against
# them, one C# initializer line per member, ready for src/MpegCoder/Interop/Layouts/FFmpegReleases.cs,
# after a comment line naming the library versions the headers declare.
#
#   bash tests/MpegCoder.Tests/LayoutProbe/probe.sh INCLUDE
#
# The offsets are those of x86_64 Linux, which are also those of Windows x64 and macOS arm64/x86_64:
# the probed members are pointers, ints, int64_t and structs of them, none of them a C long.
set -euo pipefail
[[ $# -eq 1 && -f "$1/libavcodec/avcodec.h" ]] || { echo "usage: $0 INCLUDE (a folder with libavcodec/avcodec.h)" >&2; exit 1; }
include="$(cd "$1" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$(mktemp -d)"; trap 'rm -rf "$dir"' EXIT
# The version each library's headers declare (version_major.h from FFmpeg 5.1 on, version.h before).
cat >"$dir/versions.c" <<'C'
#include <stdio.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswscale/swscale.h>
int main(void)
{
    printf("            // headers: libavformat %d.%d.%d, libavcodec %d.%d.%d, libavutil %d.%d.%d, libswscale %d.%d.%d\n",
        LIBAVFORMAT_VERSION_MAJOR, LIBAVFORMAT_VERSION_MINOR, LIBAVFORMAT_VERSION_MICRO,
        LIBAVCODEC_VERSION_MAJOR, LIBAVCODEC_VERSION_MINOR, LIBAVCODEC_VERSION_MICRO,
        LIBAVUTIL_VERSION_MAJOR, LIBAVUTIL_VERSION_MINOR, LIBAVUTIL_VERSION_MICRO,
        LIBSWSCALE_VERSION_MAJOR, LIBSWSCALE_VERSION_MINOR, LIBSWSCALE_VERSION_MICRO);
    return 0;
}
C
gcc -I"$include" -w -o "$dir/versions" "$dir/versions.c" && "$dir/versions"
gcc -I"$include" -Wall -Werror -Wno-deprecated-declarations -o "$dir/probe" "$here/layout_probe.c"
"$dir/probe" | awk -F= '{ printf "            %s = %s,\n", $1, $2 }'
