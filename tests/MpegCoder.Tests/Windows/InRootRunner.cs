using System.Diagnostics;
using System.Reflection;
using MpegCoder.Tests.Distributions;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Windows;

/// <summary>
/// Runs <see cref="InRootTests"/> in a process of its own where no test runner exists: a self-contained
/// win-x64 .NET under Wine (MpegCoder.WineHost calls <see cref="Run"/>). Each test method runs on a new
/// instance, as xunit runs it; a test passes when it returns and fails when it throws. Prints one
/// "PASSED name (seconds)" or "FAILED name: exception" line per test, then "N passed, N failed";
/// the exit code is the number of failures. <see cref="WineTests"/> reads these lines.
/// </summary>
public static class InRootRunner
{
    public const string Passed = "PASSED ";
    public const string Failed = "FAILED ";

    /// <summary>Runs the in-root tests named in <paramref name="names"/> (all of them when empty).</summary>
    public static int Run(string[] names)
    {
        var tests = Tests().Where(m => names.Length == 0 || names.Contains(m.Name)).ToList();
        var unknown = names.Except(tests.Select(m => m.Name)).ToList();
        if (unknown.Count > 0)
        {
            Console.WriteLine($"{Failed}{string.Join(", ", unknown)}: no such in-root test");
            return unknown.Count;
        }
        int failed = 0;
        foreach (var test in tests)
        {
            var output = new ConsoleOutput(test.Name);
            var clock = Stopwatch.StartNew();
            try
            {
                test.Invoke(new InRootTests(output), null);
                Console.WriteLine($"{Passed}{test.Name} ({clock.Elapsed.TotalSeconds:F1} s)");
            }
            catch (TargetInvocationException e)
            {
                failed++;
                Console.WriteLine($"{Failed}{test.Name}: {e.InnerException}");
            }
        }
        Console.WriteLine($"{tests.Count - failed} passed, {failed} failed");
        return failed;
    }

    /// <summary>The test methods of <see cref="InRootTests"/>: those with <see cref="InRootFactAttribute"/>.</summary>
    public static IEnumerable<MethodInfo> Tests() =>
        typeof(InRootTests).GetMethods().Where(m => m.GetCustomAttribute<InRootFactAttribute>() is not null);

    private sealed class ConsoleOutput(string test) : ITestOutputHelper
    {
        public void WriteLine(string message) => Console.WriteLine($"[{test}] {message}");
        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(format, args));
    }
}
