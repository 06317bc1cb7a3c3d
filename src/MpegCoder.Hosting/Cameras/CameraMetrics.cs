using System.Diagnostics.Metrics;

namespace MpegCoder.Hosting;

/// <summary>
/// The names of the hosting package's metrics: every configured camera's state, whether or not its
/// stream has ever opened (the core meter, <see cref="MpegCoderMetrics"/>, reports streams only once open).
/// The recording instruments named here are reported by the core meter since 1.1.0, for every recorded stream.
/// </summary>
public static class MpegCoderHostingMetrics
{
    /// <summary>The meter's name: "MpegCoder.Hosting".</summary>
    public const string MeterName = "MpegCoder.Hosting";

    /// <summary>
    /// Each configured camera's state (observable gauge, {camera}): one measurement per
    /// <see cref="StreamState"/>, tagged <c>camera</c> and <c>state</c> (lower case), 1 for the current
    /// state and 0 for the others, from <see cref="ICameraRegistry.GetStatuses"/>.
    /// </summary>
    public const string CameraState = "mpegcoder.camera.state";

    /// <summary>
    /// Bytes a recording camera's recorders wrote (observable counter, By), tagged <c>camera</c>. Reported
    /// on the core meter (<see cref="MpegCoderMetrics.MeterName"/>) since 1.1.0: <see cref="MpegCoderMetrics.RecordingBytes"/>.
    /// </summary>
    public const string RecordingBytes = "mpegcoder.recording.bytes";

    /// <summary>
    /// Files a recording camera's recorders finished (observable counter, {file}), tagged <c>camera</c>. Reported
    /// on the core meter (<see cref="MpegCoderMetrics.MeterName"/>) since 1.1.0: <see cref="MpegCoderMetrics.RecordingFiles"/>.
    /// </summary>
    public const string RecordingFiles = "mpegcoder.recording.files";

    /// <summary>
    /// Packets a recording camera's recorders dropped because the disk could not keep up (observable counter,
    /// {packet}), tagged <c>camera</c>. Reported on the core meter (<see cref="MpegCoderMetrics.MeterName"/>)
    /// since 1.1.0: <see cref="MpegCoderMetrics.RecordingPacketsDropped"/>.
    /// </summary>
    public const string RecordingPacketsDropped = "mpegcoder.recording.packets.dropped";

    /// <summary>
    /// Files retention deleted (MaxAge, MaxTotalBytes, MinFreeBytes; observable counter, {file}), tagged <c>camera</c>.
    /// Reported on the core meter (<see cref="MpegCoderMetrics.MeterName"/>) since 1.1.0: <see cref="MpegCoderMetrics.RecordingFilesDeleted"/>.
    /// </summary>
    public const string RecordingFilesDeleted = "mpegcoder.recording.files.deleted";

    /// <summary>
    /// Recorders that failed (each followed by a restart after the camera's RestartDelay; observable counter,
    /// {failure}), tagged <c>camera</c>. Reported on the core meter (<see cref="MpegCoderMetrics.MeterName"/>)
    /// since 1.1.0: <see cref="MpegCoderMetrics.RecordingFailures"/>.
    /// </summary>
    public const string RecordingFailures = "mpegcoder.recording.failures";
}

/// <summary>
/// The instrument behind <see cref="MpegCoderHostingMetrics.CameraState"/>, for one registry. The recording
/// counters are the core meter's: a collector of both meters must not count them twice.
/// </summary>
internal sealed class CameraMetrics : IDisposable
{
    private static readonly StreamState[] States = Enum.GetValues<StreamState>();
    private static readonly string[] StateNames = Array.ConvertAll(States, s => s.ToString().ToLowerInvariant());
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    /// <param name="registry">The cameras to report.</param>
    /// <param name="meters">The host's meter factory, or null for a meter of its own.</param>
    public CameraMetrics(ICameraRegistry registry, IMeterFactory? meters)
    {
        _ownsMeter = meters is null;
        _meter = meters?.Create(MpegCoderHostingMetrics.MeterName) ?? new Meter(MpegCoderHostingMetrics.MeterName);
        _meter.CreateObservableGauge(MpegCoderHostingMetrics.CameraState, () => Observe(registry), "{camera}",
            "1 for each configured camera's current state, 0 for the others (tags camera, state).");
    }

    private static IEnumerable<Measurement<int>> Observe(ICameraRegistry registry)
    {
        foreach (var camera in registry.GetStatuses())
            for (int i = 0; i < States.Length; i++)
                yield return new Measurement<int>(States[i] == camera.State ? 1 : 0,
                    new KeyValuePair<string, object?>(MpegCoderMetrics.CameraTag, camera.Name), new KeyValuePair<string, object?>("state", StateNames[i]));
    }

    /// <summary>A factory's meters are disposed with the factory (the host's container); one of its own is disposed here.</summary>
    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }
}
