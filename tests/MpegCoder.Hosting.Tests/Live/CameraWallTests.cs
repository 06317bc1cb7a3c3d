using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MpegCoder.Hosting;
using MpegCoder.Player.Tests.Imaging;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Hosting.Tests.Live;

/// <summary>
/// The hosting package through the camera wall sample, against the live barcode RTSP server: the
/// registry, metrics, /health while the server is killed and restarted, reloads, shutdown and the page.
/// One class, so the tests that kill the server never overlap (each restarts it before it ends).
/// </summary>
public partial class CameraWallTests(WallFixture wall) : IClassFixture<WallFixture>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private async Task StreamingAsync(params string[] cameras) =>
        Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(cameras.All(c =>
            wall.Cameras.GetStatus(c) is { State: StreamState.Streaming, NewestFrameAge: { } age } && age < TimeSpan.FromSeconds(1))), Soon),
            string.Join("; ", wall.Cameras.GetStatuses()));

    [Fact]
    public async Task The_registry_has_every_camera_live_ones_advance_and_the_dead_one_retries()
    {
        await StreamingAsync("live", "second");
        Assert.Equal(["live", "second", "dead"], wall.Cameras.Names);
        var clock = Stopwatch.StartNew();
        int first = wall.NewestIndex("live");
        await Task.Delay(600);
        int later = wall.NewestIndex("live");
        // The index counts the source's 25 frames a second (10 of them kept): it advanced by about 15,
        // give or take the kept frames' spacing and the time the reads took.
        Assert.InRange(later - first, 3, (int)(25 * clock.Elapsed.TotalSeconds) + 10);

        var dead = wall.Cameras.GetStatus("dead")!;
        Assert.Equal(StreamState.Reconnecting, dead.State);
        Assert.Null(wall.Cameras.GetStream("dead"));
        Assert.Null(wall.Cameras.ReadNewestFrame("dead"));
        Assert.Contains("refused", dead.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Null(wall.Cameras.GetStatus("nobody"));
        Assert.Equal("live", wall.Cameras.GetStream("live")!.Options.Name);
    }

    [Fact]
    public async Task A_MeterListener_sees_every_instrument_tagged_by_camera()
    {
        await StreamingAsync("live", "second");
        var seen = new List<(string Instrument, double Value, Dictionary<string, string?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name is MpegCoderMetrics.MeterName or MpegCoderHostingMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        void Add(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var t = new Dictionary<string, string?>();
            foreach (var tag in tags) t[tag.Key] = tag.Value?.ToString();
            lock (seen) seen.Add((i.Name, v, t));
        }
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        listener.Start();

        wall.NewestIndex("live"); // a read: one frame-age measurement
        // The dead camera retries at least once a second: one failed open measured.
        Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(Snapshot().Any(m =>
            m.Instrument == MpegCoderMetrics.OpenDuration && m.Tags["camera"] == "dead" && m.Tags["result"] == "failure")), Soon));
        listener.RecordObservableInstruments();
        var all = Snapshot();

        double Value(string instrument, string camera, string? state = null) => all.Single(m =>
            m.Instrument == instrument && m.Tags["camera"] == camera && (state is null || m.Tags["state"] == state)).Value;
        foreach (string camera in new[] { "live", "second" })
        {
            Assert.True(Value(MpegCoderMetrics.FramesStored, camera) > 0);
            Assert.True(Value(MpegCoderMetrics.FramesDecoded, camera) >= Value(MpegCoderMetrics.FramesStored, camera));
            Assert.True(Value(MpegCoderMetrics.FramesDropped, camera) > 0, "25 fps kept at 10 or 5 drops frames");
            Assert.Equal(0, Value(MpegCoderMetrics.FramesCorrupt, camera));
            Assert.True(Value(MpegCoderMetrics.Reconnects, camera) >= 0);
            Assert.Equal(1, Value(MpegCoderMetrics.State, camera, "streaming"));
            Assert.Equal(0, Value(MpegCoderMetrics.State, camera, "reconnecting"));
            Assert.InRange(Value(MpegCoderMetrics.NewestFrameAge, camera), 0, 2); // 5 or 10 fps kept, plus load
        }
        var age = all.First(m => m.Instrument == MpegCoderMetrics.FrameAge && m.Tags["camera"] == "live");
        Assert.InRange(age.Value, 0, 1);
        Assert.Contains(all, m => m.Instrument == MpegCoderMetrics.OpenDuration && m.Tags["camera"] == "dead" && m.Value < 1);
        Assert.DoesNotContain(all, m => m.Instrument == MpegCoderMetrics.FramesStored && m.Tags["camera"] == "dead"); // never opened: no stream
        // ...but the hosting meter reports every configured camera's state, the dead one's included.
        Assert.Equal(1, Value(MpegCoderHostingMetrics.CameraState, "dead", "reconnecting"));
        Assert.Equal(0, Value(MpegCoderHostingMetrics.CameraState, "dead", "streaming"));
        Assert.Equal(1, Value(MpegCoderHostingMetrics.CameraState, "live", "streaming"));

        List<(string Instrument, double Value, Dictionary<string, string?> Tags)> Snapshot()
        {
            lock (seen) return [.. seen];
        }
    }

    [Fact]
    public async Task Metrics_scrape_over_http_shows_camera_tagged_series()
    {
        await StreamingAsync("live", "second");
        wall.NewestIndex("live");
        string text = "";
        // The exporter serves a cached scrape for a moment: wait until it holds both cameras' series.
        Assert.True(await WallFixture.EventuallyAsync(async () =>
        {
            text = await wall.Http.GetStringAsync("/metrics");
            return text.Contains("camera=\"second\"", StringComparison.Ordinal) && text.Contains("mpegcoder_frame_age", StringComparison.Ordinal);
        }, Soon), text);
        long stored = Sample(text, "mpegcoder_frames_stored_total", "live");
        Assert.True(stored > 0, text);
        Assert.Equal(1, Sample(text, "mpegcoder_stream_state", "live", "state=\"streaming\""));
        Assert.Matches(@"mpegcoder_stream_open_duration_seconds_count\{[^}]*camera=""dead""", text);
        Assert.Equal(1, Sample(text, "mpegcoder_camera_state", "dead", "state=\"reconnecting\""));
        Assert.Matches(@"mpegcoder_frame_newest_age_seconds\{[^}]*camera=""live""", text);
        Assert.Matches(@"mpegcoder_reconnects_total\{[^}]*camera=""live""", text);
        Assert.Matches(@"mpegcoder_frames_(decoded|dropped|corrupt)_total\{[^}]*camera=""second""", text);
    }

    private static long Sample(string text, string metric, string camera, string? also = null)
    {
        foreach (Match m in SeriesLine().Matches(text))
            if (m.Groups[1].Value == metric && m.Groups[2].Value.Contains($"camera=\"{camera}\"", StringComparison.Ordinal)
                && (also is null || m.Groups[2].Value.Contains(also, StringComparison.Ordinal)))
                return (long)double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        throw new Xunit.Sdk.XunitException($"no {metric} for {camera} in:\n{text}");
    }

    [GeneratedRegex(@"^([a-z_]+)\{([^}]*)\} ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex SeriesLine();

    [Fact]
    public async Task Health_follows_a_killed_and_restarted_server_over_http()
    {
        await StreamingAsync("live", "second");
        var health = await wall.HealthAsync();
        Assert.Equal("Healthy", health.Cameras["live"]);
        Assert.StartsWith("Degraded: reconnecting", health.Cameras["dead"]);
        Assert.Equal("Degraded", health.Overall);   // the worst camera
        Assert.Equal(200, health.Code);
        try
        {
            wall.Server.StopServer();
            Assert.True(await WallFixture.EventuallyAsync(async () =>
                (await wall.HealthAsync()).Cameras["live"].StartsWith("Degraded: reconnecting", StringComparison.Ordinal), Soon),
                string.Join("; ", (await wall.HealthAsync()).Cameras));
            Assert.Equal(StreamState.Reconnecting, wall.Cameras.GetStatus("live")!.State);
        }
        finally
        {
            wall.Server.RestartServer();
        }
        Assert.True(await WallFixture.EventuallyAsync(async () =>
        {
            var h = await wall.HealthAsync();
            return h.Cameras["live"] == "Healthy" && h.Cameras["second"] == "Healthy";
        }, Soon), string.Join("; ", (await wall.HealthAsync()).Cameras));
        Assert.True(wall.Cameras.GetStatus("live")!.Statistics.Reconnects >= 1);
        int before = wall.NewestIndex("live");
        await Task.Delay(500);
        Assert.True(wall.NewestIndex("live") != before, "fresh frames after the restart");
    }

    [Fact]
    public async Task A_changed_appsettings_json_adds_removes_and_reopens_cameras()
    {
        await StreamingAsync("live", "second");
        var live = wall.Cameras.GetStream("live");
        var second = wall.Cameras.GetStream("second")!;
        try
        {
            wall.WriteSettings(("live", "10"), ("second", "2"), ("extra", "5"));
            await StreamingAsync("extra");
            Assert.Equal(["live", "second", "extra", "dead"], wall.Cameras.Names);
            await StreamingAsync("second");
            Assert.NotSame(second, wall.Cameras.GetStream("second"));              // a changed frame rate reopened it
            Assert.Equal((2, 1), wall.Cameras.GetStream("second")!.Options.FrameRate);
            Assert.Same(live, wall.Cameras.GetStream("live"));                     // unchanged: left alone
            Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(second.State == StreamState.Closed), Soon));

            var extra = wall.Cameras.GetStream("extra")!;
            wall.WriteSettings(("live", "10"), ("second", "5"));
            Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(wall.Cameras.GetStatus("extra") is null), Soon));
            Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(extra.State == StreamState.Closed), Soon));
            Assert.Equal(["live", "second", "dead"], wall.Cameras.Names);
        }
        finally
        {
            wall.WriteSettings(("live", "10"), ("second", "5"));
        }
        await StreamingAsync("live", "second");
    }

    [Fact]
    public async Task A_generic_host_starts_at_once_with_a_dead_camera_and_stops_every_camera_in_time()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddMpegCoder(o =>
        {
            o.Cameras.Add(new CameraOptions { Name = "a", Address = wall.Server.Url });
            o.Cameras.Add(new CameraOptions { Name = "b", Address = wall.Server.Url, Options = { FrameRate = "5" } });
            o.Cameras.Add(new CameraOptions { Name = "silent", Address = WallFixture.DeadAddress });
            o.Cameras.Add(new CameraOptions { Name = "bad", Address = wall.Server.Url, Options = { FrameRate = "fast" } });
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        using var host = builder.Build();
        var started = Stopwatch.StartNew();
        await host.StartAsync();
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"start took {started.Elapsed}");

        var cameras = host.Services.GetRequiredService<ICameraRegistry>();
        var bad = cameras.GetStatus("bad")!;
        Assert.Equal(StreamState.Closed, bad.State);
        Assert.Contains("invalid configuration", bad.LastError);
        using var timeout = new CancellationTokenSource(Soon);
        var streams = new[] { (await cameras.WaitForStreamAsync("a", timeout.Token))!, (await cameras.WaitForStreamAsync("b", timeout.Token))! };
        Assert.Same(streams[0], cameras.GetStream("a"));
        Assert.True(await streams[1].WaitForNewFrameAsync(cancellationToken: timeout.Token));
        Assert.Null(await cameras.WaitForStreamAsync("bad", timeout.Token));     // closed at once: invalid
        Assert.Null(await cameras.WaitForStreamAsync("nobody", timeout.Token));  // not configured
        var silent = cameras.WaitForStreamAsync("silent", timeout.Token);          // retrying: still waiting at shutdown

        var stopping = Stopwatch.StartNew();
        await host.StopAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(3), $"stop took {stopping.Elapsed}");
        Assert.All(streams, s => Assert.Equal(StreamState.Closed, s.State));
        Assert.Null(await silent); // shutdown answers the waiter: no stream
        Assert.Empty(cameras.Names);
    }
}
