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

    public StreamStatistics Snapshot(long stored, string? lastError) => new(
        Volatile.Read(ref FramesDecoded), stored, Volatile.Read(ref FramesDropped), Volatile.Read(ref FramesCorrupt),
        Volatile.Read(ref FramesBeforeKeyFrame), Volatile.Read(ref Reconnects), lastError);
}
