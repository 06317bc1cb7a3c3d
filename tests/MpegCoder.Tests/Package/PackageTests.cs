using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Package;

/// <summary>
/// What the package gallery shows: every package packs with its readme, icon, licence, release notes,
/// project and repository URL (all from Directory.Build.props), absolute links only, and symbols whose
/// Source Link points at the same repository.
/// </summary>
public partial class PackageTests
{
    private static readonly string[] Packages = ["MpegCoder", "MpegCoder.OpenCvSharp", "MpegCoder.ImageSharp", "MpegCoder.Tensors", "MpegCoder.Hosting"];

    /// <summary>A property of Directory.Build.props, the one place for the version and the repository address.</summary>
    internal static string Setting(string name) =>
        Regex.Match(File.ReadAllText(Path.Combine(Repository.Root, "Directory.Build.props")), $@"<{name}[^>]*>([^<]+)</{name}>").Groups[1].Value;

    [Fact]
    public void Every_package_has_every_field_its_readme_and_icon_and_no_relative_link()
    {
        string version = Setting("VersionPrefix");
        string url = Setting("MpegCoderRepositoryUrl");
        Assert.Matches(@"^\d+\.\d+\.\d+$", version);
        Assert.StartsWith("https://", url);
        Pack(Packages, output =>
        {
            foreach (string id in Packages)
            {
                string package = Path.Combine(output, $"{id}.{version}.nupkg");
                Assert.True(File.Exists(package), $"{package} was not made");
                using var zip = ZipFile.OpenRead(package);
                var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
                foreach (string tfm in new[] { "net8.0", "net10.0" })
                {
                    Assert.Contains($"lib/{tfm}/{id}.dll", entries);
                    Assert.Contains($"lib/{tfm}/{id}.xml", entries);
                }
                var metadata = Nuspec(zip);
                CheckFields(id, metadata, version, url);
                Assert.Contains(Field(metadata, "readme"), entries);
                Assert.Contains(Field(metadata, "icon"), entries);
                CheckIcon(zip, Field(metadata, "icon"));
                string readme = Read(zip, Field(metadata, "readme"));
                CheckLinks(id, readme, url);
                Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), $"{id} has a symbols package");
            }
        });
    }

    [Fact]
    public void The_repository_address_is_set_in_one_place_and_Source_Link_follows_it()
    {
        const string other = "https://github.com/example-owner/example-name";
        Pack(["MpegCoder"], output =>
        {
            using var zip = ZipFile.OpenRead(Directory.GetFiles(output, "MpegCoder.*.nupkg").Single());
            var metadata = Nuspec(zip);
            Assert.Equal(other, Field(metadata, "projectUrl"));
            Assert.Equal(other, metadata.Element(metadata.Name.Namespace + "repository")!.Attribute("url")!.Value);
            Assert.Contains(other, Field(metadata, "releaseNotes"));
            string readme = Read(zip, Field(metadata, "readme"));
            Assert.Contains(other + "/blob/main/docs/api.md", readme);
            Assert.DoesNotContain(Setting("MpegCoderRepositoryUrl"), readme);
        }, $"-p:MpegCoderRepositoryUrl={other}");

        // The PDB (built with the default address) maps its sources to that repository's raw files.
        string owner = new Uri(Setting("MpegCoderRepositoryUrl")).AbsolutePath.Trim('/');
        string pdb = Path.Combine(Repository.Root, "src", "MpegCoder", "bin", Repository.Configuration, "net10.0", "MpegCoder.pdb");
        Assert.Matches($@"""https://raw\.githubusercontent\.com/{Regex.Escape(owner)}/[0-9a-f]{{40}}/\*""", SourceLinkJson(pdb));
    }

    [Fact]
    public void The_link_check_finds_relative_links()
    {
        Assert.Throws<Xunit.Sdk.TrueException>(() => CheckLinks("x", "see [the API](docs/api.md)", "https://github.com/o/n"));
        Assert.Throws<Xunit.Sdk.TrueException>(() => CheckLinks("x", "![player](player.png)", "https://github.com/o/n"));
        Assert.Throws<Xunit.Sdk.TrueException>(() => CheckLinks("x", "<img src=\"icon.png\">", "https://github.com/o/n"));
        Assert.Throws<Xunit.Sdk.DoesNotContainException>(() => CheckLinks("x", "at {repository}/blob/main/x.md", "https://github.com/o/n"));
        CheckLinks("x", "see [the API](https://github.com/o/n/blob/main/docs/api.md) and https://github.com/o/n#readme", "https://github.com/o/n");
    }

    private static void CheckFields(string id, XElement metadata, string version, string url)
    {
        Assert.Equal(id, Field(metadata, "id"));
        Assert.Equal(version, Field(metadata, "version"));
        foreach (string field in new[] { "authors", "description", "releaseNotes", "tags", "copyright" })
            Assert.False(string.IsNullOrWhiteSpace(Field(metadata, field)), $"{id}: <{field}> is empty");
        Assert.Equal("MIT", Field(metadata, "license"));
        Assert.Equal(url, Field(metadata, "projectUrl"));
        var repository = metadata.Element(metadata.Name.Namespace + "repository");
        Assert.True(repository is not null, $"{id}: no <repository>");
        Assert.Equal(url, repository.Attribute("url")?.Value);
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
    }

    /// <summary>Markdown links, images and HTML src/href: each must be absolute (https) or a fragment-free mailto.</summary>
    private static void CheckLinks(string id, string readme, string url)
    {
        Assert.DoesNotContain("{repository}", readme);
        var targets = MarkdownLink().Matches(readme).Select(m => m.Groups[1].Value)
            .Concat(HtmlLink().Matches(readme).Select(m => m.Groups[1].Value)).ToList();
        var relative = targets.Where(t => !t.StartsWith("https://", StringComparison.Ordinal)).ToList();
        Assert.True(relative.Count == 0, $"{id}: relative links in the package readme: {string.Join(", ", relative)}");
        foreach (Match bare in BareRepositoryLink().Matches(readme))
            Assert.StartsWith(url, bare.Value);
    }

    private static void CheckIcon(ZipArchive zip, string icon)
    {
        using var stream = zip.GetEntry(icon)!.Open();
        var header = new byte[24];
        stream.ReadExactly(header);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, header[..4]);
        int width = header[16] << 24 | header[17] << 16 | header[18] << 8 | header[19];
        int height = header[20] << 24 | header[21] << 16 | header[22] << 8 | header[23];
        Assert.True(width == height && width is >= 64 and <= 1024, $"icon {width}x{height}: NuGet wants a square of 64 to 1024 pixels");
    }

    private static void Pack(string[] ids, Action<string> check, params string[] properties)
    {
        string output = Directory.CreateTempSubdirectory("mpegcoder-pack").FullName;
        try
        {
            foreach (string id in ids)
                ExternalTool.RunChecked("dotnet", ["pack", Path.Combine(Repository.Root, "src", id, id + ".csproj"),
                    "-c", Repository.Configuration, "--no-build", "-o", output, "-nologo", .. properties], TimeSpan.FromMinutes(3));
            check(output);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static XElement Nuspec(ZipArchive zip)
    {
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var root = XDocument.Load(stream).Root!;
        return root.Element(root.Name.Namespace + "metadata")!;
    }

    private static string Field(XElement metadata, string name) => metadata.Element(metadata.Name.Namespace + name)?.Value.Trim() ?? "";

    private static string Read(ZipArchive zip, string entry)
    {
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>The Source Link JSON of a portable PDB.</summary>
    private static string SourceLinkJson(string pdb)
    {
        var sourceLink = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
        using var provider = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdb));
        var reader = provider.GetMetadataReader();
        foreach (var handle in reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            var info = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(info.Kind) == sourceLink)
                return Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value));
        }
        throw new InvalidOperationException($"{pdb} has no Source Link");
    }

    [GeneratedRegex(@"\]\(([^)\s]+)[^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"(?:src|href)\s*=\s*""([^""]+)""")]
    private static partial Regex HtmlLink();

    [GeneratedRegex(@"https://github\.com/[^\s)""#]+")]
    private static partial Regex BareRepositoryLink();
}
