using System.Text.RegularExpressions;

namespace MpegCoder.Interop.Tests.Docs;

/// <summary>One fenced code block of a Markdown file: its language tag, its first line's number, its text.</summary>
public sealed record DocBlock(string File, int Line, string Language, string Code, string Section)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>The documentation's Markdown files and their fenced code blocks.</summary>
public static partial class DocBlocks
{
    /// <summary>README.md, CONTRIBUTING.md and docs/*.md, as paths relative to the repository.</summary>
    public static IEnumerable<string> Files(string root) =>
        new[] { "README.md", "CONTRIBUTING.md" }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(f => Path.GetRelativePath(root, f)))
            .Where(f => File.Exists(Path.Combine(root, f)));

    /// <summary>Every fenced block of a file, with the nearest heading above it.</summary>
    public static IEnumerable<DocBlock> Read(string root, string file)
    {
        string[] lines = File.ReadAllLines(Path.Combine(root, file));
        string section = "";
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#'))
                section = lines[i].TrimStart('#').Trim();
            var open = Fence().Match(lines[i]);
            if (!open.Success)
                continue;
            int start = i + 1;
            int end = Array.FindIndex(lines, start, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
            if (end < 0)
                throw new InvalidOperationException($"{file}:{i + 1}: a code block that is never closed");
            yield return new DocBlock(file, start + 1, open.Groups[1].Value, string.Join('\n', lines[start..end]), section);
            i = end;
        }
    }

    [GeneratedRegex(@"^\s*```\s*([A-Za-z0-9_+#-]*)\s*$")]
    private static partial Regex Fence();
}
