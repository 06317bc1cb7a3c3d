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
/// <remarks>
/// Every supported release is tried, newest first, by its versioned file names (the names FFmpeg's
/// build system gives each major, so a machine with several releases installed side by side gets the
/// newest complete one). A release is taken only when its four libraries load and each one's
/// <c>*_version()</c> reports the release's major: then they belong to one release and its table fits.
/// </remarks>
internal static unsafe class FFmpegLoader
{
    private static readonly object Gate = new();
    private static Loaded? _loaded;

    /// <summary>The release in use and its layouts; valid after <see cref="EnsureLoaded"/>.</summary>
    public static FFmpegRelease Release => (_loaded ?? throw new InvalidOperationException("FFmpeg is not loaded yet.")).Release;

    /// <summary>The struct layouts of the FFmpeg in use: the one place the C# side gets offsets from.</summary>
    public static FFmpegLayout Layout => (_loaded ?? throw new InvalidOperationException("FFmpeg is not loaded yet.")).Layout;

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
        int index = IndexOf(name);
        return index < 0 ? 0 : EnsureLoaded().Handles[index];
    }

    private static int IndexOf(string library)
    {
        for (int i = 0; i < FFmpegRelease.Libraries.Count; i++)
            if (FFmpegRelease.Libraries[i] == library) return i;
        return -1;
    }

    /// <summary>Loads FFmpeg on first call; throws <see cref="FFmpegNotFoundException"/> with what was found and what to install.</summary>
    public static FFmpegRelease EnsureLoadedRelease() => EnsureLoaded().Release;

    /// <inheritdoc cref="EnsureLoadedRelease"/>
    public static Loaded EnsureLoaded()
    {
        if (_loaded is { } done) return done;
        lock (Gate)
        {
            if (_loaded is { } again) return again;
            var loaded = LoadFrom(RootPath ?? Environment.GetEnvironmentVariable("MPEGCODER_FFMPEG_ROOT"));
            _loaded = loaded;
            FFmpegLog.Install();
            MpegCoderGlobal.Info($"MpegCoder uses {loaded}");
            return loaded;
        }
    }

    /// <summary>Finds the newest supported release in <paramref name="root"/> (null: the system search path), without caching it.</summary>
    internal static Loaded LoadFrom(string? root)
    {
        if (ProcessProblem(Environment.Is64BitProcess, RuntimeInformation.ProcessArchitecture) is { } problem)
            throw new FFmpegNotFoundException(problem);
        var rejected = new List<string>();
        foreach (var release in FFmpegReleases.Supported)
        {
            if (TryLoadAll(root, release) is not { } handles) continue;
            var versions = handles.Select((h, i) => ReadVersion(h, FFmpegRelease.Libraries[i])).ToArray();
            var wrong = FFmpegRelease.Libraries.Select((name, i) => (name, version: versions[i]))
                .Where(l => l.version.Major != release.Major(l.name))
                .Select(l => $"{FileName(l.name, release.Major(l.name))} reports version {l.version}").ToList();
            if (wrong.Count == 0)
            {
                var layout = release.Layout!; // every supported release has one
                CheckManagedStructs(layout);
                return new Loaded(release, layout, handles, versions, root);
            }
            rejected.AddRange(wrong);
            foreach (var h in handles) NativeLibrary.Free(h);
        }
        throw new FFmpegNotFoundException(FFmpegNotFoundMessage.Compose(root, Survey(root), rejected));
    }

    /// <summary>
    /// Why this process cannot use FFmpeg whatever is installed, or null: every layout table holds the
    /// offsets of 64-bit builds (8-byte pointers), so a 32-bit process (a win-x86 build, "Prefer 32-bit")
    /// is refused before any library is loaded, with what to change instead of a layout mismatch.
    /// </summary>
    internal static string? ProcessProblem(bool is64BitProcess, Architecture architecture) =>
        is64BitProcess ? null
        : $"MpegCoder needs a 64-bit process, and this one is 32-bit ({architecture}): its struct layout tables are those of 64-bit FFmpeg builds (x64, arm64). " +
          "Run the application as a 64-bit process (PlatformTarget x64 or AnyCPU without Prefer32Bit, a win-x64/linux-x64/osx-arm64 runtime identifier) with a 64-bit FFmpeg.";

    /// <summary>The four libraries of <paramref name="release"/>, in dependency order, or null (nothing kept loaded) when one is missing.</summary>
    private static nint[]? TryLoadAll(string? root, FFmpegRelease release)
    {
        var handles = new nint[FFmpegRelease.Libraries.Count];
        for (int i = 0; i < handles.Length; i++)
        {
            string name = FFmpegRelease.Libraries[i];
            if (!NativeLibrary.TryLoad(PathOf(root, name, release.Major(name)), out handles[i]))
            {
                for (int j = 0; j < i; j++) NativeLibrary.Free(handles[j]);
                return null;
            }
        }
        return handles;
    }

    private static string PathOf(string? root, string name, int major)
    {
        string file = FileName(name, major);
        return root is null ? file : Path.Combine(root, file);
    }

    /// <summary>The versioned file name FFmpeg's build system gives a shared library on this OS.</summary>
    internal static string FileName(string name, int major) =>
        FileName(name, major, OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux);

    /// <summary>The versioned file name on <paramref name="os"/>: avcodec-61.dll, libavcodec.61.dylib, libavcodec.so.61.</summary>
    internal static string FileName(string name, int major, OSPlatform os) =>
        os == OSPlatform.Windows ? $"{name}-{major}.dll"
        : os == OSPlatform.OSX ? $"lib{name}.{major}.dylib"
        : $"lib{name}.so.{major}";

    private static LibraryVersion ReadVersion(nint handle, string name) =>
        new(((delegate* unmanaged[Cdecl]<uint>)NativeLibrary.GetExport(handle, $"{name}_version"))());

    /// <summary>
    /// Every versioned FFmpeg library that <paramref name="root"/> (or the search path) offers, with the
    /// version it reports or why it cannot be loaded: what the not-found message says was found.
    /// </summary>
    private static List<FoundLibrary> Survey(string? root)
    {
        var found = new List<FoundLibrary>();
        foreach (var name in FFmpegRelease.Libraries)
            for (int major = 1; major < 100; major++) // libswscale is at 6 where libavcodec is at 59
            {
                string path = PathOf(root, name, major);
                try
                {
                    nint handle = NativeLibrary.Load(path);
                    found.Add(new FoundLibrary(name, major, FileName(name, major), ReadVersion(handle, name), null));
                    NativeLibrary.Free(handle);
                }
                catch (DllNotFoundException e) when (root is not null && File.Exists(path))
                {
                    // There but unusable (e.g. a dependency of it is missing): worth naming.
                    found.Add(new FoundLibrary(name, major, FileName(name, major), null, e.Message.Split('\n')[0].Trim()));
                }
                catch (DllNotFoundException) { }
                catch (EntryPointNotFoundException) { }
            }
        return found;
    }

    private static void CheckManagedStructs(FFmpegLayout layout)
    {
        // The two small structs the C# side mirrors must have the size (and, for the callback, the
        // member offsets) the release's headers give.
        if (sizeof(AVRational) != layout.AVRational_size || sizeof(AVIOInterruptCB) != layout.AVIOInterruptCB_size
            || (int)Marshal.OffsetOf<AVIOInterruptCB>(nameof(AVIOInterruptCB.callback)) != layout.AVIOInterruptCB_callback
            || (int)Marshal.OffsetOf<AVIOInterruptCB>(nameof(AVIOInterruptCB.opaque)) != layout.AVIOInterruptCB_opaque)
            throw new FFmpegNotFoundException("MpegCoder's AVRational/AVIOInterruptCB do not match this FFmpeg's layout table.");
    }

    /// <summary>The release in use, its layouts, and the handles and versions of its four libraries (in <see cref="FFmpegRelease.Libraries"/> order).</summary>
    internal sealed record Loaded(FFmpegRelease Release, FFmpegLayout Layout, nint[] Handles, LibraryVersion[] Versions, string? Root)
    {
        /// <summary>E.g. "FFmpeg 7.1 (libavformat 61.7.100, libavcodec 61.19.101, libavutil 59.39.100, libswscale 8.3.100) from the system library path".</summary>
        public override string ToString()
        {
            var libraries = new[] { "avformat", "avcodec", "avutil", "swscale" }
                .Select(name => $"lib{name} {Versions[IndexOf(name)]}");
            return $"FFmpeg {Release.Name} ({string.Join(", ", libraries)}) from " +
                   (Root is null ? "the system library path" : $"'{Root}'");
        }
    }
}

/// <summary>A library version as FFmpeg's <c>*_version()</c> packs it: major &lt;&lt; 16 | minor &lt;&lt; 8 | micro.</summary>
internal readonly record struct LibraryVersion(uint Packed)
{
    public int Major => (int)(Packed >> 16);
    public override string ToString() => $"{Packed >> 16}.{(Packed >> 8) & 0xff}.{Packed & 0xff}";
}

/// <summary>A versioned FFmpeg library file the loader found: its version, or why it could not be loaded.</summary>
internal sealed record FoundLibrary(string Name, int Major, string File, LibraryVersion? Version, string? LoadError);
