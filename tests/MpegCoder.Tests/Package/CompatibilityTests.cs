using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Package;

/// <summary>
/// Every package is validated against its release baseline when packed (src/PackageBaselines): this
/// proves the check can fail. A copy of the library in which a public member of the baseline was made
/// internal, its PublicAPI line removed too (as a developer who means it would), must not pack, and the
/// error must name the member.
/// </summary>
public class CompatibilityTests
{
    private const string Removed = "public int CopyNewestFrames(Span<byte> destination, int count = 0)";

    [Fact]
    public void A_package_without_a_member_of_its_baseline_fails_to_pack_and_names_the_member()
    {
        string copy = Directory.CreateTempSubdirectory("mpegcoder-compat").FullName;
        try
        {
            CopyTree(Path.Combine(Repository.Root, "src", "MpegCoder"), Path.Combine(copy, "src", "MpegCoder"));
            CopyTree(Path.Combine(Repository.Root, "src", "PackageBaselines"), Path.Combine(copy, "src", "PackageBaselines"));
            foreach (string file in new[] { "Directory.Build.props", "Directory.Build.targets" })
                File.Copy(Path.Combine(Repository.Root, file), Path.Combine(copy, file));

            string client = Path.Combine(copy, "src", "MpegCoder", "Streaming", "MpegClient.cs");
            string code = File.ReadAllText(client);
            Assert.Contains(Removed, code);
            File.WriteAllText(client, code.Replace(Removed, Removed.Replace("public ", "internal ", StringComparison.Ordinal), StringComparison.Ordinal));
            int lines = 0;
            foreach (string list in Directory.GetFiles(Path.Combine(copy, "src", "MpegCoder"), "PublicAPI.*.txt"))
            {
                var kept = File.ReadAllLines(list).Where(l => !l.StartsWith("MpegCoder.MpegClient.CopyNewestFrames(", StringComparison.Ordinal)).ToArray();
                lines += File.ReadAllLines(list).Length - kept.Length;
                File.WriteAllLines(list, kept);
            }
            Assert.Equal(1, lines);

            var result = ExternalTool.Run("dotnet", ["pack", Path.Combine(copy, "src", "MpegCoder", "MpegCoder.csproj"),
                "-c", "Release", "-o", Path.Combine(copy, "out"), "-nologo"], TimeSpan.FromMinutes(5));
            string output = result.StdOutText + result.StdErr;
            Assert.False(result.TimedOut, "dotnet pack timed out");
            Assert.True(result.ExitCode != 0, "the pack succeeded without the member:\n" + output);
            Assert.Contains("CP0002", output);
            Assert.Contains("MpegCoder.MpegClient.CopyNewestFrames(System.Span<byte>, int)", output);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>Copies a source folder without its build output.</summary>
    private static void CopyTree(string from, string to)
    {
        foreach (string dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            if (!IsBuildOutput(Path.GetRelativePath(from, dir)))
                Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (!IsBuildOutput(relative)) File.Copy(file, Path.Combine(to, relative));
        }
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split('/')[0] is "bin" or "obj";
}
