using MpegCoder.Interop;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Pipeline;

/// <summary>
/// One opened stream: the demuxer, the decoder, the scaler and the ring, and the writer thread that
/// runs the <see cref="FramePipeline"/>. The writer can be stopped and started again on the same
/// connection. Once the stream ends (remote close, error, or a stall past the timeout), it stays ended.
/// </summary>
/// <remarks>
/// Threads: Start/Stop/Dispose are called under the owner's lock, one at a time. The writer thread
/// is the only one touching native objects while it runs; Stop joins it before anything else does.
/// Readers touch only <see cref="Ring"/>, which is managed memory and stays valid after Dispose.
/// </remarks>
internal sealed class StreamSession : IDisposable
{
    private readonly StreamInterrupt _interrupt;
    private readonly FFmpegLogCapture _log;
    private readonly FramePipeline _pipeline;
    private readonly VideoDecoder _decoder;
    private readonly StreamSource _source;
    private Thread? _writer;
    private volatile string? _endReason;
    private bool _disposed;

    private StreamSession(string url, StreamOptions settings, StreamInterrupt interrupt, FFmpegLogCapture log,
        StreamSource source, VideoDecoder decoder, int width, int height)
    {
        Url = url;
        Settings = settings;
        _interrupt = interrupt;
        _log = log;
        _source = source;
        _decoder = decoder;
        Width = width;
        Height = height;
        Ring = new FrameRing(settings.EffectiveCacheSize, width * height * 3);
        var sourceRate = source.FrameRate.num > 0 ? source.FrameRate : (25, 1);
        var selector = new FrameRateSelector(source.TimeBase, settings.FrameRate, sourceRate);
        _pipeline = new FramePipeline(source, decoder, selector, new Native.Scaler(width, height), Ring);
    }

    public string Url { get; }
    public StreamOptions Settings { get; }
    public StreamSource Source => _source;
    public VideoDecoder Decoder => _decoder;
    public FrameRing Ring { get; }
    public FramePipeline Pipeline => _pipeline;
    /// <summary>Output frame size.</summary>
    public int Width { get; }
    public int Height { get; }
    public bool IsRunning => _writer is { IsAlive: true };
    /// <summary>Why the stream ended; null while it has not.</summary>
    public string? EndReason => _endReason;
    public bool Ended => _endReason is not null;

    /// <summary>Connects and prepares everything; throws <see cref="StreamOpenException"/> with the reason.</summary>
    public static StreamSession Open(string url, StreamOptions settings, StreamInterrupt interrupt, FFmpegLogCapture log)
    {
        var source = StreamSource.Open(url, settings.FormatOptions(url), interrupt, settings.OpenTimeout);
        VideoDecoder? decoder = null;
        try
        {
            decoder = VideoDecoder.Open(source, settings.Threads, settings.SkipFrames);
            int width = settings.Width > 0 ? settings.Width : source.Width;
            int height = settings.Height > 0 ? settings.Height : source.Height;
            if (width <= 0 || height <= 0)
                throw new StreamOpenException(0, "the stream does not state its frame size; set widthDst and heightDst");
            return new StreamSession(url, settings, interrupt, log, source, decoder, width, height);
        }
        catch
        {
            decoder?.Dispose();
            source.Dispose();
            throw;
        }
    }

    /// <summary>Starts the writer; false if the stream has already ended.</summary>
    public bool Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Ended) return false;
        if (_writer is not null) return true;
        _interrupt.ClearStop();
        _writer = new Thread(RunWriter) { IsBackground = true, Name = "MpegCoder writer" };
        _writer.Start();
        return true;
    }

    /// <summary>Stops the writer and waits for it; the connection stays open. Interrupts a blocked read.</summary>
    public void Stop()
    {
        var writer = _writer;
        if (writer is null) return;
        _interrupt.RequestStop();
        writer.Join();
        _writer = null;
        _interrupt.ClearStop();
    }

    private void RunWriter()
    {
        using var capture = FFmpegLog.Capture(_log);
        try
        {
            while (true)
            {
                _interrupt.Arm(Settings.StallTimeout);
                int ret = _pipeline.PumpOnce();
                if (ret >= 0) continue;
                if (_interrupt.StopRequested) return; // Terminate: keep the connection, keep the frames
                _pipeline.Drain();
                _endReason = ret == AVERROR_EOF ? "the stream ended (end of file or the server closed it)"
                    : _interrupt.TimedOut ? $"no data for {Settings.StallTimeout.TotalSeconds:0.###} s: the stream stalled"
                    : $"reading the stream failed: {FFmpegError.Text(ret)}";
                MpegCoderGlobal.Info($"MpegCoder: {_endReason}");
                return;
            }
        }
        catch (Exception e)
        {
            _endReason = $"the writer failed: {e.Message}";
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        Stop();
        _disposed = true;
        _pipeline.Dispose();
        _decoder.Dispose();
        _source.Dispose();
    }
}
