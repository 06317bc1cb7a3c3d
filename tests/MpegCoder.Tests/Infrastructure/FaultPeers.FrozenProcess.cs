namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// A server process frozen by SIGSTOP for the scope of a using block: its sockets stay open and nothing
/// answers (a camera or relay that hangs without closing anything). Dispose thaws it (SIGCONT), so a
/// failing test never leaves a stopped process behind.
/// </summary>
public sealed class FrozenProcess : IDisposable
{
    private int _thawed;

    public FrozenProcess(int pid)
    {
        Pid = pid;
        Signals.Freeze(pid);
    }

    public int Pid { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _thawed, 1) != 0) return;
        try { Signals.Thaw(Pid); }
        catch (InvalidOperationException) { } // the process is gone already: nothing to thaw
    }
}
