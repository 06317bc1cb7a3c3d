namespace MpegCoder.Pipeline;

/// <summary>Everything one opening of a stream needs; fixed for the life of a <see cref="StreamSession"/>.</summary>
/// <param name="Width">Output width, 0 = the source's.</param>
/// <param name="Height">Output height, 0 = the source's.</param>
/// <param name="CacheSize">Ring slots.</param>
/// <param name="ReadSize">Frames a read returns by default.</param>
/// <param name="FrameRate">Target frame rate, null = keep every frame.</param>
/// <param name="Threads">Decoder threads, 0 = FFmpeg's choice.</param>
/// <param name="OpenTimeout">Bound on connecting and probing.</param>
/// <param name="StallTimeout">Bound on waiting for the next packet once streaming.</param>
/// <param name="Options">FFmpeg format/protocol options passed to avformat_open_input.</param>
internal sealed record SessionSettings(
    int Width, int Height, int CacheSize, int ReadSize, (int num, int den)? FrameRate, int Threads,
    TimeSpan OpenTimeout, TimeSpan StallTimeout, IReadOnlyDictionary<string, string>? Options);
