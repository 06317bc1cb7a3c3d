using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MpegCoder.Imaging;
using Orleans.GrainDirectory;

namespace MpegCoder.Samples.CameraFleet;

/// <summary>
/// The activation of one camera: it owns the camera's stream while it lives. Placed by
/// <see cref="CameraPlacement"/>: the cameras are dealt out evenly over the live silos. Its directory entry is kept in Redis
/// (<see cref="FleetCluster.CameraDirectory"/>), so a silo's death cannot make a camera active twice.
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
        var batch = stream.ExtractFrames(1);
        return Task.FromResult(batch.Count == 0 ? null : ToFrame(stream, batch.Metadata[0], "rgb24", batch.Frame(0).ToArray()));
    }

    public Task<CameraFrame?> GetSnapshotAsync()
    {
        if (_connection?.Stream is not { } stream) return Task.FromResult<CameraFrame?>(null);
        var batch = stream.ExtractFrames(1);
        if (batch.Count == 0) return Task.FromResult<CameraFrame?>(null);
        _jpeg ??= new JpegEncoder();
        byte[] jpeg = _jpeg.Encode(batch.Frame(0), batch.Width, batch.Height, batch.PixelFormat);
        return Task.FromResult<CameraFrame?>(ToFrame(stream, batch.Metadata[0], "jpeg", jpeg));
    }

    private CameraFrame ToFrame(VideoStream stream, FrameMetadata metadata, string format, byte[] data) =>
        new(Name, _silo.Name, metadata.Sequence, metadata.ReceivedAt, stream.Width, stream.Height, format, data);

    public Task<CameraStatus> GetStatusAsync()
    {
        var stream = _connection?.Stream;
        TimeSpan? age = null;
        if (stream is not null)
        {
            // The age is in the newest frame's metadata; the copy goes to a buffer kept for these calls
            // (an activation runs one call at a time).
            if (_scratch?.Length != stream.FrameBytes) _scratch = new byte[stream.FrameBytes];
            Span<FrameMetadata> metadata = stackalloc FrameMetadata[1];
            if (stream.CopyNewestFrames(_scratch, metadata, 1) == 1) age = metadata[0].Age;
        }
        var statistics = stream?.Statistics;
        string state = stream?.State.ToString() ?? (_connection?.OpenError is null ? "Opening" : "OpenFailed");
        return Task.FromResult(new CameraStatus(Name, _silo.Name, state, age, statistics?.FramesStored ?? 0,
            statistics?.Reconnects ?? 0, _activeSince, statistics?.LastError ?? _connection?.OpenError));
    }

    public Task<string> PingAsync() => Task.FromResult(_silo.Name);
}
