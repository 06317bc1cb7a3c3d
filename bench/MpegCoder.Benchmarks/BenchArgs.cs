using System.Globalization;

namespace MpegCoder.Benchmarks;

/// <summary>The runner's command line: a mode, positional values and --name value options.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public BenchArgs(IEnumerable<string> args)
    {
        string? name = null;
        foreach (var a in args)
        {
            if (name is not null) { _options[name] = a; name = null; }
            else if (a.StartsWith("--", StringComparison.Ordinal)) name = a[2..];
            else Positional.Add(a);
        }
        if (name is not null) throw new ArgumentException($"--{name} needs a value");
    }

    public List<string> Positional { get; } = [];

    public string Source => Positional.Count > 0 ? Positional[0] : throw new ArgumentException("a clip path or stream URL is needed");

    public string Text(string name, string fallback) => _options.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) =>
        _options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _options.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>--size WxH, or (0, 0) for the source's size.</summary>
    public (int width, int height) Size
    {
        get
        {
            var s = Text("size", "");
            if (s.Length == 0) return (0, 0);
            var parts = s.Split('x');
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>--rate num/den, or null for every frame.</summary>
    public (int num, int den)? Rate
    {
        get
        {
            var s = Text("rate", "");
            if (s.Length == 0) return null;
            var parts = s.Split('/');
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 1);
        }
    }

    public DecoderSkip Skip => Text("skip", "none") switch
    {
        "none" => DecoderSkip.None,
        "noref" => DecoderSkip.NonReference,
        "nokey" => DecoderSkip.NonKey,
        var s => throw new ArgumentException($"--skip {s}: none, noref or nokey"),
    };

    /// <summary>--scaling with swscale's own names (the CLI's -sws_flags), bicubic by default.</summary>
    public Scaling Scaling => Text("scaling", "bicubic") switch
    {
        "bicubic" => Scaling.Bicubic,
        "bilinear" => Scaling.Bilinear,
        "fast_bilinear" => Scaling.FastBilinear,
        "neighbor" => Scaling.Nearest,
        "area" => Scaling.Area,
        "lanczos" => Scaling.Lanczos,
        var s => throw new ArgumentException($"--scaling {s}: bicubic, bilinear, fast_bilinear, neighbor, area or lanczos"),
    };
}
