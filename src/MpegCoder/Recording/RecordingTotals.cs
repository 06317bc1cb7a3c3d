using System.Diagnostics;

namespace MpegCoder.Recording;

/// <summary>What recorders did, as the recording metrics count it: bytes and files written, packets dropped, files deleted, failures.</summary>
internal readonly record struct RecorderCounts(long BytesWritten, long FilesFinished, long PacketsDropped, long FilesDeleted, long Failures)
{
    public static RecorderCounts operator +(RecorderCounts a, RecorderCounts b) => new(
        a.BytesWritten + b.BytesWritten, a.FilesFinished + b.FilesFinished, a.PacketsDropped + b.PacketsDropped,
        a.FilesDeleted + b.FilesDeleted, a.Failures + b.Failures);

    /// <summary>Whether no count is below <paramref name="other"/>'s.</summary>
    public bool AtLeast(RecorderCounts other) =>
        BytesWritten >= other.BytesWritten && FilesFinished >= other.FilesFinished && PacketsDropped >= other.PacketsDropped
        && FilesDeleted >= other.FilesDeleted && Failures >= other.Failures;
}

/// <summary>
/// Everything the recorders of one stream have done, those that ended included (stopped, failed, or gone
/// with their stream), so that the stream's recording counters never go down while recorders come and go.
/// The stream's session owns it; each recorder joins when it starts and adds its final counts when it ends.
/// </summary>
/// <remarks>
/// Invariant: a started recorder is counted exactly once, either among <c>_running</c> (its counts read
/// live) or in <c>_ended</c> (its final counts). It moves from one to the other under <c>_gate</c>, its
/// counts read under the same lock, so an earlier <see cref="Read"/> saw at most what the move adds: the
/// counts only grow. Nothing here is on the writer's per-packet path: a recorder joins and leaves once, and
/// <see cref="Read"/> runs when a collector observes.
/// </remarks>
internal sealed class RecordingTotals
{
    private readonly object _gate = new();
    private readonly List<PacketRecorder> _running = [];
    private RecorderCounts _ended;
    private RecorderCounts _lastRead; // checks that the totals never go down
    private volatile bool _any;

    /// <summary>Whether the stream has had a recorder (one that started, or failed to): a stream never recorded reports no recording counters.</summary>
    public bool Any => _any;

    /// <summary>A recorder attached to the stream starts; counted live until <see cref="Ended"/>.</summary>
    public void Started(PacketRecorder recorder)
    {
        lock (_gate)
        {
            Debug.Assert(!_running.Contains(recorder), "a recorder starts once");
            _running.Add(recorder);
            _any = true;
        }
    }

    /// <summary>A started recorder has ended, its counts final; <paramref name="failed"/>: it ended on a write failure, counted once here.</summary>
    public void Ended(PacketRecorder recorder, bool failed)
    {
        lock (_gate)
        {
            bool removed = _running.Remove(recorder);
            Debug.Assert(removed, "a recorder ends once, after it started");
            _ended += recorder.Counts with { Failures = failed ? 1 : 0 };
        }
    }

    /// <summary>A recorder could not start (its target cannot be written): a failure, though it never ran.</summary>
    public void FailedToStart()
    {
        lock (_gate)
        {
            _ended += new RecorderCounts(0, 0, 0, 0, 1);
            _any = true;
        }
    }

    /// <summary>The ended recorders' counts plus the running ones' current counts.</summary>
    public RecorderCounts Read()
    {
        lock (_gate)
        {
            var total = _ended;
            foreach (var recorder in _running) total += recorder.Counts;
            Debug.Assert(total.AtLeast(_lastRead), "a stream's recording totals never go down");
            _lastRead = total;
            return total;
        }
    }
}
