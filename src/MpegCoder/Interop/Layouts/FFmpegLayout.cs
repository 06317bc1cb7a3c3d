namespace MpegCoder.Interop.Layouts;

/// <summary>
/// Every byte offset and size of an FFmpeg struct that the C# side reads or writes directly, for one
/// FFmpeg major release. Everything else goes through FFmpeg's functions and AVOptions, which do not
/// move between releases. Property names are <c>Struct_member</c> (offsetof) and <c>Struct_size</c>
/// (sizeof) (and a pair like <see cref="AVFrame_key_offset"/>/<see cref="AVFrame_key_mask"/> for
/// a fact that different releases keep in different members), exactly the names that <c>tests/MpegCoder.Tests/LayoutProbe/layout_probe.c</c> prints:
/// LayoutTableTests compiles that probe against the release's headers and compares every value.
/// Supporting another FFmpeg is adding one instance of this record (see <see cref="FFmpegReleases"/>).
/// Code reads and writes the members through the views of StructFields.cs (<c>new AVFrameFields(frame, layout).width</c>),
/// never with its own pointer arithmetic. Every member here is used: by those views, or (the _size and
/// AVIOInterruptCB members) by the loader's check of the two structs C# mirrors.
/// Adding a member: one property here, one in the view, one line in the probe, then the value of every table from
/// <c>bash tests/MpegCoder.Tests/Distributions/debian-root.sh probe SUITE</c> (bookworm, trixie, sid).
/// </summary>
internal sealed record FFmpegLayout
{
    public required int AVFormatContext_streams { get; init; }
    public required int AVFormatContext_duration { get; init; }
    public required int AVFormatContext_bit_rate { get; init; }
    public required int AVFormatContext_interrupt_callback { get; init; }
    /// <summary>The output's AVIOContext: avio_open2 writes it, the muxer writes through it.</summary>
    public required int AVFormatContext_pb { get; init; }

    /// <summary>AVFMT_NOFILE (the muxer opens its own I/O) and AVFMT_GLOBALHEADER (codec headers out of band).</summary>
    public required int AVOutputFormat_flags { get; init; }

    /// <summary>An encoder's name ("libx264"), for the list an unknown codec name answers with.</summary>
    public required int AVCodec_name { get; init; }
    /// <summary>The AVMediaType of a codec: only video encoders are listed and accepted.</summary>
    public required int AVCodec_type { get; init; }

    public required int AVStream_codecpar { get; init; }
    public required int AVStream_time_base { get; init; }
    public required int AVStream_nb_frames { get; init; }

    public required int AVCodecParameters_codec_id { get; init; }
    /// <summary>The container's tag for the codec: a stream copied into another container gets 0 (the muxer picks its own).</summary>
    public required int AVCodecParameters_codec_tag { get; init; }
    public required int AVCodecParameters_width { get; init; }
    public required int AVCodecParameters_height { get; init; }

    public required int AVFrame_data { get; init; }
    public required int AVFrame_linesize { get; init; }
    public required int AVFrame_width { get; init; }
    public required int AVFrame_height { get; init; }
    public required int AVFrame_format { get; init; }
    /// <summary>The presentation time the encoder is given, in the codec context's time base.</summary>
    public required int AVFrame_pts { get; init; }

    /// <summary>
    /// "Is this frame a keyframe", expressed once for every release: the int at this offset, ANDed with
    /// <see cref="AVFrame_key_mask"/>, is nonzero for a keyframe. FFmpeg 5.1: <c>AVFrame.key_frame</c>
    /// (mask -1); FFmpeg 6.1 and later: <c>AVFrame.flags</c> (mask <c>AV_FRAME_FLAG_KEY</c>), since
    /// <c>key_frame</c> is deprecated there and gone in 8.0. The probe picks the member with #if on the
    /// version macros and prints it under these two names.
    /// </summary>
    public required int AVFrame_key_offset { get; init; }

    /// <summary>The bits of the int at <see cref="AVFrame_key_offset"/> that mark a keyframe.</summary>
    public required int AVFrame_key_mask { get; init; }
    public required int AVFrame_best_effort_timestamp { get; init; }
    public required int AVFrame_flags { get; init; }
    public required int AVFrame_decode_error_flags { get; init; }

    public required int AVPacket_stream_index { get; init; }
    /// <summary>The encoded bytes of a packet (JpegEncoder reads them).</summary>
    public required int AVPacket_data { get; init; }
    public required int AVPacket_size { get; init; }
    /// <summary>Presentation and decoding timestamps and the flags (AV_PKT_FLAG_KEY) of a packet: the decoder's frame index is built from them.</summary>
    public required int AVPacket_pts { get; init; }
    public required int AVPacket_dts { get; init; }
    public required int AVPacket_flags { get; init; }
    /// <summary>A packet's duration: the muxers of MP4 and MKV need it for the last frame's length.</summary>
    public required int AVPacket_duration { get; init; }

    /// <summary>Checked against the C# <see cref="AVRational"/> at load time.</summary>
    public required int AVRational_size { get; init; }

    /// <summary>Checked against the C# <see cref="AVIOInterruptCB"/> at load time, with its two member offsets below.</summary>
    public required int AVIOInterruptCB_size { get; init; }
    public required int AVIOInterruptCB_callback { get; init; }
    public required int AVIOInterruptCB_opaque { get; init; }
}
