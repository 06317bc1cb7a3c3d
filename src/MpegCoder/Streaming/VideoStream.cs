using System.Diagnostics;
using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Lifecycle;
using MpegCoder.Recording;
using MpegCoder.Streaming;

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
    private volatile bool _disposed;

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
        StreamSession session;
        // A cancelled open aborts at once: a half-open connection has nothing a grace would protect.
        using (cancellationToken.Register(interrupt.Abort))
        {
            try
            {
                // Its own thread: an open blocks in FFmpeg for up to OpenTimeout, and a busy thread pool must
                // neither delay it nor lose a thread to it.
                session = await Task.Factory.StartNew(() => StreamSession.Open(address, options, interrupt, new StreamLog(options.Logger)),
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            }
            catch (StreamOpenException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw;
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
    public int FrameBytes => _session.FrameBytes;

    /// <summary>Frames the ring holds: the most one read can return.</summary>
    public int Capacity => _session.Capacity;

    /// <summary>Where the stream is in its life.</summary>
    public StreamState State => _session.State;

    /// <summary>Raised on every change of <see cref="State"/>, on the thread that makes it (often the writer thread): keep handlers short.</summary>
    public event EventHandler<StreamStateChangedEventArgs>? StateChanged;

    /// <summary>Counters: frames decoded, stored, dropped, corrupt, reconnects, last error.</summary>
    public StreamStatistics Statistics => _session.Statistics;

    /// <summary>How long ago the newest frame was stored, or null before the first. Reads nothing but one counter.</summary>
    public TimeSpan? NewestFrameAge => _session.NewestTimestamp is var t and not 0 ? Stopwatch.GetElapsedTime(t) : null;

    /// <summary>Sequence number of the newest stored frame, or -1 before the first.</summary>
    public long NewestSequence => _session.Stored - 1;

    /// <summary>
    /// Copies the newest frames (at most <paramref name="count"/>, 0 = the ReadSize option), oldest first, with
    /// their metadata. Never waits and never takes a frame: on a file too it leaves every frame to
    /// <see cref="ReadFramesAsync"/> (see docs/architecture.md, "Reading: newest and take"). The batch holds
    /// only frames that exist: right after opening it may hold fewer, or none.
    /// </summary>
    public FrameBatch ExtractFrames(int count = 0)
    {
        var batch = _session.Reads.ReadNewest(count, nameof(count), k => new BatchArrays(new byte[(long)k * FrameBytes], new FrameMetadata[k]));
        return new FrameBatch(batch.PixelArray, batch.MetadataArray, batch.MetadataArray.Length, Width, Height, PixelFormat);
    }

    private readonly record struct BatchArrays(byte[] PixelArray, FrameMetadata[] MetadataArray) : IFrameTarget
    {
        public Span<byte> Pixels => PixelArray;
        public Span<FrameMetadata> Metadata => MetadataArray;
    }

    /// <summary>
    /// The allocation-free form of <see cref="ExtractFrames"/>: copies the newest frames (at most
    /// <paramref name="count"/>, 0 = the ReadSize option), oldest first, and their metadata (as many as
    /// <paramref name="metadata"/> holds). Never waits and never takes a frame. Returns how many frames were copied.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> holds fewer than count x <see cref="FrameBytes"/> bytes (the same rule as the port's).</exception>
    public int CopyNewestFrames(Span<byte> destination, Span<FrameMetadata> metadata = default, int count = 0) =>
        _session.Reads.ReadNewest(count, destination, metadata, nameof(count));

    /// <summary>
    /// Waits until a frame newer than <paramref name="afterSequence"/> is stored (pass -1 for "any frame").
    /// Returns true then, or false if the stream ends first. No polling: the writer wakes the waiter.
    /// </summary>
    public ValueTask<bool> WaitForNewFrameAsync(long afterSequence = -1, CancellationToken cancellationToken = default) =>
        _session.Reads.WaitForFrameAsync(afterSequence, cancellationToken);

    /// <summary>
    /// Every frame, once each, in order. Each enumeration has its own cursor, opened when it starts
    /// (GetAsyncEnumerator) and released when it is disposed (<c>await foreach</c> does both). A file
    /// (<see cref="FullRingPolicy.WaitForReader"/>): the enumeration starts at the oldest frame an open
    /// enumeration has not taken (the first frame when it is the first), and the writer waits for the slowest
    /// open enumeration, so none loses a frame. A live stream: every frame stored from now on, starting with
    /// the newest one already stored; a reader slower than the stream loses the frames the ring overwrote,
    /// and the gap shows in <see cref="FrameMetadata.Sequence"/>. Completes when the stream ends (and, for a
    /// file, every frame has been yielded). Dispose each frame.
    /// </summary>
    public IAsyncEnumerable<VideoFrame> ReadFramesAsync(CancellationToken cancellationToken = default) =>
        new FrameEnumeration(this, _session.Reads, cancellationToken);

    /// <summary>
    /// Starts recording this stream's compressed video without re-encoding it, into files or to a server
    /// (see <see cref="StreamRecorder"/>), from the same connection that delivers the frames. Recording
    /// continuously, the first file is open (or the push connected) when this returns. Packets arrive only
    /// while the stream runs (not while it is paused); disposing the stream stops the recorder.
    /// </summary>
    /// <exception cref="RecordingException">The stream has ended (the message says why), or the file or server cannot be written (unknown container, missing folder, unwritable path, a server that refuses, an FFmpeg option it does not know).</exception>
    /// <exception cref="ArgumentException">Options that cannot work.</exception>
    /// <exception cref="ObjectDisposedException">The stream is disposed.</exception>
    public StreamRecorder StartRecording(RecordingOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return StreamRecorder.Start(_session, options);
    }

    /// <summary>
    /// Stops storing frames; the connection stays open and the last frames stay readable. Safe from any
    /// thread, a <see cref="StateChanged"/> handler included (it then asks the writer to stop and returns at once).
    /// </summary>
    public void Pause()
    {
        if (!_disposed) _session.Stop();
    }

    /// <summary>Resumes storing frames; false if the stream has ended or is disposed.</summary>
    public bool Resume()
    {
        if (_disposed) return false;
        try
        {
            return _session.Start();
        }
        catch (ObjectDisposedException)
        {
            return false; // disposed by another thread meanwhile
        }
    }

    /// <summary>
    /// Stops the writer (interrupting a blocked read) and releases the native resources. Safe from any
    /// thread, any number of times. Called from a <see cref="StateChanged"/> handler (the writer's own
    /// thread), it asks the writer to stop and returns at once; the writer releases everything as it ends.
    /// Elsewhere it waits for the writer at most 5 s: a writer kept longer by a handler that blocks releases
    /// everything itself when the handler returns.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
    }

    /// <summary>
    /// Disposes without blocking the caller on the writer's shutdown: on a pool thread, or at once when
    /// called from a <see cref="StateChanged"/> handler (see <see cref="Dispose"/>).
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (_session.OnWriterThread)
        {
            Dispose();
            return default;
        }
        return new(Task.Run(Dispose));
    }
}
