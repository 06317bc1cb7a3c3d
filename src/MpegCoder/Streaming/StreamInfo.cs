namespace MpegCoder;

/// <summary>What FFmpeg found out about an opened stream's video.</summary>
/// <remarks>
/// Built with an object initializer (<c>new StreamInfo { CodecName = "h264", Width = 1920, ... }</c>), so that
/// a property added in a later version breaks no compiled caller; compared by value.
/// </remarks>
public sealed record StreamInfo
{
    /// <summary>The codec, e.g. "h264".</summary>
    public string CodecName { get; init; } = "";

    /// <summary>Source width in pixels.</summary>
    public int Width { get; init; }

    /// <summary>Source height in pixels.</summary>
    public int Height { get; init; }

    /// <summary>FFmpeg's best guess of the frame rate (num, den); (0, 1) when unknown.</summary>
    public (int num, int den) FrameRate { get; init; } = (0, 1);

    /// <summary>The unit of the stream's timestamps (num, den) in seconds; (0, 1) when unknown.</summary>
    public (int num, int den) TimeBase { get; init; } = (0, 1);

    /// <summary>The length of a file; null for a live stream.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Frames in the stream as the container states them, else estimated from the duration; 0 when unknown.</summary>
    public long FrameCount { get; init; }

    /// <summary>The video stream's bits per second as the container states them (not the whole container's, which counts audio too); 0 when unknown.</summary>
    public long BitRate { get; init; }

    /// <summary>Threads the decoder uses.</summary>
    public int DecoderThreads { get; init; }

    /// <summary>The decoder's gop size setting ("g"); rarely known for a decoder.</summary>
    public int GopSize { get; init; }

    /// <summary>The decoder's max B-frames setting ("bf").</summary>
    public int MaxBFrames { get; init; }

    /// <summary>The frame rate as frames per second; 0 when unknown.</summary>
    public double FramesPerSecond => FrameRate.den == 0 ? 0 : (double)FrameRate.num / FrameRate.den;
}
