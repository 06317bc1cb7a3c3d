using System.Diagnostics;
using System.Diagnostics.Metrics;
using MpegCoder.Pipeline;

namespace MpegCoder;

/// <summary>
/// The names of the library's metrics (System.Diagnostics.Metrics). Every open stream, of
/// <see cref="VideoStream"/> and of <see cref="MpegClient"/> alike, reports under the meter
/// <see cref="MeterName"/>, each measurement tagged <c>camera</c> with <see cref="StreamOptions.Name"/>
/// (or the address with credentials hidden). Collect them with OpenTelemetry
/// (<c>AddMeter(MpegCoderMetrics.MeterName)</c>), dotnet-counters or a <see cref="MeterListener"/>.
/// </summary>
/// <remarks>
/// The meter is opt-in: <see cref="Enable"/> creates it (MpegCoder.Hosting does so itself), and until
/// then the library creates no <see cref="Meter"/> at all. Once enabled it costs nothing while nobody
/// listens: the counters and gauges are observable (read from each stream's own counters when a
/// collector asks), and the two histograms are recorded off the writer's per-frame path (at opens, and
/// at reads), without allocating. Streams opened before <see cref="Enable"/> report too.
/// </remarks>
public static class MpegCoderMetrics
{
    /// <summary>
    /// Creates the meter <see cref="MeterName"/> and its instruments, once per process; later calls do
    /// nothing. Call it at start-up, before or after opening streams.
    /// </summary>
    public static void Enable() => StreamMetrics.Enable();

    /// <summary>Whether <see cref="Enable"/> has been called.</summary>
    public static bool IsEnabled => StreamMetrics.IsEnabled;

    /// <summary>The meter's name: "MpegCoder".</summary>
    public const string MeterName = "MpegCoder";

    /// <summary>The tag every measurement carries: the stream's name.</summary>
    public const string CameraTag = "camera";

    /// <summary>Frames the decoder produced (observable counter, {frame}).</summary>
    public const string FramesDecoded = "mpegcoder.frames.decoded";

    /// <summary>Frames stored in the ring (observable counter, {frame}).</summary>
    public const string FramesStored = "mpegcoder.frames.stored";

    /// <summary>Frames the frame-rate selector dropped (observable counter, {frame}).</summary>
    public const string FramesDropped = "mpegcoder.frames.dropped";

    /// <summary>Damaged frames and rejected packets (observable counter, {frame}).</summary>
    public const string FramesCorrupt = "mpegcoder.frames.corrupt";

    /// <summary>Successful reconnections (observable counter, {reconnect}).</summary>
    public const string Reconnects = "mpegcoder.reconnects";

    /// <summary>
    /// The stream's state (observable gauge, {stream}): one measurement per <see cref="StreamState"/>,
    /// tagged <c>state</c> (lower case), 1 for the current state and 0 for the others.
    /// </summary>
    public const string State = "mpegcoder.stream.state";

    /// <summary>How old the newest stored frame is now (observable gauge, s); nothing before the first frame.</summary>
    public const string NewestFrameAge = "mpegcoder.frame.newest_age";

    /// <summary>How old the newest stored frame was at each read of the stream (histogram, s).</summary>
    public const string FrameAge = "mpegcoder.frame.age";

    /// <summary>
    /// How long each open took: the first open and every reconnection attempt (histogram, s), tagged
    /// <c>result</c> = <c>success</c> or <c>failure</c>.
    /// </summary>
    public const string OpenDuration = "mpegcoder.stream.open.duration";
}

/// <summary>
/// The streams <see cref="MpegCoderMetrics"/> observe (every <see cref="StreamSession"/> registers itself
/// when made and leaves when disposed), and the instruments, made by <see cref="Enable"/>.
/// </summary>
internal static class StreamMetrics
{
    private static readonly object Gate = new();
    private static readonly List<StreamSession> Live = [];
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
        lock (Gate) Live.Add(session);
    }

    public static void Remove(StreamSession session)
    {
        lock (Gate) Live.Remove(session);
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

    private static StreamSession[] Snapshot()
    {
        lock (Gate) return Live.ToArray();
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
            _meter.CreateObservableGauge(MpegCoderMetrics.State, ObserveStates, "{stream}",
                "1 for the stream's current state, 0 for the others (tag state).");
            _meter.CreateObservableGauge(MpegCoderMetrics.NewestFrameAge, ObserveAges, "s", "How old the newest stored frame is.");
        }

        public Histogram<double> FrameAge { get; }
        public Histogram<double> OpenDuration { get; }

        private void Counter(string name, string unit, string description, Func<StreamStatistics, long> value) =>
            _meter.CreateObservableCounter(name, () => Snapshot().Select(s => new Measurement<long>(value(s.Statistics), s.MetricTag)), unit, description);

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
