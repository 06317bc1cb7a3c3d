using System.Globalization;
using System.Net.Sockets;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;

namespace MpegCoder.Fleet.Tests;

/// <summary>
/// One silo of the camera fleet: samples/CameraFleet's dll in its own process, as an operator runs it.
/// Tracks the cameras the silo says it activated and deactivated (its CAMERA-ACTIVE / CAMERA-INACTIVE lines).
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly DaemonProcess _process;
    private readonly HashSet<string> _active = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(string name, string redis, string camerasFile, int expectedSilos)
    {
        Name = name;
        SiloPort = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        GatewayPort = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        string program = Path.Combine(Repository.Root, "samples", "CameraFleet", "bin", Repository.Configuration, "net10.0", "CameraFleet.dll");
        if (!File.Exists(program)) throw new FileNotFoundException($"{program} is built with the tests", program);
        _process = DaemonProcess.Start(name, "dotnet",
        [
            program, "--name", name, "--redis", redis, "--cameras", camerasFile,
            "--silo-port", SiloPort.ToString(CultureInfo.InvariantCulture),
            "--gateway-port", GatewayPort.ToString(CultureInfo.InvariantCulture),
            "--Fleet:ExpectedSilos", expectedSilos.ToString(CultureInfo.InvariantCulture),
        ], OnLine);
    }

    public string Name { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public bool HasExited => _process.HasExited;
    public string Logs => _process.Logs;

    /// <summary>The cameras whose activation this silo announced and has not deactivated.</summary>
    public IReadOnlySet<string> ActiveCameras { get { lock (_active) return new HashSet<string>(_active); } }

    public static SiloProcess Start(string name, string redis, string camerasFile, int expectedSilos) =>
        new(name, redis, camerasFile, expectedSilos);

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        try { await _ready.Task.WaitAsync(timeout); }
        catch (TimeoutException) { throw _process.Fail($"silo {Name} did not start within {timeout.TotalSeconds} s"); }
    }

    private void OnLine(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length >= 2 && words[0] == "SILO-READY") _ready.TrySetResult();
        if (words.Length < 3 || words[2] != Name) return;
        lock (_active)
        {
            if (words[0] == "CAMERA-ACTIVE") _active.Add(words[1]);
            else if (words[0] == "CAMERA-INACTIVE") _active.Remove(words[1]);
        }
    }

    /// <summary>SIGKILL: the silo dies at once, as on a power cut; its camera connections close with it.</summary>
    public void Kill() => _process.Dispose();

    public void Dispose() => _process.Dispose();
}
