using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Native;
using MpegCoder.Streaming;

namespace MpegCoder.Recording;

/// <summary>
/// What a recorder needs of one connection's video stream, copied while the connection is open (its
/// codec parameters outlive it): the parameters an output stream takes, the packets' time base and one
/// frame's length in it. A reconnection gives a new source; packets carry the source they came from.
/// </summary>
internal sealed unsafe class RecordingSource : IDisposable
{
    private readonly CodecParametersHandle _parameters;

    public RecordingSource(StreamSource source)
    {
        _parameters = CodecParametersHandle.CopyOf(source.CodecParameters);
        TimeBase = new AVRational(source.TimeBase.num, source.TimeBase.den);
        (int num, int den) rate = source.FrameRate.num > 0 && source.FrameRate.den > 0 ? source.FrameRate : (25, 1);
        FrameTicks = Math.Max(1, (long)Math.Round((double)TimeBase.den * rate.den / ((double)TimeBase.num * rate.num)));
    }

    public AVCodecParameters* Parameters => _parameters.Ptr;
    public AVRational TimeBase { get; }

    /// <summary>One frame's length in <see cref="TimeBase"/> (from the stream's frame rate; 25 fps when unknown).</summary>
    public long FrameTicks { get; }

    /// <summary><paramref name="time"/> in ticks of <see cref="TimeBase"/>.</summary>
    public long Ticks(TimeSpan time) => (long)((Int128)time.Ticks * TimeBase.den / ((Int128)TimeBase.num * TimeSpan.TicksPerSecond));

    /// <summary><paramref name="ticks"/> of <see cref="TimeBase"/> as a time span.</summary>
    public TimeSpan Time(long ticks) => TimeSpan.FromTicks((long)((Int128)ticks * TimeBase.num * TimeSpan.TicksPerSecond / TimeBase.den));

    public void Dispose() => _parameters.Dispose();
}
