using Microsoft.Extensions.Diagnostics.HealthChecks;
using MpegCoder.Hosting;
using Xunit;

namespace MpegCoder.Hosting.Tests.Unit;

/// <summary>The per-camera health rules, on statuses made by hand.</summary>
public class HealthRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(5);

    private static CameraStatus Camera(StreamState state, double? ageSeconds, double inStateSeconds = 60, string? error = null) =>
        new()
        {
            Name = "cam",
            Address = "rtsp://x",
            State = state,
            StateSince = Now - TimeSpan.FromSeconds(inStateSeconds),
            NewestFrameAge = ageSeconds is { } a ? TimeSpan.FromSeconds(a) : null,
            LastError = error,
        };

    private static HealthStatus Judge(CameraStatus camera, TimeSpan? unhealthyAfter = null) =>
        CameraHealthCheck.Judge(camera, Stale, unhealthyAfter, Now).Status;

    [Fact]
    public void Streaming_with_fresh_frames_is_healthy() =>
        Assert.Equal(HealthStatus.Healthy, Judge(Camera(StreamState.Streaming, 0.1)));

    [Fact]
    public void Stale_frames_reconnecting_and_connecting_are_degraded()
    {
        Assert.Equal(HealthStatus.Degraded, Judge(Camera(StreamState.Streaming, 6)));
        Assert.Equal(HealthStatus.Degraded, Judge(Camera(StreamState.Streaming, null, inStateSeconds: 6)));
        Assert.Equal(HealthStatus.Healthy, Judge(Camera(StreamState.Streaming, null, inStateSeconds: 1)));
        Assert.Equal(HealthStatus.Degraded, Judge(Camera(StreamState.Reconnecting, 30, error: "refused")));
        Assert.Equal(HealthStatus.Degraded, Judge(Camera(StreamState.Connecting, null)));
        Assert.Equal(HealthStatus.Degraded, Judge(Camera(StreamState.Paused, 1)));
        var (_, why) = CameraHealthCheck.Judge(Camera(StreamState.Reconnecting, 30, error: "refused"), Stale, null, Now);
        Assert.Equal("reconnecting (refused)", why);
    }

    [Fact]
    public void Closed_or_degraded_too_long_is_unhealthy()
    {
        Assert.Equal(HealthStatus.Unhealthy, Judge(Camera(StreamState.Closed, 1, error: "gave up")));
        Assert.Equal(HealthStatus.Unhealthy, Judge(Camera(StreamState.Reconnecting, null, inStateSeconds: 61), TimeSpan.FromMinutes(1)));
        Assert.Equal(HealthStatus.Degraded, Judge(Camera(StreamState.Reconnecting, null, inStateSeconds: 59), TimeSpan.FromMinutes(1)));
        Assert.Equal(HealthStatus.Unhealthy, Judge(Camera(StreamState.Streaming, 61), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_streaming_camera_whose_recorder_failed_is_degraded_with_the_reason()
    {
        var camera = Camera(StreamState.Streaming, 0.1) with { Recording = CameraRecordingMode.Continuous, RecordingError = "No space left on device" };
        var (status, why) = CameraHealthCheck.Judge(camera, Stale, null, Now);
        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Equal("recording failed (No space left on device)", why);
    }
}
