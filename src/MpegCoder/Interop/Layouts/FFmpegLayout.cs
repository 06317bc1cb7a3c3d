namespace MpegCoder.Interop.Layouts;

/// <summary>
/// Every byte offset and size of an FFmpeg struct that the C# side reads or writes directly, for one
/// FFmpeg major release. Everything else goes through FFmpeg's functions and AVOptions, which do not
/// move between releases. Property names are <c>Struct_member</c> (offsetof) and <c>Struct_size</c>
/// (sizeof), exactly the names that <c>tests/MpegCoder.Tests/LayoutProbe/layout_probe.c</c> prints:
/// LayoutTableTests compiles that probe against the release's headers and compares every value.
/// Supporting another FFmpeg is adding one instance of this record (see <see cref="FFmpegReleases"/>).
/// </summary>
internal sealed record FFmpegLayout
{
    public required int AVFormatContext_nb_streams { get; init; }
    public required int AVFormatContext_streams { get; init; }
    public required int AVFormatContext_duration { get; init; }
    public required int AVFormatContext_bit_rate { get; init; }
    public required int AVFormatContext_interrupt_callback { get; init; }

    public required int AVStream_index { get; init; }
    public required int AVStream_codecpar { get; init; }
    public required int AVStream_time_base { get; init; }
    public required int AVStream_duration { get; init; }
    public required int AVStream_nb_frames { get; init; }

    public required int AVCodecParameters_codec_id { get; init; }
    public required int AVCodecParameters_bit_rate { get; init; }
    public required int AVCodecParameters_width { get; init; }
    public required int AVCodecParameters_height { get; init; }

    public required int AVFrame_data { get; init; }
    public required int AVFrame_linesize { get; init; }
    public required int AVFrame_width { get; init; }
    public required int AVFrame_height { get; init; }
    public required int AVFrame_format { get; init; }
    public required int AVFrame_key_frame { get; init; }
    public required int AVFrame_best_effort_timestamp { get; init; }
    public required int AVFrame_flags { get; init; }
    public required int AVFrame_decode_error_flags { get; init; }

    public required int AVPacket_stream_index { get; init; }
    /// <summary>The encoded bytes of a packet (JpegEncoder reads them).</summary>
    public required int AVPacket_data { get; init; }
    public required int AVPacket_size { get; init; }

    /// <summary>Checked against the C# <see cref="AVRational"/> at load time.</summary>
    public required int AVRational_size { get; init; }

    /// <summary>Checked against the C# <see cref="AVIOInterruptCB"/> at load time.</summary>
    public required int AVIOInterruptCB_size { get; init; }
    public required int AVIOInterruptCB_callback { get; init; }
    public required int AVIOInterruptCB_opaque { get; init; }
}
