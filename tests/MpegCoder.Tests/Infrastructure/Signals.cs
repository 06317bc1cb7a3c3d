using System.Runtime.InteropServices;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// Signals for test processes: freezing and thawing a server (a network that stops answering without
/// closing anything), Ctrl-C or SIGTERM sent to a process or to its whole process group, and SIGKILL (a crash).
/// </summary>
public static partial class Signals
{
    public const int SIGINT = 2; // Linux x86-64 and arm64
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    private const int SIGCONT = 18;
    private const int SIGSTOP = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static void Freeze(int pid) => Send(pid, SIGSTOP);

    public static void Thaw(int pid) => Send(pid, SIGCONT);

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/> alone.</summary>
    public static void ToProcess(int pid, int signal) => Send(pid, signal);

    /// <summary>Sends <paramref name="signal"/> to every process of the group led by <paramref name="leader"/>, as Ctrl-C and `timeout` do.</summary>
    public static void ToGroup(int leader, int signal) => Send(-leader, signal);

    private static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
