using MpegCoder.Interop;
using MpegCoder.Native;
using MpegCoder.Streaming;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Decoding;

/// <summary>
/// An opened decoder for the source's video stream. Settings are made through AVOptions by name
/// ("threads", "pkt_timebase", "skip_frame"), which do not move between FFmpeg releases.
/// </summary>
internal sealed unsafe class VideoDecoder : IDisposable
{
    private readonly CodecContextHandle _context;

    private VideoDecoder(CodecContextHandle context, string codecName)
    {
        _context = context;
        CodecName = codecName;
    }

    public string CodecName { get; }

    /// <summary>Opens the decoder of the source's video stream; throws <see cref="StreamOpenException"/> with the reason.</summary>
    /// <param name="source">The demuxer whose video stream is decoded.</param>
    /// <param name="threads">Decoder threads; 0 = FFmpeg's choice.</param>
    /// <param name="skip">Frames the decoder does not decode at all.</param>
    /// <param name="reportDamage">Damaged data gives errors (err_detect=explode) instead of concealed pictures.</param>
    public static VideoDecoder Open(StreamSource source, int threads, DecoderSkip skip = DecoderSkip.None, bool reportDamage = true)
    {
        if (source.Decoder == null)
            throw new StreamOpenException($"no decoder in this FFmpeg for the codec '{CodecNames.Of(source.CodecId)}'");
        var context = CodecContextHandle.Allocate(source.Decoder);
        try
        {
            int ret = ffmpeg.avcodec_parameters_to_context(context.Ptr, source.CodecParameters);
            if (ret < 0) throw new StreamOpenException($"cannot configure the decoder: {FFmpegError.Text(ret)}", ret);
            try
            {
                AVOptions.Set(context.Ptr, "threads", threads);
                // Report damaged data as errors instead of silently concealing it: the pipeline then
                // drops frames until the next keyframe, so no concealed (smeared) picture is ever stored.
                if (reportDamage) AVOptions.Set(context.Ptr, "err_detect", AV_EF_EXPLODE);
                if (skip != DecoderSkip.None) AVOptions.Set(context.Ptr, "skip_frame", SkipFrameName(skip));
                AVOptions.Set(context.Ptr, "pkt_timebase", new AVRational(source.TimeBase.num, source.TimeBase.den));
            }
            catch (FFmpegOptionException e)
            {
                throw new StreamOpenException($"cannot configure the decoder: {e.Message}", e.ErrorCode);
            }
            ret = ffmpeg.avcodec_open2(context.Ptr, source.Decoder, null);
            if (ret < 0) throw new StreamOpenException($"cannot open the decoder: {FFmpegError.Text(ret)}", ret);
            return new VideoDecoder(context, CodecNames.Of(source.CodecId));
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>avcodec_send_packet; a null packet starts draining.</summary>
    public int Send(AVPacket* packet) => ffmpeg.avcodec_send_packet(_context.Ptr, packet);

    /// <summary>avcodec_receive_frame: 0, AVERROR(EAGAIN) when it needs input, AVERROR_EOF when drained.</summary>
    public int Receive(AVFrame* frame) => ffmpeg.avcodec_receive_frame(_context.Ptr, frame);

    /// <summary>avcodec_flush_buffers: forgets every buffered packet and reference picture, as after a seek.</summary>
    public void Flush() => ffmpeg.avcodec_flush_buffers(_context.Ptr);

    /// <summary>An integer AVOption of the codec context ("threads", "g", "bf", "b"), or 0.</summary>
    public long GetInt(string option) => AVOptions.GetInt(_context.Ptr, option);

    /// <summary>
    /// skip_frame by its named constant (an AVDiscard value): the names are FFmpeg's stable interface,
    /// the numbers behind them are not promised.
    /// </summary>
    private static string SkipFrameName(DecoderSkip skip) => skip switch
    {
        DecoderSkip.NonReference => "noref",
        DecoderSkip.NonKey => "nokey",
        _ => throw new ArgumentOutOfRangeException(nameof(skip), skip, null),
    };


    public void Dispose() => _context.Dispose();
}
