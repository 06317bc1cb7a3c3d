using System.Diagnostics;

namespace MpegCoder.Streaming;

/// <summary>
/// Every read of one stream's ring, the one policy both faces follow (see docs/architecture.md, "Reading:
/// newest and take"): the newest reads, which take nothing; the port's read, which on a lossless ring takes
/// from the port's one cursor; a face's own cursors; and the waits for the next frame, blocking and
/// asynchronous. Each read records the newest frame's age.
/// </summary>
/// <remarks>
/// Threads: any number of readers, on any threads, beside the writer. Readers only touch the ring, the
/// signal and the cursors: managed memory that stays valid after the stream is disposed. The port's cursor
/// orders its callers' takes with its own lock (see <see cref="FrameRing.Cursor.WithTakeLock{T}"/>).
/// </remarks>
internal sealed class FrameReader
{
    private readonly FrameRing _ring;
    private readonly StreamOptions _settings;
    private readonly KeyValuePair<string, object?> _metricTag;
    private readonly IWriterStatus _writer;
    private readonly FrameWaiter _waiter;
    private FrameRing.Cursor? _portCursor;
    private object? _portCursorLock;

    public FrameReader(FrameRing ring, FrameSignal signal, StreamOptions settings, KeyValuePair<string, object?> metricTag, IWriterStatus writer)
    {
        _ring = ring;
        _settings = settings;
        _metricTag = metricTag;
        _writer = writer;
        _waiter = new FrameWaiter(signal, writer);
    }

    /// <summary>Whether the writer waits for readers to take frames instead of overwriting them.</summary>
    public bool Lossless => _ring.Lossless;

    /// <summary>Ended, and nothing left that the port's read would return: its reads answer "the end" from now on.</summary>
    public bool Exhausted => _writer.Ended && (!Lossless || PortCursor.Untaken == 0);

    /// <summary>
    /// Resolves a read's frame count (0 = the ReadSize option) and checks it against the ring and the
    /// largest array; <paramref name="parameter"/> names the face's argument in the exception.
    /// </summary>
    public int Count(int count, string parameter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count, parameter);
        int n = count == 0 ? _settings.ReadSize : count;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, _ring.Capacity, parameter);
        StreamOptions.CheckArraySize(n, _ring.FrameBytes, parameter);
        return n;
    }

    /// <summary>
    /// The newest read: up to <paramref name="count"/> frames (0 = ReadSize), the newest stored, oldest first,
    /// into <paramref name="destination"/> and their metadata into <paramref name="metadata"/> (as many as it
    /// holds). Whatever the policy it takes nothing and moves nothing on: a file's writer still waits for its
    /// cursors. Returns how many frames were copied (fewer than asked only while fewer exist).
    /// </summary>
    /// <exception cref="ArgumentException">The destination is smaller than <paramref name="count"/> frames: the one rule for both faces.</exception>
    public int ReadNewest(int count, Span<byte> destination, Span<FrameMetadata> metadata, string parameter)
    {
        int n = CountFor(count, destination, parameter);
        int read = _ring.CopyNewest(n, destination, metadata);
        RecordRead();
        return read;
    }

    /// <summary>
    /// The allocating form of <see cref="ReadNewest(int, Span{byte}, Span{FrameMetadata}, string)"/>:
    /// <paramref name="allocate"/> gets the number of frames the read returns and gives the arrays to copy them into.
    /// </summary>
    public T ReadNewest<T>(int count, string parameter, Func<int, T> allocate) where T : IFrameTarget
    {
        int n = Count(count, parameter);
        RecordRead();
        // Frames available only grow (but for a write that failed, which a shorter copy shows as
        // trailing empty frames), so the k frames counted here are there to copy.
        int k = Math.Min(n, _ring.Available);
        var target = allocate(k);
        _ring.CopyNewest(k, target.Pixels, target.Metadata);
        return target;
    }

    /// <summary>
    /// The port's read (<see cref="MpegClient.ExtractFrame(int)"/>): a ring that overwrites gives its newest
    /// frames; a lossless ring gives the next frames of the port's one take cursor and takes them.
    /// </summary>
    public int Extract(int count, Span<byte> destination, string parameter)
    {
        if (!Lossless) return ReadNewest(count, destination, default, parameter);
        int n = CountFor(count, destination, parameter);
        int read = PortCursor.Take(n, destination, default);
        RecordRead();
        return read;
    }

    /// <summary>The allocating form of <see cref="Extract(int, Span{byte}, string)"/> (see <see cref="ReadNewest{T}"/>).</summary>
    public T Extract<T>(int count, string parameter, Func<int, T> allocate) where T : IFrameTarget
    {
        if (!Lossless) return ReadNewest(count, parameter, allocate);
        int n = Count(count, parameter);
        var cursor = PortCursor;
        RecordRead();
        return cursor.WithTakeLock(() =>
        {
            int k = Math.Min(n, cursor.Untaken); // only a take lowers it, and takes wait for this lock
            var target = allocate(k);
            int taken = cursor.Take(k, target.Pixels, target.Metadata);
            Debug.Assert(taken == k, "the frames counted under the take lock were all there to take");
            return target;
        });
    }

    /// <summary>The count of a read into <paramref name="destination"/>, checked against it.</summary>
    private int CountFor(int count, Span<byte> destination, string parameter)
    {
        int n = Count(count, parameter);
        if (destination.Length < (long)n * _ring.FrameBytes)
            throw new ArgumentException($"The destination holds {destination.Length} bytes; {n} frames need {(long)n * _ring.FrameBytes}.", nameof(destination));
        return n;
    }

    /// <summary>
    /// The port's take cursor on a lossless ring: one for every caller of the port, opened by its first read
    /// (until then the ring keeps the file's first frames for it, as for any first cursor).
    /// </summary>
    private FrameRing.Cursor PortCursor => LazyInitializer.EnsureInitialized(ref _portCursor, ref _portCursorLock, _ring.OpenCursor);

    /// <summary>
    /// A reader's own place in the stream, for a face that yields every frame once (see
    /// <see cref="FrameRing.OpenCursor"/>): on a lossless ring the writer waits for it until it is disposed.
    /// </summary>
    public FrameRing.Cursor OpenCursor() => _ring.OpenCursor();

    /// <summary>The next frame of <paramref name="cursor"/>, taken (see <see cref="FrameRing.Cursor.TryTakeNext"/>); false, at once, when none is ready.</summary>
    public bool TryReadNext(FrameRing.Cursor cursor, Span<byte> destination, out FrameMetadata metadata)
    {
        if (!cursor.TryTakeNext(destination, out metadata)) return false;
        RecordRead();
        return true;
    }

    /// <summary>Waits, without polling, until <paramref name="cursor"/> has a frame (true) or the stream ended (false).</summary>
    public ValueTask<bool> WaitForNextAsync(FrameRing.Cursor cursor, CancellationToken cancellationToken) =>
        _waiter.WaitUntilAsync(() => cursor.HasNext, cancellationToken);

    /// <summary>Copies the newest frames without consuming them, whatever the policy (tests, status).</summary>
    public int PeekNewest(int count, Span<byte> destination, Span<FrameMetadata> metadata) =>
        _ring.CopyNewest(Math.Min(count, _ring.Capacity), destination, metadata);

    /// <summary>
    /// The one wait: until a frame newer than <paramref name="afterSequence"/> is stored (true), the stream
    /// ends (false) or <paramref name="timeout"/> passes (false). No polling: the writer wakes the waiter.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public bool WaitForFrame(long afterSequence, TimeSpan timeout, CancellationToken cancellationToken) =>
        _waiter.WaitUntil(() => _ring.Published - 1 > afterSequence, timeout, cancellationToken);

    /// <summary>The port on a lossless ring: waits until its take cursor has <paramref name="count"/> frames, the stream ends or the writer stops.</summary>
    public void WaitForBatch(int count, CancellationToken cancellationToken) =>
        _waiter.WaitUntil(() => !Lossless || PortCursor.Untaken >= count || !_writer.IsRunning, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>The asynchronous form of <see cref="WaitForFrame"/>, without a timeout.</summary>
    public ValueTask<bool> WaitForFrameAsync(long afterSequence, CancellationToken cancellationToken) =>
        _waiter.WaitUntilAsync(() => _ring.Published - 1 > afterSequence, cancellationToken);

    /// <summary>Records the newest frame's age at this read (nothing while unobserved; allocates nothing).</summary>
    private void RecordRead() => StreamMetrics.RecordRead(_ring.NewestTimestamp, _metricTag);
}

/// <summary>The arrays an allocating read copies into (see <see cref="FrameReader.ReadNewest{T}"/>).</summary>
internal interface IFrameTarget
{
    Span<byte> Pixels { get; }
    Span<FrameMetadata> Metadata { get; }
}
