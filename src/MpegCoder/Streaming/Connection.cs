using MpegCoder.Decoding;
using MpegCoder.Lifecycle;
using MpegCoder.Recording;
namespace MpegCoder.Streaming;

/// <summary>
/// One opened connection to a stream: the demuxer, its decoder, and the pipeline that feeds the
/// stream's output. Opened in one step, for the first connection and for every reconnection alike; a
/// reconnection replaces the whole connection and keeps the output.
/// </summary>
internal sealed class Connection : IDisposable
{
    private Connection(StreamSource source, VideoDecoder decoder, StreamInfo info, FramePipeline pipeline)
    {
        Source = source;
        Decoder = decoder;
        Info = info;
        Pipeline = pipeline;
    }

    public StreamSource Source { get; }
    public VideoDecoder Decoder { get; }
    public StreamInfo Info { get; }
    public FramePipeline Pipeline { get; }

    /// <summary>
    /// Opens the address and its decoder and builds the pipeline into the output that
    /// <paramref name="outputFor"/> gives for what the source turned out to be. Throws
    /// <see cref="StreamOpenException"/> with the reason; whatever fails, nothing it opened stays open.
    /// </summary>
    public static Connection Open(string url, StreamOptions options, StreamInterrupt interrupt, Func<StreamInfo, FrameOutput> outputFor)
    {
        var formatOptions = options.FormatOptions(url);
        var source = StreamSource.Open(FFmpegAddress.Of(url, formatOptions), formatOptions, interrupt, options.OpenTimeout);
        VideoDecoder? decoder = null;
        try
        {
            decoder = VideoDecoder.Open(source, options.Threads, options.SkipFrames);
            var rate = source.FrameRate;
            long frames = source.FrameCountHint > 0 ? source.FrameCountHint
                : rate.den > 0 ? (long)Math.Round(source.Duration * rate.num / rate.den) : 0;
            var info = new StreamInfo
            {
                CodecName = decoder.CodecName,
                Width = source.Width,
                Height = source.Height,
                FrameRate = rate,
                TimeBase = source.TimeBase,
                Duration = source.Duration > 0 ? TimeSpan.FromSeconds(source.Duration) : null,
                FrameCount = frames,
                BitRate = decoder.GetInt("b"),
                DecoderThreads = (int)decoder.GetInt("threads"),
                GopSize = (int)decoder.GetInt("g"),
                MaxBFrames = (int)decoder.GetInt("bf"),
            };
            if (info.TimeBase.num <= 0 || info.TimeBase.den <= 0)
                throw new StreamOpenException($"the video stream's time base {info.TimeBase.num}/{info.TimeBase.den} is not usable");
            var output = outputFor(info);
            var sourceRate = info.FrameRate.num > 0 ? info.FrameRate : (25, 1);
            var selector = new FrameRateSelector(info.TimeBase, options.FrameRate, sourceRate);
            var pipeline = new FramePipeline(source, decoder, selector, output, interrupt);
            return new Connection(source, decoder, info, pipeline);
        }
        catch
        {
            decoder?.Dispose();
            source.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Pipeline.Dispose();
        Decoder.Dispose();
        Source.Dispose();
    }
}
