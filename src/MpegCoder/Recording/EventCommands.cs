using System.Diagnostics;

namespace MpegCoder.Recording;

/// <summary>
/// The triggers and event ends asked for (any thread) and not yet carried out by the recorder's thread,
/// kept so that their order counts: an end followed by a trigger leaves an event running, however late
/// the recorder looks. Between two looks only this matters: was there a trigger before the last end, an
/// end, a trigger after it.
/// </summary>
internal sealed class EventCommands
{
    private readonly object _gate = new();
    private bool _triggerBeforeEnd, _end, _triggerAfterEnd;

    public void Trigger()
    {
        lock (_gate)
        {
            if (_end) _triggerAfterEnd = true;
            else _triggerBeforeEnd = true;
        }
    }

    public void EndEvent()
    {
        lock (_gate)
        {
            // A trigger between two ends starts an event that the second end ends.
            _triggerBeforeEnd |= _triggerAfterEnd;
            _triggerAfterEnd = false;
            _end = true;
        }
    }

    /// <summary>What was asked since the last call, in order: a trigger, an end, a trigger after that end.</summary>
    public (bool TriggerBefore, bool End, bool TriggerAfter) Take()
    {
        lock (_gate)
        {
            var taken = (_triggerBeforeEnd, _end, _triggerAfterEnd);
            Debug.Assert(!_triggerAfterEnd || _end, "a trigger after an end implies the end");
            _triggerBeforeEnd = _end = _triggerAfterEnd = false;
            return taken;
        }
    }
}
