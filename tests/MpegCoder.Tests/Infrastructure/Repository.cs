using System.Reflection;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>Where the repository and this build's outputs are, for tests that run the sample or pack the library.</summary>
public static class Repository
{
    /// <summary>The folder holding MpegCoder.sln, found upwards from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>"Debug" or "Release": the configuration this test assembly was built in.</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MpegCoder.sln"))) return dir.FullName;
        throw new InvalidOperationException($"MpegCoder.sln not found above {AppContext.BaseDirectory}");
    }
}
