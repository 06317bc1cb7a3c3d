using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MpegCoder.Interop.Layouts;

namespace MpegCoder.Interop;

/// <summary>
/// Finds the system FFmpeg, picks the release (and so the struct layout table) it belongs to, and
/// answers the runtime's DllImport lookups for "avformat", "avcodec", "avutil" and "swscale" with the
/// versioned libraries it chose. Loading happens once, at the first <see cref="EnsureLoaded"/>.
/// </summary>
internal static unsafe class FFmpegLoader
{
    private static readonly string[] LibraryNames = ["avformat", "avcodec", "avutil", "swscale"];
    private static readonly object Gate = new();
    private static Loaded? _loaded;

    /// <summary>The release in use and its layouts; valid after <see cref="EnsureLoaded"/>.</summary>
    public static FFmpegRelease Release => (_loaded ?? throw new InvalidOperationException("FFmpeg is not loaded yet.")).Release;

    /// <summary>The struct layouts of the FFmpeg in use: the one place the C# side gets offsets from.</summary>
    public static FFmpegLayout Layout => Release.Layout;

    public static bool IsLoaded => _loaded is not null;

    /// <summary>Folder override; see <see cref="FFmpegLibrary.RootPath"/>.</summary>
    public static string? RootPath { get; set; }

    // The resolver must be in place before the first P/Invoke of this assembly, whichever public
    // member makes it; a module initializer is the one hook that runs early enough.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(FFmpegLoader).Assembly, Resolve);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        int index = Array.IndexOf(LibraryNames, name);
        if (index < 0) return 0;
        return EnsureLoaded().Handles[index];
    }

    /// <summary>Loads FFmpeg on first call; throws <see cref="FFmpegNotFoundException"/> with what was found and what to install.</summary>
    public static FFmpegRelease EnsureLoadedRelease() => EnsureLoaded().Release;

    private static Loaded EnsureLoaded()
    {
        if (_loaded is { } done) return done;
        lock (Gate)
        {
            if (_loaded is { } again) return again;
            var loaded = LoadFrom(RootPath ?? Environment.GetEnvironmentVariable("MPEGCODER_FFMPEG_ROOT"));
            _loaded = loaded;
            FFmpegLog.Install();
            return loaded;
        }
    }

    /// <summary>Finds a supported release in <paramref name="root"/> (null: the system search path), without caching it.</summary>
    internal static Loaded LoadFrom(string? root)
    {
        var problems = new List<string>();
        foreach (var release in FFmpegReleases.All)
        {
            int[] majors = [release.AVFormat, release.AVCodec, release.AVUtil, release.SwScale];
            var handles = new nint[LibraryNames.Length];
            bool complete = true;
            for (int i = 0; i < LibraryNames.Length && complete; i++)
                complete = TryLoad(root, LibraryNames[i], majors[i], out handles[i]);
            if (!complete) continue;

            // The file names match this release; the version functions must agree too.
            string? mismatch = CheckVersions(handles, majors);
            if (mismatch is null)
            {
                CheckManagedStructs(release.Layout);
                return new Loaded(release, handles);
            }
            problems.Add(mismatch);
        }
        throw new FFmpegNotFoundException(DescribeMissing(root, problems));
    }

    private static bool TryLoad(string? root, string name, int major, out nint handle)
    {
        string file = FileName(name, major);
        string path = root is null ? file : Path.Combine(root, file);
        return NativeLibrary.TryLoad(path, out handle);
    }

    /// <summary>The versioned file name FFmpeg's build system gives a shared library on this OS.</summary>
    internal static string FileName(string name, int major) =>
        OperatingSystem.IsWindows() ? $"{name}-{major}.dll"
        : OperatingSystem.IsMacOS() ? $"lib{name}.{major}.dylib"
        : $"lib{name}.so.{major}";

    private static string? CheckVersions(nint[] handles, int[] majors)
    {
        for (int i = 0; i < LibraryNames.Length; i++)
        {
            var version = (delegate* unmanaged[Cdecl]<uint>)NativeLibrary.GetExport(handles[i], $"{LibraryNames[i]}_version");
            uint v = version();
            if ((int)(v >> 16) != majors[i])
                return $"{FileName(LibraryNames[i], majors[i])} reports version {v >> 16}.{(v >> 8) & 0xff}.{v & 0xff}";
        }
        return null;
    }

    private static void CheckManagedStructs(FFmpegLayout layout)
    {
        // The two small structs the C# side mirrors must have the size the release's headers give.
        if (sizeof(AVRational) != layout.AVRational_size || sizeof(AVIOInterruptCB) != layout.AVIOInterruptCB_size)
            throw new FFmpegNotFoundException("MpegCoder's AVRational/AVIOInterruptCB do not match this FFmpeg's layout table.");
    }

    private static string DescribeMissing(string? root, List<string> problems)
    {
        var found = new List<string>();
        foreach (var name in LibraryNames)
            for (int major = 50; major <= 70; major++)
            {
                string file = FileName(name, major);
                if (NativeLibrary.TryLoad(root is null ? file : Path.Combine(root, file), out var h))
                {
                    found.Add(file);
                    NativeLibrary.Free(h);
                }
            }
        string supported = string.Join("; ", FFmpegReleases.All.Select(r =>
            $"{r} = {string.Join(", ", new[] { FileName("avformat", r.AVFormat), FileName("avcodec", r.AVCodec), FileName("avutil", r.AVUtil), FileName("swscale", r.SwScale) })}"));
        return "MpegCoder could not load a supported FFmpeg" + (root is null ? "" : $" from '{root}'") + ". " +
               $"Found: {(found.Count == 0 ? "no FFmpeg libraries" : string.Join(", ", found))}" +
               (problems.Count == 0 ? "" : $" ({string.Join("; ", problems)})") + ". " +
               $"Supported: {supported}. " +
               "Install: Debian 12: 'apt-get install libavformat59 libavcodec59 libavutil57 libswscale6' (or the 'ffmpeg' package); " +
               "Windows: unzip a shared FFmpeg build of a supported release and set FFmpegLibrary.RootPath (or MPEGCODER_FFMPEG_ROOT) to its bin folder; " +
               "macOS: install a supported release with Homebrew and set FFmpegLibrary.RootPath to its lib folder.";
    }

    internal sealed record Loaded(FFmpegRelease Release, nint[] Handles);
}
