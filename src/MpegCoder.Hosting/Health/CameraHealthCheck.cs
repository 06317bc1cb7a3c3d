using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MpegCoder.Hosting;

/// <summary>
/// The cameras' health: each camera is healthy (streaming, newest frame younger than the stale
/// threshold), degraded (connecting, reconnecting, paused, or its newest frame is older than the
/// threshold, or its recorder failed) or unhealthy (closed: given up or misconfigured; or degraded for longer than the
/// unhealthy threshold). The report's status is the worst camera's; its data holds every camera's.
/// </summary>
internal sealed class CameraHealthCheck(ICameraRegistry registry, TimeSpan staleAfter, TimeSpan? unhealthyAfter) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var statuses = registry.GetStatuses();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<string>();
        var worst = HealthStatus.Healthy;
        foreach (var camera in statuses)
        {
            var (status, why) = Judge(camera, staleAfter, unhealthyAfter, DateTimeOffset.UtcNow);
            data[camera.Name] = why is null ? status.ToString() : $"{status}: {why}";
            if (why is not null) problems.Add($"{camera.Name}: {why}");
            if (status < worst) worst = status;
        }
        string description = statuses.Count == 0 ? "no cameras configured"
            : problems.Count == 0 ? $"{statuses.Count} camera(s) streaming"
            : string.Join("; ", problems);
        // The registration's failure status (Unhealthy unless the caller chose Degraded) stands for "unhealthy".
        if (worst == HealthStatus.Unhealthy) worst = context.Registration.FailureStatus;
        return Task.FromResult(new HealthCheckResult(worst, description, data: data));
    }

    /// <summary>One camera's health and, unless healthy, why.</summary>
    public static (HealthStatus Status, string? Why) Judge(CameraStatus camera, TimeSpan staleAfter, TimeSpan? unhealthyAfter, DateTimeOffset now)
    {
        TimeSpan inState = now - camera.StateSince;
        string? error = camera.LastError is { } e ? $" ({e})" : "";
        (HealthStatus, string?) Degraded(string why, TimeSpan forHowLong) =>
            unhealthyAfter is { } limit && forHowLong > limit ? (HealthStatus.Unhealthy, why) : (HealthStatus.Degraded, why);
        var health = camera.State switch
        {
            StreamState.Closed => (HealthStatus.Unhealthy, $"closed{error}"),
            StreamState.Connecting => Degraded("connecting", inState),
            StreamState.Reconnecting => Degraded($"reconnecting{error}", inState),
            StreamState.Paused => Degraded("paused", inState),
            _ when camera.NewestFrameAge is not { } age => inState > staleAfter
                ? Degraded($"no frame in {inState.TotalSeconds:0.#} s", inState) : (HealthStatus.Healthy, null),
            _ when camera.NewestFrameAge > staleAfter => Degraded($"newest frame {camera.NewestFrameAge.Value.TotalSeconds:0.#} s old", camera.NewestFrameAge.Value),
            _ => (HealthStatus.Healthy, null),
        };
        // A camera that streams but does not record is degraded: its pictures are fine, its recordings are not.
        if (camera.RecordingError is { } failed && health.Item1 == HealthStatus.Healthy)
            return (HealthStatus.Degraded, $"recording failed ({failed})");
        return health;
    }
}
