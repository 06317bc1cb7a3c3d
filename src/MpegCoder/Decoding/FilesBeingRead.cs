using MpegCoder.Recording;
using MpegCoder.Streaming;
namespace MpegCoder.Decoding;

/// <summary>
/// The local files the process's inputs (MpegDecoder, MpegClient, VideoStream: every <see cref="StreamSource"/>)
/// have open, so that no output of the library opens one of them for writing: opening for writing
/// truncates, and the source would be lost. An input registers its file when it opens and leaves when
/// it closes; an output asks <see cref="WhyNotWrite"/> before it opens a file.
/// </summary>
/// <remarks>
/// A file is known by its full path with every symbolic link resolved (the same file reached through a
/// relative path, "file:" or a linked folder is one file), compared case-insensitively where file systems
/// usually are (Windows, macOS). Hard links to one file are not recognised. The counts allow one file to
/// be read by several inputs at once; all access is under one lock, on cold paths only (opens and closes).
/// </remarks>
internal static class FilesBeingRead
{
    private static readonly Dictionary<string, int> Readers = new(
        OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers <paramref name="address"/> as read. Returns the key to give <see cref="Unregister"/>, or null when it is not a local file.</summary>
    public static string? Register(string address)
    {
        if (FileOf(address) is not { } file) return null;
        lock (Readers)
            Readers[file] = Readers.GetValueOrDefault(file) + 1;
        return file;
    }

    /// <summary>Ends one registration made by <see cref="Register"/>.</summary>
    public static void Unregister(string file)
    {
        lock (Readers)
        {
            int count = Readers.GetValueOrDefault(file);
            System.Diagnostics.Debug.Assert(count > 0, "unregistered more often than registered");
            if (count <= 1) Readers.Remove(file);
            else Readers[file] = count - 1;
        }
    }

    /// <summary>Why <paramref name="address"/> must not be opened for writing, or null when it may be.</summary>
    public static string? WhyNotWrite(string address)
    {
        if (FileOf(address) is not { } file) return null;
        lock (Readers)
            if (!Readers.ContainsKey(file)) return null;
        return $"'{address}' is being read by an open MpegDecoder, MpegClient or VideoStream of this process: " +
            "writing it would destroy the source. Write to another file, or close the reader first";
    }

    /// <summary>The canonical path of a local file address (a path or file:...), or null for any other protocol.</summary>
    private static string? FileOf(string address)
    {
        if (string.IsNullOrWhiteSpace(address)) return null;
        string path = address;
        if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) path = path["file:".Length..];
        else if (path.Contains("://", StringComparison.Ordinal)) return null;
        try
        {
            return Resolve(Path.GetFullPath(path), depth: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null; // not a path this process can name: nothing it could open either
        }
    }

    /// <summary>The full path with every symbolic link among its components followed (as realpath does).</summary>
    private static string Resolve(string full, int depth)
    {
        if (depth > 40) throw new IOException("too many levels of symbolic links");
        string root = Path.GetPathRoot(full) ?? "";
        string current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (part.Length == 0) continue;
            string next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
                next = Resolve(Path.GetFullPath(Path.Combine(current, target)), depth + 1);
            current = next;
        }
        return current;
    }
}
