namespace MpegCoder.Pipeline;

/// <summary>
/// One opened connection to a stream: the demuxer, its decoder, and the pipeline that feeds the
/// stream's ring. A reconnection replaces the whole connection and keeps the ring.
/// </summary>
internal sealed class Connection : IDisposable
{
    private Connection(StreamSource source, VideoDecoder decoder, StreamInfo info)
    {
        Source = source;
        Decoder = decoder;
        Info = info;
    }

    public StreamSource Source { get; }
    public VideoDecoder Decoder { get; }
    public StreamInfo Info { get; }
    public FramePipeline? Pipeline { get; private set; }

    /// <summary>Opens the address and its decoder; throws <see cref="StreamOpenException"/> with the reason.</summary>
    public static Connection Open(string url, StreamOptions options, StreamInterrupt interrupt)
    {
        var formatOptions = options.FormatOptions(url);
        var source = StreamSource.Open(FFmpegAddress.Of(url, formatOptions), formatOptions, interrupt, options.OpenTimeout);
        try
        {
            var decoder = VideoDecoder.Open(source, options.Threads, options.SkipFrames);
            var rate = source.FrameRate;
            long frames = source.FrameCountHint > 0 ? source.FrameCountHint
                : rate.den > 0 ? (long)Math.Round(source.Duration * rate.num / rate.den) : 0;
            var info = new StreamInfo(decoder.CodecName, source.Width, source.Height, rate, source.TimeBase,
                source.Duration > 0 ? TimeSpan.FromSeconds(source.Duration) : null, frames, source.BitRate,
                (int)decoder.GetInt("threads"), (int)decoder.GetInt("g"), (int)decoder.GetInt("bf"));
            return new Connection(source, decoder, info);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Connects the decoder's output to the stream's scaler, ring, counters and signal.</summary>
    public void Attach(Native.Scaler scaler, FrameRing ring, StreamCounters counters, FrameSignal signal, (int num, int den)? targetRate)
    {
        var sourceRate = Info.FrameRate.num > 0 ? Info.FrameRate : (25, 1);
        var selector = new FrameRateSelector(Info.TimeBase, targetRate, sourceRate);
        Pipeline = new FramePipeline(Source, Decoder, selector, scaler, ring, counters, signal);
    }

    public void Dispose()
    {
        Pipeline?.Dispose();
        Decoder.Dispose();
        Source.Dispose();
    }
}
