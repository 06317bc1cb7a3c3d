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

    /// <summary>Parameter rows read through <paramref name="inner"/>, for a class whose parameters are another's plus its own.</summary>
    public static IEnumerable<PortParameter<TOuter>> Through<TInner, TOuter>(this IEnumerable<PortParameter<TInner>> rows, Func<TOuter, TInner> inner) =>
        rows.Select(r => new PortParameter<TOuter>(r.Name, r.Type, o => r.Read(inner(o))));
}

/// <summary>One name of a port's getParameter(): the original's spelling, the type of its value, and how it is read.</summary>
/// <typeparam name="TPort">What the value is read from (the port, or the state it keeps).</typeparam>
internal sealed record PortParameter<TPort>(string Name, Type Type, Func<TPort, object?> Read);

/// <summary>
/// Every name a port's GetParameter(string) knows, in one table per class, so that the names, their types
/// and the list an unknown name's error gives cannot drift apart. Names are matched as the original
/// matches them: case-insensitively. A value is of the row's type, or null where the original leaves
/// the key out (an unknown frame rate, an encoder not yet opened).
/// </summary>
internal sealed class PortParameterTable<TPort>
{
    private readonly Dictionary<string, PortParameter<TPort>> _byName = new(StringComparer.OrdinalIgnoreCase);

    public PortParameterTable(IEnumerable<PortParameter<TPort>> rows)
    {
        Rows = rows.ToArray();
        foreach (var row in Rows)
            _byName.Add(row.Name, row); // throws on a name given twice: the table is wrong, not the call
    }

    /// <summary>The rows in the order the error message lists them.</summary>
    public IReadOnlyList<PortParameter<TPort>> Rows { get; }

    /// <summary>The value of <paramref name="name"/> read from <paramref name="port"/>.</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public object? Read(TPort port, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_byName.TryGetValue(name, out var row))
            throw new ArgumentException($"Unknown parameter '{name}'. Known: {string.Join(", ", Rows.Select(r => r.Name))}.", nameof(name));
        var value = row.Read(port);
        System.Diagnostics.Debug.Assert(value is null || row.Type.IsInstanceOfType(value), $"{name} is {value?.GetType()}, not {row.Type}");
        return value;
    }
}
