using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using MpegCoder.Hosting.Tests.Live;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Hosting.Tests.Program;

/// <summary>
/// The built camera wall program with the appsettings.json it ships: its two cameras (pointed at the
/// live test stream from the command line) open and stream, "entrance" records under recordings/ of the
/// folder it is started from, and it prints its page address.
/// </summary>
public class CameraWallProgramTests
{
    [Fact]
    public async Task The_program_opens_the_cameras_of_its_appsettings_json_and_prints_its_address()
    {
        string program = Path.Combine(Repository.Root, "samples", "CameraWall", "bin", Repository.Configuration, "net10.0", "CameraWall.dll");
        Assert.True(File.Exists(program), $"{program} is built with the solution");
        using var server = await Task.Run(() => RtspTestServer.Start());
        string folder = Directory.CreateTempSubdirectory("mpegcoder-wall-program-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var a in new[]
        {
            program, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            "--MpegCoder:Cameras:0:Address", server.Url, "--MpegCoder:Cameras:1:Address", server.Url,
        })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        try
        {
            var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line && Regex.Match(line, @"^Camera wall:\s+(http://127\.0\.0\.1:\d+)/") is { Success: true } m)
                    address.TrySetResult(m.Groups[1].Value);
            };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var http = new HttpClient { BaseAddress = new Uri(await address.Task.WaitAsync(TimeSpan.FromSeconds(30))), Timeout = TimeSpan.FromSeconds(10) };

            Assert.Contains("<title>MpegCoder camera wall</title>", await http.GetStringAsync("/"));
            string cameras = "";
            Assert.True(await WallFixture.EventuallyAsync(async () =>
            {
                cameras = await http.GetStringAsync("/api/cameras");
                var list = JsonDocument.Parse(cameras).RootElement.EnumerateArray()
                    .Select(c => (c.GetProperty("name").GetString(), c.GetProperty("state").GetString())).ToList();
                return list.SequenceEqual([("entrance", "streaming"), ("yard", "streaming")]);
            }, TimeSpan.FromSeconds(20)), cameras);
            Assert.Contains("\"status\":\"Healthy\"", await http.GetStringAsync("/health"));
            // Its first one-minute segment is being written.
            Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(
                Directory.Exists(Path.Combine(folder, "recordings")) &&
                Directory.GetFiles(Path.Combine(folder, "recordings"), "entrance-*.mp4").Any(f => new FileInfo(f).Length > 0)), TimeSpan.FromSeconds(10)));
        }
        finally
        {
            ExternalTool.KillTree(process);
            process.WaitForExit(5000);
            Directory.Delete(folder, recursive: true);
        }
    }
}
