using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MpegCoder.Hosting;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Hosting.Tests.Stopping;

/// <summary>The host's shutdown and a camera's close, asked for from a handler on the camera's own writer thread, return at once.</summary>
public class StopFromHandlerTests
{
    [Fact]
    public async Task A_StateChanged_handler_that_stops_the_host_returns_at_once_and_the_host_stops()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // A short file: at its end the stream changes state (Closed) on its writer thread. Read losslessly, it
        // cannot end before the test reads it, so the handler is always attached before the end.
        builder.Services.AddMpegCoder(o => o.Cameras.Add(new CameraOptions { Name = "file", Address = Clips.BarcodeClip(1), Options = { FullRing = FullRingPolicy.WaitForReader, CacheSize = 4 } }));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var host = builder.Build();
        await host.StartAsync();
        var cameras = host.Services.GetRequiredService<ICameraRegistry>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stream = (await cameras.WaitForStreamAsync("file", timeout.Token))!;

        var handled = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        int once = 0;
        stream.StateChanged += (_, e) =>
        {
            if (e.State == StreamState.Streaming || Interlocked.Exchange(ref once, 1) == 1) return;
            var clock = Stopwatch.StartNew();
            host.StopAsync().GetAwaiter().GetResult(); // the obvious way to stop an application from an event
            handled.TrySetResult(clock.Elapsed);
        };
        await foreach (var frame in stream.ReadFramesAsync(timeout.Token)) frame.Dispose(); // to the file's end
        var took = await handled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(took < TimeSpan.FromSeconds(2), $"the host's StopAsync in the handler took {took}");

        var again = Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(5));
        await stream.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        host.Dispose();
        Assert.True(again.Elapsed < TimeSpan.FromSeconds(2), $"the second stop took {again.Elapsed}");
        Assert.Empty(cameras.Names);
        Assert.True(await WaitAsync(() => stream.State == StreamState.Closed), $"the stream is {stream.State}");
    }

    private static async Task<bool> WaitAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(20);
        return condition();
    }
}
