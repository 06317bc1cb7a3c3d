/*
 * Prints the offset and size of every FFmpeg struct member that MpegCoder reads or writes
 * directly, as NAME=VALUE lines. LayoutTableTests compiles this file against the headers of one
 * FFmpeg release and compares every line with the C# layout table chosen for that release.
 * Names: Struct_member for offsetof, Struct_size for sizeof. Keep this list and
 * src/MpegCoder/Interop/Layouts/FFmpegLayout.cs in step: the test fails on any difference.
 * A member that moved or vanished between releases is printed under one name, chosen with #if on
 * the version macros (AVFrame_key_offset/_mask below).
 *
 * To print a release's table from any folder of its installed headers (the folder holding
 * libavcodec/, libavformat/, libavutil/), as C# initializer lines:
 *   bash tests/MpegCoder.Tests/LayoutProbe/probe.sh /path/to/include
 * or from a Debian root's own headers (for a new field or a new release):
 *   bash tests/MpegCoder.Tests/Distributions/debian-root.sh probe trixie
 */
#include <stddef.h>
#include <stdio.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/version.h>

#define OFFSET(s, m) printf(#s "_" #m "=%zu\n", offsetof(s, m))
#define SIZE(s) printf(#s "_size=%zu\n", sizeof(s))

int main(void)
{
    OFFSET(AVFormatContext, streams);
    OFFSET(AVFormatContext, duration);
    OFFSET(AVFormatContext, bit_rate);
    OFFSET(AVFormatContext, interrupt_callback);
    OFFSET(AVFormatContext, pb);

    OFFSET(AVOutputFormat, flags);

    OFFSET(AVCodec, name);
    OFFSET(AVCodec, type);

    OFFSET(AVStream, codecpar);
    OFFSET(AVStream, time_base);
    OFFSET(AVStream, nb_frames);

    OFFSET(AVCodecParameters, codec_id);
    OFFSET(AVCodecParameters, codec_tag);
    OFFSET(AVCodecParameters, width);
    OFFSET(AVCodecParameters, height);

    OFFSET(AVFrame, data);
    OFFSET(AVFrame, linesize);
    OFFSET(AVFrame, width);
    OFFSET(AVFrame, height);
    OFFSET(AVFrame, format);
    OFFSET(AVFrame, pts);
    /* "Is this a keyframe": the int at AVFrame_key_offset, masked with AVFrame_key_mask, is nonzero.
     * libavutil 58.7.100 (FFmpeg 6.1) moved it into AVFrame.flags as AV_FRAME_FLAG_KEY and deprecated
     * AVFrame.key_frame, which decoders keep filling until libavutil 60 (FFmpeg 8.0) removed it.
     * A table serves a whole major, so the choice goes by the major: libavutil 58 (6.0 and 6.1)
     * reads key_frame, which every 58.x has; libavutil 59 and later read flags. */
#if LIBAVUTIL_VERSION_MAJOR >= 59
    printf("AVFrame_key_offset=%zu\n", offsetof(AVFrame, flags));
    printf("AVFrame_key_mask=%d\n", AV_FRAME_FLAG_KEY);
#else
    printf("AVFrame_key_offset=%zu\n", offsetof(AVFrame, key_frame));
    printf("AVFrame_key_mask=%d\n", -1);
#endif
    OFFSET(AVFrame, best_effort_timestamp);
    OFFSET(AVFrame, flags);
    OFFSET(AVFrame, decode_error_flags);

    OFFSET(AVPacket, stream_index);
    OFFSET(AVPacket, data);
    OFFSET(AVPacket, size);
    OFFSET(AVPacket, pts);
    OFFSET(AVPacket, dts);
    OFFSET(AVPacket, flags);
    OFFSET(AVPacket, duration);

    SIZE(AVRational);
    SIZE(AVIOInterruptCB);
    OFFSET(AVIOInterruptCB, callback);
    OFFSET(AVIOInterruptCB, opaque);
    return 0;
}
