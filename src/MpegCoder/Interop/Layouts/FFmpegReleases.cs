namespace MpegCoder.Interop.Layouts;

/// <summary>
/// The FFmpeg releases this package knows: the library majors that make up each release and, for the
/// supported ones, the struct layout table. FFmpeg keeps a library's ABI within a major version (new
/// members are only appended), so one table serves every release sharing the majors (7.0 and 7.1, say).
/// The loader takes the newest supported release whose four libraries it can load.
/// </summary>
/// <remarks>
/// Each table's values are printed by <c>bash tests/MpegCoder.Tests/Distributions/debian-root.sh probe SUITE</c>
/// (SUITE = host for this machine's Debian 12, trixie, sid): the layout probe compiled against that distribution's own headers.
/// The tests compare every table with that output (LayoutTableTests on the host, DistributionTests in
/// the roots). Supporting another release is adding one entry here and a root to test it in.
/// </remarks>
internal static class FFmpegReleases
{
    /// <summary>FFmpeg 9.0 (Debian unstable and testing): libavformat 63, libavcodec 63, libavutil 61, libswscale 10.</summary>
    public static readonly FFmpegRelease FFmpeg9_0 = new(
        Name: "9.0", Where: "Debian unstable and testing", Debian: "Debian unstable",
        AVFormat: 63, AVCodec: 63, AVUtil: 61, SwScale: 10,
        Layout: new FFmpegLayout
        {
            AVFormatContext_nb_streams = 44,
            AVFormatContext_streams = 48,
            AVFormatContext_duration = 104,
            AVFormatContext_bit_rate = 112,
            AVFormatContext_interrupt_callback = 216,
            AVFormatContext_pb = 32,

            AVOutputFormat_flags = 44,

            AVCodec_name = 0,
            AVCodec_type = 16,

            AVStream_index = 8,
            AVStream_codecpar = 16,
            AVStream_time_base = 32,
            AVStream_duration = 48,
            AVStream_nb_frames = 56,

            AVCodecParameters_codec_id = 4,
            AVCodecParameters_bit_rate = 48,
            AVCodecParameters_width = 72,
            AVCodecParameters_height = 76,

            AVFrame_data = 0,
            AVFrame_linesize = 64,
            AVFrame_width = 104,
            AVFrame_height = 108,
            AVFrame_format = 116,
            AVFrame_pts = 136,
            AVFrame_key_offset = 276,
            AVFrame_key_mask = 2,
            AVFrame_best_effort_timestamp = 304,
            AVFrame_flags = 276,
            AVFrame_decode_error_flags = 320,

            AVPacket_stream_index = 36,
            AVPacket_data = 24,
            AVPacket_size = 32,
            AVPacket_duration = 64,

            AVRational_size = 8,
            AVIOInterruptCB_size = 16,
            AVIOInterruptCB_callback = 0,
            AVIOInterruptCB_opaque = 8,
        });

    /// <summary>FFmpeg 8.x: libavformat 62, libavcodec 62, libavutil 60, libswscale 9.</summary>
    /// <remarks>
    /// No Debian release ships 8.x's headers any more (unstable moved on to 9.0 and keeps only 8.1's
    /// libraries), so this table cannot be probed like the others. It is 9.0's table: between 7.1 and
    /// 9.0 only AVFrame moved, by the members FFmpeg removed at the libavutil 60 bump, i.e. in 8.0
    /// (key_frame, interlaced_frame, top_field_first, palette_has_changed: FF_API_* "&lt; 60" in 7.1's
    /// libavutil/version.h; pkt_pos: FF_API_FRAME_PKT "&lt; 60"). The distribution tests prove it with
    /// Debian unstable's 8.1 libraries: the decode tests and the fresh-frame defaults read through it.
    /// </remarks>
    public static readonly FFmpegRelease FFmpeg8 = new(
        Name: "8.x", Where: "Homebrew and Windows shared builds of 8.x; Debian unstable's leftover 8.1 libraries", Debian: null,
        AVFormat: 62, AVCodec: 62, AVUtil: 60, SwScale: 9,
        Layout: FFmpeg9_0.Layout);

    /// <summary>FFmpeg 7.1 (Debian 13; 7.0 shares its majors): libavformat 61, libavcodec 61, libavutil 59, libswscale 8.</summary>
    public static readonly FFmpegRelease FFmpeg7_1 = new(
        Name: "7.1", Where: "Debian 13, Windows shared builds of 7.x", Debian: "Debian 13",
        AVFormat: 61, AVCodec: 61, AVUtil: 59, SwScale: 8,
        Layout: new FFmpegLayout
        {
            AVFormatContext_nb_streams = 44,
            AVFormatContext_streams = 48,
            AVFormatContext_duration = 104,
            AVFormatContext_bit_rate = 112,
            AVFormatContext_interrupt_callback = 216,
            AVFormatContext_pb = 32,

            AVOutputFormat_flags = 44,

            AVCodec_name = 0,
            AVCodec_type = 16,

            AVStream_index = 8,
            AVStream_codecpar = 16,
            AVStream_time_base = 32,
            AVStream_duration = 48,
            AVStream_nb_frames = 56,

            AVCodecParameters_codec_id = 4,
            AVCodecParameters_bit_rate = 48,
            AVCodecParameters_width = 72,
            AVCodecParameters_height = 76,

            AVFrame_data = 0,
            AVFrame_linesize = 64,
            AVFrame_width = 104,
            AVFrame_height = 108,
            AVFrame_format = 116,
            AVFrame_pts = 136,
            AVFrame_key_offset = 292,
            AVFrame_key_mask = 2,
            AVFrame_best_effort_timestamp = 320,
            AVFrame_flags = 292,
            AVFrame_decode_error_flags = 344,

            AVPacket_stream_index = 36,
            AVPacket_data = 24,
            AVPacket_size = 32,
            AVPacket_duration = 64,

            AVRational_size = 8,
            AVIOInterruptCB_size = 16,
            AVIOInterruptCB_callback = 0,
            AVIOInterruptCB_opaque = 8,
        });

    /// <summary>FFmpeg 5.1 (Debian 12; 5.0 shares its majors): libavformat 59, libavcodec 59, libavutil 57, libswscale 6.</summary>
    public static readonly FFmpegRelease FFmpeg5_1 = new(
        Name: "5.1", Where: "Debian 12", Debian: "Debian 12",
        AVFormat: 59, AVCodec: 59, AVUtil: 57, SwScale: 6,
        Layout: new FFmpegLayout
        {
            AVFormatContext_nb_streams = 44,
            AVFormatContext_streams = 48,
            AVFormatContext_duration = 72,
            AVFormatContext_bit_rate = 80,
            AVFormatContext_interrupt_callback = 200,
            AVFormatContext_pb = 32,

            AVOutputFormat_flags = 44,

            AVCodec_name = 0,
            AVCodec_type = 16,

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
            AVFrame_pts = 136,
            AVFrame_key_offset = 120,
            AVFrame_key_mask = -1,
            AVFrame_best_effort_timestamp = 344,
            AVFrame_flags = 316,
            AVFrame_decode_error_flags = 376,

            AVPacket_stream_index = 36,
            AVPacket_data = 24,
            AVPacket_size = 32,
            AVPacket_duration = 64,

            AVRational_size = 8,
            AVIOInterruptCB_size = 16,
            AVIOInterruptCB_callback = 0,
            AVIOInterruptCB_opaque = 8,
        });

    /// <summary>Every supported release, newest first: the order the loader tries them in.</summary>
    public static readonly IReadOnlyList<FFmpegRelease> Supported = [FFmpeg9_0, FFmpeg8, FFmpeg7_1, FFmpeg5_1];

    /// <summary>
    /// Releases without a table, known only by their majors so that the loader's message can name what
    /// it found. 6.x is in none of the Debian releases the tests can build a root of (Ubuntu 24.04 has it).
    /// </summary>
    public static readonly IReadOnlyList<FFmpegRelease> Unsupported =
    [
        new(Name: "6.x", Where: "Ubuntu 24.04", Debian: null, AVFormat: 60, AVCodec: 60, AVUtil: 58, SwScale: 7, Layout: null),
        new(Name: "4.x", Where: "Debian 11, Ubuntu 22.04", Debian: null, AVFormat: 58, AVCodec: 58, AVUtil: 56, SwScale: 5, Layout: null),
    ];

    /// <summary>The release (supported or not) that gives <paramref name="library"/> the major <paramref name="major"/>, or null.</summary>
    public static FFmpegRelease? OfLibrary(string library, int major) =>
        Supported.Concat(Unsupported).FirstOrDefault(r => r.Major(library) == major);
}

/// <summary>
/// One FFmpeg release: where users get it (<paramref name="Debian"/>: the Debian release whose
/// apt-get installs it, if any), the major version of each library it ships and its struct layouts
/// (null for a release MpegCoder knows of but has no table for).
/// </summary>
internal sealed record FFmpegRelease(string Name, string Where, string? Debian, int AVFormat, int AVCodec, int AVUtil, int SwScale, FFmpegLayout? Layout)
{
    /// <summary>The four libraries MpegCoder loads, in the order their dependencies need (avutil first).</summary>
    public static readonly IReadOnlyList<string> Libraries = ["avutil", "swscale", "avcodec", "avformat"];

    /// <summary>The major of <paramref name="library"/> ("avformat", "avcodec", "avutil" or "swscale") in this release.</summary>
    public int Major(string library) => library switch
    {
        "avformat" => AVFormat,
        "avcodec" => AVCodec,
        "avutil" => AVUtil,
        "swscale" => SwScale,
        _ => throw new ArgumentOutOfRangeException(nameof(library), library, "not an FFmpeg library MpegCoder loads"),
    };

    /// <summary>The packages that install this release's libraries on Debian and Ubuntu, e.g. "libavformat61 libavcodec61 libavutil59 libswscale8".</summary>
    public string DebianPackages => $"libavformat{AVFormat} libavcodec{AVCodec} libavutil{AVUtil} libswscale{SwScale}";

    public override string ToString() =>
        $"FFmpeg {Name} (libavformat {AVFormat}, libavcodec {AVCodec}, libavutil {AVUtil}, libswscale {SwScale})";
}
