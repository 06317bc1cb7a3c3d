using System.IO.Compression;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Package;

public class PackageTests
{
    [Fact]
    public void Dotnet_pack_makes_a_package_for_both_frameworks_with_its_readme()
    {
        string output = Directory.CreateTempSubdirectory("mpegcoder-pack").FullName;
        try
        {
            ExternalTool.RunChecked("dotnet", ["pack", Path.Combine(Repository.Root, "src", "MpegCoder", "MpegCoder.csproj"),
                "-c", Repository.Configuration, "--no-build", "-o", output, "-nologo"], TimeSpan.FromMinutes(3));
            string package = Assert.Single(Directory.GetFiles(output, "MpegCoder.*.nupkg"));
            using var zip = ZipFile.OpenRead(package);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("lib/net8.0/MpegCoder.dll", entries);
            Assert.Contains("lib/net10.0/MpegCoder.dll", entries);
            Assert.Contains("lib/net8.0/MpegCoder.xml", entries);
            Assert.Contains("README.md", entries);
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
            string text = nuspec.ReadToEnd();
            Assert.Contains("<id>MpegCoder</id>", text);
            Assert.Contains("<readme>README.md</readme>", text);
            Assert.Contains("<license type=\"expression\">MIT</license>", text);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
