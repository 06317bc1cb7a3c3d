using Microsoft.Extensions.Logging;
using MpegCoder.Lifecycle;

namespace MpegCoder.Streaming;

/// <summary>
/// A stream's <see cref="StreamState"/> and the event that reports each change, raised on the thread that
/// makes it: the writer's (streaming, reconnecting, the end) or a caller's (a stop, a dispose).
/// </summary>
/// <remarks>
/// A handler that throws does not stop the writer or the caller: the exception is logged and the change
/// stands. Handlers may stop or dispose the stream (see <see cref="StopRequest"/>).
/// </remarks>
internal sealed class StateTransitions(object sender, StreamLog log)
{
    private StreamState _state = StreamState.Paused;

    /// <summary>The state now; a stream starts <see cref="StreamState.Paused"/>, open with its writer not started.</summary>
    public StreamState Current => _state;

    /// <summary>Raised with the stream as the sender.</summary>
    public event EventHandler<StreamStateChangedEventArgs>? Changed;

    /// <summary>Moves to <paramref name="state"/> and raises <see cref="Changed"/>; nothing when the stream is already there.</summary>
    public void Set(StreamState state, string? reason)
    {
        var previous = _state;
        if (previous == state) return;
        _state = state;
        try
        {
            Changed?.Invoke(sender, new StreamStateChangedEventArgs(previous, state, reason));
        }
        catch (Exception e)
        {
            log.Write(LogLevel.Error, $"a StateChanged handler threw: {e.Message}");
        }
    }
}
