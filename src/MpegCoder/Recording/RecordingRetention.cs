using System.Diagnostics;

namespace MpegCoder.Recording;

/// <summary>
/// Keeps a recorder's files within <see cref="RecordingOptions.MaxAge"/>, <see cref="RecordingOptions.MaxTotalBytes"/>
/// and <see cref="RecordingOptions.MinFreeBytes"/>: each pass lists the files of the recorder's folder whose
/// names its path could have given (<see cref="RecordingNamePattern"/>), those of an earlier run included, and
/// deletes the oldest finished ones (by last write) while a limit is broken. The file being written is counted
/// in the total and never deleted.
/// </summary>
/// <remarks>
/// Used by the recorder's thread only, after each finished file and every <see cref="PassInterval"/> (time
/// passes, other programs fill the disk). The first pass comes with the first finished file or
/// <see cref="PassInterval"/> after the start, not during the start, so that a FileDeleted handler attached
/// when StartRecording returns sees the deletions of what an earlier run left. The folder is listed anew
/// each pass: the disk, not memory, says what is there.
/// </remarks>
internal sealed class RecordingRetention
{
    /// <summary>The longest between two passes while no file is finished.</summary>
    public static readonly TimeSpan PassInterval = TimeSpan.FromSeconds(5);

    private readonly RecordingNamePattern _pattern;
    private readonly TimeSpan? _maxAge;
    private readonly long? _maxTotalBytes;
    private readonly long? _minFreeBytes;
    private readonly HashSet<string> _undeletable = new(StringComparer.Ordinal);   // reported once each
    private long _lastPass = Stopwatch.GetTimestamp();
    private string? _lastWarning;

    private RecordingRetention(RecordingOptions options)
    {
        _pattern = RecordingNamePattern.For(options.Path);
        _maxAge = options.MaxAge;
        _maxTotalBytes = options.MaxTotalBytes;
        _minFreeBytes = options.MinFreeBytes;
    }

    /// <summary>The retention of <paramref name="options"/> (validated), or null when it sets no limit.</summary>
    public static RecordingRetention? For(RecordingOptions options) => options.HasRetention ? new RecordingRetention(options) : null;

    /// <summary>Whether the last pass is <see cref="PassInterval"/> old.</summary>
    public bool Due => Stopwatch.GetElapsedTime(_lastPass) >= PassInterval;

    /// <summary>
    /// One pass: deletes the oldest finished files while a limit is broken, calling <paramref name="deleted"/>
    /// for each; <paramref name="warn"/> gets what stopped a deletion or a measure (each reason once in a row).
    /// </summary>
    /// <param name="writing">The file being written (never deleted), or null.</param>
    /// <param name="deleted">Told of each file deleted.</param>
    /// <param name="warn">Told why a file could not be deleted, or the folder listed, or its free space measured.</param>
    public void Enforce(string? writing, Action<RecordedFileDeletedEventArgs> deleted, Action<string> warn)
    {
        _lastPass = Stopwatch.GetTimestamp();
        var files = List(warn);
        if (files is null) return;
        string? current = writing is null ? null : Path.GetFullPath(writing);
        long total = files.Sum(f => f.Bytes);
        var now = DateTime.UtcNow;
        foreach (var file in files.OrderBy(f => f.LastWrite).ThenBy(f => f.Path, StringComparer.Ordinal))
        {
            if (string.Equals(file.Path, current, StringComparison.Ordinal)) continue;
            // Oldest first: a file that breaks no limit means no newer one does (the total and the free space are the folder's).
            RetentionLimit? reason =
                _maxAge is { } age && now - file.LastWrite > age ? RetentionLimit.MaxAge
                : _maxTotalBytes is { } most && total > most ? RetentionLimit.MaxTotalBytes
                : _minFreeBytes is { } least && FreeBytes(warn) < least ? RetentionLimit.MinFreeBytes
                : null;
            if (reason is null) break;
            if (!Delete(file.Path, warn)) continue;
            total -= file.Bytes;
            deleted(new RecordedFileDeletedEventArgs
            {
                Path = file.Path,
                Bytes = file.Bytes,
                LastWritten = new DateTimeOffset(file.LastWrite).ToLocalTime(),
                Reason = reason.Value,
            });
        }
    }

    /// <summary>A file of the recorder's as the pass found it.</summary>
    private readonly record struct Found(string Path, long Bytes, DateTime LastWrite);

    /// <summary>The recorder's files in its folder, or null when the folder cannot be listed.</summary>
    private List<Found>? List(Action<string> warn)
    {
        try
        {
            var found = new List<Found>();
            foreach (var file in new DirectoryInfo(_pattern.Folder).EnumerateFiles())
            {
                if (!_pattern.Matches(file.Name)) continue;
                try
                {
                    found.Add(new Found(file.FullName, file.Length, file.LastWriteTimeUtc));
                }
                catch (FileNotFoundException)
                {
                    // Deleted by someone else since the listing.
                }
            }
            return found;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Warn(warn, $"cannot list the recording folder '{_pattern.Folder}' to delete old files: {e.Message}");
            return null;
        }
    }

    private bool Delete(string path, Action<string> warn)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (_undeletable.Add(path)) Warn(warn, $"cannot delete the old recording '{path}': {e.Message}");
            return false;
        }
    }

    /// <summary>The free space of the folder's file system; long.MaxValue when it cannot be measured.</summary>
    private long FreeBytes(Action<string> warn)
    {
        try
        {
            return new DriveInfo(_pattern.Folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Warn(warn, $"cannot measure the free space of '{_pattern.Folder}' for MinFreeBytes: {e.Message}");
            return long.MaxValue;
        }
    }

    private void Warn(Action<string> warn, string message)
    {
        if (message == _lastWarning) return;
        _lastWarning = message;
        warn(message);
    }
}
