using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MpegCoder.Hosting;
using MpegCoder.Tests.Faults;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Hosting.Tests.Live;

/// <summary>
/// A hosted camera that flaps: a proxy in front of the live RTSP server resets the camera's connection
/// again and again. Each time the camera leaves Streaming with the reason within the stall timeout + 1 s,
/// and comes back with fresh frames; one connection at most is ever open; the host stops within 1 s; the
/// fds and connections come back to where they were.
/// </summary>
[Collection(AloneCollection.Name)]
public class FlappingCameraTests : IDisposable
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(1);
    private readonly RtspTestServer _server = RtspTestServer.Start();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task A_camera_whose_connection_is_reset_again_and_again_comes_back_each_time_and_stops_clean()
    {
        using var proxy = new FaultProxy(_server.Port, ProxyFault.Cut);
        var before = OpenResources.Now(proxy.Port);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMpegCoder(options => options.Cameras.Add(new CameraOptions
        {
            Name = "flap",
            Address = proxy.Route(_server.Url),
            Options =
            {
                RtspTransport = RtspTransport.Tcp,
                StallTimeout = StallTimeout,
                OpenTimeout = TimeSpan.FromSeconds(3),
                Reconnect = { InitialDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1) },
            },
        }));
        var host = builder.Build();
        await host.StartAsync();
        var cameras = host.Services.GetRequiredService<ICameraRegistry>();
        bool Fresh() => cameras.GetStatus("flap") is { State: StreamState.Streaming, NewestFrameAge: { } age } && age < TimeSpan.FromSeconds(1);

        for (int flap = 0; flap < 3; flap++)
        {
            Assert.True(Bounded.Until(Fresh, TimeSpan.FromSeconds(15)), $"flap {flap}: not streaming fresh frames: {cameras.GetStatus("flap")}");
            Assert.InRange(OpenResources.ConnectionsTo(proxy.Port), 0, 1);
            proxy.ResetConnections();
            var clock = Stopwatch.StartNew();
            Assert.True(Bounded.Until(() => cameras.GetStatus("flap")?.State != StreamState.Streaming, StallTimeout + TimeSpan.FromSeconds(1)),
                $"flap {flap}: still Streaming {clock.Elapsed.TotalSeconds:0.0} s after the reset");
            Assert.False(string.IsNullOrEmpty(cameras.GetStatus("flap")?.LastError), $"flap {flap}: no reason");
        }
        Assert.True(Bounded.Until(Fresh, TimeSpan.FromSeconds(15)), $"not streaming after the last flap: {cameras.GetStatus("flap")}");
        Assert.InRange(OpenResources.ConnectionsTo(proxy.Port), 0, 1);

        var stop = Stopwatch.StartNew();
        var stopping = host.StopAsync();
        Assert.True(Bounded.Until(() => stopping.IsCompleted, TimeSpan.FromSeconds(1)), $"StopAsync still running after {stop.Elapsed.TotalSeconds:0.0} s");
        await stopping;
        host.Dispose();
        proxy.Dispose();
        var after = OpenResources.Settle(before, proxy.Port);
        Assert.True(after.Connections == 0, $"{after.Connections} connection(s) still open");
        Assert.True(after.FileDescriptors <= before.FileDescriptors, $"{after.FileDescriptors} fds open, {before.FileDescriptors} before: {OpenResources.DescribeFiles()}");
    }
}
