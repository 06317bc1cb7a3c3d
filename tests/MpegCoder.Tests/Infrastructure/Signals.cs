using System.Runtime.InteropServices;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>Freezing and thawing a server process: a network that stops answering without closing anything.</summary>
public static partial class Signals
{
    private const int SIGCONT = 18; // Linux x86-64 and arm64
    private const int SIGSTOP = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static void Freeze(int pid) => Send(pid, SIGSTOP);

    public static void Thaw(int pid) => Send(pid, SIGCONT);

    private static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
