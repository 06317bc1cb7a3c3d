namespace MpegCoder.Interop.Layouts;

/// <summary>
/// The FFmpeg releases this package knows: the library majors that make up each release and, for the
/// supported ones, the struct layout table. FFmpeg keeps a library's ABI within a major version (new
/// members are only appended), so one table serves every release sharing the majors (7.0 and 7.1, say).
/// The loader takes the newest supported release whose four libraries it can load.
/// </summary>
/// <remarks>
/// Every table is the output of the layout probe (tests/MpegCoder.Tests/LayoutProbe/layout_probe.c)
/// compiled against the installed headers of a real release, named with their library versions beside
/// each table. Print one with <c>bash tests/MpegCoder.Tests/LayoutProbe/probe.sh INCLUDE</c> (any folder
/// of installed headers) or <c>bash tests/MpegCoder.Tests/Distributions/debian-root.sh probe SUITE</c>
/// (SUITE = host for this machine's Debian 12, bullseye, trixie, sid: that distribution's own
/// headers). The tests re-check every table whose headers a Debian root ships (LayoutTableTests on
/// the host, DistributionTests in the roots). Supporting another release is adding one entry here and
/// a root (or a header set) to probe it with.
/// </remarks>
internal static class FFmpegReleases
{
    /// <summary>FFmpeg 9.0 (Debian unstable and testing): libavformat 63, libavcodec 63, libavutil 61, libswscale 10.</summary>
    public static readonly FFmpegRelease FFmpeg9_0 = new(
        Name: "9.0", Where: "Debian unstable and testing", Apt: "Debian unstable",
        AVFormat: 63, AVCodec: 63, AVUtil: 61, SwScale: 10,
        Layout: new FFmpegLayout
        {
            AVFormatContext_streams = 48,
            AVFormatContext_duration = 104,
            AVFormatContext_bit_rate = 112,
            AVFormatContext_interrupt_callback = 216,
            AVFormatContext_pb = 32,

            AVOutputFormat_flags = 44,

            AVCodec_name = 0,
            AVCodec_type = 16,

            AVStream_codecpar = 16,
            AVStream_time_base = 32,
            AVStream_nb_frames = 56,

            AVCodecParameters_codec_id = 4,
            AVCodecParameters_codec_tag = 8,
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
            AVPacket_pts = 8,
            AVPacket_dts = 16,
            AVPacket_flags = 40,
            AVPacket_duration = 64,

            AVRational_size = 8,
            AVIOInterruptCB_size = 16,
            AVIOInterruptCB_callback = 0,
            AVIOInterruptCB_opaque = 8,
        });

    /// <summary>FFmpeg 8.x: libavformat 62, libavcodec 62, libavutil 60, libswscale 9.</summary>
    /// <remarks>
    /// No Debian release ships 8.x's headers any more (unstable moved on to 9.0 and keeps only 8.1's
    /// libraries), and no public binding project that could be fetched keeps them, so this table
    /// cannot be probed like the others. It is 9.0's table: between 7.1 and
    /// 9.0 only AVFrame moved, by the members FFmpeg removed at the libavutil 60 bump, i.e. in 8.0
    /// (key_frame, interlaced_frame, top_field_first, palette_has_changed: FF_API_* "&lt; 60" in 7.1's
    /// libavutil/version.h; pkt_pos: FF_API_FRAME_PKT "&lt; 60"). The distribution tests prove it with
    /// Debian unstable's 8.1 libraries: the decode tests and the fresh-frame defaults read through it.
    /// </remarks>
    public static readonly FFmpegRelease FFmpeg8 = new(
        Name: "8.x", Where: "Homebrew and Windows shared builds of 8.x; Debian unstable's leftover 8.1 libraries", Apt: null,
        AVFormat: 62, AVCodec: 62, AVUtil: 60, SwScale: 9,
        Layout: FFmpeg9_0.Layout);

    /// <summary>FFmpeg 7.1 (Debian 13; 7.0 shares its majors): libavformat 61, libavcodec 61, libavutil 59, libswscale 8.</summary>
    /// <remarks>
    /// Probed against Debian 13's headers (FFmpeg 7.1; re-checked in the trixie root on every run) and
    /// against the installed headers of FFmpeg 7.1 (libavformat 61.7.100, libavcodec 61.19.101,
    /// libavutil 59.39.100, libswscale 8.3.100) and 7.0 (61.1.100, 61.3.100, 59.8.100, 8.1.100): all
    /// print this table.
    /// </remarks>
    public static readonly FFmpegRelease FFmpeg7_1 = new(
        Name: "7.1", Where: "Debian 13, Windows shared builds of 7.x", Apt: "Debian 13",
        AVFormat: 61, AVCodec: 61, AVUtil: 59, SwScale: 8,
        Layout: new FFmpegLayout
        {
            AVFormatContext_streams = 48,
            AVFormatContext_duration = 104,
            AVFormatContext_bit_rate = 112,
            AVFormatContext_interrupt_callback = 216,
            AVFormatContext_pb = 32,

            AVOutputFormat_flags = 44,

            AVCodec_name = 0,
            AVCodec_type = 16,

            AVStream_codecpar = 16,
            AVStream_time_base = 32,
            AVStream_nb_frames = 56,

            AVCodecParameters_codec_id = 4,
            AVCodecParameters_codec_tag = 8,
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
            AVPacket_pts = 8,
            AVPacket_dts = 16,
            AVPacket_flags = 40,
            AVPacket_duration = 64,

            AVRational_size = 8,
            AVIOInterruptCB_size = 16,
            AVIOInterruptCB_callback = 0,
            AVIOInterruptCB_opaque = 8,
        });

    /// <summary>FFmpeg 6.x (Ubuntu 24.04's 6.1; 6.0 shares its majors): libavformat 60, libavcodec 60, libavutil 58, libswscale 7.</summary>
    /// <remarks>
    /// Probed (<c>tests/MpegCoder.Tests/LayoutProbe/probe.sh</c>) against the installed headers of
    /// FFmpeg 6.1 (libavformat 60.16.100, libavcodec 60.31.102, libavutil 58.29.100, libswscale 7.5.100:
    /// Ubuntu 24.04's versions) and of FFmpeg 6.0 (60.3.100, 60.3.100, 58.2.100, 7.1.100): both print
    /// this table. The keyframe is read from <c>AVFrame.key_frame</c>: 6.0 has no AV_FRAME_FLAG_KEY,
    /// and 6.1's decoders fill both.
    /// </remarks>
    public static readonly FFmpegRelease FFmpeg6 = new(
        Name: "6.x", Where: "Ubuntu 24.04, Windows shared builds of 6.x", Apt: "Ubuntu 24.04",
        AVFormat: 60, AVCodec: 60, AVUtil: 58, SwScale: 7,
        Layout: new FFmpegLayout
        {
            AVFormatContext_streams = 48,
            AVFormatContext_duration = 72,
            AVFormatContext_bit_rate = 80,
            AVFormatContext_interrupt_callback = 200,
            AVFormatContext_pb = 32,

            AVOutputFormat_flags = 44,

            AVCodec_name = 0,
            AVCodec_type = 16,

            AVStream_codecpar = 16,
            AVStream_time_base = 32,
            AVStream_nb_frames = 56,

            AVCodecParameters_codec_id = 4,
            AVCodecParameters_codec_tag = 8,
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
            AVPacket_pts = 8,
            AVPacket_dts = 16,
            AVPacket_flags = 40,
            AVPacket_duration = 64,

            AVRational_size = 8,

            AVIOInterruptCB_size = 16,
            AVIOInterruptCB_callback = 0,
            AVIOInterruptCB_opaque = 8,
        });

    /// <summary>FFmpeg 5.1 (Debian 12; 5.0 shares its majors): libavformat 59, libavcodec 59, libavutil 57, libswscale 6.</summary>
    /// <remarks>
    /// Probed against Debian 12's headers (FFmpeg 5.1.x: libavformat 59.27.100, libavcodec 59.37.100,
    /// libavutil 57.28.100, libswscale 6.7.100; re-checked on the host on every run).
    /// </remarks>
    public static readonly FFmpegRelease FFmpeg5_1 = new(
        Name: "5.1", Where: "Debian 12", Apt: "Debian 12",
        AVFormat: 59, AVCodec: 59, AVUtil: 57, SwScale: 6,
        Layout: new FFmpegLayout
        {
            AVFormatContext_streams = 48,
            AVFormatContext_duration = 72,
            AVFormatContext_bit_rate = 80,
            AVFormatContext_interrupt_callback = 200,
            AVFormatContext_pb = 32,

            AVOutputFormat_flags = 44,

            AVCodec_name = 0,
            AVCodec_type = 16,

            AVStream_codecpar = 208,
            AVStream_time_base = 16,
            AVStream_nb_frames = 40,

            AVCodecParameters_codec_id = 4,
            AVCodecParameters_codec_tag = 8,
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
            AVPacket_pts = 8,
            AVPacket_dts = 16,
            AVPacket_flags = 40,
            AVPacket_duration = 64,

            AVRational_size = 8,
            AVIOInterruptCB_size = 16,
            AVIOInterruptCB_callback = 0,
            AVIOInterruptCB_opaque = 8,
        });

    /// <summary>FFmpeg 4.x (Debian 11's 4.3, Ubuntu 22.04's 4.4): libavformat 58, libavcodec 58, libavutil 56, libswscale 5.</summary>
    /// <remarks>
    /// Probed against Debian 11's headers (FFmpeg 4.3.7: libavformat 58.45.100, libavcodec 58.91.100,
    /// libavutil 56.51.100, libswscale 5.7.100; re-checked in the bullseye root on every run) and
    /// against the installed headers of FFmpeg 4.4 (58.76.100, 58.134.100, 56.70.100, 5.9.100, Ubuntu
    /// 22.04's release): both print this table. AVFormatContext still carries the 1024-byte
    /// <c>filename</c> there, hence its large offsets.
    /// </remarks>
    public static readonly FFmpegRelease FFmpeg4 = new(
        Name: "4.x", Where: "Debian 11, Ubuntu 22.04, Windows shared builds of 4.x", Apt: "Debian 11, Ubuntu 22.04",
        AVFormat: 58, AVCodec: 58, AVUtil: 56, SwScale: 5,
        Layout: new FFmpegLayout
        {
            AVFormatContext_streams = 48,
            AVFormatContext_duration = 1096,
            AVFormatContext_bit_rate = 1104,
            AVFormatContext_interrupt_callback = 1224,
            AVFormatContext_pb = 32,

            AVOutputFormat_flags = 44,

            AVCodec_name = 0,
            AVCodec_type = 16,

            AVStream_codecpar = 208,
            AVStream_time_base = 24,
            AVStream_nb_frames = 48,

            AVCodecParameters_codec_id = 4,
            AVCodecParameters_codec_tag = 8,
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
            AVFrame_best_effort_timestamp = 408,
            AVFrame_flags = 380,
            AVFrame_decode_error_flags = 440,

            AVPacket_stream_index = 36,
            AVPacket_data = 24,
            AVPacket_size = 32,
            AVPacket_pts = 8,
            AVPacket_dts = 16,
            AVPacket_flags = 40,
            AVPacket_duration = 64,

            AVRational_size = 8,

            AVIOInterruptCB_size = 16,
            AVIOInterruptCB_callback = 0,
            AVIOInterruptCB_opaque = 8,
        });

    /// <summary>Every supported release, newest first: the order the loader tries them in.</summary>
    public static readonly IReadOnlyList<FFmpegRelease> Supported = [FFmpeg9_0, FFmpeg8, FFmpeg7_1, FFmpeg6, FFmpeg5_1, FFmpeg4];

    /// <summary>
    /// Releases without a table, known only by their majors so that the loader's message can name what
    /// it found. Every release since 4.0 has a table.
    /// </summary>
    public static readonly IReadOnlyList<FFmpegRelease> Unsupported =
    [
        new(Name: "3.x", Where: "Ubuntu 18.04", Apt: null, AVFormat: 57, AVCodec: 57, AVUtil: 55, SwScale: 4, Layout: null),
    ];

    /// <summary>The release (supported or not) that gives <paramref name="library"/> the major <paramref name="major"/>, or null.</summary>
    public static FFmpegRelease? OfLibrary(string library, int major) =>
        Supported.Concat(Unsupported).FirstOrDefault(r => r.Major(library) == major);
}

/// <summary>
/// One FFmpeg release: where users get it (<paramref name="Apt"/>: the Debian and Ubuntu releases
/// whose apt-get installs it, if any), the major version of each library it ships and its struct layouts
/// (null for a release MpegCoder knows of but has no table for).
/// </summary>
internal sealed record FFmpegRelease(string Name, string Where, string? Apt, int AVFormat, int AVCodec, int AVUtil, int SwScale, FFmpegLayout? Layout)
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

    /// <summary>
    /// The RTSP demuxer's socket I/O timeout option (microseconds) and its largest value: <c>timeout</c>
    /// (64-bit) from libavformat 59 on; <c>stimeout</c> (an int) before, where <c>timeout</c> still means
    /// "wait this many seconds for an incoming connection" and turns the client into a listener.
    /// </summary>
    public (string Name, long Max) RtspTimeoutOption => AVFormat >= 59 ? ("timeout", long.MaxValue) : ("stimeout", int.MaxValue);

    /// <summary>
    /// Whether this release's sftp protocol crashes the process on a private key it cannot load (a wrong
    /// passphrase, or none for an encrypted key): it then logs in with the missing key. Seen with FFmpeg
    /// 4.3 and 5.1; 7.1, 8.1 and 9.0 answer "Permission denied". 6.x is not run by the tests and counts as
    /// crashing, which costs only a key check that FFmpeg would have failed anyway.
    /// </summary>
    public bool SftpCrashesOnUnloadableKey => AVFormat <= 60;

    /// <summary>The packages that install this release's libraries on Debian and Ubuntu, e.g. "libavformat61 libavcodec61 libavutil59 libswscale8".</summary>
    public string DebianPackages => $"libavformat{AVFormat} libavcodec{AVCodec} libavutil{AVUtil} libswscale{SwScale}";

    public override string ToString() =>
        $"FFmpeg {Name} (libavformat {AVFormat}, libavcodec {AVCodec}, libavutil {AVUtil}, libswscale {SwScale})";
}
