using System.Globalization;
using System.Text;

namespace MpegCoder.Hosting;

/// <summary>How a hosted camera records, in a form configuration can bind.</summary>
public enum CameraRecordingMode
{
    /// <summary>No recording (the default).</summary>
    Off,

    /// <summary>Records from the first keyframe on, for as long as the camera is hosted.</summary>
    Continuous,

    /// <summary>
    /// Keeps <see cref="CameraRecordingOptions.PreEventBuffer"/> of video in memory and writes a file only
    /// when <see cref="ICameraRegistry.TriggerRecording"/> is called.
    /// </summary>
    OnEvent,
}

/// <summary>
/// A hosted camera's recording: the bindable form of <see cref="RecordingOptions"/> (the packets the camera
/// already pulls, copied into files without re-encoding). The recorder starts once the camera's stream is
/// open and keeps recording across its reconnections (each one finishes the file and starts a new one).
/// </summary>
public sealed class CameraRecordingOptions
{
    private static readonly RecordingOptions Defaults = new();

    /// <summary>Off (the default), Continuous or OnEvent.</summary>
    public CameraRecordingMode Mode { get; set; }

    /// <summary>The files' path, a format string: <c>{0}</c> the local time of a file's first frame, <c>{1}</c> its number (see <see cref="RecordingOptions.Path"/>). Required when <see cref="Mode"/> is not Off.</summary>
    public string Path { get; set; } = "";

    /// <summary>Start a new file every this much video (at a keyframe); null (the default): one file per connection or event.</summary>
    public TimeSpan? SegmentDuration { get; set; }

    /// <summary>OnEvent: how much video before a trigger a file holds. Default zero.</summary>
    public TimeSpan PreEventBuffer { get; set; }

    /// <summary>OnEvent: how long an event lasts after its last trigger; null (the default): until <see cref="ICameraRegistry.EndRecordingEvent"/>.</summary>
    public TimeSpan? PostEventDuration { get; set; }

    /// <summary>Record the camera's audio beside its video (see <see cref="RecordingOptions.Audio"/>). Default true.</summary>
    public bool Audio { get; set; } = Defaults.Audio;

    /// <summary>Files that survive a crash (see <see cref="RecordingOptions.CrashSafe"/>). Default true.</summary>
    public bool CrashSafe { get; set; } = Defaults.CrashSafe;

    /// <summary>Delete the camera's files older than this; null (the default): no limit.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>Delete the camera's oldest files while they hold more bytes than this; null (the default): no limit.</summary>
    public long? MaxTotalBytes { get; set; }

    /// <summary>Delete the camera's oldest files while the disk has less free space than this; null (the default): no limit.</summary>
    public long? MinFreeBytes { get; set; }

    /// <summary>How many recent files <see cref="ICameraRegistry.GetRecordedFiles"/> lists. Default 100.</summary>
    public int FilesKept { get; set; } = Defaults.FilesKept;

    /// <summary>
    /// How long to wait before starting a new recorder after one failed (a full disk, a folder that cannot
    /// be written). The failure is logged, shown in <see cref="CameraStatus.RecordingError"/> and by the
    /// health check until a new recorder writes its first file. Default 30 s.
    /// </summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>FFmpeg muxer options, by name (see <see cref="RecordingOptions.FFmpegOptions"/>).</summary>
    public Dictionary<string, string> FFmpegOptions { get; set; } = [];

    /// <summary>
    /// The recorder's options these settings describe, or null when <see cref="Mode"/> is Off. Validated:
    /// throws an argument exception naming a setting that cannot work.
    /// </summary>
    public RecordingOptions? ToRecordingOptions()
    {
        if (Mode == CameraRecordingMode.Off) return null;
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Mode must be Off, Continuous or OnEvent.");
        if (RestartDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RestartDelay), RestartDelay, "RestartDelay must be positive.");
        var options = new RecordingOptions
        {
            Path = Path,
            SegmentDuration = SegmentDuration,
            WaitForTrigger = Mode == CameraRecordingMode.OnEvent,
            PreEventBuffer = PreEventBuffer,
            PostEventDuration = PostEventDuration,
            CrashSafe = CrashSafe,
            Audio = Audio,
            MaxAge = MaxAge,
            MaxTotalBytes = MaxTotalBytes,
            MinFreeBytes = MinFreeBytes,
            FilesKept = FilesKept,
            FFmpegOptions = new Dictionary<string, string>(FFmpegOptions ?? [], StringComparer.Ordinal),
        };
        options.Validate();
        return options;
    }

    /// <summary>Every setting as text: a camera whose recording settings change is reopened.</summary>
    internal string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"record {Mode} {Path} {SegmentDuration} {PreEventBuffer} {PostEventDuration} {CrashSafe} {Audio} ");
        text.Append(CultureInfo.InvariantCulture, $"{MaxAge} {MaxTotalBytes} {MinFreeBytes} {FilesKept} {RestartDelay} ");
        foreach (var (key, value) in (FFmpegOptions ?? []).OrderBy(o => o.Key, StringComparer.Ordinal)) text.Append(CultureInfo.InvariantCulture, $"{key}={value};");
        return text.ToString();
    }
}
