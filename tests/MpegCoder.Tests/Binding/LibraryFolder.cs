using System.Runtime.InteropServices;
using MpegCoder.Interop;
using MpegCoder.Interop.Layouts;

namespace MpegCoder.Tests.Binding;

/// <summary>
/// A temporary folder of symbolic links to real FFmpeg libraries, for the loader's folder override
/// (FFmpegLibrary.RootPath): a release in a folder, libraries behind the wrong names, a mix of releases.
/// Deleted (the links only) on dispose.
/// </summary>
internal sealed class LibraryFolder : IDisposable
{
    private LibraryFolder(string path) => Path = path;

    public string Path { get; }

    public static LibraryFolder Create() => new(Directory.CreateTempSubdirectory("mpegcoder-ffmpeg-folder").FullName);

    /// <summary>Adds <paramref name="file"/> as a link to <paramref name="target"/>.</summary>
    public void Link(string file, string target) => File.CreateSymbolicLink(System.IO.Path.Combine(Path, file), target);

    /// <summary>The real file of this machine's library <paramref name="name"/> of <paramref name="release"/> (it must be installed).</summary>
    public static string HostLibrary(string name, FFmpegRelease release)
    {
        string file = FFmpegLoader.FileName(name, release.Major(name));
        nint handle = NativeLibrary.Load(file);
        try
        {
            // The dynamic loader's own answer: the mapped file of the library it loaded under that name.
            return File.ReadLines("/proc/self/maps").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 6 && System.IO.Path.GetFileName(fields[5]).StartsWith(file, StringComparison.Ordinal))
                .Select(fields => fields[5]).First();
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
