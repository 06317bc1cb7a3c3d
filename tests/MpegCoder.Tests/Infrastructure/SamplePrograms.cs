using Xunit;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>The repository's sample programs, as built with the tests, run as a user would run them.</summary>
public static class SamplePrograms
{
    /// <summary>Runs samples/NAME (its built dll) with the arguments; asserts it finished in time and exited with 0.</summary>
    public static ToolResult Run(string name, string[] args, TimeSpan timeout)
    {
        string program = Path.Combine(Repository.Root, "samples", name, "bin", Repository.Configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(program), $"{program} is built with the tests");
        var result = ExternalTool.Run("dotnet", [program, .. args], timeout);
        Assert.False(result.TimedOut, result.StdErr);
        Assert.True(result.ExitCode == 0, result.StdOutText + result.StdErr);
        return result;
    }
}
