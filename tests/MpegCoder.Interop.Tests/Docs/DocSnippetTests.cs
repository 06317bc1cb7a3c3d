using System.Text;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Interop.Tests.Docs;

/// <summary>
/// Every ```csharp block of the documentation is a complete program (top-level statements) and must
/// compile against the library, the interop and hosting packages and ASP.NET Core (whose shared
/// framework also brings Microsoft.Extensions: logging, hosting, configuration, health checks); the README's two quick starts also run, on a
/// barcode clip named clip.mp4 and on the live test stream. ```cs-fragment blocks are not compiled.
/// The convention is written in CONTRIBUTING.md.
/// </summary>
public class DocSnippetTests(LiveStreamFixture live) : IClassFixture<LiveStreamFixture>
{
    private const string LiveAddressInDocs = "rtsp://localhost:8554/video";

    /// <summary>The assemblies a snippet may use, as built beside this test assembly.</summary>
    private static readonly string[] References =
    [
        "MpegCoder", "MpegCoder.OpenCvSharp", "MpegCoder.ImageSharp", "MpegCoder.Tensors", "MpegCoder.Hosting",
        "OpenCvSharp", "SixLabors.ImageSharp", "Microsoft.ML.OnnxRuntime", "System.Numerics.Tensors",
    ];

    [Fact]
    public void Every_csharp_block_compiles_and_the_quick_starts_run()
    {
        var blocks = DocBlocks.Files(Repository.Root).SelectMany(f => DocBlocks.Read(Repository.Root, f)).ToList();
        var programs = blocks.Where(b => b.Language is "csharp" or "cs" or "c#").ToList();
        var unknown = blocks.Where(b => b.Language is not ("csharp" or "cs" or "c#" or "cs-fragment" or "bash" or "sh" or "" or "text" or "json" or "xml")).ToList();
        Assert.True(unknown.Count == 0, $"Blocks with an unknown language tag: {string.Join(", ", unknown.Select(b => $"{b} '{b.Language}'"))}");
        Assert.True(programs.Count >= 8, $"Only {programs.Count} C# blocks found");
        var quickStarts = programs.Where(b => b.File == "README.md" && b.Section == "Quick start").ToList();
        Assert.Equal(2, quickStarts.Count);

        string folder = Directory.CreateTempSubdirectory("mpegcoder-doc-snippets").FullName;
        try
        {
            string project = WriteProject(folder, programs);
            var build = ExternalTool.Run("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "quiet", "-o", Path.Combine(folder, "out")], TimeSpan.FromMinutes(4));
            Assert.True(build.ExitCode == 0, "The documentation's C# blocks do not compile:\n" + ErrorLines(build.StdOutText + build.StdErr));

            string program = Path.Combine(folder, "out", "DocSnippets.dll");
            string work = Path.Combine(folder, "work");
            Directory.CreateDirectory(work);
            File.Copy(Clips.BarcodeClip(2), Path.Combine(work, "clip.mp4"));

            var file = Run(program, work, programs.IndexOf(quickStarts[0])).Split('\n');
            Assert.Equal("h264 320x240, 25 fps", file[0]);
            var sequences = file.Skip(1).Where(l => l.Length > 0).Select(l =>
            {
                Assert.Matches(@"^frame \d+ at 00:00:0[0-9.]+: 230400 bytes of Rgb24$", l);
                return long.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            }).ToList();
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), sequences);   // the clip's 50 frames, in order, once each

            var camera = Run(program, work, programs.IndexOf(quickStarts[1]));
            var frames = camera.Split('\n').Where(l => l.StartsWith("frame ", StringComparison.Ordinal)).ToList();
            Assert.Equal(50, frames.Count);
            Assert.All(frames, l => Assert.EndsWith("ms old", l.TrimEnd()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private string Run(string program, string work, int index)
    {
        var result = ExternalTool.Run("dotnet", [program, index.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(60), workingDirectory: work);
        Assert.False(result.TimedOut, result.StdErr);
        Assert.True(result.ExitCode == 0, result.StdOutText + result.StdErr);
        return result.StdOutText;
    }

    /// <summary>
    /// One console project: each block becomes a static async method (its using lines stay at the top of
    /// its own file, and #line points errors at the Markdown), and Main runs the block named by its index.
    /// </summary>
    private string WriteProject(string folder, List<DocBlock> programs)
    {
        string bin = AppContext.BaseDirectory;
        var references = string.Concat(References.Select(r =>
            $"    <Reference Include=\"{r}\"><HintPath>{Path.Combine(bin, r + ".dll")}</HintPath></Reference>\n"));
        File.WriteAllText(Path.Combine(folder, "DocSnippets.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                <NoWarn>CS1998;CS0168;CS0219;CS8321</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <FrameworkReference Include="Microsoft.AspNetCore.App" />
            {references}  </ItemGroup>
            </Project>
            """);
        var main = new StringBuilder("internal static class Program\n{\n    public static Task Main(string[] args) => int.Parse(args[0]) switch\n    {\n");
        for (int i = 0; i < programs.Count; i++)
        {
            var block = programs[i];
            string[] lines = block.Code.Replace(LiveAddressInDocs, live.Server.Url).Split('\n');
            int usings = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(';') && !l.Contains('(') && !l.Contains(" var ") || string.IsNullOrWhiteSpace(l)).Count();
            string path = Path.Combine(Repository.Root, block.File);
            var source = new StringBuilder();
            source.Append($"#line {block.Line} \"{path}\"\n").AppendJoin('\n', lines[..usings]).Append('\n');
            source.Append($"#line hidden\ninternal static class Snippet{i}\n{{\n    public static async Task Run()\n    {{\n");
            source.Append($"#line {block.Line + usings} \"{path}\"\n").AppendJoin('\n', lines[usings..]).Append('\n');
            source.Append("#line hidden\n        await Task.CompletedTask;\n    }\n}\n");
            File.WriteAllText(Path.Combine(folder, $"Snippet{i}.cs"), source.ToString());
            main.Append($"        {i} => Snippet{i}.Run(),\n");
        }
        main.Append("        _ => throw new ArgumentOutOfRangeException(nameof(args)),\n    };\n}\n");
        File.WriteAllText(Path.Combine(folder, "Program.cs"), main.ToString());
        return Path.Combine(folder, "DocSnippets.csproj");
    }

    private static string ErrorLines(string log) =>
        string.Join('\n', log.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(40));
}
