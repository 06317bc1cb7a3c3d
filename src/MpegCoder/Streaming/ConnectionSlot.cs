using System.Diagnostics;
using MpegCoder.Interop;
using MpegCoder.Lifecycle;

namespace MpegCoder.Streaming;

/// <summary>
/// A stream's one connection at a time: the current one (none while it is lost), what it found the source
/// to be, and the reopening of the stream into the same output.
/// </summary>
/// <remarks>
/// Threads: while the writer runs, only it replaces or drops the connection, under <c>_lock</c>, which
/// <see cref="Dump"/> also takes, so nobody uses a connection being freed; the dump itself runs under the
/// demuxer's own lock, between two of the writer's reads. A stop joins the writer before anything else
/// replaces the connection. <see cref="Current"/> is read without the lock: by the writer, which alone
/// changes it, and by tests that drive the writer's path themselves.
/// </remarks>
internal sealed class ConnectionSlot
{
    private readonly string _url;
    private readonly StreamOptions _settings;
    private readonly StreamInterrupt _interrupt;
    private readonly StreamLog _log;
    private readonly FrameOutput _output;
    private readonly KeyValuePair<string, object?> _metricTag;
    private readonly object _lock = new();
    private Connection? _current;
    private volatile StreamInfo _info;

    /// <summary>
    /// Holds <paramref name="first"/>, the connection the stream was opened with (the packet taps hear of it
    /// here); a reopen opens the same address with the same options into <paramref name="output"/>.
    /// </summary>
    public ConnectionSlot(Connection first, string url, StreamOptions settings, StreamInterrupt interrupt, StreamLog log, FrameOutput output, KeyValuePair<string, object?> metricTag)
    {
        _url = url;
        _settings = settings;
        _interrupt = interrupt;
        _log = log;
        _output = output;
        _metricTag = metricTag;
        _current = first;
        _info = first.Info;
        output.Taps.Connected(first.Source);
    }

    /// <summary>The current connection; null while it is lost (or cut by a stop) and after the stream was released.</summary>
    public Connection? Current => _current;

    /// <summary>The source as the current (or last) connection found it.</summary>
    public StreamInfo Info => _info;

    /// <summary>
    /// Prints FFmpeg's description of the current connection (av_dump_format), if there is one. Safe while
    /// the writer runs: it waits for the demuxer between two packets.
    /// </summary>
    public void Dump(string shownUrl)
    {
        lock (_lock) _current?.Source.Dump(shownUrl);
    }

    /// <summary>
    /// Opens the stream again into the same output, in the same single step as the first open, and makes it
    /// the current connection. Whatever fails (the open, or anything the new connection's pipeline refuses),
    /// nothing stays open and the reason comes back. Writer only.
    /// </summary>
    public bool TryReopen(out string? reason)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            using var _ = FFmpegLog.Capture(_log.FFmpeg);
            Replace(Connection.Open(_url, _settings, _interrupt, _ => _output));
            StreamMetrics.RecordOpen(started, succeeded: true, _metricTag);
            reason = null;
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            StreamMetrics.RecordOpen(started, succeeded: false, _metricTag);
            reason = AddressRedaction.RedactText(e.Message);
            return false;
        }
    }

    /// <summary>
    /// Makes <paramref name="next"/> the current connection and frees the previous one. The packet taps
    /// hear of the change first, so a recorder never reads a freed source.
    /// </summary>
    public void Replace(Connection? next)
    {
        Connection? previous;
        lock (_lock)
        {
            previous = _current;
            Debug.Assert(next is null || !ReferenceEquals(next, previous), "a connection replaces itself and would be freed while current");
            _current = next;
            if (next is not null) _info = next.Info;
        }
        if (previous is not null) _output.Taps.Disconnected(previous.Source);
        if (next is not null) _output.Taps.Connected(next.Source);
        previous?.Dispose();
    }
}
