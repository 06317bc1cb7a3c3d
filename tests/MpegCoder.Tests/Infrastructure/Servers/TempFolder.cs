namespace MpegCoder.Tests.Infrastructure.Servers;

/// <summary>A fresh folder under the system temp folder for one server's config and files, deleted on Dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix)
    {
        Path = Directory.CreateTempSubdirectory($"mpegcoder-{prefix}-").FullName;
        // Readable by everyone: daemons that drop privileges (nginx workers, sshd's children) read from it.
        if (!OperatingSystem.IsWindows())
            System.IO.File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies <paramref name="source"/> into the folder as <paramref name="name"/>; returns its full path.</summary>
    public string Copy(string source, string name)
    {
        string target = File(name);
        System.IO.File.Copy(source, target, overwrite: true);
        return target;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
