using MpegCoder.Interop;
using MpegCoder.Native;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Encoders;

/// <summary>
/// One opened FFmpeg video encoder with the frame it encodes from and the packet it encodes into: the
/// steps every encoder of the library shares (MpegEncoder's and MpegServer's, and JpegEncoder's mjpeg).
/// Every failure is an <see cref="EncoderException"/> in one of its two shapes: the encoder does not open,
/// or it did not encode a frame. Not thread-safe: its owner serialises the calls.
/// </summary>
internal sealed unsafe class EncoderContext : IDisposable
{
    private readonly CodecContextHandle _context;
    private readonly EncoderFrame _frame;
    private readonly PacketHandle _packet;

    /// <summary>The encoder's name ("libx264").</summary>
    public string Name { get; }

    /// <summary>The pixel format the encoder opened with ("yuv420p").</summary>
    public string PixelFormat { get; }

    /// <summary>The encoder's time base, in which <see cref="Send"/> takes the presentation times.</summary>
    public AVRational TimeBase { get; }

    public AVCodecContext* Context => _context.Ptr;

    /// <summary>The reusable packet that <see cref="Receive"/> fills.</summary>
    public AVPacket* Packet => _packet.Ptr;

    private EncoderContext(string name, string pixelFormat, AVRational timeBase, CodecContextHandle context, EncoderFrame frame, PacketHandle packet)
    {
        Name = name;
        PixelFormat = pixelFormat;
        TimeBase = timeBase;
        _context = context;
        _frame = frame;
        _packet = packet;
    }

    /// <summary>
    /// Opens the encoder with the first of <paramref name="choices"/> it accepts and allocates its frame and
    /// packet; everything allocated is released again when it throws.
    /// </summary>
    /// <exception cref="EncoderException">No such encoder, no choice it accepts, or no frame for it.</exception>
    public static EncoderContext Open(EncoderRequest request, IReadOnlyList<EncoderChoice> choices)
    {
        var (context, choice, name) = CodecOpener.Open(request, choices);
        EncoderFrame? frame = null;
        try
        {
            frame = EncoderFrame.Allocate(name, request, choice.PixelFormat);
            return new EncoderContext(name, choice.PixelFormat, request.TimeBase, context, frame, PacketHandle.Allocate());
        }
        catch
        {
            frame?.Dispose();
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Converts one packed source picture into the encoder's frame and sends it with the presentation time
    /// <paramref name="pts"/> (in <see cref="TimeBase"/> ticks; AV_NOPTS_VALUE for none). Allocates nothing.
    /// </summary>
    public void Send(ReadOnlySpan<byte> pixels, long pts)
    {
        _frame.Fill(pixels, pts);
        Check(ffmpeg.avcodec_send_frame(_context.Ptr, _frame.Ptr), "avcodec_send_frame");
    }

    /// <summary>Tells the encoder no more frames come, so that <see cref="Receive"/> returns what it holds back.</summary>
    public void SendEnd()
    {
        int ret = ffmpeg.avcodec_send_frame(_context.Ptr, null);
        if (ret != AVERROR_EOF) Check(ret, "avcodec_send_frame (end)"); // EOF: the end was sent already
    }

    /// <summary>
    /// Receives the next encoded packet into <see cref="Packet"/>: true when there is one (the caller
    /// unreferences it), false when the encoder needs more frames or has nothing more after the end.
    /// </summary>
    public bool Receive()
    {
        int ret = ffmpeg.avcodec_receive_packet(_context.Ptr, _packet.Ptr);
        if (ret == AVERROR_EAGAIN || ret == AVERROR_EOF) return false;
        Check(ret, "avcodec_receive_packet");
        return true;
    }

    private void Check(int ret, string call)
    {
        if (ret < 0) throw EncoderException.NotEncoded(Name, $"{call}: {FFmpegError.Text(ret)}");
    }

    public void Dispose()
    {
        _packet.Dispose();
        _frame.Dispose();
        _context.Dispose();
    }
}
