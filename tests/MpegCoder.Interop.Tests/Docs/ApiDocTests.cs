using System.Text.RegularExpressions;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Interop.Tests.Docs;

/// <summary>
/// docs/api.md names every public type and member that PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt
/// of the library and of MpegCoder.Hosting list: each type has a heading with its name in backticks, and each member's name appears in backticks
/// in that heading's section. Constructors and init accessors are covered by the heading.
/// </summary>
public partial class ApiDocTests
{
    [Fact]
    public void Api_md_names_every_public_type_and_member()
    {
        var entries = ApiEntries().ToList();
        Assert.True(entries.Count > 150, $"only {entries.Count} API entries parsed");
        string[] doc = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "api.md"));

        var missing = new List<string>();
        foreach (var type in entries.GroupBy(e => e.Type))
        {
            string? section = Section(doc, type.Key);
            if (section is null)
            {
                missing.Add($"type {type.Key}: no heading with `{type.Key}`");
                continue;
            }
            var spans = CodeSpan().Matches(section).Select(m => m.Groups[1].Value).ToList();
            foreach (string member in type.Select(e => e.Member).OfType<string>().Distinct())
                if (!spans.Any(s => Regex.IsMatch(s, $@"(^|[^A-Za-z0-9_]){Regex.Escape(member)}([^A-Za-z0-9_]|$)")))
                    missing.Add($"{type.Key}.{member}");
        }
        Assert.True(missing.Count == 0, "docs/api.md does not name:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void The_parser_reads_members_of_every_kind()
    {
        Assert.Equal(("MpegClient", "ExtractFrame"), Parse("MpegCoder.MpegClient.ExtractFrame(int readSize = 0) -> byte[,,,]?"));
        Assert.Equal(("VideoStream", "OpenAsync"), Parse("static MpegCoder.VideoStream.OpenAsync(string! address) -> System.Threading.Tasks.Task<MpegCoder.VideoStream!>!"));
        Assert.Equal(("StreamOptions", "Width"), Parse("MpegCoder.StreamOptions.Width.get -> int"));
        Assert.Equal(("StreamOptions", null), Parse("MpegCoder.StreamOptions.Width.init -> void"));
        Assert.Equal(("JpegEncoder", null), Parse("MpegCoder.Imaging.JpegEncoder.JpegEncoder(int quality = 85) -> void"));
        Assert.Equal(("JpegEncoder", null), Parse("MpegCoder.Imaging.JpegEncoder"));
        Assert.Equal(("DecoderSkip", "NonKey"), Parse("MpegCoder.DecoderSkip.NonKey = 2 -> MpegCoder.DecoderSkip"));
        Assert.Equal(("MpegClient", "ToString"), Parse("override MpegCoder.MpegClient.ToString() -> string!"));
        Assert.Equal(("VideoStream", "StateChanged"), Parse("MpegCoder.VideoStream.StateChanged -> System.EventHandler<MpegCoder.StreamStateChangedEventArgs!>?"));
        Assert.Equal(("MpegClient", "DefaultOpenTimeout"), Parse("static readonly MpegCoder.MpegClient.DefaultOpenTimeout -> System.TimeSpan"));
        string[] doc = ["# API", "## `A`: one", "`X`", "### `B`", "`Y`", "## `C`", "`Z`"];
        Assert.Equal("## `A`: one\n`X`\n### `B`\n`Y`", Section(doc, "A"));
        Assert.Equal("### `B`\n`Y`", Section(doc, "B"));
    }

    private static IEnumerable<(string Type, string? Member)> ApiEntries()
    {
        return new[] { "MpegCoder", "MpegCoder.Hosting" }
            .SelectMany(project => new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }.Select(f => Path.Combine(Repository.Root, "src", project, f)))
            .SelectMany(File.ReadAllLines)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(Parse);
    }

    /// <summary>The type's simple name and the member's name (null for the type itself, constructors and init accessors).</summary>
    private static (string Type, string? Member) Parse(string line)
    {
        string text = Regex.Replace(line, @"^((static|override|abstract|virtual|const|readonly|sealed|new)\s+)+", "");
        text = text.Split(" -> ")[0].Split(" = ")[0];
        int paren = text.IndexOf('(');
        string path = paren < 0 ? text : text[..paren];
        string[] parts = path.Split('.');
        if (parts[^1] is "get" or "set" or "init")
        {
            if (parts[^1] == "init") return (parts[^3], null);
            parts = parts[..^1];
        }
        // A type line is the namespace path alone: MpegCoder.X, MpegCoder.Imaging.X or MpegCoder.Hosting.X.
        bool isType = paren < 0 && !line.Contains(" -> ", StringComparison.Ordinal);
        if (isType) return (parts[^1], null);
        string type = parts[^2], member = parts[^1];
        return member == type ? (type, null) : (type, member);
    }

    /// <summary>From the heading that names `type` to the next heading of the same or a higher level.</summary>
    private static string? Section(string[] doc, string type)
    {
        int start = Array.FindIndex(doc, l => l.StartsWith('#') && l.Contains($"`{type}`", StringComparison.Ordinal));
        if (start < 0) return null;
        int level = doc[start].TakeWhile(c => c == '#').Count();
        int end = Array.FindIndex(doc, start + 1, l => l.StartsWith('#') && l.TakeWhile(c => c == '#').Count() <= level);
        return string.Join('\n', doc[start..(end < 0 ? doc.Length : end)]);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
