using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MpegCoder.Recording;

/// <summary>
/// Which files of a folder a recorder's path could have named: the folder of the path, and a regular
/// expression for the names its format string gives (<c>{0}</c> a date, <c>{1}</c> a number, "-2",
/// "-3"... before the extension of a repeated name). Retention deletes only files it matches, those an
/// earlier run of the recorder left included, and never another program's.
/// </summary>
/// <remarks>
/// The folder must be fixed (format items only in the file name) and every item's format one that
/// <see cref="FormatItemPatterns"/> describes. The pattern checks itself on names the format string
/// really gives for a few dates and numbers, so a path it would misread is refused rather than trusted.
/// Immutable.
/// </remarks>
internal sealed class RecordingNamePattern
{
    private static readonly char[] Separators = Path.DirectorySeparatorChar == Path.AltDirectorySeparatorChar
        ? [Path.DirectorySeparatorChar] : [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    private readonly Regex _name;

    private RecordingNamePattern(string folder, Regex name)
    {
        Folder = folder;
        _name = name;
    }

    /// <summary>The full path of the folder the recorder writes to.</summary>
    public string Folder { get; }

    /// <summary>Whether <paramref name="fileName"/> (a name, without its folder) is one the path could have given.</summary>
    public bool Matches(string fileName) => _name.IsMatch(fileName);

    /// <summary>The pattern of <paramref name="template"/>, a recording's path (a format string).</summary>
    /// <exception cref="ArgumentException">The path's folder holds a format item, or an item's format cannot be described safely.</exception>
    public static RecordingNamePattern For(string template)
    {
        List<(string? Literal, string? Pattern)> parts;
        try
        {
            parts = Parse(template);
        }
        catch (FormatException e)
        {
            throw Refusal(template, e.Message);
        }
        // The last separator of the literal text ends the folder; no item may come before it.
        int last = parts.FindLastIndex(p => p.Literal?.IndexOfAny(Separators) >= 0);
        string folder = "";
        if (last >= 0)
        {
            if (parts.Take(last).Any(p => p.Pattern is not null)) throw Refusal(template, "its folder holds a format item; only the file name may");
            string literal = parts[last].Literal!;
            int cut = literal.LastIndexOfAny(Separators) + 1;
            folder = string.Concat(parts.Take(last).Select(p => p.Literal)) + literal[..cut];
            parts = [(literal[cut..], null), .. parts.Skip(last + 1)];
        }
        var name = new Regex("^" + NamePattern(parts) + "$", RegexOptions.CultureInvariant);
        var pattern = new RecordingNamePattern(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder.Length == 0 ? "." : folder)), name);
        pattern.CheckOn(template);
        return pattern;
    }

    /// <summary>The name's parts in order: literal text, or the pattern of a format item.</summary>
    private static List<(string? Literal, string? Pattern)> Parse(string template)
    {
        var parts = new List<(string?, string?)>();
        var literal = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if ((c is '{' or '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (c == '}') throw new FormatException("a '}' without its '{'");
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            int close = template.IndexOf('}', i);
            if (close < 0) throw new FormatException("a '{' without its '}'");
            if (literal.Length > 0) parts.Add((literal.ToString(), null));
            literal.Clear();
            parts.Add((null, ItemPattern(template[(i + 1)..close])));
            i = close;
        }
        if (literal.Length > 0) parts.Add((literal.ToString(), null));
        return parts;
    }

    /// <summary>The pattern of one format item: "0:yyyyMMdd", "1,4", "1:000".</summary>
    private static string ItemPattern(string item)
    {
        int colon = item.IndexOf(':');
        string head = colon < 0 ? item : item[..colon];
        string? format = colon < 0 ? null : item[(colon + 1)..];
        int comma = head.IndexOf(',');
        string index = (comma < 0 ? head : head[..comma]).Trim();
        string pattern = index switch
        {
            "0" => FormatItemPatterns.Date(format),
            "1" => FormatItemPatterns.Number(format),
            _ => throw new FormatException($"{{{index}}} is not {{0}} (the time) or {{1}} (the number)"),
        };
        if (comma < 0) return pattern;
        // An alignment pads with spaces, on the left when positive.
        if (!int.TryParse(head[(comma + 1)..].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int width))
            throw new FormatException($"'{item}' has an alignment that is not a number");
        return width >= 0 ? " *" + pattern : pattern + " *";
    }

    /// <summary>The name's pattern, with the "-2", "-3"... of a repeated name before the extension of its last literal text.</summary>
    private static string NamePattern(List<(string? Literal, string? Pattern)> parts)
    {
        const string repeat = "(?:-[0-9]+)?";
        var text = new StringBuilder();
        for (int i = 0; i < parts.Count; i++)
        {
            var (literal, pattern) = parts[i];
            if (literal is null)
            {
                text.Append(pattern);
                continue;
            }
            int dot = i == parts.Count - 1 ? literal.LastIndexOf('.') : -1;
            text.Append(dot < 0 ? Regex.Escape(literal) : Regex.Escape(literal[..dot]) + repeat + Regex.Escape(literal[dot..]));
            if (i == parts.Count - 1 && dot < 0) text.Append(repeat);
        }
        if (parts.Count == 0 || parts[^1].Literal is null) text.Append(repeat);
        return text.ToString();
    }

    /// <summary>Checks the pattern on names the path gives for dates and numbers of every width, and on their repeats.</summary>
    private void CheckOn(string template)
    {
        DateTime[] dates = [new(2001, 2, 3, 4, 5, 6, 7, DateTimeKind.Local), new(2026, 12, 31, 23, 59, 58, 999, DateTimeKind.Local),
            new(2030, 10, 10, 12, 0, 0, 0, DateTimeKind.Local)];
        int[] numbers = [0, 7, 42, 12345];
        foreach (var date in dates)
            foreach (int number in numbers)
            {
                string name = RecordingTarget.Format(template, date, number);
                string? folder = Path.GetDirectoryName(Path.GetFullPath(name));
                if (!string.Equals(folder, Folder, StringComparison.Ordinal))
                    throw Refusal(template, $"the name '{name}' it gives for {date:O} is not in the folder '{Folder}'");
                foreach (string file in new[] { name, RecordingTarget.Repeat(name, 2), RecordingTarget.Repeat(name, 13) })
                    if (!Matches(Path.GetFileName(file)))
                        throw Refusal(template, $"the name '{Path.GetFileName(file)}' it gives is not one this library can recognise");
            }
    }

    private static ArgumentException Refusal(string template, string why) =>
        new($"MaxAge, MaxTotalBytes and MinFreeBytes delete only the files the Path '{template}' names, but {why}. " +
            "Use a fixed folder and {0} (the time) or {1} (the number) with formats of digits, as \"cam1-{0:yyyyMMdd-HHmmss}.mp4\".", "Path");
}
