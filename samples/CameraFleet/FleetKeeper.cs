using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace MpegCoder.Samples.CameraFleet;

/// <summary>
/// Keeps every configured camera active somewhere in the cluster. Each silo runs one keeper, which calls
/// every camera's grain every <see cref="FleetOptions.KeepAliveInterval"/>: the first call activates the
/// camera (on the silo <see cref="CameraPlacement"/> picks); after its silo dies, the next call from a
/// survivor activates it on a survivor. The calls also keep the activations from being collected as idle.
/// Each camera has its own loop, so a call that hangs on a dead silo delays only that camera.
/// </summary>
public sealed class FleetKeeper : BackgroundService
{
    private readonly IGrainFactory _grains;
    private readonly IClusterMembershipService _membership;
    private readonly FleetOptions _fleet;
    private readonly ILogger<FleetKeeper> _logger;

    public FleetKeeper(IGrainFactory grains, IClusterMembershipService membership, IOptions<FleetOptions> fleet, ILogger<FleetKeeper> logger)
    {
        _grains = grains;
        _membership = membership;
        _fleet = fleet.Value;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Cameras are dealt out over the silos that are active when they are activated: wait for the
        // fleet to be complete, so that the first silo up does not get every camera.
        var deadline = DateTime.UtcNow + _fleet.ExpectedSilosWait;
        while (ActiveSilos() < _fleet.ExpectedSilos && DateTime.UtcNow < deadline)
            await Task.Delay(TimeSpan.FromMilliseconds(250), stoppingToken);
        _logger.LogInformation("Keeping {Count} cameras alive, every {Interval}", _fleet.Cameras.Count, _fleet.KeepAliveInterval);
        await Task.WhenAll(_fleet.Cameras.Select(c => KeepAliveAsync(c.Name, stoppingToken)));
    }

    private int ActiveSilos() => _membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);

    private async Task KeepAliveAsync(string camera, CancellationToken stoppingToken)
    {
        var grain = _grains.GetGrain<ICameraGrain>(camera);
        // The keepers of different silos call each camera at different moments of the interval.
        await Task.Delay(_fleet.KeepAliveInterval * Random.Shared.NextDouble(), stoppingToken);
        using var timer = new PeriodicTimer(_fleet.KeepAliveInterval);
        do
        {
            try
            {
                await grain.PingAsync().WaitAsync(_fleet.KeepAliveInterval * 2, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The camera's silo died and is not declared dead yet, or the camera failed to activate:
                // the next tick tries again.
                _logger.LogDebug("Keep-alive call to camera {Camera} failed: {Reason}", camera, e.Message);
            }
        }
        while (await WaitForTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try { return await timer.WaitForNextTickAsync(stoppingToken); }
        catch (OperationCanceledException) { return false; }
    }
}
