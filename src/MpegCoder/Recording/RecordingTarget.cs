using System.Globalization;
using MpegCoder.Encoders;
using MpegCoder.Interop;
using MpegCoder.Streaming;

namespace MpegCoder.Recording;

/// <summary>
/// Where a recorder writes, and the name of each file: a push address is used as it is; a file path is a
/// format string (<c>{0}</c> the local time of the file's first frame, <c>{1}</c> the file's number from 0),
/// and a name handed out recently gets "-2", "-3"... before its extension.
/// </summary>
/// <remarks>
/// The memory of names is bounded for recordings that run for months: it holds the last
/// <see cref="NamesRemembered"/> names the template produced, each with the last number its repeats got.
/// A repeat comes from a template that names files by a coarse time or not at all, so it repeats the
/// recent names: one remembered name keeps numbering its repeats however many there are.
/// </remarks>
/// <remarks>Checked on the caller's thread; <see cref="Next"/> is called by the recorder's thread only.</remarks>
internal sealed class RecordingTarget
{
    private readonly string _template;
    // A name the template produced -> the last number its repeats got (1: the name itself), and when it was last produced.
    private readonly Dictionary<string, (int Repeats, int LastUse)> _used = new(StringComparer.Ordinal);
    private int _number;

    /// <summary>How many recent names the target remembers to number repeats.</summary>
    public const int NamesRemembered = 100;

    /// <summary>Names remembered now (tests: the memory stays bounded).</summary>
    internal int Remembered => _used.Count;

    private RecordingTarget(string template)
    {
        _template = template;
        IsPush = OutputAddress.IsPush(template);
    }

    /// <summary>Whether the target is a server's address rather than files.</summary>
    public bool IsPush { get; }

    /// <summary>Checks the path (a valid format string), its container and its folder, without opening anything.</summary>
    /// <exception cref="ArgumentException">The path is not a valid format string.</exception>
    /// <exception cref="RecordingException">No container for it, or its folder does not exist.</exception>
    public static RecordingTarget Check(RecordingOptions options)
    {
        var target = new RecordingTarget(options.Path);
        string first;
        try
        {
            first = target.Format(DateTime.Now, 0);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"Path is a format string ({{0}} the time, {{1}} the file number): {e.Message}", nameof(options), e);
        }
        FFmpegLoader.EnsureLoadedRelease();
        try
        {
            VideoOutput.Create(first, OutputAddress.ContainerFor(first).format, options.IoTimeout).Dispose(); // the container alone: no I/O yet
        }
        catch (EncoderException e)
        {
            throw new RecordingException($"Cannot record to '{AddressRedaction.Redact(first)}': {e.Message}");
        }
        if (!target.IsPush && Path.GetDirectoryName(Path.GetFullPath(first)) is { } folder && !Directory.Exists(folder))
            throw new RecordingException($"Cannot record to '{first}': the folder '{folder}' does not exist.");
        return target;
    }

    /// <summary>The next file's name (the address, for a push), for a file whose first frame arrived at <paramref name="firstFrame"/>.</summary>
    public string Next(DateTimeOffset firstFrame)
    {
        if (IsPush) return _template;
        int use = _number++;
        string name = Format(firstFrame.LocalDateTime, use);
        int repeats = _used.TryGetValue(name, out var known) ? known.Repeats + 1 : 1;
        _used[name] = (repeats, use);
        if (_used.Count > NamesRemembered) ForgetOldest();
        return repeats == 1 ? name : Repeat(name, repeats);
    }

    /// <summary>The name a file gets when <paramref name="name"/> is given for the <paramref name="repeats"/>th time (from 2): "-2", "-3"... before its extension.</summary>
    public static string Repeat(string name, int repeats) =>
        Path.Combine(Path.GetDirectoryName(name) ?? "", $"{Path.GetFileNameWithoutExtension(name)}-{repeats}{Path.GetExtension(name)}");

    /// <summary>The name <paramref name="template"/> (a file path's format string) gives for a file's first frame's local time and its number.</summary>
    public static string Format(string template, DateTime time, int number) =>
        string.Format(CultureInfo.InvariantCulture, template, time, number);

    /// <summary>Forgets the name produced longest ago (a scan of a hundred entries, once per file).</summary>
    private void ForgetOldest()
    {
        string? oldest = null;
        int oldestUse = int.MaxValue;
        foreach (var (name, entry) in _used)
            if (entry.LastUse < oldestUse) (oldest, oldestUse) = (name, entry.LastUse);
        _used.Remove(oldest!);
    }

    private string Format(DateTime time, int number) => IsPush ? _template : Format(_template, time, number);
}
