using MpegCoder.Tests.Infrastructure;

namespace MpegCoder.Tests.Distributions;

/// <summary>
/// A cached Debian root of one suite with its FFmpeg, made and entered by debian-root.sh (beside this
/// file): built once with debootstrap under /var/cache/mpegcoder-test-roots (or
/// $MPEGCODER_TEST_ROOTS) and reused by every later run; commands run chrooted in a private mount
/// namespace, so whatever a run mounts is gone when it ends, whatever the outcome.
/// </summary>
internal sealed class DebianRoot
{

    private DebianRoot(string suite, string path, TimeSpan preparation)
    {
        Suite = suite;
        Path = path;
        Preparation = preparation;
    }

    public string Suite { get; }

    /// <summary>The root's folder on the host.</summary>
    public string Path { get; }

    /// <summary>How long getting the root took: the debootstrap the first time, a stamp check afterwards.</summary>
    public TimeSpan Preparation { get; }

    public static string Script { get; } = System.IO.Path.Combine(Repository.Root, "tests", "MpegCoder.Tests", "Distributions", "debian-root.sh");

    private static readonly ScriptBuild Roots = new(Script, TimeSpan.FromMinutes(20));

    /// <summary>The root of <paramref name="suite"/>, built on first use (a minute or two; needs root, debootstrap and the Debian mirror).</summary>
    public static DebianRoot Of(string suite)
    {
        ExternalTool.Require("debootstrap", "debootstrap");
        ExternalTool.Require("unshare", "util-linux");
        var (path, took) = Roots.Of(suite);
        return new DebianRoot(suite, path, took);
    }

    /// <summary>
    /// Runs <paramref name="command"/> chrooted in the root with <paramref name="binds"/>
    /// ("HOST:INROOT[:ro]", onto the root's /mpegcoder/* folders or /usr/share/dotnet) and only the
    /// given environment variables (beyond PATH, HOME and the .NET ones the script sets).
    /// </summary>
    public ToolResult Run(IEnumerable<string> binds, IEnumerable<string> environment, IEnumerable<string> command, TimeSpan timeout)
    {
        var args = new List<string> { Script, "run", Suite };
        foreach (var bind in binds) args.AddRange(["--bind", bind]);
        foreach (var variable in environment) args.AddRange(["--env", variable]);
        args.Add("--");
        args.AddRange(command);
        return ExternalTool.Run("bash", args, timeout);
    }

    /// <summary>Mounts under the root that the host can see: always none, as every run mounts in its own namespace.</summary>
    public List<string> HostVisibleMounts() =>
        File.ReadLines("/proc/self/mountinfo").Select(line => line.Split(' ')[4])
            .Where(mountPoint => mountPoint.StartsWith(Path + "/", StringComparison.Ordinal)).ToList();

    /// <summary>The root's file of a shared library, e.g. libavcodec.so.61 under usr/lib/&lt;triplet&gt;.</summary>
    public string Library(string file) =>
        Directory.EnumerateFiles(System.IO.Path.Combine(Path, "usr", "lib"), file, SearchOption.AllDirectories).FirstOrDefault()
        ?? throw new FileNotFoundException($"{file} is not in the {Suite} root", file);
}
