using System.Text;
using MpegCoder.Interop.Layouts;

namespace MpegCoder.Interop;

/// <summary>
/// The text of <see cref="FFmpegNotFoundException"/>: what was found (each library with its version and
/// release), what is wrong with it (nothing there, a release without a table, a mix of releases, an
/// incomplete release, a library whose version contradicts its file name), what is supported, and
/// how to install a supported FFmpeg.
/// </summary>
internal static class FFmpegNotFoundMessage
{
    public static string Compose(string? root, IReadOnlyList<FoundLibrary> found, IReadOnlyList<string> rejected)
    {
        var text = new StringBuilder("MpegCoder could not load a supported FFmpeg from ")
            .Append(root is null ? "the system library path" : $"'{root}'").Append(". Found: ")
            .Append(found.Count == 0 ? "no FFmpeg libraries" : string.Join(", ", found.Select(Describe))).Append(". ");
        foreach (var problem in Problems(found, rejected))
            text.Append(problem).Append(". ");
        text.Append("Supported: ").Append(string.Join("; ", FFmpegReleases.Supported.Select(r =>
            $"{r} = {string.Join(", ", FFmpegRelease.Libraries.Select(name => FFmpegLoader.FileName(name, r.Major(name))))}")));
        return text.Append(". Install: ").Append(InstallHints()).Append('.').ToString();
    }

    private static string Describe(FoundLibrary library) =>
        library.LoadError is { } error
            ? $"{library.File} ({ReleaseName(library)}, cannot be loaded: {error})"
            : $"{library.File} ({library.Version}, {ReleaseName(library)})";

    /// <summary>The release a library belongs to: by the version it reports, or by its file name when it cannot be loaded.</summary>
    private static FFmpegRelease? ReleaseOf(FoundLibrary library) =>
        FFmpegReleases.OfLibrary(library.Name, library.Version?.Major ?? library.Major);

    private static string ReleaseName(FoundLibrary library) =>
        ReleaseOf(library) is { } release ? $"FFmpeg {release.Name}" : "an FFmpeg release MpegCoder does not know";

    private static IEnumerable<string> Problems(IReadOnlyList<FoundLibrary> found, IReadOnlyList<string> rejected)
    {
        var byRelease = found.GroupBy(ReleaseOf).ToList();
        if (byRelease.Count > 1)
            yield return "These are a mix of FFmpeg releases (" +
                string.Join("; ", byRelease.Select(g => $"{(g.Key is null ? "unknown" : g.Key.Name)}: {string.Join(", ", g.Select(l => "lib" + l.Name).Distinct())}")) +
                "), and MpegCoder needs all four libraries from one release";
        foreach (var group in byRelease)
        {
            if (group.Key is not { } release)
                continue;
            if (release.Layout is null)
            {
                yield return $"FFmpeg {release.Name} ({release.Where}) is not supported: MpegCoder has no struct layout table for it";
                continue;
            }
            var missing = FFmpegRelease.Libraries
                .Where(name => !group.Any(l => l.Name == name && l.LoadError is null))
                .Select(name => FFmpegLoader.FileName(name, release.Major(name))).ToList();
            if (missing.Count > 0)
                yield return $"FFmpeg {release.Name} is incomplete: {string.Join(", ", missing)} missing or not loadable";
        }
        if (rejected.Count > 0)
            yield return $"Rejected: {string.Join("; ", rejected)}";
    }

    private static string InstallHints()
    {
        var hints = FFmpegReleases.Supported.Where(r => r.Apt is not null)
            .Select(r => $"{r.Apt}: 'apt-get install {r.DebianPackages}' (or the 'ffmpeg' package)").ToList();
        string supported = string.Join(", ", FFmpegReleases.Supported.Select(r => r.Name).Reverse());
        hints.Add($"Other Linux distributions: a shared build of FFmpeg {supported}, " +
                  "with FFmpegLibrary.RootPath (or the environment variable MPEGCODER_FFMPEG_ROOT) set to its lib folder");
        hints.Add($"Windows: unzip a shared build of FFmpeg {supported} and set FFmpegLibrary.RootPath (or MPEGCODER_FFMPEG_ROOT) to its bin folder");
        hints.Add("macOS: 'brew install ffmpeg' and set FFmpegLibrary.RootPath to the output of 'brew --prefix ffmpeg' followed by /lib");
        return string.Join("; ", hints);
    }
}
