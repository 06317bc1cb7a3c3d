using System.Diagnostics;

namespace MpegCoder.Recording;

/// <summary>
/// Makes the system write a file that FFmpeg is writing to the disk (fsync), every
/// <see cref="Interval"/> while it grows and once when it is finished, through a handle of its own: a sync
/// through any handle writes the whole file's data. What power loss takes is then what came since the last sync.
/// </summary>
/// <remarks>Used by the recorder's thread only. A file system that cannot sync leaves the file as the system keeps it.</remarks>
internal sealed class DiskSync : IDisposable
{
    /// <summary>How often a growing file is synced.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly FileStream? _handle;
    private readonly string _path;
    private long _lastSync = Stopwatch.GetTimestamp();
    private bool _dirty;
    private string? _failure;   // the last failure not yet taken

    private DiskSync(FileStream? handle, string path, string? failure = null)
    {
        _handle = handle;
        _path = path;
        _failure = failure;
    }

    /// <summary>A sync of <paramref name="path"/>, a file FFmpeg has opened for writing.</summary>
    public static DiskSync Open(string path)
    {
        try
        {
            // Opened to write (a sync needs it on Windows), never truncated; FFmpeg keeps writing through its own handle.
            return new DiskSync(new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DiskSync(null, path, $"cannot open '{path}' to sync it: {e.Message}");
        }
    }

    /// <summary>Notes a write; syncs when the last sync is <see cref="Interval"/> old.</summary>
    public void Written()
    {
        _dirty = true;
        if (Stopwatch.GetElapsedTime(_lastSync) >= Interval) Sync();
    }

    /// <summary>Syncs what was written since the last sync.</summary>
    public void Sync()
    {
        _lastSync = Stopwatch.GetTimestamp();
        if (!_dirty || _handle is null) return;
        _dirty = false;
        try
        {
            _handle.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            _failure = $"syncing '{_path}' to the disk failed: {e.Message}";
        }
    }

    /// <summary>Takes the failure to report (null when there is none).</summary>
    public string? TakeFailure()
    {
        string? failure = _failure;
        _failure = null;
        return failure;
    }

    public void Dispose() => _handle?.Dispose();
}
