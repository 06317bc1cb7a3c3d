using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder;

/// <summary>
/// Records a stream without re-encoding it: the compressed video packets that a <see cref="VideoStream"/>
/// or an <see cref="MpegClient"/> already pulls are copied, as they are, into files (MP4, MKV, MPEG-TS...,
/// cut into segments at keyframes) or pushed to a server (RTMP, RTSP, SRT, UDP). One connection serves both
/// the decoded frames and the recording. Start one with <see cref="VideoStream.StartRecording"/> or
/// <see cref="MpegClient.StartRecording"/>.
/// </summary>
/// <example><code>
/// await using var camera = await VideoStream.OpenAsync("rtsp://camera/live");
/// await using var recorder = camera.StartRecording(new RecordingOptions
/// {
///     Path = "cam-{0:yyyyMMdd-HHmmss}.mp4",
///     SegmentDuration = TimeSpan.FromMinutes(5),
/// });
/// </code></example>
/// <remarks>
/// The recorder has its own thread. The stream's reader hands it references to the packets through a
/// bounded queue (<see cref="RecordingOptions.QueueCapacity"/>) and never waits for it, so a slow disk
/// or a stalled server never stalls decoding: a full queue drops packets up to the next keyframe, counted
/// in <see cref="Statistics"/>. Every file starts at a keyframe with timestamps rebased to start near 0.
/// After a reconnection the current file is finished and a new one starts at the new connection's first
/// keyframe. Only the video stream is recorded. All members are thread-safe.
/// </remarks>
public sealed class StreamRecorder : IDisposable, IAsyncDisposable
{
    private readonly PacketRecorder _engine;

    private StreamRecorder(PacketRecorder engine, RecordingOptions options)
    {
        _engine = engine;
        Options = options;
        _engine.FileFinished += file => FileFinished?.Invoke(this, file);
        _engine.FileDeleted += file => FileDeleted?.Invoke(this, file);
    }

    /// <summary>
    /// Attaches a recorder to <paramref name="session"/>'s packets. Recording continuously on a connected
    /// stream, the first file is opened (or the push connected) before this returns.
    /// </summary>
    /// <exception cref="RecordingException">The stream has ended, or the target cannot be written.</exception>
    internal static StreamRecorder Start(StreamSession session, RecordingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        PacketRecorder engine;
        try
        {
            engine = PacketRecorder.Create(options, session.Log);
        }
        catch (RecordingException)
        {
            session.Recordings.FailedToStart(); // a target that cannot be written is a failed recorder in the metrics
            throw;
        }
        var recorder = new StreamRecorder(engine, options);
        if (!session.AttachTap(engine))
        {
            engine.Discard();
            throw new ObjectDisposedException(nameof(VideoStream), "The stream is closed: there is nothing to record.");
        }
        // Looked at after attaching: a stream that ends from here on tells the attached recorder; one that ended
        // before never would, and the recorder would wait for packets forever.
        if (session.Ended)
        {
            session.DetachTap(engine);
            engine.Discard();
            throw new RecordingException($"The stream has ended ({session.EndReason}): there is nothing more to record.");
        }
        engine.Start(session.Recordings, () => session.DetachTap(engine));
        return recorder;
    }

    /// <summary>The options the recorder was started with.</summary>
    public RecordingOptions Options { get; }

    /// <summary>The file being written (or the address being pushed to, credentials hidden); null between files and events.</summary>
    public string? CurrentPath => _engine.CurrentPath;

    /// <summary>
    /// The newest <see cref="RecordingOptions.FilesKept"/> files finished (100 by default), oldest first. A file
    /// that got no packet (stopped or reconnected before the first keyframe) is removed from disk and never listed;
    /// one that <see cref="FileDeleted"/> reports is taken off the list.
    /// </summary>
    public IReadOnlyList<RecordedFile> Files => _engine.Files;

    /// <summary>Raised on the recorder's thread each time a file is finished (a segment cut, an event's end, a reconnection, the stop), never for one without a packet. Keep handlers short.</summary>
    public event EventHandler<RecordedFile>? FileFinished;

    /// <summary>
    /// Raised on the recorder's thread each time it deletes one of its files to stay within
    /// <see cref="RecordingOptions.MaxAge"/>, <see cref="RecordingOptions.MaxTotalBytes"/> or
    /// <see cref="RecordingOptions.MinFreeBytes"/> (also written to the stream's log). Keep handlers short.
    /// </summary>
    public event EventHandler<RecordedFileDeletedEventArgs>? FileDeleted;

    /// <summary>
    /// Packets received, dropped and written, bytes written, files finished. The recording counters of
    /// <see cref="MpegCoderMetrics"/> sum them over all the stream's recorders, with the files deleted and the failures.
    /// </summary>
    public RecordingStatistics Statistics => _engine.Statistics;

    /// <summary>
    /// Completes when the recorder has stopped: after <see cref="StopAsync()"/>, when its stream is disposed,
    /// or, faulted with a <see cref="RecordingException"/>, when writing failed (a full disk, with the system's
    /// "No space left on device"; a server that went away). The stream goes on decoding either way.
    /// </summary>
    public Task Completion => _engine.Completion;

    /// <summary>
    /// With <see cref="RecordingOptions.WaitForTrigger"/>: starts an event (a file holding the pre-event
    /// buffer, then what follows), or extends the running one by <see cref="RecordingOptions.PostEventDuration"/>.
    /// Returns at once; the recorder's thread does the writing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The recorder records continuously (<see cref="RecordingOptions.WaitForTrigger"/> is false).</exception>
    public void Trigger()
    {
        if (!Options.WaitForTrigger) throw new InvalidOperationException("This recorder records continuously; start it with WaitForTrigger = true to record on events.");
        _engine.Trigger();
    }

    /// <summary>
    /// Ends the running event now: its file is finished and the recorder goes back to buffering. No effect
    /// between events. Calls take effect in their order: <see cref="EndEvent"/> then <see cref="Trigger"/> leaves an event running.
    /// </summary>
    public void EndEvent() => _engine.EndEvent();

    /// <summary>
    /// Stops recording: writes what is queued, finishes the file (its trailer, the MP4 index) and detaches
    /// from the stream. Completes with <see cref="Completion"/>; throws its <see cref="RecordingException"/>
    /// if writing had failed. From the stop on, a write that makes no progress for 1 s fails (a stalled
    /// server), so the stop never waits for the whole <see cref="RecordingOptions.IoTimeout"/>.
    /// </summary>
    public Task StopAsync() => StopAsync(CancellationToken.None);

    /// <summary>Stops recording as <see cref="StopAsync()"/> does, waiting until <paramref name="cancellationToken"/> is cancelled at most.</summary>
    /// <param name="cancellationToken">Ends the wait (with <see cref="OperationCanceledException"/>), not the stop: the recorder still finishes the file, and <see cref="Completion"/> tells when.</param>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _engine.RequestStop();
        return Completion.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Stops like <see cref="StopAsync()"/> and waits, at most 5 s; a write failure is not thrown here (see
    /// <see cref="Completion"/>). Called from a <see cref="FileFinished"/> handler, it asks for the stop and
    /// returns at once. Any thread, any number of times.
    /// </summary>
    public void Dispose()
    {
        _engine.RequestStop();
        _engine.WaitForEnd();
    }

    /// <summary>Stops like <see cref="StopAsync()"/>; a write failure is not thrown here (see <see cref="Completion"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        _engine.RequestStop();
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (RecordingException)
        {
            // Reported by Completion and StopAsync.
        }
    }
}
