using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MpegCoder.Samples.CameraFleet;
using MpegCoder.Tests.Infrastructure;
using Orleans;
using Orleans.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Fleet.Tests;

/// <summary>
/// 24 live cameras on three silo processes forming one Orleans cluster (membership in Redis). Every camera
/// must serve fresh frames (barcode indices that advance), each from exactly one silo; after one silo is
/// killed with SIGKILL, its cameras must serve fresh frames from the survivors within 30 s, and still no
/// camera may be active on two silos.
/// </summary>
public sealed class FleetFailoverTests
{
    private const int Cameras = 24, Silos = 3, Width = 160, Height = 120, Fps = 15;
    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(2);

    private readonly ITestOutputHelper _output;

    public FleetFailoverTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Every_camera_serves_fresh_frames_from_one_silo_before_and_after_a_silo_is_killed()
    {
        var clock = Stopwatch.StartNew();
        var names = Enumerable.Range(1, Cameras).Select(i => $"cam{i:00}").ToArray();
        using var redis = RedisServer.Start();
        using var relay = CameraRelay.Start(names, Width, Height, Fps);
        using var folder = new MpegCoder.Tests.Infrastructure.Servers.TempFolder("fleet");
        string camerasFile = folder.File("cameras.json");
        File.WriteAllText(camerasFile, JsonSerializer.Serialize(new
        {
            Fleet = new { Cameras = names.Select(n => new { Name = n, Address = relay.Url(n), Transport = "Tcp" }) },
        }));
        Log($"redis, relay of {Cameras} cameras ({Width}x{Height} at {Fps} fps) up after {clock.Elapsed.TotalSeconds:0.0} s");

        var silos = Enumerable.Range(1, Silos).Select(i => SiloProcess.Start($"silo{i}", redis.ConnectionString, camerasFile, Silos)).ToList();
        try
        {
            await Task.WhenAll(silos.Select(s => s.WaitUntilReadyAsync(TimeSpan.FromSeconds(40))));
            Log($"{Silos} silos ready after {clock.Elapsed.TotalSeconds:0.0} s");
            using var client = await FleetStatus.ConnectAsync(redis.ConnectionString);
            var grains = client.Services.GetRequiredService<IClusterClient>();

            // 1. Every camera serves fresh, advancing frames, each from one silo.
            var watch = new FreshnessWatch(grains, names, silos.Select(s => s.Name).ToHashSet());
            var started = await watch.WaitUntilAllFreshAsync(TimeSpan.FromSeconds(40), DateTimeOffset.UtcNow);
            Assert.True(started.Count == Cameras, Describe("cameras serving fresh frames at start", watch, silos));
            Log($"all {Cameras} cameras fresh after {clock.Elapsed.TotalSeconds:0.0} s: " +
                string.Join(", ", silos.Select(s => $"{s.Name} {started.Values.Count(v => v == s.Name)}")));
            await AssertOneSiloPerCameraAsync(grains, names, silos);
            foreach (var silo in silos)
                Assert.True(started.Values.Count(v => v == silo.Name) >= Cameras / Silos / 2, $"the cameras are dealt out over the silos, {silo.Name} included");
            await AssertStatusAndSnapshotAsync(grains, names[0], started[names[0]]);

            // 2. Kill the silo that hosts the most cameras.
            var victim = silos.OrderByDescending(s => started.Values.Count(v => v == s.Name)).First();
            int moved = started.Values.Count(v => v == victim.Name);
            var survivors = silos.Where(s => s != victim).ToList();
            var killedAt = DateTimeOffset.UtcNow;
            var failover = Stopwatch.StartNew();
            victim.Kill();
            Log($"killed {victim.Name} (SIGKILL), which hosted {moved} cameras");

            // 3. Every camera serves fresh frames captured after the kill, from a survivor, within 30 s.
            var after = new FreshnessWatch(grains, names, survivors.Select(s => s.Name).ToHashSet());
            var recovered = await after.WaitUntilAllFreshAsync(FailoverLimit + TimeSpan.FromSeconds(5), killedAt);
            failover.Stop();
            Log($"failover: every camera fresh again {failover.Elapsed.TotalSeconds:0.0} s after the kill " +
                $"(slowest moved camera {after.SlowestRecovery(started.Where(p => p.Value == victim.Name).Select(p => p.Key)).TotalSeconds:0.0} s); " +
                string.Join(", ", survivors.Select(s => $"{s.Name} {recovered.Values.Count(v => v == s.Name)}")));
            Assert.True(recovered.Count == Cameras, Describe("cameras serving fresh frames after the kill", after, silos));
            Assert.True(failover.Elapsed <= FailoverLimit, $"failover took {failover.Elapsed.TotalSeconds:0.0} s, more than {FailoverLimit.TotalSeconds} s");
            foreach (var (camera, silo) in started.Where(p => p.Value != victim.Name))
                Assert.True(recovered[camera] == silo, $"{camera} stayed on {silo} (now {recovered[camera]}): only the dead silo's cameras move");

            // 4. Still one silo per camera, for a few seconds more.
            for (int i = 0; i < 3; i++)
            {
                await AssertOneSiloPerCameraAsync(grains, names, survivors);
                await Task.Delay(1000);
            }
            Log($"test done after {clock.Elapsed.TotalSeconds:0.0} s");
            await client.StopAsync();
        }
        finally
        {
            foreach (var silo in silos) silo.Dispose();
        }
    }

    /// <summary>
    /// Each camera is active on exactly one live silo, by two independent accounts: Orleans' own list of
    /// activations on every live silo (the management grain), and the silos' CAMERA-ACTIVE lines.
    /// </summary>
    private async Task AssertOneSiloPerCameraAsync(IClusterClient grains, string[] names, IReadOnlyList<SiloProcess> live)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var statistics = await management.GetDetailedGrainStatistics();
        var cameraActivations = statistics.Where(s => s.GrainType.Contains(nameof(CameraGrain), StringComparison.Ordinal))
            .GroupBy(s => s.GrainId.Key.ToString()!).ToDictionary(g => g.Key, g => g.Select(s => s.SiloAddress).ToList());
        foreach (var name in names)
        {
            Assert.True(cameraActivations.TryGetValue(name, out var where) && where.Count == 1,
                $"{name}: Orleans lists activations on [{string.Join(", ", where ?? [])}]");
            var announced = live.Where(s => s.ActiveCameras.Contains(name)).Select(s => s.Name).ToList();
            Assert.True(announced.Count == 1, $"{name} is announced active on [{string.Join(", ", announced)}]");
        }
    }

    /// <summary>A camera's status says where it runs and that it streams; its JPEG snapshot shows the barcode.</summary>
    private static async Task AssertStatusAndSnapshotAsync(IClusterClient grains, string camera, string silo)
    {
        var grain = grains.GetGrain<ICameraGrain>(camera);
        var status = await grain.GetStatusAsync();
        Assert.True(status.Silo == silo && status.State == nameof(StreamState.Streaming) && status.FrameAge < Fresh && status.FramesStored > 0,
            $"status of {camera}: {status}");
        var snapshot = await grain.GetSnapshotAsync();
        Assert.NotNull(snapshot);
        Assert.Equal("jpeg", snapshot.Format);
        var decoded = ExternalTool.Run(ExternalTool.Require("ffmpeg", "ffmpeg"), ["-hide_banner", "-loglevel", "error",
            "-f", "image2pipe", "-i", "-", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], TimeSpan.FromSeconds(20), snapshot.Data);
        Assert.True(decoded.ExitCode == 0 && decoded.StdOut.Length == snapshot.Width * snapshot.Height * 3, $"ffmpeg decoding the snapshot: {decoded}");
        var (top, bottom) = Barcode.ReadFrame(decoded.StdOut, snapshot.Width, snapshot.Height);
        Assert.True(top == bottom, $"the snapshot of {camera} shows barcode {top} at the top, {bottom} at the bottom");
    }

    private static string Describe(string what, FreshnessWatch watch, IEnumerable<SiloProcess> silos) =>
        $"{what}: {watch.Report()}\n" + string.Join("\n", silos.Select(s => $"--- {s.Name} ---\n{s.Logs}"));

    private void Log(string line) => _output.WriteLine($"[fleet] {line}");
}

/// <summary>
/// Polls every camera's newest frame until each has shown two frames from the same allowed silo whose
/// barcode index advanced, the newer one captured after a given moment and less than 2 s old.
/// </summary>
internal sealed class FreshnessWatch
{
    private readonly IClusterClient _grains;
    private readonly string[] _names;
    private readonly IReadOnlySet<string> _allowed;
    private readonly Dictionary<string, (string silo, int index)> _last = new();
    private readonly Dictionary<string, string> _fresh = new();
    private readonly Dictionary<string, TimeSpan> _freshAfter = new();
    private readonly Dictionary<string, string> _lastProblem = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public FreshnessWatch(IClusterClient grains, string[] names, IReadOnlySet<string> allowed)
    {
        _grains = grains;
        _names = names;
        _allowed = allowed;
    }

    /// <summary>Waits until every camera is fresh, or the timeout; returns the fresh cameras and their silos.</summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitUntilAllFreshAsync(TimeSpan timeout, DateTimeOffset capturedAfter)
    {
        while (_fresh.Count < _names.Length && _clock.Elapsed < timeout)
        {
            var pending = _names.Where(n => !_fresh.ContainsKey(n)).ToArray();
            var frames = await Task.WhenAll(pending.Select(ReadAsync));
            for (int i = 0; i < pending.Length; i++) Judge(pending[i], frames[i], capturedAfter);
            if (_fresh.Count < _names.Length) await Task.Delay(200);
        }
        return new Dictionary<string, string>(_fresh);
    }

    /// <summary>When the slowest of <paramref name="cameras"/> became fresh, from the watch's start.</summary>
    public TimeSpan SlowestRecovery(IEnumerable<string> cameras) =>
        cameras.Select(c => _freshAfter.GetValueOrDefault(c, TimeSpan.MaxValue)).DefaultIfEmpty(TimeSpan.Zero).Max();

    public string Report() => string.Join("; ", _names.Where(n => !_fresh.ContainsKey(n)).Select(n => $"{n}: {_lastProblem.GetValueOrDefault(n, "never read")}"));

    private async Task<(CameraFrame? frame, string? error)> ReadAsync(string name)
    {
        try
        {
            return (await _grains.GetGrain<ICameraGrain>(name).GetNewestFrameAsync().WaitAsync(TimeSpan.FromSeconds(2)), null);
        }
        catch (Exception e)
        {
            return (null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private void Judge(string name, (CameraFrame? frame, string? error) read, DateTimeOffset capturedAfter)
    {
        if (read.frame is not { } frame)
        {
            _lastProblem[name] = read.error ?? "no frame yet";
            return;
        }
        Assert.Equal("rgb24", frame.Format);
        var (top, bottom) = Barcode.ReadFrame(frame.Data, frame.Width, frame.Height);
        Assert.True(top == bottom, $"{name}: torn frame from {frame.Silo} (barcode {top} at the top, {bottom} at the bottom)");
        var age = DateTimeOffset.UtcNow - frame.CapturedAt;
        if (!_allowed.Contains(frame.Silo) || frame.CapturedAt < capturedAfter || age > TimeSpan.FromSeconds(2))
        {
            _lastProblem[name] = $"frame {top} from {frame.Silo}, {age.TotalMilliseconds:0} ms old";
            _last.Remove(name);
            return;
        }
        if (_last.TryGetValue(name, out var previous) && previous.silo == frame.Silo && Advanced(previous.index, top))
        {
            _fresh[name] = frame.Silo;
            _freshAfter[name] = _clock.Elapsed;
            return;
        }
        _lastProblem[name] = $"frame {top} from {frame.Silo}, not advanced yet";
        _last[name] = (frame.Silo, top);
    }

    /// <summary>Whether barcode index <paramref name="now"/> comes after <paramref name="before"/> (indices wrap at 2^16).</summary>
    private static bool Advanced(int before, int now)
    {
        int step = (now - before + Barcode.Modulus) % Barcode.Modulus;
        return step is > 0 and < Barcode.Modulus / 2;
    }
}
