using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Package;

/// <summary>The way a user meets the library: the package, installed from a folder into a new console project.</summary>
public class PackageConsumerTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private const string Program = """
        using MpegCoder;

        using var client = new MpegClient();                       // the port
        client.SetParameter(widthDst: 160, heightDst: 120, readSize: 3, cacheSize: 6);
        if (!client.FFmpegSetup(args[0])) { Console.WriteLine(client.LastError); return 1; }
        client.Start();
        Thread.Sleep(1500);
        var p = client.ExtractFrame()!;
        Console.WriteLine($"port: ({p.GetLength(0)}, {p.GetLength(1)}, {p.GetLength(2)}, {p.GetLength(3)})");
        client.Clear();

        await using var stream = await VideoStream.OpenAsync(args[0]);   // the .NET face
        await foreach (var frame in stream.ReadFramesAsync())
            using (frame)
            {
                Console.WriteLine($"async: frame {frame.Metadata.Sequence} {frame.Width}x{frame.Height} {frame.PixelFormat}");
                break;
            }
        return 0;
        """;

    [Fact]
    public void A_new_console_project_installs_the_package_from_a_folder_and_reads_the_stream()
    {
        string root = Directory.CreateTempSubdirectory("mpegcoder-consumer").FullName;
        try
        {
            string feed = Path.Combine(root, "feed");
            string version = $"{PackageTests.Setting("VersionPrefix")}-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}"; // never served from a stale cache
            var timeout = TimeSpan.FromMinutes(4);
            ExternalTool.RunChecked("dotnet", ["pack", Path.Combine(Repository.Root, "src", "MpegCoder", "MpegCoder.csproj"),
                "-c", "Release", "-o", feed, $"-p:Version={version}", "-nologo"], timeout);
            Assert.True(File.Exists(Path.Combine(feed, $"MpegCoder.{version}.snupkg")), "the symbols package is made too");

            string app = Path.Combine(root, "app");
            ExternalTool.RunChecked("dotnet", ["new", "console", "-o", app, "-n", "Consumer", "--framework", "net10.0"], timeout);
            // The user's sources plus the local folder; no Directory.Build.props of this repository above it.
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            ExternalTool.RunChecked("dotnet", ["add", Path.Combine(app, "Consumer.csproj"), "package", "MpegCoder", "--version", version], timeout);
            File.WriteAllText(Path.Combine(app, "Program.cs"), Program);
            ExternalTool.RunChecked("dotnet", ["build", app, "-c", "Release", "-nologo"], timeout);

            var run = ExternalTool.Run("dotnet", [Path.Combine(app, "bin", "Release", "net10.0", "Consumer.dll"), fixture.Server.Url], TimeSpan.FromSeconds(60));
            Assert.True(run.ExitCode == 0, run.StdOutText + run.StdErr);
            Assert.Contains("port: (3, 120, 160, 3)", run.StdOutText);
            Assert.Contains("async: frame ", run.StdOutText);
            Assert.Contains("320x240 Rgb24", run.StdOutText);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
