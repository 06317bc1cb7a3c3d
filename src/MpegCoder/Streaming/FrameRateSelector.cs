using MpegCoder.Recording;
namespace MpegCoder.Streaming;

/// <summary>
/// Decides, from each decoded frame's timestamp, whether it is kept to produce a target frame rate.
/// </summary>
/// <remarks>
/// Time is cut into intervals of 1/targetRate seconds counted from the first frame's timestamp; the
/// first frame that falls into a new interval is kept, every other one is dropped; intervals start half a
/// nominal source frame early, so timestamps that jitter around a boundary keep a steady pattern. The interval of a
/// frame is computed from its own timestamp in exact integer arithmetic, never accumulated, so the
/// output does not drift however long the stream runs (the original's defect 8). A 25 fps source at
/// 5 fps keeps frames 0, 5, 10, ... A frame without a timestamp is placed one nominal source frame
/// after the previous one. A timestamp that jumps backwards (a stream restart) starts a new origin.
/// Without a target rate every frame is kept.
/// </remarks>
internal sealed class FrameRateSelector
{
    private const long NoTimestamp = long.MinValue;

    private readonly Int128 _numerator;   // interval(ts) = (ts - origin) * _numerator / _denominator
    private readonly Int128 _denominator;
    private readonly long _nominalFrameDuration; // one source frame in time-base units, for frames without a timestamp
    private readonly bool _keepAll;

    private bool _started;
    private long _origin;
    private long _lastTimestamp;
    private long _lastInterval;

    /// <param name="timeBase">The stream's time base (num, den): seconds per timestamp unit.</param>
    /// <param name="targetRate">Frames per second wanted (num, den), or null to keep every frame.</param>
    /// <param name="sourceRate">The stream's nominal frame rate, used only for frames without a timestamp.</param>
    public FrameRateSelector((int num, int den) timeBase, (int num, int den)? targetRate, (int num, int den) sourceRate)
    {
        if (timeBase.num <= 0 || timeBase.den <= 0) throw new ArgumentOutOfRangeException(nameof(timeBase));
        _keepAll = targetRate is null;
        var target = targetRate ?? (1, 1);
        if (target.num <= 0 || target.den <= 0) throw new ArgumentOutOfRangeException(nameof(targetRate));
        _numerator = (Int128)timeBase.num * target.num;
        _denominator = (Int128)timeBase.den * target.den;
        // seconds per source frame / seconds per unit = (src.den / src.num) / (tb.num / tb.den)
        _nominalFrameDuration = sourceRate.num > 0 && sourceRate.den > 0
            ? Math.Max(1, (long)((Int128)sourceRate.den * timeBase.den / ((Int128)sourceRate.num * timeBase.num)))
            : 1;
    }

    /// <summary>Returns whether the frame with this timestamp (long.MinValue if none) is kept.</summary>
    public bool Keep(long timestamp)
    {
        if (timestamp == NoTimestamp)
            timestamp = _started ? _lastTimestamp + _nominalFrameDuration : 0;

        if (!_started || timestamp < _origin || timestamp < _lastTimestamp - 10 * _nominalFrameDuration)
        {
            // First frame, or the clock went back: a new origin, and this frame opens its first interval.
            _started = true;
            _origin = timestamp;
            _lastTimestamp = timestamp;
            _lastInterval = 0;
            return true;
        }
        _lastTimestamp = timestamp;
        if (_keepAll) return true;

        // Half a source frame of slack: a timestamp that jitters a tick before an interval's start (RTP
        // clocks do) still opens it, instead of leaving it to the next frame (a gap of 6, then of 4).
        long interval = (long)((timestamp - _origin + _nominalFrameDuration / 2) * _numerator / _denominator);
        if (interval > _lastInterval)
        {
            _lastInterval = interval;
            return true;
        }
        return false;
    }
}
