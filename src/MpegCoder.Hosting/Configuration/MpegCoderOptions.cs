namespace MpegCoder.Hosting;

/// <summary>
/// The hosted cameras, bound from a configuration section (by convention "MpegCoder"):
/// <c>{ "Cameras": [ { "Name": "gate", "Address": "rtsp://...", "Options": { "Width": 640 } } ] }</c>.
/// A change of the section (a reloaded appsettings.json) adds, removes and reopens cameras.
/// </summary>
public sealed class MpegCoderOptions
{
    /// <summary>The cameras to keep open, each with a unique <see cref="CameraOptions.Name"/>.</summary>
    public List<CameraOptions> Cameras { get; set; } = [];
}

/// <summary>One hosted camera: its name, its address and how to read it.</summary>
public sealed class CameraOptions
{
    /// <summary>The camera's name: its key in <see cref="ICameraRegistry"/>, its health entry and its metrics' <c>camera</c> tag. Required, unique.</summary>
    public string Name { get; set; } = "";

    /// <summary>The stream's address (rtsp, rtmp, http, srt, a file...). Required.</summary>
    public string Address { get; set; } = "";

    /// <summary>How to read it: every <see cref="StreamOptions"/> setting, in a form configuration can bind.</summary>
    public CameraStreamOptions Options { get; set; } = new();

    /// <summary>Whether and how it records (off by default).</summary>
    public CameraRecordingOptions Recording { get; set; } = new();
}
