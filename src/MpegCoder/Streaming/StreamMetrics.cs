using System.Diagnostics;
using System.Diagnostics.Metrics;
using MpegCoder.Recording;

namespace MpegCoder.Streaming;

/// <summary>
/// The streams <see cref="MpegCoderMetrics"/> observe (every <see cref="StreamSession"/> registers itself
/// when made and leaves when disposed), and the instruments, made by <see cref="Enable"/>.
/// </summary>
/// <remarks>
/// The list holds weak references: a stream its owner dropped without disposing it must stay collectable
/// (its ring and native handles freed by their finalizers), metrics or not. Dead entries are pruned at
/// each registration and each collection.
/// </remarks>
internal static class StreamMetrics
{
    private static readonly object Gate = new();
    private static readonly List<WeakReference<StreamSession>> Live = [];
    private static volatile Instruments? _instruments;

    public static bool IsEnabled => _instruments is not null;

    public static void Enable()
    {
        if (_instruments is not null) return;
        lock (Gate) _instruments ??= new Instruments();
    }

    /// <summary>The <c>camera</c> tag of a stream: its name, or its address with credentials hidden.</summary>
    public static KeyValuePair<string, object?> CameraTag(StreamOptions settings, string url) =>
        new(MpegCoderMetrics.CameraTag, settings.Name ?? AddressRedaction.Redact(url));

    public static void Add(StreamSession session)
    {
        lock (Gate)
        {
            Live.RemoveAll(r => !r.TryGetTarget(out _));
            Live.Add(new WeakReference<StreamSession>(session));
        }
    }

    public static void Remove(StreamSession session)
    {
        lock (Gate) Live.RemoveAll(r => !r.TryGetTarget(out var s) || ReferenceEquals(s, session));
    }

    /// <summary>Records an open that began at <paramref name="started"/> (a Stopwatch timestamp). Cold path.</summary>
    public static void RecordOpen(long started, bool succeeded, KeyValuePair<string, object?> camera)
    {
        if (_instruments is { OpenDuration.Enabled: true } i)
            i.OpenDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, camera, succeeded ? Instruments.Success : Instruments.Failure);
    }

    /// <summary>Records the newest frame's age at a read; allocation-free (one cached tag), nothing while unobserved.</summary>
    public static void RecordRead(long newestTimestamp, KeyValuePair<string, object?> camera)
    {
        if (newestTimestamp != 0 && _instruments is { FrameAge.Enabled: true } i)
            i.FrameAge.Record(Stopwatch.GetElapsedTime(newestTimestamp).TotalSeconds, camera);
    }

    private static List<StreamSession> Snapshot()
    {
        var live = new List<StreamSession>();
        lock (Gate)
            Live.RemoveAll(r =>
            {
                if (!r.TryGetTarget(out var s)) return true;
                live.Add(s);
                return false;
            });
        return live;
    }

    /// <summary>Streams registered and not yet collected (tests).</summary>
    internal static int Registered
    {
        get { lock (Gate) return Live.Count(r => r.TryGetTarget(out _)); }
    }

    /// <summary>The meter and its instruments: the observable ones read <see cref="Live"/> when collected.</summary>
    private sealed class Instruments
    {
        private static readonly StreamState[] States = Enum.GetValues<StreamState>();
        private static readonly KeyValuePair<string, object?>[] StateTags =
            States.Select(s => new KeyValuePair<string, object?>("state", s.ToString().ToLowerInvariant())).ToArray();
        public static readonly KeyValuePair<string, object?> Success = new("result", "success");
        public static readonly KeyValuePair<string, object?> Failure = new("result", "failure");

        private readonly Meter _meter = new(MpegCoderMetrics.MeterName, typeof(StreamMetrics).Assembly.GetName().Version?.ToString());

        public Instruments()
        {
            FrameAge = _meter.CreateHistogram<double>(MpegCoderMetrics.FrameAge, "s", "How old the newest stored frame was at each read of the stream.");
            OpenDuration = _meter.CreateHistogram<double>(MpegCoderMetrics.OpenDuration, "s", "How long each open (first open or reconnection attempt) took.");
            Counter(MpegCoderMetrics.FramesDecoded, "{frame}", "Frames the decoder produced.", s => s.FramesDecoded);
            Counter(MpegCoderMetrics.FramesStored, "{frame}", "Frames stored in the ring.", s => s.FramesStored);
            Counter(MpegCoderMetrics.FramesDropped, "{frame}", "Frames the frame-rate selector dropped.", s => s.FramesDropped);
            Counter(MpegCoderMetrics.FramesCorrupt, "{frame}", "Damaged frames and rejected packets.", s => s.FramesCorrupt);
            Counter(MpegCoderMetrics.Reconnects, "{reconnect}", "Successful reconnections.", s => s.Reconnects);
            Recording(MpegCoderMetrics.RecordingBytes, "By", "Bytes the stream's recorders wrote.", c => c.BytesWritten);
            Recording(MpegCoderMetrics.RecordingFiles, "{file}", "Files the stream's recorders finished.", c => c.FilesFinished);
            Recording(MpegCoderMetrics.RecordingPacketsDropped, "{packet}", "Packets the stream's recorders dropped (the disk or the server did not keep up).",
                c => c.PacketsDropped);
            Recording(MpegCoderMetrics.RecordingFilesDeleted, "{file}", "Files retention deleted.", c => c.FilesDeleted);
            Recording(MpegCoderMetrics.RecordingFailures, "{failure}", "Recorders that failed.", c => c.Failures);
            _meter.CreateObservableGauge(MpegCoderMetrics.State, ObserveStates, "{stream}",
                "1 for the stream's current state, 0 for the others (tag state).");
            _meter.CreateObservableGauge(MpegCoderMetrics.NewestFrameAge, ObserveAges, "s", "How old the newest stored frame is.");
        }

        public Histogram<double> FrameAge { get; }
        public Histogram<double> OpenDuration { get; }

        private void Counter(string name, string unit, string description, Func<StreamStatistics, long> value) =>
            _meter.CreateObservableCounter(name, () => Snapshot().Select(s => new Measurement<long>(value(s.Statistics), s.MetricTag)), unit, description);

        /// <summary>A recording counter: streams that have had a recorder, each with its recorders' totals (ended ones included).</summary>
        private void Recording(string name, string unit, string description, Func<RecorderCounts, long> value) =>
            _meter.CreateObservableCounter(name, () => Snapshot().Where(s => s.Recordings.Any)
                .Select(s => new Measurement<long>(value(s.Recordings.Read()), s.MetricTag)), unit, description);

        private static IEnumerable<Measurement<int>> ObserveStates()
        {
            foreach (var session in Snapshot())
            {
                var state = session.State;
                for (int i = 0; i < States.Length; i++)
                    yield return new Measurement<int>(States[i] == state ? 1 : 0, session.MetricTag, StateTags[i]);
            }
        }

        private static IEnumerable<Measurement<double>> ObserveAges()
        {
            foreach (var session in Snapshot())
                if (session.NewestTimestamp != 0)
                    yield return new Measurement<double>(Stopwatch.GetElapsedTime(session.NewestTimestamp).TotalSeconds, session.MetricTag);
        }
    }
}
