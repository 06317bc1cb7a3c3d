using System.Buffers;
using System.Runtime.CompilerServices;
using MpegCoder.Interop;
using MpegCoder.Pipeline;

namespace MpegCoder;

/// <summary>
/// The .NET face of the engine behind <see cref="MpegClient"/>: open a stream asynchronously, then read
/// its newest frames with their metadata, wait for new ones, or enumerate every new frame.
/// </summary>
/// <example>
/// <code>
/// await using var stream = await VideoStream.OpenAsync("rtsp://camera/live",
///     new StreamOptions { Width = 640, Height = 360, FrameRate = (5, 1) }, cancellationToken);
/// await foreach (var frame in stream.ReadFramesAsync(cancellationToken))
///     using (frame)
///         Console.WriteLine($"frame {frame.Metadata.Sequence}, {frame.Metadata.Age.TotalMilliseconds:0} ms old");
/// </code>
/// </example>
/// <remarks>
/// All members are thread-safe. Unlike the port, reads keep answering with the last frames after the
/// stream has ended; <see cref="State"/> says it has, and <see cref="ReadFramesAsync"/> then completes.
/// </remarks>
public sealed class VideoStream : IDisposable, IAsyncDisposable
{
    private readonly StreamSession _session;
    private readonly object _gate = new();
    private bool _disposed;

    private VideoStream(StreamSession session)
    {
        _session = session;
        _session.StateChanged += (_, e) => StateChanged?.Invoke(this, e);
    }

    /// <summary>
    /// Opens <paramref name="address"/> and starts storing frames. Cancelling the token interrupts FFmpeg's
    /// blocking calls at once. The open is also bounded by <see cref="StreamOptions.OpenTimeout"/>.
    /// </summary>
    /// <exception cref="StreamOpenException">The stream could not be opened; the message says why, in FFmpeg's words.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="FFmpegNotFoundException">No supported FFmpeg is installed.</exception>
    /// <exception cref="ArgumentException">Options that cannot work, or an empty address.</exception>
    public static async Task<VideoStream> OpenAsync(string address, StreamOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        options ??= new StreamOptions();
        options.Validate();
        FFmpegLoader.EnsureLoadedRelease();
        cancellationToken.ThrowIfCancellationRequested();

        var interrupt = new StreamInterrupt();
        var log = new FFmpegLogCapture { Logger = options.Logger };
        StreamSession session;
        using (cancellationToken.Register(interrupt.RequestStop))
        {
            try
            {
                session = await Task.Run(() =>
                {
                    using var capture = FFmpegLog.Capture(log);
                    return StreamSession.Open(address, options, interrupt, log);
                }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (StreamOpenException e)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw SetupFailure.Describe(address, e, log);
            }
        }
        if (cancellationToken.IsCancellationRequested)
        {
            session.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
        }
        var stream = new VideoStream(session);
        session.Start();
        return stream;
    }

    /// <summary>The address with any credentials hidden.</summary>
    public string Address => AddressRedaction.Redact(_session.Url);

    /// <summary>The options the stream was opened with.</summary>
    public StreamOptions Options => _session.Settings;

    /// <summary>What FFmpeg found out about the source (updated when a reconnection finds it changed).</summary>
    public StreamInfo Info => _session.Info;

    /// <summary>Output width in pixels; fixed for the stream's life.</summary>
    public int Width => _session.Width;

    /// <summary>Output height in pixels; fixed for the stream's life.</summary>
    public int Height => _session.Height;

    /// <summary>The pixel layout of the frames.</summary>
    public FramePixelFormat PixelFormat => _session.Settings.PixelFormat;

    /// <summary>Bytes of one frame.</summary>
    public int FrameBytes => _session.Ring.FrameBytes;

    /// <summary>Frames the ring holds: the most one read can return.</summary>
    public int Capacity => _session.Ring.Capacity;

    /// <summary>Where the stream is in its life.</summary>
    public StreamState State => _session.State;

    /// <summary>Raised on every change of <see cref="State"/>, on the thread that makes it (often the writer thread): keep handlers short.</summary>
    public event EventHandler<StreamStateChangedEventArgs>? StateChanged;

    /// <summary>Counters: frames decoded, stored, dropped, corrupt, reconnects, last error.</summary>
    public StreamStatistics Statistics => _session.Statistics;

    /// <summary>Sequence number of the newest stored frame, or -1 before the first.</summary>
    public long NewestSequence => _session.Ring.Published - 1;

    /// <summary>
    /// Copies the newest frames (at most <paramref name="count"/>, 0 = the ReadSize option) and their metadata.
    /// The batch holds only frames that exist: right after opening it may hold fewer, or none.
    /// </summary>
    public FrameBatch ExtractFrames(int count = 0)
    {
        int n = Count(count);
        int k = Math.Min(n, _session.Ring.Available);
        var data = new byte[k * FrameBytes];
        var metadata = new FrameMetadata[k];
        int copied = _session.Ring.CopyNewest(k, data, metadata);
        return new FrameBatch(data, metadata, copied, Width, Height, PixelFormat);
    }

    /// <summary>
    /// The allocation-free read: copies the newest frames (at most <paramref name="count"/>, 0 = the ReadSize
    /// option, and at most what <paramref name="destination"/> holds), oldest first, and their metadata
    /// (as many as <paramref name="metadata"/> holds). Returns how many frames were copied.
    /// </summary>
    public int CopyNewestFrames(Span<byte> destination, Span<FrameMetadata> metadata = default, int count = 0)
    {
        int n = Math.Min(Count(count), destination.Length / FrameBytes);
        return _session.Ring.CopyNewest(n, destination, metadata);
    }

    /// <summary>
    /// Waits until a frame newer than <paramref name="afterSequence"/> is stored (pass -1 for "any frame").
    /// Returns true then, or false if the stream ends first. No polling: the writer wakes the waiter.
    /// </summary>
    public async ValueTask<bool> WaitForNewFrameAsync(long afterSequence = -1, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var signal = _session.Signal.WaitAsync(); // take the task before checking: no lost wake-up
            if (NewestSequence > afterSequence) return true;
            if (_session.Ended) return false;
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every frame stored from now on, once each, in order, starting with the newest frame already stored.
    /// A reader slower than the stream loses the frames the ring overwrote; the gap shows in
    /// <see cref="FrameMetadata.Sequence"/>. Completes when the stream ends. Dispose each frame.
    /// </summary>
    public async IAsyncEnumerable<VideoFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var ring = _session.Ring;
        long next = Math.Max(0, NewestSequence);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long published = ring.Published;
            if (next < published - ring.Capacity) next = published - ring.Capacity; // overwritten: skip ahead
            if (next < published)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(FrameBytes);
                if (ring.TryCopy(next, buffer, out var metadata))
                {
                    next++;
                    yield return new VideoFrame(buffer, Width, Height, PixelFormat, metadata);
                }
                else
                {
                    ArrayPool<byte>.Shared.Return(buffer); // overwritten meanwhile: go round and skip ahead
                }
                continue;
            }
            if (!await WaitForNewFrameAsync(next - 1, cancellationToken).ConfigureAwait(false)) yield break;
        }
    }

    /// <summary>Stops storing frames; the connection stays open and the last frames stay readable.</summary>
    public void Pause()
    {
        lock (_gate) if (!_disposed) _session.Stop();
    }

    /// <summary>Resumes storing frames; false if the stream has ended.</summary>
    public bool Resume()
    {
        lock (_gate) return !_disposed && _session.Start();
    }

    private int Count(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int n = count == 0 ? _session.Settings.ReadSize : count;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, Capacity, nameof(count));
        return n;
    }

    /// <summary>Stops the writer (interrupting a blocked read) and releases the native resources.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _session.Dispose();
        }
    }

    /// <summary>Disposes on a pool thread, so an async caller never blocks on the writer's shutdown.</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));
}
