using System.Collections.Concurrent;
using System.Diagnostics;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// Something a script builds once and caches on disk, one folder per key (a Debian root per suite, a
/// Windows FFmpeg build per suite): <c>bash SCRIPT build KEY</c> prints the folder as its last line,
/// and the folder holds a <c>.mpegcoder-stamp</c>. Built at most once per test process and key; a
/// failed build is tried again by the next test that asks.
/// </summary>
internal sealed class ScriptBuild(string script, TimeSpan timeout)
{
    private readonly ConcurrentDictionary<string, Lazy<(string Folder, TimeSpan Took)>> _builds = new();

    /// <summary>The folder of <paramref name="key"/>'s build, and how long getting it took (the build the first time, a stamp check afterwards).</summary>
    public (string Folder, TimeSpan Took) Of(string key)
    {
        var lazy = _builds.GetOrAdd(key, k => new Lazy<(string, TimeSpan)>(() => Build(k), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _builds.TryRemove(key, out _); // let a later test try again
            throw;
        }
    }

    private (string, TimeSpan) Build(string key)
    {
        var clock = Stopwatch.StartNew();
        var result = ExternalTool.RunChecked("bash", [script, "build", key], timeout);
        string folder = result.StdOutText.Trim().Split('\n')[^1];
        if (!File.Exists(Path.Combine(folder, ".mpegcoder-stamp")))
            throw new InvalidOperationException($"{Path.GetFileName(script)} build {key} printed '{folder}', which is not a build.\n{result.StdErr}");
        return (folder, clock.Elapsed);
    }
}
