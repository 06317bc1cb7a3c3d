namespace MpegCoder.Samples.CameraFleet;

/// <summary>
/// One camera, wherever in the cluster it runs. Orleans keeps at most one activation per camera name; the
/// activation owns the camera's <see cref="VideoStream"/> (opened on activation, disposed on deactivation).
/// </summary>
public interface ICameraGrain : IGrainWithStringKey
{
    /// <summary>The newest frame as packed RGB24 pixels, or null before the first frame.</summary>
    Task<CameraFrame?> GetNewestFrameAsync();

    /// <summary>The newest frame as a JPEG image, or null before the first frame.</summary>
    Task<CameraFrame?> GetSnapshotAsync();

    /// <summary>Where the camera runs and how its stream is doing.</summary>
    Task<CameraStatus> GetStatusAsync();

    /// <summary>Activates the camera if it is not active anywhere; answers the silo that hosts it.</summary>
    Task<string> PingAsync();
}

/// <summary>One frame of a camera and where it came from.</summary>
/// <param name="Camera">The camera's name.</param>
/// <param name="Silo">The silo whose activation decoded the frame.</param>
/// <param name="Sequence">The frame's number in its stream (restarts at 0 when the camera moves to another silo).</param>
/// <param name="CapturedAt">When the silo stored the frame (UTC).</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Format">"rgb24" (packed, no padding) or "jpeg".</param>
/// <param name="Data">The pixels or the JPEG file.</param>
[GenerateSerializer, Immutable]
public sealed record CameraFrame(
    [property: Id(0)] string Camera,
    [property: Id(1)] string Silo,
    [property: Id(2)] long Sequence,
    [property: Id(3)] DateTimeOffset CapturedAt,
    [property: Id(4)] int Width,
    [property: Id(5)] int Height,
    [property: Id(6)] string Format,
    [property: Id(7)] byte[] Data);

/// <summary>A camera's state as its activation sees it.</summary>
/// <param name="Camera">The camera's name.</param>
/// <param name="Silo">The silo that hosts the activation.</param>
/// <param name="State">The stream's <see cref="StreamState"/>, or "Opening" / "OpenFailed" before it exists.</param>
/// <param name="FrameAge">Age of the newest frame, or null before the first.</param>
/// <param name="FramesStored">Frames stored since the activation opened the stream.</param>
/// <param name="Reconnects">Reconnections of the stream.</param>
/// <param name="ActiveSince">When this activation started (UTC).</param>
/// <param name="LastError">Why the stream last failed, or null.</param>
[GenerateSerializer, Immutable]
public sealed record CameraStatus(
    [property: Id(0)] string Camera,
    [property: Id(1)] string Silo,
    [property: Id(2)] string State,
    [property: Id(3)] TimeSpan? FrameAge,
    [property: Id(4)] long FramesStored,
    [property: Id(5)] int Reconnects,
    [property: Id(6)] DateTimeOffset ActiveSince,
    [property: Id(7)] string? LastError);
