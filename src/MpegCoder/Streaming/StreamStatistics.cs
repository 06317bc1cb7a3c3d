namespace MpegCoder;

/// <summary>Counters of one stream since it was set up (they go on across reconnections).</summary>
/// <remarks>
/// Built with an object initializer, so that a counter added in a later version breaks no compiled caller;
/// compared by value. <c>default</c> is all zero.
/// </remarks>
public readonly record struct StreamStatistics
{
    /// <summary>Frames the decoder produced.</summary>
    public long FramesDecoded { get; init; }

    /// <summary>Frames stored in the ring.</summary>
    public long FramesStored { get; init; }

    /// <summary>Frames the frame-rate selector dropped (never scaled).</summary>
    public long FramesDropped { get; init; }

    /// <summary>Frames the decoder flagged as damaged, and packets it rejected; none is stored.</summary>
    public long FramesCorrupt { get; init; }

    /// <summary>Frames before the first keyframe, not stored (they would be grey garbage).</summary>
    public long FramesBeforeKeyFrame { get; init; }

    /// <summary>Successful reconnections.</summary>
    public int Reconnects { get; init; }

    /// <summary>Why the stream last ended or failed to reconnect, or null.</summary>
    public string? LastError { get; init; }
}
