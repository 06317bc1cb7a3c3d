namespace MpegCoder;

/// <summary>The original's getParameter() conventions, shared by the ports (MpegClient, MpegDecoder).</summary>
internal static class PortParameters
{
    /// <summary>
    /// The original's parameter dictionary: the path or address under <paramref name="pathKey"/>, codecName;
    /// bitRate, GOPSize and maxBframe only once set up; nthread; widthDst and heightDst only when not 0;
    /// width, height; frameRate when known. Values come from the port's <paramref name="get"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, object> Dictionary(string pathKey, bool setUp, Func<string, object?> get)
    {
        var result = new Dictionary<string, object>();
        foreach (var key in new[] { pathKey, "codecName", "bitRate", "GOPSize", "maxBframe", "nthread", "widthDst", "heightDst", "width", "height", "frameRate" })
        {
            bool onlyWhenSetUp = key is "bitRate" or "GOPSize" or "maxBframe";
            if (onlyWhenSetUp && !setUp) continue;
            if (get(key) is not { } value) continue;
            if (key is "widthDst" or "heightDst" && value is 0) continue;
            result[key] = value;
        }
        return result;
    }

    /// <summary>A 64-bit count as the original's C int: clamped, never wrapped.</summary>
    public static int Int(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);
}
