using System.Reflection;
using System.Runtime.Loader;

// Usage: MpegCoder.WineHost.exe TEST-ASSEMBLY [TEST-NAME...]
// Loads TEST-ASSEMBLY (and its dependencies from its folder) and calls its
// MpegCoder.Tests.Windows.InRootRunner.Run(names), whose return value is the exit code.
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: MpegCoder.WineHost.exe TEST-ASSEMBLY [TEST-NAME...]");
    return 2;
}
string folder = Path.GetDirectoryName(Path.GetFullPath(args[0]))!;
AssemblyLoadContext.Default.Resolving += (context, name) =>
    Path.Combine(folder, name.Name + ".dll") is var path && File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
var tests = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(args[0]));
var run = tests.GetType("MpegCoder.Tests.Windows.InRootRunner", throwOnError: true)!
    .GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!;
return (int)run.Invoke(null, [args[1..]])!;
