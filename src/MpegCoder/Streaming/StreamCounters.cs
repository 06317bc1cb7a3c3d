namespace MpegCoder.Streaming;

/// <summary>
/// The running counts of one stream, shared by its successive connections. Only the writer thread
/// writes them; readers take a <see cref="Snapshot"/> (64-bit reads are atomic on every platform .NET runs on).
/// </summary>
internal sealed class StreamCounters
{
    public long FramesDecoded;
    public long FramesDropped;
    public long FramesCorrupt;
    public long FramesBeforeKeyFrame;
    public int Reconnects;

    public StreamStatistics Snapshot(long stored, string? lastError) => new()
    {
        FramesDecoded = Volatile.Read(ref FramesDecoded),
        FramesStored = stored,
        FramesDropped = Volatile.Read(ref FramesDropped),
        FramesCorrupt = Volatile.Read(ref FramesCorrupt),
        FramesBeforeKeyFrame = Volatile.Read(ref FramesBeforeKeyFrame),
        Reconnects = Volatile.Read(ref Reconnects),
        LastError = lastError,
    };
}
