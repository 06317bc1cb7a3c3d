namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// Event handlers that misbehave, for the events the library raises (StateChanged, FileFinished...): one
/// that throws, and one that disposes (or stops) the object raising the event from inside the handler,
/// the obvious pattern that must neither deadlock nor throw. Each records what happened for the asserts.
/// </summary>
public sealed class MisbehavingHandler<TArgs>
{
    private readonly Func<TArgs, bool> _when;
    private readonly Action _act;
    private readonly bool _once;
    private int _calls;
    private int _acted;
    private readonly TaskCompletionSource _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MisbehavingHandler(Func<TArgs, bool> when, Action act, bool once)
    {
        _when = when;
        _act = act;
        _once = once;
    }

    /// <summary>A handler that throws <see cref="HandlerFault"/> on every event <paramref name="when"/> accepts (all by default).</summary>
    public static MisbehavingHandler<TArgs> Throwing(Func<TArgs, bool>? when = null) =>
        new(when ?? (_ => true), () => throw new HandlerFault(), once: false);

    /// <summary>
    /// A handler that calls <paramref name="stop"/> (Dispose, StopAsync().Wait, Clear...) on the first event
    /// <paramref name="when"/> accepts, on the library's own thread; <see cref="ActReturned"/> completes when
    /// that call returned, and faults with what it threw.
    /// </summary>
    public static MisbehavingHandler<TArgs> Stopping(Action stop, Func<TArgs, bool> when) => new(when, stop, once: true);

    /// <summary>Events seen.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Completes when the handler's own call (the throw aside) returned; faulted with its exception.</summary>
    public Task ActReturned => _returned.Task;

    /// <summary>The handler, to add to the event.</summary>
    public void Handle(object? sender, TArgs args)
    {
        Interlocked.Increment(ref _calls);
        if (!_when(args)) return;
        if (Interlocked.Exchange(ref _acted, 1) != 0 && _once) return;
        try
        {
            _act();
            _returned.TrySetResult();
        }
        catch (HandlerFault)
        {
            _returned.TrySetResult();
            throw;
        }
        catch (Exception e)
        {
            _returned.TrySetException(e);
        }
    }
}

/// <summary>What a <see cref="MisbehavingHandler{TArgs}"/> throws: the test's own exception, recognisable in a LastError or a log.</summary>
public sealed class HandlerFault : Exception
{
    public const string Text = "a handler of the test threw on purpose";
    public HandlerFault() : base(Text) { }
}
