using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MpegCoder.Imaging;
using Orleans.GrainDirectory;

namespace MpegCoder.Samples.CameraFleet;

/// <summary>
/// The activation of one camera: it owns the camera's stream while it lives. Placed by
/// <see cref="CameraPlacement"/>: the cameras are dealt out evenly over the live silos. Its directory
/// entry is kept in Redis (<see cref="FleetCluster.CameraDirectory"/>), so a silo's death does not make
/// a survivor's camera active a second time.
/// </summary>
[CameraPlacement]
[GrainDirectory(GrainDirectoryName = FleetCluster.CameraDirectory)]
public sealed class CameraGrain : Grain, ICameraGrain
{
    private readonly FleetOptions _fleet;
    private readonly SiloIdentity _silo;
    private readonly ILogger<CameraGrain> _logger;
    private CameraConnection? _connection;
    private JpegEncoder? _jpeg;
    private byte[]? _scratch;
    private DateTimeOffset _activeSince;

    public CameraGrain(IOptions<FleetOptions> fleet, SiloIdentity silo, ILogger<CameraGrain> logger)
    {
        _fleet = fleet.Value;
        _silo = silo;
        _logger = logger;
    }

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var camera = _fleet.Find(Name) ?? throw new ArgumentException($"No camera named '{Name}' is configured.");
        _activeSince = DateTimeOffset.UtcNow;
        _connection = CameraConnection.Start(camera, _logger);
        // One line per activation on standard output: an operator (and the fleet test) sees where each camera runs.
        Console.WriteLine($"CAMERA-ACTIVE {Name} {_silo.Name}");
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_connection is { } connection)
            await connection.DisposeAsync();
        _jpeg?.Dispose();
        Console.WriteLine($"CAMERA-INACTIVE {Name} {_silo.Name} ({reason.ReasonCode})");
    }

    public Task<CameraFrame?> GetNewestFrameAsync()
    {
        if (_connection?.Stream is not { } stream) return Task.FromResult<CameraFrame?>(null);
        var pixels = new byte[stream.FrameBytes]; // handed to the caller: one copy, straight from the ring
        return Task.FromResult(CopyNewest(stream, pixels) is { } metadata ? ToFrame(stream, metadata, "rgb24", pixels) : null);
    }

    public Task<CameraFrame?> GetSnapshotAsync()
    {
        if (_connection?.Stream is not { } stream) return Task.FromResult<CameraFrame?>(null);
        byte[] scratch = Scratch(stream);
        if (CopyNewest(stream, scratch) is not { } metadata) return Task.FromResult<CameraFrame?>(null);
        _jpeg ??= new JpegEncoder();
        byte[] jpeg = _jpeg.Encode(scratch, stream.Width, stream.Height, stream.PixelFormat);
        return Task.FromResult<CameraFrame?>(ToFrame(stream, metadata, "jpeg", jpeg));
    }

    public Task<CameraStatus> GetStatusAsync()
    {
        var stream = _connection?.Stream;
        // The newest frame's age is in its metadata, which comes with a copy of the frame.
        TimeSpan? age = stream is null ? null : CopyNewest(stream, Scratch(stream))?.Age;
        var statistics = stream?.Statistics;
        string state = stream?.State.ToString() ?? (_connection?.OpenError is null ? "Opening" : "OpenFailed");
        return Task.FromResult(new CameraStatus(Name, _silo.Name, state, age, statistics?.FramesStored ?? 0,
            statistics?.Reconnects ?? 0, _activeSince, statistics?.LastError ?? _connection?.OpenError));
    }

    /// <summary>Copies the newest frame into <paramref name="destination"/>; its metadata, or null before the first frame.</summary>
    private static FrameMetadata? CopyNewest(VideoStream stream, byte[] destination)
    {
        Span<FrameMetadata> metadata = stackalloc FrameMetadata[1];
        return stream.CopyNewestFrames(destination, metadata, 1) == 1 ? metadata[0] : null;
    }

    /// <summary>A frame buffer kept for the calls that do not hand the pixels out (an activation runs one call at a time).</summary>
    private byte[] Scratch(VideoStream stream) =>
        _scratch?.Length == stream.FrameBytes ? _scratch : _scratch = new byte[stream.FrameBytes];

    private CameraFrame ToFrame(VideoStream stream, FrameMetadata metadata, string format, byte[] data) =>
        new(Name, _silo.Name, metadata.Sequence, metadata.ReceivedAt, stream.Width, stream.Height, format, data);

    public Task<string> PingAsync() => Task.FromResult(_silo.Name);
}
