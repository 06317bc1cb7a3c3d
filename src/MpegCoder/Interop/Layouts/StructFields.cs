namespace MpegCoder.Interop.Layouts;

// The one way the C# side reads or writes an FFmpeg struct member: a view over the pointer and the
// loaded release's FFmpegLayout, with FFmpeg's member names, so that code reads like C:
//
//     var f = new AVFrameFields(frame, layout);      // once per frame: two words on the stack
//     Convert(f.data, f.linesize, f.width, f.height, f.format);
//
// Each member is one add and one load (the layout's offset is a field of a sealed record), with no
// allocation: fit for the writer's per-frame path. Code keeps the layout it got from
// FFmpegLoader.Layout when it was built and passes it in; the views never read the global.
#pragma warning disable IDE1006 // FFmpeg's own member names

/// <summary>The members of an AVFormatContext that MpegCoder uses.</summary>
internal readonly unsafe struct AVFormatContextFields(AVFormatContext* context, FFmpegLayout layout)
{
    private readonly byte* _p = (byte*)context;

    public AVStream** streams => *(AVStream***)(_p + layout.AVFormatContext_streams);
    public long duration => *(long*)(_p + layout.AVFormatContext_duration);
    public long bit_rate => *(long*)(_p + layout.AVFormatContext_bit_rate);
    public AVIOInterruptCB* interrupt_callback => (AVIOInterruptCB*)(_p + layout.AVFormatContext_interrupt_callback);

    /// <summary>The address of the output's AVIOContext pointer (avio_open2 and avio_closep take it).</summary>
    public AVIOContext** pb => (AVIOContext**)(_p + layout.AVFormatContext_pb);
}

/// <summary>The members of an AVOutputFormat that MpegCoder uses.</summary>
internal readonly unsafe struct AVOutputFormatFields(AVOutputFormat* format, FFmpegLayout layout)
{
    private readonly byte* _p = (byte*)format;

    public int flags => *(int*)(_p + layout.AVOutputFormat_flags);
}

/// <summary>The members of an AVCodec that MpegCoder uses.</summary>
internal readonly unsafe struct AVCodecFields(AVCodec* codec, FFmpegLayout layout)
{
    private readonly byte* _p = (byte*)codec;

    public byte* name => *(byte**)(_p + layout.AVCodec_name);
    public int type => *(int*)(_p + layout.AVCodec_type);
}

/// <summary>The members of an AVStream that MpegCoder uses.</summary>
internal readonly unsafe struct AVStreamFields(AVStream* stream, FFmpegLayout layout)
{
    private readonly byte* _p = (byte*)stream;

    public AVCodecParameters* codecpar => *(AVCodecParameters**)(_p + layout.AVStream_codecpar);
    /// <summary>Writable: a muxer's stream gets the encoder's time base as a hint before its header.</summary>
    public ref AVRational time_base => ref *(AVRational*)(_p + layout.AVStream_time_base);
    public long nb_frames => *(long*)(_p + layout.AVStream_nb_frames);
}

/// <summary>The members of an AVCodecParameters that MpegCoder uses.</summary>
internal readonly unsafe struct AVCodecParametersFields(AVCodecParameters* parameters, FFmpegLayout layout)
{
    private readonly byte* _p = (byte*)parameters;

    public int codec_id => *(int*)(_p + layout.AVCodecParameters_codec_id);
    /// <summary>Writable: a stream copy clears it, so the output container picks its own tag.</summary>
    public ref uint codec_tag => ref *(uint*)(_p + layout.AVCodecParameters_codec_tag);
    public int width => *(int*)(_p + layout.AVCodecParameters_width);
    public int height => *(int*)(_p + layout.AVCodecParameters_height);
}

/// <summary>The members of an AVFrame that MpegCoder uses; width, height and format are writable (an encoder's frame).</summary>
internal readonly unsafe struct AVFrameFields(AVFrame* frame, FFmpegLayout layout)
{
    private readonly byte* _p = (byte*)frame;
    private readonly FFmpegLayout _layout = layout;

    public byte** data => (byte**)(_p + _layout.AVFrame_data);
    public int* linesize => (int*)(_p + _layout.AVFrame_linesize);
    public ref int width => ref *(int*)(_p + _layout.AVFrame_width);
    public ref int height => ref *(int*)(_p + _layout.AVFrame_height);
    public ref int format => ref *(int*)(_p + _layout.AVFrame_format);
    public ref long pts => ref *(long*)(_p + _layout.AVFrame_pts);
    public int flags => *(int*)(_p + _layout.AVFrame_flags);
    public int decode_error_flags => *(int*)(_p + _layout.AVFrame_decode_error_flags);
    public long best_effort_timestamp => *(long*)(_p + _layout.AVFrame_best_effort_timestamp);

    /// <summary>
    /// Whether the frame is a keyframe, one read for every release: <c>key_frame</c> in FFmpeg 5.1,
    /// <c>flags &amp; AV_FRAME_FLAG_KEY</c> from 6.1 on (see <see cref="FFmpegLayout.AVFrame_key_offset"/>).
    /// </summary>
    public bool key_frame => (*(int*)(_p + _layout.AVFrame_key_offset) & _layout.AVFrame_key_mask) != 0;
}

/// <summary>The members of an AVPacket that MpegCoder uses.</summary>
internal readonly unsafe struct AVPacketFields(AVPacket* packet, FFmpegLayout layout)
{
    private readonly byte* _p = (byte*)packet;

    public ref int stream_index => ref *(int*)(_p + layout.AVPacket_stream_index);
    public byte* data => *(byte**)(_p + layout.AVPacket_data);
    public int size => *(int*)(_p + layout.AVPacket_size);
    /// <summary>Writable: a stream copy fills in missing timestamps and rebases them.</summary>
    public ref long pts => ref *(long*)(_p + layout.AVPacket_pts);
    public ref long dts => ref *(long*)(_p + layout.AVPacket_dts);
    public ref int flags => ref *(int*)(_p + layout.AVPacket_flags);
    public ref long duration => ref *(long*)(_p + layout.AVPacket_duration);
}
