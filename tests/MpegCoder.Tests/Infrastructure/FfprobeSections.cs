namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// Reads ffprobe's compact output (<c>-of compact</c>): one line per section,
/// <c>stream|codec_name=h264|width=320</c> or <c>packet|stream_index=1|pts_time=0.02</c>.
/// </summary>
public static class FfprobeSections
{
    public static readonly string[] Format = ["-of", "compact"];

    /// <summary>The fields of every line of section <paramref name="section"/>, in order.</summary>
    public static List<Dictionary<string, string>> Parse(string output, string section)
    {
        var result = new List<Dictionary<string, string>>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            if (parts[0] != section)
                continue;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var part in parts.Skip(1))
            {
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                    fields[part[..eq]] = part[(eq + 1)..];
            }
            result.Add(fields);
        }
        return result;
    }

    /// <summary>The value of <paramref name="key"/>, or null when absent or N/A.</summary>
    public static string? Field(this Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var value) && value != "N/A" ? value : null;
}
