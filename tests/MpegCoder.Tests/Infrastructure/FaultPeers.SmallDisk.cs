using System.Globalization;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// A small file system of its own (a tmpfs of a given size, mounted on a fresh temp folder) that fills
/// up: writes past its size fail with ENOSPC, "No space left on device". Mounting needs root, as the
/// tests have in CI; without it the constructor fails saying so. Dispose unmounts it (lazily if a file
/// is still open) and removes the folder.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private int _disposed;

    /// <param name="bytes">The file system's size; tmpfs rounds it up to whole pages.</param>
    public SmallDisk(long bytes)
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("SmallDisk mounts a tmpfs and needs root (the tests run as root in CI).");
        string mount = ExternalTool.Require("mount", "mount");
        Path = Directory.CreateTempSubdirectory("mpegcoder-smalldisk-").FullName;
        var r = ExternalTool.Run(mount, ["-t", "tmpfs", "-o", "size=" + bytes.ToString(CultureInfo.InvariantCulture), "tmpfs", Path],
            TimeSpan.FromSeconds(10));
        if (r.TimedOut || r.ExitCode != 0)
        {
            Directory.Delete(Path);
            throw new InvalidOperationException($"mounting a tmpfs on {Path} failed: {r}");
        }
        Size = bytes;
    }

    /// <summary>The mounted folder.</summary>
    public string Path { get; }

    public long Size { get; }

    /// <summary>The full path of <paramref name="name"/> on the disk.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        string umount = ExternalTool.Require("umount", "mount");
        var r = ExternalTool.Run(umount, [Path], TimeSpan.FromSeconds(10));
        if (r.TimedOut || r.ExitCode != 0)
            ExternalTool.Run(umount, ["-l", Path], TimeSpan.FromSeconds(10)); // busy: detach now, freed when the last file closes
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
