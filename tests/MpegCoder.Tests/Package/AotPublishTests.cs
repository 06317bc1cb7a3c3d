using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Package;

/// <summary>
/// The library is marked IsAotCompatible; this proves it: the sample client publishes with Native AOT
/// without a single trimming or AOT warning, and the native program reads the live stream. The native
/// compile takes both cores for most of a minute, so it runs alone, not beside timing-sensitive tests.
/// </summary>
[Collection(AloneCollection.Name)]
public class AotPublishTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    [Fact]
    public void The_sample_publishes_with_Native_AOT_without_warnings_and_reads_the_stream()
    {
        ExternalTool.Require("clang", "clang");
        string artifacts = Directory.CreateTempSubdirectory("mpegcoder-aot").FullName;
        try
        {
            string output = Path.Combine(artifacts, "publish");
            // Its own artifacts folder, so the publish never writes into the build the other tests use.
            var publish = ExternalTool.Run("dotnet", ["publish", Path.Combine(Repository.Root, "samples", "StreamClient", "StreamClient.csproj"),
                "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "--artifacts-path", artifacts, "-o", output, "-nologo"],
                TimeSpan.FromMinutes(8));
            string log = publish.StdOutText + publish.StdErr;
            Assert.False(publish.TimedOut, log);
            Assert.True(publish.ExitCode == 0, log);
            var warnings = log.Split('\n').Where(l => l.Contains("warning", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(warnings.Count == 0, string.Join('\n', warnings));

            string program = Path.Combine(output, "StreamClient");
            Assert.True(File.Exists(program), $"{program} was not published");
            Assert.False(File.Exists(Path.Combine(output, "MpegCoder.dll")), "a Native AOT program has no managed assemblies beside it");
            var run = ExternalTool.Run(program, [fixture.Server.Url, "2"], TimeSpan.FromSeconds(60));
            Assert.False(run.TimedOut, run.StdErr);
            Assert.True(run.ExitCode == 0, run.StdOutText + run.StdErr);
            Assert.Contains("batch 1: (5, 360, 480, 3)", run.StdOutText);
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }
}
