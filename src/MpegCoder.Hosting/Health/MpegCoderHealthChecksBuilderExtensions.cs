using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MpegCoder.Hosting;

/// <summary>Adds the hosted cameras' health check.</summary>
public static class MpegCoderHealthChecksBuilderExtensions
{
    /// <summary>The check's default name.</summary>
    public const string DefaultName = "mpegcoder-cameras";

    /// <summary>
    /// Adds one check over every hosted camera (registered by <c>services.AddMpegCoder(...)</c>). A camera is
    /// healthy while it streams with a newest frame younger than <paramref name="staleAfter"/> (default
    /// 5 s); degraded while it connects, reconnects or is paused, or when its newest frame is older;
    /// unhealthy when closed, or when degraded for longer than <paramref name="unhealthyAfter"/> (default
    /// never). The check reports the worst camera, with <paramref name="failureStatus"/> standing for
    /// unhealthy, and every camera's status in its data.
    /// </summary>
    public static IHealthChecksBuilder AddMpegCoderCameras(this IHealthChecksBuilder builder, TimeSpan? staleAfter = null,
        TimeSpan? unhealthyAfter = null, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var stale = staleAfter ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stale, TimeSpan.Zero, nameof(staleAfter));
        if (unhealthyAfter is { } u) ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(u, TimeSpan.Zero, nameof(unhealthyAfter));
        return builder.Add(new HealthCheckRegistration(name,
            services => new CameraHealthCheck(services.GetRequiredService<ICameraRegistry>(), stale, unhealthyAfter), failureStatus, tags));
    }

}
