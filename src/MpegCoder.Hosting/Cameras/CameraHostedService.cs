using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MpegCoder.Hosting;

/// <summary>
/// Opens the configured cameras when the host starts (in the background: a dead camera never holds the
/// start up), follows configuration changes, and closes every camera when the host stops.
/// </summary>
internal sealed class CameraHostedService(CameraRegistry registry, IOptionsMonitor<MpegCoderOptions> options) : IHostedService, IDisposable
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = options.OnChange(registry.Apply);
        registry.Apply(options.CurrentValue);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        await registry.CloseAllAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _subscription?.Dispose();
}
