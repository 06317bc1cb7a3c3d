using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MpegCoder.Decoding;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;
using MpegCoder.Lifecycle;
using MpegCoder.Native;
using MpegCoder.Streaming;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Recording;

/// <summary>
/// The recording engine behind <see cref="StreamRecorder"/>: a packet tap on the stream's writer thread
/// that hands references to the video packets (and the audio's, when recorded) through a bounded
/// <see cref="PacketQueue"/> to its own thread, which copies them (no decoding) into files or a push:
/// segments cut at keyframes, a pre-event buffer (<see cref="PacketHistory"/>), events started by
/// triggers, timestamps filled in (<see cref="PacketClock"/>, one per stream), the two streams put in
/// time order (<see cref="PacketInterleaver"/>) so a cut splits the audio at the keyframe's instant,
/// timestamps rebased so each file starts at 0, and a new file at the first keyframe of every new connection.
/// </summary>
/// <remarks>
/// Threads: the stream's writer calls <see cref="Offer"/>, <see cref="SourceStarted"/> and
/// <see cref="SourceEnded"/>; any thread calls <see cref="Trigger"/>, <see cref="EndEvent"/> and
/// <see cref="RequestStop"/>; everything else (the files, the history, the clock) belongs to the
/// recorder's thread. The writer never waits for the recorder: a full queue drops packets.
/// Every native object is freed exactly once: the queue's packets by <see cref="PacketQueue.Dispose"/>
/// (after the tap is detached, under the queue's lock), the rest by the recorder's thread when it ends.
/// </remarks>
internal sealed unsafe class PacketRecorder : IPacketTap
{
    private readonly RecordingOptions _options;
    private readonly RecordingTarget _target;
    private readonly RecordingRetention? _retention;   // null without limits
    private readonly StreamLog _streamLog;   // the stream's logger: deletions and sync failures
    private readonly PacketQueue _queue;
    private readonly PacketHistory _history;
    private readonly PacketInterleaver _interleaver = new();
    private readonly PacketHandle _packet = PacketHandle.Allocate();
    private readonly FFmpegLayout _layout = FFmpegLoader.Layout;
    private readonly object _sourcesGate = new();
    private readonly List<RecordingSource> _sources = [];   // every source made, freed when the thread ends
    private readonly Queue<RecordedFile> _files = new();   // the newest FilesKept finished files
    private readonly FFmpegLogCapture _log = new();   // FFmpeg's lines on the recorder's thread, for error messages
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private Action? _detach;
    private RecordingTotals? _totals; // the stream's: told when the thread ends

    /// <summary>
    /// The interrupt of every output the recorder's thread writes, one after the other. A stop hurries it
    /// (<see cref="StreamInterrupt.Hurry"/>): the queue and the trailer are still written while they make
    /// progress, and a write that stalls <see cref="StopIoTimeout"/> gives up, so a stop never waits the
    /// whole I/O timeout of a stalled server.
    /// </summary>
    private readonly StopRequest _io = new();

    /// <summary>How long one write may stall once the recorder is asked to stop.</summary>
    public static readonly TimeSpan StopIoTimeout = TimeSpan.FromSeconds(1);

    // Written by the writer or the caller, read by the recorder's thread.
    private volatile RecordingSource? _offered;
    private volatile RecordingSource? _ended;
    private volatile bool _stop;
    private readonly EventCommands _commands = new();
    private long _lastTrigger; // Stopwatch timestamp

    // The recorder's thread only.
    private RecordingSource? _current;
    private PacketClock? _clock;
    private PacketClock? _audioClock;
    private bool _audioLeftOutTold;
    private RecordingFile? _file;
    private RecordingSource? _endHandled;
    private bool _eventActive;
    private long _segmentTicks;
    private long _written, _bytes, _deleted;
    private int _finished;

    private PacketRecorder(RecordingOptions options, RecordingTarget target, StreamLog log)
    {
        _options = options;
        _target = target;
        _streamLog = log;
        _retention = RecordingRetention.For(options);
        _history = new PacketHistory(options.MaxPreEventBytes);
        try
        {
            _queue = new PacketQueue(options.QueueCapacity);
        }
        catch
        {
            _packet.Dispose();
            throw;
        }
    }

    /// <summary>Raised on the recorder's thread for each finished file.</summary>
    public event Action<RecordedFile>? FileFinished;

    /// <summary>Raised on the recorder's thread for each file retention deleted.</summary>
    public event Action<RecordedFileDeletedEventArgs>? FileDeleted;

    /// <summary>Whether the caller is the recorder's own thread (a FileFinished handler), which must not wait for itself.</summary>
    public bool OnRecorderThread => Thread.CurrentThread == _thread;

    /// <summary>Completes when the recorder's thread has ended: faulted with a <see cref="RecordingException"/> if a write failed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The path (or redacted address) of the file being written, or null.</summary>
    public string? CurrentPath { get; private set; }

    public IReadOnlyList<RecordedFile> Files
    {
        get { lock (_files) return [.. _files]; }
    }

    public RecordingStatistics Statistics => new()
    {
        PacketsReceived = _queue.Received,
        PacketsDropped = _queue.Dropped,
        PacketsWritten = Volatile.Read(ref _written),
        BytesWritten = Volatile.Read(ref _bytes),
        FilesFinished = Volatile.Read(ref _finished),
    };

    /// <summary>What the recording metrics count of this recorder so far; never a failure (<see cref="RecordingTotals"/> counts that as it ends).</summary>
    public RecorderCounts Counts => new(Volatile.Read(ref _bytes), Volatile.Read(ref _finished), _queue.Dropped, Volatile.Read(ref _deleted), 0);

    /// <summary>
    /// A recorder for <paramref name="options"/> (validated), once its target is checked (container, folder)
    /// without opening it; it writes what it deletes and what fails to sync to <paramref name="log"/>.
    /// </summary>
    /// <exception cref="RecordingException">The target cannot be written.</exception>
    /// <exception cref="ArgumentException">The path is not a valid format string.</exception>
    public static PacketRecorder Create(RecordingOptions options, StreamLog log) => new(options, RecordingTarget.Check(options), log);

    /// <summary>
    /// Starts the recorder's thread, which opens the first output at once when recording continuously on a
    /// connected stream; waits for that open. <paramref name="detach"/> is called when the thread ends, and
    /// the recorder's final counts go to <paramref name="totals"/> (its stream's) then.
    /// </summary>
    /// <exception cref="RecordingException">The first output could not be opened; everything is released.</exception>
    public void Start(RecordingTotals totals, Action detach)
    {
        _detach = detach;
        _totals = totals;
        totals.Started(this);
        _thread = new Thread(Run) { IsBackground = true, Name = "MpegCoder recorder" };
        _thread.Start();
        try
        {
            _ready.Task.GetAwaiter().GetResult();
        }
        catch (RecordingException)
        {
            _thread.Join();
            throw;
        }
    }

    // ---- the tap: the stream's side ----

    public void SourceStarted(StreamSource source)
    {
        if (_stop) return;
        var made = new RecordingSource(source, _options.Audio);
        lock (_sourcesGate) _sources.Add(made);
        _offered = made;
    }

    public void SourceEnded()
    {
        _ended = _offered;
        _offered = null;
        _queue.Wake();
    }

    public void Offer(AVPacket* packet)
    {
        if (_offered is { } source && !_stop && source.Records(new AVPacketFields(packet, _layout).stream_index))
            _queue.Offer(packet, source);
    }

    public void StreamClosed()
    {
        SourceEnded();
        RequestStop();
    }

    // ---- commands: any thread ----

    public void Trigger()
    {
        Volatile.Write(ref _lastTrigger, Stopwatch.GetTimestamp());
        _commands.Trigger();
        _queue.Wake();
    }

    public void EndEvent()
    {
        _commands.EndEvent();
        _queue.Wake();
    }

    /// <summary>Asks the thread to write what is queued, finish the file and end.</summary>
    public void RequestStop()
    {
        _stop = true;
        _io.Interrupt.Hurry(StopIoTimeout);
        _queue.Wake();
    }

    /// <summary>
    /// Waits for the recorder's thread to end, at most <see cref="StopRequest.JoinTimeout"/>; never on the
    /// recorder's own thread (a FileFinished handler). True when it has ended.
    /// </summary>
    public bool WaitForEnd() =>
        !OnRecorderThread && ((IAsyncResult)_completion.Task).AsyncWaitHandle.WaitOne(StopRequest.JoinTimeout);

    // ---- the recorder's thread ----

    private void Run()
    {
        using var capture = FFmpegLog.Capture(_log);
        RecordingException? failure = null;
        try
        {
            if (!_options.WaitForTrigger && _offered is { } connected)
            {
                UseSource(connected);
                OpenFile(DateTimeOffset.Now); // a target that cannot be written fails StartRecording itself
            }
            _ready.TrySetResult();
            while (true)
            {
                var ended = _ended; // read before the queue: the source's packets were queued before it ended
                HandleCommands();
                if (_queue.TryTake(_packet.Ptr, out var source, out long arrival))
                {
                    Handle(source!, arrival);
                    continue;
                }
                if (ended is not null && ended != _endHandled && ended == _current)
                {
                    _endHandled = ended;
                    ReleaseInterleaved(flush: true);
                    FinishFile(); // a reconnection, or the end of the stream: the next source starts a new file
                }
                if (_eventActive && EventOver(Stopwatch.GetTimestamp())) EndEventNow();
                if (_retention is { Due: true }) ApplyRetention();
                if (_stop) break;
                _queue.Wait(100);
            }
            ReleaseInterleaved(flush: true);
            FinishFile();
        }
        catch (Exception e)
        {
            failure = e as RecordingException ?? (e is EncoderException ? Failure($"The recording stopped: {e.Message}")
                : new RecordingException($"The recording failed: {AddressRedaction.RedactText(e.Message)}", e));
            _stop = true;
            _file?.Dispose(); // without a trailer: the output failed
            _file = null;
            CurrentPath = null;
        }
        finally
        {
            // Detached before the queue is freed: a writer still holding the old tap list finds the queue disposed.
            _detach?.Invoke();
            ReleaseBuffers();
        }
        // After the last count changed (the queue is disposed, this thread writes no more), and before the
        // completion: whoever awaits the stop reads totals that hold the whole of this recorder.
        _totals?.Ended(this, failed: failure is not null);
        // Completed only now, so that whoever awaits the stop finds everything released.
        if (failure is null)
        {
            _ready.TrySetResult();
            _completion.TrySetResult();
        }
        else
        {
            _ready.TrySetException(failure);
            _completion.TrySetException(failure);
        }
    }

    /// <summary>Carries out the triggers and ends asked for since the last look, in the order they were asked.</summary>
    private void HandleCommands()
    {
        var (triggerBefore, end, triggerAfter) = _commands.Take();
        if (triggerBefore && !_eventActive) StartEvent();
        if (end && _eventActive) EndEventNow();
        if (triggerAfter && !_eventActive) StartEvent();
    }

    private void Handle(RecordingSource source, long arrival)
    {
        AVPacket* packet = _packet.Ptr;
        if (source != _current) UseSource(source);
        var p = new AVPacketFields(packet, _layout);
        bool audio = p.stream_index != source.VideoIndex;
        (audio ? _audioClock! : _clock!).Fix(packet);
        if (!source.HasAudio)
        {
            Process(packet, audio: false, arrival);
            return;
        }
        _interleaver.Add(packet, audio, arrival, (audio ? source.AudioTime(p.dts) : source.Time(p.dts)).Ticks);
        ReleaseInterleaved(flush: false);
    }

    /// <summary>Handles the packets the interleaver lets go, in time order; <paramref name="flush"/>: all of them (the source ends).</summary>
    private void ReleaseInterleaved(bool flush)
    {
        while (_interleaver.TryTake(flush, out var entry))
        {
            try
            {
                Process(entry.Packet.Ptr, entry.Audio, entry.Arrival);
            }
            finally
            {
                _interleaver.Return(entry.Packet);
            }
        }
    }

    /// <summary>One packet in time order: kept for an event that may come, or recorded.</summary>
    private void Process(AVPacket* packet, bool audio, long arrival)
    {
        bool key = !audio && (new AVPacketFields(packet, _layout).flags & AV_PKT_FLAG_KEY) != 0;
        if (_options.WaitForTrigger)
        {
            if (_eventActive && EventOver(arrival)) EndEventNow();
            if (!_eventActive)
            {
                if (_options.PreEventBuffer > TimeSpan.Zero) _history.Add(packet, key, audio, arrival);
                else ffmpeg.av_packet_unref(packet);
                return;
            }
        }
        Record(packet, key, audio, arrival);
    }

    /// <summary>A new connection: its packets start a new file at their first keyframe, and the history of the old one is forgotten.</summary>
    private void UseSource(RecordingSource source)
    {
        ReleaseInterleaved(flush: true); // the old source's last packets, into its file
        FinishFile();
        _history.Clear();
        _current = source;
        _clock = new PacketClock(source.FrameTicks);
        _audioClock = source.HasAudio ? new PacketClock(0) : null;
        _history.Keep(source.Ticks(_options.PreEventBuffer));
        // Half a frame early: RTP timestamps jitter by a tick or two, and a keyframe stamped 1.99999 s after the
        // segment's start is the one a 2 s segment means to cut at.
        _segmentTicks = _options.SegmentDuration is { } d ? Math.Max(1, source.Ticks(d) - source.FrameTicks / 2) : 0;
        lock (_sourcesGate)
        {
            // Sources older than this one are done with (a packet never goes back to an older connection).
            int index = _sources.IndexOf(source);
            for (int i = 0; i < index; i++) _sources[i].Dispose();
            if (index > 0) _sources.RemoveRange(0, index);
        }
    }

    /// <summary>
    /// Writes a packet with its timestamps filled in: cuts a segment at a keyframe, opens a file at a
    /// keyframe; an audio packet goes to the file being written (none before its first keyframe).
    /// </summary>
    private void Record(AVPacket* packet, bool key, bool audio, long arrival)
    {
        var p = new AVPacketFields(packet, _layout);
        if (audio)
        {
            int audioSize = p.size;
            if (_file is null) ffmpeg.av_packet_unref(packet);
            else if (_file.WriteAudio(packet)) Counted(audioSize);
            return;
        }
        if (_file is { Started: true } && key && _segmentTicks > 0 && p.pts - _file.StartPts >= _segmentTicks)
            FinishFile();
        if (!key && _file is not { Started: true })
        {
            ffmpeg.av_packet_unref(packet); // a file starts at a keyframe
            return;
        }
        _file ??= OpenFile(DateTimeOffset.Now - Stopwatch.GetElapsedTime(arrival));
        int size = p.size;
        _file.Write(packet, arrival);
        if (_file.TakeSyncFailure() is { } syncFailure) Warn(syncFailure);
        Counted(size);
    }

    private void Counted(int size)
    {
        Volatile.Write(ref _written, _written + 1);
        Volatile.Write(ref _bytes, _bytes + size);
    }

    private void StartEvent()
    {
        _eventActive = true;
        while (_history.TryTake(out var entry))
        {
            try
            {
                Record(entry.Packet.Ptr, entry.Key, entry.Audio, entry.Arrival);
            }
            finally
            {
                _history.Return(entry.Packet);
            }
        }
    }

    private bool EventOver(long now) =>
        _options.PostEventDuration is { } post && now - Volatile.Read(ref _lastTrigger) > post.TotalSeconds * Stopwatch.Frequency;

    private void EndEventNow()
    {
        FinishFile();
        _eventActive = false;
    }

    private RecordingFile OpenFile(DateTimeOffset time)
    {
        Debug.Assert(_current is not null && _file is null);
        string path = _target.Next(time);
        try
        {
            _log.Reset();
            _file = RecordingFile.Open(path, _current, _options.FFmpegOptions, _options.CrashSafe, _options.IoTimeout, _io.Interrupt);
        }
        catch (EncoderException e)
        {
            throw Failure($"Cannot record to '{AddressRedaction.Redact(path)}': {e.Message}");
        }
        CurrentPath = _file.Path;
        if (_file.AudioLeftOut is { } why && !_audioLeftOutTold)
        {
            _audioLeftOutTold = true; // once per recorder: every file of the recording is the same
            Warn($"the source's audio is left out: {why}; recording the video alone (Matroska carries every audio codec)");
        }
        return _file;
    }

    private void FinishFile()
    {
        var file = _file;
        if (file is null) return;
        _file = null;
        CurrentPath = null;
        if (!file.Started && !file.IsPush)
        {
            // No packet came (a stop or a reconnection before the first keyframe): a header alone is no recording.
            file.Dispose();
            file.Remove();
            return;
        }
        RecordedFile done;
        try
        {
            done = file.Finish();
        }
        catch (EncoderException e)
        {
            throw Failure($"Cannot finish '{file.Path}': {e.Message}");
        }
        finally
        {
            if (file.TakeSyncFailure() is { } syncFailure) Warn(syncFailure);
            file.Dispose();
        }
        if (done.Packets == 0) return; // a push that ended before its first keyframe: nothing to report
        Interlocked.Increment(ref _finished);
        lock (_files)
        {
            if (_files.Count == _options.FilesKept) _files.Dequeue();
            _files.Enqueue(done);
        }
        Raise(FileFinished, done, nameof(FileFinished));
        ApplyRetention();
    }

    /// <summary>Deletes the oldest finished files while a limit of the options is broken (see <see cref="RecordingRetention"/>).</summary>
    private void ApplyRetention()
    {
        // The retention and the file being written belong to this thread: no other may delete while it writes.
        Debug.Assert(OnRecorderThread);
        _retention?.Enforce(_file?.Path, Deleted, Warn);
    }

    private void Deleted(RecordedFileDeletedEventArgs file)
    {
        string limit = file.Reason switch
        {
            RetentionLimit.MaxAge => $"last written more than MaxAge ({_options.MaxAge}) ago",
            RetentionLimit.MaxTotalBytes => $"the recorder's files held more than MaxTotalBytes ({_options.MaxTotalBytes} bytes)",
            _ => $"the disk had less than MinFreeBytes ({_options.MinFreeBytes} bytes) free",
        };
        Volatile.Write(ref _deleted, _deleted + 1); // this thread is the only writer
        _streamLog.Write(LogLevel.Information, $"recorder deleted '{file.Path}' ({file.Bytes} bytes, last written {file.LastWritten:yyyy-MM-dd HH:mm:ss}): {limit}");
        lock (_files)
        {
            // Files lists what is on disk: a file deleted is taken off (a rare rebuild of at most FilesKept entries).
            var kept = _files.Where(f => !string.Equals(Path.GetFullPath(f.Path), file.Path, StringComparison.Ordinal)).ToList();
            if (kept.Count != _files.Count)
            {
                _files.Clear();
                foreach (var f in kept) _files.Enqueue(f);
            }
        }
        Raise(FileDeleted, file, nameof(FileDeleted));
    }

    /// <summary>Raises one of the recorder's events on its thread: a handler that throws is logged, and the recording goes on.</summary>
    private void Raise<T>(Action<T>? handler, T args, string name)
    {
        try
        {
            handler?.Invoke(args);
        }
        catch (Exception e)
        {
            Warn($"a {name} handler threw: {e.Message}");
        }
    }

    private void Warn(string message) => _streamLog.Write(LogLevel.Warning, $"recorder: {message}");

    /// <summary>The exception for <paramref name="message"/>, with FFmpeg's last warning and error lines.</summary>
    private RecordingException Failure(string message) =>
        new(AddressRedaction.RedactText(_log.Text() is { } lines ? $"{message} (FFmpeg: {lines})" : message));

    /// <summary>Frees what a recorder that never started holds (its stream refused the tap, or had ended); after detaching.</summary>
    public void Discard()
    {
        _stop = true; // a writer still holding the old tap list makes no new source
        ReleaseBuffers();
    }

    /// <summary>Frees the queue, the pre-event buffer, the packet and the sources; once the taps are detached.</summary>
    private void ReleaseBuffers()
    {
        _queue.Dispose();
        _history.Dispose();
        _interleaver.Dispose();
        _packet.Dispose();
        lock (_sourcesGate)
        {
            foreach (var s in _sources) s.Dispose();
            _sources.Clear();
        }
    }
}
