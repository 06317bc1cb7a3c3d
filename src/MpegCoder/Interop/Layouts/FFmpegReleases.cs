namespace MpegCoder.Interop.Layouts;

/// <summary>
/// The FFmpeg releases this package knows: the library majors that make up each release and the
/// struct layout table for it. The loader tries them in this order and takes the first release whose
/// four libraries it can load.
/// </summary>
internal static class FFmpegReleases
{
    /// <summary>FFmpeg 5.1 (Debian 12): libavformat 59, libavcodec 59, libavutil 57, libswscale 6.</summary>
    public static readonly FFmpegRelease FFmpeg5_1 = new(
        Name: "5.1",
        AVFormat: 59, AVCodec: 59, AVUtil: 57, SwScale: 6,
        Layout: new FFmpegLayout
        {
            AVFormatContext_nb_streams = 44,
            AVFormatContext_streams = 48,
            AVFormatContext_duration = 72,
            AVFormatContext_bit_rate = 80,
            AVFormatContext_interrupt_callback = 200,

            AVStream_index = 0,
            AVStream_codecpar = 208,
            AVStream_time_base = 16,
            AVStream_duration = 32,
            AVStream_nb_frames = 40,

            AVCodecParameters_codec_id = 4,
            AVCodecParameters_bit_rate = 32,
            AVCodecParameters_width = 56,
            AVCodecParameters_height = 60,

            AVFrame_data = 0,
            AVFrame_linesize = 64,
            AVFrame_width = 104,
            AVFrame_height = 108,
            AVFrame_format = 116,
            AVFrame_key_frame = 120,
            AVFrame_best_effort_timestamp = 344,
            AVFrame_flags = 316,
            AVFrame_decode_error_flags = 376,

            AVPacket_stream_index = 36,
            AVPacket_data = 24,
            AVPacket_size = 32,

            AVRational_size = 8,
            AVIOInterruptCB_size = 16,
            AVIOInterruptCB_callback = 0,
            AVIOInterruptCB_opaque = 8,
        });

    /// <summary>Every supported release, newest first.</summary>
    public static readonly IReadOnlyList<FFmpegRelease> All = [FFmpeg5_1];
}

/// <summary>One FFmpeg release: the major version of each library it ships and its struct layouts.</summary>
internal sealed record FFmpegRelease(string Name, int AVFormat, int AVCodec, int AVUtil, int SwScale, FFmpegLayout Layout)
{
    public override string ToString() =>
        $"FFmpeg {Name} (libavformat {AVFormat}, libavcodec {AVCodec}, libavutil {AVUtil}, libswscale {SwScale})";
}
