using System.Diagnostics.Metrics;

namespace MpegCoder.Hosting;

/// <summary>
/// The names of the hosting package's metrics: every configured camera's state, whether or not its
/// stream has ever opened (the core meter, <see cref="MpegCoderMetrics"/>, reports streams only once open),
/// and the recording cameras' recorders.
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

    /// <summary>Bytes a recording camera's recorders wrote (observable counter, By), tagged <c>camera</c>.</summary>
    public const string RecordingBytes = "mpegcoder.recording.bytes";

    /// <summary>Files a recording camera's recorders finished (observable counter, {file}), tagged <c>camera</c>.</summary>
    public const string RecordingFiles = "mpegcoder.recording.files";

    /// <summary>Packets a recording camera's recorders dropped because the disk could not keep up (observable counter, {packet}), tagged <c>camera</c>.</summary>
    public const string RecordingPacketsDropped = "mpegcoder.recording.packets.dropped";

    /// <summary>Files retention deleted (MaxAge, MaxTotalBytes, MinFreeBytes; observable counter, {file}), tagged <c>camera</c>.</summary>
    public const string RecordingFilesDeleted = "mpegcoder.recording.files.deleted";

    /// <summary>Recorders that failed (each followed by a restart after the camera's RestartDelay; observable counter, {failure}), tagged <c>camera</c>.</summary>
    public const string RecordingFailures = "mpegcoder.recording.failures";
}

/// <summary>The instrument behind <see cref="MpegCoderHostingMetrics"/>, for one registry.</summary>
internal sealed class CameraMetrics : IDisposable
{
    private static readonly StreamState[] States = Enum.GetValues<StreamState>();
    private static readonly string[] StateNames = Array.ConvertAll(States, s => s.ToString().ToLowerInvariant());
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    /// <param name="registry">The cameras to report.</param>
    /// <param name="meters">The host's meter factory, or null for a meter of its own.</param>
    public CameraMetrics(CameraRegistry registry, IMeterFactory? meters)
    {
        _ownsMeter = meters is null;
        _meter = meters?.Create(MpegCoderHostingMetrics.MeterName) ?? new Meter(MpegCoderHostingMetrics.MeterName);
        _meter.CreateObservableGauge(MpegCoderHostingMetrics.CameraState, () => Observe(registry), "{camera}",
            "1 for each configured camera's current state, 0 for the others (tags camera, state).");
        _meter.CreateObservableCounter(MpegCoderHostingMetrics.RecordingBytes, () => Observe(registry, t => t.BytesWritten), "By",
            "Bytes the camera's recorders wrote.");
        _meter.CreateObservableCounter(MpegCoderHostingMetrics.RecordingFiles, () => Observe(registry, t => t.FilesWritten), "{file}",
            "Files the camera's recorders finished.");
        _meter.CreateObservableCounter(MpegCoderHostingMetrics.RecordingPacketsDropped, () => Observe(registry, t => t.PacketsDropped), "{packet}",
            "Packets the camera's recorders dropped (the disk did not keep up).");
        _meter.CreateObservableCounter(MpegCoderHostingMetrics.RecordingFilesDeleted, () => Observe(registry, t => t.FilesDeleted), "{file}",
            "Files retention deleted.");
        _meter.CreateObservableCounter(MpegCoderHostingMetrics.RecordingFailures, () => Observe(registry, t => t.Failures), "{failure}",
            "Recorders that failed.");
    }

    private static IEnumerable<Measurement<long>> Observe(CameraRegistry registry, Func<RecordingTotals, long> value)
    {
        foreach (var (camera, totals) in registry.RecordingTotals())
            yield return new Measurement<long>(value(totals), new KeyValuePair<string, object?>(MpegCoderMetrics.CameraTag, camera));
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
