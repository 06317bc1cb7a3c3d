using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Native;
using MpegCoder.Streaming;

namespace MpegCoder.Recording;

/// <summary>
/// What a recorder needs of one connection's streams, copied while the connection is open (its codec
/// parameters outlive it): the parameters an output stream takes, the packets' time base, one video
/// frame's length in it, and the same of the audio when it is recorded. A reconnection gives a new
/// source; packets carry the source they came from.
/// </summary>
internal sealed unsafe class RecordingSource : IDisposable
{
    private readonly CodecParametersHandle _parameters;
    private readonly CodecParametersHandle? _audioParameters;

    /// <param name="source">The open connection.</param>
    /// <param name="withAudio">Whether its audio (if it has any) is recorded too.</param>
    public RecordingSource(StreamSource source, bool withAudio)
    {
        VideoIndex = source.StreamIndex;
        TimeBase = new AVRational(source.TimeBase.num, source.TimeBase.den);
        (int num, int den) rate = source.FrameRate.num > 0 && source.FrameRate.den > 0 ? source.FrameRate : (25, 1);
        FrameTicks = Math.Max(1, (long)Math.Round((double)TimeBase.den * rate.den / ((double)TimeBase.num * rate.num)));
        _parameters = CodecParametersHandle.CopyOf(source.CodecParameters);
        VideoCodec = CodecNames.Of(source.CodecId);
        if (withAudio && source.AudioIndex >= 0 && source.AudioTimeBase is { num: > 0, den: > 0 } audioTimeBase)
        {
            try
            {
                _audioParameters = CodecParametersHandle.CopyOf(source.AudioParameters);
            }
            catch
            {
                _parameters.Dispose();
                throw;
            }
            AudioIndex = source.AudioIndex;
            AudioTimeBase = new AVRational(audioTimeBase.num, audioTimeBase.den);
            AudioCodec = CodecNames.Of(source.AudioCodecId);
        }
    }

    public AVCodecParameters* Parameters => _parameters.Ptr;
    public AVRational TimeBase { get; }

    /// <summary>The video stream's index in the connection's packets.</summary>
    public int VideoIndex { get; }

    /// <summary>The video codec's FFmpeg name ("h264").</summary>
    public string VideoCodec { get; }

    /// <summary>One frame's length in <see cref="TimeBase"/> (from the stream's frame rate; 25 fps when unknown).</summary>
    public long FrameTicks { get; }

    /// <summary>The recorded audio stream's index in the connection's packets; -1 when no audio is recorded.</summary>
    public int AudioIndex { get; } = -1;

    /// <summary>Whether the recorder records this source's audio.</summary>
    public bool HasAudio => AudioIndex >= 0;

    /// <summary>The audio's codec parameters; null without audio.</summary>
    public AVCodecParameters* AudioParameters => _audioParameters is null ? null : _audioParameters.Ptr;

    public AVRational AudioTimeBase { get; }

    /// <summary>The audio codec's FFmpeg name ("aac", "pcm_mulaw"); null without audio.</summary>
    public string? AudioCodec { get; }

    /// <summary>Whether a packet of stream <paramref name="streamIndex"/> is recorded: the video, or the audio when recorded.</summary>
    public bool Records(int streamIndex) => streamIndex == VideoIndex || (streamIndex == AudioIndex && AudioIndex >= 0);

    /// <summary><paramref name="time"/> in ticks of <see cref="TimeBase"/>.</summary>
    public long Ticks(TimeSpan time) => (long)((Int128)time.Ticks * TimeBase.den / ((Int128)TimeBase.num * TimeSpan.TicksPerSecond));

    /// <summary><paramref name="ticks"/> of <see cref="TimeBase"/> as a time span.</summary>
    public TimeSpan Time(long ticks) => Time(ticks, TimeBase);

    /// <summary><paramref name="ticks"/> of the audio's time base as a time span.</summary>
    public TimeSpan AudioTime(long ticks) => Time(ticks, AudioTimeBase);

    /// <summary><paramref name="videoTicks"/> of the video's time base in ticks of the audio's, rounded down.</summary>
    public long AudioTicks(long videoTicks) =>
        (long)((Int128)videoTicks * TimeBase.num * AudioTimeBase.den / ((Int128)TimeBase.den * AudioTimeBase.num));

    private static TimeSpan Time(long ticks, AVRational timeBase) =>
        TimeSpan.FromTicks((long)((Int128)ticks * timeBase.num * TimeSpan.TicksPerSecond / timeBase.den));

    public void Dispose()
    {
        _parameters.Dispose();
        _audioParameters?.Dispose();
    }
}
