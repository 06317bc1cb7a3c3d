using System.Diagnostics.Metrics;
using MpegCoder.Streaming;

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
/// listens: the counters and gauges are observable (read from each stream's own counters, and its
/// recorders', when a collector asks), and the two histograms are recorded off the writer's per-frame
/// path (at opens, and at reads), without allocating. Streams opened before <see cref="Enable"/> report too.
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

    // The recording instruments: every StreamRecorder of a stream, summed since the stream was opened (the
    // recorders that ended included, so the counters never go down); only streams that have had a recorder report them.

    /// <summary>Bytes of compressed video and audio the stream's recorders wrote (observable counter, By).</summary>
    public const string RecordingBytes = "mpegcoder.recording.bytes";

    /// <summary>Files (or pushes) the stream's recorders finished (observable counter, {file}).</summary>
    public const string RecordingFiles = "mpegcoder.recording.files";

    /// <summary>Packets the stream's recorders dropped because the disk or the server did not keep up (observable counter, {packet}).</summary>
    public const string RecordingPacketsDropped = "mpegcoder.recording.packets.dropped";

    /// <summary>Files the stream's recorders deleted to stay within MaxAge, MaxTotalBytes or MinFreeBytes (observable counter, {file}).</summary>
    public const string RecordingFilesDeleted = "mpegcoder.recording.files.deleted";

    /// <summary>
    /// The stream's recorders that failed, each once (observable counter, {failure}): a target that could not
    /// be written at the start, or a write that failed later.
    /// </summary>
    public const string RecordingFailures = "mpegcoder.recording.failures";
}
